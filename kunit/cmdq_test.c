// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the command queue. Encodings against the command layouts, then
 * the ring on a fake IOMMU (ordering, bounded waits, the head-wrap bug,
 * the monotonic compare) and on QEMU's emulated AMD IOMMU.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/irqflags.h>
#include <linux/ktime.h>
#include <linux/spinlock.h>

#include "cmdq.h"
#include "fake_iommu.h"
#include "instance.h"
#include "iommu.h"
#include "probe.h"

#define FAKE_EFR	(AMD_GA_EFR_GA_SUP | AMD_GA_EFR_IA_SUP)

static void cmdq_test_make_completion_wait(struct kunit *test)
{
	struct amd_ga_cmd c;

	KUNIT_ASSERT_EQ(test,
			amd_ga_cmd_make_completion_wait(0x12345678ULL << 3, 0xfeedULL, &c),
			0);
	/* dword1[31:28] opcode 1, dword0 bit 0 S, StoreAddr[51:3] in place */
	KUNIT_EXPECT_EQ(test, c.q[0], 0x1000000000000001ULL | 0x12345678ULL << 3);
	KUNIT_EXPECT_EQ(test, c.q[1], 0xfeedULL);
	KUNIT_EXPECT_EQ(test, amd_ga_cmd_opcode(&c), 1U);

	/* The highest address the command can carry: bit 51. */
	KUNIT_ASSERT_EQ(test, amd_ga_cmd_make_completion_wait(BIT_ULL(51), 7, &c), 0);
	KUNIT_EXPECT_EQ(test, c.q[0], 0x1000000000000001ULL | BIT_ULL(51));

	KUNIT_EXPECT_EQ(test, amd_ga_cmd_make_completion_wait(0x1004, 1, &c), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_cmd_make_completion_wait(BIT_ULL(52), 1, &c), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_cmd_make_completion_wait(0, 1, &c), -EINVAL);
}

static void cmdq_test_make_invalidations(struct kunit *test)
{
	struct amd_ga_cmd c = { .q = { ~0ULL, ~0ULL } };

	KUNIT_ASSERT_EQ(test, amd_ga_cmd_make_inv_irt(0xffff, &c), 0);
	KUNIT_EXPECT_EQ(test, c.q[0], 0x500000000000ffffULL);
	KUNIT_EXPECT_EQ(test, c.q[1], 0ULL);
	KUNIT_ASSERT_EQ(test, amd_ga_cmd_make_inv_dte(0x00a0, &c), 0);
	KUNIT_EXPECT_EQ(test, c.q[0], 0x20000000000000a0ULL);
	KUNIT_EXPECT_EQ(test, c.q[1], 0ULL);
	KUNIT_EXPECT_EQ(test, amd_ga_cmd_opcode(&c), 2U);

	KUNIT_EXPECT_EQ(test, amd_ga_cmd_make_inv_irt(0x10000, &c), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_cmd_make_inv_dte(0x10000, &c), -EINVAL);
}

static struct amd_ga_fake *cmdq_test_fake(struct kunit *test)
{
	struct amd_ga_fake *f = amd_ga_fake_create(FAKE_EFR);

	KUNIT_ASSERT_NOT_NULL(test, f);
	test->priv = f;
	KUNIT_ASSERT_EQ(test, amd_ga_iommu_enable(&f->iommu, 0), 0);
	return f;
}

static void cmdq_test_exit(struct kunit *test)
{
	amd_ga_fake_destroy(test->priv);
}

