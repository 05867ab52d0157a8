// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: 2K IRTEs per device. Where EFR2 offers NumIntRemapSup, amd-ga
 * enables NumIntRemapMode = 2K and gives each device a 2048-entry table
 * (DTE IntTabLen 11), which the IOMMU indexes with MSI data bits 10:0;
 * elsewhere tables keep 512 entries (IntTabLen 9, data bits 8:0). The
 * software model offers the feature or not (struct amd_ga_model_cfg) and
 * delivers through what the driver programmed, so the table is shown in
 * use end to end, and the limit shown kept where it is not offered.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/err.h>
#include <linux/kernel.h>

#include "cmdq.h"
#include "devtab.h"
#include "hw.h"
#include "instance.h"
#include "iommu.h"
#include "irt.h"
#include "irte.h"
#include "model.h"

#define IRT2K_DEVID	0x0010	/* 00:02.0 */
/* EFR2 of an IOMMU that offers 2048 IRTEs per device. */
#define IRT2K_EFR2	FIELD_PREP(AMD_GA_EFR2_NUM_INT_REMAP_SUP, \
				   AMD_GA_EFR2_NUM_INT_REMAP_2K)

struct irt2k_ctx {
	struct amd_ga_model *model;
	struct amd_ga_iommu *iommu;
	struct amd_ga_irt *irt;
	unsigned int delivered;
	u32 last_vector;
};

static void irt2k_deliver(void *ctx, u32 vector, u32 dest, bool logical)
{
	struct irt2k_ctx *c = ctx;

	c->last_vector = vector;
	c->delivered++;
}

static const struct amd_ga_model_ops irt2k_ops = {
	.deliver = irt2k_deliver,
};

/* Free every allocated index of the table, then the table. */
static void irt2k_drop_table(struct irt2k_ctx *c)
{
	struct amd_ga_irte_ref ref;
	unsigned int i;

	if (!c->irt)
		return;
	for (i = 0; i < amd_ga_irt_entries(c->irt); i++)
		if (!amd_ga_irte_ref_init(&ref, c->irt, i))
			amd_ga_irte_free(&ref);
	amd_ga_irt_destroy(c->irt);
	c->irt = NULL;
}

static void irt2k_stop(struct irt2k_ctx *c)
{
	irt2k_drop_table(c);
	amd_ga_model_stop(c->model);
	c->model = NULL;
	c->iommu = NULL;
}

/* A model offering @efr2, enabled by amd_ga_iommu_enable(@flags). */
static void irt2k_start(struct kunit *test, u64 efr2, unsigned int flags)
{
	struct amd_ga_model_cfg cfg = { .efr2 = efr2, .enable_flags = flags };
	struct irt2k_ctx *c = test->priv;
	struct amd_ga_model *m;

	m = amd_ga_model_start_cfg(&irt2k_ops, c, &cfg);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(m), "model did not start: %ld",
			       PTR_ERR(m));
	c->model = m;
	c->iommu = &m->iommu;
	if (!amd_ga_iommu_irte_128(c->iommu))
		kunit_skip(test, "no 128-bit IRTEs (no cmpxchg16b)");
}

/* A table for IRT2K_DEVID, attached through the device table. */
static void irt2k_table(struct kunit *test)
{
	const u16 devid = IRT2K_DEVID;
	struct irt2k_ctx *c = test->priv;
	struct amd_ga_irt *irt;

	irt = amd_ga_irt_create(c->iommu, &devid, 1);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(irt), "amd_ga_irt_create: %ld",
			       PTR_ERR(irt));
	c->irt = irt;
	KUNIT_ASSERT_EQ(test, amd_ga_irt_attach(irt), 0);
}

/* Control NumIntRemapMode: as amd-ga last wrote it, and as the model holds it. */
static u64 irt2k_mode(struct irt2k_ctx *c)
{
	return FIELD_GET(AMD_GA_CTRL_NUM_INT_REMAP_MODE, amd_ga_ctrl_get(c->iommu));
}

static u64 irt2k_model_mode(struct irt2k_ctx *c)
{
	return FIELD_GET(AMD_GA_CTRL_NUM_INT_REMAP_MODE,
			 amd_ga_read(c->iommu, AMD_GA_MMIO_CONTROL));
}

