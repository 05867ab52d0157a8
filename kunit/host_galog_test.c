// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the GA log engine on a built-in IOMMU's registers, as the in-tree
 * backport runs it. The built-in IOMMU's registers are the software
 * model's (amd_ga_host_add_regs()), with their semantics: write-1-to-clear
 * Status, GALogRun that follows GALogEn, a log the model appends to and
 * overflows. The built-in driver's share is played by the test: Control
 * and Status bits of its own, set before amd-ga starts, and its interrupt
 * thread's call (amd_ga_host_galog_process()).
 *
 * Checked: the adapter passes on only the GA log's registers and bits;
 * enable programs the log and touches no bit of the built-in driver's,
 * also after a log left running (kdump); the drain hands each
 * tag to the notifier once and acknowledges only the GA bits of Status;
 * an overflow restarts the log and recovers, keeping the built-in bits;
 * resume reprograms the same log without allocating and recovers at
 * once; an instance without a GA log leaves the interrupt to the built-in
 * poller; with the built-in driver's update_control hook every Control
 * write goes through it, serialised with the built-in driver's own.
 *
 * The adapter keeps the built-in driver's IOMMUs for the kernel's
 * lifetime, so the model behind each case is never freed.
 */
#include <kunit/test.h>
#include <linux/amd-ga.h>
#include <linux/amd-ga-host.h>
#include <linux/bitfield.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "cpu_pair.h"
#include "galog.h"
#include "host.h"
#include "hw.h"
#include "iommu.h"
#include "model.h"

/*
 * Control and Status bits the built-in driver set and amd-ga must keep:
 * some before it took the IOMMU on, GAMEn (vAPIC mode) only after the GA
 * log was enabled, as enable_iommus_vapic() does. amd-ga's shadow of
 * Control never saw that one.
 */
#define HG_EARLY_CTRL		(AMD_GA_CTRL_EVT_LOG_EN | AMD_GA_CTRL_EVT_INT_EN | \
				 AMD_GA_CTRL_GA_EN | AMD_GA_CTRL_XT_EN)
#define HG_GAM_VAPIC		FIELD_PREP(AMD_GA_CTRL_GAM_EN, AMD_GA_CTRL_GAM_VAPIC)
#define HG_BUILTIN_CTRL		(HG_EARLY_CTRL | HG_GAM_VAPIC)
#define HG_BUILTIN_STATUS	(AMD_GA_STATUS_EVT_INT | AMD_GA_STATUS_PPR_INT)
#define HG_MAX_TAGS		16

/* Tags the notifier saw, in order; one case at a time. */
static u32 hg_tags[HG_MAX_TAGS];
static unsigned int hg_nr_tags;

static int hg_notifier(u32 ga_tag)
{
	if (hg_nr_tags < HG_MAX_TAGS)
		hg_tags[hg_nr_tags] = ga_tag;
	hg_nr_tags++;
	return 0;
}

static int hg_submit(void *host, const void *cmds, unsigned int nr, bool wait)
{
	return 0;
}

static const struct amd_ga_host_ops hg_ops = {
	.submit = hg_submit,
};

/*
 * The built-in driver's lock for its read-modify-writes of Control, which
 * its update_control hook takes (the in-tree glue's iommu->ctrl_lock). A
 * case holds it to stand for one of the built-in driver's own in flight.
 */
static DEFINE_RAW_SPINLOCK(hg_ctrl_lock);
/* Calls of the hook, and those asking for a bit not the GA log's. */
static atomic_t hg_ctrl_calls;
static atomic_t hg_ctrl_foreign;

static void hg_update_control(void *host, u64 clear, u64 set)
{
	struct amd_ga_model *m = host;
	unsigned long flags;
	u64 ctrl;

	if ((clear | set) & ~(AMD_GA_CTRL_GALOG_EN | AMD_GA_CTRL_GAINT_EN))
		atomic_inc(&hg_ctrl_foreign);
	atomic_inc(&hg_ctrl_calls);
	raw_spin_lock_irqsave(&hg_ctrl_lock, flags);
	ctrl = amd_ga_read(&m->iommu, AMD_GA_MMIO_CONTROL);
	amd_ga_write(&m->iommu, AMD_GA_MMIO_CONTROL, (ctrl & ~clear) | set);
	raw_spin_unlock_irqrestore(&hg_ctrl_lock, flags);
}

