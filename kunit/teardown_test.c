// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: VM, vCPU and posted IRTE teardown on the software IOMMU model.
 *
 * Whatever order a hypervisor tears down in (Linux 6.1's kvm_amd destroys
 * the VM's arch state before its vCPUs), no IRTE may keep posting into a
 * backing page once the vCPU or VM it posted to is destroyed: the device's
 * next interrupt must be remapped to the host vector, not set a bit in a
 * page the hypervisor frees. vCPU records stay valid until their own
 * destroy, also after their VM's; calls on them in between fail cleanly
 * or do nothing. Every order of {VM destroy, vCPU 0 destroy, vCPU 1
 * destroy, one IRTE operation} is made, checking the IRTEs, the lists and
 * the registry after every step (with KASAN on in the KUnit kernel), and a
 * detach/attach loop races with VM destroy. Also: attach reports what it
 * did when only the invalidation timed out, and the owner's destroy of a
 * posted IRTE wakes the vCPU its vector was left pending in.
 */
#include <kunit/test.h>
#include <linux/amd-ga.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mem_encrypt.h>
#include <linux/random.h>
#include <linux/sched.h>

#include "cmdq.h"
#include "dispatch.h"
#include "hw.h"
#include "iommu.h"
#include "posted_env.h"
#include "vapic.h"

#define TD_NVCPUS	2
#define TD_NIRTES	3
#define TD_INDEX0	40		/* IRT index of IRTE 0; IRTE i at + i */
#define TD_IRQ_BASE	0x7d000000	/* host IRQ numbers nothing else uses */
#define TD_WAIT_MS	3000
#define TD_RACE_ROUNDS	200
#define TD_RACE_MS	8000

/* Every guest vector a case posts with: none may show up after teardown. */
static const u8 td_vecs[] = { 0x51, 0x52, 0x53, 0x54 };

/**
 * struct td_ctx - one case's model, VM, vCPUs and IRTEs
 * @env: model and one table (XTEn)
 * @page: the vCPUs' backing pages; freed only when the case ends, so that
 *	a post into a "freed" page is seen instead of corrupting memory
 * @vm: the VM, NULL once destroyed
 * @vcpu: its vCPU records, NULL once destroyed
 * @tag: their GATags
 * @irte: posted IRTEs, remapped to PENV_HOST_VECTOR when not posted
 * @notified: GA log notifier calls by vCPU (TD_NVCPUS: other tags)
 * @delivered: remapped interrupts the model delivered to the host
 * @last_vector: host vector of the last one
 */
struct td_ctx {
	struct penv env;
	void *page[TD_NVCPUS];
	struct amd_ga_vm *vm;
	struct amd_ga_vcpu *vcpu[TD_NVCPUS];
	u32 tag[TD_NVCPUS];
	struct penv_irte irte[TD_NIRTES];
	atomic_t notified[TD_NVCPUS + 1];
	atomic_t delivered;
	u32 last_vector;
};

/* The GA log notifier is global: the running case's context. */
static struct td_ctx *td_current;

static int td_notifier(u32 ga_tag)
{
	struct td_ctx *c = READ_ONCE(td_current);
	unsigned int v;

	if (!c)
		return -ENOENT;
	for (v = 0; v < TD_NVCPUS; v++)
		if (ga_tag == READ_ONCE(c->tag[v]))
			break;
	atomic_inc(&c->notified[v]);
	return amd_ga_vcpu_lookup(ga_tag) ? 0 : -ENOENT;
}

static void td_deliver(void *ctx, u32 vector, u32 dest, bool dest_logical)
{
	struct td_ctx *c = ctx;

	WRITE_ONCE(c->last_vector, vector);
	atomic_inc(&c->delivered);
}

static const struct amd_ga_model_ops td_model_ops = {
	.deliver	= td_deliver,
};

static int td_irte_create(struct td_ctx *c, unsigned int i)
{
	return penv_irte_create(&c->env, 0, TD_INDEX0 + i, TD_IRQ_BASE + i,
				&c->irte[i]);
}

static int td_init(struct kunit *test)
{
	struct td_ctx *c;
	unsigned int i;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	test->priv = c;
	if (penv_init(&c->env, 1, false, &td_model_ops, c))
		return -ENODEV;
	for (i = 0; i < TD_NVCPUS; i++) {
		c->page[i] = (void *)get_zeroed_page(GFP_KERNEL);
		if (!c->page[i])
			return -ENOMEM;
	}
	for (i = 0; i < TD_NIRTES; i++)
		if (td_irte_create(c, i))
			return -ENODEV;
	WRITE_ONCE(td_current, c);
	amd_ga_register_ga_log_notifier(td_notifier);
	return 0;
}

/* Destroy what is left of the VM: its vCPUs, then the VM. */
static void td_vm_down(struct td_ctx *c)
{
	unsigned int v;

	for (v = 0; v < TD_NVCPUS; v++) {
		amd_ga_vcpu_destroy(c->vcpu[v]);
		c->vcpu[v] = NULL;
	}
	amd_ga_vm_destroy(c->vm);
	c->vm = NULL;
}

static void td_exit(struct kunit *test)
{
	struct td_ctx *c = test->priv;
	unsigned int i;

	if (!c)
		return;
	amd_ga_register_ga_log_notifier(NULL);
	WRITE_ONCE(td_current, NULL);
	td_vm_down(c);
	for (i = 0; i < TD_NIRTES; i++) {
		if (c->irte[i].p)
			amd_ga_irq_set_vcpu_affinity(TD_IRQ_BASE + i, NULL);
		penv_irte_destroy(&c->irte[i]);
	}
	synchronize_rcu();
	penv_exit(&c->env);
	for (i = 0; i < TD_NVCPUS; i++)
		free_page((unsigned long)c->page[i]);
}

/* A VM with TD_NVCPUS vCPU records, each with its backing page. */
static void td_vm_up(struct kunit *test, struct td_ctx *c)
{
	unsigned int v;

	c->vm = amd_ga_vm_create(TD_NVCPUS, c);
	if (IS_ERR(c->vm))
		c->vm = NULL;
	KUNIT_ASSERT_NOT_NULL_MSG(test, c->vm, "no VM");
	for (v = 0; v < TD_NVCPUS; v++) {
		c->vcpu[v] = amd_ga_vcpu_create(c->vm, v, c);
		if (IS_ERR(c->vcpu[v]))
			c->vcpu[v] = NULL;
		KUNIT_ASSERT_NOT_NULL_MSG(test, c->vcpu[v], "no vCPU %u", v);
		amd_ga_vcpu_set_backing(c->vcpu[v], c->page[v]);
		WRITE_ONCE(c->tag[v], amd_ga_vcpu_ga_tag(c->vcpu[v]));
	}
}

/* The owner destroyed IRTE @i: register its entry again. */
static void td_irte_renew(struct kunit *test, struct td_ctx *c, unsigned int i)
{
	amd_ga_irte_free(&c->irte[i].ref);
	c->irte[i].p = NULL;
	KUNIT_ASSERT_EQ(test, td_irte_create(c, i), 0);
}

static struct amd_ga_irte_fields td_fields(struct td_ctx *c, unsigned int i)
{
	struct amd_ga_irte v = penv_read(&c->irte[i]);
	struct amd_ga_irte_fields f;

	amd_ga_irte_decode(&v, &f);
	return f;
}

static struct amd_ga_vcpu *td_lookup(u32 tag)
{
	struct amd_ga_vcpu *v;

	rcu_read_lock();
	v = amd_ga_vcpu_lookup(tag);
	rcu_read_unlock();
	return v;
}

static unsigned int td_list_len(struct amd_ga_vcpu *v)
{
	struct amd_ga_vcpu_irte *n;
	unsigned int len = 0;
	unsigned long flags;

	raw_spin_lock_irqsave(&v->lock, flags);
	list_for_each_entry(n, &v->irtes, node)
		len++;
	raw_spin_unlock_irqrestore(&v->lock, flags);
	return len;
}

/*
 * IRTE @i is back on the host's route: remapped to the host vector, on no
 * vCPU's list, and its device's interrupt reaches the host and sets no IRR
 * bit in any backing page. @owned: the owner has not destroyed it (its
 * object may be gone otherwise).
 */
static bool td_expect_host(struct kunit *test, struct td_ctx *c,
			   unsigned int i, bool owned, const char *when)
{
	struct amd_ga_irte_fields f = td_fields(c, i);
	int n = atomic_read(&c->delivered);
	enum amd_ga_model_result res;
	bool ok = true, set;
	unsigned int v, k;

	if (f.mode != AMD_GA_IRTE_REMAPPED ||
	    f.remap.vector != PENV_HOST_VECTOR) {
		KUNIT_FAIL(test, "%s: IRTE %u in mode %d (GATag %#x), not remapped",
			   when, i, f.mode, f.guest.ga_tag);
		ok = false;
	}
	if (owned && READ_ONCE(c->irte[i].p->vnode.vcpu)) {
		KUNIT_FAIL(test, "%s: IRTE %u is still on a vCPU's list", when, i);
		ok = false;
	}
	res = penv_raise(&c->env, &c->irte[i]);
	if (res != AMD_GA_MODEL_REMAPPED || atomic_read(&c->delivered) != n + 1 ||
	    READ_ONCE(c->last_vector) != PENV_HOST_VECTOR) {
		KUNIT_FAIL(test, "%s: IRTE %u's interrupt: model result %d, not the host's",
			   when, i, res);
		ok = false;
	}
	for (v = 0; v < TD_NVCPUS; v++)
		for (k = 0; k < ARRAY_SIZE(td_vecs); k++) {
			set = amd_ga_vapic_irr_test_and_clear(c->page[v], td_vecs[k]);
			if (set) {
				KUNIT_FAIL(test, "%s: IRTE %u set vector %#x in vCPU %u's page",
					   when, i, td_vecs[k], v);
				ok = false;
			}
		}
	return ok;
}

/* IRTE @i posts to vCPU @v: that vCPU's page, GATag and list. */
static void td_expect_on(struct kunit *test, struct td_ctx *c, unsigned int i,
			 unsigned int v, const char *when)
{
	struct amd_ga_irte_fields f = td_fields(c, i);

	KUNIT_EXPECT_EQ_MSG(test, f.mode, AMD_GA_IRTE_GUEST, "%s: IRTE %u", when, i);
	KUNIT_EXPECT_EQ_MSG(test, f.guest.ga_tag, c->tag[v], "%s: IRTE %u", when, i);
	KUNIT_EXPECT_EQ_MSG(test, f.guest.ga_root_pa,
			    (u64)__sme_set(virt_to_phys(c->page[v])),
			    "%s: IRTE %u", when, i);
	KUNIT_EXPECT_PTR_EQ_MSG(test, READ_ONCE(c->irte[i].p->vnode.vcpu),
				c->vcpu[v], "%s: IRTE %u", when, i);
}

/* Wait until @cnt exceeds @old; false on timeout. */
static bool td_wait_above(atomic_t *cnt, int old)
{
	int v;

	return !read_poll_timeout(atomic_read, v, v > old, 100,
				  TD_WAIT_MS * USEC_PER_MSEC, false, cnt);
}

/*
 * The vCPU's own destroy gives its IRTEs back to the host before it
 * returns: the device's next interrupt is remapped, and the IRR of the
 * page the hypervisor frees next stays untouched. The other vCPU's IRTE
 * is left alone, and the released IRTEs can be posted again.
 */
static void td_vcpu_destroy_reverts(struct kunit *test)
{
	struct td_ctx *c = test->priv;
	struct amd_ga_vcpu *v0;
	u32 tag0;

	td_vm_up(test, c);
	v0 = c->vcpu[0];
	tag0 = c->tag[0];
	/* vCPU 0 blocks: a posted interrupt would be logged, vCPU 1 runs. */
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_load(v0, 3), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(v0, c->irte[0].p, 0x51), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(v0, c->irte[1].p, 0x52), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_blocking(v0), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_load(c->vcpu[1], 4), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[1], c->irte[2].p, 0x53), 0);
	td_expect_on(test, c, 0, 0, "before");
	KUNIT_EXPECT_EQ(test, v0->nr_irtes, 2U);

	amd_ga_vcpu_destroy(v0);
	c->vcpu[0] = NULL;
	KUNIT_EXPECT_NULL(test, td_lookup(tag0));
	td_expect_host(test, c, 0, true, "vCPU 0 destroyed");
	td_expect_host(test, c, 1, true, "vCPU 0 destroyed");

	td_expect_on(test, c, 2, 1, "vCPU 0 destroyed");
	KUNIT_EXPECT_EQ(test, penv_raise(&c->env, &c->irte[2]), AMD_GA_MODEL_DOORBELL);
	KUNIT_EXPECT_TRUE(test, amd_ga_vapic_irr_test_and_clear(c->page[1], 0x53));

	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[1], c->irte[0].p, 0x51), 0);
	KUNIT_EXPECT_EQ(test, c->vcpu[1]->nr_irtes, 2U);
	td_expect_on(test, c, 0, 1, "posted again");
}

