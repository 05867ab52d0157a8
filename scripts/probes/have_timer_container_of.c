// SPDX-License-Identifier: GPL-2.0-only
/* timer_container_of() (6.16; from_timer() before) */
#include <linux/timer.h>

struct amd_ga_probe_obj {
	struct timer_list timer;
};

static void __used amd_ga_probe(struct timer_list *t)
{
	struct amd_ga_probe_obj *obj = timer_container_of(obj, t, timer);

	(void)obj;
}
