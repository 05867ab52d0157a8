/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The register-access layer: one AMD IOMMU as amd-ga sees it, its backend
 * (real MMIO, the software model), its features, its Control register and
 * its counters. The components' state hangs off the instance as opaque
 * pointers that this layer never follows; regs.c implements it.
 */
#ifndef AMD_GA_IOMMU_H
#define AMD_GA_IOMMU_H

#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "hw.h"

struct amd_ga_cmd;
struct amd_ga_cmdq;
struct amd_ga_devtab;
struct amd_ga_galog;
struct amd_ga_iommu;
struct dentry;
struct device;

/**
 * struct amd_ga_backend_ops - how the core reaches one IOMMU
 * @name: "mmio" or "model"
 * @read: read a 64-bit register at a byte offset of the MMIO window
 * @write: write a 64-bit register; the backend applies the register's
 *	semantics (write-1-to-clear status bits, command processing, ...)
 * @alloc_ga_irq: return a Linux IRQ number that fires when the IOMMU
 *	raises its GA log interrupt, or a negative errno; or 0 when the
 *	IOMMU's owner shares one interrupt among all its logs and calls
 *	amd_ga_galog_process() from that interrupt's thread
 * @free_ga_irq: undo @alloc_ga_irq
 * @release: free the backend's state; called last
 * @submit: optional; the IOMMU's command buffer belongs to someone else
 *	(the built-in driver, in the in-tree backport): queue @nr commands
 *	there and, with @wait, wait (bounded) for their completion.
 *	amd_ga_cmdq_submit() hands every batch to it instead of a queue of
 *	amd-ga's own. Called without amd-ga locks held; must not sleep.
 *
 * Register accessors may be called in any context, including with raw
 * spinlocks held and interrupts off: they must not sleep.
 */
struct amd_ga_backend_ops {
	const char *name;
	u64 (*read)(struct amd_ga_iommu *iommu, u32 off);
	void (*write)(struct amd_ga_iommu *iommu, u32 off, u64 val);
	int (*alloc_ga_irq)(struct amd_ga_iommu *iommu);
	void (*free_ga_irq)(struct amd_ga_iommu *iommu);
	void (*release)(struct amd_ga_iommu *iommu);
	int (*submit)(struct amd_ga_iommu *iommu,
		      const struct amd_ga_cmd *cmds, unsigned int nr,
		      bool wait);
};

/**
 * struct amd_ga_stats - per-IOMMU counters, read by debugfs and the demo
 * @galog_entries: GA log entries consumed
 * @galog_batches: drain passes that consumed at least one entry
 * @galog_max_batch: most entries consumed in one pass
 * @galog_overflows: GALOverflow seen
 * @galog_restarts: GA log restart sequences run
 * @galog_recoveries: lossless recovery passes after an overflow
 * @galog_recovery_wakes: vCPUs woken by a recovery pass
 * @galog_wakes: notifier calls for GA log entries that woke a vCPU
 * @galog_coalesced: valid entries whose tag the same drain pass had already
 *	woken, so no second call was made
 * @galog_bad_code: entries with an event code other than 1, skipped
 * @galog_stale_tags: tags of unknown or destroyed VMs/vCPUs, skipped
 * @galog_torn: slots between head and tail still empty after a bounded
 *	wait (the entry never became visible), skipped
 * @galog_unclaimed: valid entries consumed while no notifier was registered
 * @galog_rounds: rounds of the GA interrupt thread's loop (a Status read,
 *	the drain, restart and recovery), each ending in a reschedule point
 * @galog_max_round_ns: longest such round, wall time in nanoseconds
 * @galog_run_stuck: GALogRun still read 1 at the end of a bounded wait:
 *	an overflow restart given up, a disabled log leaked rather than
 *	freed, or a log left running at enable not reprogrammed
 * @cmd_waits: COMPLETION_WAITs issued
 * @cmd_wait_timeouts: COMPLETION_WAITs that did not complete in time
 * @irte_writes: IRTEs stored
 * @irte_invals: INVALIDATE_INTERRUPT_TABLE commands issued
 */
struct amd_ga_stats {
	atomic64_t galog_entries;
	atomic64_t galog_batches;
	atomic64_t galog_max_batch;
	atomic64_t galog_overflows;
	atomic64_t galog_restarts;
	atomic64_t galog_recoveries;
	atomic64_t galog_recovery_wakes;
	atomic64_t galog_wakes;
	atomic64_t galog_coalesced;
	atomic64_t galog_bad_code;
	atomic64_t galog_stale_tags;
	atomic64_t galog_torn;
	atomic64_t galog_unclaimed;
	atomic64_t galog_rounds;
	atomic64_t galog_max_round_ns;
	atomic64_t galog_run_stuck;
	atomic64_t cmd_waits;
	atomic64_t cmd_wait_timeouts;
	atomic64_t irte_writes;
	atomic64_t irte_invals;
};

