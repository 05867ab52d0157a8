// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: amd-ga's tracepoints. Probes attached with register_trace_<event>()
 * see the events fire from the code paths they describe: GA log entries,
 * batches, misses of every kind, overflow, restart and recovery on the
 * software model with stand-in vCPUs, IRTE writes through the IRT store on
 * the IOMMU the KUnit machine has (QEMU's) and through the vCPU hot path on
 * the model. A probe no longer sees an event once detached.
 */
#include <kunit/test.h>
#include <linux/amd-ga.h>
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/spinlock.h>
#include <linux/tracepoint.h>

#include "dispatch.h"
#include "galog.h"
#include "irt.h"
#include "posted_env.h"
#include "probe.h"
#include "standin.h"
#include "trace.h"

#define TT_SETTLE_MS	5000
#define TT_MAX_REC	8

/*
 * What the probes saw. Probes run in the GA log IRQ thread, and IRTE
 * writers may hold raw spinlocks with interrupts off: a raw lock, irqsave.
 */
struct tt_seen {
	raw_spinlock_t lock;
	const struct amd_ga_iommu *iommu;	/* only events of this IOMMU */
	unsigned int entries, batches, batch_entries, overflows, restarts;
	unsigned int recoveries, recovery_woken, recovery_checked;
	unsigned int restart_errors, irte_writes;
	unsigned int misses[AMD_GA_MISS_NO_NOTIFIER + 1];
	u32 entry_tag[TT_MAX_REC], entry_vm[TT_MAX_REC], entry_vcpu[TT_MAX_REC];
	u16 entry_devid[TT_MAX_REC];
	u32 miss_tag[TT_MAX_REC];
	u8 miss_code[TT_MAX_REC];
	int miss_reason[TT_MAX_REC];
	unsigned int nmiss;
	struct amd_ga_irte irte_old[TT_MAX_REC], irte_new[TT_MAX_REC];
	u32 irte_index[TT_MAX_REC];
	u16 irte_devid[TT_MAX_REC];
	bool irte_inval[TT_MAX_REC];
};

static void tt_entry(void *data, const struct amd_ga_iommu *iommu,
		     u32 ga_tag, u32 vm_id, u32 vcpu_idx, u16 devid)
{
	struct tt_seen *s = data;
	unsigned long flags;
	unsigned int i;

	if (iommu != s->iommu)
		return;
	raw_spin_lock_irqsave(&s->lock, flags);
	i = s->entries++;
	if (i < TT_MAX_REC) {
		s->entry_tag[i] = ga_tag;
		s->entry_vm[i] = vm_id;
		s->entry_vcpu[i] = vcpu_idx;
		s->entry_devid[i] = devid;
	}
	raw_spin_unlock_irqrestore(&s->lock, flags);
}

static void tt_batch(void *data, const struct amd_ga_iommu *iommu,
		     u32 count, u32 head, u32 tail)
{
	struct tt_seen *s = data;
	unsigned long flags;

	if (iommu != s->iommu)
		return;
	raw_spin_lock_irqsave(&s->lock, flags);
	s->batches++;
	s->batch_entries += count;
	raw_spin_unlock_irqrestore(&s->lock, flags);
}

static void tt_miss(void *data, const struct amd_ga_iommu *iommu,
		    u32 ga_tag, u16 devid, u8 code,
		    enum amd_ga_miss_reason reason)
{
	struct tt_seen *s = data;
	unsigned long flags;
	unsigned int i;

	if (iommu != s->iommu)
		return;
	raw_spin_lock_irqsave(&s->lock, flags);
	if (reason <= AMD_GA_MISS_NO_NOTIFIER)
		s->misses[reason]++;
	i = s->nmiss++;
	if (i < TT_MAX_REC) {
		s->miss_tag[i] = ga_tag;
		s->miss_code[i] = code;
		s->miss_reason[i] = reason;
	}
	raw_spin_unlock_irqrestore(&s->lock, flags);
}

static void tt_overflow(void *data, const struct amd_ga_iommu *iommu,
			u64 status, u32 head, u32 tail)
{
	struct tt_seen *s = data;
	unsigned long flags;

	if (iommu == s->iommu && (status & AMD_GA_STATUS_GALOG_OVERFLOW)) {
		raw_spin_lock_irqsave(&s->lock, flags);
		s->overflows++;
		raw_spin_unlock_irqrestore(&s->lock, flags);
	}
}

static void tt_restart(void *data, const struct amd_ga_iommu *iommu, int err)
{
	struct tt_seen *s = data;
	unsigned long flags;

	if (iommu != s->iommu)
		return;
	raw_spin_lock_irqsave(&s->lock, flags);
	s->restarts++;
	s->restart_errors += !!err;
	raw_spin_unlock_irqrestore(&s->lock, flags);
}

static void tt_recovery(void *data, const struct amd_ga_iommu *iommu,
			u32 checked, u32 woken)
{
	struct tt_seen *s = data;
	unsigned long flags;

	if (iommu != s->iommu)
		return;
	raw_spin_lock_irqsave(&s->lock, flags);
	s->recoveries++;
	s->recovery_checked = max(s->recovery_checked, checked);
	s->recovery_woken += woken;
	raw_spin_unlock_irqrestore(&s->lock, flags);
}

static void tt_irte_write(void *data, const struct amd_ga_iommu *iommu,
			  u16 devid, u32 index, const struct amd_ga_irte *old,
			  const struct amd_ga_irte *new, bool invalidated)
{
	struct tt_seen *s = data;
	unsigned long flags;
	unsigned int i;

	if (iommu != s->iommu)
		return;
	raw_spin_lock_irqsave(&s->lock, flags);
	i = s->irte_writes++;
	if (i < TT_MAX_REC) {
		s->irte_devid[i] = devid;
		s->irte_index[i] = index;
		s->irte_old[i] = *old;
		s->irte_new[i] = *new;
		s->irte_inval[i] = invalidated;
	}
	raw_spin_unlock_irqrestore(&s->lock, flags);
}

/* Attach every GA log probe; detached again by tt_detach(). */
static void tt_attach(struct kunit *test, struct tt_seen *s)
{
	KUNIT_ASSERT_EQ(test, register_trace_amd_ga_galog_entry(tt_entry, s), 0);
	KUNIT_ASSERT_EQ(test, register_trace_amd_ga_galog_batch(tt_batch, s), 0);
	KUNIT_ASSERT_EQ(test, register_trace_amd_ga_dispatch_miss(tt_miss, s), 0);
	KUNIT_ASSERT_EQ(test, register_trace_amd_ga_galog_overflow(tt_overflow, s), 0);
	KUNIT_ASSERT_EQ(test, register_trace_amd_ga_galog_restart(tt_restart, s), 0);
	KUNIT_ASSERT_EQ(test, register_trace_amd_ga_galog_recovery(tt_recovery, s), 0);
}

static void tt_detach(struct tt_seen *s)
{
	unregister_trace_amd_ga_galog_entry(tt_entry, s);
	unregister_trace_amd_ga_galog_batch(tt_batch, s);
	unregister_trace_amd_ga_dispatch_miss(tt_miss, s);
	unregister_trace_amd_ga_galog_overflow(tt_overflow, s);
	unregister_trace_amd_ga_galog_restart(tt_restart, s);
	unregister_trace_amd_ga_galog_recovery(tt_recovery, s);
	tracepoint_synchronize_unregister();
}

struct tt_ctx {
	struct tt_seen seen;
	struct standin_host *host;
	bool attached;
};

static int tt_init(struct kunit *test)
{
	struct tt_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	raw_spin_lock_init(&ctx->seen.lock);
	test->priv = ctx;
	return 0;
}

static void tt_exit(struct kunit *test)
{
	struct tt_ctx *ctx = test->priv;

	if (ctx->attached)
		tt_detach(&ctx->seen);
	if (ctx->host)
		standin_exit(ctx->host);
}

/* A stand-in host whose IOMMU the probes watch, probes attached. */
static struct standin_host *tt_host(struct kunit *test, unsigned int nvcpus,
				    unsigned int nvec)
{
	struct tt_ctx *ctx = test->priv;
	struct standin_host *h;

	h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_EQ(test, standin_init(h, nvcpus, nvec, true), 0);
	ctx->host = h;
	ctx->seen.iommu = h->env.iommu;
	tt_attach(test, &ctx->seen);
	ctx->attached = true;
	KUNIT_ASSERT_TRUE(test, standin_wait_blocked(h, TT_SETTLE_MS));
	return h;
}

static int tt_inject(struct standin_host *h, u32 tag, u32 code, u16 devid)
{
	return amd_ga_model_galog_inject(h->env.model,
		FIELD_PREP(AMD_GA_GALOG_ENT_GATAG, tag) |
		FIELD_PREP(AMD_GA_GALOG_ENT_DEVID, devid) |
		FIELD_PREP(AMD_GA_GALOG_ENT_CODE, code));
}

/* Attach, fire, detach, fire: the probe sees exactly the first. */
static void amd_ga_trace_test_probe_detach(struct kunit *test)
{
	struct amd_ga_iommu iommu = { .name = "kunit-trace" };
	struct tt_seen *s = &((struct tt_ctx *)test->priv)->seen;

	s->iommu = &iommu;
	KUNIT_ASSERT_EQ(test, register_trace_amd_ga_galog_entry(tt_entry, s), 0);
	KUNIT_EXPECT_TRUE(test, trace_amd_ga_galog_entry_enabled());
	trace_amd_ga_galog_entry(&iommu, 0x00123004, 0x123, 4, 0x0018);
	KUNIT_ASSERT_EQ(test, unregister_trace_amd_ga_galog_entry(tt_entry, s), 0);
	tracepoint_synchronize_unregister();
	trace_amd_ga_galog_entry(&iommu, 1, 0, 1, 0);
	KUNIT_EXPECT_EQ(test, s->entries, 1U);
	KUNIT_EXPECT_EQ(test, s->entry_tag[0], 0x00123004U);
	KUNIT_EXPECT_EQ(test, s->entry_vm[0], 0x123U);
	KUNIT_EXPECT_EQ(test, s->entry_vcpu[0], 4U);
	KUNIT_EXPECT_EQ(test, s->entry_devid[0], 0x0018);
}

/* A posted interrupt to a blocked vCPU: one entry, one batch. */
static void amd_ga_trace_test_galog_entry(struct kunit *test)
{
	struct standin_host *h = tt_host(test, 2, 1);
	struct tt_seen *s = &((struct tt_ctx *)test->priv)->seen;
	struct standin_vcpu *sv = &h->vcpus[1];

	KUNIT_ASSERT_TRUE(test, standin_post(h, 1, 0));
	KUNIT_EXPECT_EQ(test, standin_settle(h, TT_SETTLE_MS), 0U);
	KUNIT_EXPECT_TRUE(test, standin_galog_drained(h, TT_SETTLE_MS));
	KUNIT_ASSERT_EQ(test, s->entries, 1U);
	KUNIT_EXPECT_EQ(test, s->entry_tag[0], amd_ga_vcpu_ga_tag(sv->rec));
	KUNIT_EXPECT_EQ(test, s->entry_vm[0], amd_ga_vm_id(h->vm));
	KUNIT_EXPECT_EQ(test, s->entry_vcpu[0], 1U);
	/* The stand-in gives vCPU v the device ID v. */
	KUNIT_EXPECT_EQ(test, s->entry_devid[0], 1);
	KUNIT_EXPECT_GE(test, s->batches, 1U);
	KUNIT_EXPECT_EQ(test, s->batch_entries, 1U);
	KUNIT_EXPECT_EQ(test, s->nmiss, 0U);
}

/* Every kind of skipped entry says why. */
static void amd_ga_trace_test_dispatch_miss(struct kunit *test)
{
	struct standin_host *h = tt_host(test, 1, 1);
	struct tt_seen *s = &((struct tt_ctx *)test->priv)->seen;
	u32 tag = amd_ga_vcpu_ga_tag(h->vcpus[0].rec);
	u32 vm = amd_ga_vm_id(h->vm);

	KUNIT_EXPECT_EQ(test, tt_inject(h, tag, 0x7, 0x0100), 0);
	KUNIT_EXPECT_EQ(test, tt_inject(h, 0x00000005, AMD_GA_GALOG_CODE_GUEST_NR, 0x0101), 0);
	KUNIT_EXPECT_EQ(test, tt_inject(h, AMD_GA_GATAG_MAKE(vm + 1000, 0),
					AMD_GA_GALOG_CODE_GUEST_NR, 0x0102), 0);
	/* A slot the IOMMU never finished writing. */
	KUNIT_EXPECT_EQ(test, amd_ga_model_galog_inject(h->env.model, 0), 0);
	KUNIT_EXPECT_TRUE(test, standin_galog_drained(h, TT_SETTLE_MS));

	/* No consumer: the entry is consumed and nobody is called. */
	amd_ga_register_ga_log_notifier(NULL);
	KUNIT_EXPECT_EQ(test, tt_inject(h, tag, AMD_GA_GALOG_CODE_GUEST_NR, 0x0103), 0);
	KUNIT_EXPECT_TRUE(test, standin_galog_drained(h, TT_SETTLE_MS));
	amd_ga_register_ga_log_notifier(standin_notifier);

	KUNIT_EXPECT_EQ(test, s->misses[AMD_GA_MISS_BAD_CODE], 1U);
	KUNIT_EXPECT_EQ(test, s->misses[AMD_GA_MISS_BAD_TAG], 1U);
	KUNIT_EXPECT_EQ(test, s->misses[AMD_GA_MISS_STALE_TAG], 1U);
	KUNIT_EXPECT_EQ(test, s->misses[AMD_GA_MISS_TORN], 1U);
	KUNIT_EXPECT_EQ(test, s->misses[AMD_GA_MISS_NO_NOTIFIER], 1U);
	KUNIT_ASSERT_EQ(test, s->nmiss, 5U);
	/* In log order, with the entries' own tag and code. */
	KUNIT_EXPECT_EQ(test, s->miss_tag[0], tag);
	KUNIT_EXPECT_EQ(test, s->miss_code[0], 0x7);
	KUNIT_EXPECT_EQ(test, s->miss_reason[0], AMD_GA_MISS_BAD_CODE);
	KUNIT_EXPECT_EQ(test, s->miss_tag[1], 0x00000005U);
	KUNIT_EXPECT_EQ(test, s->miss_reason[1], AMD_GA_MISS_BAD_TAG);
	KUNIT_EXPECT_EQ(test, s->miss_reason[2], AMD_GA_MISS_STALE_TAG);
	KUNIT_EXPECT_EQ(test, s->miss_reason[3], AMD_GA_MISS_TORN);
	KUNIT_EXPECT_EQ(test, s->miss_reason[4], AMD_GA_MISS_NO_NOTIFIER);
	KUNIT_EXPECT_EQ(test, s->entries, 0U);
}

/*
 * More entries than the log holds while the drain is held off: the model
 * drops entries and sets GALOverflow; the handler restarts the log and
 * recovery wakes the vCPUs whose entries were dropped.
 */
static void amd_ga_trace_test_overflow(struct kunit *test)
{
	struct standin_host *h = tt_host(test, 64, 10);
	struct tt_seen *s = &((struct tt_ctx *)test->priv)->seen;
	unsigned int v, j;

	mutex_lock(&h->gl->drain_lock);
	for (v = 0; v < h->nvcpus; v++)
		for (j = 0; j < h->nvec; j++)
			standin_post(h, v, j);
	mutex_unlock(&h->gl->drain_lock);
	KUNIT_EXPECT_EQ(test, standin_settle(h, TT_SETTLE_MS), 0U);
	KUNIT_EXPECT_TRUE(test, standin_galog_drained(h, TT_SETTLE_MS));

	KUNIT_EXPECT_GE(test, s->overflows, 1U);
	KUNIT_EXPECT_EQ(test, s->restarts, s->overflows);
	KUNIT_EXPECT_EQ(test, s->restart_errors, 0U);
	KUNIT_EXPECT_GE(test, s->recoveries, 1U);
	KUNIT_EXPECT_EQ(test, s->recovery_checked, 64U);
	KUNIT_EXPECT_GE(test, s->recovery_woken, 1U);
	/* The events agree with the counters debugfs shows. */
	KUNIT_EXPECT_EQ(test, (u64)s->overflows,
			atomic64_read(&h->env.iommu->stats.galog_overflows));
	KUNIT_EXPECT_EQ(test, (u64)s->recovery_woken,
			atomic64_read(&h->env.iommu->stats.galog_recovery_wakes));
	KUNIT_EXPECT_EQ(test, (u64)s->batch_entries,
			atomic64_read(&h->env.iommu->stats.galog_entries));
}

/*
 * IRTE writes through the IRT store on the machine's IOMMU: a table for a
 * DeviceID no device uses, written before it is live (no invalidation)
 * and after (invalidation when a cached field changes).
 */
static void amd_ga_trace_test_irte_write(struct kunit *test)
{
	struct amd_ga_iommu *iommu = amd_ga_first_iommu();
	struct tt_seen *s = &((struct tt_ctx *)test->priv)->seen;
	struct amd_ga_remap_cfg cfg = {
		.remap_en = true,
		.vector = 0x45,
		.dest = 1,
	};
	struct amd_ga_irte_ref ref;
	struct amd_ga_irte e1, e2;
	const u16 devid = 0xfe08;	/* fe:01.0, absent */
	struct amd_ga_irt *irt;

	if (!iommu || !iommu->enabled || !amd_ga_iommu_irte_128(iommu))
		kunit_skip(test, "no IOMMU with 128-bit IRTEs enabled");
	irt = amd_ga_irt_create(iommu, &devid, 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(irt));
	KUNIT_ASSERT_EQ(test, amd_ga_irte_alloc(irt, 7, &ref), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_remap(&cfg, false, &e1), 0);
	cfg.vector = 0x46;
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_remap(&cfg, false, &e2), 0);

	s->iommu = iommu;
	KUNIT_ASSERT_EQ(test, register_trace_amd_ga_irte_write(tt_irte_write, s), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(&ref, &e1), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_irt_attach(irt), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(&ref, &e2), 0);
	/* Same value again: nothing cached changed, nothing to invalidate. */
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(&ref, &e2), 0);
	amd_ga_irte_free(&ref);
	unregister_trace_amd_ga_irte_write(tt_irte_write, s);
	tracepoint_synchronize_unregister();
	amd_ga_irt_destroy(irt);

	/* The three writes and the free (back to zero, invalidated). */
	KUNIT_ASSERT_EQ(test, s->irte_writes, 4U);
	KUNIT_EXPECT_EQ(test, s->irte_devid[0], devid);
	KUNIT_EXPECT_EQ(test, s->irte_index[0], 7U);
	KUNIT_EXPECT_EQ(test, s->irte_old[0].lo, 0ULL);
	KUNIT_EXPECT_EQ(test, s->irte_old[0].hi, 0ULL);
	KUNIT_EXPECT_EQ(test, s->irte_new[0].lo, e1.lo);
	KUNIT_EXPECT_EQ(test, s->irte_new[0].hi, e1.hi);
	KUNIT_EXPECT_FALSE(test, s->irte_inval[0]);
	KUNIT_EXPECT_EQ(test, s->irte_old[1].hi, e1.hi);
	KUNIT_EXPECT_EQ(test, s->irte_new[1].hi, e2.hi);
	KUNIT_EXPECT_TRUE(test, s->irte_inval[1]);
	KUNIT_EXPECT_FALSE(test, s->irte_inval[2]);
	KUNIT_EXPECT_EQ(test, s->irte_new[3].lo, 0ULL);
	KUNIT_EXPECT_EQ(test, s->irte_new[3].hi, 0ULL);
	KUNIT_EXPECT_TRUE(test, s->irte_inval[3]);
}

