// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the software IOMMU model against the hardware reference:
 * features, Status write-1-to-clear, GA log append with tail mirror,
 * overflow drops and the restart rule, the IRTE and DTE caches, the
 * command buffer, remapped/disabled/32-bit delivery, bad tables, and a
 * GA interrupt that runs a genuine threaded handler.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/completion.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cmdq.h"
#include "galog.h"
#include "iommu.h"
#include "modelenv.h"
#include "vapic.h"

struct mdl_ctx {
	struct amd_ga_modelenv env;
	void *page;
	u32 last_vector;
	u32 last_dest;
	unsigned int delivered;
	unsigned int doorbells;
	u32 last_doorbell;
};

static void mdl_deliver(void *ctx, u32 vector, u32 dest, bool logical)
{
	struct mdl_ctx *c = ctx;

	c->last_vector = vector;
	c->last_dest = dest;
	c->delivered++;
}

static void mdl_doorbell(void *ctx, u32 dest)
{
	struct mdl_ctx *c = ctx;

	c->last_doorbell = dest;
	c->doorbells++;
}

static const struct amd_ga_model_ops mdl_ops = {
	.doorbell = mdl_doorbell,
	.deliver = mdl_deliver,
};

static int mdl_init(struct kunit *test)
{
	struct mdl_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->page = (void *)get_zeroed_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->page);
	KUNIT_ASSERT_EQ(test, amd_ga_modelenv_init(&c->env, 4, &mdl_ops, c), 0);
	/* No GA interrupt: the tests look at the log themselves. */
	amd_ga_ctrl_update(c->env.iommu, AMD_GA_CTRL_GAINT_EN, 0);
	test->priv = c;
	return 0;
}

static void mdl_exit(struct kunit *test)
{
	struct mdl_ctx *c = test->priv;

	amd_ga_modelenv_exit(&c->env);
	free_page((unsigned long)c->page);
}

static u64 mdl_reg(struct mdl_ctx *c, u32 off)
{
	return amd_ga_read(c->env.iommu, off);
}

static void mdl_guest(struct kunit *test, struct mdl_ctx *c, u16 devid,
		      u32 idx, u32 vector, u32 tag, bool run, bool galog)
{
	struct amd_ga_guest_cfg cfg = {
		.remap_en = true, .ga_log_intr = galog, .is_run = run,
		.dest = 0x1234, .ga_tag = tag, .vector = vector,
		.ga_root_pa = virt_to_phys(c->page),
	};
	struct amd_ga_irte e;

	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_guest(&cfg, true, &e), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_modelenv_write_irte(&c->env, devid, idx, &e), 0);
}

static void mdl_remap(struct kunit *test, struct mdl_ctx *c, u16 devid,
		      u32 idx, u32 vector, bool en)
{
	struct amd_ga_remap_cfg cfg = { .remap_en = en, .vector = vector, .dest = 3 };
	struct amd_ga_irte e;

	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_remap(&cfg, true, &e), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_modelenv_write_irte(&c->env, devid, idx, &e), 0);
}

static void model_efr(struct kunit *test)
{
	struct mdl_ctx *c = test->priv;
	u64 efr = mdl_reg(c, AMD_GA_MMIO_EFR);

	KUNIT_EXPECT_TRUE(test, efr & AMD_GA_EFR_GA_SUP);
	KUNIT_EXPECT_TRUE(test, efr & AMD_GA_EFR_IA_SUP);
	KUNIT_EXPECT_TRUE(test, efr & AMD_GA_EFR_XT_SUP);
	KUNIT_EXPECT_EQ(test, FIELD_GET(AMD_GA_EFR_GAM_SUP, efr), AMD_GA_EFR_GAM_SUP_VAPIC);
	KUNIT_EXPECT_TRUE(test, amd_ga_has_vapic(c->env.iommu));
	/* Read-only. */
	amd_ga_write(c->env.iommu, AMD_GA_MMIO_EFR, 0);
	KUNIT_EXPECT_EQ(test, mdl_reg(c, AMD_GA_MMIO_EFR), efr);
}