/* A built-in driver that serialises its Control writes, as the glue does. */
static const struct amd_ga_host_ops hg_locked_ops = {
	.submit = hg_submit,
	.update_control = hg_update_control,
};

struct hg_ctx {
	struct amd_ga_model *m;
	struct amd_ga_iommu *ga;
};

static u64 hg_reg(struct hg_ctx *c, u32 off)
{
	return amd_ga_read(&c->m->iommu, off);
}

static u64 hg_entry(u32 tag)
{
	return FIELD_PREP(AMD_GA_GALOG_ENT_GATAG, tag) |
	       FIELD_PREP(AMD_GA_GALOG_ENT_DEVID, 0x42) |
	       FIELD_PREP(AMD_GA_GALOG_ENT_CODE, 1);
}

/* The built-in driver's IOMMU: its bits set, then handed to amd-ga. */
static struct hg_ctx *hg_create_ops(struct kunit *test, bool enable,
				    const struct amd_ga_host_ops *ops)
{
	struct hg_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->m = amd_ga_model_create(NULL, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c->m));
	amd_ga_write(&c->m->iommu, AMD_GA_MMIO_CONTROL, HG_EARLY_CTRL);
	c->m->regs[AMD_GA_MMIO_STATUS / 8] |= HG_BUILTIN_STATUS;
	/* The model's instance stands for the built-in driver's IOMMU. */
	c->ga = amd_ga_host_add_regs(&c->m->iommu, false, ops, c->m);
	KUNIT_ASSERT_NOT_NULL(test, c->ga);
	hg_nr_tags = 0;
	KUNIT_ASSERT_EQ(test, amd_ga_register_ga_log_notifier(hg_notifier), 0);
	test->priv = c;
	if (enable)
		KUNIT_ASSERT_EQ(test, amd_ga_host_galog_enable(c->ga), 0);
	amd_ga_write(&c->m->iommu, AMD_GA_MMIO_CONTROL,
		     hg_reg(c, AMD_GA_MMIO_CONTROL) | HG_GAM_VAPIC);
	return c;
}

static struct hg_ctx *hg_create(struct kunit *test, bool enable)
{
	return hg_create_ops(test, enable, &hg_ops);
}

static void hg_exit(struct kunit *test)
{
	struct hg_ctx *c = test->priv;

	amd_ga_register_ga_log_notifier(NULL);
	if (c && c->ga)
		amd_ga_galog_disable(c->ga);
}

/* Enable programs the log on the built-in registers and keeps their bits. */
static void host_galog_enable_programs(struct kunit *test)
{
	struct hg_ctx *c = hg_create(test, true);
	struct amd_ga_galog *gl = c->ga->galog;
	u64 ctrl = hg_reg(c, AMD_GA_MMIO_CONTROL);

	KUNIT_ASSERT_NOT_NULL(test, gl);
	KUNIT_EXPECT_EQ(test, hg_reg(c, AMD_GA_MMIO_GALOG_BASE) &
			AMD_GA_GALOG_BASE_ADDR, virt_to_phys(gl->buf));
	KUNIT_EXPECT_EQ(test, hg_reg(c, AMD_GA_MMIO_GALOG_TAIL_ADDR),
			virt_to_phys(gl->tail_mirror));
	KUNIT_EXPECT_TRUE(test, ctrl & AMD_GA_CTRL_GALOG_EN);
	KUNIT_EXPECT_TRUE(test, ctrl & AMD_GA_CTRL_GAINT_EN);
	KUNIT_EXPECT_EQ(test, ctrl & HG_BUILTIN_CTRL, HG_BUILTIN_CTRL);
	/* Written through the adapter: GAMEn, set behind its back, stays. */
	amd_ga_ctrl_update(c->ga, AMD_GA_CTRL_GAINT_EN, 0);
	amd_ga_ctrl_update(c->ga, 0, AMD_GA_CTRL_GAINT_EN);
	KUNIT_EXPECT_EQ(test, hg_reg(c, AMD_GA_MMIO_CONTROL) & HG_BUILTIN_CTRL,
			HG_BUILTIN_CTRL);
	KUNIT_EXPECT_EQ(test, hg_reg(c, AMD_GA_MMIO_STATUS) & HG_BUILTIN_STATUS,
			HG_BUILTIN_STATUS);
	KUNIT_EXPECT_TRUE(test, hg_reg(c, AMD_GA_MMIO_STATUS) &
			  AMD_GA_STATUS_GALOG_RUN);
	/* No interrupt of its own: the built-in one's thread calls in. */
	KUNIT_EXPECT_EQ(test, gl->irq, 0);
}