/*
 * Linux 6.1's order: the VM first. Its IRTEs go back to the host at once,
 * lookups fail, and the vCPU records stay valid (also after a grace
 * period) until their own destroy; on them attach fails, detach finds
 * nothing, load/put/blocking/unblocking write nothing.
 */
static void td_vm_destroy_first(struct kunit *test)
{
	struct td_ctx *c = test->priv;
	struct amd_ga_irte before[TD_NIRTES], now;
	struct amd_ga_vcpu *v0, *v1;
	unsigned int i;

	td_vm_up(test, c);
	v0 = c->vcpu[0];
	v1 = c->vcpu[1];
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_load(v0, 3), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(v0, c->irte[0].p, 0x51), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_blocking(v1), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(v1, c->irte[1].p, 0x52), 0);

	amd_ga_vm_destroy(c->vm);
	c->vm = NULL;
	KUNIT_EXPECT_NULL(test, td_lookup(c->tag[0]));
	KUNIT_EXPECT_NULL(test, td_lookup(c->tag[1]));
	for (i = 0; i < TD_NIRTES; i++)
		td_expect_host(test, c, i, true, "VM destroyed");

	/* Freed records would be gone after this (KASAN reports their use). */
	rcu_barrier();
	KUNIT_EXPECT_TRUE(test, v0->dead && v1->dead);
	KUNIT_EXPECT_EQ(test, v0->nr_irtes + v1->nr_irtes, 0U);
	KUNIT_EXPECT_EQ(test, td_list_len(v0) + td_list_len(v1), 0U);

	for (i = 0; i < TD_NIRTES; i++)
		before[i] = penv_read(&c->irte[i]);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_attach_irte(v0, c->irte[0].p, 0x51), -ESRCH);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_attach_irte(v1, c->irte[2].p, 0x54), -ESRCH);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_detach_irte(v0, c->irte[0].p), -ENOENT);
	amd_ga_vcpu_load(v0, 5);
	amd_ga_vcpu_blocking(v0);
	amd_ga_vcpu_put(v0);
	amd_ga_vcpu_unblocking(v0, 6);
	amd_ga_vcpu_put(v0);
	amd_ga_vcpu_blocking(v1);
	amd_ga_vcpu_load(v1, 7);
	for (i = 0; i < TD_NIRTES; i++) {
		now = penv_read(&c->irte[i]);
		KUNIT_EXPECT_EQ_MSG(test, now.lo, before[i].lo, "IRTE %u", i);
		KUNIT_EXPECT_EQ_MSG(test, now.hi, before[i].hi, "IRTE %u", i);
		td_expect_host(test, c, i, true, "calls on vCPUs of a destroyed VM");
	}
	KUNIT_EXPECT_EQ(test, v0->nr_irtes + v1->nr_irtes, 0U);

	/* The VM is gone for good once its last vCPU is. */
	amd_ga_vcpu_destroy(v1);
	c->vcpu[1] = NULL;
	amd_ga_vcpu_destroy(v0);
	c->vcpu[0] = NULL;
	rcu_barrier();
}

