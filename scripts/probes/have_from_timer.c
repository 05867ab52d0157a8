// SPDX-License-Identifier: GPL-2.0-only
/* from_timer() (until 6.15) */
#include <linux/timer.h>

struct amd_ga_probe_obj {
	struct timer_list timer;
};

static void __used amd_ga_probe(struct timer_list *t)
{
	struct amd_ga_probe_obj *obj = from_timer(obj, t, timer);

	(void)obj;
}