/*
 * The vCPU hot path on the model: attaching a posted IRTE is a route
 * change through the IRT store (invalidated); load and blocking store only
 * IsRun, Destination and GALogIntr (never invalidated), and say so.
 */
static void amd_ga_trace_test_vcpu_hot_path(struct kunit *test)
{
	struct tt_seen *s = &((struct tt_ctx *)test->priv)->seen;
	struct amd_ga_vcpu *vcpu = NULL;
	struct amd_ga_vm *vm = NULL;
	struct penv_irte pi = {};
	void *page = NULL;
	struct penv *env;
	u64 lo;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env);
	KUNIT_ASSERT_EQ(test, penv_init(env, 1, false, NULL, NULL), 0);
	page = (void *)get_zeroed_page(GFP_KERNEL);
	vm = amd_ga_vm_create(1, NULL);
	if (!page || IS_ERR(vm))
		goto out;
	vcpu = amd_ga_vcpu_create(vm, 0, NULL);
	if (IS_ERR(vcpu))
		goto out;
	amd_ga_vcpu_set_backing(vcpu, page);
	if (penv_irte_create(env, 0, 5, -1, &pi))
		goto out;

	s->iommu = env->iommu;
	KUNIT_ASSERT_EQ(test, register_trace_amd_ga_irte_write(tt_irte_write, s), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_attach_irte(vcpu, pi.p, 0x51), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_load(vcpu, 6), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_vcpu_blocking(vcpu), 0);
	unregister_trace_amd_ga_irte_write(tt_irte_write, s);
	tracepoint_synchronize_unregister();

	KUNIT_EXPECT_EQ(test, s->irte_writes, 3U);
	KUNIT_EXPECT_EQ(test, s->irte_index[0], 5U);
	KUNIT_EXPECT_TRUE(test, s->irte_inval[0]);
	KUNIT_EXPECT_TRUE(test, s->irte_new[0].lo & AMD_GA_IRTE_LO_GUEST_MODE);
	lo = s->irte_new[1].lo;
	KUNIT_EXPECT_FALSE(test, s->irte_inval[1]);
	KUNIT_EXPECT_TRUE(test, lo & AMD_GA_IRTE_LO_IS_RUN);
	KUNIT_EXPECT_EQ(test, FIELD_GET(AMD_GA_IRTE_LO_DEST_LO, lo), 6ULL);
	KUNIT_EXPECT_EQ(test, s->irte_old[2].lo, lo);
	lo = s->irte_new[2].lo;
	KUNIT_EXPECT_FALSE(test, s->irte_inval[2]);
	KUNIT_EXPECT_FALSE(test, lo & AMD_GA_IRTE_LO_IS_RUN);
	KUNIT_EXPECT_TRUE(test, lo & AMD_GA_IRTE_LO_GALOG_INTR);
	KUNIT_EXPECT_EQ(test, s->irte_devid[2], s->irte_devid[0]);
