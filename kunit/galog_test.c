// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the GA log engine on the software IOMMU model, with stand-in
 * vCPU kthreads that block as KVM's do. Exactly-once delivery, bounded
 * batches, overflow restart, an overflow storm without lost wakeups (and
 * proof that the storm detects losses when recovery is off), bad event
 * codes, stale tags, torn entries, no double dispatch, one notifier call
 * per vCPU and pass without a false skip, and two CPUs posting while the
 * handler drains.
 */
#include <kunit/test.h>
#include <linux/amd-ga.h>
#include <linux/bitfield.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/random.h>

#include "dispatch.h"
#include "galog.h"
#include "instance.h"
#include "standin.h"
#include "vapic.h"

/* Every bound is a failure: a lost wakeup fails the case in seconds. */
#define GT_SETTLE_MS	5000
/* A posted vector still pending this long is a lost wakeup: posting stops. */
#define GT_POST_MS	5000
/* Two threads posting 3000 interrupts each, none of them lost. */
#define GT_RUN_MS	30000

static u64 gt_stat(atomic64_t *s)
{
	return atomic64_read(s);
}

static struct standin_host *gt_host(struct kunit *test, unsigned int nvcpus,
				    unsigned int nvec, bool start)
{
	struct standin_host *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_EQ(test, standin_init(h, nvcpus, nvec, start), 0);
	test->priv = h;
	return h;
}

static void gt_exit(struct kunit *test)
{
	struct standin_host *h = test->priv;

	if (h)
		standin_exit(h);
}

static u64 gt_entry(u32 tag, u32 code)
{
	return FIELD_PREP(AMD_GA_GALOG_ENT_GATAG, tag) |
	       FIELD_PREP(AMD_GA_GALOG_ENT_DEVID, 0x42) |
	       FIELD_PREP(AMD_GA_GALOG_ENT_CODE, code);
}

static int gt_inject(struct standin_host *h, u32 tag, u32 code)
{
	return amd_ga_model_galog_inject(h->env.model, gt_entry(tag, code));
}

static void galog_enable_programs(struct kunit *test)
{
	struct standin_host *h = gt_host(test, 1, 1, false);
	struct amd_ga_iommu *iommu = h->env.iommu;
	struct amd_ga_galog *gl = h->gl;
	u64 base = amd_ga_read(iommu, AMD_GA_MMIO_GALOG_BASE);

	KUNIT_ASSERT_NOT_NULL(test, gl);
	KUNIT_EXPECT_EQ(test, FIELD_GET(AMD_GA_GALOG_BASE_LEN, base), 8);
	KUNIT_EXPECT_EQ(test, base & AMD_GA_GALOG_BASE_ADDR, virt_to_phys(gl->buf));
	KUNIT_EXPECT_EQ(test, amd_ga_read(iommu, AMD_GA_MMIO_GALOG_TAIL_ADDR),
			virt_to_phys(gl->tail_mirror));
	KUNIT_EXPECT_EQ(test, amd_ga_read(iommu, AMD_GA_MMIO_GALOG_HEAD), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_read(iommu, AMD_GA_MMIO_GALOG_TAIL), 0);
	KUNIT_EXPECT_TRUE(test, amd_ga_ctrl_get(iommu) & AMD_GA_CTRL_GALOG_EN);
	KUNIT_EXPECT_TRUE(test, amd_ga_ctrl_get(iommu) & AMD_GA_CTRL_GAINT_EN);
	KUNIT_EXPECT_TRUE(test, gl->run_seen);
	KUNIT_EXPECT_GT(test, gl->irq, 0);
	KUNIT_EXPECT_EQ(test, amd_ga_galog_enable(iommu), -EBUSY);
}

