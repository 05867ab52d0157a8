// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the route-change kick. A route change that leaves the old
 * vector pending in the old backing page wakes the old vCPU through the
 * GA log notifier, but not from the caller's context: v6.17's kvm_amd
 * changes routes with svm->ir_list_lock held (a raw spinlock from v6.18)
 * and its notifier takes a spinlock_t, which sleeps on PREEMPT_RT. The
 * notifier here takes a spinlock_t too, so with
 * CONFIG_PROVE_RAW_LOCK_NESTING a synchronous call also gives lockdep's
 * "Invalid wait context"; the cases do not rely on that report, they
 * check the task and section the notifier runs in.
 */
#include <kunit/test.h>
#include <linux/amd-ga.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/iopoll.h>
#include <linux/mem_encrypt.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

#include "gatag.h"
#include "posted_env.h"
#include "vapic.h"

#define KT_IRQ		0x7d000001	/* a host IRQ number nothing else uses */
#define KT_NTAGS	200		/* vCPU indexes of the case's VM; < 256 */
#define KT_WAIT_MS	3000
#define KT_VEC		0x50

/* The GA log notifier is global: the running case's context. */
static struct kt_ctx *kt_current;

/* Stands for svm->ir_list_lock, held around the route changes. */
static DEFINE_RAW_SPINLOCK(kt_raw);

/* Stands for the spinlock_t KVM's notifier takes (svm_vm_data_hash_lock). */
static DEFINE_SPINLOCK(kt_notifier_lock);

/**
 * struct kt_ctx - one case's environment
 * @env: model IOMMU with one table
 * @irte: posted IRTEs: [0] serves KT_IRQ (per IRTE), [1] no IRQ (per vCPU)
 * @vm: a VM whose vCPU indexes 0 .. KT_NTAGS - 1 give the case's GATags
 * @vcpu: vCPU records 0 and 1, backing pages @page[1] and @page[2]
 * @page: backing pages; [0] for the per-IRTE routes
 * @task: the case's task, the one that holds @kt_raw
 * @in_raw: @task holds @kt_raw
 * @sync_calls: notifier calls made by @task inside its @kt_raw section
 * @sync_tag: GATag of the last of those
 * @hits: notifier calls by vCPU index of @vm
 * @other: notifier calls for other GATags
 * @delay_us: busy-wait in each notifier call, to keep the kick work busy
 */
struct kt_ctx {
	struct penv env;
	struct penv_irte irte[2];
	struct amd_ga_vm *vm;
	struct amd_ga_vcpu *vcpu[2];
	void *page[3];
	struct task_struct *task;
	bool in_raw;
	atomic_t sync_calls;
	u32 sync_tag;
	atomic_t hits[KT_NTAGS];
	atomic_t other;
	unsigned int delay_us;
};

static u32 kt_tag(struct kt_ctx *c, unsigned int idx)
{
	return AMD_GA_GATAG_MAKE(amd_ga_vm_id(c->vm), idx);
}

static int kt_notifier(u32 ga_tag)
{
	struct kt_ctx *c = READ_ONCE(kt_current);
	unsigned long flags;
	u32 idx;

	if (!c)
		return -ENOENT;
	spin_lock_irqsave(&kt_notifier_lock, flags);
	if (current == READ_ONCE(c->task) && READ_ONCE(c->in_raw)) {
		c->sync_tag = ga_tag;
		atomic_inc(&c->sync_calls);
	}
	idx = ga_tag & AMD_GA_GATAG_VCPU_MASK;
	if (ga_tag >> AMD_GA_GATAG_VCPU_BITS == amd_ga_vm_id(c->vm) &&
	    idx < KT_NTAGS)
		atomic_inc(&c->hits[idx]);
	else
		atomic_inc(&c->other);
	spin_unlock_irqrestore(&kt_notifier_lock, flags);
	if (READ_ONCE(c->delay_us))
		udelay(READ_ONCE(c->delay_us));
	return 0;
}

/* Enter the caller's section as kvm_amd does: raw lock, interrupts off. */
static unsigned long kt_raw_begin(struct kt_ctx *c)
	__acquires(&kt_raw)
{
	unsigned long flags;

	WRITE_ONCE(c->task, current);
	raw_spin_lock_irqsave(&kt_raw, flags);
	WRITE_ONCE(c->in_raw, true);
	return flags;
}

static void kt_raw_end(struct kt_ctx *c, unsigned long flags)
	__releases(&kt_raw)
{
	WRITE_ONCE(c->in_raw, false);
	raw_spin_unlock_irqrestore(&kt_raw, flags);
}

/* How many of the VM's GATags were delivered at least once. */
static int kt_delivered(struct kt_ctx *c, int n)
{
	int i, d = 0;

	for (i = 0; i < n; i++)
		d += atomic_read(&c->hits[i]) > 0;
	return d;
}