/*
 * A log left running by the previous kernel (kdump) is stopped before
 * its registers are written: the model counts a base or tail address
 * written while GALogRun is 1.
 */
static void host_galog_enable_after_kdump(struct kunit *test)
{
	struct hg_ctx *c = hg_create(test, false);
	struct amd_ga_model_stats st;
	void *old = (void *)get_zeroed_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, old);
	amd_ga_write(&c->m->iommu, AMD_GA_MMIO_GALOG_BASE,
		     virt_to_phys(old) |
		     FIELD_PREP(AMD_GA_GALOG_BASE_LEN, AMD_GA_GALOG_LEN_CODE_512));
	amd_ga_write(&c->m->iommu, AMD_GA_MMIO_CONTROL,
		     HG_BUILTIN_CTRL | AMD_GA_CTRL_GALOG_EN);
	KUNIT_ASSERT_TRUE(test, hg_reg(c, AMD_GA_MMIO_STATUS) &
			  AMD_GA_STATUS_GALOG_RUN);
	KUNIT_ASSERT_EQ(test, amd_ga_host_galog_enable(c->ga), 0);
	amd_ga_model_get_stats(c->m, &st);
	KUNIT_EXPECT_EQ(test, st.galog_reprogram_running, 0ULL);
	KUNIT_EXPECT_EQ(test, hg_reg(c, AMD_GA_MMIO_GALOG_BASE) &
			AMD_GA_GALOG_BASE_ADDR, virt_to_phys(c->ga->galog->buf));
	/* The old buffer is the previous kernel's: the model no longer writes it. */
	amd_ga_galog_disable(c->ga);
	free_page((unsigned long)old);
}

/*
 * The built-in thread's call drains: every tag reaches the notifier once
 * per drain, and only GAInt is acknowledged, never the built-in driver's
 * event and PPR interrupt bits.
 */
static void host_galog_process_drains(struct kunit *test)
{
	struct hg_ctx *c = hg_create(test, true);
	static const u32 tags[] = { 0x10001, 0x10002, 0x10001 };
	unsigned int i;
	u64 status;

	for (i = 0; i < ARRAY_SIZE(tags); i++)
		KUNIT_ASSERT_EQ(test,
				amd_ga_model_galog_inject(c->m, hg_entry(tags[i])),
				0);
	KUNIT_ASSERT_TRUE(test, hg_reg(c, AMD_GA_MMIO_STATUS) &
			  AMD_GA_STATUS_GALOG_INT);
	KUNIT_EXPECT_TRUE(test, amd_ga_host_galog_process(c->ga));
	KUNIT_EXPECT_EQ(test, hg_nr_tags, 2U);
	KUNIT_EXPECT_EQ(test, hg_tags[0], 0x10001U);
	KUNIT_EXPECT_EQ(test, hg_tags[1], 0x10002U);
	KUNIT_EXPECT_EQ(test, atomic64_read(&c->ga->stats.galog_entries), 3LL);
	KUNIT_EXPECT_EQ(test, hg_reg(c, AMD_GA_MMIO_GALOG_HEAD),
			hg_reg(c, AMD_GA_MMIO_GALOG_TAIL));
	status = hg_reg(c, AMD_GA_MMIO_STATUS);
	KUNIT_EXPECT_FALSE(test, status & AMD_GA_STATUS_GALOG_INT);
	KUNIT_EXPECT_EQ(test, status & HG_BUILTIN_STATUS, HG_BUILTIN_STATUS);
}

