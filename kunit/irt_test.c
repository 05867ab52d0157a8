// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the device table and the IRT store on a fake IOMMU that executes
 * commands: DTE interrupt fields, index allocation, 32-bit and 128-bit
 * writes, which writes invalidate (counted per DeviceID), guest-mode
 * refusal, the per-vCPU fast path, foreign tables, the device table's
 * adoption across disable/enable, and bad input.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "cmdq.h"
#include "compat.h"
#include "devtab.h"
#include "fake_iommu.h"
#include "instance.h"
#include "iommu.h"
#include "irt.h"

#define GA_EFR		(AMD_GA_EFR_GA_SUP | AMD_GA_EFR_IA_SUP)
#define VAPIC_EFR	(GA_EFR | FIELD_PREP(AMD_GA_EFR_GAM_SUP, AMD_GA_EFR_GAM_SUP_VAPIC))

struct irt_test_ctx {
	struct amd_ga_fake *fake;
	struct amd_ga_irt *irt;
};

static struct amd_ga_fake *irt_test_fake(struct kunit *test, u64 efr,
					 unsigned int flags)
{
	struct irt_test_ctx *ctx = test->priv;
	struct amd_ga_fake *f = amd_ga_fake_create(efr);

	KUNIT_ASSERT_NOT_NULL(test, f);
	ctx->fake = f;
	KUNIT_ASSERT_EQ(test, amd_ga_iommu_enable(&f->iommu, flags), 0);
	return f;
}

/* A table for the given DeviceIDs, destroyed at test exit. */
static struct amd_ga_irt *irt_test_table(struct kunit *test,
					 const u16 *devids, unsigned int nr,
					 bool attach)
{
	struct irt_test_ctx *ctx = test->priv;
	struct amd_ga_irt *irt;

	irt = amd_ga_irt_create(&ctx->fake->iommu, devids, nr);
	KUNIT_ASSERT_FALSE(test, IS_ERR(irt));
	ctx->irt = irt;
	if (attach)
		KUNIT_ASSERT_EQ(test, amd_ga_irt_attach(irt), 0);
	return irt;
}

static int irt_test_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct irt_test_ctx), GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static void irt_test_exit(struct kunit *test)
{
	struct irt_test_ctx *ctx = test->priv;
	struct amd_ga_irte_ref ref;
	unsigned int i;

	/* A case may end with entries allocated: destroy refuses those. */
	for (i = 0; !IS_ERR_OR_NULL(ctx->irt) && i < AMD_GA_IRT_ENTRIES; i++)
		if (!amd_ga_irte_ref_init(&ref, ctx->irt, i))
			amd_ga_irte_free(&ref);
	amd_ga_irt_destroy(ctx->irt);
	amd_ga_fake_destroy(ctx->fake);
}

static u64 irt_test_invs(struct amd_ga_fake *f)
{
	return f->ops[AMD_GA_CMD_INV_IRT];
}

static u64 irt_test_cws(struct amd_ga_fake *f)
{
	return f->ops[AMD_GA_CMD_COMPLETION_WAIT];
}

static const struct amd_ga_remap_cfg irt_test_remap = {
	.remap_en = true, .vector = 0x41, .dest = 3,
};

static void irt_test_dte_make(struct kunit *test)
{
	u64 keep = AMD_GA_DTE2_IG | AMD_GA_DTE2_INIT_PASS | AMD_GA_DTE2_NMI_PASS |
		   AMD_GA_DTE2_LINT1_PASS | GENMASK_ULL(55, 52);
	u64 v = amd_ga_dte_make_irq(keep | AMD_GA_DTE2_INT_CTL, 0x123456780ULL);

	/* IV, IntTabLen 9, root PA[51:6], IntCtl 10b; the rest untouched */
	KUNIT_EXPECT_EQ(test, v, keep | 0x1ULL | 0x9ULL << 1 | 0x123456780ULL |
			0x2ULL << 60);
	KUNIT_EXPECT_EQ(test, amd_ga_dte_clear_irq(v), keep);
	KUNIT_EXPECT_EQ(test, amd_ga_dte_clear_irq(~0ULL),
			~(BIT_ULL(0) | GENMASK_ULL(4, 1) | GENMASK_ULL(51, 6) |
			  GENMASK_ULL(61, 60)));
}