static void cmdq_test_sync_fake(struct kunit *test)
{
	struct amd_ga_fake *f = cmdq_test_fake(test);
	struct amd_ga_iommu *iommu = &f->iommu;
	struct amd_ga_cmd cmds[3];
	s64 waits = atomic64_read(&iommu->stats.cmd_waits);
	u64 cw = amd_ga_cmdq_count(iommu, AMD_GA_CMD_COMPLETION_WAIT);

	amd_ga_cmd_make_inv_dte(1, &cmds[0]);
	amd_ga_cmd_make_inv_irt(2, &cmds[1]);
	amd_ga_cmd_make_inv_irt(3, &cmds[2]);
	KUNIT_ASSERT_EQ(test, amd_ga_cmdq_submit(iommu, cmds, 3, true), 0);
	/* The IOMMU stored exactly the sequence number last handed out. */
	KUNIT_EXPECT_EQ(test, READ_ONCE(*iommu->cmdq->sem), iommu->cmdq->seq);
	KUNIT_EXPECT_EQ(test, atomic64_read(&iommu->stats.cmd_waits), waits + 1);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_count(iommu, AMD_GA_CMD_COMPLETION_WAIT),
			cw + 1);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_count(iommu, AMD_GA_CMD_INV_IRT), 2ULL);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_count(iommu, AMD_GA_CMD_INV_DEVTAB_ENTRY),
			1ULL);
	/* The commands reached the IOMMU in order, before the wait. */
	KUNIT_ASSERT_GE(test, f->nr_log, 3U);
	KUNIT_EXPECT_EQ(test, f->log_op[f->nr_log - 3], (u8)AMD_GA_CMD_INV_DEVTAB_ENTRY);
	KUNIT_EXPECT_EQ(test, f->log_devid[f->nr_log - 3], 1);
	KUNIT_EXPECT_EQ(test, f->log_devid[f->nr_log - 2], 2);
	KUNIT_EXPECT_EQ(test, f->log_devid[f->nr_log - 1], 3);
	KUNIT_EXPECT_EQ(test, f->ops[AMD_GA_CMD_COMPLETION_WAIT],
			amd_ga_cmdq_count(iommu, AMD_GA_CMD_COMPLETION_WAIT));
}

static void cmdq_test_bad_args(struct kunit *test)
{
	struct amd_ga_fake *f = cmdq_test_fake(test);
	struct amd_ga_iommu *iommu = &f->iommu;
	unsigned int i, n = AMD_GA_CMDQ_MAX_BATCH + 1;
	struct amd_ga_cmd cmds[2], *big;

	big = kunit_kcalloc(test, n, sizeof(*big), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	for (i = 0; i < n; i++)
		amd_ga_cmd_make_inv_irt(i, &big[i]);
	amd_ga_cmd_make_inv_irt(1, &cmds[0]);
	amd_ga_cmd_make_completion_wait(iommu->cmdq->sem_pa, 99, &cmds[1]);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_submit(NULL, cmds, 1, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_submit(iommu, NULL, 1, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_submit(iommu, cmds, 0, false), -EINVAL);
	/* Sequence numbers belong to the queue: no COMPLETION_WAIT from callers. */
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_submit(iommu, cmds, 2, false), -EINVAL);
	/* A batch must fit the ring: 511 usable slots, the wait takes one. */
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_submit(iommu, big, n - 1, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_submit(iommu, big, n, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_submit(iommu, big, UINT_MAX, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_count(iommu, 16), 0ULL);
	/* Nothing was queued by the rejected calls ... */
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_count(iommu, AMD_GA_CMD_INV_IRT), 0ULL);
	/* ... while the largest batches that fit go through. */
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_submit(iommu, big, n - 1, false), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_submit(iommu, big, n - 2, true), 0);
	KUNIT_EXPECT_EQ(test, f->ops[AMD_GA_CMD_INV_IRT], 2ULL * n - 3);

	KUNIT_ASSERT_EQ(test, amd_ga_iommu_disable(iommu), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_sync(iommu), -ENODEV);
}

/* The IOMMU never runs the queue: the wait gives up after ~100 ms. */
static void cmdq_test_wait_timeout(struct kunit *test)
{
	struct amd_ga_fake *f = cmdq_test_fake(test);
	struct amd_ga_iommu *iommu = &f->iommu;
	s64 timeouts = atomic64_read(&iommu->stats.cmd_wait_timeouts);
	ktime_t t0;
	s64 ms;
	int ret;

	f->mode = AMD_GA_FAKE_STALL;
	t0 = ktime_get();
	ret = amd_ga_cmdq_sync(iommu);
	ms = ktime_ms_delta(ktime_get(), t0);
	KUNIT_EXPECT_EQ(test, ret, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, atomic64_read(&iommu->stats.cmd_wait_timeouts),
			timeouts + 1);
	kunit_info(test, "timed out after %lld ms (bound %u us)\n", ms,
		   AMD_GA_CMDQ_TIMEOUT_US);
	KUNIT_EXPECT_GE(test, ms, 100LL);
	KUNIT_EXPECT_LT(test, ms, 1000LL);

	/* Once the IOMMU runs again, the late completion and a new one work. */
	f->mode = AMD_GA_FAKE_RUN;
	amd_ga_fake_run(f);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_sync(iommu), 0);
}

