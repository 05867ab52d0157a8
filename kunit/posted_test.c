// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: posted IRTEs on the software IOMMU model. The upstream-shaped
 * per-IRTE entry points (activate, deactivate, update_ga, the IRQ
 * affinity call with its cookie) and the per-vCPU ones (attach, move,
 * detach, load, put, blocking) against the fields the IOMMU reads and
 * what it then does with a device interrupt; zero command queue traffic
 * on the hot path; the blocking window, posted into in both orders; the
 * wake-up of a vCPU left with an interrupt by a route change; errors.
 */
#include <kunit/test.h>
#include <linux/amd-ga.h>
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/jiffies.h>
#include <linux/mem_encrypt.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "galog.h"
#include "hw.h"
#include "iommu.h"
#include "posted_env.h"
#include "vapic.h"

#define PT_IRQ_BASE	0x7f000000	/* host IRQ numbers nothing else uses */
#define PT_NVCPUS	4
/*
 * A GA log entry the notifier has not seen this long after the model
 * wrote it is lost: a failure, never a retry. An interrupt the model did
 * not log for a blocking vCPU fails at once, without waiting.
 */
#define PT_WAIT_MS	3000
#define PT_MAX_IRTES	72

static const char * const pt_result_name[AMD_GA_MODEL_NR_RESULTS + 1] = {
	[AMD_GA_MODEL_REMAPPED]		= "remapped",
	[AMD_GA_MODEL_DOORBELL]		= "doorbell",
	[AMD_GA_MODEL_LOGGED]		= "logged",
	[AMD_GA_MODEL_IRR_ONLY]		= "IRR only",
	[AMD_GA_MODEL_LOG_FULL]		= "log full",
	[AMD_GA_MODEL_LOG_OFF]		= "log off",
	[AMD_GA_MODEL_DISABLED]		= "disabled",
	[AMD_GA_MODEL_ABORTED]		= "aborted",
	[AMD_GA_MODEL_UNTRANSLATED]	= "untranslated",
	[AMD_GA_MODEL_NR_RESULTS]	= "not raised",
};

/* The GA log notifier is global: the running case's context. */
static struct pt_ctx *pt_current;

/**
 * struct pt_ctx - one test case's environment
 * @test: the case
 * @env: model and tables (table 0 without XTEn)
 * @vm: a VM in the GATag registry
 * @vcpu: its vCPU records
 * @page: their backing pages
 * @wake: task to wake when a vCPU's tag is notified (the case itself)
 * @notified: GA log notifier calls, by vCPU index (PT_NVCPUS: other tags)
 * @last_tag: tag of the last notifier call
 * @doorbells: doorbells the model rang
 * @last_dest: destination of the last doorbell
 * @delivered: remapped interrupts the model delivered to the host
 * @last_vector: host vector of the last one
 * @irte: posted IRTEs made by the case, destroyed at its end
 * @nirte: how many
 */
struct pt_ctx {
	struct kunit *test;
	struct penv env;
	struct amd_ga_vm *vm;
	struct amd_ga_vcpu *vcpu[PT_NVCPUS];
	void *page[PT_NVCPUS];
	struct task_struct *wake;
	atomic_t notified[PT_NVCPUS + 1];
	u32 last_tag;
	atomic_t doorbells;
	u32 last_dest;
	atomic_t delivered;
	u32 last_vector;
	struct penv_irte irte[PT_MAX_IRTES];
	unsigned int nirte;
};

static unsigned int pt_host_irq(const struct penv_irte *pi)
{
	return PT_IRQ_BASE + pi->table * 512 + pi->ref.index;
}

static int pt_notifier(u32 ga_tag)
{
	struct pt_ctx *c = READ_ONCE(pt_current);
	struct amd_ga_vcpu *rec;
	unsigned int i;

	if (!c)
		return -ENOENT;
	WRITE_ONCE(c->last_tag, ga_tag);
	rec = amd_ga_vcpu_lookup(ga_tag);
	for (i = 0; i < PT_NVCPUS; i++)
		if (rec && rec == c->vcpu[i])
			break;
	atomic_inc(&c->notified[i]);
	if (c->wake)
		wake_up_process(c->wake);
	return rec ? 0 : -ENOENT;
}

static void pt_doorbell(void *ctx, u32 dest)
{
	struct pt_ctx *c = ctx;

	WRITE_ONCE(c->last_dest, dest);
	atomic_inc(&c->doorbells);
}

static void pt_deliver(void *ctx, u32 vector, u32 dest, bool dest_logical)
{
	struct pt_ctx *c = ctx;

	WRITE_ONCE(c->last_vector, vector);
	atomic_inc(&c->delivered);
}

static const struct amd_ga_model_ops pt_model_ops = {
	.doorbell	= pt_doorbell,
	.deliver	= pt_deliver,
};

static int pt_init(struct kunit *test)
{
	struct pt_ctx *c;
	unsigned int i;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->test = test;
	test->priv = c;
	if (penv_init(&c->env, 3, true, &pt_model_ops, c))
		return -ENODEV;
	c->vm = amd_ga_vm_create(PT_NVCPUS, c);
	if (IS_ERR(c->vm)) {
		c->vm = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < PT_NVCPUS; i++) {
		c->page[i] = (void *)get_zeroed_page(GFP_KERNEL);
		c->vcpu[i] = amd_ga_vcpu_create(c->vm, i, c);
		if (!c->page[i] || IS_ERR(c->vcpu[i])) {
			c->vcpu[i] = NULL;
			return -ENOMEM;
		}
		amd_ga_vcpu_set_backing(c->vcpu[i], c->page[i]);
	}
	WRITE_ONCE(pt_current, c);
	amd_ga_register_ga_log_notifier(pt_notifier);
	return 0;
}

static void pt_exit(struct kunit *test)
{
	struct pt_ctx *c = test->priv;
	unsigned int i;

	if (!c)
		return;
	for (i = 0; i < PT_NVCPUS; i++)
		if (c->vcpu[i])
			amd_ga_posted_vcpu_release(c->vcpu[i]);
	/* Per-IRTE consumers give their IRQs back before the owner destroys. */
	for (i = 0; i < c->nirte; i++) {
		if (c->irte[i].p)
			amd_ga_irq_set_vcpu_affinity(pt_host_irq(&c->irte[i]), NULL);
		penv_irte_destroy(&c->irte[i]);
	}
	amd_ga_register_ga_log_notifier(NULL);
	WRITE_ONCE(pt_current, NULL);
	for (i = 0; i < PT_NVCPUS; i++)
		amd_ga_vcpu_destroy(c->vcpu[i]);
	amd_ga_vm_destroy(c->vm);
	synchronize_rcu();
	penv_exit(&c->env);
	for (i = 0; i < PT_NVCPUS; i++)
		free_page((unsigned long)c->page[i]);
}