out:
	KUNIT_EXPECT_NOT_NULL(test, pi.p);
	if (vcpu && !IS_ERR(vcpu))
		amd_ga_posted_vcpu_release(vcpu);
	penv_irte_destroy(&pi);
	amd_ga_vcpu_destroy(IS_ERR(vcpu) ? NULL : vcpu);
	amd_ga_vm_destroy(IS_ERR(vm) ? NULL : vm);
	synchronize_rcu();
	penv_exit(env);
	free_page((unsigned long)page);
}

static struct kunit_case amd_ga_trace_test_cases[] = {
	KUNIT_CASE(amd_ga_trace_test_probe_detach),
	KUNIT_CASE(amd_ga_trace_test_galog_entry),
	KUNIT_CASE(amd_ga_trace_test_dispatch_miss),
	KUNIT_CASE(amd_ga_trace_test_overflow),
	KUNIT_CASE(amd_ga_trace_test_irte_write),
	KUNIT_CASE(amd_ga_trace_test_vcpu_hot_path),
	{}
};

static struct kunit_suite amd_ga_trace_test_suite = {
	.name = "amd_ga_trace",
	.init = tt_init,
	.exit = tt_exit,
	.test_cases = amd_ga_trace_test_cases,
};

kunit_test_suite(amd_ga_trace_test_suite);
