// SPDX-License-Identifier: GPL-2.0-only
/* timer_delete_sync() (6.2; del_timer_sync() before) */
#include <linux/timer.h>

static int __used amd_ga_probe(struct timer_list *t)
{
	return timer_delete_sync(t);
}
