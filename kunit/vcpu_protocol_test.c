// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the per-vCPU run-state protocol (load, put, blocking,
 * unblocking) loses no wakeup in any order of calls.
 *
 * Every sequence of PROTO_LEN calls over the alphabet below is made on a
 * vCPU record with two posted IRTEs attached, and after every call each
 * IRTE's device raises an interrupt on the model. What the IOMMU then
 * does must be what the caller's state asks for, judged from the calls
 * alone, the way KVM sees them:
 *
 * - inside a block window (blocking called, unblocking not since): the
 *   IOMMU writes a GA log entry (or drops it on a full log) AND lossless
 *   recovery would find the vCPU (blocked, vector pending in its IRR),
 *   so neither a logged nor a dropped entry becomes a lost wakeup;
 * - otherwise, after a load or unblocking on APIC ID a with no put since:
 *   the doorbell of a;
 * - otherwise (never loaded, or put): only the IRR.
 *
 * Why PROTO_LEN = 5 is enough: the protocol has three states (stopped,
 * running on a given APIC ID, blocked), each reached from the start in
 * at most one call, so sequences of two calls already take every call
 * from every state, and the lost wakeups seen so far needed three calls
 * (blocking, load, put). Five calls take every sequence of three calls
 * from every state, with the Destination changing in between.
 */
#include <kunit/test.h>
#include <linux/amd-ga.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/slab.h>

#include "posted_env.h"
#include "vapic.h"

#define PROTO_LEN	5
#define PROTO_NIRTES	2
#define PROTO_VEC0	0x61	/* vector of IRTE i: PROTO_VEC0 + i */

enum proto_call {
	PROTO_LOAD_1,		/* amd_ga_vcpu_load(apic 1) */
	PROTO_LOAD_2,		/* amd_ga_vcpu_load(apic 2) */
	PROTO_PUT,
	PROTO_BLOCKING,
	PROTO_UNBLOCKING_3,	/* amd_ga_vcpu_unblocking(apic 3) */
	PROTO_NR_CALLS
};

static const char *const proto_names[PROTO_NR_CALLS] = {
	"load(1)", "load(2)", "put", "blocking", "unblocking(3)",
};

/**
 * struct proto_ctx - the case's model, VM, vCPU and IRTEs
 * @env: model and tables
 * @vm: a VM in the GATag registry
 * @vcpu: its one vCPU
 * @page: the vCPU's backing page
 * @irte: posted IRTEs attached to @vcpu
 * @wakes: GA log notifier calls for @vcpu's tag
 * @last_dest: destination of the last doorbell the model rang
 */
struct proto_ctx {
	struct penv env;
	struct amd_ga_vm *vm;
	struct amd_ga_vcpu *vcpu;
	void *page;
	struct penv_irte irte[PROTO_NIRTES];
	atomic_t wakes;
	u32 last_dest;
};

/* The notifier is global: the running case's context. */
static struct proto_ctx *proto_current;

static int proto_notifier(u32 ga_tag)
{
	struct proto_ctx *c = READ_ONCE(proto_current);

	if (!c || ga_tag != amd_ga_vcpu_ga_tag(c->vcpu))
		return -ENOENT;
	atomic_inc(&c->wakes);
	return 0;
}

static void proto_doorbell(void *ctx, u32 dest)
{
	struct proto_ctx *c = ctx;

	WRITE_ONCE(c->last_dest, dest);
}

static const struct amd_ga_model_ops proto_model_ops = {
	.doorbell = proto_doorbell,
};

static int proto_init(struct kunit *test)
{
	struct proto_ctx *c;
	unsigned int i;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	test->priv = c;
	if (penv_init(&c->env, PROTO_NIRTES, false, &proto_model_ops, c))
		return -ENODEV;
	c->page = (void *)get_zeroed_page(GFP_KERNEL);
	c->vm = amd_ga_vm_create(1, c);
	if (!c->page || IS_ERR(c->vm)) {
		c->vm = NULL;
		return -ENOMEM;
	}
	c->vcpu = amd_ga_vcpu_create(c->vm, 0, c);
	if (IS_ERR(c->vcpu)) {
		c->vcpu = NULL;
		return -ENOMEM;
	}
	amd_ga_vcpu_set_backing(c->vcpu, c->page);
	for (i = 0; i < PROTO_NIRTES; i++) {
		if (penv_irte_create(&c->env, i, 20 + i, -1, &c->irte[i]))
			return -ENODEV;
		if (amd_ga_vcpu_attach_irte(c->vcpu, c->irte[i].p,
					    PROTO_VEC0 + i))
			return -ENODEV;
	}
	WRITE_ONCE(proto_current, c);
	amd_ga_register_ga_log_notifier(proto_notifier);
	return 0;
}

