// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mmio backend: register access to a real AMD IOMMU through its MMIO
 * window, its GA log interrupt (the function's MSI) and where the window
 * is (the IOMMU capability). Which IOMMUs are claimed is probe.c's.
 */
#define pr_fmt(fmt) "amd-ga: " fmt

#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kconfig.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "export.h"
#include "mmio.h"

#define AMD_GA_PCI_VENDOR_AMD	0x1022

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