/* Attach programs only the interrupt fields, for every DeviceID. */
static void irt_test_attach_programs_dte(struct kunit *test)
{
	static const u16 ids[] = { 0x18, 0x10 };
	struct amd_ga_fake *f = irt_test_fake(test, GA_EFR, 0);
	struct amd_ga_iommu *iommu = &f->iommu;
	u64 *e = iommu->devtab->entries;
	u64 other = AMD_GA_DTE2_IG | AMD_GA_DTE2_NMI_PASS | AMD_GA_DTE2_LINT0_PASS;
	struct amd_ga_irt *irt;
	u64 dte[4];

	/* Translation fields and other interrupt bits someone else set. */
	e[0x18 * 4 + 0] = 0x3;
	e[0x18 * 4 + 1] = 0x55;
	e[0x18 * 4 + 2] = other;
	e[0x18 * 4 + 3] = 0x77;
	irt = irt_test_table(test, ids, 2, false);
	KUNIT_EXPECT_EQ(test, e[0x18 * 4 + 2], other);	/* not live yet */
	KUNIT_ASSERT_EQ(test, amd_ga_irt_attach(irt), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_irt_attach(irt), -EBUSY);

	KUNIT_ASSERT_EQ(test, amd_ga_devtab_read(iommu, 0x18, dte), 0);
	KUNIT_EXPECT_EQ(test, dte[0], 0x3ULL);
	KUNIT_EXPECT_EQ(test, dte[1], 0x55ULL);
	KUNIT_EXPECT_EQ(test, dte[3], 0x77ULL);
	KUNIT_EXPECT_EQ(test, dte[2], amd_ga_dte_make_irq(other, irt->pa));
	KUNIT_EXPECT_EQ(test, FIELD_GET(AMD_GA_DTE2_INT_TAB_LEN, dte[2]), 9ULL);
	KUNIT_EXPECT_EQ(test, FIELD_GET(AMD_GA_DTE2_INT_CTL, dte[2]), 2ULL);
	KUNIT_EXPECT_TRUE(test, dte[2] & AMD_GA_DTE2_IV);
	KUNIT_EXPECT_EQ(test, dte[2] & AMD_GA_DTE2_INT_TAB_ROOT, (u64)irt->pa);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(irt->pa, AMD_GA_DTE_INTTAB_ALIGN));
	KUNIT_ASSERT_EQ(test, amd_ga_devtab_read(iommu, 0x10, dte), 0);
	KUNIT_EXPECT_EQ(test, dte[2], amd_ga_dte_make_irq(0, irt->pa));
	/* Entries of devices nobody owns stay zero. */
	KUNIT_ASSERT_EQ(test, amd_ga_devtab_read(iommu, 0x11, dte), 0);
	KUNIT_EXPECT_EQ(test, dte[0] | dte[1] | dte[2] | dte[3], 0ULL);

	/* DTE and IRT invalidated for each DeviceID, then a completion wait. */
	KUNIT_EXPECT_EQ(test, amd_ga_fake_count_devid(f, AMD_GA_CMD_INV_DEVTAB_ENTRY, 0x18), 1U);
	KUNIT_EXPECT_EQ(test, amd_ga_fake_count_devid(f, AMD_GA_CMD_INV_DEVTAB_ENTRY, 0x10), 1U);
	KUNIT_EXPECT_EQ(test, amd_ga_fake_count_devid(f, AMD_GA_CMD_INV_IRT, 0x18), 1U);
	KUNIT_EXPECT_EQ(test, amd_ga_fake_count_devid(f, AMD_GA_CMD_INV_IRT, 0x10), 1U);

	/* Destroy gives the interrupt fields back, the rest is kept. */
	amd_ga_irt_destroy(irt);
	((struct irt_test_ctx *)test->priv)->irt = NULL;
	KUNIT_ASSERT_EQ(test, amd_ga_devtab_read(iommu, 0x18, dte), 0);
	KUNIT_EXPECT_EQ(test, dte[2], other);
	KUNIT_EXPECT_EQ(test, dte[0], 0x3ULL);
	KUNIT_EXPECT_EQ(test, amd_ga_fake_count_devid(f, AMD_GA_CMD_INV_DEVTAB_ENTRY, 0x18), 2U);
	KUNIT_EXPECT_EQ(test, iommu->devtab->nr_owned, 0U);
}