/* ---- every order of teardown calls ---- */

enum td_event { TD_EV_VM, TD_EV_D0, TD_EV_D1, TD_EV_OP, TD_NR_EVENTS };

static const char *const td_event_names[TD_NR_EVENTS] = {
	"vm_destroy", "vcpu_destroy(0)", "vcpu_destroy(1)", "op",
};

enum td_op_kind { TD_OP_DETACH, TD_OP_MOVE, TD_OP_ATTACH, TD_OP_OWNER };

/**
 * struct td_op - the IRTE operation an order interleaves with teardown
 * @name: what it does
 * @kind: which
 * @needs: vCPUs (bit v) it calls into; it comes before their destroy, as
 *	a record must not be used after amd_ga_vcpu_destroy()
 */
struct td_op {
	const char *name;
	enum td_op_kind kind;
	u8 needs;
};

static const struct td_op td_ops[] = {
	{ "detach IRTE 0 from vCPU 0", TD_OP_DETACH, BIT(0) },
	{ "attach IRTE 0 to vCPU 1", TD_OP_MOVE, BIT(1) },
	{ "attach IRTE 2 to vCPU 0", TD_OP_ATTACH, BIT(0) },
	{ "owner destroys IRTE 0", TD_OP_OWNER, 0 },
};

static void td_op_desc(const struct td_op *op, char *desc)
{
	strscpy(desc, op->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(td_op, td_ops, td_op_desc);

/**
 * struct td_model - what the calls so far must have left
 * @vm_dead: the VM was destroyed
 * @alive: vCPU record v not destroyed yet
 * @where: the vCPU IRTE i posts to, or -1 for the host
 * @owner_dead: the owner destroyed IRTE 0
 */
struct td_model {
	bool vm_dead;
	bool alive[TD_NVCPUS];
	int where[TD_NIRTES];
	bool owner_dead;
};

/* Next permutation in lexicographic order; false after the last one. */
static bool td_next_perm(u8 *a, unsigned int n)
{
	int i = n - 2, j;

	while (i >= 0 && a[i] >= a[i + 1])
		i--;
	if (i < 0)
		return false;
	for (j = n - 1; a[j] <= a[i]; j--)
		;
	swap(a[i], a[j]);
	for (i++, j = n - 1; i < j; i++, j--)
		swap(a[i], a[j]);
	return true;
}

/*
 * A vCPU record of a destroyed VM: attach fails, detach finds nothing,
 * the run-state calls change no IRTE.
 */
static void td_dead_calls(struct kunit *test, struct td_ctx *c, unsigned int v,
			  const char *when)
{
	struct amd_ga_vcpu *vc = c->vcpu[v];
	struct amd_ga_irte before[TD_NIRTES], now;
	unsigned int i;

	for (i = 0; i < TD_NIRTES; i++)
		before[i] = penv_read(&c->irte[i]);
	amd_ga_vcpu_load(vc, 5);
	amd_ga_vcpu_blocking(vc);
	amd_ga_vcpu_put(vc);
	amd_ga_vcpu_unblocking(vc, 6);
	amd_ga_vcpu_put(vc);
	KUNIT_EXPECT_EQ_MSG(test, amd_ga_vcpu_attach_irte(vc, c->irte[1].p, 0x52),
			    -ESRCH, "%s: attach to vCPU %u", when, v);
	KUNIT_EXPECT_EQ_MSG(test, amd_ga_vcpu_detach_irte(vc, c->irte[1].p),
			    -ENOENT, "%s: detach from vCPU %u", when, v);
	for (i = 0; i < TD_NIRTES; i++) {
		now = penv_read(&c->irte[i]);
		KUNIT_EXPECT_TRUE_MSG(test, now.lo == before[i].lo && now.hi == before[i].hi,
				      "%s: a call on vCPU %u changed IRTE %u", when, v, i);
	}
}

/* Everything the model says, checked on the model, lists and registry. */
static void td_check(struct kunit *test, struct td_ctx *c,
		     const struct td_model *m, const char *when)
{
	unsigned int i, v, want;
	struct amd_ga_vcpu *vc;

	for (i = 0; i < TD_NIRTES; i++) {
		if (m->where[i] < 0)
			td_expect_host(test, c, i, !(i == 0 && m->owner_dead), when);
		else
			td_expect_on(test, c, i, m->where[i], when);
	}
	for (v = 0; v < TD_NVCPUS; v++) {
		if (!m->alive[v]) {
			KUNIT_EXPECT_NULL_MSG(test, td_lookup(c->tag[v]),
					      "%s: destroyed vCPU %u found", when, v);
			continue;
		}
		vc = c->vcpu[v];
		for (i = 0, want = 0; i < TD_NIRTES; i++)
			want += m->where[i] == (int)v;
		KUNIT_EXPECT_EQ_MSG(test, vc->nr_irtes, want, "%s: vCPU %u", when, v);
		KUNIT_EXPECT_EQ_MSG(test, td_list_len(vc), want, "%s: vCPU %u", when, v);
		KUNIT_EXPECT_EQ_MSG(test, vc->dead, m->vm_dead, "%s: vCPU %u", when, v);
		KUNIT_EXPECT_PTR_EQ_MSG(test, td_lookup(c->tag[v]),
					m->vm_dead ? NULL : vc, "%s: vCPU %u", when, v);
		if (m->vm_dead)
			td_dead_calls(test, c, v, when);
	}
}

/* Make one teardown call; update the model. */
static void td_apply(struct kunit *test, struct td_ctx *c, struct td_model *m,
		     enum td_event ev, const struct td_op *op, const char *when)
{
	unsigned int i, v;
	int ret, want;

	switch (ev) {
	case TD_EV_VM:
		amd_ga_vm_destroy(c->vm);
		c->vm = NULL;
		m->vm_dead = true;
		for (i = 0; i < TD_NIRTES; i++)
			m->where[i] = -1;
		/* Records the VM freed would be gone now. */
		rcu_barrier();
		return;
	case TD_EV_D0:
	case TD_EV_D1:
		v = ev - TD_EV_D0;
		amd_ga_vcpu_destroy(c->vcpu[v]);
		c->vcpu[v] = NULL;
		m->alive[v] = false;
		for (i = 0; i < TD_NIRTES; i++)
			if (m->where[i] == (int)v)
				m->where[i] = -1;
		return;
	default:
		break;
	}
	switch (op->kind) {
	case TD_OP_DETACH:
		ret = amd_ga_vcpu_detach_irte(c->vcpu[0], c->irte[0].p);
		want = m->where[0] == 0 ? 0 : -ENOENT;
		m->where[0] = -1;
		break;
	case TD_OP_MOVE:
		ret = amd_ga_vcpu_attach_irte(c->vcpu[1], c->irte[0].p, 0x53);
		want = m->vm_dead ? -ESRCH : 0;
		if (!want)
			m->where[0] = 1;
		break;
	case TD_OP_ATTACH:
		ret = amd_ga_vcpu_attach_irte(c->vcpu[0], c->irte[2].p, 0x54);
		want = m->vm_dead ? -ESRCH : 0;
		if (!want)
			m->where[2] = 0;
		break;
	case TD_OP_OWNER:
	default:
		amd_ga_posted_destroy(c->irte[0].p);
		ret = 0;
		want = 0;
		m->where[0] = -1;
		m->owner_dead = true;
		break;
	}
	KUNIT_EXPECT_EQ_MSG(test, ret, want, "%s", when);
}

/*
 * Every order of VM destroy, vCPU 0 destroy, vCPU 1 destroy and the IRTE
 * operation (param), except those that call into a destroyed vCPU record
 * (the caller's bug, not an order). Before: vCPU 0 runs with IRTE 0,
 * vCPU 1 blocks with IRTE 1, IRTE 2 is remapped. After every call the
 * IRTEs, the lists, the records' state and the lookups must be what the
 * calls so far say; on the records of a destroyed VM every call is tried.
 */
static void td_teardown_orders(struct kunit *test)
{
	const struct td_op *op = test->param_value;
	u8 order[TD_NR_EVENTS] = { 0, 1, 2, 3 };
	struct td_ctx *c = test->priv;
	unsigned int s, v, pos[TD_NR_EVENTS], runs = 0;
	char seq[96], when[128];
	struct td_model m;
	bool skip;
	int len;

	do {
		for (s = 0; s < TD_NR_EVENTS; s++)
			pos[order[s]] = s;
		skip = false;
		for (v = 0; v < TD_NVCPUS; v++)
			if ((op->needs & BIT(v)) && pos[TD_EV_OP] > pos[TD_EV_D0 + v])
				skip = true;
		if (skip)
			continue;
		len = 0;
		for (s = 0; s < TD_NR_EVENTS; s++)
			len += scnprintf(seq + len, sizeof(seq) - len, "%s%s",
					 s ? ", " : "", order[s] == TD_EV_OP ?
					 op->name : td_event_names[order[s]]);

		td_vm_up(test, c);
		KUNIT_ASSERT_EQ(test, amd_ga_vcpu_load(c->vcpu[0], 3), 0);
		KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[0], c->irte[0].p, 0x51), 0);
		KUNIT_ASSERT_EQ(test, amd_ga_vcpu_blocking(c->vcpu[1]), 0);
		KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[1], c->irte[1].p, 0x52), 0);
		m = (struct td_model){
			.alive = { true, true },
			.where = { 0, 1, -1 },
		};
		for (s = 0; s < TD_NR_EVENTS; s++) {
			scnprintf(when, sizeof(when), "[%s] after %u", seq, s + 1);
			td_apply(test, c, &m, order[s], op, when);
			td_check(test, c, &m, when);
		}
		if (m.owner_dead)
			td_irte_renew(test, c, 0);
		runs++;
	} while (td_next_perm(order, TD_NR_EVENTS));
	/* Destroyed IRTEs the records held (none is used any more). */
	if (op->kind == TD_OP_OWNER)
		amd_ga_posted_exit();
	kunit_info(test, "%u orders\n", runs);
}