/* A registered posted IRTE, destroyed when the case ends. */
static struct penv_irte *pt_irte(struct kunit *test, unsigned int table,
				 unsigned int index)
{
	struct pt_ctx *c = test->priv;
	struct penv_irte *pi;

	KUNIT_ASSERT_LT(test, c->nirte, PT_MAX_IRTES);
	pi = &c->irte[c->nirte];
	KUNIT_ASSERT_EQ(test, penv_irte_create(&c->env, table, index,
					       PT_IRQ_BASE + table * 512 + index,
					       pi), 0);
	c->nirte++;
	return pi;
}

static u32 pt_tag(struct pt_ctx *c, unsigned int vcpu)
{
	return amd_ga_vcpu_ga_tag(c->vcpu[vcpu]);
}

static u64 pt_pa(struct pt_ctx *c, unsigned int vcpu)
{
	return __sme_set(virt_to_phys(c->page[vcpu]));
}

static struct amd_ga_irte_fields pt_fields(const struct penv_irte *pi)
{
	struct amd_ga_irte v = penv_read(pi);
	struct amd_ga_irte_fields f;

	amd_ga_irte_decode(&v, &f);
	return f;
}

/* Wait until @cnt exceeds @old; false on timeout. */
static bool pt_wait_above(atomic_t *cnt, int old)
{
	int v;

	return !read_poll_timeout(atomic_read, v, v > old, 200,
				  PT_WAIT_MS * USEC_PER_MSEC, false, cnt);
}

static struct amd_ga_pi_data pt_pi(struct pt_ctx *c, unsigned int vcpu,
				   u32 vector, int cpu, bool ga_log_intr)
{
	struct amd_ga_pi_data pi = {
		.vapic_addr	= pt_pa(c, vcpu),
		.ga_tag		= pt_tag(c, vcpu),
		.vector		= vector,
		.cpu		= cpu,
		.ga_log_intr	= ga_log_intr,
		.is_guest_mode	= true,
	};

	return pi;
}

/*
 * Per IRTE, as kvm_amd drives it: the affinity call routes and activates,
 * update_ga follows the vCPU; the IOMMU then rings the doorbell, logs or
 * only sets the IRR, exactly as the fields say.
 */
static void pt_irq_affinity_and_update_ga(struct kunit *test)
{
	struct pt_ctx *c = test->priv;
	struct penv_irte *pi = pt_irte(test, 1, 7);
	struct amd_ga_pi_data req = pt_pi(c, 0, 0x51, 5, true);
	enum amd_ga_model_result res;
	struct amd_ga_irte_fields f;
	int n;

	req.prev_ga_tag = 0xdead;
	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(pi), &req), 0);
	KUNIT_EXPECT_PTR_EQ(test, req.ir_data, (void *)pi->p);
	KUNIT_EXPECT_EQ(test, req.prev_ga_tag, 0U);
	f = pt_fields(pi);
	KUNIT_EXPECT_EQ(test, f.mode, AMD_GA_IRTE_GUEST);
	KUNIT_EXPECT_TRUE(test, f.guest.remap_en);
	KUNIT_EXPECT_TRUE(test, f.guest.is_run);
	/* A running vCPU never asks for GA log interrupts. */
	KUNIT_EXPECT_FALSE(test, f.guest.ga_log_intr);
	KUNIT_EXPECT_EQ(test, f.guest.dest, 5U);
	KUNIT_EXPECT_EQ(test, f.guest.vector, 0x51U);
	KUNIT_EXPECT_EQ(test, f.guest.ga_tag, pt_tag(c, 0));
	KUNIT_EXPECT_EQ(test, f.guest.ga_root_pa, pt_pa(c, 0));

	KUNIT_EXPECT_EQ(test, penv_raise(&c->env, pi), AMD_GA_MODEL_DOORBELL);
	KUNIT_EXPECT_EQ(test, c->last_dest, 5U);
	KUNIT_EXPECT_TRUE(test, amd_ga_vapic_irr_test_and_clear(c->page[0], 0x51));

	/* Blocking: IsRun = 0, GALogIntr = 1, Destination kept. */
	KUNIT_ASSERT_EQ(test, amd_ga_update_ga(req.ir_data, -1, true), 0);
	f = pt_fields(pi);
	KUNIT_EXPECT_FALSE(test, f.guest.is_run);
	KUNIT_EXPECT_TRUE(test, f.guest.ga_log_intr);
	KUNIT_EXPECT_EQ(test, f.guest.dest, 5U);
	n = atomic_read(&c->notified[0]);
	res = penv_raise(&c->env, pi);
	KUNIT_EXPECT_EQ_MSG(test, res, AMD_GA_MODEL_LOGGED,
			    "lost wakeup: blocking vCPU 0 (GATag %#x) vector 0x51: %s, not logged",
			    pt_tag(c, 0), pt_result_name[res]);
	/* Not logged: nothing will call the notifier, no use waiting. */
	if (res == AMD_GA_MODEL_LOGGED)
		KUNIT_EXPECT_TRUE_MSG(test, pt_wait_above(&c->notified[0], n),
				      "lost wakeup: vCPU 0 (GATag %#x) vector 0x51 logged, notifier not called within %u ms",
				      pt_tag(c, 0), PT_WAIT_MS);
	KUNIT_EXPECT_EQ(test, c->last_tag, pt_tag(c, 0));
	KUNIT_EXPECT_TRUE(test, amd_ga_vapic_irr_test_and_clear(c->page[0], 0x51));

	/* Preempted: IsRun = 0, GALogIntr = 0: only the IRR. */
	KUNIT_ASSERT_EQ(test, amd_ga_update_ga(req.ir_data, -1, false), 0);
	KUNIT_EXPECT_EQ(test, penv_raise(&c->env, pi), AMD_GA_MODEL_IRR_ONLY);
	KUNIT_EXPECT_TRUE(test, amd_ga_vapic_irr_test_and_clear(c->page[0], 0x51));

	/* Loaded on another pCPU; ga_log_intr is ignored with a valid cpu. */
	KUNIT_ASSERT_EQ(test, amd_ga_update_ga(req.ir_data, 9, true), 0);
	f = pt_fields(pi);
	KUNIT_EXPECT_TRUE(test, f.guest.is_run);
	KUNIT_EXPECT_FALSE(test, f.guest.ga_log_intr);
	KUNIT_EXPECT_EQ(test, penv_raise(&c->env, pi), AMD_GA_MODEL_DOORBELL);
	KUNIT_EXPECT_EQ(test, c->last_dest, 9U);
}