static void irt_test_create_bad_args(struct kunit *test)
{
	static const u16 ids[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	static const u16 dup[] = { 7, 7 };
	struct amd_ga_fake *f = irt_test_fake(test, GA_EFR, 0);
	struct amd_ga_iommu *iommu = &f->iommu;
	struct amd_ga_irt *irt;
	struct amd_ga_fake *off;

	KUNIT_EXPECT_EQ(test, PTR_ERR(amd_ga_irt_create(iommu, ids, 0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(amd_ga_irt_create(iommu, NULL, 1)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(amd_ga_irt_create(iommu, ids, 9)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(amd_ga_irt_create(iommu, dup, 2)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(amd_ga_irt_create(NULL, ids, 1)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(amd_ga_irt_create_pci(iommu, NULL)), -EINVAL);

	irt = irt_test_table(test, ids, 8, true);
	/* A DeviceID has one table at most. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(amd_ga_irt_create(iommu, &ids[7], 2)), -EBUSY);
	/* ... and the failed call claimed nothing. */
	KUNIT_EXPECT_EQ(test, iommu->devtab->nr_owned, 8U);
	/* The IOMMU cannot be disabled under a table. */
	KUNIT_EXPECT_EQ(test, amd_ga_iommu_disable(iommu), -EBUSY);
	KUNIT_EXPECT_TRUE(test, iommu->enabled);

	off = amd_ga_fake_create(GA_EFR);
	KUNIT_ASSERT_NOT_NULL(test, off);
	KUNIT_EXPECT_EQ(test, PTR_ERR(amd_ga_irt_create(&off->iommu, ids, 1)), -ENODEV);
	amd_ga_fake_destroy(off);
	KUNIT_EXPECT_EQ(test, amd_ga_irt_attach(NULL), -EINVAL);
}

static void irt_test_index_alloc(struct kunit *test)
{
	static const u16 id = 0x20;
	struct amd_ga_irte_ref ref, r2;
	struct amd_ga_irt *irt;
	unsigned int i;

	irt_test_fake(test, GA_EFR, 0);
	irt = irt_test_table(test, &id, 1, true);

	KUNIT_ASSERT_EQ(test, amd_ga_irte_alloc(irt, AMD_GA_IRTE_ANY, &ref), 0);
	KUNIT_EXPECT_EQ(test, ref.index, 0);
	KUNIT_EXPECT_PTR_EQ(test, ref.table, irt);
	KUNIT_EXPECT_PTR_EQ(test, ref.iommu, irt->iommu);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_alloc(irt, 0x45, &r2), 0);
	KUNIT_EXPECT_EQ(test, r2.index, 0x45);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_alloc(irt, 0x45, &r2), -EBUSY);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_alloc(irt, AMD_GA_IRT_ENTRIES, &r2), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_alloc(irt, -2, &r2), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_alloc(NULL, 1, &r2), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_alloc(irt, 1, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_ref_init(&r2, irt, 0x46), -ENOENT);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_ref_init(&r2, irt, 0x45), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_ref_init(&r2, irt, AMD_GA_IRT_ENTRIES), -EINVAL);

	for (i = 2; i < AMD_GA_IRT_ENTRIES; i++)
		KUNIT_ASSERT_EQ(test, amd_ga_irte_alloc(irt, AMD_GA_IRTE_ANY, &r2), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_alloc(irt, AMD_GA_IRTE_ANY, &r2), -ENOSPC);
	amd_ga_irte_free(&ref);
	KUNIT_EXPECT_PTR_EQ(test, ref.table, NULL);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_alloc(irt, AMD_GA_IRTE_ANY, &r2), 0);
	KUNIT_EXPECT_EQ(test, r2.index, 0);
}

/*
 * A table with an entry still allocated is not destroyed: its owner (a
 * posted IRTE, say) still stores into it. Once the entry is freed, it is.
 */
static void irt_test_destroy_refuses_allocated(struct kunit *test)
{
	struct irt_test_ctx *ctx = test->priv;
	static const u16 id = 0x21;
	struct amd_ga_irte_ref ref;
	struct amd_ga_irt *irt;
	u64 dte[4];
	int ret;

	irt_test_fake(test, GA_EFR, 0);
	irt = irt_test_table(test, &id, 1, true);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_alloc(irt, 0x17, &ref), 0);
	ret = amd_ga_irt_destroy(irt);
	if (ret != -EBUSY) {
		/* Gone with its entry: touch neither again. */
		ctx->irt = NULL;
		KUNIT_FAIL(test, "a table with entry 0x17 allocated was destroyed (%d)",
			   ret);
		return;
	}
	/* Untouched: the device still remaps through it. */
	KUNIT_ASSERT_EQ(test, amd_ga_devtab_read(irt->iommu, id, dte), 0);
	KUNIT_EXPECT_EQ(test, dte[2] & AMD_GA_DTE2_INT_TAB_ROOT, (u64)irt->pa);
	KUNIT_EXPECT_TRUE(test, test_bit(0x17, irt->used));
	amd_ga_irte_free(&ref);
	KUNIT_EXPECT_EQ(test, amd_ga_irt_destroy(irt), 0);
	ctx->irt = NULL;
	KUNIT_EXPECT_EQ(test, amd_ga_irt_destroy(NULL), 0);
}

/* 128-bit writes: exact memory image; invalidation only when needed. */
static void irt_test_write128(struct kunit *test)
{
	static const u16 ids[] = { 0x30, 0x31, 0x08 };
	struct amd_ga_fake *f = irt_test_fake(test, GA_EFR, 0);
	struct amd_ga_remap_cfg cfg = irt_test_remap;
	struct amd_ga_irte e, got, *slot;
	struct amd_ga_irte_ref ref;
	struct amd_ga_irt *irt;
	unsigned int index;
	u64 inv, cw;
	u32 v32;

	KUNIT_ASSERT_TRUE(test, amd_ga_iommu_irte_128(&f->iommu));
	irt = irt_test_table(test, ids, 3, false);
	KUNIT_ASSERT_TRUE(test, irt->ga);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_alloc(irt, 0x41, &ref), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_remap(&cfg, false, &e), 0);

	/* Not attached: the IOMMU cannot have cached it, no commands. */
	inv = irt_test_invs(f);
	cw = irt_test_cws(f);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_write(&ref, &e), 0);
	KUNIT_EXPECT_EQ(test, irt_test_invs(f), inv);
	KUNIT_EXPECT_EQ(test, irt_test_cws(f), cw);
	slot = (struct amd_ga_irte *)irt->entries + 0x41;
	KUNIT_EXPECT_EQ(test, slot->lo, e.lo);
	KUNIT_EXPECT_EQ(test, slot->hi, e.hi);
	KUNIT_EXPECT_EQ(test, slot->lo, 0x301ULL);	/* RemapEn, dest 3 */
	KUNIT_EXPECT_EQ(test, slot->hi, 0x41ULL);	/* vector 0x41 */
	KUNIT_ASSERT_EQ(test, amd_ga_irte_read(&ref, &got), 0);
	KUNIT_EXPECT_EQ(test, got.lo, e.lo);
	KUNIT_EXPECT_EQ(test, got.hi, e.hi);

	KUNIT_ASSERT_EQ(test, amd_ga_irt_attach(irt), 0);
	/* The same value again: nothing changed, nothing to invalidate. */
	inv = irt_test_invs(f);
	cw = irt_test_cws(f);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_write(&ref, &e), 0);
	KUNIT_EXPECT_EQ(test, irt_test_invs(f), inv);
	KUNIT_EXPECT_EQ(test, irt_test_cws(f), cw);

	/* A new vector: one INVALIDATE_INTERRUPT_TABLE per DeviceID, one wait. */
	cfg.vector = 0x42;
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_remap(&cfg, false, &e), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_write(&ref, &e), 0);
	KUNIT_EXPECT_EQ(test, irt_test_invs(f), inv + 3);
	KUNIT_EXPECT_EQ(test, irt_test_cws(f), cw + 1);
	KUNIT_EXPECT_EQ(test, amd_ga_fake_count_devid(f, AMD_GA_CMD_INV_IRT, 0x08), 2U);
	KUNIT_EXPECT_EQ(test, slot->hi, 0x42ULL);

	/* Remapped entries cache the destination too. */
	cfg.dest = 0x7;
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_remap(&cfg, false, &e), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_write(&ref, &e), 0);
	KUNIT_EXPECT_EQ(test, irt_test_invs(f), inv + 6);

	/* Wrong format, reserved bits, too wide a destination, bad refs. */
	KUNIT_EXPECT_EQ(test, amd_ga_irte32_write(&ref, 0x410301), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_irte32_read(&ref, &v32), -EINVAL);
	got = e;
	got.hi |= BIT_ULL(8);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(&ref, &got), -EINVAL);
	got = e;
	amd_ga_irte_set_dest(&got, 0x100);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(&ref, &got), -ERANGE);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(NULL, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(&ref, NULL), -EINVAL);
	index = ref.index;
	ref.index = AMD_GA_IRT_ENTRIES;
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(&ref, &e), -EINVAL);
	ref.index = 0x99;	/* never allocated */
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(&ref, &e), -ENOENT);
	ref.index = index;
	ref.iommu = NULL;
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(&ref, &e), -EINVAL);
	/* None of the rejected writes reached the table. */
	KUNIT_EXPECT_EQ(test, slot->lo, e.lo);
	KUNIT_EXPECT_EQ(test, slot->hi, e.hi);
	KUNIT_EXPECT_EQ(test, irt_test_invs(f), inv + 6);
}