/*
 * A full log overflows: the built-in thread's call restarts it (GALogEn
 * cleared and set again) and recovers, and the built-in driver's Control
 * bits survive both Control writes; entries are logged again after it.
 */
static void host_galog_overflow_restarts(struct kunit *test)
{
	struct hg_ctx *c = hg_create(test, true);
	struct amd_ga_model_stats before, after;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < AMD_GA_GALOG_ENTRIES + 8 && ret != -ENOSPC; i++)
		ret = amd_ga_model_galog_inject(c->m, hg_entry(0x20000 + i));
	KUNIT_ASSERT_EQ(test, ret, -ENOSPC);
	KUNIT_ASSERT_TRUE(test, hg_reg(c, AMD_GA_MMIO_STATUS) &
			  AMD_GA_STATUS_GALOG_OVERFLOW);
	amd_ga_model_get_stats(c->m, &before);
	KUNIT_EXPECT_TRUE(test, amd_ga_host_galog_process(c->ga));
	amd_ga_model_get_stats(c->m, &after);
	KUNIT_EXPECT_EQ(test, atomic64_read(&c->ga->stats.galog_overflows), 1LL);
	KUNIT_EXPECT_EQ(test, atomic64_read(&c->ga->stats.galog_restarts), 1LL);
	KUNIT_EXPECT_EQ(test, atomic64_read(&c->ga->stats.galog_recoveries), 1LL);
	KUNIT_EXPECT_EQ(test, after.galog_en_sets - before.galog_en_sets, 1ULL);
	KUNIT_EXPECT_EQ(test, hg_reg(c, AMD_GA_MMIO_CONTROL) & HG_BUILTIN_CTRL,
			HG_BUILTIN_CTRL);
	KUNIT_EXPECT_TRUE(test, hg_reg(c, AMD_GA_MMIO_CONTROL) &
			  AMD_GA_CTRL_GALOG_EN);
	KUNIT_EXPECT_FALSE(test, hg_reg(c, AMD_GA_MMIO_STATUS) &
			   AMD_GA_STATUS_GALOG_OVERFLOW);
	hg_nr_tags = 0;
	KUNIT_EXPECT_EQ(test, amd_ga_model_galog_inject(c->m, hg_entry(0x30001)),
			0);
	KUNIT_EXPECT_TRUE(test, amd_ga_host_galog_process(c->ga));
	KUNIT_EXPECT_EQ(test, hg_nr_tags, 1U);
	KUNIT_EXPECT_EQ(test, hg_tags[0], 0x30001U);
}

/*
 * Resume: the IOMMU lost its registers (the built-in suspend cleared
 * Control; S3 loses the rest). Enabling again reprograms the same buffer,
 * allocating nothing; entries written before the suspend are not handed
 * out as if new, recovery runs at once (a work item, no interrupt
 * needed), and entries after it are drained from the top.
 */
