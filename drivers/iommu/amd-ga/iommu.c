// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IOMMU instance: Control register access, status polling, feature
 * decoding and the list of IOMMUs amd-ga drives.
 */
#define pr_fmt(fmt) "amd-ga: " fmt

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/export.h>
#include <linux/iopoll.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "cmdq.h"
#include "compat.h"
#include "debugfs.h"
#include "devtab.h"
#include "galog.h"
#include "iommu.h"

/* Protects amd_ga_iommu_list and amd_ga_iommu_next_id. */
static DEFINE_MUTEX(amd_ga_iommu_list_lock);
static LIST_HEAD(amd_ga_iommu_list);
static unsigned int amd_ga_iommu_next_id;

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
EXPORT_SYMBOL_GPL(amd_ga_ctrl_update);

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
EXPORT_SYMBOL_GPL(amd_ga_ctrl_get);

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
EXPORT_SYMBOL_GPL(amd_ga_poll_status);

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
EXPORT_SYMBOL_GPL(amd_ga_iommu_init);

/**
 * amd_ga_iommu_register() - add an IOMMU to the list amd-ga drives
 * @iommu: an initialised instance
 *
 * Context: process context.
 * Return: 0.
 */
int amd_ga_iommu_register(struct amd_ga_iommu *iommu)
{
	mutex_lock(&amd_ga_iommu_list_lock);
	snprintf(iommu->name, sizeof(iommu->name), "amd-ga%u",
		 amd_ga_iommu_next_id++);
	list_add_tail(&iommu->node, &amd_ga_iommu_list);
	mutex_unlock(&amd_ga_iommu_list_lock);
	amd_ga_debugfs_add_iommu(iommu);
	return 0;
}
EXPORT_SYMBOL_GPL(amd_ga_iommu_register);

/**
 * amd_ga_iommu_unregister() - remove an IOMMU from the list
 * @iommu: a registered instance
 *
 * Context: process context.
 */
void amd_ga_iommu_unregister(struct amd_ga_iommu *iommu)
{
	amd_ga_debugfs_remove_iommu(iommu);
	mutex_lock(&amd_ga_iommu_list_lock);
	list_del_init(&iommu->node);
	mutex_unlock(&amd_ga_iommu_list_lock);
}
EXPORT_SYMBOL_GPL(amd_ga_iommu_unregister);

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
EXPORT_SYMBOL_GPL(amd_ga_efr_describe);

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
EXPORT_SYMBOL_GPL(amd_ga_iommu_irte_128);

/**
 * amd_ga_iommu_enable() - start interrupt remapping on an IOMMU
 * @iommu: an initialised IOMMU, not enabled
 * @flags: AMD_GA_ENABLE_LEGACY_IRTE for 32-bit IRTEs even with GASup
 *
 * Order: stop the IOMMU (a previous owner may have left it running);
 * program the command buffer; adopt or allocate the device table and
 * program its base (see devtab.c); set GAEn (128-bit IRTEs) if the IOMMU
 * has GASup, the CPU has cmpxchg16b and @flags do not ask for the legacy
 * format; set CmdBufEn, then IOMMUEn; prove the command queue with a
 * COMPLETION_WAIT. Every device table entry is zero, so every device's
 * interrupts and DMA pass through until a table is attached.
 *
 * Context: process context. Enable and disable of one IOMMU are
 * serialised by the caller.
 * Return: 0; -EBUSY if enabled already; -ENOMEM; -ETIMEDOUT if the IOMMU
 * does not process commands (it is left disabled then).
 */