/* 32-bit writes: plain store, invalidated on any change. */
static void irt_test_write32(struct kunit *test)
{
	static const u16 id = 0x40;
	struct amd_ga_fake *f = irt_test_fake(test, GA_EFR, AMD_GA_ENABLE_LEGACY_IRTE);
	struct amd_ga_remap_cfg cfg = irt_test_remap;
	struct amd_ga_irte_ref ref;
	struct amd_ga_irt *irt;
	struct amd_ga_irte e = {};
	u32 v, got;
	u64 inv, cw;

	KUNIT_ASSERT_FALSE(test, amd_ga_iommu_irte_128(&f->iommu));
	KUNIT_EXPECT_FALSE(test, f->regs[AMD_GA_MMIO_CONTROL / 8] & AMD_GA_CTRL_GA_EN);
	irt = irt_test_table(test, &id, 1, true);
	KUNIT_ASSERT_FALSE(test, irt->ga);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_alloc(irt, 0x41, &ref), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte32_make(&cfg, &v), 0);

	inv = irt_test_invs(f);
	cw = irt_test_cws(f);
	KUNIT_ASSERT_EQ(test, amd_ga_irte32_write(&ref, v), 0);
	KUNIT_EXPECT_EQ(test, ((u32 *)irt->entries)[0x41], 0x410301U);
	KUNIT_EXPECT_EQ(test, ((u32 *)irt->entries)[0x40], 0U);
	KUNIT_EXPECT_EQ(test, ((u32 *)irt->entries)[0x42], 0U);
	KUNIT_EXPECT_EQ(test, irt_test_invs(f), inv + 1);
	KUNIT_EXPECT_EQ(test, irt_test_cws(f), cw + 1);
	KUNIT_EXPECT_EQ(test, amd_ga_fake_count_devid(f, AMD_GA_CMD_INV_IRT, 0x40), 2U);
	KUNIT_ASSERT_EQ(test, amd_ga_irte32_read(&ref, &got), 0);
	KUNIT_EXPECT_EQ(test, got, v);

	/* Unchanged: no command. Changed (RemapEn off): invalidated. */
	KUNIT_ASSERT_EQ(test, amd_ga_irte32_write(&ref, v), 0);
	KUNIT_EXPECT_EQ(test, irt_test_invs(f), inv + 1);
	KUNIT_ASSERT_EQ(test, amd_ga_irte32_write(&ref, v & ~AMD_GA_IRTE32_REMAP_EN), 0);
	KUNIT_EXPECT_EQ(test, irt_test_invs(f), inv + 2);
	KUNIT_EXPECT_EQ(test, irt_test_cws(f), cw + 2);

	/* The 32-bit format has no guest mode and no bits above the vector. */
	KUNIT_EXPECT_EQ(test, amd_ga_irte32_write(&ref, v | AMD_GA_IRTE32_GUEST_MODE), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_irte32_write(&ref, v | BIT(24)), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(&ref, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_read(&ref, &e), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_update_run(&ref, true, 1, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, irt_test_invs(f), inv + 2);

	/* Freeing writes the entry back to zero (invalidated). */
	amd_ga_irte_free(&ref);
	KUNIT_EXPECT_EQ(test, ((u32 *)irt->entries)[0x41], 0U);
	KUNIT_EXPECT_EQ(test, irt_test_invs(f), inv + 3);
}

/* An IOMMU without GASup runs 32-bit entries whatever the caller asks. */
static void irt_test_format_choice(struct kunit *test)
{
	struct amd_ga_fake *f = irt_test_fake(test, AMD_GA_EFR_IA_SUP, 0);

	KUNIT_EXPECT_FALSE(test, amd_ga_iommu_irte_128(&f->iommu));
	KUNIT_EXPECT_EQ(test, amd_ga_iommu_enable(&f->iommu, 0), -EBUSY);
	KUNIT_ASSERT_EQ(test, amd_ga_iommu_disable(&f->iommu), 0);
	KUNIT_EXPECT_EQ(test, f->regs[AMD_GA_MMIO_CONTROL / 8] &
			(AMD_GA_CTRL_IOMMU_EN | AMD_GA_CTRL_CMD_BUF_EN), 0ULL);
	/* Disabling twice is harmless. */
	KUNIT_EXPECT_EQ(test, amd_ga_iommu_disable(&f->iommu), 0);
}

static struct amd_ga_guest_cfg irt_test_guest_cfg(void)
{
	struct amd_ga_guest_cfg g = {
		.remap_en = true, .ga_log_intr = true, .is_run = false,
		.dest = 2, .ga_tag = 0x1234, .vector = 0x55,
		.ga_root_pa = 0x12345000ULL,
	};

	return g;
}

/* Guest mode needs vAPIC support, or a backend that implements it. */
static void irt_test_guest_refused(struct kunit *test)
{
	static const u16 id = 0x50;
	struct amd_ga_fake *f = irt_test_fake(test, GA_EFR, 0);
	struct amd_ga_guest_cfg g = irt_test_guest_cfg();
	struct amd_ga_irte_ref ref;
	struct amd_ga_irt *irt;
	struct amd_ga_irte e;

	irt = irt_test_table(test, &id, 1, true);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_alloc(irt, 1, &ref), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_guest(&g, false, &e), 0);
	KUNIT_EXPECT_FALSE(test, amd_ga_guest_mode_ok(&f->iommu));
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(&ref, &e), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, ((struct amd_ga_irte *)irt->entries)[1].lo, 0ULL);

	f->iommu.guest_mode_ok = true;	/* as the software model does */
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(&ref, &e), 0);
	f->iommu.guest_mode_ok = false;
	f->iommu.efr = VAPIC_EFR;	/* GAMSup = 1 */
	KUNIT_EXPECT_TRUE(test, amd_ga_guest_mode_ok(&f->iommu));
	g.vector = 0x56;
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_guest(&g, false, &e), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(&ref, &e), 0);
	KUNIT_EXPECT_EQ(test, ((struct amd_ga_irte *)irt->entries)[1].hi, e.hi);
}

