// SPDX-License-Identifier: GPL-2.0-only
/* pci_alloc_irq_vectors() with PCI_IRQ_MSI and pci_irq_vector() */
#include <linux/pci.h>

static int __used amd_ga_probe(struct pci_dev *pdev)
{
	int ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);

	return ret < 0 ? ret : pci_irq_vector(pdev, 0);
}
