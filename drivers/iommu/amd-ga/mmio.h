/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mmio backend: a real AMD IOMMU found on PCI (class 0x0806, vendor
 * AMD), reached through its MMIO window.
 */
#ifndef AMD_GA_MMIO_H
#define AMD_GA_MMIO_H

#include <linux/types.h>

#include "iommu.h"

struct pci_dev;

/**
 * struct amd_ga_mmio - an IOMMU driven through its registers
 * @iommu: the core instance
 * @pdev: the IOMMU's PCI function (a reference is held)
 * @cap: offset of the IOMMU capability block in config space
 * @base: physical address of the MMIO window
 * @regs: the mapped window
 * @pci_enabled: amd-ga enabled @pdev for the GA log's MSI; it stays
 *	enabled until release. Set by alloc_ga_irq, which the GA log's
 *	enable and disable call serialised.
 */
struct amd_ga_mmio {
	struct amd_ga_iommu iommu;
	struct pci_dev *pdev;
	u8 cap;
	phys_addr_t base;
	void __iomem *regs;
	bool pci_enabled;
};

const struct amd_ga_backend_ops *amd_ga_mmio_ops_for(u64 efr);
int amd_ga_mmio_locate(struct pci_dev *pdev, u8 *cap, phys_addr_t *base);

#endif /* AMD_GA_MMIO_H */