int amd_ga_iommu_enable(struct amd_ga_iommu *iommu, unsigned int flags)
{
	u64 ga = 0;
	int ret;

	if (iommu->enabled)
		return -EBUSY;
	if (!(flags & AMD_GA_ENABLE_LEGACY_IRTE) && amd_ga_has_ga(iommu) &&
	    amd_ga_has_cmpxchg16b())
		ga = AMD_GA_CTRL_GA_EN;

	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_IOMMU_EN |
			   AMD_GA_CTRL_CMD_BUF_EN | AMD_GA_CTRL_GA_EN, 0);
	ret = amd_ga_cmdq_init(iommu);
	if (ret)
		return ret;
	ret = amd_ga_devtab_init(iommu);
	if (ret)
		goto err_cmdq;

	amd_ga_ctrl_update(iommu, 0, ga);
	amd_ga_ctrl_update(iommu, 0, AMD_GA_CTRL_CMD_BUF_EN);
	amd_ga_ctrl_update(iommu, 0, AMD_GA_CTRL_IOMMU_EN);
	ret = amd_ga_cmdq_sync(iommu);
	if (!ret)
		ret = amd_ga_devtab_flush_stale(iommu);
	if (ret) {
		pr_err("%s: the IOMMU does not process commands (%d); left disabled\n",
		       iommu->name, ret);
		goto err_ctrl;
	}

	/*
	 * The GA log is enabled here, once the command buffer runs and
	 * before anyone can attach a table with guest-mode entries
	 * (amd_ga_galog_enable()); a failure undoes the steps above.
	 * Guest mode needs 128-bit IRTEs and GAMSup = vAPIC (QEMU has none).
	 */
	if (ga && amd_ga_has_vapic(iommu) && !iommu->ops->alloc_ga_irq) {
		/*
		 * A backend that cannot deliver the GA interrupt (the mmio
		 * backend does not wire it yet) would leave blocked vCPUs
		 * unwoken: say so rather than fail remapping altogether.
		 */
		pr_warn("%s: the %s backend has no GA log interrupt: GA log not enabled, blocked vCPUs are not woken by posted interrupts\n",
			iommu->name, iommu->ops->name);
	} else if (ga && amd_ga_has_vapic(iommu)) {
		amd_ga_ctrl_update(iommu, 0, FIELD_PREP(AMD_GA_CTRL_GAM_EN,
							AMD_GA_CTRL_GAM_VAPIC));
		ret = amd_ga_galog_enable(iommu);
		if (ret)
			goto err_ctrl;
	}

	iommu->enabled = true;
	amd_ga_debugfs_add_irt(iommu);
	return 0;

err_ctrl:
	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_IOMMU_EN | AMD_GA_CTRL_CMD_BUF_EN |
			   AMD_GA_CTRL_GA_EN | AMD_GA_CTRL_GAM_EN, 0);
	amd_ga_devtab_release(iommu);
err_cmdq:
	amd_ga_cmdq_destroy(iommu);
	return ret;
}
EXPORT_SYMBOL_GPL(amd_ga_iommu_enable);

/**
 * amd_ga_iommu_disable() - stop interrupt remapping on an IOMMU
 * @iommu: the IOMMU
 *
 * Every table must have been destroyed. Waits for the commands queued so
 * far, clears IOMMUEn, CmdBufEn and GAEn and frees the command ring. The
 * device table stays where the IOMMU reads it, all zero, and its base is
 * never written with 0 (see devtab.c); the next enable adopts it.
 *
 * Context: process context.
 * Return: 0 (also if not enabled); -EBUSY if tables still use the IOMMU.
 */
int amd_ga_iommu_disable(struct amd_ga_iommu *iommu)
{
	if (!iommu->enabled)
		return 0;
	if (iommu->devtab && iommu->devtab->nr_owned) {
		pr_err("%s: not disabled: %u devices still have interrupt remapping tables\n",
		       iommu->name, iommu->devtab->nr_owned);
		return -EBUSY;
	}

	/*
	 * The GA log is disabled here, while the command buffer still runs
	 * (amd_ga_galog_disable()).
	 */
	amd_ga_galog_disable(iommu);

	/* No debugfs reader may see the device table go. */
	amd_ga_debugfs_remove_irt(iommu);
	/* A timeout was reported; the queue then keeps its semaphore page. */
	amd_ga_cmdq_sync(iommu);
	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_IOMMU_EN | AMD_GA_CTRL_CMD_BUF_EN |
			   AMD_GA_CTRL_GA_EN | AMD_GA_CTRL_GAM_EN, 0);
	amd_ga_devtab_release(iommu);
	amd_ga_cmdq_destroy(iommu);
	iommu->enabled = false;
	return 0;
}
EXPORT_SYMBOL_GPL(amd_ga_iommu_disable);