/* The IOMMU enable sequence brings the GA log up on a vAPIC-capable IOMMU. */
static void galog_iommu_enable_sequence(struct kunit *test)
{
	struct amd_ga_model *m = amd_ga_model_create(NULL, NULL);
	struct amd_ga_iommu *iommu;

	KUNIT_ASSERT_FALSE(test, IS_ERR(m));
	iommu = &m->iommu;
	KUNIT_EXPECT_EQ(test, amd_ga_iommu_enable(iommu, 0), 0);
	KUNIT_ASSERT_NOT_NULL(test, iommu->galog);
	KUNIT_EXPECT_TRUE(test, iommu->galog->run_seen);
	KUNIT_EXPECT_EQ(test, FIELD_GET(AMD_GA_CTRL_GAM_EN, amd_ga_ctrl_get(iommu)),
			AMD_GA_CTRL_GAM_VAPIC);
	KUNIT_EXPECT_TRUE(test, amd_ga_ctrl_get(iommu) & AMD_GA_CTRL_GALOG_EN);
	KUNIT_EXPECT_TRUE(test, amd_ga_read(iommu, AMD_GA_MMIO_STATUS) &
			  AMD_GA_STATUS_GALOG_RUN);
	KUNIT_EXPECT_EQ(test, amd_ga_iommu_disable(iommu), 0);
	KUNIT_EXPECT_NULL(test, iommu->galog);
	KUNIT_EXPECT_FALSE(test, amd_ga_read(iommu, AMD_GA_MMIO_STATUS) &
			   AMD_GA_STATUS_GALOG_RUN);
	amd_ga_model_destroy(m);
}

static void galog_enable_without_galogrun(struct kunit *test)
{
	struct standin_host *h = gt_host(test, 1, 1, false);
	struct amd_ga_iommu *iommu = h->env.iommu;
	ktime_t t0;

	amd_ga_galog_disable(iommu);
	KUNIT_EXPECT_NULL(test, iommu->galog);
	amd_ga_model_set_no_galog_run(h->env.model, true);
	t0 = ktime_get();
	/* Degrades with a message: no error, no hang, no WARN. */
	KUNIT_EXPECT_EQ(test, amd_ga_galog_enable(iommu), 0);
	KUNIT_EXPECT_LT(test, ktime_ms_delta(ktime_get(), t0), 2000);
	KUNIT_ASSERT_NOT_NULL(test, iommu->galog);
	KUNIT_EXPECT_FALSE(test, iommu->galog->run_seen);
	amd_ga_galog_disable(iommu);
	amd_ga_model_set_no_galog_run(h->env.model, false);
	KUNIT_EXPECT_EQ(test, amd_ga_galog_enable(iommu), 0);
	KUNIT_EXPECT_TRUE(test, iommu->galog->run_seen);
}

static void galog_exactly_once(struct kunit *test)
{
	struct standin_host *h = gt_host(test, 16, 8, true);

	KUNIT_EXPECT_EQ_MSG(test, standin_post_random(h, 0, h->nvcpus, 4000,
						      GT_POST_MS), 4000U, "%s", h->lost);
	KUNIT_EXPECT_EQ_MSG(test, standin_settle(h, GT_SETTLE_MS), 0U, "%s", h->lost);
	KUNIT_EXPECT_EQ(test, gt_stat(&h->posted), 4000ULL);
	KUNIT_EXPECT_EQ(test, gt_stat(&h->handled), gt_stat(&h->posted));
	KUNIT_EXPECT_GT(test, gt_stat(&h->notified), 0ULL);
	KUNIT_EXPECT_EQ(test, gt_stat(&h->env.iommu->stats.galog_stale_tags), 0ULL);
	kunit_info(test, "posted %llu handled %llu wakes %llu doorbells %llu overflows %llu\n",
		   gt_stat(&h->posted), gt_stat(&h->handled), gt_stat(&h->notified),
		   gt_stat(&h->doorbells), gt_stat(&h->env.iommu->stats.galog_overflows));
}

static void galog_bounded_batches(struct kunit *test)
{
	struct standin_host *h = gt_host(test, 32, 10, true);
	struct amd_ga_stats *s = &h->env.iommu->stats;
	unsigned int v, j;

	KUNIT_ASSERT_TRUE(test, standin_wait_blocked(h, GT_SETTLE_MS));
	amd_ga_galog_set_budget(h->gl, 16);
	mutex_lock(&h->gl->drain_lock);
	for (v = 0; v < h->nvcpus; v++)
		for (j = 0; j < h->nvec; j++)
			standin_post(h, v, j);
	mutex_unlock(&h->gl->drain_lock);
	KUNIT_EXPECT_EQ_MSG(test, standin_settle(h, GT_SETTLE_MS), 0U, "%s", h->lost);
	KUNIT_EXPECT_TRUE_MSG(test, standin_galog_drained(h, GT_SETTLE_MS), "%s", h->lost);
	KUNIT_EXPECT_EQ(test, gt_stat(&h->handled), 320ULL);
	KUNIT_EXPECT_LE(test, gt_stat(&s->galog_max_batch), 16ULL);
	KUNIT_EXPECT_GE(test, gt_stat(&s->galog_batches), 320ULL / 16);
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_entries), 320ULL);
}