struct pt_update_case {
	const char *name;
	int cpu;
	bool ga_log_intr;
	bool is_run;
	bool want_log;
	u32 dest;
};

static const struct pt_update_case pt_update_cases[] = {
	{ "load", 3, false, true, false, 3 },
	{ "load, ga_log_intr ignored", 4, true, true, false, 4 },
	{ "put", -1, false, false, false, 2 },
	{ "blocking", -1, true, false, true, 2 },
	{ "load, 32-bit APIC ID", 0x12345, false, true, false, 0x12345 },
};

static void pt_update_desc(const struct pt_update_case *u, char *desc)
{
	strscpy(desc, u->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pt_update, pt_update_cases, pt_update_desc);

/* update_ga: IsRun from a valid cpu; GALogIntr only without one. */
static void pt_update_ga_fields(struct kunit *test)
{
	const struct pt_update_case *u = test->param_value;
	struct pt_ctx *c = test->priv;
	struct penv_irte *pi = pt_irte(test, 2, 3);
	struct amd_ga_pi_data req = pt_pi(c, 1, 0x60, 2, false);
	struct amd_ga_irte before, after;
	struct amd_ga_irte_fields f;

	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(pi), &req), 0);
	before = penv_read(pi);
	KUNIT_ASSERT_EQ(test, amd_ga_update_ga(req.ir_data, u->cpu, u->ga_log_intr), 0);
	after = penv_read(pi);
	amd_ga_irte_decode(&after, &f);
	KUNIT_EXPECT_EQ(test, f.mode, AMD_GA_IRTE_GUEST);
	KUNIT_EXPECT_EQ(test, f.guest.is_run, u->is_run);
	KUNIT_EXPECT_EQ(test, f.guest.ga_log_intr, u->want_log);
	KUNIT_EXPECT_EQ(test, f.guest.dest, u->dest);
	/* Nothing but IsRun, GALogIntr and Destination moved. */
	KUNIT_EXPECT_EQ(test, (before.lo ^ after.lo) & ~(AMD_GA_IRTE_LO_IS_RUN |
		AMD_GA_IRTE_LO_GALOG_INTR | AMD_GA_IRTE_LO_DEST_LO), 0ULL);
	KUNIT_EXPECT_EQ(test, (before.hi ^ after.hi) & ~AMD_GA_IRTE_HI_DEST_HI, 0ULL);
	KUNIT_EXPECT_FALSE(test, amd_ga_irte_needs_inval(&before, &after));
}

/*
 * Activation rewrites the whole entry even when it is in guest mode
 * already (a new GATag must never be left out), reports the previous
 * tag, and issues the invalidation a changed root pointer needs.
 */
static void pt_reactivate(struct kunit *test)
{
	struct pt_ctx *c = test->priv;
	struct penv_irte *pi = pt_irte(test, 1, 8);
	struct amd_ga_pi_data req = pt_pi(c, 0, 0x52, -1, true);
	u64 cmds;

	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(pi), &req), 0);
	req = pt_pi(c, 2, 0x52, -1, true);
	cmds = penv_commands(&c->env);
	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(pi), &req), 0);
	KUNIT_EXPECT_EQ(test, req.prev_ga_tag, pt_tag(c, 0));
	KUNIT_EXPECT_EQ(test, pt_fields(pi).guest.ga_tag, pt_tag(c, 2));
	KUNIT_EXPECT_EQ(test, pt_fields(pi).guest.ga_root_pa, pt_pa(c, 2));
	/* INVALIDATE_INTERRUPT_TABLE and COMPLETION_WAIT. */
	KUNIT_EXPECT_GE(test, penv_commands(&c->env), cmds + 2);

	/* Same route again: the entry is written all the same. */
	KUNIT_ASSERT_EQ(test, amd_ga_activate_guest_mode(req.ir_data, 6, false), 0);
	KUNIT_EXPECT_TRUE(test, pt_fields(pi).guest.is_run);
	KUNIT_EXPECT_EQ(test, pt_fields(pi).guest.dest, 6U);
	KUNIT_EXPECT_EQ(test, pt_fields(pi).guest.ga_tag, pt_tag(c, 2));
}

/*
 * Deactivation gives the interrupt back to the host's vector; the cookie
 * stays claimed and update_ga leaves the entry alone. After the release
 * (NULL) every per-IRTE call on the cookie fails.
 */