static void proto_exit(struct kunit *test)
{
	struct proto_ctx *c = test->priv;
	unsigned int i;

	if (!c)
		return;
	amd_ga_register_ga_log_notifier(NULL);
	WRITE_ONCE(proto_current, NULL);
	for (i = 0; i < PROTO_NIRTES; i++) {
		if (c->vcpu && c->irte[i].p)
			amd_ga_vcpu_detach_irte(c->vcpu, c->irte[i].p);
		penv_irte_destroy(&c->irte[i]);
	}
	amd_ga_vcpu_destroy(c->vcpu);
	amd_ga_vm_destroy(c->vm);
	synchronize_rcu();
	penv_exit(&c->env);
	free_page((unsigned long)c->page);
}

/**
 * struct proto_view - the caller's state, from its own calls
 * @window: in a block window (blocking called, unblocking not since)
 * @running: loaded or unblocked on @apic, not put since
 * @apic: the APIC ID of the last load or unblocking
 */
struct proto_view {
	bool window;
	bool running;
	u32 apic;
};

static int proto_do(struct proto_ctx *c, enum proto_call call,
		    struct proto_view *view)
{
	switch (call) {
	case PROTO_LOAD_1:
	case PROTO_LOAD_2:
		/* A load in the block window is the task being scheduled in. */
		if (!view->window) {
			view->running = true;
			view->apic = call == PROTO_LOAD_1 ? 1 : 2;
		}
		return amd_ga_vcpu_load(c->vcpu, call == PROTO_LOAD_1 ? 1 : 2);
	case PROTO_PUT:
		view->running = false;
		return amd_ga_vcpu_put(c->vcpu);
	case PROTO_BLOCKING:
		view->window = true;
		view->running = false;
		return amd_ga_vcpu_blocking(c->vcpu);
	case PROTO_UNBLOCKING_3:
		view->window = false;
		view->running = true;
		view->apic = 3;
		return amd_ga_vcpu_unblocking(c->vcpu, 3);
	default:
		return -EINVAL;
	}
}

static void proto_describe(const u8 *seq, unsigned int n, char *buf,
			   size_t len)
{
	unsigned int i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < n && at < len; i++)
		at += scnprintf(buf + at, len - at, "%s%s", i ? ", " : "",
				proto_names[seq[i]]);
}

/*
 * One device interrupt per IRTE; NULL if the IOMMU did what @view asks
 * for, else what went wrong (@which names the IRTE, @result what the
 * model did with its interrupt).
 */
static const char *proto_check(struct proto_ctx *c,
			       const struct proto_view *view,
			       unsigned int *which,
			       enum amd_ga_model_result *result)
{
	enum amd_ga_model_result r;
	unsigned int i;
	u8 vec;

	for (i = 0; i < PROTO_NIRTES; i++) {
		*which = i;
		vec = PROTO_VEC0 + i;
		WRITE_ONCE(c->last_dest, 0);
		r = penv_raise(&c->env, &c->irte[i]);
		*result = r;
		if (view->window) {
			/*
			 * Logged, or dropped by a log that is full or being
			 * restarted after an overflow (this case fills it):
			 * then recovery, which runs after the restart, must
			 * find the vCPU.
			 */
			if (r != AMD_GA_MODEL_LOGGED && r != AMD_GA_MODEL_LOG_FULL &&
			    r != AMD_GA_MODEL_LOG_OFF)
				return "a blocked vCPU's interrupt was not logged: lost wakeup";
			if (!amd_ga_vcpu_needs_wake(c->vcpu))
				return "recovery would not find the blocked vCPU";
		} else if (view->running) {
			if (r != AMD_GA_MODEL_DOORBELL)
				return "a running vCPU's interrupt rang no doorbell";
			if (READ_ONCE(c->last_dest) != view->apic)
				return "the doorbell went to another pCPU";
		} else if (r != AMD_GA_MODEL_IRR_ONLY) {
			return "a stopped vCPU's interrupt did more than set the IRR";
		}
		if (!amd_ga_vapic_irr_test_and_clear(c->page, vec))
			return "the IOMMU did not set the vector in the IRR";
	}
	return NULL;
}

/* Back to stopped (never loaded) whatever the last sequence left. */
static void proto_reset(struct proto_ctx *c)
{
	amd_ga_vcpu_unblocking(c->vcpu, 3);
	amd_ga_vcpu_put(c->vcpu);
}

/*
 * Every sequence of PROTO_LEN calls, an interrupt per IRTE after each
 * call: PROTO_NR_CALLS^PROTO_LEN sequences, and with them every shorter
 * one as a prefix.
 */