/*
 * One storm round: with the drain held off, every idle vector of every
 * blocked vCPU is posted, vCPU by vCPU, so more than 511 entries arrive
 * and the last vCPUs' entries are all dropped by the overflow. Returns
 * the vectors still pending (lost wakeups) once things settle.
 */
static unsigned int gt_storm_round(struct kunit *test, struct standin_host *h,
				   unsigned int settle_ms)
{
	unsigned int v, j;

	if (!standin_wait_blocked(h, GT_SETTLE_MS))
		kunit_info(test, "not every vCPU blocked before the round\n");
	mutex_lock(&h->gl->drain_lock);
	for (v = 0; v < h->nvcpus; v++)
		for (j = 0; j < h->nvec; j++)
			standin_post(h, v, j);
	mutex_unlock(&h->gl->drain_lock);
	return standin_settle(h, settle_ms);
}

static void galog_overflow_restarts(struct kunit *test)
{
	struct standin_host *h = gt_host(test, 64, 10, true);
	struct amd_ga_iommu *iommu = h->env.iommu;

	KUNIT_EXPECT_EQ(test, gt_storm_round(test, h, GT_SETTLE_MS), 0U);
	KUNIT_EXPECT_TRUE_MSG(test, standin_galog_drained(h, GT_SETTLE_MS), "%s", h->lost);
	KUNIT_EXPECT_GE(test, gt_stat(&iommu->stats.galog_overflows), 1ULL);
	KUNIT_EXPECT_GE(test, gt_stat(&iommu->stats.galog_restarts), 1ULL);
	KUNIT_EXPECT_GE(test, gt_stat(&iommu->stats.galog_recovery_wakes), 1ULL);
	KUNIT_EXPECT_TRUE(test, amd_ga_read(iommu, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_RUN);
	KUNIT_EXPECT_TRUE(test, amd_ga_ctrl_get(iommu) & AMD_GA_CTRL_GALOG_EN);
	KUNIT_EXPECT_EQ(test, gt_stat(&h->handled), gt_stat(&h->posted));
}

static void galog_overflow_storm_lossless(struct kunit *test)
{
	struct standin_host *h = gt_host(test, 64, 10, true);
	struct amd_ga_iommu *iommu = h->env.iommu;
	unsigned int rounds = 0, lost = 0;

	while (gt_stat(&h->posted) < 100000) {
		lost += gt_storm_round(test, h, GT_SETTLE_MS);
		rounds++;
		if (lost)
			break;
	}
	kunit_info(test, "rounds %u posted %llu handled %llu overflows %llu recovery wakes %llu lost %u\n",
		   rounds, gt_stat(&h->posted), gt_stat(&h->handled),
		   gt_stat(&iommu->stats.galog_overflows),
		   gt_stat(&iommu->stats.galog_recovery_wakes), lost);
	KUNIT_EXPECT_EQ_MSG(test, lost, 0U, "%s", h->lost);
	KUNIT_EXPECT_GE(test, gt_stat(&h->posted), 100000ULL);
	KUNIT_EXPECT_EQ(test, gt_stat(&h->handled), gt_stat(&h->posted));
	KUNIT_EXPECT_GE(test, gt_stat(&iommu->stats.galog_overflows), (u64)rounds / 2);
}

static void galog_overflow_storm_detects_losses(struct kunit *test)
{
	struct standin_host *h = gt_host(test, 64, 10, true);
	unsigned int lost;

	/* The same storm with recovery off must lose wakeups. */
	amd_ga_galog_set_recovery(h->gl, false);
	lost = gt_storm_round(test, h, 300);
	kunit_info(test, "without recovery: %u posted vectors never woke their vCPU\n", lost);
	KUNIT_EXPECT_GT(test, lost, 0U);
	standin_forget_lost(h);
	amd_ga_galog_set_recovery(h->gl, true);
	standin_kick_all(h);
	KUNIT_EXPECT_EQ_MSG(test, standin_settle(h, GT_SETTLE_MS), 0U, "%s", h->lost);
}

/*
 * An entry of every event code but 1 for a vCPU's tag, in one drain: each
 * is counted as bad and skipped. With @woken, a valid entry comes before
 * them and one after: the vCPU is woken by the first, the last one is
 * coalesced, and none of the bad ones is taken for a coalesced entry of
 * the woken tag (the fast path tests the code and the filter together).
 */
static void gt_bad_codes(struct kunit *test, bool woken)
{
	struct standin_host *h = gt_host(test, 1, 1, true);
	struct amd_ga_stats *s = &h->env.iommu->stats;
	u32 tag = amd_ga_vcpu_ga_tag(h->vcpus[0].rec);
	u32 code;

	KUNIT_ASSERT_TRUE(test, standin_wait_blocked(h, GT_SETTLE_MS));
	mutex_lock(&h->gl->drain_lock);
	if (woken)
		KUNIT_EXPECT_EQ(test, gt_inject(h, tag, AMD_GA_GALOG_CODE_GUEST_NR), 0);
	for (code = 0; code < 16; code++)
		if (code != AMD_GA_GALOG_CODE_GUEST_NR)
			KUNIT_EXPECT_EQ(test, gt_inject(h, tag, code), 0);
	if (woken)
		KUNIT_EXPECT_EQ(test, gt_inject(h, tag, AMD_GA_GALOG_CODE_GUEST_NR), 0);
	mutex_unlock(&h->gl->drain_lock);
	KUNIT_EXPECT_TRUE_MSG(test, standin_galog_drained(h, GT_SETTLE_MS), "%s", h->lost);
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_entries), woken ? 17ULL : 15ULL);
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_bad_code), 15ULL);
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_wakes), (u64)woken);
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_coalesced), (u64)woken);
	KUNIT_EXPECT_EQ(test, atomic_read(&h->vcpus[0].wakes), (int)woken);
}