/* Which changes of a guest-mode entry invalidate: only cached fields. */
static void irt_test_guest_invalidation_rule(struct kunit *test)
{
	static const u16 id = 0x51;
	struct amd_ga_fake *f = irt_test_fake(test, VAPIC_EFR, 0);
	struct amd_ga_guest_cfg g = irt_test_guest_cfg();
	struct amd_ga_irte_ref ref;
	struct amd_ga_irt *irt;
	struct amd_ga_irte e;
	u64 inv;

	irt = irt_test_table(test, &id, 1, true);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_alloc(irt, 2, &ref), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_guest(&g, false, &e), 0);
	inv = irt_test_invs(f);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_write(&ref, &e), 0);	/* remap -> guest */
	KUNIT_EXPECT_EQ(test, irt_test_invs(f), inv + 1);

	g.is_run = true;
	g.dest = 9;
	g.ga_tag = 0x4321;
	g.ga_log_intr = false;
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_guest(&g, false, &e), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_write(&ref, &e), 0);	/* uncached only */
	KUNIT_EXPECT_EQ(test, irt_test_invs(f), inv + 1);

	g.ga_root_pa = 0x22222000ULL;
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_guest(&g, false, &e), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_write(&ref, &e), 0);	/* root pointer */
	KUNIT_EXPECT_EQ(test, irt_test_invs(f), inv + 2);

	g.vector = 0x66;
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_guest(&g, false, &e), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_write(&ref, &e), 0);	/* guest vector */
	KUNIT_EXPECT_EQ(test, irt_test_invs(f), inv + 3);

	g.remap_en = false;
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_guest(&g, false, &e), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_write(&ref, &e), 0);	/* RemapEn */
	KUNIT_EXPECT_EQ(test, irt_test_invs(f), inv + 4);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->iommu.stats.irte_invals),
			(s64)irt_test_invs(f));
}