/* Wait (bounded) until GATags 0 .. @n - 1 were delivered; fail per lost one. */
static void kt_expect_delivered(struct kunit *test, int n)
{
	struct kt_ctx *c = test->priv;
	int i, d;

	if (!read_poll_timeout(kt_delivered, d, d >= n, 1000,
			       KT_WAIT_MS * USEC_PER_MSEC, false, c, n))
		return;
	for (i = 0; i < n; i++)
		if (!atomic_read(&c->hits[i]))
			KUNIT_FAIL(test, "kick of GATag %#x lost: not delivered within %d ms",
				   kt_tag(c, i), KT_WAIT_MS);
}

/* Tag @idx was kicked from a raw-locked section: later, and not from there. */
static void kt_expect_kicked(struct kunit *test, unsigned int idx)
{
	struct kt_ctx *c = test->priv;
	int v;

	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&c->sync_calls), 0,
			    "GA log notifier called for GATag %#x inside the caller's raw spinlock section",
			    c->sync_tag);
	atomic_set(&c->sync_calls, 0);
	if (read_poll_timeout(atomic_read, v, v > 0, 1000,
			      KT_WAIT_MS * USEC_PER_MSEC, false, &c->hits[idx]))
		KUNIT_FAIL(test, "kick of GATag %#x lost: not delivered within %d ms",
			   kt_tag(c, idx), KT_WAIT_MS);
}

static struct amd_ga_pi_data kt_pi(struct kt_ctx *c, unsigned int idx,
				   u32 vector)
{
	struct amd_ga_pi_data pi = {
		.vapic_addr	= __sme_set(virt_to_phys(c->page[0])),
		.ga_tag		= kt_tag(c, idx),
		.vector		= vector,
		.cpu		= -1,
		.ga_log_intr	= true,
		.is_guest_mode	= true,
	};

	return pi;
}

static int kt_init(struct kunit *test)
{
	struct kt_ctx *c;
	unsigned int i;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	test->priv = c;
	if (penv_init(&c->env, 1, false, NULL, c))
		return -ENODEV;
	c->vm = amd_ga_vm_create(KT_NTAGS, c);
	if (IS_ERR(c->vm)) {
		c->vm = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < ARRAY_SIZE(c->page); i++) {
		c->page[i] = (void *)get_zeroed_page(GFP_KERNEL);
		if (!c->page[i])
			return -ENOMEM;
	}
	for (i = 0; i < ARRAY_SIZE(c->vcpu); i++) {
		c->vcpu[i] = amd_ga_vcpu_create(c->vm, i, c);
		if (IS_ERR(c->vcpu[i])) {
			c->vcpu[i] = NULL;
			return -ENOMEM;
		}
		amd_ga_vcpu_set_backing(c->vcpu[i], c->page[i + 1]);
	}
	if (penv_irte_create(&c->env, 0, 1, KT_IRQ, &c->irte[0]) ||
	    penv_irte_create(&c->env, 0, 2, -1, &c->irte[1]))
		return -ENODEV;
	/* Kicks left by earlier suites go to their notifier, not to this one. */
	amd_ga_posted_kick_flush();
	WRITE_ONCE(kt_current, c);
	amd_ga_register_ga_log_notifier(kt_notifier);
	return 0;
}

static void kt_exit(struct kunit *test)
{
	struct kt_ctx *c = test->priv;
	unsigned int i;

	if (!c)
		return;
	for (i = 0; i < ARRAY_SIZE(c->vcpu); i++)
		if (c->vcpu[i] && c->irte[1].p)
			amd_ga_vcpu_detach_irte(c->vcpu[i], c->irte[1].p);
	if (c->irte[0].p)
		amd_ga_irq_set_vcpu_affinity(KT_IRQ, NULL);
	for (i = 0; i < ARRAY_SIZE(c->irte); i++)
		penv_irte_destroy(&c->irte[i]);
	amd_ga_posted_kick_flush();
	amd_ga_register_ga_log_notifier(NULL);
	WRITE_ONCE(kt_current, NULL);
	for (i = 0; i < ARRAY_SIZE(c->vcpu); i++)
		amd_ga_vcpu_destroy(c->vcpu[i]);
	amd_ga_vm_destroy(c->vm);
	synchronize_rcu();
	penv_exit(&c->env);
	for (i = 0; i < ARRAY_SIZE(c->page); i++)
		free_page((unsigned long)c->page[i]);
}

/*
 * Each entry point that kicks, called under a raw spinlock with
 * interrupts off, with the old route's vector pending in its page: the
 * old vCPU is woken, after the section, by another task.
 */
