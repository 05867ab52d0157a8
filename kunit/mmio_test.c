// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: find the AMD IOMMU through amd-ga's own discovery code and read
 * its features. The KUnit QEMU machine has QEMU's emulated AMD IOMMU, which
 * amd-ga claims at boot because no other driver does.
 */
#include <kunit/test.h>
#include <linux/pci.h>

#include "hw.h"
#include "mmio.h"

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
	struct amd_ga_iommu *iommu = amd_ga_mmio_first();

	if (!iommu)
		kunit_skip(test, "amd-ga claimed no IOMMU");
	/* QEMU's EFR: PreF PPR GT IA GA HE, HATS = GATS = 2, no GAMSup. */
	KUNIT_EXPECT_EQ(test, iommu->efr, 0x29d3ULL);
	KUNIT_EXPECT_TRUE(test, amd_ga_has_ga(iommu));
	KUNIT_EXPECT_FALSE(test, amd_ga_has_vapic(iommu));
	KUNIT_EXPECT_FALSE(test, amd_ga_has_xt(iommu));
	KUNIT_EXPECT_EQ(test, amd_ga_read(iommu, AMD_GA_MMIO_EFR), 0x29d3ULL);
}

static struct kunit_case amd_ga_mmio_test_cases[] = {
	KUNIT_CASE(amd_ga_mmio_test_locate),
	KUNIT_CASE(amd_ga_mmio_test_efr),
	{}
};

static struct kunit_suite amd_ga_mmio_test_suite = {
	.name = "amd_ga_mmio",
	.test_cases = amd_ga_mmio_test_cases,
};

kunit_test_suite(amd_ga_mmio_test_suite);