/* ---- detach and attach racing with VM destroy ---- */

/**
 * struct td_racer - a thread that attaches, moves and detaches one IRTE
 * @vcpu: the two vCPUs of the VM under teardown
 * @p: the IRTE
 * @gone: amd_ga_vm_destroy() returned
 * @iters: rounds of attach to one vCPU, move to the other, detach
 * @late: attaches that succeeded although @gone was set before the call
 * @odd: calls that failed with an errno no order explains
 * @last_err: the last such errno
 */
struct td_racer {
	struct amd_ga_vcpu *vcpu[TD_NVCPUS];
	struct amd_ga_posted *p;
	bool gone;
	atomic_t iters;
	atomic_t late;
	atomic_t odd;
	int last_err;
};

static void td_racer_attach(struct td_racer *r, struct amd_ga_vcpu *v, u32 vec)
{
	bool gone = READ_ONCE(r->gone);
	int ret;

	ret = amd_ga_vcpu_attach_irte(v, r->p, vec);
	if (!ret && gone) {
		atomic_inc(&r->late);
	} else if (ret && ret != -ESRCH) {
		WRITE_ONCE(r->last_err, ret);
		atomic_inc(&r->odd);
	}
}

static int td_racer_fn(void *data)
{
	struct td_racer *r = data;
	unsigned int i = 0;
	int ret;

	while (!kthread_should_stop()) {
		td_racer_attach(r, r->vcpu[i & 1], 0x51);
		td_racer_attach(r, r->vcpu[!(i & 1)], 0x53);
		ret = amd_ga_vcpu_detach_irte(r->vcpu[!(i & 1)], r->p);
		if (ret && ret != -ENOENT) {
			WRITE_ONCE(r->last_err, ret);
			atomic_inc(&r->odd);
		}
		i++;
		atomic_inc(&r->iters);
		cond_resched();
	}
	return 0;
}