static void model_status_w1c(struct kunit *test)
{
	struct mdl_ctx *c = test->priv;
	u64 both = AMD_GA_STATUS_GALOG_INT | AMD_GA_STATUS_GALOG_OVERFLOW;
	unsigned int i;

	KUNIT_EXPECT_TRUE(test, mdl_reg(c, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_RUN);
	/* Fill the log to get GAInt and GALOverflow set. */
	for (i = 0; i < AMD_GA_GALOG_ENTRIES; i++)
		amd_ga_model_galog_inject(c->env.model, BIT_ULL(60) | (1 << 12));
	KUNIT_EXPECT_EQ(test, mdl_reg(c, AMD_GA_MMIO_STATUS) & both, both);
	/* Writing 0 clears nothing; writing 1 to GALogRun does nothing. */
	amd_ga_write(c->env.iommu, AMD_GA_MMIO_STATUS, 0);
	KUNIT_EXPECT_EQ(test, mdl_reg(c, AMD_GA_MMIO_STATUS) & both, both);
	amd_ga_write(c->env.iommu, AMD_GA_MMIO_STATUS, AMD_GA_STATUS_GALOG_RUN);
	KUNIT_EXPECT_FALSE(test, mdl_reg(c, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_RUN);
	/* Each W1C bit clears alone. */
	amd_ga_write(c->env.iommu, AMD_GA_MMIO_STATUS, AMD_GA_STATUS_GALOG_INT);
	KUNIT_EXPECT_EQ(test, mdl_reg(c, AMD_GA_MMIO_STATUS) & both,
			AMD_GA_STATUS_GALOG_OVERFLOW);
	amd_ga_write(c->env.iommu, AMD_GA_MMIO_STATUS, AMD_GA_STATUS_GALOG_OVERFLOW);
	KUNIT_EXPECT_EQ(test, mdl_reg(c, AMD_GA_MMIO_STATUS) & both, 0);
	/* COMPLETION_WAIT with I sets ComWaitInt, W1C clears it. */
	amd_ga_modelenv_cmd(&c->env, FIELD_PREP(AMD_GA_CMD_OPCODE,
						AMD_GA_CMD_COMPLETION_WAIT) |
			    AMD_GA_CMD_CW_INT, 0);
	KUNIT_EXPECT_TRUE(test, mdl_reg(c, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_COMWAIT_INT);
	amd_ga_write(c->env.iommu, AMD_GA_MMIO_STATUS, AMD_GA_STATUS_COMWAIT_INT);
	KUNIT_EXPECT_FALSE(test, mdl_reg(c, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_COMWAIT_INT);
}

static void model_galog_append(struct kunit *test)
{
	struct mdl_ctx *c = test->priv;
	struct amd_ga_galog *gl = c->env.iommu->galog;
	u64 want = FIELD_PREP(AMD_GA_GALOG_ENT_GATAG, 0xabcd1234) |
		   FIELD_PREP(AMD_GA_GALOG_ENT_DEVID, 2) |
		   FIELD_PREP(AMD_GA_GALOG_ENT_CODE, AMD_GA_GALOG_CODE_GUEST_NR);
	u32 *irr = c->page + 0x200 + 0x10 * (0x45 / 32);

	mdl_guest(test, c, 2, 7, 0x45, 0xabcd1234, false, true);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 2, 7), AMD_GA_MODEL_LOGGED);
	KUNIT_EXPECT_EQ(test, READ_ONCE(gl->buf[0]), want);
	KUNIT_EXPECT_EQ(test, mdl_reg(c, AMD_GA_MMIO_GALOG_TAIL), 8);
	KUNIT_EXPECT_EQ(test, READ_ONCE(*gl->tail_mirror), 8);
	KUNIT_EXPECT_TRUE(test, mdl_reg(c, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_INT);
	/* APIC layout: 0x200 + 0x10 * (vector / 32), bit vector % 32. */
	KUNIT_EXPECT_EQ(test, READ_ONCE(*irr), BIT(0x45 % 32));

	/* GALogIntr = 0: only the IRR. IsRun: a doorbell to Destination. */
	mdl_guest(test, c, 2, 7, 0x45, 0xabcd1234, false, false);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 2, 7), AMD_GA_MODEL_IRR_ONLY);
	mdl_guest(test, c, 2, 7, 0x45, 0xabcd1234, true, true);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 2, 7), AMD_GA_MODEL_DOORBELL);
	KUNIT_EXPECT_EQ(test, c->doorbells, 1U);
	KUNIT_EXPECT_EQ(test, c->last_doorbell, 0x1234U);
	KUNIT_EXPECT_EQ(test, mdl_reg(c, AMD_GA_MMIO_GALOG_TAIL), 8);
}

