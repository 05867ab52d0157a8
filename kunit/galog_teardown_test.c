// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the GA log engine's stop, restart and teardown paths, and its
 * interrupt loop under a steady trickle of entries, on the software IOMMU
 * model:
 *
 * - disable leaves the log disabled even when the IRQ thread's overflow
 *   restart runs while disable waits for it in free_irq();
 * - disable leaks, never frees, a log whose GALogRun does not clear;
 * - enable waits for a log left running (kexec, kdump) to stop before it
 *   reprograms it, and leaves one that never stops alone;
 * - the overflow restart waits for GALogRun = 0 and, when it never comes,
 *   gives up without touching GALogEn (recovery still runs);
 * - a direct drain that finds a torn slot runs lossless recovery itself;
 * - the interrupt loop gives up the CPU once per round while a trickle
 *   keeps it going, and RCU grace periods keep completing.
 *
 * The model's linger quirk (amd_ga_model_set_galog_run_linger()) makes a
 * GA log slow to stop, or one that never stops, and that keeps writing
 * its buffer and tail slot meanwhile, as hardware may.
 */
#include <kunit/test.h>
#include <linux/amd-ga.h>
#include <linux/bitfield.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "compat.h"
#include "galog.h"
#include "gatag.h"
#include "standin.h"
#include "vapic.h"

/* Every wait of these tests; running out of it is a failure. */
#define GTD_WAIT_MS		5000
/* How long the blocking notifier holds the IRQ thread at most. */
#define GTD_BLOCK_MS		5000
/* Time for disable to get from clearing GALogEn into free_irq(). */
#define GTD_IN_FREE_IRQ_MS	100
/* Status reads for which a slow GA log still reports GALogRun. */
#define GTD_LINGER_READS	20

/* The trickle: one entry per notifier call for the flood's length. */
#define GTD_FLOOD_MS		3000
/* The notifier's cost: what one round takes at least. */
#define GTD_NOTIFY_US		500
/* The probe sleeps this long, and may be woken this much late at most. */
#define GTD_PROBE_US		1000
#define GTD_PROBE_LATE_MS	250
#define GTD_ROUND_MAX_MS	250
#define GTD_RCU_MAX_MS		(GTD_FLOOD_MS / 2)

/**
 * struct gtd_ctx - one case's stand-in host and memory to free after it
 * @h: model, VM, vCPUs
 * @inited: @h is set up
 * @pages: pages a lingering GA log may write: freed once the model is gone
 * @slots: tail slots, likewise
 */
struct gtd_ctx {
	struct standin_host h;
	bool inited;
	unsigned long pages[2];
	void *slots[2];
};

static struct gtd_ctx *gtd_host(struct kunit *test, unsigned int nvcpus,
				unsigned int nvec, bool start)
{
	struct gtd_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	test->priv = c;
	KUNIT_ASSERT_EQ(test, standin_init(&c->h, nvcpus, nvec, start), 0);
	c->inited = true;
	return c;
}

static void gtd_exit(struct kunit *test)
{
	struct gtd_ctx *c = test->priv;
	unsigned int i;

	if (!c)
		return;
	if (c->inited)
		standin_exit(&c->h);
	for (i = 0; i < ARRAY_SIZE(c->pages); i++) {
		if (c->pages[i])
			free_page(c->pages[i]);
		kfree(c->slots[i]);
	}
}

/* A model register as the model holds it (not amd-ga's shadow). */
static u64 gtd_reg(struct gtd_ctx *c, u32 off)
{
	return amd_ga_read(c->h.env.iommu, off);
}

static u64 gtd_stat(atomic64_t *s)
{
	return atomic64_read(s);
}

/* A valid entry for vCPU 0. */
static u64 gtd_entry(struct gtd_ctx *c)
{
	return FIELD_PREP(AMD_GA_GALOG_ENT_GATAG,
			  amd_ga_vcpu_ga_tag(c->h.vcpus[0].rec)) |
	       FIELD_PREP(AMD_GA_GALOG_ENT_DEVID, 0x42) |
	       FIELD_PREP(AMD_GA_GALOG_ENT_CODE, AMD_GA_GALOG_CODE_GUEST_NR);
}

/*
 * Fill the log with @entry, the drain held off, until the model drops
 * one and sets GALOverflow. Return: the entries logged, 0 if the log
 * never overflowed.
 */
