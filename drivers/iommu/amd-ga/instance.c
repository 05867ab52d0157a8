// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IOMMU instance: the order in which the components start and stop
 * (command queue, device table, 128-bit IRTEs, GA log), the list of
 * IOMMUs amd-ga drives and their debugfs directories. The top of the
 * driver's layers: it calls every component's lifecycle, none calls it.
 */
#define pr_fmt(fmt) "amd-ga: " fmt

#include <linux/bitfield.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mutex.h>

#include "cmdq.h"
#include "compat.h"
#include "debugfs.h"
#include "devtab.h"
#include "export.h"
#include "galog.h"
#include "instance.h"

/* Protects amd_ga_iommu_list and amd_ga_iommu_next_id. */
static DEFINE_MUTEX(amd_ga_iommu_list_lock);
static LIST_HEAD(amd_ga_iommu_list);
static unsigned int amd_ga_iommu_next_id;

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
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_iommu_register);

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
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_iommu_unregister);

/* The Control bits amd_ga_iommu_enable() may set, cleared on the way out. */
#define AMD_GA_CTRL_ENABLE_BITS	(AMD_GA_CTRL_IOMMU_EN | \
				 AMD_GA_CTRL_CMD_BUF_EN | AMD_GA_CTRL_GA_EN | \
				 AMD_GA_CTRL_NUM_INT_REMAP_MODE)

/**
 * amd_ga_iommu_enable() - start interrupt remapping on an IOMMU
 * @iommu: an initialised IOMMU, not enabled
 * @flags: AMD_GA_ENABLE_LEGACY_IRTE for 32-bit IRTEs even with GASup;
 *	AMD_GA_ENABLE_IRT_512 for 512-entry tables even where EFR2 offers 2K
 *
 * Order: stop the IOMMU (a previous owner may have left it running);
 * program the command buffer; adopt or allocate the device table and
 * program its base (see devtab.c); set GAEn (128-bit IRTEs) if the IOMMU
 * has GASup, the CPU has cmpxchg16b and @flags do not ask for the legacy
 * format, and NumIntRemapMode = 2K (2048-entry tables, MSI data bits 10:0
 * index them) if EFR2 offers NumIntRemapSup and @flags do not ask for 512;
 * set CmdBufEn, then IOMMUEn; prove the command queue with a
 * COMPLETION_WAIT. Every device table entry is zero, so every device's
 * interrupts and DMA pass through until a table is attached. The table
 * size is fixed from here until the disable: amd_ga_irt_create() reads it
 * from the Control register, and a disable waits for every table to go.
 *
 * Context: process context. Enable and disable of one IOMMU are
 * serialised by the caller.
 * Return: 0; -EBUSY if enabled already; -ENOMEM; -ETIMEDOUT if the IOMMU
 * does not process commands (it is left disabled then).
 */
int amd_ga_iommu_enable(struct amd_ga_iommu *iommu, unsigned int flags)
{
	u64 ga = 0, nirq = 0;
	int ret;

	if (iommu->enabled)
		return -EBUSY;
	if (!(flags & AMD_GA_ENABLE_LEGACY_IRTE) && amd_ga_has_ga(iommu) &&
	    amd_ga_has_cmpxchg16b())
		ga = AMD_GA_CTRL_GA_EN;
	if (!(flags & AMD_GA_ENABLE_IRT_512) && amd_ga_has_irt_2k(iommu))
		nirq = FIELD_PREP(AMD_GA_CTRL_NUM_INT_REMAP_MODE,
				  AMD_GA_CTRL_NUM_INT_REMAP_2K);

	/* Also drops a NumIntRemapMode a previous owner left. */
	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_ENABLE_BITS, 0);
	ret = amd_ga_cmdq_init(iommu);
	if (ret)
		return ret;
	ret = amd_ga_devtab_init(iommu);
	if (ret)
		goto err_cmdq;

	amd_ga_ctrl_update(iommu, 0, ga | nirq);
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
	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_ENABLE_BITS | AMD_GA_CTRL_GAM_EN,
			   0);
	amd_ga_devtab_release(iommu);
err_cmdq:
	amd_ga_cmdq_destroy(iommu);
	return ret;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_iommu_enable);

/**
 * amd_ga_iommu_disable() - stop interrupt remapping on an IOMMU
 * @iommu: the IOMMU
 *
 * Every table must have been destroyed. Waits for the commands queued so
 * far, clears IOMMUEn, CmdBufEn, GAEn and NumIntRemapMode and frees the
 * command ring. The device table stays where the IOMMU reads it, all zero,
 * and its base is never written with 0 (see devtab.c); the next enable
 * adopts it.
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
	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_ENABLE_BITS | AMD_GA_CTRL_GAM_EN,
			   0);
	amd_ga_devtab_release(iommu);
	amd_ga_cmdq_destroy(iommu);
	iommu->enabled = false;
	return 0;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_iommu_disable);