static void host_galog_resume_reprograms(struct kunit *test)
{
	struct hg_ctx *c = hg_create(test, true);
	struct amd_ga_galog *gl = c->ga->galog;
	u64 *buf = gl->buf;

	/* Two entries drained before the suspend: the head moved on. */
	KUNIT_ASSERT_EQ(test, amd_ga_model_galog_inject(c->m, hg_entry(0x40001)),
			0);
	KUNIT_ASSERT_EQ(test, amd_ga_model_galog_inject(c->m, hg_entry(0x40002)),
			0);
	KUNIT_ASSERT_TRUE(test, amd_ga_host_galog_process(c->ga));
	KUNIT_ASSERT_EQ(test, hg_nr_tags, 2U);
	/* Two more nobody drained before the IOMMU lost its registers. */
	KUNIT_ASSERT_EQ(test, amd_ga_model_galog_inject(c->m, hg_entry(0x40004)),
			0);
	KUNIT_ASSERT_EQ(test, amd_ga_model_galog_inject(c->m, hg_entry(0x40005)),
			0);
	hg_nr_tags = 0;
	/* Suspend: the built-in driver clears Control, the rest is lost. */
	amd_ga_write(&c->m->iommu, AMD_GA_MMIO_CONTROL, 0);
	amd_ga_write(&c->m->iommu, AMD_GA_MMIO_GALOG_BASE, 0);
	amd_ga_write(&c->m->iommu, AMD_GA_MMIO_GALOG_TAIL_ADDR, 0);
	amd_ga_write(&c->m->iommu, AMD_GA_MMIO_GALOG_HEAD, 0);
	amd_ga_write(&c->m->iommu, AMD_GA_MMIO_GALOG_TAIL, 0);
	amd_ga_write(&c->m->iommu, AMD_GA_MMIO_CONTROL, HG_BUILTIN_CTRL);

	KUNIT_ASSERT_EQ(test, amd_ga_host_galog_enable(c->ga), 0);
	KUNIT_EXPECT_PTR_EQ(test, c->ga->galog, gl);
	KUNIT_EXPECT_PTR_EQ(test, gl->buf, buf);
	KUNIT_EXPECT_EQ(test, hg_reg(c, AMD_GA_MMIO_GALOG_BASE) &
			AMD_GA_GALOG_BASE_ADDR, virt_to_phys(buf));
	KUNIT_EXPECT_TRUE(test, hg_reg(c, AMD_GA_MMIO_CONTROL) &
			  AMD_GA_CTRL_GALOG_EN);
	KUNIT_EXPECT_EQ(test, hg_reg(c, AMD_GA_MMIO_CONTROL) & HG_BUILTIN_CTRL,
			HG_BUILTIN_CTRL);
	flush_work(&gl->resume_work);
	KUNIT_EXPECT_EQ(test, atomic64_read(&c->ga->stats.galog_recoveries), 1LL);
	KUNIT_EXPECT_EQ(test, hg_nr_tags, 0U);

	KUNIT_ASSERT_EQ(test, amd_ga_model_galog_inject(c->m, hg_entry(0x40003)),
			0);
	KUNIT_EXPECT_TRUE(test, amd_ga_host_galog_process(c->ga));
	KUNIT_EXPECT_EQ(test, hg_nr_tags, 1U);
	KUNIT_EXPECT_EQ(test, hg_tags[0], 0x40003U);
	KUNIT_EXPECT_EQ(test, atomic64_read(&c->ga->stats.galog_torn), 0LL);
}

/*
 * The adapter's register policy, whoever writes through it: of Control,
 * only GALogEn and GAIntEn change; of Status, only GAInt and GALOverflow
 * are acknowledged; the GA log's own registers are written as given.
 */