static void pt_deactivate_and_release(struct kunit *test)
{
	struct pt_ctx *c = test->priv;
	struct penv_irte *pi = pt_irte(test, 1, 9);
	struct amd_ga_pi_data req = pt_pi(c, 1, 0x53, 3, false);
	struct amd_ga_irte before;
	struct amd_ga_irte_fields f;
	int n;

	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(pi), &req), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_deactivate_guest_mode(req.ir_data), 0);
	f = pt_fields(pi);
	KUNIT_EXPECT_EQ(test, f.mode, AMD_GA_IRTE_REMAPPED);
	KUNIT_EXPECT_EQ(test, f.remap.vector, (u32)PENV_HOST_VECTOR);
	KUNIT_EXPECT_EQ(test, f.remap.dest, (u32)PENV_HOST_DEST);
	n = atomic_read(&c->delivered);
	KUNIT_EXPECT_EQ(test, penv_raise(&c->env, pi), AMD_GA_MODEL_REMAPPED);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->delivered), n + 1);
	KUNIT_EXPECT_EQ(test, c->last_vector, (u32)PENV_HOST_VECTOR);

	before = penv_read(pi);
	KUNIT_EXPECT_EQ(test, amd_ga_update_ga(req.ir_data, 4, false), 0);
	KUNIT_EXPECT_EQ(test, penv_read(pi).lo, before.lo);
	KUNIT_EXPECT_EQ(test, penv_read(pi).hi, before.hi);

	KUNIT_ASSERT_EQ(test, amd_ga_activate_guest_mode(req.ir_data, 4, false), 0);
	KUNIT_EXPECT_EQ(test, pt_fields(pi).mode, AMD_GA_IRTE_GUEST);
	KUNIT_EXPECT_EQ(test, pt_fields(pi).guest.dest, 4U);

	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(pi), NULL), 0);
	KUNIT_EXPECT_EQ(test, pt_fields(pi).mode, AMD_GA_IRTE_REMAPPED);
	before = penv_read(pi);
	KUNIT_EXPECT_EQ(test, amd_ga_update_ga(req.ir_data, 4, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_activate_guest_mode(req.ir_data, 4, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_deactivate_guest_mode(req.ir_data), -EINVAL);
	KUNIT_EXPECT_EQ(test, penv_read(pi).lo, before.lo);
	KUNIT_EXPECT_EQ(test, penv_read(pi).hi, before.hi);
}

/* Route errors change nothing. */
static void pt_route_errors(struct kunit *test)
{
	struct pt_ctx *c = test->priv;
	struct penv_irte *pi = pt_irte(test, 0, 4);	/* table without XTEn */
	struct amd_ga_irte before = penv_read(pi);
	struct amd_ga_pi_data req;
	struct {
		const char *what;
		u64 pa;
		u32 vector;
		u32 tag;
		int cpu;
		int err;
	} bad[] = {
		{ "vector 256", pt_pa(c, 0), 256, pt_tag(c, 0), -1, -ERANGE },
		{ "unaligned page", pt_pa(c, 0) + 0x80, 0x40, pt_tag(c, 0), -1, -EINVAL },
		{ "page beyond bit 51", BIT_ULL(52), 0x40, pt_tag(c, 0), -1, -ERANGE },
		{ "page outside memory", BIT_ULL(51) - SZ_4K, 0x40, pt_tag(c, 0), -1, -ERANGE },
		{ "page 0", 0, 0x40, pt_tag(c, 0), -1, -ERANGE },
		{ "GATag with VM ID 0", pt_pa(c, 0), 0x40, 3, -1, -EINVAL },
		{ "APIC ID 256 without XTEn", pt_pa(c, 0), 0x40, pt_tag(c, 0), 256, -ERANGE },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		req = pt_pi(c, 0, bad[i].vector, bad[i].cpu, false);
		req.vapic_addr = bad[i].pa;
		req.ga_tag = bad[i].tag;
		KUNIT_EXPECT_EQ_MSG(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(pi), &req),
				    bad[i].err, "%s", bad[i].what);
		KUNIT_EXPECT_EQ_MSG(test, penv_read(pi).lo, before.lo, "%s", bad[i].what);
		KUNIT_EXPECT_EQ_MSG(test, penv_read(pi).hi, before.hi, "%s", bad[i].what);
	}

	/* A host IRQ amd-ga does not remap: -ENODEV, nothing to keep. */
	req = pt_pi(c, 0, 0x40, -1, true);
	KUNIT_EXPECT_EQ(test, amd_ga_irq_set_vcpu_affinity(PT_IRQ_BASE - 1, &req), -ENODEV);
	KUNIT_EXPECT_FALSE(test, req.is_guest_mode);
	KUNIT_EXPECT_EQ(test, amd_ga_irq_set_vcpu_affinity(PT_IRQ_BASE - 1, NULL), -ENODEV);
	KUNIT_EXPECT_NULL(test, amd_ga_irq_get_posted(PT_IRQ_BASE - 1));
	KUNIT_EXPECT_PTR_EQ(test, amd_ga_irq_get_posted(pt_host_irq(pi)), pi->p);

	/* On the claimed cookie: an APIC ID the table cannot hold. */
	req = pt_pi(c, 0, 0x40, -1, true);
	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(pi), &req), 0);
	before = penv_read(pi);
	KUNIT_EXPECT_EQ(test, amd_ga_update_ga(req.ir_data, 256, false), -ERANGE);
	KUNIT_EXPECT_EQ(test, amd_ga_activate_guest_mode(req.ir_data, 256, false), -ERANGE);
	KUNIT_EXPECT_EQ(test, penv_read(pi).lo, before.lo);
	KUNIT_EXPECT_EQ(test, penv_read(pi).hi, before.hi);
	KUNIT_EXPECT_EQ(test, amd_ga_update_ga(req.ir_data, 255, false), 0);
}

/* Every entry point that takes a posted IRTE refuses NULL. */
static void pt_null_posted(struct kunit *test)
{
	const struct amd_ga_remap_cfg host = { .remap_en = true, .vector = 0x33 };
	struct pt_ctx *c = test->priv;

	KUNIT_EXPECT_EQ(test, amd_ga_update_ga(NULL, 1, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_activate_guest_mode(NULL, 1, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_deactivate_guest_mode(NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[0], NULL, 0x40), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_detach_irte(c->vcpu[0], NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_posted_set_host(NULL, &host), -EINVAL);
}

/*
 * A posted IRTE's entry has one writer, the IRT store through the posted
 * IRTE's claim: the writers by reference are refused while it holds the
 * entry and take it again once the owner destroyed it. What the hot path
 * stores without the table lock is what the codec lets change without an
 * invalidation.
 */
static void pt_entry_one_writer(struct kunit *test)
{
	struct pt_ctx *c = test->priv;
	struct penv_irte *pi = pt_irte(test, 1, 9);
	struct amd_ga_pi_data req = pt_pi(c, 0, 0x52, 3, false);
	struct amd_ga_irte before, run, zero = {};

	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(pi), &req), 0);
	before = penv_read(pi);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(&pi->ref, &zero), -EBUSY);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_update_run(&pi->ref, false,
						     AMD_GA_IRTE_DEST_KEEP, true),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, penv_read(pi).lo, before.lo);
	KUNIT_EXPECT_EQ(test, penv_read(pi).hi, before.hi);

	run = before;
	run.lo ^= AMD_GA_IRTE_LO_RUN_STATE;
	run.hi ^= AMD_GA_IRTE_HI_RUN_STATE;
	KUNIT_EXPECT_TRUE(test, before.lo & AMD_GA_IRTE_LO_GUEST_MODE);
	KUNIT_EXPECT_FALSE(test, amd_ga_irte_needs_inval(&before, &run));

	KUNIT_EXPECT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(pi), NULL), 0);
	amd_ga_posted_destroy(pi->p);
	pi->p = NULL;
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(&pi->ref, &zero), 0);
	KUNIT_EXPECT_EQ(test, penv_read(pi).lo, 0ULL);
	amd_ga_irte_free(&pi->ref);
}

/* The vCPU's run state applied to every IRTE attached to it. */
static void pt_expect_state(struct kunit *test, struct penv_irte *pi,
			    unsigned int n, bool is_run, bool ga_log_intr,
			    u32 dest)
{
	struct amd_ga_irte_fields f;
	unsigned int i;

	for (i = 0; i < n; i++) {
		f = pt_fields(&pi[i]);
		KUNIT_EXPECT_EQ(test, f.mode, AMD_GA_IRTE_GUEST);
		KUNIT_EXPECT_EQ(test, f.guest.is_run, is_run);
		KUNIT_EXPECT_EQ(test, f.guest.ga_log_intr, ga_log_intr);
		KUNIT_EXPECT_EQ(test, f.guest.dest, dest);
	}
}

/*
 * The hot path: every IRTE of a vCPU with 64 of them follows load, put
 * and blocking, and the IOMMU processes not a single command meanwhile.
 */