/* The per-vCPU fast path: three fields, one store, no command at all. */
static void irt_test_update_run(struct kunit *test)
{
	static const u16 id = 0x52;
	struct amd_ga_fake *f = irt_test_fake(test, VAPIC_EFR, 0);
	struct amd_ga_guest_cfg g = irt_test_guest_cfg();
	static DEFINE_RAW_SPINLOCK(outer);
	struct amd_ga_irte e, want, *slot;
	struct amd_ga_irte_ref ref, r2;
	struct amd_ga_irte_fields fl;
	struct amd_ga_irt *irt;
	unsigned long flags;
	u64 ops, writes;
	int ret;

	irt = irt_test_table(test, &id, 1, true);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_alloc(irt, 3, &ref), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_guest(&g, false, &e), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_write(&ref, &e), 0);
	slot = (struct amd_ga_irte *)irt->entries + 3;

	ops = f->ops[AMD_GA_CMD_INV_IRT] + f->ops[AMD_GA_CMD_COMPLETION_WAIT];
	writes = atomic64_read(&f->iommu.stats.irte_writes);
	/* As the vCPU-load path calls it: raw spinlock held, interrupts off. */
	raw_spin_lock_irqsave(&outer, flags);
	ret = amd_ga_irte_update_run(&ref, true, 0xab, false);
	raw_spin_unlock_irqrestore(&outer, flags);
	KUNIT_ASSERT_EQ(test, ret, 0);
	g.is_run = true;
	g.dest = 0xab;
	g.ga_log_intr = false;
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_guest(&g, false, &want), 0);
	KUNIT_EXPECT_EQ(test, slot->lo, want.lo);
	KUNIT_EXPECT_EQ(test, slot->hi, want.hi);

	/* Blocking: IsRun off, GA log on, destination kept. */
	KUNIT_ASSERT_EQ(test, amd_ga_irte_update_run(&ref, false,
						     AMD_GA_IRTE_DEST_KEEP, true), 0);
	amd_ga_irte_decode(slot, &fl);
	KUNIT_EXPECT_EQ(test, fl.mode, AMD_GA_IRTE_GUEST);
	KUNIT_EXPECT_FALSE(test, fl.guest.is_run);
	KUNIT_EXPECT_TRUE(test, fl.guest.ga_log_intr);
	KUNIT_EXPECT_EQ(test, fl.guest.dest, 0xabU);
	KUNIT_EXPECT_EQ(test, fl.guest.ga_tag, 0x1234U);
	KUNIT_EXPECT_EQ(test, fl.guest.vector, 0x55U);
	KUNIT_EXPECT_EQ(test, fl.guest.ga_root_pa, 0x12345000ULL);

	KUNIT_EXPECT_EQ(test, f->ops[AMD_GA_CMD_INV_IRT] +
			f->ops[AMD_GA_CMD_COMPLETION_WAIT], ops);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->iommu.stats.irte_writes),
			(s64)writes + 2);

	/* Bad input leaves the entry alone. */
	want = *slot;
	KUNIT_EXPECT_EQ(test, amd_ga_irte_update_run(&ref, true, 0x100, false), -ERANGE);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_update_run(NULL, true, 1, false), -EINVAL);
	r2 = ref;
	r2.index = 4;	/* not allocated */
	KUNIT_EXPECT_EQ(test, amd_ga_irte_update_run(&r2, true, 1, false), -ENOENT);
	KUNIT_EXPECT_EQ(test, slot->lo, want.lo);
	KUNIT_EXPECT_EQ(test, slot->hi, want.hi);

	/* Not in guest mode (host owns the interrupt again): untouched, 0. */
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_remap(&irt_test_remap, false, &e), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_write(&ref, &e), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_update_run(&ref, true, 5, false), 0);
	KUNIT_EXPECT_EQ(test, slot->lo, e.lo);
	KUNIT_EXPECT_EQ(test, slot->hi, e.hi);
}

