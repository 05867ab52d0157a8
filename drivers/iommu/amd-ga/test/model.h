/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The "model" backend: a software AMD IOMMU. It has a register file with
 * the hardware's semantics, processes the command buffer, reads device
 * table entries and IRTEs from the memory the driver programmed (with an
 * IRTE cache that keeps what hardware may keep until it is invalidated),
 * posts interrupts to vAPIC backing pages, writes the GA log and raises
 * the GA interrupt as a real Linux IRQ. The driver cannot tell it from
 * hardware; hardware without guest mode (QEMU) is why it exists.
 */
#ifndef AMD_GA_MODEL_H
#define AMD_GA_MODEL_H

#include <linux/irq_work.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "hw.h"
#include "iommu.h"
#include "irte.h"

struct fwnode_handle;
struct irq_domain;

/**
 * enum amd_ga_model_result - what the model did with one device interrupt
 * @AMD_GA_MODEL_REMAPPED: remapped mode, delivered to a host vector
 * @AMD_GA_MODEL_DOORBELL: guest mode, IRR set, IsRun: doorbell rung
 * @AMD_GA_MODEL_LOGGED: guest mode, IRR set, not running, GA log entry written
 * @AMD_GA_MODEL_IRR_ONLY: guest mode, IRR set, not running, GALogIntr = 0
 * @AMD_GA_MODEL_LOG_FULL: guest mode, IRR set, GA log full: entry dropped,
 *	GALOverflow set
 * @AMD_GA_MODEL_LOG_OFF: guest mode, IRR set, GA log not running: entry dropped
 * @AMD_GA_MODEL_DISABLED: RemapEn = 0: interrupt dropped
 * @AMD_GA_MODEL_ABORTED: target abort: DTE IntCtl, index beyond the table
 *	(2^IntTabLen entries), reserved bits, guest mode without vAPIC mode,
 *	bad addresses
 * @AMD_GA_MODEL_UNTRANSLATED: passed through unmodified (IOMMUEn = 0,
 *	DTE IV = 0 or IntCtl = forward)
 * @AMD_GA_MODEL_NR_RESULTS: number of outcomes
 */
enum amd_ga_model_result {
	AMD_GA_MODEL_REMAPPED,
	AMD_GA_MODEL_DOORBELL,
	AMD_GA_MODEL_LOGGED,
	AMD_GA_MODEL_IRR_ONLY,
	AMD_GA_MODEL_LOG_FULL,
	AMD_GA_MODEL_LOG_OFF,
	AMD_GA_MODEL_DISABLED,
	AMD_GA_MODEL_ABORTED,
	AMD_GA_MODEL_UNTRANSLATED,
	AMD_GA_MODEL_NR_RESULTS
};

/**
 * struct amd_ga_model_ops - where the model's outputs go
 * @doorbell: guest-mode interrupt for a running vCPU: ring the AVIC
 *	doorbell of host APIC ID @dest
 * @deliver: remapped-mode interrupt: @vector to host APIC ID @dest
 *
 * Called without the model's lock held, in the context of the caller of
 * amd_ga_model_raise(); either may be NULL.
 */
struct amd_ga_model_ops {
	void (*doorbell)(void *ctx, u32 dest);
	void (*deliver)(void *ctx, u32 vector, u32 dest, bool dest_logical);
};

/**
 * struct amd_ga_model_stats - what the model did, for tests and the bench
 * @results: device interrupts by outcome
 * @ga_irqs: GA interrupts raised
 * @galog_entries: GA log entries written
 * @galog_tail_reads: reads of the GA Log Tail register
 * @cmds: commands processed
 * @inv_irt: INVALIDATE_INTERRUPT_TABLE commands
 * @inv_dte: INVALIDATE_DEVTAB_ENTRY commands
 * @inv_all: INVALIDATE_IOMMU_ALL commands
 * @cmd_illegal: commands with an unknown opcode (skipped)
 * @irte_cache_hits: IRTE reads served from the IRTE cache
 * @bad_addr: table or page addresses outside memory
 * @galog_en_clears: Control writes that cleared GALogEn
 * @galog_en_sets: Control writes that set GALogEn
 * @galog_reprogram_running: writes of GA Log Base or GA Log Tail Address
 *	while GALogRun was 1 (software must wait for GALogRun = 0 first)
 */
struct amd_ga_model_stats {
	u64 results[AMD_GA_MODEL_NR_RESULTS];
	u64 ga_irqs;
	u64 galog_entries;
	u64 galog_tail_reads;
	u64 cmds;
	u64 inv_irt;
	u64 inv_dte;
	u64 inv_all;
	u64 cmd_illegal;
	u64 irte_cache_hits;
	u64 bad_addr;
	u64 galog_en_clears;
	u64 galog_en_sets;
	u64 galog_reprogram_running;
};

/**
 * struct amd_ga_model_cfg - what a model offers beyond the defaults
 * @efr2: the Extended Feature Register 2 it reports; 0 by default, so no
 *	NumIntRemapSup: 512-entry tables, MSI data bits 8:0 index them.
 *	NumIntRemapSup = 1 (FIELD_PREP(AMD_GA_EFR2_NUM_INT_REMAP_SUP,
 *	AMD_GA_EFR2_NUM_INT_REMAP_2K)) offers 2048-entry tables: once Control
 *	NumIntRemapMode = 2K, MSI data bits 10:0 index them.
 * @enable_flags: amd_ga_iommu_enable() flags for amd_ga_model_start_cfg()
 */
