// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: GA log notifier registration and the GATag registry: lookup,
 * VM ID allocation, vCPU IRTE lists, recovery of blocked vCPUs, and
 * teardown (notifier unregistration, VM destruction) while the GA log
 * drains.
 */
#include <kunit/test.h>
#include <linux/amd-ga.h>
#include <linux/bitfield.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <uapi/linux/sched/types.h>

#include "dispatch.h"
#include "galog.h"
#include "standin.h"
#include "vapic.h"

/*
 * Every wait is bounded, and running out is a failure: for the stand-in
 * vCPUs to block and to take their vectors, and for the GA log drain to
 * reach the notifier.
 */
#define DT_WAIT_MS	5000
/* 400 entries, each through the slow notifier (1 ms, the first 200 ms). */
#define DT_DRAIN_MS	10000

static void dispatch_lookup(struct kunit *test)
{
	struct amd_ga_vm *vm = amd_ga_vm_create(8, test);
	struct amd_ga_vcpu *v[8];
	unsigned int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(vm));
	KUNIT_EXPECT_NE(test, amd_ga_vm_id(vm), 0U);
	for (i = 0; i < 8; i++) {
		v[i] = amd_ga_vcpu_create(vm, i, &v[i]);
		KUNIT_ASSERT_FALSE(test, IS_ERR(v[i]));
		KUNIT_EXPECT_EQ(test, amd_ga_vcpu_ga_tag(v[i]),
				AMD_GA_GATAG_MAKE(amd_ga_vm_id(vm), i));
	}
	rcu_read_lock();
	for (i = 0; i < 8; i++) {
		KUNIT_EXPECT_PTR_EQ(test, amd_ga_vcpu_lookup(amd_ga_vcpu_ga_tag(v[i])), v[i]);
		KUNIT_EXPECT_PTR_EQ(test, amd_ga_vcpu_priv(v[i]), (void *)&v[i]);
	}
	/* Beyond max_vcpus, VM ID 0, an unknown VM. */
	KUNIT_EXPECT_NULL(test, amd_ga_vcpu_lookup(amd_ga_vcpu_ga_tag(v[7]) + 1));
	KUNIT_EXPECT_NULL(test, amd_ga_vcpu_lookup(5));
	KUNIT_EXPECT_NULL(test, amd_ga_vcpu_lookup(U32_MAX));
	rcu_read_unlock();

	amd_ga_vcpu_destroy(v[3]);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, amd_ga_vcpu_lookup(amd_ga_vcpu_ga_tag(v[4]) - 1));
	KUNIT_EXPECT_PTR_EQ(test, amd_ga_vcpu_lookup(amd_ga_vcpu_ga_tag(v[4])), v[4]);
	rcu_read_unlock();
	i = amd_ga_vcpu_ga_tag(v[4]);
	amd_ga_vm_destroy(vm);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, amd_ga_vcpu_lookup(i));
	rcu_read_unlock();
	/* The records outlive their VM until each is destroyed. */
	for (i = 0; i < 8; i++)
		if (i != 3)
			amd_ga_vcpu_destroy(v[i]);
}

static void dispatch_bad_input(struct kunit *test)
{
	struct amd_ga_vm *vm;
	struct amd_ga_vcpu *v;

	KUNIT_EXPECT_EQ(test, PTR_ERR(amd_ga_vm_create(0, NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(amd_ga_vm_create(AMD_GA_GATAG_MAX_VCPU_IDX + 2, NULL)),
			-EINVAL);
	vm = amd_ga_vm_create(AMD_GA_GATAG_MAX_VCPU_IDX + 1, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vm));
	KUNIT_EXPECT_EQ(test, PTR_ERR(amd_ga_vcpu_create(vm, AMD_GA_GATAG_MAX_VCPU_IDX + 1, NULL)),
			-EINVAL);
	v = amd_ga_vcpu_create(vm, AMD_GA_GATAG_MAX_VCPU_IDX, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(v));
	KUNIT_EXPECT_EQ(test, PTR_ERR(amd_ga_vcpu_create(vm, AMD_GA_GATAG_MAX_VCPU_IDX, NULL)),
			-EEXIST);
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, amd_ga_vcpu_lookup(amd_ga_vcpu_ga_tag(v)), v);
	rcu_read_unlock();
	amd_ga_vm_destroy(vm);
	/* A VM kept by a vCPU record takes no new vCPU once destroyed. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(amd_ga_vcpu_create(vm, 0, NULL)), -ESRCH);
	amd_ga_vcpu_destroy(v);
	amd_ga_vm_destroy(NULL);
	amd_ga_vcpu_destroy(ERR_PTR(-EINVAL));
}

static void dispatch_vm_ids(struct kunit *test)
{
	struct amd_ga_vm *keep, *vm;
	u32 first, id;
	unsigned int i;

	keep = amd_ga_vm_create(1, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(keep));
	first = amd_ga_vm_id(keep);
	/* Churn: IDs move on, never 0, never the one still in use. */
	for (i = 0; i < 2000; i++) {
		vm = amd_ga_vm_create(1, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(vm));
		id = amd_ga_vm_id(vm);
		KUNIT_EXPECT_NE(test, id, 0U);
		KUNIT_EXPECT_NE(test, id, first);
		KUNIT_EXPECT_LE(test, id, (u32)AMD_GA_GATAG_MAX_VM_ID);
		amd_ga_vm_destroy(vm);
	}
	amd_ga_vm_destroy(keep);
	/* The destroyed VMs are freed after a grace period. */
	synchronize_rcu();
}