static void galog_bad_event_codes(struct kunit *test)
{
	gt_bad_codes(test, false);
}

static void galog_bad_codes_of_woken_tag(struct kunit *test)
{
	gt_bad_codes(test, true);
}

static void galog_stale_tags(struct kunit *test)
{
	struct standin_host *h = gt_host(test, 4, 1, true);
	struct amd_ga_stats *s = &h->env.iommu->stats;
	u32 vm = amd_ga_vm_id(h->vm);
	u32 gone = amd_ga_vcpu_ga_tag(h->vcpus[3].rec);
	u32 tags[] = {
		0x00000fff,				/* VM ID 0: outside the layout */
		AMD_GA_GATAG_MAKE(vm + 1000, 0), /* unknown VM */
		AMD_GA_GATAG_MAKE(vm, 4),	/* beyond max_vcpus */
		gone,					/* destroyed vCPU */
		U32_MAX,				/* VM ID beyond any allocated */
	};
	unsigned int i;

	KUNIT_ASSERT_TRUE(test, standin_wait_blocked(h, GT_SETTLE_MS));
	/* vCPU 3 goes away (its kthread keeps running but has no record). */
	standin_stop_vcpu(h, 3);
	amd_ga_vcpu_destroy(h->vcpus[3].rec);
	h->vcpus[3].rec = NULL;
	for (i = 0; i < ARRAY_SIZE(tags); i++)
		KUNIT_EXPECT_EQ(test, gt_inject(h, tags[i], AMD_GA_GALOG_CODE_GUEST_NR), 0);
	KUNIT_EXPECT_TRUE_MSG(test, standin_galog_drained(h, GT_SETTLE_MS), "%s", h->lost);
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_stale_tags), (u64)ARRAY_SIZE(tags));
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_wakes), 0ULL);
	KUNIT_EXPECT_EQ(test, gt_stat(&h->unknown) + gt_stat(&h->notified), 0ULL);
}

static void galog_torn_entry_recovers(struct kunit *test)
{
	struct standin_host *h = gt_host(test, 2, 1, true);
	struct amd_ga_stats *s = &h->env.iommu->stats;
	struct standin_vcpu *sv = &h->vcpus[1];

	KUNIT_ASSERT_TRUE(test, standin_wait_blocked(h, GT_SETTLE_MS));
	/*
	 * The device's write reached the IRR but its GA log entry never
	 * became visible: the slot between head and tail stays zero.
	 */
	amd_ga_vapic_irr_set(sv->page, STANDIN_VEC_BASE);
	atomic64_inc(&h->posted);
	KUNIT_EXPECT_EQ(test, amd_ga_model_galog_inject(h->env.model, 0), 0);
	KUNIT_EXPECT_EQ_MSG(test, standin_settle(h, GT_SETTLE_MS), 0U, "%s", h->lost);
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_torn), 1ULL);
	KUNIT_EXPECT_GE(test, gt_stat(&s->galog_recovery_wakes), 1ULL);
	KUNIT_EXPECT_EQ(test, gt_stat(&h->handled), 1ULL);
	KUNIT_EXPECT_EQ(test, READ_ONCE(h->gl->buf[0]), 0ULL);
}

