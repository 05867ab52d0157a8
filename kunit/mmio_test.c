// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: find the AMD IOMMU through amd-ga's own discovery code and read
 * its features. The KUnit QEMU machine has QEMU's emulated AMD IOMMU, which
 * amd-ga claims at boot because no other driver does. Also the GA log
 * interrupt of the mmio backend: offered only with GAMSup = vAPIC, which
 * QEMU lacks, so its op is called directly here.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/pci.h>

#include "cmdq.h"
#include "hw.h"
#include "mmio.h"
#include "probe.h"

static void amd_ga_mmio_test_locate(struct kunit *test)
{
	struct pci_dev *pdev;
	phys_addr_t base;
	u8 cap;

	pdev = pci_get_class(AMD_GA_PCI_CLASS_IOMMU, NULL);
	if (!pdev)
		kunit_skip(test, "no AMD IOMMU on this machine");
	KUNIT_EXPECT_EQ(test, amd_ga_mmio_locate(pdev, &cap, &base), 0);
	KUNIT_EXPECT_NE(test, cap, 0);
	/* QEMU places its window at a fixed address. */
	KUNIT_EXPECT_EQ(test, (u64)base, 0xfed80000ULL);
	pci_dev_put(pdev);
}

static void amd_ga_mmio_test_efr(struct kunit *test)
{
	struct amd_ga_iommu *iommu = amd_ga_first_iommu();

	if (!iommu)
		kunit_skip(test, "amd-ga claimed no IOMMU");
	/* QEMU's EFR: PreF PPR GT IA GA HE, HATS = GATS = 2, no GAMSup. */
	KUNIT_EXPECT_EQ(test, iommu->efr, 0x29d3ULL);
	KUNIT_EXPECT_TRUE(test, amd_ga_has_ga(iommu));
	KUNIT_EXPECT_FALSE(test, amd_ga_has_vapic(iommu));
	KUNIT_EXPECT_FALSE(test, amd_ga_has_xt(iommu));
	KUNIT_EXPECT_EQ(test, amd_ga_read(iommu, AMD_GA_MMIO_EFR), 0x29d3ULL);
}

/* QEMU's EFR with GAMSup set to @gam. */
static u64 amd_ga_mmio_test_efr_gam(u64 gam)
{
	return (0x29d3ULL & ~AMD_GA_EFR_GAM_SUP) |
	       FIELD_PREP(AMD_GA_EFR_GAM_SUP, gam);
}

/*
 * The GA interrupt op exists only for GAMSup = vAPIC; QEMU's IOMMU has
 * GAMSup = 0, so the instance amd-ga claimed has none and runs no GA log
 * (and its MSI stays free for the edu scenarios).
 */
static void amd_ga_mmio_test_ga_irq_offered(struct kunit *test)
{
	const struct amd_ga_backend_ops *plain, *vapic, *other;
	struct amd_ga_iommu *iommu = amd_ga_first_iommu();

	plain = amd_ga_mmio_ops_for(amd_ga_mmio_test_efr_gam(0));
	vapic = amd_ga_mmio_ops_for(amd_ga_mmio_test_efr_gam(AMD_GA_EFR_GAM_SUP_VAPIC));
	other = amd_ga_mmio_ops_for(amd_ga_mmio_test_efr_gam(2));
	KUNIT_EXPECT_NULL(test, plain->alloc_ga_irq);
	KUNIT_EXPECT_NULL(test, plain->free_ga_irq);
	KUNIT_EXPECT_NULL(test, other->alloc_ga_irq);
	KUNIT_EXPECT_NOT_NULL(test, vapic->alloc_ga_irq);
	KUNIT_EXPECT_NOT_NULL(test, vapic->free_ga_irq);
	/* Registers are reached the same way with and without it. */
	KUNIT_EXPECT_PTR_EQ(test, vapic->read, plain->read);
	KUNIT_EXPECT_PTR_EQ(test, vapic->write, plain->write);
	KUNIT_EXPECT_PTR_EQ(test, vapic->release, plain->release);

	if (!iommu)
		kunit_skip(test, "amd-ga claimed no IOMMU");
	KUNIT_EXPECT_PTR_EQ(test, iommu->ops, amd_ga_mmio_ops_for(iommu->efr));
	KUNIT_EXPECT_NULL(test, iommu->ops->alloc_ga_irq);
	KUNIT_EXPECT_NULL(test, iommu->galog);
}

static irqreturn_t amd_ga_mmio_test_isr(int irq, void *data)
{
	atomic_inc(data);
	return IRQ_HANDLED;
}

