// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmio backend: discover AMD IOMMUs by PCI class and vendor (never by
 * device ID, which differs between implementations and QEMU versions),
 * read the MMIO base from the IOMMU capability, claim and map the window.
 */
#define pr_fmt(fmt) "amd-ga: " fmt

#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kconfig.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "mmio.h"

#define AMD_GA_PCI_VENDOR_AMD	0x1022

/* The IOMMUs this backend drives; only touched at load and unload. */
static struct amd_ga_mmio *amd_ga_mmio_units[4];
static unsigned int amd_ga_mmio_count;

static u64 amd_ga_mmio_read(struct amd_ga_iommu *iommu, u32 off)
{
	struct amd_ga_mmio *m = container_of(iommu, struct amd_ga_mmio, iommu);

	return readq(m->regs + off);
}

static void amd_ga_mmio_write(struct amd_ga_iommu *iommu, u32 off, u64 val)
{
	struct amd_ga_mmio *m = container_of(iommu, struct amd_ga_mmio, iommu);

	/* One 8-byte write: QEMU latches base registers only on the high half. */
	writeq(val, m->regs + off);
}

static void amd_ga_mmio_release(struct amd_ga_iommu *iommu)
{
	struct amd_ga_mmio *m = container_of(iommu, struct amd_ga_mmio, iommu);

	iounmap(m->regs);
	release_mem_region(m->base, AMD_GA_MMIO_SIZE);
	/* The IOMMU is disabled by now: nothing of it needs Bus Master. */
	if (m->pci_enabled)
		pci_disable_device(m->pdev);
	pci_dev_put(m->pdev);
	kfree(m);
}

/*
 * The GA log interrupt of a real IOMMU. Unless IntCapXTEn is set (amd-ga
 * never sets it), the IOMMU signals its GA, event and PPR interrupts
 * through its PCI function's MSI capability; MsiNumGA says which message
 * of a multi-message MSI the GA log uses. amd-ga enables exactly one
 * message, so every interrupt of the IOMMU, the GA log's included, is
 * message 0 and arrives at the Linux IRQ returned here.
 */