static void model_galog_overflow(struct kunit *test)
{
	struct mdl_ctx *c = test->priv;
	struct amd_ga_iommu *iommu = c->env.iommu;
	unsigned int i;

	mdl_guest(test, c, 1, 0, 0x30, 0x1001, false, true);
	for (i = 0; i < AMD_GA_GALOG_ENTRIES - 1; i++)
		KUNIT_ASSERT_EQ(test, amd_ga_model_raise(c->env.model, 1, 0),
				AMD_GA_MODEL_LOGGED);
	/* 511 entries: the next tail would reach the head. */
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 1, 0), AMD_GA_MODEL_LOG_FULL);
	KUNIT_EXPECT_TRUE(test, mdl_reg(c, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_OVERFLOW);
	KUNIT_EXPECT_FALSE(test, mdl_reg(c, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_RUN);
	KUNIT_EXPECT_EQ(test, mdl_reg(c, AMD_GA_MMIO_GALOG_TAIL), 511 * 8);
	/* Stopped: later entries are dropped too, the IRR is still set. */
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 1, 0), AMD_GA_MODEL_LOG_OFF);
	KUNIT_EXPECT_TRUE(test, amd_ga_vapic_irr_test(c->page, 0x30));

	/* Re-enabling without clearing GALOverflow does not restart. */
	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_GALOG_EN, 0);
	amd_ga_ctrl_update(iommu, 0, AMD_GA_CTRL_GALOG_EN);
	KUNIT_EXPECT_FALSE(test, mdl_reg(c, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_RUN);
	/* The restart sequence does; consuming one entry makes room. */
	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_GALOG_EN, 0);
	amd_ga_write(iommu, AMD_GA_MMIO_STATUS, AMD_GA_STATUS_GALOG_OVERFLOW);
	amd_ga_ctrl_update(iommu, 0, AMD_GA_CTRL_GALOG_EN);
	KUNIT_EXPECT_TRUE(test, mdl_reg(c, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_RUN);
	amd_ga_write(iommu, AMD_GA_MMIO_GALOG_HEAD, 8);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 1, 0), AMD_GA_MODEL_LOGGED);
	KUNIT_EXPECT_EQ(test, mdl_reg(c, AMD_GA_MMIO_GALOG_TAIL), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(*iommu->galog->tail_mirror), 0);
}

static void model_irte_cache(struct kunit *test)
{
	struct mdl_ctx *c = test->priv;
	struct amd_ga_irte *p = amd_ga_modelenv_irte(&c->env, 1, 5);
	struct amd_ga_galog *gl = c->env.iommu->galog;
	struct amd_ga_irte e;

	mdl_remap(test, c, 1, 5, 0x30, true);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 1, 5), AMD_GA_MODEL_REMAPPED);
	KUNIT_EXPECT_EQ(test, c->last_vector, 0x30U);
	/* A new vector without invalidation: the cached entry is used. */
	e = *p;
	e.hi = (e.hi & ~AMD_GA_IRTE_HI_VECTOR) | 0x31;
	WRITE_ONCE(p->hi, e.hi);
	amd_ga_model_raise(c->env.model, 1, 5);
	KUNIT_EXPECT_EQ(test, c->last_vector, 0x30U);
	/* Invalidating another device does not help. */
	KUNIT_ASSERT_EQ(test, amd_ga_modelenv_inv_irt(&c->env, 2), 0);
	amd_ga_model_raise(c->env.model, 1, 5);
	KUNIT_EXPECT_EQ(test, c->last_vector, 0x30U);
	KUNIT_ASSERT_EQ(test, amd_ga_modelenv_inv_irt(&c->env, 1), 0);
	amd_ga_model_raise(c->env.model, 1, 5);
	KUNIT_EXPECT_EQ(test, c->last_vector, 0x31U);

	/* Guest mode: vector stays cached, IsRun and GATag are read fresh. */
	mdl_guest(test, c, 1, 5, 0x40, 0x2002, false, true);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 1, 5), AMD_GA_MODEL_LOGGED);
	e = *p;
	e.hi = (e.hi & ~AMD_GA_IRTE_HI_VECTOR) | 0x41;
	e.lo = (e.lo & ~AMD_GA_IRTE_LO_GATAG) | FIELD_PREP(AMD_GA_IRTE_LO_GATAG, 0x3003);
	WRITE_ONCE(p->hi, e.hi);
	WRITE_ONCE(p->lo, e.lo);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 1, 5), AMD_GA_MODEL_LOGGED);
	KUNIT_EXPECT_EQ(test, FIELD_GET(AMD_GA_GALOG_ENT_GATAG, READ_ONCE(gl->buf[1])), 0x3003);
	KUNIT_EXPECT_TRUE(test, amd_ga_vapic_irr_test(c->page, 0x40));
	KUNIT_EXPECT_FALSE(test, amd_ga_vapic_irr_test(c->page, 0x41));
	WRITE_ONCE(p->lo, e.lo | AMD_GA_IRTE_LO_IS_RUN);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 1, 5), AMD_GA_MODEL_DOORBELL);
	KUNIT_EXPECT_FALSE(test, amd_ga_vapic_irr_test(c->page, 0x41));

	/* IRTCacheDis: nothing is cached. */
	amd_ga_ctrl_update(c->env.iommu, 0, AMD_GA_CTRL_IRTCACHE_DIS);
	amd_ga_model_raise(c->env.model, 1, 5);
	KUNIT_EXPECT_TRUE(test, amd_ga_vapic_irr_test(c->page, 0x41));
}