static unsigned int gtd_fill(struct gtd_ctx *c, u64 entry)
{
	struct amd_ga_galog *gl = c->h.gl;
	unsigned int i, n = 0;
	int ret = 0;

	mutex_lock(&gl->drain_lock);
	for (i = 0; i <= AMD_GA_GALOG_ENTRIES; i++) {
		ret = amd_ga_model_galog_inject(c->h.env.model, entry);
		if (ret)
			break;
		n++;
	}
	mutex_unlock(&gl->drain_lock);
	return ret == -ENOSPC ? n : 0;
}

static bool gtd_wait_stat(atomic64_t *s, u64 min, unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);

	while (atomic64_read(s) < (s64)min) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(200, 400);
	}
	return true;
}

/* The notifier of the disable race: holds the IRQ thread in its first call. */
static struct {
	atomic_t armed;
	bool entered;
	bool release;
	bool timed_out;
} gtd_block;

static int gtd_block_notifier(u32 ga_tag)
{
	unsigned long end;

	if (!atomic_xchg(&gtd_block.armed, 0))
		return 0;
	/*
	 * Spin: the drain calls the notifier under rcu_read_lock(), where it
	 * must not sleep. Bounded, so that a lost release fails the case
	 * instead of hanging it.
	 */
	WRITE_ONCE(gtd_block.entered, true);
	end = jiffies + msecs_to_jiffies(GTD_BLOCK_MS);
	while (!READ_ONCE(gtd_block.release)) {
		if (time_after(jiffies, end)) {
			WRITE_ONCE(gtd_block.timed_out, true);
			break;
		}
		cpu_relax();
	}
	return 0;
}

struct gtd_disabler {
	struct amd_ga_iommu *iommu;
	struct completion done;
};