static void host_galog_register_policy(struct kunit *test)
{
	struct hg_ctx *c = hg_create(test, false);

	amd_ga_write(c->ga, AMD_GA_MMIO_CONTROL, AMD_GA_CTRL_GAINT_EN);
	KUNIT_EXPECT_EQ(test, hg_reg(c, AMD_GA_MMIO_CONTROL),
			HG_BUILTIN_CTRL | AMD_GA_CTRL_GAINT_EN);
	amd_ga_write(c->ga, AMD_GA_MMIO_CONTROL, ~0ULL & ~AMD_GA_CTRL_GALOG_EN);
	KUNIT_EXPECT_EQ(test, hg_reg(c, AMD_GA_MMIO_CONTROL),
			HG_BUILTIN_CTRL | AMD_GA_CTRL_GAINT_EN);
	amd_ga_write(c->ga, AMD_GA_MMIO_CONTROL, 0);
	KUNIT_EXPECT_EQ(test, hg_reg(c, AMD_GA_MMIO_CONTROL), HG_BUILTIN_CTRL);

	c->m->regs[AMD_GA_MMIO_STATUS / 8] |= AMD_GA_STATUS_GALOG_INT;
	amd_ga_write(c->ga, AMD_GA_MMIO_STATUS, AMD_GA_STATUS_W1C);
	KUNIT_EXPECT_EQ(test, hg_reg(c, AMD_GA_MMIO_STATUS) &
			(HG_BUILTIN_STATUS | AMD_GA_STATUS_GALOG_INT),
			HG_BUILTIN_STATUS);

	amd_ga_write(c->ga, AMD_GA_MMIO_GALOG_HEAD, 0x40);
	KUNIT_EXPECT_EQ(test, hg_reg(c, AMD_GA_MMIO_GALOG_HEAD), 0x40ULL);
}

/*
 * Without amd-ga's GA log (not enabled, or amd-ga off: no instance), the
 * built-in thread keeps its own poller: the call says so and touches
 * nothing.
 */
static void host_galog_not_owned(struct kunit *test)
{
	struct hg_ctx *c = hg_create(test, false);

	c->m->regs[AMD_GA_MMIO_STATUS / 8] |= AMD_GA_STATUS_GALOG_INT;
	KUNIT_EXPECT_FALSE(test, amd_ga_host_galog_process(c->ga));
	KUNIT_EXPECT_FALSE(test, amd_ga_host_galog_process(NULL));
	KUNIT_EXPECT_TRUE(test, hg_reg(c, AMD_GA_MMIO_STATUS) &
			  AMD_GA_STATUS_GALOG_INT);
	KUNIT_EXPECT_EQ(test, amd_ga_host_galog_enable(NULL), -EINVAL);
}

/*
 * With the built-in driver's update_control hook, every Control write of
 * the engine goes through it, asks for the GA log's bits only and keeps
 * the built-in driver's, set before and after amd-ga started.
 */
static void host_galog_control_hook(struct kunit *test)
{
	int calls = atomic_read(&hg_ctrl_calls);
	int foreign = atomic_read(&hg_ctrl_foreign);
	struct hg_ctx *c = hg_create_ops(test, true, &hg_locked_ops);
	u64 ctrl = hg_reg(c, AMD_GA_MMIO_CONTROL);

	KUNIT_EXPECT_GT(test, atomic_read(&hg_ctrl_calls), calls);
	KUNIT_EXPECT_TRUE(test, ctrl & AMD_GA_CTRL_GALOG_EN);
	KUNIT_EXPECT_TRUE(test, ctrl & AMD_GA_CTRL_GAINT_EN);
	KUNIT_EXPECT_EQ(test, ctrl & HG_BUILTIN_CTRL, HG_BUILTIN_CTRL);

	calls = atomic_read(&hg_ctrl_calls);
	amd_ga_ctrl_update(c->ga, AMD_GA_CTRL_GAINT_EN, 0);
	KUNIT_EXPECT_EQ(test, hg_reg(c, AMD_GA_MMIO_CONTROL),
			HG_BUILTIN_CTRL | AMD_GA_CTRL_GALOG_EN);
	amd_ga_write(c->ga, AMD_GA_MMIO_CONTROL, ~0ULL & ~AMD_GA_CTRL_GALOG_EN);
	KUNIT_EXPECT_EQ(test, hg_reg(c, AMD_GA_MMIO_CONTROL),
			HG_BUILTIN_CTRL | AMD_GA_CTRL_GAINT_EN);
	KUNIT_EXPECT_EQ(test, atomic_read(&hg_ctrl_calls), calls + 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&hg_ctrl_foreign), foreign);
}

struct hg_setter {
	struct amd_ga_iommu *ga;
	struct completion done;
};