/* A table someone else owns: written and invalidated, never freed. */
static void irt_test_foreign(struct kunit *test)
{
	static const u16 ids[] = { 0x60, 0x61 };
	struct amd_ga_fake *f = irt_test_fake(test, GA_EFR, 0);
	static DEFINE_RAW_SPINLOCK(owner_lock);
	struct amd_ga_irte_ref ref;
	struct amd_ga_irte *mem, e;
	struct amd_ga_irt *irt;
	u64 inv;

	mem = kunit_kzalloc(test, AMD_GA_IRT_ENTRIES * sizeof(*mem), GFP_KERNEL);
	irt = kunit_kzalloc(test, sizeof(*irt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_NOT_NULL(test, irt);
	KUNIT_EXPECT_EQ(test, amd_ga_irt_init_foreign(irt, &f->iommu,
						      (char *)mem + 64, true,
						      ids, 2, &owner_lock), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_irt_init_foreign(irt, &f->iommu, mem, true,
						      ids, 2, NULL), -EINVAL);
	KUNIT_ASSERT_EQ(test, amd_ga_irt_init_foreign(irt, &f->iommu, mem, true,
						      ids, 2, &owner_lock), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_alloc(irt, 1, &ref), -EINVAL);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_ref_init(&ref, irt, 7), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_remap(&irt_test_remap, false, &e), 0);
	inv = irt_test_invs(f);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_write(&ref, &e), 0);
	KUNIT_EXPECT_EQ(test, mem[7].lo, e.lo);
	KUNIT_EXPECT_EQ(test, mem[7].hi, e.hi);
	KUNIT_EXPECT_EQ(test, irt_test_invs(f), inv + 2);
	KUNIT_EXPECT_EQ(test, amd_ga_fake_count_devid(f, AMD_GA_CMD_INV_IRT, 0x61), 1U);
	/* Not ours: destroy and free leave the memory and the entry alone. */
	amd_ga_irte_free(&ref);
	amd_ga_irt_destroy(irt);
	KUNIT_EXPECT_EQ(test, mem[7].lo, e.lo);
	KUNIT_EXPECT_EQ(test, f->iommu.devtab->nr_owned, 0U);
}

/*
 * The device table is allocated once and never replaced by 0: disable
 * leaves it in place and the next enable adopts it without writing the
 * base again, clearing (and invalidating) anything left in it.
 */
static void irt_test_devtab_adopted(struct kunit *test)
{
	struct amd_ga_fake *f = irt_test_fake(test, GA_EFR, 0);
	struct amd_ga_iommu *iommu = &f->iommu;
	phys_addr_t pa = iommu->devtab->pa;
	u64 base = f->regs[AMD_GA_MMIO_DEVTAB_BASE / 8];
	u64 *e = iommu->devtab->entries;
	int i;

	iommu->devtab_reclaimable = false;	/* behave like hardware */
	KUNIT_EXPECT_EQ(test, f->devtab_writes, 1U);
	KUNIT_EXPECT_EQ(test, FIELD_GET(AMD_GA_DEVTAB_BASE_SIZE, base), 511ULL);
	KUNIT_EXPECT_EQ(test, base & AMD_GA_DEVTAB_BASE_ADDR, (u64)pa);
	KUNIT_EXPECT_FALSE(test, iommu->devtab->adopted);

	for (i = 0; i < 2; i++) {
		KUNIT_ASSERT_EQ(test, amd_ga_iommu_disable(iommu), 0);
		KUNIT_EXPECT_EQ(test, f->regs[AMD_GA_MMIO_DEVTAB_BASE / 8], base);
		if (i == 1)	/* something left behind */
			e[0x77 * 4 + 2] = amd_ga_dte_make_irq(0, 0x1000);
		KUNIT_ASSERT_EQ(test, amd_ga_iommu_enable(iommu, 0), 0);
		KUNIT_EXPECT_TRUE(test, iommu->devtab->adopted);
		KUNIT_EXPECT_EQ(test, (u64)iommu->devtab->pa, (u64)pa);
	}
	KUNIT_EXPECT_EQ(test, f->devtab_writes, 1U);
	KUNIT_EXPECT_EQ(test, f->devtab_zero_writes, 0U);
	KUNIT_EXPECT_EQ(test, e[0x77 * 4 + 2], 0ULL);
	KUNIT_EXPECT_EQ(test, amd_ga_fake_count_devid(f, AMD_GA_CMD_INV_DEVTAB_ENTRY, 0x77), 1U);

	/* A base that is not a table of ours is replaced, not adopted. */
	iommu->devtab_reclaimable = true;
	KUNIT_ASSERT_EQ(test, amd_ga_iommu_disable(iommu), 0);
	KUNIT_EXPECT_EQ(test, f->devtab_zero_writes, 1U);	/* reclaimable only */
	f->regs[AMD_GA_MMIO_DEVTAB_BASE / 8] = 0x100000ULL | 511;
	KUNIT_ASSERT_EQ(test, amd_ga_iommu_enable(iommu, 0), 0);
	KUNIT_EXPECT_FALSE(test, iommu->devtab->adopted);
	KUNIT_EXPECT_NE(test, f->regs[AMD_GA_MMIO_DEVTAB_BASE / 8], 0x100000ULL | 511);
}

struct irt_test_writer {
	struct amd_ga_irte_ref ref;
	unsigned int rounds;
	unsigned int errors;
	struct completion started;
};

