// SPDX-License-Identifier: GPL-2.0-only
/*
 * Two CPUs for a race case (cpu_pair.h): one case holds a lock or spins
 * with interrupts off on its own CPU while a kthread it made runs the
 * other side of the race on the second one, so neither waits for the
 * other to be scheduled.
 */
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/smp.h>

#include "cpu_pair.h"

/**
 * cpu_pair_thread() - pin the test to its CPU, make a thread for another
 * @test: the running case
 * @fn: the thread's function
 * @data: its argument
 * @name: its name
 *
 * The calling task stays on the CPU it runs on until cpu_pair_unpin().
 * Skips the case on a machine with one CPU.
 *
 * Return: the thread, bound to another online CPU and not yet woken; or
 * NULL after a failed case (the caller is unpinned then).
 */
struct task_struct *cpu_pair_thread(struct kunit *test, int (*fn)(void *),
				    void *data, const char *name)
{
	unsigned int here = raw_smp_processor_id(), there;
	struct task_struct *t;

	set_cpus_allowed_ptr(current, cpumask_of(here));
	there = cpumask_any_but(cpu_online_mask, here);
	if (there >= nr_cpu_ids) {
		cpu_pair_unpin();
		kunit_skip(test, "needs a second CPU");
	}
	t = kthread_create(fn, data, "%s", name);
	if (IS_ERR(t)) {
		cpu_pair_unpin();
		KUNIT_FAIL(test, "no thread %s: %ld", name, PTR_ERR(t));
		return NULL;
	}
	kthread_bind(t, there);
	return t;
}

/**
 * cpu_pair_unpin() - let the test's task run on any CPU again
 */
void cpu_pair_unpin(void)
{
	set_cpus_allowed_ptr(current, cpu_possible_mask);
}