static void dispatch_vcpu_irtes(struct kunit *test)
{
	struct amd_ga_vm *vm = amd_ga_vm_create(2, NULL);
	struct amd_ga_vcpu_irte a = {}, b = {};
	struct amd_ga_vcpu *v0, *v1;
	void *page = (void *)get_zeroed_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vm));
	v0 = amd_ga_vcpu_create(vm, 0, NULL);
	v1 = amd_ga_vcpu_create(vm, 1, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(v0) || IS_ERR(v1));
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_add_irte(v0, &a, 0x40), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_add_irte(v0, &a, 0x40), -EBUSY);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_add_irte(v1, &a, 0x40), -EBUSY);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_del_irte(v1, &a), -ENOENT);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_del_irte(v0, &b), -ENOENT);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_add_irte(v0, &b, 0xe1), 0);

	/* Needs a wake only when blocked with one of its vectors pending. */
	amd_ga_vcpu_set_backing(v0, page);
	KUNIT_EXPECT_FALSE(test, amd_ga_vcpu_needs_wake(v0));
	amd_ga_vapic_irr_set(page, 0xe1);
	KUNIT_EXPECT_FALSE(test, amd_ga_vcpu_needs_wake(v0));
	amd_ga_vcpu_set_blocked(v0, true);
	KUNIT_EXPECT_TRUE(test, amd_ga_vcpu_needs_wake(v0));
	amd_ga_vapic_irr_test_and_clear(page, 0xe1);
	amd_ga_vapic_irr_set(page, 0x41);	/* not one of its vectors */
	KUNIT_EXPECT_FALSE(test, amd_ga_vcpu_needs_wake(v0));
	/* An IRTE moves to another vCPU: its vector goes with it. */
	amd_ga_vapic_irr_set(page, 0x40);
	KUNIT_EXPECT_TRUE(test, amd_ga_vcpu_needs_wake(v0));
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_del_irte(v0, &a), 0);
	KUNIT_EXPECT_FALSE(test, amd_ga_vcpu_needs_wake(v0));
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_add_irte(v1, &a, 0x40), 0);
	KUNIT_EXPECT_EQ(test, v1->nr_irtes, 1U);

	amd_ga_vcpu_del_irte(v1, &a);
	amd_ga_vcpu_del_irte(v0, &b);
	amd_ga_vcpu_destroy(v0);
	amd_ga_vcpu_destroy(v1);
	amd_ga_vm_destroy(vm);
	synchronize_rcu();
	free_page((unsigned long)page);
}

static void dispatch_recover_blocked(struct kunit *test)
{
	struct standin_host *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	unsigned int woken;

	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_EQ(test, standin_init(h, 8, 2, true), 0);
	KUNIT_ASSERT_TRUE_MSG(test, standin_wait_blocked(h, DT_WAIT_MS), "%s", h->lost);
	/* IRR set behind the log's back on vCPUs 2 and 5 only. */
	amd_ga_vapic_irr_set(h->vcpus[2].page, STANDIN_VEC_BASE + 1);
	amd_ga_vapic_irr_set(h->vcpus[5].page, STANDIN_VEC_BASE);
	atomic64_add(2, &h->posted);
	woken = amd_ga_dispatch_recover(NULL);
	KUNIT_EXPECT_EQ(test, woken, 2U);
	KUNIT_EXPECT_EQ_MSG(test, standin_settle(h, DT_WAIT_MS), 0U, "%s", h->lost);
	KUNIT_EXPECT_EQ(test, atomic_read(&h->vcpus[2].wakes), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&h->vcpus[5].wakes), 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&h->handled), 2LL);
	standin_exit(h);
}

/* A notifier that is slow, so that teardown happens while it runs. */
static struct {
	atomic_t inflight;
	atomic_t calls;
	atomic_t after_unregister;
	atomic_t bad_record;
	bool unregistered;
	bool release;
	int cpu;
} slow;