/*
 * Fast-path stores whose Destination[31:24] (hi qword) repeats
 * Destination[7:0] (lo qword), until told to stop.
 */
static int irt_test_writer_fn(void *data)
{
	struct irt_test_writer *w = data;
	unsigned int k;

	complete(&w->started);
	for (k = 1; !kthread_should_stop(); k++) {
		u32 b = k & 0xff;

		if (amd_ga_irte_update_run(&w->ref, k & 1, b << 24 | b, !(k & 1)))
			w->errors++;
		w->rounds = k;
		if (!(k & 0x3ff))
			cond_resched();
	}
	return 0;
}

/*
 * The IOMMU reads an IRTE as one 128-bit unit without any lock. Take such
 * snapshots (a pair of loads confirmed by a 128-bit compare-and-exchange
 * of the same value) while another CPU runs the fast path, whose stores
 * change both halves: a snapshot mixing two stores would show different
 * bytes in Destination[31:24] and Destination[7:0].
 */
static void irt_test_atomic_store(struct kunit *test)
{
	static const u16 id = 0x70;
	struct amd_ga_fake *f = irt_test_fake(test, VAPIC_EFR, 0);
	struct amd_ga_guest_cfg g = irt_test_guest_cfg();
	unsigned int i, snaps = 0, torn = 0, changes = 0;
	struct irt_test_writer *w;
	struct task_struct *task;
	struct amd_ga_irte *slot;
	struct amd_ga_irt *irt;
	struct amd_ga_irte e;
	int cpu, reader;
	ktime_t deadline;
	u32 last = 0;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs a second CPU");
	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	irt = irt_test_table(test, &id, 1, true);
	irt->xt = true;		/* let the destination use the high byte */
	KUNIT_ASSERT_EQ(test, amd_ga_irte_alloc(irt, 9, &w->ref), 0);
	g.dest = 0;
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_guest(&g, true, &e), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_write(&w->ref, &e), 0);
	slot = (struct amd_ga_irte *)irt->entries + 9;

	init_completion(&w->started);
	task = kthread_create(irt_test_writer_fn, w, "amd_ga_irte_writer");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	/* Reader here, writer on another CPU, both pinned for the duration. */
	reader = raw_smp_processor_id();
	set_cpus_allowed_ptr(current, cpumask_of(reader));
	cpu = cpumask_any_but(cpu_online_mask, reader);
	kthread_bind(task, cpu);
	wake_up_process(task);
	wait_for_completion(&w->started);

	/* Sample for two seconds, whatever the vCPUs' speed. */
	deadline = ktime_add_ms(ktime_get(), 2000);
	for (i = 1; ; i++) {
		u64 lo = READ_ONCE(slot->lo), hi = READ_ONCE(slot->hi);
		u32 dest;

		if (!(i & 0x3ff)) {
			if (ktime_after(ktime_get(), deadline))
				break;
			cond_resched();
		}
		if (!amd_ga_cmpxchg16b(&slot->lo, lo, hi, lo, hi))
			continue;
		e.lo = lo;
		e.hi = hi;
		dest = amd_ga_irte_dest(&e);
		snaps++;
		changes += dest != last;
		last = dest;
		if ((dest >> 24) != (dest & 0xff))
			torn++;
	}
	kthread_stop(task);
	set_cpus_allowed_ptr(current, cpu_possible_mask);
	kunit_info(test, "%u consistent snapshots on CPU %d (%u changes seen) against %u stores from CPU %d\n",
		   snaps, reader, changes, w->rounds, cpu);
	KUNIT_EXPECT_EQ(test, w->errors, 0U);
	KUNIT_EXPECT_EQ(test, torn, 0U);
	KUNIT_EXPECT_GT(test, snaps, 1000U);
	KUNIT_EXPECT_GT(test, changes, 10U);
	KUNIT_EXPECT_EQ(test, f->ops[AMD_GA_CMD_INV_IRT], 2ULL);
}

static struct kunit_case amd_ga_irt_test_cases[] = {
	KUNIT_CASE(irt_test_dte_make),
	KUNIT_CASE(irt_test_attach_programs_dte),
	KUNIT_CASE(irt_test_create_bad_args),
	KUNIT_CASE(irt_test_index_alloc),
	KUNIT_CASE(irt_test_destroy_refuses_allocated),
	KUNIT_CASE(irt_test_write128),
	KUNIT_CASE(irt_test_write32),
	KUNIT_CASE(irt_test_format_choice),
	KUNIT_CASE(irt_test_guest_refused),
	KUNIT_CASE(irt_test_guest_invalidation_rule),
	KUNIT_CASE(irt_test_update_run),
	KUNIT_CASE(irt_test_foreign),
	KUNIT_CASE(irt_test_devtab_adopted),
	KUNIT_CASE(irt_test_atomic_store),
	{}
};

static struct kunit_suite amd_ga_irt_test_suite = {
	.name = "amd_ga_irt",
	.init = irt_test_init,
	.exit = irt_test_exit,
	.test_cases = amd_ga_irt_test_cases,
};

kunit_test_suite(amd_ga_irt_test_suite);