struct amd_ga_model_cfg {
	u64 efr2;
	unsigned int enable_flags;
};

/* amd_ga_model_set_galog_run_linger(): a GA log that never stops */
#define AMD_GA_MODEL_LINGER_FOREVER	U32_MAX

#define AMD_GA_MODEL_IRTE_CACHE		256	/* direct mapped, by (devid, index) */
#define AMD_GA_MODEL_DTE_CACHE		64	/* direct mapped, by devid */

/**
 * struct amd_ga_model_irte_slot - one IRTE cache line
 * @valid: the line holds an entry
 * @devid: requester ID it belongs to
 * @index: IRT index it belongs to
 * @irte: the entry as read (a 32-bit entry sits in @irte.lo)
 */
struct amd_ga_model_irte_slot {
	bool valid;
	u16 devid;
	u32 index;
	struct amd_ga_irte irte;
};

/**
 * struct amd_ga_model_dte_slot - one cached DTE interrupt qword
 * @valid: the line holds an entry
 * @devid: requester ID
 * @data2: DTE bits 191:128
 */
struct amd_ga_model_dte_slot {
	bool valid;
	u16 devid;
	u64 data2;
};

/**
 * struct amd_ga_model - a software AMD IOMMU
 * @iommu: the core instance (backend "model")
 * @lock: serialises the register file, command processing, the caches,
 *	GA log writes and @stats; a raw spinlock taken with interrupts off,
 *	since devices may "raise" interrupts from any context and CPU
 * @regs: the 16 KiB MMIO window, one u64 per 8 bytes; under @lock
 * @irte_cache: IRTE cache; under @lock
 * @dte_cache: DTE cache; under @lock
 * @stats: counters; under @lock
 * @no_galog_run: quirk: never report GALogRun (as QEMU); under @lock
 * @galog_run_linger: quirk: Status reads for which a GA log that was told
 *	to stop (GALogEn cleared, or an overflow) keeps GALogRun = 1 and keeps
 *	writing; AMD_GA_MODEL_LINGER_FOREVER: it never stops; under @lock
 * @galog_stopping: a stop is lingering (see @galog_run_linger); under @lock
 * @galog_run_base: GA Log Base as the log was last started with; a
 *	lingering log keeps writing there, whatever is programmed since;
 *	under @lock
 * @galog_run_tail_addr: GA Log Tail Address, likewise; under @lock
 * @ops: output callbacks; immutable
 * @ctx: argument of @ops; immutable
 * @fwnode: names @domain
 * @domain: one-interrupt IRQ domain of the GA interrupt
 * @ga_irq: Linux IRQ of the GA interrupt, 0 when none; under @lock
 * @ga_work: raises @ga_irq in hard interrupt context
 */
struct amd_ga_model {
	struct amd_ga_iommu iommu;
	raw_spinlock_t lock;
	u64 regs[AMD_GA_MMIO_SIZE / 8];
	struct amd_ga_model_irte_slot irte_cache[AMD_GA_MODEL_IRTE_CACHE];
	struct amd_ga_model_dte_slot dte_cache[AMD_GA_MODEL_DTE_CACHE];
	struct amd_ga_model_stats stats;
	bool no_galog_run;
	u32 galog_run_linger;
	bool galog_stopping;
	u64 galog_run_base;
	u64 galog_run_tail_addr;
	const struct amd_ga_model_ops *ops;
	void *ctx;
	struct fwnode_handle *fwnode;
	struct irq_domain *domain;
	int ga_irq;
	struct irq_work ga_work;
};

struct amd_ga_model *amd_ga_model_create(const struct amd_ga_model_ops *ops,
					 void *ctx);
struct amd_ga_model *
amd_ga_model_create_cfg(const struct amd_ga_model_ops *ops, void *ctx,
			const struct amd_ga_model_cfg *cfg);
void amd_ga_model_destroy(struct amd_ga_model *m);
struct amd_ga_model *amd_ga_model_start(const struct amd_ga_model_ops *ops,
					void *ctx);
struct amd_ga_model *
amd_ga_model_start_cfg(const struct amd_ga_model_ops *ops, void *ctx,
		       const struct amd_ga_model_cfg *cfg);
void amd_ga_model_stop(struct amd_ga_model *m);
enum amd_ga_model_result amd_ga_model_raise(struct amd_ga_model *m,
					    u16 devid, u32 index);
enum amd_ga_model_result amd_ga_model_raise_msi(struct amd_ga_model *m,
						u16 devid, u32 data);
int amd_ga_model_galog_inject(struct amd_ga_model *m, u64 entry);
void amd_ga_model_set_no_galog_run(struct amd_ga_model *m, bool quirk);
void amd_ga_model_set_galog_run_linger(struct amd_ga_model *m, u32 reads);
u64 amd_ga_model_efr(void);
void amd_ga_model_get_stats(struct amd_ga_model *m,
			    struct amd_ga_model_stats *out);

static inline struct amd_ga_model *to_amd_ga_model(struct amd_ga_iommu *iommu)
{
	return container_of(iommu, struct amd_ga_model, iommu);
}

#endif /* AMD_GA_MODEL_H */