static u64 irt2k_inttablen(struct kunit *test, struct irt2k_ctx *c)
{
	u64 dte[AMD_GA_DTE_QWORDS];

	KUNIT_ASSERT_EQ(test, amd_ga_devtab_read(c->iommu, IRT2K_DEVID, dte), 0);
	return FIELD_GET(AMD_GA_DTE2_INT_TAB_LEN, dte[AMD_GA_DTE_IRQ_QWORD]);
}

/* Allocate @index and make it a remapped entry for @vector. */
static void irt2k_remap(struct kunit *test, unsigned int index, u32 vector)
{
	struct amd_ga_remap_cfg cfg = { .remap_en = true, .vector = vector,
					.dest = 3 };
	struct irt2k_ctx *c = test->priv;
	struct amd_ga_irte_ref ref;
	struct amd_ga_irte e;

	KUNIT_ASSERT_EQ_MSG(test, amd_ga_irte_alloc(c->irt, index, &ref), 0,
			    "index %u", index);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_remap(&cfg, false, &e), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_write(&ref, &e), 0);
}

/*
 * A 2048-entry table in use: NumIntRemapMode = 2K, IntTabLen 11, index
 * 2047 allocated and programmed, and an MSI whose data bits 10:0 are 2047
 * delivered through it.
 */
static void irt2k_table_in_use(struct kunit *test)
{
	struct irt2k_ctx *c = test->priv;
	struct amd_ga_irte_ref ref;
	u64 dte[AMD_GA_DTE_QWORDS];

	irt2k_start(test, IRT2K_EFR2, 0);
	KUNIT_EXPECT_TRUE(test, amd_ga_has_irt_2k(c->iommu));
	KUNIT_EXPECT_EQ(test, irt2k_mode(c), AMD_GA_CTRL_NUM_INT_REMAP_2K);
	KUNIT_EXPECT_EQ(test, irt2k_model_mode(c), AMD_GA_CTRL_NUM_INT_REMAP_2K);
	KUNIT_EXPECT_TRUE(test, amd_ga_iommu_irt_2k(c->iommu));

	irt2k_table(test);
	KUNIT_ASSERT_EQ(test, amd_ga_irt_entries(c->irt), AMD_GA_IRT_ENTRIES_MAX);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(c->irt->pa, AMD_GA_DTE_INTTAB_ALIGN));
	KUNIT_EXPECT_EQ(test, irt2k_inttablen(test, c), AMD_GA_DTE_INT_TAB_LEN_2K);
	KUNIT_ASSERT_EQ(test, amd_ga_devtab_read(c->iommu, IRT2K_DEVID, dte), 0);
	KUNIT_EXPECT_EQ(test, dte[AMD_GA_DTE_IRQ_QWORD] & AMD_GA_DTE2_INT_TAB_ROOT,
			(u64)c->irt->pa & AMD_GA_DTE2_INT_TAB_ROOT);

	irt2k_remap(test, 2047, 0x42);
	/* One past the table is refused, as in a 512-entry table. */
	KUNIT_EXPECT_EQ(test, amd_ga_irte_alloc(c->irt, 2048, &ref), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_ref_init(&ref, c->irt, 2048), -EINVAL);

	KUNIT_EXPECT_EQ(test, amd_ga_model_raise_msi(c->model, IRT2K_DEVID, 0x7ff),
			AMD_GA_MODEL_REMAPPED);
	KUNIT_EXPECT_EQ(test, c->delivered, 1U);
	KUNIT_EXPECT_EQ(test, c->last_vector, 0x42U);
}

/*
 * Every index of a 2048-entry table is allocatable, the allocated ones
 * keep it from being destroyed, and a full table says so.
 */
static void irt2k_alloc_whole_table(struct kunit *test)
{
	struct irt2k_ctx *c = test->priv;
	struct amd_ga_irte_ref ref;
	unsigned int i;
	int ret;

	irt2k_start(test, IRT2K_EFR2, 0);
	irt2k_table(test);
	KUNIT_ASSERT_EQ(test, amd_ga_irt_entries(c->irt), AMD_GA_IRT_ENTRIES_MAX);

	KUNIT_ASSERT_EQ(test, amd_ga_irte_alloc(c->irt, 2047, &ref), 0);
	/* Only index 2047 is allocated: the table must stay. */
	ret = amd_ga_irt_destroy(c->irt);
	KUNIT_EXPECT_EQ_MSG(test, ret, -EBUSY,
			    "a table with index 2047 allocated was destroyed");
	if (!ret) {
		/* Gone (the bug above): nothing left to clean up. */
		c->irt = NULL;
		return;
	}
	amd_ga_irte_free(&ref);

	for (i = 0; i < AMD_GA_IRT_ENTRIES_MAX; i++) {
		ret = amd_ga_irte_alloc(c->irt, AMD_GA_IRTE_ANY, &ref);
		KUNIT_ASSERT_EQ_MSG(test, ret, 0, "AMD_GA_IRTE_ANY, allocation %u", i);
		KUNIT_ASSERT_EQ(test, (unsigned int)ref.index, i);
	}
	KUNIT_EXPECT_EQ(test, amd_ga_irte_alloc(c->irt, AMD_GA_IRTE_ANY, &ref),
			-ENOSPC);
}