static int amd_ga_mmio_alloc_ga_irq(struct amd_ga_iommu *iommu)
{
	struct amd_ga_mmio *m = container_of(iommu, struct amd_ga_mmio, iommu);
	int ret;

	/*
	 * MSI needs the function in D0, which enabling it ensures (Linux's
	 * own driver enables it too). It stays enabled until release: the
	 * last disable clears Bus Master, which the IOMMU may need for the
	 * COMPLETION_WAIT stores it still makes after its GA log is gone.
	 */
	if (!m->pci_enabled) {
		ret = pci_enable_device(m->pdev);
		if (ret)
			return ret;
		m->pci_enabled = true;
	}
	ret = pci_alloc_irq_vectors(m->pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		return ret;
	ret = pci_irq_vector(m->pdev, 0);
	if (ret < 0)
		pci_free_irq_vectors(m->pdev);
	return ret;
}

static void amd_ga_mmio_free_ga_irq(struct amd_ga_iommu *iommu)
{
	struct amd_ga_mmio *m = container_of(iommu, struct amd_ga_mmio, iommu);

	pci_free_irq_vectors(m->pdev);
}

/* An IOMMU without guest mode (QEMU's): no GA log, so no GA interrupt. */
static const struct amd_ga_backend_ops amd_ga_mmio_ops = {
	.name = "mmio",
	.read = amd_ga_mmio_read,
	.write = amd_ga_mmio_write,
	.release = amd_ga_mmio_release,
};

/*
 * An IOMMU with GAMSup = vAPIC: the GA log runs and its interrupt is the
 * function's MSI. Only such an IOMMU gets the MSI taken by amd-ga; QEMU's
 * reports GAMSup = 0, which leaves its MSI free for the edu scenarios
 * (edu_scenarios.c borrows it as their second vector) and means that this
 * path is only exercised on QEMU by calling the op directly (mmio_test.c).
 */
static const struct amd_ga_backend_ops amd_ga_mmio_vapic_ops = {
	.name = "mmio",
	.read = amd_ga_mmio_read,
	.write = amd_ga_mmio_write,
	.alloc_ga_irq = amd_ga_mmio_alloc_ga_irq,
	.free_ga_irq = amd_ga_mmio_free_ga_irq,
	.release = amd_ga_mmio_release,
};

/**
 * amd_ga_mmio_ops_for() - the backend operations for an IOMMU
 * @efr: its Extended Feature Register
 *
 * Return: operations with the GA interrupt (the function's MSI) when @efr
 * reports GAMSup = vAPIC, else operations without it.
 */
const struct amd_ga_backend_ops *amd_ga_mmio_ops_for(u64 efr)
{
	if (FIELD_GET(AMD_GA_EFR_GAM_SUP, efr) == AMD_GA_EFR_GAM_SUP_VAPIC)
		return &amd_ga_mmio_vapic_ops;
	return &amd_ga_mmio_ops;
}

/**
 * amd_ga_mmio_locate() - find the MMIO window of an IOMMU PCI function
 * @pdev: a function of class 0x0806
 * @cap: offset of its IOMMU capability
 * @base: physical address of its MMIO window
 *
 * Return: 0, or -ENODEV if @pdev is not an AMD IOMMU or has no usable
 * capability.
 */
int amd_ga_mmio_locate(struct pci_dev *pdev, u8 *cap, phys_addr_t *base)
{
	u32 lo, hi;
	int pos;

	if (pdev->vendor != AMD_GA_PCI_VENDOR_AMD ||
	    pdev->class != AMD_GA_PCI_CLASS_IOMMU)
		return -ENODEV;
	pos = pci_find_capability(pdev, AMD_GA_PCI_CAP_ID_IOMMU);
	if (!pos)
		return -ENODEV;
	pci_read_config_dword(pdev, pos + AMD_GA_CAP_BAR_LO, &lo);
	pci_read_config_dword(pdev, pos + AMD_GA_CAP_BAR_HI, &hi);
	*base = ((u64)hi << 32) | (lo & AMD_GA_CAP_BAR_LO_ADDR);
	if (!*base)
		return -ENODEV;
	*cap = pos;
	return 0;
}
EXPORT_SYMBOL_GPL(amd_ga_mmio_locate);

static int amd_ga_mmio_claim(struct pci_dev *pdev)
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
	amd_ga_mmio_units[amd_ga_mmio_count++] = m;

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
 * amd_ga_mmio_probe_all() - claim every AMD IOMMU nobody else owns
 *
 * Context: process context.
 * Return: the number of IOMMUs claimed, or -EBUSY if one is owned by
 * another driver (after a message naming it and the way out).
 */
int amd_ga_mmio_probe_all(void)
{
	struct pci_dev *pdev = NULL;
	int ret;

	while ((pdev = pci_get_class(AMD_GA_PCI_CLASS_IOMMU, pdev))) {
		if (amd_ga_mmio_count == ARRAY_SIZE(amd_ga_mmio_units)) {
			pci_dev_put(pdev);
			break;
		}
		ret = amd_ga_mmio_claim(pdev);
		if (ret == -EBUSY) {
			pci_dev_put(pdev);
			amd_ga_mmio_remove_all();
			return ret;
		}
	}
	return amd_ga_mmio_count;
}

/**
 * amd_ga_mmio_remove_all() - release every IOMMU claimed by the backend
 *
 * Context: process context.
 */
void amd_ga_mmio_remove_all(void)
{
	while (amd_ga_mmio_count) {
		struct amd_ga_mmio *m = amd_ga_mmio_units[--amd_ga_mmio_count];

		amd_ga_iommu_unregister(&m->iommu);
		m->iommu.ops->release(&m->iommu);
		amd_ga_mmio_units[amd_ga_mmio_count] = NULL;
	}
}

/**
 * amd_ga_mmio_first() - the first IOMMU the backend claimed
 *
 * Return: the IOMMU, or NULL if none was found.
 */
struct amd_ga_iommu *amd_ga_mmio_first(void)
{
	return amd_ga_mmio_count ? &amd_ga_mmio_units[0]->iommu : NULL;
}
EXPORT_SYMBOL_GPL(amd_ga_mmio_first);

/**
 * amd_ga_mmio_enable_all() - start interrupt remapping on every IOMMU claimed
 * @flags: amd_ga_iommu_enable() flags
 *
 * Context: process context.
 * Return: 0, or the first error (IOMMUs enabled before it are disabled
 * again).
 */
int amd_ga_mmio_enable_all(unsigned int flags)
{
	unsigned int i;
	int ret;

	for (i = 0; i < amd_ga_mmio_count; i++) {
		ret = amd_ga_iommu_enable(&amd_ga_mmio_units[i]->iommu, flags);
		if (ret) {
			while (i--)
				amd_ga_iommu_disable(&amd_ga_mmio_units[i]->iommu);
			return ret;
		}
	}
	return 0;
}

/**
 * amd_ga_mmio_disable_all() - stop interrupt remapping on every IOMMU claimed
 *
 * Context: process context.
 */
void amd_ga_mmio_disable_all(void)
{
	unsigned int i;

	for (i = 0; i < amd_ga_mmio_count; i++)
		amd_ga_iommu_disable(&amd_ga_mmio_units[i]->iommu);
}