static void galog_no_double_dispatch(struct kunit *test)
{
	struct standin_host *h = gt_host(test, 1, 1, true);
	struct amd_ga_stats *s = &h->env.iommu->stats;
	u32 tag = amd_ga_vcpu_ga_tag(h->vcpus[0].rec);
	unsigned int i, k = 0;

	KUNIT_ASSERT_TRUE(test, standin_wait_blocked(h, GT_SETTLE_MS));
	/* Three laps around the ring, in bursts. */
	while (k < 3 * AMD_GA_GALOG_ENTRIES) {
		for (i = 0; i < 100; i++, k++)
			KUNIT_ASSERT_EQ(test, gt_inject(h, tag, AMD_GA_GALOG_CODE_GUEST_NR), 0);
		KUNIT_ASSERT_TRUE_MSG(test, standin_galog_drained(h, GT_SETTLE_MS), "%s", h->lost);
	}
	/*
	 * Every entry consumed once: it either woke the vCPU or was
	 * coalesced into a wake of the same drain; each burst took a drain.
	 */
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_entries), (u64)k);
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_wakes) + gt_stat(&s->galog_coalesced),
			(u64)k);
	KUNIT_EXPECT_EQ(test, (u64)atomic_read(&h->vcpus[0].wakes),
			gt_stat(&s->galog_wakes));
	KUNIT_EXPECT_GE(test, gt_stat(&s->galog_wakes), (u64)DIV_ROUND_UP(k, 100));
	KUNIT_EXPECT_LE(test, gt_stat(&s->galog_wakes), gt_stat(&s->galog_batches));
	for (i = 0; i < AMD_GA_GALOG_ENTRIES; i++)
		KUNIT_EXPECT_EQ(test, READ_ONCE(h->gl->buf[i]), 0ULL);
}

/*
 * 32 entries for 4 vCPUs posted with the drain held off, so that they
 * make one drain of @passes passes of at most @budget entries each: one
 * notifier call per vCPU, the other 28 entries coalesced.
 */
static void gt_coalesce(struct kunit *test, unsigned int budget,
			unsigned int passes)
{
	struct standin_host *h = gt_host(test, 4, 8, true);
	struct amd_ga_stats *s = &h->env.iommu->stats;
	unsigned int v, j;

	KUNIT_ASSERT_TRUE(test, standin_wait_blocked(h, GT_SETTLE_MS));
	amd_ga_galog_set_budget(h->gl, budget);
	mutex_lock(&h->gl->drain_lock);
	for (j = 0; j < h->nvec; j++)
		for (v = 0; v < h->nvcpus; v++)
			KUNIT_EXPECT_TRUE(test, standin_post(h, v, j));
	mutex_unlock(&h->gl->drain_lock);
	KUNIT_EXPECT_EQ_MSG(test, standin_settle(h, GT_SETTLE_MS), 0U, "%s", h->lost);
	KUNIT_EXPECT_TRUE_MSG(test, standin_galog_drained(h, GT_SETTLE_MS), "%s", h->lost);
	KUNIT_EXPECT_EQ(test, gt_stat(&h->handled), 32ULL);
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_entries), 32ULL);
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_batches), (u64)passes);
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_max_batch), 32ULL / passes);
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_wakes), 4ULL);
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_coalesced), 28ULL);
	KUNIT_EXPECT_EQ(test, gt_stat(&h->notified), 4ULL);
	for (v = 0; v < h->nvcpus; v++)
		KUNIT_EXPECT_EQ(test, atomic_read(&h->vcpus[v].wakes), 1);
}

/*
 * Entries of one drain for the same vCPU make one notifier call: all of
 * them were written, IRR first, before the drain read the tail, and the
 * woken vCPU consumes every pending vector. No vector is left behind.
 */