/*
 * A thread attaches IRTE 0 to one vCPU, moves it to the other and detaches
 * it, over and over, while the VM is destroyed. Once the destroy returned,
 * no attach may succeed; afterwards the IRTE is remapped to the host and
 * both vCPU records have empty lists and a count of 0 (a detach racing
 * with an unlink that skipped the IRTE's lock drove it below zero).
 */
static void td_detach_races_vm_destroy(struct kunit *test)
{
	unsigned long end = jiffies + msecs_to_jiffies(TD_RACE_MS);
	struct td_ctx *c = test->priv;
	struct task_struct *task;
	struct td_racer *r;
	unsigned int round, v, len;
	bool ok, bad = false;
	char when[48];
	int after;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (round = 0; round < TD_RACE_ROUNDS && !bad && time_before(jiffies, end);
	     round++) {
		scnprintf(when, sizeof(when), "round %u", round);
		td_vm_up(test, c);
		memset(r, 0, sizeof(*r));
		for (v = 0; v < TD_NVCPUS; v++)
			r->vcpu[v] = c->vcpu[v];
		r->p = c->irte[0].p;
		task = kthread_run(td_racer_fn, r, "amd-ga-td/%u", round);
		KUNIT_ASSERT_FALSE(test, IS_ERR(task));
		/* Destroy at a different point of the thread's cycle each round. */
		ok = td_wait_above(&r->iters, round % 4);
		if (ok)
			udelay(get_random_u32() % 32);
		amd_ga_vm_destroy(c->vm);
		c->vm = NULL;
		WRITE_ONCE(r->gone, true);
		/* Two more rounds of the thread, wholly after the destroy. */
		after = atomic_read(&r->iters);
		ok = ok && td_wait_above(&r->iters, after + 1);
		kthread_stop(task);

		if (!ok) {
			KUNIT_FAIL(test, "%s: the racing thread made no progress", when);
			bad = true;
		}
		if (atomic_read(&r->late)) {
			KUNIT_FAIL(test, "%s: %d attaches succeeded after the VM was destroyed",
				   when, atomic_read(&r->late));
			bad = true;
		}
		if (atomic_read(&r->odd)) {
			KUNIT_FAIL(test, "%s: %d calls failed with %d", when,
				   atomic_read(&r->odd), r->last_err);
			bad = true;
		}
		for (v = 0; v < TD_NVCPUS; v++) {
			len = td_list_len(c->vcpu[v]);
			if (c->vcpu[v]->nr_irtes || len) {
				KUNIT_FAIL(test, "%s: vCPU %u counts %u IRTEs (%d), lists %u",
					   when, v, c->vcpu[v]->nr_irtes,
					   (int)c->vcpu[v]->nr_irtes, len);
				bad = true;
			}
		}
		if (!td_expect_host(test, c, 0, true, when))
			bad = true;
		td_vm_down(c);
	}
	kunit_info(test, "%u rounds\n", round);
}