static void model_dte_cache(struct kunit *test)
{
	struct mdl_ctx *c = test->priv;
	u64 *dte = amd_ga_modelenv_dte(&c->env, 3);
	u64 d2 = dte[AMD_GA_DTE_IRQ_QWORD];

	mdl_remap(test, c, 3, 0, 0x50, true);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 3, 0), AMD_GA_MODEL_REMAPPED);
	WRITE_ONCE(dte[AMD_GA_DTE_IRQ_QWORD], (d2 & ~AMD_GA_DTE2_INT_CTL) |
		   FIELD_PREP(AMD_GA_DTE2_INT_CTL, AMD_GA_DTE_INT_CTL_ABORT));
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 3, 0), AMD_GA_MODEL_REMAPPED);
	KUNIT_ASSERT_EQ(test, amd_ga_modelenv_inv_dte(&c->env, 3), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 3, 0), AMD_GA_MODEL_ABORTED);
	WRITE_ONCE(dte[AMD_GA_DTE_IRQ_QWORD], d2 & ~AMD_GA_DTE2_IV);
	KUNIT_ASSERT_EQ(test, amd_ga_modelenv_inv_dte(&c->env, 3), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 3, 0), AMD_GA_MODEL_UNTRANSLATED);
	WRITE_ONCE(dte[AMD_GA_DTE_IRQ_QWORD], d2);
	KUNIT_ASSERT_EQ(test, amd_ga_modelenv_inv_dte(&c->env, 3), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 3, 0), AMD_GA_MODEL_REMAPPED);
}

static void model_command_buffer(struct kunit *test)
{
	struct mdl_ctx *c = test->priv;
	struct amd_ga_model_stats s;
	unsigned int i;

	/* 300 command pairs: the 512-entry buffer wraps. */
	for (i = 0; i < 300; i++)
		KUNIT_ASSERT_EQ(test, amd_ga_modelenv_inv_irt(&c->env, i % 4), 0);
	KUNIT_EXPECT_EQ(test, mdl_reg(c, AMD_GA_MMIO_CMD_HEAD), mdl_reg(c, AMD_GA_MMIO_CMD_TAIL));
	KUNIT_EXPECT_EQ(test, mdl_reg(c, AMD_GA_MMIO_CMD_HEAD), c->env.iommu->cmdq->tail);
	/* An unknown opcode is skipped, the commands after it still run. */
	KUNIT_EXPECT_EQ(test, amd_ga_modelenv_cmd(&c->env,
						  FIELD_PREP(AMD_GA_CMD_OPCODE, 0xa), 0), 0);
	amd_ga_model_get_stats(c->env.model, &s);
	KUNIT_EXPECT_EQ(test, s.cmd_illegal, 1ULL);
	KUNIT_EXPECT_GE(test, s.inv_irt, 300ULL);
	/* With CmdBufEn clear nothing runs: the wait times out (in 10 ms). */
	c->env.iommu->cmdq->timeout_us = 10000;
	amd_ga_ctrl_update(c->env.iommu, AMD_GA_CTRL_CMD_BUF_EN, 0);
	KUNIT_EXPECT_EQ(test, amd_ga_modelenv_inv_irt(&c->env, 0), -ETIMEDOUT);
	amd_ga_ctrl_update(c->env.iommu, 0, AMD_GA_CTRL_CMD_BUF_EN);
	KUNIT_EXPECT_EQ(test, mdl_reg(c, AMD_GA_MMIO_CMD_HEAD), c->env.iommu->cmdq->tail);
}