static int hg_set_gaint(void *data)
{
	struct hg_setter *s = data;

	amd_ga_ctrl_update(s->ga, 0, AMD_GA_CTRL_GAINT_EN);
	complete(&s->done);
	return 0;
}

/* How long this CPU waits, interrupts off, for the other one's write. */
#define HG_RACE_POLLS		100000
#define HG_RACE_POLL_US		10

/*
 * amd-ga's write of Control on one CPU meets one of the built-in
 * driver's read-modify-writes in flight on another (a log restart in a
 * thread of its own): the built-in driver read Control, amd-ga sets
 * GAIntEn, the built-in driver writes back what it read plus its own
 * bit. Through the hook amd-ga waits for the built-in driver's lock and
 * both bits stay; a write that went around it is overwritten, and the GA
 * log would lose its interrupt.
 */
static void host_galog_control_serialised(struct kunit *test)
{
	struct hg_ctx *c = hg_create_ops(test, false, &hg_locked_ops);
	struct hg_setter s = { .ga = c->ga };
	struct task_struct *t;
	unsigned int i;
	unsigned long flags;
	u64 seen, ctrl;
	bool done;
	int calls;

	init_completion(&s.done);
	amd_ga_write(&c->m->iommu, AMD_GA_MMIO_CONTROL,
		     HG_BUILTIN_CTRL & ~AMD_GA_CTRL_EVT_LOG_EN);
	t = cpu_pair_thread(test, hg_set_gaint, &s, "hg-ctrl");
	if (!t)
		return;
	calls = atomic_read(&hg_ctrl_calls);

	raw_spin_lock_irqsave(&hg_ctrl_lock, flags);
	seen = amd_ga_read(&c->m->iommu, AMD_GA_MMIO_CONTROL);
	wake_up_process(t);
	/* Until amd-ga's write waits for the lock, or ended without it. */
	for (i = 0; i < HG_RACE_POLLS; i++) {
		if (atomic_read(&hg_ctrl_calls) != calls ||
		    completion_done(&s.done))
			break;
		udelay(HG_RACE_POLL_US);
	}
	amd_ga_write(&c->m->iommu, AMD_GA_MMIO_CONTROL,
		     seen | AMD_GA_CTRL_EVT_LOG_EN);
	raw_spin_unlock_irqrestore(&hg_ctrl_lock, flags);

	done = wait_for_completion_timeout(&s.done, msecs_to_jiffies(1000));
	cpu_pair_unpin();
	KUNIT_ASSERT_TRUE_MSG(test, done, "amd-ga's Control write did not end within 1 s");
	ctrl = hg_reg(c, AMD_GA_MMIO_CONTROL);
	KUNIT_EXPECT_TRUE_MSG(test, ctrl & AMD_GA_CTRL_GAINT_EN,
			      "GAIntEn lost: amd-ga wrote Control around the built-in driver's lock (Control %#llx)",
			      ctrl);
	KUNIT_EXPECT_TRUE(test, ctrl & AMD_GA_CTRL_EVT_LOG_EN);
	KUNIT_EXPECT_EQ(test, atomic_read(&hg_ctrl_calls), calls + 1);
}

static struct kunit_case host_galog_test_cases[] = {
	KUNIT_CASE(host_galog_enable_programs),
	KUNIT_CASE(host_galog_enable_after_kdump),
	KUNIT_CASE(host_galog_process_drains),
	KUNIT_CASE(host_galog_overflow_restarts),
	KUNIT_CASE(host_galog_resume_reprograms),
	KUNIT_CASE(host_galog_register_policy),
	KUNIT_CASE(host_galog_not_owned),
	KUNIT_CASE(host_galog_control_hook),
	KUNIT_CASE(host_galog_control_serialised),
	{}
};

static struct kunit_suite host_galog_test_suite = {
	.name = "amd_ga_host_galog",
	.exit = hg_exit,
	.test_cases = host_galog_test_cases,
};

kunit_test_suite(host_galog_test_suite);

MODULE_LICENSE("GPL");