static void pt_hot_path_no_commands(struct kunit *test)
{
	struct pt_ctx *c = test->priv;
	struct amd_ga_vcpu *v = c->vcpu[1];
	struct penv_irte *pi = &c->irte[c->nirte];
	unsigned int i, round;
	u64 cmds;
	u32 apic;

	for (i = 0; i < 64; i++) {
		pt_irte(test, 1 + i % 2, 100 + i);
		cmds = penv_commands(&c->env);
		KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(v, pi[i].p, 0x80 + i), 0);
		/* Attaching is a route change: it does invalidate. */
		KUNIT_EXPECT_GE(test, penv_commands(&c->env), cmds + 2);
	}
	pt_expect_state(test, pi, 64, false, false, 0);

	cmds = penv_commands(&c->env);
	for (round = 0; round < 50; round++) {
		apic = round % 2 ? 0x10000 + round : round;
		/* Ends the last round's blocking; a load would not. */
		KUNIT_ASSERT_EQ(test, amd_ga_vcpu_unblocking(v, apic), 0);
		pt_expect_state(test, pi, 64, true, false, apic);
		KUNIT_ASSERT_EQ(test, amd_ga_vcpu_put(v), 0);
		pt_expect_state(test, pi, 64, false, false, apic);
		KUNIT_ASSERT_EQ(test, amd_ga_vcpu_load(v, apic + 1), 0);
		KUNIT_ASSERT_EQ(test, amd_ga_vcpu_blocking(v), 0);
		pt_expect_state(test, pi, 64, false, true, apic + 1);
	}
	KUNIT_EXPECT_EQ(test, penv_commands(&c->env), cmds);
	KUNIT_EXPECT_EQ(test, v->nr_irtes, 64U);
}

/* The per-IRTE hot path issues no command either. */
static void pt_update_ga_no_commands(struct kunit *test)
{
	struct pt_ctx *c = test->priv;
	struct penv_irte *pi = pt_irte(test, 1, 11);
	struct amd_ga_pi_data req = pt_pi(c, 0, 0x54, -1, false);
	unsigned int i;
	u64 cmds;

	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(pi), &req), 0);
	cmds = penv_commands(&c->env);
	for (i = 0; i < 100; i++) {
		KUNIT_ASSERT_EQ(test, amd_ga_update_ga(req.ir_data, i, false), 0);
		KUNIT_ASSERT_EQ(test, amd_ga_update_ga(req.ir_data, -1, i & 1), 0);
	}
	KUNIT_EXPECT_EQ(test, penv_commands(&c->env), cmds);
}

/* Attaching applies the vCPU's current state at once. */
static void pt_attach_applies_state(struct kunit *test)
{
	struct pt_ctx *c = test->priv;
	struct penv_irte *a = pt_irte(test, 1, 20), *b = pt_irte(test, 1, 21);
	struct penv_irte *d = pt_irte(test, 1, 22);
	struct amd_ga_irte_fields f;

	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_load(c->vcpu[0], 9), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[0], a->p, 0x41), 0);
	pt_expect_state(test, a, 1, true, false, 9);
	f = pt_fields(a);
	KUNIT_EXPECT_EQ(test, f.guest.ga_tag, pt_tag(c, 0));
	KUNIT_EXPECT_EQ(test, f.guest.vector, 0x41U);
	KUNIT_EXPECT_EQ(test, f.guest.ga_root_pa, pt_pa(c, 0));

	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_load(c->vcpu[1], 3), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_blocking(c->vcpu[1]), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[1], b->p, 0x42), 0);
	pt_expect_state(test, b, 1, false, true, 3);

	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_put(c->vcpu[2]), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[2], d->p, 0x43), 0);
	pt_expect_state(test, d, 1, false, false, 0);

	/* A new vector on the same vCPU is a route change, not a double add. */
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[2], d->p, 0x44), 0);
	KUNIT_EXPECT_EQ(test, pt_fields(d).guest.vector, 0x44U);
	KUNIT_EXPECT_EQ(test, c->vcpu[2]->nr_irtes, 1U);
}

/*
 * Moving between vCPUs: the entry takes the new vCPU's route and state,
 * and only the new vCPU's load/put touch it afterwards.
 */
static void pt_move_between_vcpus(struct kunit *test)
{
	struct pt_ctx *c = test->priv;
	struct penv_irte *pi = pt_irte(test, 2, 30);
	struct amd_ga_irte_fields f;
	struct amd_ga_irte before;

	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_load(c->vcpu[0], 3), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[0], pi->p, 0x70), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_load(c->vcpu[1], 8), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_blocking(c->vcpu[1]), 0);

	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[1], pi->p, 0x71), 0);
	f = pt_fields(pi);
	KUNIT_EXPECT_EQ(test, f.guest.ga_tag, pt_tag(c, 1));
	KUNIT_EXPECT_EQ(test, f.guest.ga_root_pa, pt_pa(c, 1));
	KUNIT_EXPECT_EQ(test, f.guest.vector, 0x71U);
	KUNIT_EXPECT_FALSE(test, f.guest.is_run);
	KUNIT_EXPECT_TRUE(test, f.guest.ga_log_intr);
	KUNIT_EXPECT_EQ(test, c->vcpu[0]->nr_irtes, 0U);
	KUNIT_EXPECT_EQ(test, c->vcpu[1]->nr_irtes, 1U);
	KUNIT_EXPECT_TRUE(test, list_empty(&c->vcpu[0]->irtes));

	before = penv_read(pi);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_load(c->vcpu[0], 4), 0);
	KUNIT_EXPECT_EQ(test, penv_read(pi).lo, before.lo);
	KUNIT_EXPECT_EQ(test, penv_read(pi).hi, before.hi);
	/* vCPU 1 blocks: a load leaves it blocking, unblocking runs it. */
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_load(c->vcpu[1], 5), 0);
	pt_expect_state(test, pi, 1, false, true, 8);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_unblocking(c->vcpu[1], 5), 0);
	pt_expect_state(test, pi, 1, true, false, 5);

	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_detach_irte(c->vcpu[1], pi->p), 0);
	f = pt_fields(pi);
	KUNIT_EXPECT_EQ(test, f.mode, AMD_GA_IRTE_REMAPPED);
	KUNIT_EXPECT_EQ(test, f.remap.vector, (u32)PENV_HOST_VECTOR);
	KUNIT_EXPECT_EQ(test, c->vcpu[1]->nr_irtes, 0U);
}