static void galog_coalesces_per_drain(struct kunit *test)
{
	gt_coalesce(test, AMD_GA_GALOG_BUDGET, 1);
}

/*
 * The same with a budget of 4: the drain takes 8 passes, and a tag woken
 * in the first is not called again in the later ones, since every entry
 * up to the tail the drain read was written before that call.
 */
static void galog_coalesces_across_passes(struct kunit *test)
{
	gt_coalesce(test, 4, 8);
}

/* The tags gt_count_notifier() wakes, and its calls for each. */
#define GT_SHARED	3
static u32 gt_shared_tag[GT_SHARED];
static atomic_t gt_shared_calls[GT_SHARED];

static int gt_count_notifier(u32 ga_tag)
{
	unsigned int i;

	for (i = 0; i < GT_SHARED; i++)
		if (ga_tag == gt_shared_tag[i]) {
			atomic_inc(&gt_shared_calls[i]);
			return 0;
		}
	return -ENOENT;
}

/*
 * Three tags that start probing at the same slot of the woken-tags filter,
 * posted in turn three times in one drain: each is called once and its
 * later entries are coalesced, and none is taken for another. Tags of
 * one VM never share a home slot (the multiplicative hash spreads
 * consecutive keys), so the tags are of VMs chosen for it, woken by a
 * notifier of the test's own. tag_filter_test.c covers the filter itself.
 */
static void galog_coalescing_shared_home_slot(struct kunit *test)
{
	struct standin_host *h = gt_host(test, 1, 1, false);
	struct amd_ga_stats *s = &h->env.iommu->stats;
	u32 vm, home, n = 1;
	unsigned int i, r;

	gt_shared_tag[0] = AMD_GA_GATAG_MAKE(1, 0);
	home = amd_ga_tag_filter_home(gt_shared_tag[0]);
	for (vm = 2; n < GT_SHARED && vm < BIT(16); vm++)
		if (amd_ga_tag_filter_home(AMD_GA_GATAG_MAKE(vm, 0)) == home)
			gt_shared_tag[n++] = AMD_GA_GATAG_MAKE(vm, 0);
	KUNIT_ASSERT_EQ(test, n, GT_SHARED);
	for (i = 0; i < GT_SHARED; i++)
		atomic_set(&gt_shared_calls[i], 0);
	amd_ga_register_ga_log_notifier(gt_count_notifier);
	mutex_lock(&h->gl->drain_lock);
	for (r = 0; r < 3; r++)
		for (i = 0; i < GT_SHARED; i++)
			KUNIT_EXPECT_EQ(test, gt_inject(h, gt_shared_tag[i],
							AMD_GA_GALOG_CODE_GUEST_NR), 0);
	mutex_unlock(&h->gl->drain_lock);
	KUNIT_EXPECT_TRUE_MSG(test, standin_galog_drained(h, GT_SETTLE_MS), "%s", h->lost);
	amd_ga_register_ga_log_notifier(NULL);
	kunit_info(test, "tags %#x %#x %#x, home slot %u\n", gt_shared_tag[0],
		   gt_shared_tag[1], gt_shared_tag[2], home);
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_entries), 9ULL);
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_wakes), 3ULL);
	KUNIT_EXPECT_EQ(test, gt_stat(&s->galog_coalesced), 6ULL);
	for (i = 0; i < GT_SHARED; i++)
		KUNIT_EXPECT_EQ(test, atomic_read(&gt_shared_calls[i]), 1);
}

/*
 * The interrupt thread's loop drains for a GAInt and ends on the re-check
 * that finds Status quiet without reading the tail again (an entry
 * written after the clear would have set GAInt); a thread that finds
 * Status quiet from the start (a shared or spurious interrupt) still
 * drains once. The test runs the loop itself, with GAIntEn off.
 */