/*
 * The first call lasts until the test has torn down (it sets @release)
 * or is unregistering the notifier (which waits for this call), at most
 * DT_WAIT_MS: teardown then happens while a call is in flight however
 * late the test's thread gets to it on a loaded host. Under the drain's
 * rcu_read_lock().
 */
static void slow_hold_first_call(void)
{
	unsigned long end = jiffies + msecs_to_jiffies(DT_WAIT_MS);

	/* A notifier must not sleep: spin. */
	while (!READ_ONCE(slow.release) && amd_ga_galog_has_wake() &&
	       time_before(jiffies, end))
		cpu_relax();
}

static int slow_notifier(u32 ga_tag)
{
	struct amd_ga_vcpu *rec;
	bool first;

	atomic_inc(&slow.inflight);
	WRITE_ONCE(slow.cpu, raw_smp_processor_id());
	if (READ_ONCE(slow.unregistered))
		atomic_inc(&slow.after_unregister);
	first = atomic_inc_return(&slow.calls) == 1;
	/*
	 * Hold the record across the delay, as a consumer holds it from
	 * lookup to wake: it must stay valid even if its VM is destroyed
	 * meanwhile (KASAN reports it otherwise). The first call is long:
	 * the test moves to the other CPU and tears down while it runs,
	 * and a drain may make no more than one call per vCPU.
	 */
	rec = amd_ga_vcpu_lookup(ga_tag);
	if (first)
		slow_hold_first_call();
	else
		mdelay(1);
	if (rec && READ_ONCE(rec->ga_tag) != ga_tag)
		atomic_inc(&slow.bad_record);
	atomic_dec(&slow.inflight);
	return standin_notifier(ga_tag);
}

/*
 * The GA log thread is a SCHED_FIFO IRQ thread: while it drains through
 * the slow notifier it keeps an ordinary thread off its CPU, and without
 * kernel preemption it is not even preempted by a higher priority. So the
 * teardown side runs at a higher RT priority and moves to another CPU
 * once the drain is in the notifier: teardown then really happens while
 * a notifier call is in flight.
 */
static void slow_boost(bool on)
{
	struct sched_param sp = { .sched_priority = MAX_RT_PRIO - 10 };

	if (on) {
		sched_setscheduler_nocheck(current, SCHED_FIFO, &sp);
	} else {
		sched_set_normal(current, 0);
		set_cpus_allowed_ptr(current, cpu_possible_mask);
	}
}

/*
 * Return: 0 once the drain is in the notifier, -ENODEV without a second
 * CPU, -ETIMEDOUT if the drain never called the notifier.
 */
static int slow_wait_first_call(void)
{
	unsigned long end = jiffies + msecs_to_jiffies(DT_WAIT_MS);
	unsigned int other;

	while (!atomic_read(&slow.calls)) {
		if (time_after(jiffies, end))
			return -ETIMEDOUT;
		usleep_range(50, 100);
	}
	other = cpumask_any_but(cpu_online_mask, READ_ONCE(slow.cpu));
	if (other >= nr_cpu_ids)
		return -ENODEV;
	set_cpus_allowed_ptr(current, cpumask_of(other));
	/* The drain is in its first pass, in the notifier, on the other CPU. */
	while (!atomic_read(&slow.inflight) && atomic_read(&slow.calls) < 400 &&
	       time_before(jiffies, end))
		cpu_relax();
	return 0;
}

/* Give up a test whose drain never reached the notifier. */
static void slow_give_up(struct kunit *test, struct standin_host *h, int err)
{
	WRITE_ONCE(slow.release, true);
	slow_boost(false);
	standin_exit(h);
	if (err == -ENODEV)
		kunit_skip(test, "needs a second CPU");
	KUNIT_FAIL(test, "the GA log drain did not call the notifier within %u ms",
		   DT_WAIT_MS);
}