static void model_remap_modes(struct kunit *test)
{
	struct mdl_ctx *c = test->priv;
	u32 *irt32 = c->env.irt[0]->entries;
	struct amd_ga_remap_cfg cfg = { .remap_en = true, .vector = 0x61, .dest = 7 };
	u32 e32;

	mdl_remap(test, c, 0, 1, 0x60, false);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 0, 1), AMD_GA_MODEL_DISABLED);
	KUNIT_EXPECT_EQ(test, c->delivered, 0U);

	/* GAEn = 0: 4-byte entries at root + 4 * index. */
	KUNIT_ASSERT_EQ(test, amd_ga_irte32_make(&cfg, &e32), 0);
	WRITE_ONCE(irt32[9], e32);
	amd_ga_ctrl_update(c->env.iommu, AMD_GA_CTRL_GA_EN, 0);
	KUNIT_ASSERT_EQ(test, amd_ga_modelenv_inv_irt(&c->env, 0), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 0, 9), AMD_GA_MODEL_REMAPPED);
	KUNIT_EXPECT_EQ(test, c->last_vector, 0x61U);
	KUNIT_EXPECT_EQ(test, c->last_dest, 7U);
	/* GuestMode is reserved in the 32-bit format. */
	WRITE_ONCE(irt32[9], e32 | AMD_GA_IRTE32_GUEST_MODE);
	KUNIT_ASSERT_EQ(test, amd_ga_modelenv_inv_irt(&c->env, 0), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 0, 9), AMD_GA_MODEL_ABORTED);
	amd_ga_ctrl_update(c->env.iommu, 0, AMD_GA_CTRL_GA_EN);

	/* IOMMUEn = 0: nothing is translated. */
	amd_ga_ctrl_update(c->env.iommu, AMD_GA_CTRL_IOMMU_EN, 0);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 0, 1), AMD_GA_MODEL_UNTRANSLATED);
	amd_ga_ctrl_update(c->env.iommu, 0, AMD_GA_CTRL_IOMMU_EN);
}

static void model_bad_tables(struct kunit *test)
{
	struct mdl_ctx *c = test->priv;
	u64 *dte = amd_ga_modelenv_dte(&c->env, 1);
	struct amd_ga_model_stats s;
	u64 base;
	struct amd_ga_guest_cfg cfg = {
		.remap_en = true, .vector = 0x30, .ga_tag = 0x1001,
		/* Beyond any memory of the test machine. */
		.ga_root_pa = 0xfff000000000ULL,
	};
	struct amd_ga_irte e;

	/* Index beyond IntTabLen (512), device beyond the device table. */
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 1, 512), AMD_GA_MODEL_ABORTED);
	/* The driver's table covers every DeviceID: shrink it to 2 pages. */
	base = mdl_reg(c, AMD_GA_MMIO_DEVTAB_BASE);
	amd_ga_write(c->env.iommu, AMD_GA_MMIO_DEVTAB_BASE,
		     (base & ~AMD_GA_DEVTAB_BASE_SIZE) |
		     FIELD_PREP(AMD_GA_DEVTAB_BASE_SIZE, 1));
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 0xffff, 0), AMD_GA_MODEL_ABORTED);
	amd_ga_write(c->env.iommu, AMD_GA_MMIO_DEVTAB_BASE, base);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 0xffff, 0),
			AMD_GA_MODEL_UNTRANSLATED);
	/* A backing page outside memory. */
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_guest(&cfg, true, &e), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_modelenv_write_irte(&c->env, 1, 0, &e), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 1, 0), AMD_GA_MODEL_ABORTED);
	/* An IRT root outside memory. */
	WRITE_ONCE(dte[AMD_GA_DTE_IRQ_QWORD], (dte[AMD_GA_DTE_IRQ_QWORD] &
		   ~AMD_GA_DTE2_INT_TAB_ROOT) | 0xfff000000000ULL);
	KUNIT_ASSERT_EQ(test, amd_ga_modelenv_inv_dte(&c->env, 1), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 1, 0), AMD_GA_MODEL_ABORTED);
	amd_ga_model_get_stats(c->env.model, &s);
	KUNIT_EXPECT_GE(test, s.bad_addr, 2ULL);
	/* Guest mode without GAMEn = vAPIC. */
	mdl_guest(test, c, 2, 0, 0x30, 0x1001, false, true);
	amd_ga_ctrl_update(c->env.iommu, AMD_GA_CTRL_GAM_EN, 0);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->env.model, 2, 0), AMD_GA_MODEL_ABORTED);
	/* Unaligned and out-of-window register accesses. */
	KUNIT_EXPECT_EQ(test, mdl_reg(c, 0x4000), ~0ULL);
	KUNIT_EXPECT_EQ(test, mdl_reg(c, 0x2021), ~0ULL);
}