/* A full ring: waiting for space is bounded too. */
static void cmdq_test_ring_full(struct kunit *test)
{
	struct amd_ga_fake *f = cmdq_test_fake(test);
	struct amd_ga_iommu *iommu = &f->iommu;
	struct amd_ga_cmd c;
	unsigned int i;

	amd_ga_cmd_make_inv_irt(5, &c);
	f->mode = AMD_GA_FAKE_STALL;
	iommu->cmdq->timeout_us = 2000;
	for (i = 0; i < AMD_GA_CMDQ_MAX_BATCH; i++)
		KUNIT_ASSERT_EQ(test, amd_ga_cmdq_submit(iommu, &c, 1, false), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_submit(iommu, &c, 1, false), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, f->ops[AMD_GA_CMD_INV_IRT], 0ULL);

	f->mode = AMD_GA_FAKE_RUN;
	amd_ga_fake_run(f);
	KUNIT_EXPECT_EQ(test, f->ops[AMD_GA_CMD_INV_IRT], (u64)AMD_GA_CMDQ_MAX_BATCH);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_submit(iommu, &c, 1, true), 0);
}

/*
 * QEMU's head reads back the ring size after a wrap. Batches of 256 slots
 * (255 commands and a COMPLETION_WAIT) end exactly on the ring end every
 * second time, and the next batch has to re-read the head right then.
 */
static void cmdq_test_head_wrap_bug(struct kunit *test)
{
	struct amd_ga_fake *f = cmdq_test_fake(test);
	struct amd_ga_iommu *iommu = &f->iommu;
	unsigned int i, n = AMD_GA_CMD_ENTRIES / 2 - 1;
	struct amd_ga_cmd *c;

	c = kunit_kcalloc(test, n, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	for (i = 0; i < n; i++)
		amd_ga_cmd_make_inv_irt(i, &c[i]);
	f->mode = AMD_GA_FAKE_HEAD_WRAP_BUG;
	iommu->cmdq->timeout_us = 20000;
	/* Start at slot 0 so that two batches fill the ring exactly. */
	while (iommu->cmdq->tail)
		KUNIT_ASSERT_EQ(test, amd_ga_cmdq_submit(iommu, c, 1, false), 0);
	f->ops[AMD_GA_CMD_INV_IRT] = 0;
	for (i = 0; i < 8; i++)
		KUNIT_ASSERT_EQ(test, amd_ga_cmdq_submit(iommu, c, n, true), 0);
	kunit_info(test, "head read back as the ring size %u times\n",
		   f->head_bug_reads);
	KUNIT_EXPECT_GE(test, f->head_bug_reads, 3U);
	KUNIT_EXPECT_EQ(test, f->ops[AMD_GA_CMD_INV_IRT], 8ULL * n);
	KUNIT_EXPECT_EQ(test, atomic64_read(&iommu->stats.cmd_wait_timeouts), 0LL);
}

/*
 * The wait is "stored value at or past mine", as a signed difference: a
 * later COMPLETION_WAIT completing first satisfies it, and it survives the
 * 64-bit wrap of the sequence number.
 */
static void cmdq_test_monotonic_compare(struct kunit *test)
{
	struct amd_ga_fake *f = cmdq_test_fake(test);
	struct amd_ga_iommu *iommu = &f->iommu;
	struct amd_ga_cmdq *q = iommu->cmdq;
	unsigned int i;

	q->timeout_us = 20000;
	q->seq = U64_MAX - 2;
	WRITE_ONCE(*q->sem, U64_MAX - 2);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, amd_ga_cmdq_sync(iommu), 0);
	KUNIT_EXPECT_EQ(test, q->seq, 2ULL);
	KUNIT_EXPECT_EQ(test, READ_ONCE(*q->sem), 2ULL);

	/* Stalled, but the stored value is already past the new sequence. */
	f->mode = AMD_GA_FAKE_STALL;
	WRITE_ONCE(*q->sem, q->seq + 5);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_sync(iommu), 0);
	/* ... and an older value is not mistaken for completion. */
	WRITE_ONCE(*q->sem, q->seq - 1);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_sync(iommu), -ETIMEDOUT);
	f->mode = AMD_GA_FAKE_RUN;
	amd_ga_fake_run(f);
}

static struct amd_ga_iommu *cmdq_test_qemu(struct kunit *test)
{
	struct amd_ga_iommu *iommu = amd_ga_first_iommu();

	if (!iommu || !iommu->enabled)
		kunit_skip(test, "no enabled AMD IOMMU");
	return iommu;
}