static void dispatch_unregister_during_drain(struct kunit *test)
{
	struct standin_host *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	u32 tag;
	unsigned int i;
	int inflight, err;

	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_EQ(test, standin_init(h, 2, 1, true), 0);
	memset(&slow, 0, sizeof(slow));
	/*
	 * One entry per pass, each with its own call: the tags are of vCPU
	 * indexes the VM does not have (stale), so none is remembered and
	 * coalesced.
	 */
	amd_ga_galog_set_budget(h->gl, 1);
	amd_ga_register_ga_log_notifier(slow_notifier);
	tag = amd_ga_vcpu_ga_tag(h->vcpus[0].rec) & AMD_GA_GATAG_VM_MASK;
	for (i = 0; i < 400; i++)
		amd_ga_model_galog_inject(h->env.model,
					  FIELD_PREP(AMD_GA_GALOG_ENT_GATAG,
						     tag | (2 + i % 200)) |
					  FIELD_PREP(AMD_GA_GALOG_ENT_CODE, 1));
	/* Wait for the drain to be in the notifier, then unregister. */
	slow_boost(true);
	err = slow_wait_first_call();
	if (err) {
		slow_give_up(test, h, err);
		return;
	}
	amd_ga_register_ga_log_notifier(NULL);
	inflight = atomic_read(&slow.inflight);
	WRITE_ONCE(slow.unregistered, true);
	slow_boost(false);
	msleep(50);
	KUNIT_EXPECT_EQ(test, inflight, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&slow.after_unregister), 0);
	KUNIT_EXPECT_LT(test, atomic_read(&slow.calls), 400);
	kunit_info(test, "%d notifier calls before unregistration, %lld entries unclaimed after\n",
		   atomic_read(&slow.calls),
		   atomic64_read(&h->env.iommu->stats.galog_unclaimed));
	standin_exit(h);
}

static void dispatch_vm_teardown_during_drain(struct kunit *test)
{
	struct standin_host *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	struct amd_ga_stats *s;
	unsigned long end;
	unsigned int i, v;
	u64 total;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_EQ(test, standin_init(h, 8, 1, true), 0);
	s = &h->env.iommu->stats;
	/*
	 * Stop the vCPUs first, as KVM does before it destroys a VM; the
	 * notifier still finds their records (and wakes stopped tasks,
	 * harmlessly) until the VM is gone.
	 */
	for (v = 0; v < 8; v++) {
		standin_stop_vcpu(h, v);
		amd_ga_vcpu_del_irte(h->vcpus[v].rec, &h->vcpus[v].irte[0]);
	}
	memset(&slow, 0, sizeof(slow));
	/*
	 * One entry per pass, so that the VM goes away between passes; once
	 * it is gone, every entry is a stale tag with a call of its own.
	 */
	amd_ga_galog_set_budget(h->gl, 1);
	amd_ga_register_ga_log_notifier(slow_notifier);
	for (i = 0; i < 400; i++) {
		v = i % 8;
		amd_ga_model_galog_inject(h->env.model,
					  FIELD_PREP(AMD_GA_GALOG_ENT_GATAG,
						     amd_ga_vcpu_ga_tag(h->vcpus[v].rec)) |
					  FIELD_PREP(AMD_GA_GALOG_ENT_CODE, 1));
	}
	slow_boost(true);
	err = slow_wait_first_call();
	if (err) {
		slow_give_up(test, h, err);
		return;
	}
	/* The VM and its vCPUs go away while the drain looks them up. */
	amd_ga_vm_destroy(h->vm);
	h->vm = NULL;
	for (v = 0; v < 8; v++) {
		amd_ga_vcpu_destroy(h->vcpus[v].rec);
		h->vcpus[v].rec = NULL;
	}
	WRITE_ONCE(slow.release, true);
	slow_boost(false);
	end = jiffies + msecs_to_jiffies(DT_DRAIN_MS);
	while (atomic64_read(&s->galog_entries) < 400 && time_before(jiffies, end))
		usleep_range(5000, 10000);
	KUNIT_EXPECT_EQ_MSG(test, atomic64_read(&s->galog_entries), 400LL,
			    "GA log entries consumed within %u ms", DT_DRAIN_MS);
	/* Each entry woke its vCPU, was coalesced into such a wake, or was stale. */
	total = atomic64_read(&s->galog_wakes) + atomic64_read(&s->galog_coalesced) +
		atomic64_read(&s->galog_stale_tags);
	KUNIT_EXPECT_EQ(test, total, 400ULL);
	KUNIT_EXPECT_GT(test, atomic64_read(&s->galog_stale_tags), 0LL);
	KUNIT_EXPECT_EQ(test, atomic_read(&slow.bad_record), 0);
	kunit_info(test, "%lld woken before teardown, %lld stale after\n",
		   atomic64_read(&s->galog_wakes), atomic64_read(&s->galog_stale_tags));
	standin_exit(h);
}

static struct kunit_case amd_ga_dispatch_cases[] = {
	KUNIT_CASE(dispatch_lookup),
	KUNIT_CASE(dispatch_bad_input),
	KUNIT_CASE(dispatch_vm_ids),
	KUNIT_CASE(dispatch_vcpu_irtes),
	KUNIT_CASE(dispatch_recover_blocked),
	KUNIT_CASE(dispatch_unregister_during_drain),
	KUNIT_CASE(dispatch_vm_teardown_during_drain),
	{}
};

static struct kunit_suite amd_ga_dispatch_suite = {
	.name = "amd_ga_dispatch",
	.test_cases = amd_ga_dispatch_cases,
};

kunit_test_suite(amd_ga_dispatch_suite);