static int gtd_disable_fn(void *data)
{
	struct gtd_disabler *d = data;

	amd_ga_galog_disable(d->iommu);
	complete(&d->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/*
 * Defect: disable cleared GALogEn and GAIntEn, found GALogRun already 0
 * (the overflow had stopped the log), blocked in free_irq() for the IRQ
 * thread, whose overflow restart then set GALogEn again; disable went on
 * to free the buffer of an enabled log.
 *
 * Here the IRQ thread is held in the notifier while it drains an
 * overflowed log, disable runs in a kthread until it waits in free_irq()
 * (GALogEn is 0 in the model by then), then the thread is let go. When
 * disable returns, the model's Control must have GALogEn = 0, and the
 * model must have seen no write that set GALogEn since disable's clear.
 */
static void galog_disable_beats_overflow_restart(struct kunit *test)
{
	struct gtd_ctx *c = gtd_host(test, 1, 1, false);
	struct amd_ga_iommu *iommu = c->h.env.iommu;
	struct amd_ga_stats *s = &iommu->stats;
	struct amd_ga_model_stats m0, m1;
	struct gtd_disabler *d;
	struct task_struct *t;
	unsigned long end;
	u64 ctrl;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d);
	d->iommu = iommu;
	init_completion(&d->done);
	/*
	 * Created now: kthreadd, a CFS task, could be stuck behind the
	 * spinning IRQ thread later. This thread and the disabler are
	 * SCHED_FIFO below the IRQ thread: RT balancing never leaves them
	 * queued on the CPU where it spins.
	 */
	t = kthread_create(gtd_disable_fn, d, "ga-disable");
	if (IS_ERR(t)) {
		kfree(d);
		KUNIT_FAIL(test, "no disable thread: %ld", PTR_ERR(t));
		return;
	}
	get_task_struct(t);
	sched_set_fifo_low(t);
	sched_set_fifo_low(current);
	memset(&gtd_block, 0, sizeof(gtd_block));
	atomic_set(&gtd_block.armed, 1);
	amd_ga_register_ga_log_notifier(gtd_block_notifier);

	KUNIT_EXPECT_EQ(test, gtd_fill(c, gtd_entry(c)), AMD_GA_GALOG_ENTRIES - 1);
	end = jiffies + msecs_to_jiffies(GTD_WAIT_MS);
	while (!READ_ONCE(gtd_block.entered) && time_before(jiffies, end))
		usleep_range(200, 400);
	if (!READ_ONCE(gtd_block.entered)) {
		/* Never woken: it stops without running. */
		kthread_stop(t);
		put_task_struct(t);
		kfree(d);
		KUNIT_FAIL(test, "the IRQ thread never drained the overflowed log");
		return;
	}
	wake_up_process(t);

	/* Disable clears GALogEn, then waits for the held thread. */
	end = jiffies + msecs_to_jiffies(GTD_WAIT_MS);
	while ((gtd_reg(c, AMD_GA_MMIO_CONTROL) & AMD_GA_CTRL_GALOG_EN) &&
	       time_before(jiffies, end))
		usleep_range(200, 400);
	KUNIT_EXPECT_FALSE_MSG(test, gtd_reg(c, AMD_GA_MMIO_CONTROL) & AMD_GA_CTRL_GALOG_EN,
			       "disable did not clear GALogEn while the IRQ thread drained");
	amd_ga_model_get_stats(c->h.env.model, &m0);
	msleep(GTD_IN_FREE_IRQ_MS);
	KUNIT_EXPECT_FALSE_MSG(test, completion_done(&d->done),
			       "disable returned while the IRQ thread was held");
	WRITE_ONCE(gtd_block.release, true);

	if (!wait_for_completion_timeout(&d->done, msecs_to_jiffies(2 * GTD_WAIT_MS))) {
		/* @d and @t stay: the thread may still use them. */
		KUNIT_FAIL(test, "amd_ga_galog_disable() did not return");
		return;
	}
	kthread_stop(t);
	put_task_struct(t);
	kfree(d);
	sched_set_normal(current, 0);

	amd_ga_model_get_stats(c->h.env.model, &m1);
	KUNIT_EXPECT_EQ_MSG(test, m1.galog_en_sets - m0.galog_en_sets, 0ULL,
			    "GALogEn was set again after disable had cleared it: the overflow restart ran while disable waited in free_irq()");
	ctrl = gtd_reg(c, AMD_GA_MMIO_CONTROL);
	KUNIT_EXPECT_FALSE_MSG(test, ctrl & AMD_GA_CTRL_GALOG_EN,
			       "GALogEn = 1 after amd_ga_galog_disable() returned: the overflow restart re-enabled the log while disable waited in free_irq()");
	KUNIT_EXPECT_FALSE(test, ctrl & AMD_GA_CTRL_GAINT_EN);
	KUNIT_EXPECT_FALSE(test, gtd_reg(c, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_RUN);
	KUNIT_EXPECT_EQ(test, gtd_reg(c, AMD_GA_MMIO_GALOG_BASE), 0ULL);
	KUNIT_EXPECT_NULL(test, iommu->galog);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(gtd_block.timed_out));
	/* The thread saw the overflow, and did not restart the log. */
	KUNIT_EXPECT_EQ(test, gtd_stat(&s->galog_overflows), 1ULL);
	KUNIT_EXPECT_EQ_MSG(test, gtd_stat(&s->galog_restarts), 0ULL,
			    "the overflow restart ran after disable had begun");
}

/*
 * Defect: disable freed the log and the tail slot although GALogRun was
 * still 1 after its bounded wait: the IOMMU may write them still.
 *
 * With a log that never stops, disable must leave GA Log Base and the
 * tail address as they are and leak both; the model then still logs
 * into memory that is allocated.
 */
static void galog_disable_leaks_running_log(struct kunit *test)
{
	struct gtd_ctx *c = gtd_host(test, 1, 1, false);
	struct amd_ga_iommu *iommu = c->h.env.iommu;
	struct amd_ga_model *m = c->h.env.model;
	u64 *buf = c->h.gl->buf, *mirror = c->h.gl->tail_mirror;
	struct amd_ga_model_stats m0, m1;
	u64 entry = gtd_entry(c), base;
	bool leaked;
	u32 tail;

	KUNIT_ASSERT_TRUE(test, gtd_reg(c, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_RUN);
	amd_ga_model_set_galog_run_linger(m, AMD_GA_MODEL_LINGER_FOREVER);
	amd_ga_model_get_stats(m, &m0);
	amd_ga_galog_disable(iommu);
	amd_ga_model_get_stats(m, &m1);

	base = gtd_reg(c, AMD_GA_MMIO_GALOG_BASE) & AMD_GA_GALOG_BASE_ADDR;
	leaked = base == virt_to_phys(buf);
	if (leaked) {
		/* Freed by gtd_exit(), once the model is gone. */
		c->pages[0] = (unsigned long)buf;
		c->slots[0] = mirror;
	}
	KUNIT_EXPECT_NULL(test, iommu->galog);
	KUNIT_EXPECT_TRUE_MSG(test, leaked,
			      "GA Log Base %#llx: the log of a running IOMMU was reprogrammed and freed",
			      base);
	KUNIT_EXPECT_EQ(test, gtd_reg(c, AMD_GA_MMIO_GALOG_TAIL_ADDR),
			(u64)virt_to_phys(mirror));
	KUNIT_EXPECT_EQ(test, m1.galog_reprogram_running - m0.galog_reprogram_running, 0ULL);
	KUNIT_EXPECT_EQ(test, gtd_stat(&iommu->stats.galog_run_stuck), 1ULL);
	KUNIT_EXPECT_FALSE(test, gtd_reg(c, AMD_GA_MMIO_CONTROL) &
			   (AMD_GA_CTRL_GALOG_EN | AMD_GA_CTRL_GAINT_EN));
	/* Freed memory is not written to prove the point. */
	if (!leaked)
		return;

	/* The IOMMU that never stopped writes on, into memory still allocated. */
	tail = gtd_reg(c, AMD_GA_MMIO_GALOG_TAIL);
	KUNIT_EXPECT_EQ(test, amd_ga_model_galog_inject(m, entry), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(buf[tail / AMD_GA_GALOG_ENTRY_SIZE]), entry);
	KUNIT_EXPECT_EQ(test, READ_ONCE(*mirror),
			(u64)((tail + AMD_GA_GALOG_ENTRY_SIZE) & (AMD_GA_GALOG_BYTES - 1)));
}

/*
 * Defect: the kexec/kdump path of enable cleared GALogEn and reprogrammed
 * GA Log Base at once, while the log left running by the previous kernel
 * could still report GALogRun = 1.
 *
 * A log that never stops is left programmed as it was (enable fails); one
 * that stops a little later is waited for, then reprogrammed: the model
 * sees no base or tail address write while GALogRun = 1.
 */
static void galog_enable_waits_for_running_log(struct kunit *test)
{
	struct gtd_ctx *c = gtd_host(test, 1, 1, false);
	struct amd_ga_iommu *iommu = c->h.env.iommu;
	struct amd_ga_model *m = c->h.env.model;
	struct amd_ga_model_stats m0, m1;
	u64 *old_tail;
	void *old;
	int ret;

	/* The previous kernel's log: programmed, running, not amd-ga's. */
	amd_ga_galog_disable(iommu);
	c->pages[0] = get_zeroed_page(GFP_KERNEL);
	c->slots[0] = kzalloc(sizeof(*old_tail), GFP_KERNEL);
	old = (void *)c->pages[0];
	old_tail = c->slots[0];
	KUNIT_ASSERT_TRUE(test, old && old_tail);
	amd_ga_write(iommu, AMD_GA_MMIO_GALOG_BASE, virt_to_phys(old) |
		     FIELD_PREP(AMD_GA_GALOG_BASE_LEN, AMD_GA_GALOG_LEN_CODE_512));
	amd_ga_write(iommu, AMD_GA_MMIO_GALOG_TAIL_ADDR, virt_to_phys(old_tail));
	amd_ga_write(iommu, AMD_GA_MMIO_GALOG_HEAD, 0);
	amd_ga_write(iommu, AMD_GA_MMIO_GALOG_TAIL, 0);
	amd_ga_ctrl_update(iommu, 0, AMD_GA_CTRL_GALOG_EN);
	KUNIT_ASSERT_TRUE(test, gtd_reg(c, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_RUN);

	/* It never stops: not reprogrammed, and the GA log is not enabled. */
	amd_ga_model_set_galog_run_linger(m, AMD_GA_MODEL_LINGER_FOREVER);
	amd_ga_model_get_stats(m, &m0);
	ret = amd_ga_galog_enable(iommu);
	amd_ga_model_get_stats(m, &m1);
	KUNIT_EXPECT_EQ(test, ret, -ETIMEDOUT);
	KUNIT_EXPECT_NULL(test, iommu->galog);
	KUNIT_EXPECT_EQ_MSG(test, gtd_reg(c, AMD_GA_MMIO_GALOG_BASE) & AMD_GA_GALOG_BASE_ADDR,
			    (u64)virt_to_phys(old),
			    "the base of a log still running was reprogrammed");
	KUNIT_EXPECT_EQ(test, m1.galog_reprogram_running - m0.galog_reprogram_running, 0ULL);
	KUNIT_EXPECT_EQ(test, gtd_stat(&iommu->stats.galog_run_stuck), 1ULL);
	if (iommu->galog)
		return;

	/* It stops GTD_LINGER_READS Status reads later: waited for. */
	amd_ga_model_set_galog_run_linger(m, GTD_LINGER_READS);
	ret = amd_ga_galog_enable(iommu);
	amd_ga_model_get_stats(m, &m1);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_ASSERT_NOT_NULL(test, iommu->galog);
	KUNIT_EXPECT_EQ(test, gtd_reg(c, AMD_GA_MMIO_GALOG_BASE) & AMD_GA_GALOG_BASE_ADDR,
			(u64)virt_to_phys(iommu->galog->buf));
	KUNIT_EXPECT_EQ_MSG(test, m1.galog_reprogram_running - m0.galog_reprogram_running, 0ULL,
			    "GA Log Base or Tail Address written while GALogRun = 1");
	KUNIT_EXPECT_TRUE(test, gtd_reg(c, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_RUN);
	KUNIT_EXPECT_EQ(test, gtd_stat(&iommu->stats.galog_run_stuck), 1ULL);
}

/*
 * Defect: the overflow restart went on ("restarting anyway") when
 * GALogRun was still 1 after its wait, against the order the reference
 * gives (wait for GALogRun = 0, then clear GALogEn).
 *
 * After an overflow whose GALogRun never clears, the IRQ thread must
 * leave GALogEn alone (the model counts every clear), count the stuck
 * log and still run recovery. After one whose GALogRun clears a few
 * Status reads later, it waits and restarts.
 */
static void galog_restart_waits_for_galogrun(struct kunit *test)
{
	struct gtd_ctx *c = gtd_host(test, 1, 1, false);
	struct amd_ga_iommu *iommu = c->h.env.iommu;
	struct amd_ga_stats *s = &iommu->stats;
	struct amd_ga_model *m = c->h.env.model;
	struct amd_ga_model_stats m0, m1;
	u64 entry = gtd_entry(c);

	amd_ga_model_set_galog_run_linger(m, AMD_GA_MODEL_LINGER_FOREVER);
	amd_ga_model_get_stats(m, &m0);
	KUNIT_ASSERT_EQ(test, gtd_fill(c, entry), AMD_GA_GALOG_ENTRIES - 1);
	KUNIT_EXPECT_TRUE(test, gtd_wait_stat(&s->galog_recoveries, 1, GTD_WAIT_MS));
	KUNIT_EXPECT_TRUE(test, standin_galog_drained(&c->h, GTD_WAIT_MS));
	amd_ga_model_get_stats(m, &m1);
	KUNIT_EXPECT_EQ(test, gtd_stat(&s->galog_overflows), 1ULL);
	KUNIT_EXPECT_EQ(test, gtd_stat(&s->galog_run_stuck), 1ULL);
	KUNIT_EXPECT_EQ(test, gtd_stat(&s->galog_restarts), 0ULL);
	KUNIT_EXPECT_EQ_MSG(test, m1.galog_en_clears - m0.galog_en_clears, 0ULL,
			    "the restart cleared GALogEn although GALogRun never read 0");
	KUNIT_EXPECT_TRUE(test, gtd_reg(c, AMD_GA_MMIO_CONTROL) & AMD_GA_CTRL_GALOG_EN);

	/*
	 * The lingering stop completes: the log is stopped (GALogEn still
	 * 1). Start it again by hand, as a restart would.
	 */
	amd_ga_model_set_galog_run_linger(m, 0);
	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_GALOG_EN, 0);
	amd_ga_ctrl_update(iommu, 0, AMD_GA_CTRL_GALOG_EN);
	KUNIT_ASSERT_TRUE(test, gtd_reg(c, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_RUN);

	/* GALogRun clears GTD_LINGER_READS Status reads after the overflow. */
	amd_ga_model_set_galog_run_linger(m, GTD_LINGER_READS);
	amd_ga_model_get_stats(m, &m0);
	KUNIT_ASSERT_EQ(test, gtd_fill(c, entry), AMD_GA_GALOG_ENTRIES - 1);
	KUNIT_EXPECT_TRUE(test, gtd_wait_stat(&s->galog_restarts, 1, GTD_WAIT_MS));
	KUNIT_EXPECT_TRUE(test, standin_galog_drained(&c->h, GTD_WAIT_MS));
	amd_ga_model_get_stats(m, &m1);
	KUNIT_EXPECT_EQ(test, gtd_stat(&s->galog_overflows), 2ULL);
	KUNIT_EXPECT_EQ(test, gtd_stat(&s->galog_restarts), 1ULL);
	KUNIT_EXPECT_EQ(test, gtd_stat(&s->galog_run_stuck), 1ULL);
	KUNIT_EXPECT_EQ(test, m1.galog_en_clears - m0.galog_en_clears, 1ULL);
	KUNIT_EXPECT_TRUE(test, gtd_reg(c, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_RUN);
	KUNIT_EXPECT_GE(test, gtd_stat(&s->galog_recoveries), 2ULL);
}

/*
 * Defect: a direct drain (amd_ga_galog_drain()) that found a torn slot
 * set needs_recovery, and nothing ran it until a GA interrupt came.
 *
 * With the GA interrupt off, a torn slot whose vector is pending in a
 * blocked vCPU's IRR: the direct drain alone must wake that vCPU.
 */
static void galog_direct_drain_recovers(struct kunit *test)
{
	struct gtd_ctx *c = gtd_host(test, 2, 1, true);
	struct standin_host *h = &c->h;
	struct amd_ga_stats *s = &h->env.iommu->stats;
	struct standin_vcpu *sv = &h->vcpus[1];

	KUNIT_ASSERT_TRUE(test, standin_wait_blocked(h, GTD_WAIT_MS));
	/* No GA interrupt: only the drain below looks at the log. */
	amd_ga_ctrl_update(h->env.iommu, AMD_GA_CTRL_GAINT_EN, 0);
	/* The device's write reached the IRR; its entry never became visible. */
	amd_ga_vapic_irr_set(sv->page, STANDIN_VEC_BASE);
	atomic64_inc(&h->posted);
	KUNIT_ASSERT_EQ(test, amd_ga_model_galog_inject(h->env.model, 0), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_galog_drain(h->gl), 1U);
	KUNIT_EXPECT_EQ(test, gtd_stat(&s->galog_torn), 1ULL);
	KUNIT_EXPECT_EQ(test, gtd_stat(&s->galog_recoveries), 1ULL);
	KUNIT_EXPECT_GE(test, gtd_stat(&s->galog_recovery_wakes), 1ULL);
	KUNIT_EXPECT_EQ_MSG(test, standin_settle(h, GTD_WAIT_MS), 0U,
			    "the vCPU of the torn entry was never woken: the drain left recovery to an interrupt that never came");
	KUNIT_EXPECT_EQ(test, gtd_stat(&h->handled), 1ULL);
}

/**
 * struct gtd_flood - the trickle case
 * @gl: the GA log
 * @model: the model
 * @iommu: its IOMMU
 * @entry: what the trickle injects
 * @end: when the trickle stops; set by the drainer before it starts
 * @injected: entries logged by the model
 * @drained: the drainer has finished
 * @max_process_ns: longest amd_ga_galog_process() call; drainer
 * @process_calls: its calls; drainer
 * @probe_max_late_ns: most the probe woke up late; probe
 * @probe_runs: the probe's wakeups; probe
 */
struct gtd_flood {
	struct amd_ga_galog *gl;
	struct amd_ga_model *model;
	struct amd_ga_iommu *iommu;
	u64 entry;
	ktime_t end;
	unsigned int injected;
	struct completion drained;
	u64 max_process_ns;
	unsigned int process_calls;
	u64 probe_max_late_ns;
	unsigned int probe_runs;
};

/* The running trickle case, for its notifier. */
static struct gtd_flood *gtd_flood_now;

/* A device posting to a vCPU that stays blocked: one more entry. */
static void gtd_trickle(struct gtd_flood *f)
{
	if (!amd_ga_model_galog_inject(f->model, f->entry))
		WRITE_ONCE(f->injected, f->injected + 1);
}

/*
 * A consumer that takes its time to wake a vCPU (as under emulation),
 * while the device posts again: until the trickle ends, every round's
 * notifier call leaves one entry beyond the tail that round read, so the
 * next round finds GAInt set and the loop never finds Status quiet. No
 * timer paces it: under emulation a timer fires late and leaves gaps in
 * which the old loop would end by itself.
 */
static int gtd_slow_notifier(u32 ga_tag)
{
	struct gtd_flood *f = READ_ONCE(gtd_flood_now);

	udelay(GTD_NOTIFY_US);
	if (f && ktime_before(ktime_get(), f->end))
		gtd_trickle(f);
	return 0;
}

static bool gtd_pending(struct gtd_flood *f)
{
	return amd_ga_read(f->iommu, AMD_GA_MMIO_STATUS) &
	       (AMD_GA_STATUS_GALOG_INT | AMD_GA_STATUS_GALOG_OVERFLOW);
}

/*
 * The GA IRQ thread, on one CPU: SCHED_FIFO, amd_ga_galog_process() while
 * Status shows GAInt or GALOverflow, asleep otherwise (where the real
 * thread waits for its next interrupt). It starts the trickle, pinned to
 * its own CPU.
 */
static int gtd_drainer_fn(void *data)
{
	struct gtd_flood *f = data;
	ktime_t t0, stop;
	u64 ns;

	f->end = ktime_add_ms(ktime_get(), GTD_FLOOD_MS);
	stop = ktime_add_ms(f->end, GTD_WAIT_MS);
	while (ktime_before(ktime_get(), f->end) || gtd_pending(f)) {
		if (ktime_after(ktime_get(), stop))
			break;
		if (!gtd_pending(f)) {
			/* The first post, or one after a quiet re-check. */
			if (ktime_before(ktime_get(), f->end))
				gtd_trickle(f);
			else
				usleep_range(20, 50);
			continue;
		}
		t0 = ktime_get();
		amd_ga_galog_process(f->gl);
		ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
		f->max_process_ns = max(f->max_process_ns, ns);
		f->process_calls++;
	}
	complete(&f->drained);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/*
 * A task of higher priority than the drainer on its CPU (where the
 * watchdog's stopper or a migration thread would be): how late is it?
 */
static int gtd_probe_fn(void *data)
{
	struct gtd_flood *f = data;
	ktime_t due;
	s64 late;

	while (!kthread_should_stop()) {
		due = ktime_add_us(ktime_get(), GTD_PROBE_US);
		/* An RT task sleeps without slack: due at @due. */
		usleep_range(GTD_PROBE_US, 2 * GTD_PROBE_US);
		late = ktime_to_ns(ktime_sub(ktime_get(), due));
		f->probe_max_late_ns = max_t(u64, f->probe_max_late_ns,
					     max_t(s64, late, 0));
		f->probe_runs++;
	}
	return 0;
}

static const char *gtd_preempt_model(void)
{
	if (preempt_model_none())
		return "none";
	if (preempt_model_voluntary())
		return "voluntary";
	return "preemptible";
}

/*
 * Defect: the IRQ thread's loop rescheduled only between the passes of
 * one drain, so a steady trickle of entries (each round finds GAInt set
 * again) kept the SCHED_FIFO thread on its CPU for as long as it lasted.
 *
 * A drainer standing in for the IRQ thread (GAIntEn off, so the real one
 * sleeps) runs on one CPU; for GTD_FLOOD_MS every notifier call, which
 * takes GTD_NOTIFY_US, has the device post one more entry, so that every
 * round sees a new entry and the loop never finds Status quiet. A probe
 * thread of higher priority on that CPU sleeps GTD_PROBE_US at a time:
 * its lateness is the longest stretch the loop kept the CPU without a
 * reschedule point. Without a reschedule
 * point per round it waits out the whole trickle on a kernel without
 * forced preemption (the 6.1 KUnit kernel boots preempt=none). This CPU
 * meanwhile runs grace periods one after the other; the driver's own
 * galog_rounds and galog_max_round_ns count the rounds and bound each.
 */
static void galog_thread_yields_under_trickle(struct kunit *test)
{
	struct task_struct *drainer, *probe;
	unsigned int home, hog, gps = 0;
	u64 rcu_max_ns = 0, rounds, ns;
	struct amd_ga_stats *s;
	struct gtd_flood *f;
	struct gtd_ctx *c;
	unsigned long end;
	bool done;
	ktime_t t0;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs: one for the GA thread, one for the test");
	c = gtd_host(test, 1, 1, false);
	s = &c->h.env.iommu->stats;
	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->gl = c->h.gl;
	f->model = c->h.env.model;
	f->iommu = c->h.env.iommu;
	f->entry = gtd_entry(c);
	init_completion(&f->drained);
	home = cpumask_first(cpu_online_mask);
	hog = cpumask_next(home, cpu_online_mask);

	probe = kthread_create(gtd_probe_fn, f, "ga-probe");
	KUNIT_ASSERT_FALSE(test, IS_ERR(probe));
	drainer = kthread_create(gtd_drainer_fn, f, "ga-drainer");
	if (IS_ERR(drainer)) {
		kthread_stop(probe);
		KUNIT_FAIL(test, "no drainer thread: %ld", PTR_ERR(drainer));
		return;
	}
	kthread_bind(probe, hog);
	kthread_bind(drainer, hog);
	/* SCHED_FIFO as the GA IRQ thread; the probe above it. */
	sched_set_fifo_low(drainer);
	sched_set_fifo(probe);
	get_task_struct(probe);
	get_task_struct(drainer);

	amd_ga_ctrl_update(f->iommu, AMD_GA_CTRL_GAINT_EN, 0);
	WRITE_ONCE(gtd_flood_now, f);
	amd_ga_register_ga_log_notifier(gtd_slow_notifier);
	set_cpus_allowed_ptr(current, cpumask_of(home));
	wake_up_process(probe);
	wake_up_process(drainer);

	end = jiffies + msecs_to_jiffies(GTD_FLOOD_MS + GTD_WAIT_MS);
	while (!completion_done(&f->drained) && time_before(jiffies, end)) {
		t0 = ktime_get();
		synchronize_rcu();
		ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
		rcu_max_ns = max(rcu_max_ns, ns);
		gps++;
		usleep_range(1000, 2000);
	}
	done = wait_for_completion_timeout(&f->drained, msecs_to_jiffies(GTD_WAIT_MS));
	kthread_stop(drainer);
	put_task_struct(drainer);
	WRITE_ONCE(gtd_flood_now, NULL);
	kthread_stop(probe);
	put_task_struct(probe);
	set_cpus_allowed_ptr(current, cpu_possible_mask);
	rounds = gtd_stat(&s->galog_rounds);

	kunit_info(test, "preempt=%s: %u entries, %u process() calls, longest %llu ms; %llu rounds, longest %llu us; probe %u wakeups, latest by %llu us; %u grace periods, longest %llu ms\n",
		   gtd_preempt_model(), READ_ONCE(f->injected), f->process_calls,
		   div_u64(f->max_process_ns, NSEC_PER_MSEC), rounds,
		   div_u64(gtd_stat(&s->galog_max_round_ns), NSEC_PER_USEC),
		   f->probe_runs, div_u64(f->probe_max_late_ns, NSEC_PER_USEC),
		   gps, div_u64(rcu_max_ns, NSEC_PER_MSEC));
	KUNIT_EXPECT_TRUE(test, done);
	/* Else the trickle did not keep the loop going, and this proves nothing. */
	KUNIT_EXPECT_GE_MSG(test, f->max_process_ns, (u64)GTD_FLOOD_MS / 2 * NSEC_PER_MSEC,
			    "the trickle did not keep amd_ga_galog_process() looping");
	KUNIT_EXPECT_GT(test, f->probe_runs, 0U);
	KUNIT_EXPECT_LE_MSG(test, f->probe_max_late_ns, (u64)GTD_PROBE_LATE_MS * NSEC_PER_MSEC,
			    "a higher-priority task on the GA thread's CPU waited %llu ms: the loop kept the CPU across rounds",
			    div_u64(f->probe_max_late_ns, NSEC_PER_MSEC));
	KUNIT_EXPECT_GT(test, gps, 0U);
	KUNIT_EXPECT_LE_MSG(test, rcu_max_ns, (u64)GTD_RCU_MAX_MS * NSEC_PER_MSEC,
			    "a grace period took %llu ms during the trickle",
			    div_u64(rcu_max_ns, NSEC_PER_MSEC));
	KUNIT_EXPECT_GE(test, rounds, 100ULL);
	KUNIT_EXPECT_LE(test, gtd_stat(&s->galog_max_round_ns),
			(u64)GTD_ROUND_MAX_MS * NSEC_PER_MSEC);
}

static struct kunit_case amd_ga_galog_teardown_cases[] = {
	KUNIT_CASE(galog_disable_beats_overflow_restart),
	KUNIT_CASE(galog_disable_leaks_running_log),
	KUNIT_CASE(galog_enable_waits_for_running_log),
	KUNIT_CASE(galog_restart_waits_for_galogrun),
	KUNIT_CASE(galog_direct_drain_recovers),
	KUNIT_CASE(galog_thread_yields_under_trickle),
	{}
};

static struct kunit_suite amd_ga_galog_teardown_suite = {
	.name = "amd_ga_galog_teardown",
	.exit = gtd_exit,
	.test_cases = amd_ga_galog_teardown_cases,
};

kunit_test_suite(amd_ga_galog_teardown_suite);