static void kt_route_change_under_raw_lock(struct kunit *test)
{
	struct kt_ctx *c = test->priv;
	struct amd_ga_pi_data pi = kt_pi(c, 2, KT_VEC);
	struct amd_ga_posted *q = c->irte[1].p;
	unsigned long flags;
	int ret;

	/* Per IRTE: tag 2 on KT_VEC, then tag 3 on another vector. */
	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(KT_IRQ, &pi), 0);
	amd_ga_vapic_irr_set(c->page[0], KT_VEC);
	pi = kt_pi(c, 3, KT_VEC + 1);
	flags = kt_raw_begin(c);
	ret = amd_ga_irq_set_vcpu_affinity(KT_IRQ, &pi);
	kt_raw_end(c, flags);
	KUNIT_ASSERT_EQ(test, ret, 0);
	kt_expect_kicked(test, 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->hits[3]), 0);

	/* Per vCPU: a move from vCPU 0 to vCPU 1, then the detach. */
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[0], q, KT_VEC), 0);
	amd_ga_vapic_irr_set(c->page[1], KT_VEC);
	flags = kt_raw_begin(c);
	ret = amd_ga_vcpu_attach_irte(c->vcpu[1], q, KT_VEC);
	kt_raw_end(c, flags);
	KUNIT_ASSERT_EQ(test, ret, 0);
	kt_expect_kicked(test, 0);

	amd_ga_vapic_irr_set(c->page[2], KT_VEC);
	flags = kt_raw_begin(c);
	ret = amd_ga_vcpu_detach_irte(c->vcpu[1], q);
	kt_raw_end(c, flags);
	KUNIT_ASSERT_EQ(test, ret, 0);
	kt_expect_kicked(test, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->other), 0);
}

/*
 * Many kicks queued before the kick work can run (it is idle, and this
 * CPU, where it was queued, holds a raw spinlock with interrupts off):
 * every GATag is delivered, each once however often it was kicked.
 */
static void kt_many_kicks_all_delivered(struct kunit *test)
{
	struct kt_ctx *c = test->priv;
	unsigned int i, round;
	unsigned long flags;

	amd_ga_posted_kick_flush();
	flags = kt_raw_begin(c);
	for (round = 0; round < 3; round++)
		for (i = 0; i < KT_NTAGS; i++)
			amd_ga_posted_kick(kt_tag(c, i));
	kt_raw_end(c, flags);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&c->sync_calls), 0,
			    "GA log notifier called for GATag %#x inside the caller's raw spinlock section",
			    c->sync_tag);
	kt_expect_delivered(test, KT_NTAGS);
	amd_ga_posted_kick_flush();
	for (i = 0; i < KT_NTAGS; i++)
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&c->hits[i]), 1,
				    "GATag %#x: 3 kicks queued together, want them coalesced",
				    kt_tag(c, i));
}

/* When the flush returns, every kick queued before it was delivered. */
static void kt_flush_waits_for_kicks(struct kunit *test)
{
	struct kt_ctx *c = test->priv;
	unsigned long flags;
	int i, n = 100;

	amd_ga_posted_kick_flush();
	/* About 2 ms of deliveries: the work is still busy when we look. */
	WRITE_ONCE(c->delay_us, 20);
	flags = kt_raw_begin(c);
	for (i = 0; i < n; i++)
		amd_ga_posted_kick(kt_tag(c, i));
	kt_raw_end(c, flags);
	amd_ga_posted_kick_flush();
	KUNIT_EXPECT_EQ_MSG(test, kt_delivered(c, n), n,
			    "the flush returned before the kicks queued ahead of it were delivered");
	WRITE_ONCE(c->delay_us, 0);
	kt_expect_delivered(test, n);
}

/*
 * Unregistering the notifier: kicks queued before are delivered to it
 * first (none lost), none after it returned.
 */
static void kt_unregister_delivers_pending(struct kunit *test)
{
	struct kt_ctx *c = test->priv;
	unsigned long flags;
	int i, d, n = 40;

	amd_ga_posted_kick_flush();
	flags = kt_raw_begin(c);
	for (i = 0; i < n; i++)
		amd_ga_posted_kick(kt_tag(c, i));
	kt_raw_end(c, flags);
	amd_ga_register_ga_log_notifier(NULL);
	d = kt_delivered(c, KT_NTAGS);
	KUNIT_EXPECT_EQ_MSG(test, d, n,
			    "unregistering the notifier lost %d of %d kicks queued before it",
			    n - d, n);

	/* Nothing reaches it any more. */
	amd_ga_posted_kick(kt_tag(c, n));
	amd_ga_posted_kick_flush();
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&c->hits[n]), 0,
			    "GATag %#x reached the notifier after it was unregistered",
			    kt_tag(c, n));
}

static struct kunit_case amd_ga_kick_cases[] = {
	KUNIT_CASE(kt_route_change_under_raw_lock),
	KUNIT_CASE(kt_many_kicks_all_delivered),
	KUNIT_CASE(kt_flush_waits_for_kicks),
	KUNIT_CASE(kt_unregister_delivers_pending),
	{}
};

static struct kunit_suite amd_ga_kick_suite = {
	.name		= "amd_ga_kick",
	.init		= kt_init,
	.exit		= kt_exit,
	.test_cases	= amd_ga_kick_cases,
};

kunit_test_suite(amd_ga_kick_suite);
