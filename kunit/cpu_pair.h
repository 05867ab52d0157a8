/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Two CPUs for a race case: the test's task stays on the CPU it runs on,
 * a kthread runs on another one.
 */
#ifndef AMD_GA_KUNIT_CPU_PAIR_H
#define AMD_GA_KUNIT_CPU_PAIR_H

#include <kunit/test.h>
#include <linux/sched.h>

struct task_struct *cpu_pair_thread(struct kunit *test, int (*fn)(void *),
				    void *data, const char *name);
void cpu_pair_unpin(void);

#endif /* AMD_GA_KUNIT_CPU_PAIR_H */