/* ---- attach's return value, posted destroy ---- */

/*
 * The IOMMU stops running commands: each invalidation after a store times
 * out (in 10 ms here). The entry is stored all the same, so the IRTE is
 * attached (or moved), and attach must say so: 0, with the list agreeing.
 */
static void td_attach_timeout_agrees(struct kunit *test)
{
	struct td_ctx *c = test->priv;
	struct amd_ga_cmdq *q = c->env.iommu->cmdq;
	unsigned int timeout = q->timeout_us;
	struct amd_ga_posted *p = c->irte[0].p;
	struct amd_ga_vcpu *v0, *v1;
	int ret0, ret1;

	td_vm_up(test, c);
	v0 = c->vcpu[0];
	v1 = c->vcpu[1];
	q->timeout_us = 10000;
	amd_ga_ctrl_update(c->env.iommu, AMD_GA_CTRL_CMD_BUF_EN, 0);
	ret0 = amd_ga_vcpu_attach_irte(v0, p, 0x51);
	KUNIT_EXPECT_EQ_MSG(test, ret0, 0, "attach returned %d; IRTE on vCPU %d, which counts %u",
			    ret0, READ_ONCE(p->vnode.vcpu) == v0 ? 0 : -1, v0->nr_irtes);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(p->vnode.vcpu), v0);
	KUNIT_EXPECT_EQ(test, v0->nr_irtes, 1U);
	td_expect_on(test, c, 0, 0, "attach, invalidation timed out");

	ret1 = amd_ga_vcpu_attach_irte(v1, p, 0x53);
	amd_ga_ctrl_update(c->env.iommu, 0, AMD_GA_CTRL_CMD_BUF_EN);
	q->timeout_us = timeout;
	KUNIT_EXPECT_EQ_MSG(test, ret1, 0, "move returned %d; vCPU 0 counts %u, vCPU 1 %u",
			    ret1, v0->nr_irtes, v1->nr_irtes);
	KUNIT_EXPECT_EQ(test, v0->nr_irtes, 0U);
	KUNIT_EXPECT_EQ(test, v1->nr_irtes, 1U);
	td_expect_on(test, c, 0, 1, "move, invalidation timed out");

	/* Commands run again: the detach invalidates, the host gets it back. */
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_detach_irte(v1, p), 0);
	td_expect_host(test, c, 0, true, "detached");
}