/*
 * Without NumIntRemapSup (the default model): NumIntRemapMode stays 0,
 * the table keeps 512 entries (IntTabLen 9), index 512 is refused, and
 * the IOMMU takes MSI data bits 8:0 only.
 */
static void irt2k_512_kept_without_feature(struct kunit *test)
{
	struct irt2k_ctx *c = test->priv;
	struct amd_ga_irte_ref ref;

	irt2k_start(test, 0, 0);
	KUNIT_EXPECT_FALSE(test, amd_ga_has_irt_2k(c->iommu));
	KUNIT_EXPECT_EQ(test, irt2k_mode(c), AMD_GA_CTRL_NUM_INT_REMAP_512);
	KUNIT_EXPECT_EQ(test, irt2k_model_mode(c), AMD_GA_CTRL_NUM_INT_REMAP_512);

	irt2k_table(test);
	KUNIT_ASSERT_EQ(test, amd_ga_irt_entries(c->irt), AMD_GA_IRT_ENTRIES);
	KUNIT_EXPECT_EQ(test, irt2k_inttablen(test, c), AMD_GA_DTE_INT_TAB_LEN_512);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_alloc(c->irt, 512, &ref), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_alloc(c->irt, 2047, &ref), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_ref_init(&ref, c->irt, 512), -EINVAL);

	irt2k_remap(test, 511, 0x43);
	/* Data 0x7ff: bits 8:0 select index 511; bits 10:9 are not an index. */
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise_msi(c->model, IRT2K_DEVID, 0x7ff),
			AMD_GA_MODEL_REMAPPED);
	KUNIT_EXPECT_EQ(test, c->delivered, 1U);
	KUNIT_EXPECT_EQ(test, c->last_vector, 0x43U);
	/* An index of 512 itself lies beyond IntTabLen 9. */
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise(c->model, IRT2K_DEVID, 512),
			AMD_GA_MODEL_ABORTED);
	KUNIT_EXPECT_EQ(test, c->delivered, 1U);
}

/*
 * NumIntRemapMode = 2K only where EFR2 NumIntRemapSup is 1 and the
 * enable does not ask for 512; it is cleared again on disable.
 */
static void irt2k_mode_only_when_offered(struct kunit *test)
{
	struct irt2k_ctx *c = test->priv;

	/* Offered, but AMD_GA_ENABLE_IRT_512 keeps 512. */
	irt2k_start(test, IRT2K_EFR2, AMD_GA_ENABLE_IRT_512);
	KUNIT_EXPECT_TRUE(test, amd_ga_has_irt_2k(c->iommu));
	KUNIT_EXPECT_EQ(test, irt2k_model_mode(c), AMD_GA_CTRL_NUM_INT_REMAP_512);
	irt2k_table(test);
	KUNIT_EXPECT_EQ(test, amd_ga_irt_entries(c->irt), AMD_GA_IRT_ENTRIES);
	KUNIT_EXPECT_EQ(test, irt2k_inttablen(test, c), AMD_GA_DTE_INT_TAB_LEN_512);
	irt2k_stop(c);

	/* NumIntRemapSup = 2 is not "2048 IRTEs". */
	irt2k_start(test, FIELD_PREP(AMD_GA_EFR2_NUM_INT_REMAP_SUP, 2), 0);
	KUNIT_EXPECT_FALSE(test, amd_ga_has_irt_2k(c->iommu));
	KUNIT_EXPECT_EQ(test, irt2k_model_mode(c), AMD_GA_CTRL_NUM_INT_REMAP_512);
	irt2k_stop(c);

	/* Offered: set while enabled, cleared by the disable. */
	irt2k_start(test, IRT2K_EFR2, 0);
	KUNIT_EXPECT_EQ(test, irt2k_model_mode(c), AMD_GA_CTRL_NUM_INT_REMAP_2K);
	KUNIT_ASSERT_EQ(test, amd_ga_iommu_disable(c->iommu), 0);
	KUNIT_EXPECT_EQ(test, irt2k_model_mode(c), AMD_GA_CTRL_NUM_INT_REMAP_512);
}