struct mdl_irq {
	struct completion done;
	bool task_ctx;
	char comm[TASK_COMM_LEN];
};

static irqreturn_t mdl_irq_thread(int irq, void *data)
{
	struct mdl_irq *t = data;

	t->task_ctx = in_task();
	get_task_comm(t->comm, current);
	complete(&t->done);
	return IRQ_HANDLED;
}

static void model_ga_irq_is_threaded(struct kunit *test)
{
	struct mdl_ctx *c = test->priv;
	struct amd_ga_iommu *iommu = c->env.iommu;
	struct mdl_irq t = {};
	int irq;

	/* Take the GA log down to own the GA interrupt here. */
	amd_ga_galog_disable(iommu);
	init_completion(&t.done);
	irq = iommu->ops->alloc_ga_irq(iommu);
	KUNIT_ASSERT_GT(test, irq, 0);
	KUNIT_ASSERT_EQ(test, request_threaded_irq(irq, NULL, mdl_irq_thread,
						   IRQF_ONESHOT, "mt", &t), 0);
	/* Program a log by hand and post into it. */
	amd_ga_write(iommu, AMD_GA_MMIO_GALOG_BASE, virt_to_phys(c->page) |
		     FIELD_PREP(AMD_GA_GALOG_BASE_LEN, AMD_GA_GALOG_LEN_CODE_512));
	amd_ga_ctrl_update(iommu, 0, AMD_GA_CTRL_GALOG_EN | AMD_GA_CTRL_GAINT_EN);
	KUNIT_EXPECT_EQ(test, amd_ga_model_galog_inject(c->env.model, BIT_ULL(60) | 0x1000), 0);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&t.done, 5 * HZ) > 0);
	KUNIT_EXPECT_TRUE(test, t.task_ctx);
	KUNIT_EXPECT_EQ(test, strncmp(t.comm, "irq/", 4), 0);
	free_irq(irq, &t);
	iommu->ops->free_ga_irq(iommu);
	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_GALOG_EN | AMD_GA_CTRL_GAINT_EN, 0);
	memset(c->page, 0, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, amd_ga_galog_enable(iommu), 0);
}

static struct kunit_case amd_ga_model_cases[] = {
	KUNIT_CASE(model_efr),
	KUNIT_CASE(model_status_w1c),
	KUNIT_CASE(model_galog_append),
	KUNIT_CASE(model_galog_overflow),
	KUNIT_CASE(model_irte_cache),
	KUNIT_CASE(model_dte_cache),
	KUNIT_CASE(model_command_buffer),
	KUNIT_CASE(model_remap_modes),
	KUNIT_CASE(model_bad_tables),
	KUNIT_CASE(model_ga_irq_is_threaded),
	{}
};

static struct kunit_suite amd_ga_model_suite = {
	.name = "amd_ga_model",
	.init = mdl_init,
	.exit = mdl_exit,
	.test_cases = amd_ga_model_cases,
};

kunit_test_suite(amd_ga_model_suite);