/*
 * The owner destroys a posted IRTE whose vector was left pending in the
 * vCPU's IRR (the IOMMU set it just before): that vCPU is woken through
 * the GA log notifier, as on a detach. Attached to a vCPU record, and
 * claimed per IRTE.
 */
static void td_posted_destroy_kicks(struct kunit *test)
{
	struct td_ctx *c = test->priv;
	struct amd_ga_pi_data pi = {};
	int n;

	td_vm_up(test, c);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_blocking(c->vcpu[0]), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_vcpu_attach_irte(c->vcpu[0], c->irte[0].p, 0x51), 0);
	amd_ga_vapic_irr_set(c->page[0], 0x51);
	n = atomic_read(&c->notified[0]);
	amd_ga_posted_destroy(c->irte[0].p);
	KUNIT_EXPECT_TRUE_MSG(test, td_wait_above(&c->notified[0], n),
			      "destroying an attached IRTE left vector 0x51 pending in vCPU 0's IRR and woke nobody");
	KUNIT_EXPECT_EQ(test, c->vcpu[0]->nr_irtes, 0U);
	amd_ga_vapic_irr_test_and_clear(c->page[0], 0x51);
	td_irte_renew(test, c, 0);

	pi.vapic_addr = __sme_set(virt_to_phys(c->page[1]));
	pi.ga_tag = c->tag[1];
	pi.vector = 0x52;
	pi.cpu = -1;
	pi.ga_log_intr = true;
	pi.is_guest_mode = true;
	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(TD_IRQ_BASE + 1, &pi), 0);
	amd_ga_vapic_irr_set(c->page[1], 0x52);
	n = atomic_read(&c->notified[1]);
	amd_ga_posted_destroy(c->irte[1].p);
	KUNIT_EXPECT_TRUE_MSG(test, td_wait_above(&c->notified[1], n),
			      "destroying a claimed IRTE left vector 0x52 pending in vCPU 1's IRR and woke nobody");
	/* The consumer lets go of the cookie it held. */
	KUNIT_EXPECT_EQ(test, amd_ga_irq_set_vcpu_affinity(TD_IRQ_BASE + 1, NULL), -ENODEV);
	amd_ga_vapic_irr_test_and_clear(c->page[1], 0x52);
	td_irte_renew(test, c, 1);
	/* Nobody holds the destroyed cookies any more. */
	amd_ga_posted_exit();
}

