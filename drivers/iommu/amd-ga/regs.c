// SPDX-License-Identifier: GPL-2.0-only
/*
 * The register-access layer: one IOMMU's registers through its backend
 * (mmio, the software model, later the built-in driver's window), the
 * Control register's shadow, bounded Status polling and feature decoding.
 * It knows no component: the command queue, device table, IRT store and
 * GA log all sit above it and reach the hardware only through it.
 */
#define pr_fmt(fmt) "amd-ga: " fmt

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/export.h>
#include <linux/iopoll.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/string.h>

#include "export.h"
#include "iommu.h"

/**
 * amd_ga_ctrl_update() - clear then set bits of the Control register
 * @iommu: the IOMMU
 * @clear: bits to clear
 * @set: bits to set
 *
 * Context: any; takes a raw spinlock with interrupts off.
 */
void amd_ga_ctrl_update(struct amd_ga_iommu *iommu, u64 clear, u64 set)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&iommu->ctrl_lock, flags);
	iommu->ctrl = (iommu->ctrl & ~clear) | set;
	amd_ga_write(iommu, AMD_GA_MMIO_CONTROL, iommu->ctrl);
	raw_spin_unlock_irqrestore(&iommu->ctrl_lock, flags);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_ctrl_update);

/**
 * amd_ga_ctrl_get() - the Control register as last written
 * @iommu: the IOMMU
 *
 * Return: the shadow copy.
 */
u64 amd_ga_ctrl_get(struct amd_ga_iommu *iommu)
{
	unsigned long flags;
	u64 val;

	raw_spin_lock_irqsave(&iommu->ctrl_lock, flags);
	val = iommu->ctrl;
	raw_spin_unlock_irqrestore(&iommu->ctrl_lock, flags);
	return val;
}

/**
 * amd_ga_poll_status() - wait, bounded, for Status bits to reach a value
 * @iommu: the IOMMU
 * @mask: the bits to look at
 * @want: their wanted value
 * @timeout_us: how long to wait
 *
 * Busy-waits with udelay(), so it may be called in atomic context; keep
 * @timeout_us small there. The caller decides what a timeout means and
 * reports it: this function never WARNs.
 *
 * Return: true if the bits reached @want in time.
 */
bool amd_ga_poll_status(struct amd_ga_iommu *iommu, u64 mask, u64 want,
			unsigned int timeout_us)
{
	u64 status;

	return !read_poll_timeout_atomic(amd_ga_read, status,
					 (status & mask) == want, 1,
					 timeout_us, false, iommu,
					 AMD_GA_MMIO_STATUS);
}

/**
 * amd_ga_iommu_init() - initialise an IOMMU instance and read its features
 * @iommu: the instance, zeroed by the caller
 * @ops: backend operations
 * @backend: backend private data
 * @dev: the IOMMU's PCI function, or NULL
 *
 * The backend's registers must be reachable when this is called: the
 * feature registers and the Control register are read here.
 */
void amd_ga_iommu_init(struct amd_ga_iommu *iommu,
		       const struct amd_ga_backend_ops *ops, void *backend,
		       struct device *dev)
{
	INIT_LIST_HEAD(&iommu->node);
	raw_spin_lock_init(&iommu->ctrl_lock);
	iommu->ops = ops;
	iommu->backend = backend;
	iommu->dev = dev;
	iommu->efr = amd_ga_read(iommu, AMD_GA_MMIO_EFR);
	iommu->efr2 = amd_ga_read(iommu, AMD_GA_MMIO_EFR2);
	iommu->ctrl = amd_ga_read(iommu, AMD_GA_MMIO_CONTROL);
	strscpy(iommu->name, "amd-ga", sizeof(iommu->name));
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_iommu_init);

static const struct {
	u64 mask;
	const char *name;
} amd_ga_efr_bits[] = {
	{ AMD_GA_EFR_PREF_SUP, "PreF" },
	{ AMD_GA_EFR_PPR_SUP, "PPR" },
	{ AMD_GA_EFR_XT_SUP, "XT" },
	{ AMD_GA_EFR_NX_SUP, "NX" },
	{ AMD_GA_EFR_GT_SUP, "GT" },
	{ AMD_GA_EFR_GAPPI_SUP, "GAPPI" },
	{ AMD_GA_EFR_IA_SUP, "IA" },
	{ AMD_GA_EFR_GA_SUP, "GA" },
	{ AMD_GA_EFR_HE_SUP, "HE" },
	{ AMD_GA_EFR_PC_SUP, "PC" },
	{ AMD_GA_EFR_US_SUP, "US" },
	{ AMD_GA_EFR_GIO_SUP, "GIO" },
	{ AMD_GA_EFR_HA_SUP, "HA" },
	{ AMD_GA_EFR_EPH_SUP, "EPH" },
	{ AMD_GA_EFR_HD_SUP, "HD" },
	{ AMD_GA_EFR_SNP_SUP, "SNP" },
};

/**
 * amd_ga_efr_describe() - the features of an EFR/EFR2 pair as text
 * @efr: Extended Feature Register
 * @efr2: Extended Feature Register 2
 * @buf: output
 * @len: size of @buf
 *
 * Return: the number of characters written, as scnprintf().
 */
int amd_ga_efr_describe(u64 efr, u64 efr2, char *buf, size_t len)
{
	int n = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(amd_ga_efr_bits); i++)
		if (efr & amd_ga_efr_bits[i].mask)
			n += scnprintf(buf + n, len - n, "%s ",
				       amd_ga_efr_bits[i].name);
	n += scnprintf(buf + n, len - n, "GAMSup=%llu HATS=%llu GATS=%llu",
		       FIELD_GET(AMD_GA_EFR_GAM_SUP, efr),
		       FIELD_GET(AMD_GA_EFR_HATS, efr),
		       FIELD_GET(AMD_GA_EFR_GATS, efr));
	if (efr2)
		n += scnprintf(buf + n, len - n,
			       " NumIntRemapSup=%llu SNPAVICSup=%llu",
			       FIELD_GET(AMD_GA_EFR2_NUM_INT_REMAP_SUP, efr2),
			       FIELD_GET(AMD_GA_EFR2_SNPAVIC_SUP, efr2));
	return n;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_efr_describe);

/**
 * amd_ga_iommu_irte_128() - does the IOMMU read 128-bit IRTEs?
 * @iommu: the IOMMU
 *
 * Return: true if GAEn is set in the Control register.
 */
bool amd_ga_iommu_irte_128(struct amd_ga_iommu *iommu)
{
	return amd_ga_ctrl_get(iommu) & AMD_GA_CTRL_GA_EN;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_iommu_irte_128);

/**
 * amd_ga_iommu_irt_2k() - does the IOMMU index tables of 2048 IRTEs?
 * @iommu: the IOMMU
 *
 * Return: true if the Control register's NumIntRemapMode is 2K, as
 * amd_ga_iommu_enable() sets it where EFR2 offers it; the IOMMU then takes
 * IRTE indices from MSI data bits 10:0 instead of 8:0.
 */
bool amd_ga_iommu_irt_2k(struct amd_ga_iommu *iommu)
{
	return FIELD_GET(AMD_GA_CTRL_NUM_INT_REMAP_MODE,
			 amd_ga_ctrl_get(iommu)) == AMD_GA_CTRL_NUM_INT_REMAP_2K;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_iommu_irt_2k);
