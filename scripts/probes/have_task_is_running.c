// SPDX-License-Identifier: GPL-2.0-only
/* task_is_running() (5.14; before, task->state == TASK_RUNNING) */
#include <linux/sched.h>

static bool __used amd_ga_probe(struct task_struct *task)
{
	return task_is_running(task);
}