/**
 * struct amd_ga_iommu - one IOMMU
 * @node: entry in the list of IOMMUs amd-ga drives (amd_ga_iommu_list_lock)
 * @ops: backend operations; immutable
 * @backend: backend private data; immutable
 * @dev: the IOMMU's PCI function, or NULL for the model
 * @name: "amd-ga0", ...; immutable
 * @efr: Extended Feature Register, read once at probe; immutable
 * @efr2: Extended Feature Register 2; immutable
 * @ctrl_lock: serialises read-modify-write of the Control register
 * @ctrl: shadow of the Control register; protected by @ctrl_lock
 * @stats: counters; atomic, no lock
 * @debugfs: the IOMMU's debugfs directory, or NULL
 * @cmdq: the command queue while enabled, else NULL; set and cleared by
 *	amd_ga_iommu_enable()/amd_ga_iommu_disable() only
 * @devtab: the device table bookkeeping while enabled, else NULL; as @cmdq
 * @enabled: amd_ga_iommu_enable() succeeded and no disable followed;
 *	enable and disable are called from process context and serialised by
 *	their callers (module init/exit, tests)
 * @guest_mode_ok: accept guest-mode IRTEs although the EFR reports no
 *	vAPIC support; set by the software model, which implements it
 * @devtab_reclaimable: the IOMMU stops reading the device table once
 *	disabled (software model, test fakes), so disable may free it; real
 *	hardware keeps reading it, so it is left in place instead
 * @galog: the GA log engine while the GA log is enabled, else NULL; set
 *	and cleared only by amd_ga_galog_enable()/amd_ga_galog_disable(),
 *	published with smp_store_release() for a lock-free reader (the
 *	owner's interrupt thread, amd_ga_host_galog_process())
 */
struct amd_ga_iommu {
	struct list_head node;
	const struct amd_ga_backend_ops *ops;
	void *backend;
	struct device *dev;
	char name[16];
	u64 efr;
	u64 efr2;

	raw_spinlock_t ctrl_lock;
	u64 ctrl;

	struct amd_ga_stats stats;
	struct dentry *debugfs;

	/* interrupt remapping: command queue, device table (cmdq.c, devtab.c) */
	struct amd_ga_cmdq *cmdq;
	struct amd_ga_devtab *devtab;
	bool enabled;
	bool guest_mode_ok;
	bool devtab_reclaimable;
	struct amd_ga_galog *galog;
};

static inline u64 amd_ga_read(struct amd_ga_iommu *iommu, u32 off)
{
	return iommu->ops->read(iommu, off);
}

static inline void amd_ga_write(struct amd_ga_iommu *iommu, u32 off, u64 val)
{
	iommu->ops->write(iommu, off, val);
}

/* Feature tests on the EFR read at probe time. */
static inline bool amd_ga_has_ga(const struct amd_ga_iommu *iommu)
{
	return iommu->efr & AMD_GA_EFR_GA_SUP;
}

static inline bool amd_ga_has_vapic(const struct amd_ga_iommu *iommu)
{
	return FIELD_GET(AMD_GA_EFR_GAM_SUP, iommu->efr) ==
	       AMD_GA_EFR_GAM_SUP_VAPIC;
}

static inline bool amd_ga_has_xt(const struct amd_ga_iommu *iommu)
{
	return iommu->efr & AMD_GA_EFR_XT_SUP;
}

/* EFR2 NumIntRemapSup = 1: 2048 IRTEs per table once NumIntRemapMode = 2K. */
static inline bool amd_ga_has_irt_2k(const struct amd_ga_iommu *iommu)
{
	return FIELD_GET(AMD_GA_EFR2_NUM_INT_REMAP_SUP, iommu->efr2) ==
	       AMD_GA_EFR2_NUM_INT_REMAP_2K;
}

/* Control register, through the shadow copy. */
void amd_ga_ctrl_update(struct amd_ga_iommu *iommu, u64 clear, u64 set);
u64 amd_ga_ctrl_get(struct amd_ga_iommu *iommu);

bool amd_ga_poll_status(struct amd_ga_iommu *iommu, u64 mask, u64 want,
			unsigned int timeout_us);

void amd_ga_iommu_init(struct amd_ga_iommu *iommu,
		       const struct amd_ga_backend_ops *ops, void *backend,
		       struct device *dev);
bool amd_ga_iommu_irte_128(struct amd_ga_iommu *iommu);
bool amd_ga_iommu_irt_2k(struct amd_ga_iommu *iommu);

int amd_ga_efr_describe(u64 efr, u64 efr2, char *buf, size_t len);

#endif /* AMD_GA_IOMMU_H */