/*
 * Make the IOMMU send its MSI: a COMPLETION_WAIT with I = 1 (hardware
 * then needs ComWaitIntEn, set by the caller; QEMU sends it regardless).
 * The queue's API takes no COMPLETION_WAIT from its users (it owns the
 * sequence numbers), so the command goes into the ring here, under the
 * queue's lock, right after a sync emptied the ring.
 */
static int amd_ga_mmio_test_raise(struct amd_ga_iommu *iommu)
{
	struct amd_ga_cmdq *q = iommu->cmdq;
	struct amd_ga_cmd *slot;
	unsigned long flags;
	int ret;

	ret = amd_ga_cmdq_sync(iommu);
	if (ret)
		return ret;
	raw_spin_lock_irqsave(&q->lock, flags);
	slot = &q->ring[q->tail / AMD_GA_CMD_SIZE];
	WRITE_ONCE(slot->q[0], FIELD_PREP(AMD_GA_CMD_OPCODE,
					  AMD_GA_CMD_COMPLETION_WAIT) |
			       AMD_GA_CMD_CW_INT);
	WRITE_ONCE(slot->q[1], 0);
	q->tail = (q->tail + AMD_GA_CMD_SIZE) & (AMD_GA_CMDQ_BYTES - 1);
	amd_ga_write(iommu, AMD_GA_MMIO_CMD_TAIL, q->tail);
	raw_spin_unlock_irqrestore(&q->lock, flags);
	return amd_ga_cmdq_sync(iommu);
}

/*
 * The op of an IOMMU with GAMSup = vAPIC, called on QEMU's: it enables
 * one MSI of the IOMMU's PCI function and returns its Linux IRQ, which
 * then receives the IOMMU's interrupt; free disables the MSI again, so
 * the next allocation works. Twice, as a reload would.
 */
static void amd_ga_mmio_test_ga_irq_msi(struct kunit *test)
{
	const struct amd_ga_backend_ops *ops =
		amd_ga_mmio_ops_for(amd_ga_mmio_test_efr_gam(AMD_GA_EFR_GAM_SUP_VAPIC));
	struct amd_ga_iommu *iommu = amd_ga_first_iommu();
	unsigned int round, t;
	struct pci_dev *pdev;
	atomic_t hits;
	int irq, ret;

	if (!iommu || !iommu->enabled || !iommu->dev || !dev_is_pci(iommu->dev))
		kunit_skip(test, "amd-ga enabled no IOMMU on PCI");
	pdev = to_pci_dev(iommu->dev);
	KUNIT_ASSERT_FALSE_MSG(test, pdev->msi_enabled,
			       "the IOMMU function's MSI is in use already");
	amd_ga_ctrl_update(iommu, 0, AMD_GA_CTRL_COMWAIT_INT_EN);

	for (round = 0; round < 2; round++) {
		atomic_set(&hits, 0);
		irq = ops->alloc_ga_irq(iommu);
		KUNIT_ASSERT_GT_MSG(test, irq, 0, "round %u", round);
		KUNIT_EXPECT_TRUE(test, pdev->msi_enabled);
		KUNIT_EXPECT_EQ(test, irq, pci_irq_vector(pdev, 0));
		ret = request_irq(irq, amd_ga_mmio_test_isr, 0,
				  "amd_ga_mmio_test", &hits);
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, amd_ga_mmio_test_raise(iommu), 0);
		for (t = 0; t < 1000 && !atomic_read(&hits); t++)
			usleep_range(1000, 2000);
		KUNIT_EXPECT_GT_MSG(test, atomic_read(&hits), 0,
				    "round %u: the IOMMU's interrupt did not reach IRQ %d",
				    round, irq);
		if (!ret)
			free_irq(irq, &hits);
		amd_ga_write(iommu, AMD_GA_MMIO_STATUS, AMD_GA_STATUS_COMWAIT_INT);
		ops->free_ga_irq(iommu);
		KUNIT_EXPECT_FALSE(test, pdev->msi_enabled);
	}
	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_COMWAIT_INT_EN, 0);
}

static struct kunit_case amd_ga_mmio_test_cases[] = {
	KUNIT_CASE(amd_ga_mmio_test_locate),
	KUNIT_CASE(amd_ga_mmio_test_efr),
	KUNIT_CASE(amd_ga_mmio_test_ga_irq_offered),
	KUNIT_CASE(amd_ga_mmio_test_ga_irq_msi),
	{}
};

static struct kunit_suite amd_ga_mmio_test_suite = {
	.name = "amd_ga_mmio",
	.test_cases = amd_ga_mmio_test_cases,
};

kunit_test_suite(amd_ga_mmio_test_suite);