/* QEMU's IOMMU runs the ring: two rings' worth of syncs, timed. */
static void cmdq_test_qemu_sync(struct kunit *test)
{
	struct amd_ga_iommu *iommu = cmdq_test_qemu(test);
	s64 waits = atomic64_read(&iommu->stats.cmd_waits);
	s64 timeouts = atomic64_read(&iommu->stats.cmd_wait_timeouts);
	struct amd_ga_cmd c;
	unsigned int i, n = 1100;
	ktime_t t0;
	s64 ns;

	amd_ga_cmd_make_inv_irt(0xfffe, &c);
	/*
	 * Pad to an even slot: every round takes two slots (the command and
	 * the COMPLETION_WAIT), so some rounds end exactly on the ring end,
	 * where QEMU's head reads back the ring size instead of 0.
	 */
	if (iommu->cmdq->tail / AMD_GA_CMD_SIZE % 2)
		KUNIT_ASSERT_EQ(test, amd_ga_cmdq_submit(iommu, &c, 1, false), 0);
	t0 = ktime_get();
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, amd_ga_cmdq_submit(iommu, &c, 1, true), 0);
	ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	kunit_info(test, "%u INVALIDATE_INTERRUPT_TABLE + COMPLETION_WAIT round trips on QEMU: %lld ns each\n",
		   n, ns / n);
	KUNIT_EXPECT_EQ(test, atomic64_read(&iommu->stats.cmd_waits), waits + n);
	KUNIT_EXPECT_EQ(test, atomic64_read(&iommu->stats.cmd_wait_timeouts),
			timeouts);
	KUNIT_EXPECT_EQ(test, READ_ONCE(*iommu->cmdq->sem), iommu->cmdq->seq);
}

/* Callable with a raw spinlock held and interrupts off. */
static void cmdq_test_qemu_atomic(struct kunit *test)
{
	struct amd_ga_iommu *iommu = cmdq_test_qemu(test);
	static DEFINE_RAW_SPINLOCK(outer);
	unsigned long flags;
	int ret;

	raw_spin_lock_irqsave(&outer, flags);
	ret = amd_ga_cmdq_sync(iommu);
	raw_spin_unlock_irqrestore(&outer, flags);
	KUNIT_EXPECT_EQ(test, ret, 0);
}

/* QEMU with CmdBufEn clear does not run commands: bounded failure, recovery. */
static void cmdq_test_qemu_cmdbuf_off(struct kunit *test)
{
	struct amd_ga_iommu *iommu = cmdq_test_qemu(test);
	s64 timeouts = atomic64_read(&iommu->stats.cmd_wait_timeouts);
	ktime_t t0;
	int ret;
	s64 ms;

	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_CMD_BUF_EN, 0);
	t0 = ktime_get();
	ret = amd_ga_cmdq_sync(iommu);
	ms = ktime_ms_delta(ktime_get(), t0);
	kunit_info(test, "gave up after %lld ms\n", ms);
	amd_ga_ctrl_update(iommu, 0, AMD_GA_CTRL_CMD_BUF_EN);
	KUNIT_EXPECT_EQ(test, ret, -ETIMEDOUT);
	KUNIT_EXPECT_GE(test, ms, 100LL);
	KUNIT_EXPECT_LT(test, ms, 1000LL);
	KUNIT_EXPECT_EQ(test, atomic64_read(&iommu->stats.cmd_wait_timeouts),
			timeouts + 1);
	/* Re-enabled, the stale command runs and new ones complete. */
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_sync(iommu), 0);
}

static struct kunit_case amd_ga_cmdq_test_cases[] = {
	KUNIT_CASE(cmdq_test_make_completion_wait),
	KUNIT_CASE(cmdq_test_make_invalidations),
	KUNIT_CASE(cmdq_test_sync_fake),
	KUNIT_CASE(cmdq_test_bad_args),
	KUNIT_CASE(cmdq_test_wait_timeout),
	KUNIT_CASE(cmdq_test_ring_full),
	KUNIT_CASE(cmdq_test_head_wrap_bug),
	KUNIT_CASE(cmdq_test_monotonic_compare),
	KUNIT_CASE(cmdq_test_qemu_sync),
	KUNIT_CASE(cmdq_test_qemu_atomic),
	KUNIT_CASE(cmdq_test_qemu_cmdbuf_off),
	{}
};

static struct kunit_suite amd_ga_cmdq_test_suite = {
	.name = "amd_ga_cmdq",
	.exit = cmdq_test_exit,
	.test_cases = amd_ga_cmdq_test_cases,
};

kunit_test_suite(amd_ga_cmdq_test_suite);