/* List errors: double add, detach of what is not attached, mixed use. */
static void pt_list_errors(struct kunit *test)
{
	struct pt_ctx *c = test->priv;
	struct penv_irte *a = pt_irte(test, 1, 40), *b = pt_irte(test, 1, 41);
	struct amd_ga_pi_data req = pt_pi(c, 0, 0x45, -1, true);
	struct amd_ga_irte before;

	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[0], a->p, 0x44), 0);
	before = penv_read(a);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[0], a->p, 0x44), -EEXIST);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[1], a->p, 256), -ERANGE);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_detach_irte(c->vcpu[1], a->p), -ENOENT);
	/* A vCPU record drives it: per-IRTE calls are refused. */
	KUNIT_EXPECT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(a), &req), -EBUSY);
	KUNIT_EXPECT_EQ(test, amd_ga_update_ga(a->p, 1, false), -EBUSY);
	KUNIT_EXPECT_EQ(test, amd_ga_activate_guest_mode(a->p, 1, false), -EBUSY);
	KUNIT_EXPECT_EQ(test, penv_read(a).lo, before.lo);
	KUNIT_EXPECT_EQ(test, penv_read(a).hi, before.hi);
	KUNIT_EXPECT_EQ(test, c->vcpu[0]->nr_irtes, 1U);

	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_detach_irte(c->vcpu[0], a->p), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_detach_irte(c->vcpu[0], a->p), -ENOENT);

	/* A per-IRTE consumer holds it: the vCPU API is refused. */
	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(b), &req), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[0], b->p, 0x46), -EBUSY);
	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(b), NULL), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[0], b->p, 0x46), 0);

	/* A vCPU without a backing page cannot be posted to. */
	amd_ga_vcpu_set_backing(c->vcpu[3], NULL);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[3], a->p, 0x47), -EINVAL);
	amd_ga_vcpu_set_backing(c->vcpu[3], c->page[3]);

	/* An APIC ID table 0 cannot hold: IsRun stays clear, the GA log wakes. */
	a = pt_irte(test, 0, 42);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[2], a->p, 0x48), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_load(c->vcpu[2], 0x100), -ERANGE);
	KUNIT_EXPECT_FALSE(test, pt_fields(a).guest.is_run);
	KUNIT_EXPECT_TRUE(test, pt_fields(a).guest.ga_log_intr);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_load(c->vcpu[2], 0xff), 0);
	pt_expect_state(test, a, 1, true, false, 0xff);
}

/* Registration: one posted IRTE per entry and per IRQ; use after destroy. */
static void pt_registration(struct kunit *test)
{
	struct pt_ctx *c = test->priv;
	struct penv_irte *a = pt_irte(test, 1, 50), *b = pt_irte(test, 1, 51);
	const struct amd_ga_remap_cfg host = { .remap_en = true, .vector = 0x33 };
	struct amd_ga_pi_data req = pt_pi(c, 0, 0x49, 2, false);
	struct amd_ga_posted *p;
	void *cookie;

	KUNIT_EXPECT_TRUE(test, amd_ga_irq_posting_available());
	p = amd_ga_posted_create(&a->ref, &host, -1);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(p), -EEXIST);
	p = amd_ga_posted_create(&b->ref, &host, pt_host_irq(a));
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(p), -EEXIST);
	p = amd_ga_posted_create(NULL, &host, -1);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(p), -EINVAL);

	/* The owner destroys a claimed IRTE: the cookie stays safe to use. */
	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(a), &req), 0);
	cookie = req.ir_data;
	penv_irte_destroy(a);
	KUNIT_EXPECT_EQ(test, amd_ga_update_ga(cookie, 3, false), -ENODEV);
	KUNIT_EXPECT_EQ(test, amd_ga_activate_guest_mode(cookie, 3, false), -ENODEV);
	KUNIT_EXPECT_EQ(test, amd_ga_deactivate_guest_mode(cookie), -ENODEV);
	KUNIT_EXPECT_NULL(test, amd_ga_irq_get_posted(pt_host_irq(a)));

	/* An attached one: it leaves the vCPU's list. */
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[1], b->p, 0x4a), 0);
	cookie = b->p;
	penv_irte_destroy(b);
	KUNIT_EXPECT_EQ(test, c->vcpu[1]->nr_irtes, 0U);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_detach_irte(c->vcpu[1], cookie), -ENODEV);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[1], cookie, 0x4a), -ENODEV);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_load(c->vcpu[1], 1), 0);

	/* The entries can be registered again. */
	a = pt_irte(test, 1, 50);
	KUNIT_EXPECT_PTR_EQ(test, amd_ga_irq_get_posted(pt_host_irq(a)), a->p);

	/* Nobody uses the destroyed cookies any more: free them. */
	amd_ga_posted_exit();
}

/*
 * A route change can leave an interrupt in the old backing page (the
 * IOMMU may use the cached old root pointer until the invalidation is
 * done): the old vCPU is then woken. Here the bit is set by hand, as the
 * IOMMU would have set it in that window.
 */
static void pt_route_change_wakes_old_vcpu(struct kunit *test)
{
	struct pt_ctx *c = test->priv;
	struct penv_irte *pi = pt_irte(test, 2, 60), *q = pt_irte(test, 2, 61);
	struct amd_ga_pi_data req = pt_pi(c, 2, 0x90, -1, true);
	int n0 = atomic_read(&c->notified[0]), n1 = atomic_read(&c->notified[1]);
	int n2 = atomic_read(&c->notified[2]);

	/* No interrupt left behind: nobody is woken. */
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[0], pi->p, 0x72), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[1], pi->p, 0x72), 0);
	/* Kicks are deferred: wait for them before counting. */
	amd_ga_posted_kick_flush();
	KUNIT_EXPECT_EQ(test, atomic_read(&c->notified[0]), n0);

	/* vCPU 1's page holds the vector when the IRTE moves to vCPU 0. */
	amd_ga_vapic_irr_set(c->page[1], 0x72);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[0], pi->p, 0x72), 0);
	amd_ga_posted_kick_flush();
	KUNIT_EXPECT_EQ(test, atomic_read(&c->notified[1]), n1 + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->notified[0]), n0);
	KUNIT_EXPECT_TRUE(test, amd_ga_vapic_irr_test_and_clear(c->page[1], 0x72));

	/* Detach: the same for the vCPU it leaves. */
	amd_ga_vapic_irr_set(c->page[0], 0x72);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_detach_irte(c->vcpu[0], pi->p), 0);
	amd_ga_posted_kick_flush();
	KUNIT_EXPECT_EQ(test, atomic_read(&c->notified[0]), n0 + 1);
	KUNIT_EXPECT_TRUE(test, amd_ga_vapic_irr_test_and_clear(c->page[0], 0x72));

	/* Per IRTE: a new route, and the release. */
	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(q), &req), 0);
	amd_ga_vapic_irr_set(c->page[2], 0x90);
	req = pt_pi(c, 3, 0x90, -1, true);
	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(q), &req), 0);
	amd_ga_posted_kick_flush();
	KUNIT_EXPECT_EQ(test, atomic_read(&c->notified[2]), n2 + 1);
	amd_ga_vapic_irr_set(c->page[3], 0x90);
	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(q), NULL), 0);
	amd_ga_posted_kick_flush();
	KUNIT_EXPECT_EQ(test, atomic_read(&c->notified[3]), 1);
	amd_ga_vapic_irr_test_and_clear(c->page[2], 0x90);
	amd_ga_vapic_irr_test_and_clear(c->page[3], 0x90);
}