/*
 * Module exit: a consumer tears a VM down right before amd_ga.ko goes
 * away. The frees that teardown queued with call_rcu() are callbacks in
 * amd_ga.ko; the exit path must not return before every one has run.
 */
static void td_exit_waits_for_rcu_frees(struct kunit *test)
{
	struct amd_ga_vcpu *v[2];
	struct amd_ga_vm *vm;
	unsigned int i;

	vm = amd_ga_vm_create(2, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vm));
	for (i = 0; i < 2; i++) {
		v[i] = amd_ga_vcpu_create(vm, i, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(v[i]));
	}
	/* Linux 6.1's order, as kvm_amd would at unload. */
	amd_ga_vm_destroy(vm);
	for (i = 0; i < 2; i++)
		amd_ga_vcpu_destroy(v[i]);
	KUNIT_EXPECT_GT_MSG(test, amd_ga_dispatch_rcu_frees(), 0U,
			    "teardown queued no RCU free: nothing to wait for");
	/* What module exit runs after the IOMMUs are gone. */
	amd_ga_posted_exit();
	amd_ga_dispatch_exit();
	/* The module stays: later suites need the GA log's recovery back. */
	KUNIT_EXPECT_EQ(test, amd_ga_dispatch_init(), 0);
	KUNIT_EXPECT_EQ_MSG(test, amd_ga_dispatch_rcu_frees(), 0U,
			    "module exit returned with RCU frees of amd_ga.ko still queued");
}

static struct kunit_case amd_ga_teardown_cases[] = {
	KUNIT_CASE(td_vcpu_destroy_reverts),
	KUNIT_CASE(td_vm_destroy_first),
	KUNIT_CASE_PARAM(td_teardown_orders, td_op_gen_params),
	KUNIT_CASE(td_detach_races_vm_destroy),
	KUNIT_CASE(td_attach_timeout_agrees),
	KUNIT_CASE(td_posted_destroy_kicks),
	KUNIT_CASE(td_exit_waits_for_rcu_frees),
	{}
};

static struct kunit_suite amd_ga_teardown_suite = {
	.name		= "amd_ga_teardown",
	.init		= td_init,
	.exit		= td_exit,
	.test_cases	= amd_ga_teardown_cases,
};

kunit_test_suite(amd_ga_teardown_suite);