static void galog_quiet_recheck_skips_drain(struct kunit *test)
{
	struct standin_host *h = gt_host(test, 1, 1, false);
	struct amd_ga_iommu *iommu = h->env.iommu;
	u32 tag = amd_ga_vcpu_ga_tag(h->vcpus[0].rec);
	struct amd_ga_model_stats m0, m1;

	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_GAINT_EN, 0);
	KUNIT_ASSERT_EQ(test, gt_inject(h, tag, AMD_GA_GALOG_CODE_GUEST_NR), 0);
	KUNIT_ASSERT_TRUE(test, amd_ga_read(iommu, AMD_GA_MMIO_STATUS) &
			  AMD_GA_STATUS_GALOG_INT);
	amd_ga_model_get_stats(h->env.model, &m0);
	amd_ga_galog_process(h->gl);
	amd_ga_model_get_stats(h->env.model, &m1);
	KUNIT_EXPECT_EQ(test, m1.galog_tail_reads - m0.galog_tail_reads, 1ULL);
	KUNIT_EXPECT_EQ(test, gt_stat(&iommu->stats.galog_entries), 1ULL);

	KUNIT_ASSERT_EQ(test, gt_inject(h, tag, AMD_GA_GALOG_CODE_GUEST_NR), 0);
	amd_ga_write(iommu, AMD_GA_MMIO_STATUS, AMD_GA_STATUS_GALOG_INT);
	amd_ga_galog_process(h->gl);
	KUNIT_EXPECT_EQ(test, gt_stat(&iommu->stats.galog_entries), 2ULL);
	KUNIT_EXPECT_EQ(test, h->gl->head,
			(u32)amd_ga_read(iommu, AMD_GA_MMIO_GALOG_TAIL));
}

struct gt_poster {
	struct standin_host *h;
	unsigned int first;
	unsigned int count;
	unsigned int posts;
	struct completion done;
};

static int gt_poster_fn(void *data)
{
	struct gt_poster *p = data;

	standin_post_random(p->h, p->first, p->count, p->posts, GT_POST_MS);
	complete(&p->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static void galog_two_cpus_posting(struct kunit *test)
{
	struct standin_host *h = gt_host(test, 32, 8, true);
	struct gt_poster p[2];
	struct task_struct *t[2];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		p[i] = (struct gt_poster){ .h = h, .first = i * 16, .count = 16,
					   .posts = 3000 };
		init_completion(&p[i].done);
		t[i] = kthread_create(gt_poster_fn, &p[i], "ga-post/%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t[i]));
		kthread_bind(t[i], i % num_online_cpus());
		get_task_struct(t[i]);
	}
	for (i = 0; i < 2; i++)
		wake_up_process(t[i]);
	for (i = 0; i < 2; i++) {
		unsigned long left;

		left = wait_for_completion_timeout(&p[i].done,
						   msecs_to_jiffies(GT_RUN_MS));
		KUNIT_EXPECT_GT_MSG(test, left, 0UL,
				    "poster %u did not finish within %u ms", i,
				    GT_RUN_MS);
		kthread_stop(t[i]);
		put_task_struct(t[i]);
	}
	KUNIT_EXPECT_EQ_MSG(test, standin_settle(h, GT_SETTLE_MS), 0U, "%s", h->lost);
	KUNIT_EXPECT_EQ_MSG(test, gt_stat(&h->posted), 6000ULL, "%s", h->lost);
	KUNIT_EXPECT_EQ(test, gt_stat(&h->handled), 6000ULL);
}

static struct kunit_case amd_ga_galog_cases[] = {
	KUNIT_CASE(galog_enable_programs),
	KUNIT_CASE(galog_iommu_enable_sequence),
	KUNIT_CASE(galog_enable_without_galogrun),
	KUNIT_CASE(galog_exactly_once),
	KUNIT_CASE(galog_bounded_batches),
	KUNIT_CASE(galog_quiet_recheck_skips_drain),
	KUNIT_CASE(galog_overflow_restarts),
	KUNIT_CASE(galog_overflow_storm_lossless),
	KUNIT_CASE(galog_overflow_storm_detects_losses),
	KUNIT_CASE(galog_bad_event_codes),
	KUNIT_CASE(galog_bad_codes_of_woken_tag),
	KUNIT_CASE(galog_stale_tags),
	KUNIT_CASE(galog_torn_entry_recovers),
	KUNIT_CASE(galog_no_double_dispatch),
	KUNIT_CASE(galog_coalesces_per_drain),
	KUNIT_CASE(galog_coalesces_across_passes),
	KUNIT_CASE(galog_coalescing_shared_home_slot),
	KUNIT_CASE(galog_two_cpus_posting),
	{}
};

static struct kunit_suite amd_ga_galog_suite = {
	.name = "amd_ga_galog",
	.exit = gt_exit,
	.test_cases = amd_ga_galog_cases,
};

kunit_test_suite(amd_ga_galog_suite);