/*
 * The model bounds the index by the DTE's IntTabLen, not by the memory
 * behind the root pointer: in 2K mode, with the DTE of a 2048-entry table
 * cut to IntTabLen 9, index 512 (a programmed entry) is target-aborted
 * and not delivered, while 511 still is; MSI data bits above 10 are no
 * part of the index.
 */
static void irt2k_model_index_beyond_inttablen(struct kunit *test)
{
	struct irt2k_ctx *c = test->priv;
	struct amd_ga_cmd cmd;
	u64 *dte2, old;

	irt2k_start(test, IRT2K_EFR2, 0);
	irt2k_table(test);
	KUNIT_ASSERT_EQ(test, amd_ga_irt_entries(c->irt), AMD_GA_IRT_ENTRIES_MAX);
	irt2k_remap(test, 511, 0x45);
	irt2k_remap(test, 512, 0x44);
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise_msi(c->model, IRT2K_DEVID, 0x200),
			AMD_GA_MODEL_REMAPPED);
	KUNIT_EXPECT_EQ(test, c->last_vector, 0x44U);
	/* Bit 11 is not part of the index: 0x9ff selects 0x1ff. */
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise_msi(c->model, IRT2K_DEVID,
						     BIT(11) | 0x1ff),
			AMD_GA_MODEL_REMAPPED);
	KUNIT_EXPECT_EQ(test, c->last_vector, 0x45U);
	KUNIT_ASSERT_EQ(test, c->delivered, 2U);

	/* Tell the IOMMU the table has 512 entries. */
	dte2 = &c->iommu->devtab->entries[(size_t)IRT2K_DEVID * AMD_GA_DTE_QWORDS +
					  AMD_GA_DTE_IRQ_QWORD];
	old = READ_ONCE(*dte2);
	WRITE_ONCE(*dte2, (old & ~AMD_GA_DTE2_INT_TAB_LEN) |
		   FIELD_PREP(AMD_GA_DTE2_INT_TAB_LEN, AMD_GA_DTE_INT_TAB_LEN_512));
	KUNIT_ASSERT_EQ(test, amd_ga_cmd_make_inv_dte(IRT2K_DEVID, &cmd), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_cmdq_submit(c->iommu, &cmd, 1, true), 0);

	KUNIT_EXPECT_EQ(test, amd_ga_model_raise_msi(c->model, IRT2K_DEVID, 0x200),
			AMD_GA_MODEL_ABORTED);
	KUNIT_EXPECT_EQ_MSG(test, c->delivered, 2U,
			    "index 512 delivered beyond IntTabLen 9");
	KUNIT_EXPECT_EQ(test, amd_ga_model_raise_msi(c->model, IRT2K_DEVID, 0x1ff),
			AMD_GA_MODEL_REMAPPED);
	KUNIT_EXPECT_EQ(test, c->delivered, 3U);

	WRITE_ONCE(*dte2, old);
	KUNIT_EXPECT_EQ(test, amd_ga_cmdq_submit(c->iommu, &cmd, 1, true), 0);
}

static int irt2k_init(struct kunit *test)
{
	struct irt2k_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	test->priv = c;
	return 0;
}

static void irt2k_exit(struct kunit *test)
{
	irt2k_stop(test->priv);
}

static struct kunit_case amd_ga_irt2k_cases[] = {
	KUNIT_CASE(irt2k_table_in_use),
	KUNIT_CASE(irt2k_alloc_whole_table),
	KUNIT_CASE(irt2k_512_kept_without_feature),
	KUNIT_CASE(irt2k_mode_only_when_offered),
	KUNIT_CASE(irt2k_model_index_beyond_inttablen),
	{}
};

static struct kunit_suite amd_ga_irt2k_suite = {
	.name = "amd_ga_irt2k",
	.init = irt2k_init,
	.exit = irt2k_exit,
	.test_cases = amd_ga_irt2k_cases,
};

kunit_test_suite(amd_ga_irt2k_suite);
