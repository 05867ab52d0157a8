// SPDX-License-Identifier: GPL-2.0-only
/*
 * Discovery: find AMD IOMMUs by PCI class and vendor (never by device ID,
 * which differs between implementations and QEMU versions), claim the
 * ones no other driver owns, put each on the mmio backend, register the
 * instance and enable them all. Sits on top: it calls the instance's
 * lifecycle (instance.c) and nothing calls it but module init and exit.
 */
#define pr_fmt(fmt) "amd-ga: " fmt

#include <linux/export.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kconfig.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "export.h"
#include "instance.h"
#include "mmio.h"
#include "probe.h"

/* The IOMMUs claimed; only touched at load and unload. */
static struct amd_ga_mmio *amd_ga_units[4];
static unsigned int amd_ga_unit_count;

static int amd_ga_probe_claim(struct pci_dev *pdev)
{
	struct amd_ga_mmio *m;
	phys_addr_t base;
	char feat[160];
	u8 cap;
	int ret;

	ret = amd_ga_mmio_locate(pdev, &cap, &base);
	if (ret)
		return ret;

	if (!request_mem_region(base, AMD_GA_MMIO_SIZE, "amd-ga")) {
		pr_err("%s: IOMMU registers at %pa are already claimed by another driver%s; boot with amd_iommu=off to let amd-ga own this IOMMU, or carry amd-ga in the kernel as the in-tree backport (make backport)\n",
		       pci_name(pdev), &base,
		       IS_ENABLED(CONFIG_AMD_IOMMU) ?
		       " (this kernel's built-in AMD IOMMU driver, amd_iommu)" : "");
		return -EBUSY;
	}

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m) {
		ret = -ENOMEM;
		goto err_region;
	}
	m->regs = ioremap(base, AMD_GA_MMIO_SIZE);
	if (!m->regs) {
		ret = -ENOMEM;
		goto err_free;
	}
	m->pdev = pci_dev_get(pdev);
	m->cap = cap;
	m->base = base;
	amd_ga_iommu_init(&m->iommu,
			  amd_ga_mmio_ops_for(readq(m->regs + AMD_GA_MMIO_EFR)),
			  m, &pdev->dev);
	amd_ga_iommu_register(&m->iommu);
	amd_ga_units[amd_ga_unit_count++] = m;

	amd_ga_efr_describe(m->iommu.efr, m->iommu.efr2, feat, sizeof(feat));
	pr_info("%s: AMD IOMMU at %s, registers at %pa, EFR %#llx EFR2 %#llx: %s\n",
		m->iommu.name, pci_name(pdev), &base, m->iommu.efr,
		m->iommu.efr2, feat);
	pr_info("%s: remapping: %s IRTEs; x2APIC destinations: %s; guest mode (vAPIC) and GA log: %s\n",
		m->iommu.name,
		amd_ga_has_ga(&m->iommu) ? "32-bit and 128-bit" : "32-bit",
		amd_ga_has_xt(&m->iommu) ? "yes" : "no (XTSup=0)",
		amd_ga_has_vapic(&m->iommu) ? "yes" :
		"no (GAMSup=0), posted interrupts run on the software model");
	return 0;

err_free:
	kfree(m);
err_region:
	release_mem_region(base, AMD_GA_MMIO_SIZE);
	return ret;
}

/**
 * amd_ga_probe_all() - claim every AMD IOMMU nobody else owns
 *
 * Context: process context.
 * Return: the number of IOMMUs claimed, or -EBUSY if one is owned by
 * another driver (after a message naming it and the way out).
 */
int amd_ga_probe_all(void)
{
	struct pci_dev *pdev = NULL;
	int ret;

	while ((pdev = pci_get_class(AMD_GA_PCI_CLASS_IOMMU, pdev))) {
		if (amd_ga_unit_count == ARRAY_SIZE(amd_ga_units)) {
			pci_dev_put(pdev);
			break;
		}
		ret = amd_ga_probe_claim(pdev);
		if (ret == -EBUSY) {
			pci_dev_put(pdev);
			amd_ga_remove_all();
			return ret;
		}
	}
	return amd_ga_unit_count;
}

/**
 * amd_ga_remove_all() - release every IOMMU claimed by the backend
 *
 * Context: process context.
 */
void amd_ga_remove_all(void)
{
	while (amd_ga_unit_count) {
		struct amd_ga_mmio *m = amd_ga_units[--amd_ga_unit_count];

		amd_ga_iommu_unregister(&m->iommu);
		m->iommu.ops->release(&m->iommu);
		amd_ga_units[amd_ga_unit_count] = NULL;
	}
}

/**
 * amd_ga_first_iommu() - the first IOMMU the backend claimed
 *
 * Return: the IOMMU, or NULL if none was found.
 */
struct amd_ga_iommu *amd_ga_first_iommu(void)
{
	return amd_ga_unit_count ? &amd_ga_units[0]->iommu : NULL;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_first_iommu);

/**
 * amd_ga_enable_all() - start interrupt remapping on every IOMMU claimed
 * @flags: amd_ga_iommu_enable() flags
 *
 * Context: process context.
 * Return: 0, or the first error (IOMMUs enabled before it are disabled
 * again).
 */
int amd_ga_enable_all(unsigned int flags)
{
	unsigned int i;
	int ret;

	for (i = 0; i < amd_ga_unit_count; i++) {
		ret = amd_ga_iommu_enable(&amd_ga_units[i]->iommu, flags);
		if (ret) {
			while (i--)
				amd_ga_iommu_disable(&amd_ga_units[i]->iommu);
			return ret;
		}
	}
	return 0;
}

/**
 * amd_ga_disable_all() - stop interrupt remapping on every IOMMU claimed
 *
 * Context: process context.
 */
void amd_ga_disable_all(void)
{
	unsigned int i;

	for (i = 0; i < amd_ga_unit_count; i++)
		amd_ga_iommu_disable(&amd_ga_units[i]->iommu);
}