static void proto_every_order(struct kunit *test)
{
	struct proto_ctx *c = test->priv;
	enum amd_ga_model_result result = AMD_GA_MODEL_NR_RESULTS;
	unsigned int total = 1, s, i, which = 0, checked = 0;
	struct proto_view view;
	const char *why = NULL;
	u8 seq[PROTO_LEN];
	char desc[160];
	u32 code;

	for (i = 0; i < PROTO_LEN; i++)
		total *= PROTO_NR_CALLS;
	for (s = 0; s < total && !why; s++) {
		for (i = 0, code = s; i < PROTO_LEN; i++, code /= PROTO_NR_CALLS)
			seq[i] = code % PROTO_NR_CALLS;
		proto_reset(c);
		view = (struct proto_view){};
		for (i = 0; i < PROTO_LEN && !why; i++) {
			/* -ERANGE only for APIC IDs above 255 without XTEn. */
			KUNIT_ASSERT_EQ(test, proto_do(c, seq[i], &view), 0);
			why = proto_check(c, &view, &which, &result);
			checked++;
		}
		if (s % 256 == 255)
			cond_resched();
	}
	if (why) {
		proto_describe(seq, i, desc, sizeof(desc));
		KUNIT_FAIL(test,
			   "after %s: IRTE %u (vector %#x, vCPU tag %#x): %s (model result %d)",
			   desc, which, PROTO_VEC0 + which,
			   amd_ga_vcpu_ga_tag(c->vcpu), why, result);
	}
	KUNIT_EXPECT_EQ(test, checked, total * PROTO_LEN);
	kunit_info(test, "%u sequences of %u calls, %u interrupts checked\n",
		   total, PROTO_LEN, checked * PROTO_NIRTES);
}

/*
 * KVM's own block window, one at a time: the vCPU blocks, its task is
 * put when it schedules out, loaded and put again when it is preempted
 * inside the window; an interrupt then must still wake it through the
 * GA log notifier.
 */
static void proto_put_in_block_window_wakes(struct kunit *test)
{
	struct proto_ctx *c = test->priv;
	int before = atomic_read(&c->wakes), now;
	unsigned long end;

	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_load(c->vcpu, 1), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_blocking(c->vcpu), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_put(c->vcpu), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_load(c->vcpu, 2), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_put(c->vcpu), 0);
	KUNIT_ASSERT_EQ(test, penv_raise(&c->env, &c->irte[0]),
			AMD_GA_MODEL_LOGGED);
	/* The GA interrupt thread drains the entry: a short bound. */
	end = jiffies + msecs_to_jiffies(2000);
	while ((now = atomic_read(&c->wakes)) == before &&
	       time_before(jiffies, end))
		usleep_range(200, 400);
	KUNIT_EXPECT_GT_MSG(test, now, before,
			    "vCPU tag %#x, vector %#x: no GA log wake-up within 2 s",
			    amd_ga_vcpu_ga_tag(c->vcpu), PROTO_VEC0);
	KUNIT_EXPECT_TRUE(test, amd_ga_vapic_irr_test_and_clear(c->page,
								PROTO_VEC0));
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_unblocking(c->vcpu, 2), 0);
	KUNIT_EXPECT_EQ(test, penv_raise(&c->env, &c->irte[0]),
			AMD_GA_MODEL_DOORBELL);
	KUNIT_EXPECT_EQ(test, READ_ONCE(c->last_dest), 2U);
	amd_ga_vapic_irr_test_and_clear(c->page, PROTO_VEC0);
}

/*
 * A vCPU's list may also hold entries that are no posted IRTE (added
 * with amd_ga_vcpu_add_irte(), whose owner writes the IRTE itself): the
 * run-state calls must write only the posted IRTEs, and the calls that
 * would bypass a posted IRTE's lock refuse its node.
 */
static void proto_foreign_entry_untouched(struct kunit *test)
{
	struct proto_ctx *c = test->priv;
	struct amd_ga_vcpu_irte *bare;

	/* Alone in its allocation: KASAN sees any access around it. */
	bare = kzalloc(sizeof(*bare), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bare);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_add_irte(c->vcpu, bare, 0x70), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_load(c->vcpu, 1), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_blocking(c->vcpu), 0);
	KUNIT_EXPECT_EQ(test, penv_raise(&c->env, &c->irte[1]),
			AMD_GA_MODEL_LOGGED);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_put(c->vcpu), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_unblocking(c->vcpu, 2), 0);
	KUNIT_EXPECT_EQ(test, penv_raise(&c->env, &c->irte[1]),
			AMD_GA_MODEL_DOORBELL);
	KUNIT_EXPECT_PTR_EQ(test, bare->posted, NULL);
	KUNIT_EXPECT_EQ(test, bare->vector, 0x70);
	amd_ga_vapic_irr_test_and_clear(c->page, PROTO_VEC0 + 1);

	/* Posted IRTEs are attached: their state is not the caller's to set. */
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_set_blocked(c->vcpu, true), -EBUSY);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_add_irte(c->vcpu, &c->irte[0].p->vnode,
						   0x71), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_del_irte(c->vcpu, &c->irte[0].p->vnode),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_del_irte(c->vcpu, bare), 0);
	kfree(bare);
}

static struct kunit_case proto_cases[] = {
	KUNIT_CASE(proto_every_order),
	KUNIT_CASE(proto_put_in_block_window_wakes),
	KUNIT_CASE(proto_foreign_entry_untouched),
	{}
};

static struct kunit_suite amd_ga_vcpu_protocol_suite = {
	.name = "amd_ga_vcpu_protocol",
	.init = proto_init,
	.exit = proto_exit,
	.test_cases = proto_cases,
};

kunit_test_suite(amd_ga_vcpu_protocol_suite);