/**
 * struct pt_block - what one pass through the blocking window saw
 * @res: the model's answer to the device interrupt
 * @pending: the final IRR check found the vector
 * @woken: the GA log notifier was called for vCPU 0
 * @irr: the vector was in the IRR when the vCPU woke (or gave up)
 */
struct pt_block {
	enum amd_ga_model_result res;
	bool pending;
	bool woken;
	bool irr;
};

/*
 * A stand-in vCPU about to sleep, in the order KVM uses: IRTEs to the
 * blocking state, then the final IRR check, then sleep until woken. The
 * device interrupt is posted inside that window, before the IRR check
 * (@post_after_check false) or after it, as the vCPU goes to sleep.
 * @wrong_order checks the IRR before the IRTEs say "blocking" (the bug the
 * order prevents), with the interrupt posted in between.
 *
 * In the right order the vCPU blocks before the interrupt, so the IOMMU
 * must log it: any other result of the model is a lost wakeup at once,
 * and the vCPU does not sleep on it. A logged one must reach the notifier
 * within @wait_ms.
 *
 * Return: true if the vCPU got the interrupt exactly as it must: found by
 * its IRR check, or woken by the GA log notifier within @wait_ms; in the
 * right order the IOMMU logs it in both cases. False if it would sleep
 * forever with the interrupt pending; @b says what was seen.
 */
static bool pt_block_once(struct pt_ctx *c, struct penv_irte *pi, u8 vector,
			  bool post_after_check, bool wrong_order,
			  unsigned int wait_ms, struct pt_block *b)
{
	struct amd_ga_vcpu *v = c->vcpu[0];
	int n = atomic_read(&c->notified[0]);
	void *page = c->page[0];
	bool raised = false;
	unsigned long end;

	memset(b, 0, sizeof(*b));
	b->res = AMD_GA_MODEL_NR_RESULTS;
	/* The last round left the vCPU blocking: only unblocking ends that. */
	amd_ga_vcpu_unblocking(v, 2);
	if (wrong_order) {
		b->pending = amd_ga_vapic_irr_test(page, vector);
		b->res = penv_raise(&c->env, pi);
		raised = true;
		amd_ga_vcpu_blocking(v);
	} else {
		amd_ga_vcpu_blocking(v);
		if (!post_after_check) {
			b->res = penv_raise(&c->env, pi);
			raised = true;
		}
		b->pending = amd_ga_vapic_irr_test(page, vector);
	}

	/* Sleep as kvm_vcpu_block() does, unless the IRR check found it. */
	end = jiffies + msecs_to_jiffies(wait_ms);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!raised) {
			/* The interrupt arrives while the vCPU goes to sleep. */
			b->res = penv_raise(&c->env, pi);
			raised = true;
		}
		b->woken = atomic_read(&c->notified[0]) > n;
		if (b->woken || time_after(jiffies, end))
			break;
		/* Blocking and not logged: no wake-up can come. */
		if (!wrong_order && b->res != AMD_GA_MODEL_LOGGED)
			break;
		/* Found by the IRR check: only the GA log entry is awaited. */
		schedule_timeout(msecs_to_jiffies(b->pending ? 1 : 10));
	}
	__set_current_state(TASK_RUNNING);
	b->irr = amd_ga_vapic_irr_test_and_clear(page, vector);
	if (wrong_order)
		return b->pending || b->woken;
	return b->res == AMD_GA_MODEL_LOGGED && b->woken && (b->pending || b->irr);
}

/*
 * The blocking window, many times, with the interrupt posted before and
 * after the final IRR check: nothing is lost, and each interrupt posted
 * after the check is delivered by a GA log wake-up. The first loss ends
 * the case, naming the vCPU, the vector and what the model did.
 */
static void pt_blocking_window(struct kunit *test)
{
	struct pt_ctx *c = test->priv;
	struct penv_irte *pi = pt_irte(test, 1, 70);
	struct pt_block b;
	unsigned int i;
	bool after;
	u64 cmds;

	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[0], pi->p, 0xa0), 0);
	c->wake = current;
	cmds = penv_commands(&c->env);
	for (i = 0; i < 400; i++) {
		after = i & 1;
		if (pt_block_once(c, pi, 0xa0, after, false, PT_WAIT_MS, &b))
			continue;
		if (b.res != AMD_GA_MODEL_LOGGED)
			KUNIT_FAIL(test,
				   "round %u: lost wakeup of blocking vCPU 0 (GATag %#x) vector 0xa0 posted %s the final IRR check: the model did not log it (%s)",
				   i, pt_tag(c, 0), after ? "after" : "before",
				   pt_result_name[b.res]);
		else
			KUNIT_FAIL(test,
				   "round %u: lost wakeup of blocking vCPU 0 (GATag %#x) vector 0xa0 posted %s the final IRR check: logged, IRR check %s, notifier %s within %u ms, vector %s",
				   i, pt_tag(c, 0), after ? "after" : "before",
				   b.pending ? "found it" : "did not",
				   b.woken ? "called" : "not called", PT_WAIT_MS,
				   b.irr ? "in the IRR" : "gone from the IRR");
		break;
	}
	c->wake = NULL;
	KUNIT_EXPECT_EQ(test, penv_commands(&c->env), cmds);
}

/*
 * The same window with the IRR checked before the IRTEs are switched to
 * blocking: interrupts posted in between ring a doorbell nobody answers
 * and are lost. The window test above would see that.
 */
static void pt_blocking_wrong_order_loses(struct kunit *test)
{
	struct pt_ctx *c = test->priv;
	struct penv_irte *pi = pt_irte(test, 1, 71);
	unsigned int i, lost = 0;
	struct pt_block b;

	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[0], pi->p, 0xa1), 0);
	c->wake = current;
	/* Each waits the full 300 ms for a wake-up that must not come. */
	for (i = 0; i < 3; i++)
		if (!pt_block_once(c, pi, 0xa1, false, true, 300, &b))
			lost++;
	c->wake = NULL;
	KUNIT_EXPECT_EQ(test, lost, 3U);
}

/*
 * Lossless recovery for IRTEs driven per IRTE: after the GA log dropped
 * entries, blocking vCPUs with a pending vector are handed to the
 * notifier; running and preempted ones are not.
 */
static void pt_recover_per_irte(struct kunit *test)
{
	struct pt_ctx *c = test->priv;
	struct penv_irte *blk = pt_irte(test, 1, 80), *pre = pt_irte(test, 1, 81);
	struct penv_irte *run = pt_irte(test, 1, 82);
	struct amd_ga_pi_data req;
	unsigned int woken;

	req = pt_pi(c, 1, 0xb0, -1, true);
	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(blk), &req), 0);
	req = pt_pi(c, 2, 0xb1, -1, false);
	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(pre), &req), 0);
	req = pt_pi(c, 3, 0xb2, 4, false);
	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(run), &req), 0);

	/* Nothing pending: nobody to wake. */
	KUNIT_EXPECT_EQ(test, amd_ga_posted_recover(), 0U);
	amd_ga_vapic_irr_set(c->page[1], 0xb0);
	amd_ga_vapic_irr_set(c->page[2], 0xb1);
	amd_ga_vapic_irr_set(c->page[3], 0xb2);
	woken = amd_ga_posted_recover();
	KUNIT_EXPECT_EQ(test, woken, 1U);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->notified[1]), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->notified[2]), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->notified[3]), 0);
	amd_ga_vapic_irr_test_and_clear(c->page[1], 0xb0);
	amd_ga_vapic_irr_test_and_clear(c->page[2], 0xb1);
	amd_ga_vapic_irr_test_and_clear(c->page[3], 0xb2);
}

/* Wait until @cnt exceeds @old; false on timeout. */
static bool pt_wait_above64(atomic64_t *cnt, s64 old)
{
	s64 v;

	return !read_poll_timeout(atomic64_read, v, v > old, 200,
				  PT_WAIT_MS * USEC_PER_MSEC, false, cnt);
}

/*
 * One GA log overflow that only recovery can answer: with the IRQ thread
 * held off, the log is filled with entries for vCPU 3, then the device
 * behind a posted IRTE of blocking vCPU @v raises its interrupt and the
 * model drops the entry. Once the thread runs it drains vCPU 3's entries,
 * sees GALOverflow, restarts the log and, with recovery on, hands vCPU @v
 * to the notifier through amd_ga_posted_recover(). Returns how often vCPU
 * @v was notified.
 */
static int pt_overflow_once(struct kunit *test, unsigned int v, bool recovery)
{
	struct pt_ctx *c = test->priv;
	struct amd_ga_galog *gl = c->env.iommu->galog;
	struct amd_ga_stats *st = &c->env.iommu->stats;
	struct penv_irte *blk = pt_irte(test, 1, 90 + v);
	struct amd_ga_pi_data req = pt_pi(c, v, 0xb4, -1, true);
	u64 filler = FIELD_PREP(AMD_GA_GALOG_ENT_GATAG, pt_tag(c, 3)) |
		     FIELD_PREP(AMD_GA_GALOG_ENT_DEVID, PENV_DEVID_BASE) |
		     FIELD_PREP(AMD_GA_GALOG_ENT_CODE, AMD_GA_GALOG_CODE_GUEST_NR);
	s64 overflows = atomic64_read(&st->galog_overflows);
	enum amd_ga_model_result res;
	int n = atomic_read(&c->notified[v]);
	unsigned int i, logged = 0;

	KUNIT_ASSERT_NOT_NULL(test, gl);
	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(pt_host_irq(blk), &req), 0);
	amd_ga_galog_set_recovery(gl, recovery);

	mutex_lock(&gl->drain_lock);
	/* A full log holds one entry less than its size. */
	for (i = 0; i < AMD_GA_GALOG_ENTRIES - 1; i++)
		if (!amd_ga_model_galog_inject(c->env.model, filler))
			logged++;
	res = penv_raise(&c->env, blk);
	mutex_unlock(&gl->drain_lock);

	KUNIT_EXPECT_EQ(test, logged, AMD_GA_GALOG_ENTRIES - 1);
	KUNIT_EXPECT_EQ(test, res, AMD_GA_MODEL_LOG_FULL);
	KUNIT_EXPECT_TRUE(test, amd_ga_vapic_irr_test(c->page[v], 0xb4));
	KUNIT_EXPECT_TRUE_MSG(test, pt_wait_above64(&st->galog_overflows, overflows),
			      "GA log overflow (vCPU %u's entry, vector 0xb4, dropped) not handled within %u ms",
			      v, PT_WAIT_MS);
	/* The pass that saw the overflow, restart and recovery included, ends. */
	mutex_lock(&gl->drain_lock);
	mutex_unlock(&gl->drain_lock);

	amd_ga_galog_set_recovery(gl, true);
	amd_ga_vapic_irr_test_and_clear(c->page[v], 0xb4);
	return atomic_read(&c->notified[v]) - n;
}

/*
 * The GA log overflow reaches per-IRTE recovery: the blocking vCPU whose
 * entry was dropped is notified once. With recovery switched off the
 * same sequence leaves it asleep with its interrupt pending: the case
 * can see a lost wakeup.
 */
static void pt_overflow_recovers_per_irte(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pt_overflow_once(test, 1, false), 0);
	KUNIT_EXPECT_EQ(test, pt_overflow_once(test, 2, true), 1);
}

static struct kunit_case amd_ga_posted_cases[] = {
	KUNIT_CASE(pt_irq_affinity_and_update_ga),
	KUNIT_CASE_PARAM(pt_update_ga_fields, pt_update_gen_params),
	KUNIT_CASE(pt_reactivate),
	KUNIT_CASE(pt_deactivate_and_release),
	KUNIT_CASE(pt_route_errors),
	KUNIT_CASE(pt_null_posted),
	KUNIT_CASE(pt_entry_one_writer),
	KUNIT_CASE(pt_hot_path_no_commands),
	KUNIT_CASE(pt_update_ga_no_commands),
	KUNIT_CASE(pt_attach_applies_state),
	KUNIT_CASE(pt_move_between_vcpus),
	KUNIT_CASE(pt_list_errors),
	KUNIT_CASE(pt_registration),
	KUNIT_CASE(pt_route_change_wakes_old_vcpu),
	KUNIT_CASE(pt_blocking_window),
	KUNIT_CASE(pt_blocking_wrong_order_loses),
	KUNIT_CASE(pt_recover_per_irte),
	KUNIT_CASE(pt_overflow_recovers_per_irte),
	{}
};

static struct kunit_suite amd_ga_posted_suite = {
	.name		= "amd_ga_posted",
	.init		= pt_init,
	.exit		= pt_exit,
	.test_cases	= amd_ga_posted_cases,
};

kunit_test_suite(amd_ga_posted_suite);
