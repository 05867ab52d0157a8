/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IRT store: interrupt remapping tables and the writers of their entries.
 *
 * Everything outside this file reaches an IRTE through a struct
 * amd_ga_irte_ref (IOMMU, table, index) and never assumes that amd-ga
 * owns the table: the standalone module allocates tables here
 * (amd_ga_irt_create()), an in-tree backport wraps the tables of the
 * built-in driver (amd_ga_irt_init_foreign()), and the writers below work
 * the same on both.
 *
 * A write is one atomic store of the whole entry (cmpxchg16b for the
 * 128-bit format, a plain 32-bit store for the legacy one) under the
 * table's lock, followed, only when the IOMMU may have cached what
 * changed, by INVALIDATE_INTERRUPT_TABLE for every DeviceID that uses the
 * table and one COMPLETION_WAIT. The invalidation and the wait run after
 * the table lock is dropped.
 */
#ifndef AMD_GA_IRT_H
#define AMD_GA_IRT_H

#include <linux/bitops.h>
#include <linux/limits.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "irte.h"

struct amd_ga_iommu;
struct pci_dev;

/*
 * Entries per table: 512 (DTE IntTabLen 9). MSI data bits 10:8 are the
 * delivery mode, so indices stay below 512 on every IOMMU.
 */
#define AMD_GA_IRT_ENTRIES	512
/* DeviceIDs that may share one table (the device and its DMA aliases). */
#define AMD_GA_IRT_MAX_DEVIDS	8
/* amd_ga_irte_alloc(): any free index. */
#define AMD_GA_IRTE_ANY		(-1)
/* amd_ga_irte_update_run(): leave the destination as it is. */
#define AMD_GA_IRTE_DEST_KEEP	U32_MAX

/**
 * struct amd_ga_irt - one interrupt remapping table
 * @iommu: the IOMMU that reads it; immutable
 * @lock: serialises the writers of @entries and protects @used and
 *	@attached. Points at @own_lock for tables amd-ga allocated, at the
 *	owner's lock for foreign tables; immutable. A raw spinlock taken with
 *	interrupts off: the per-vCPU hot path writes entries from
 *	scheduler paths that hold raw spinlocks themselves.
 * @own_lock: the lock of tables amd-ga allocated
 * @entries: the table: AMD_GA_IRT_ENTRIES entries of 16 bytes (@ga) or
 *	4 bytes; read by the IOMMU at any time, written under @lock
 * @pa: physical address of @entries as the IOMMU sees it, 128-byte aligned
 * @ga: 128-bit entries (the IOMMU ran with GAEn when the table was made);
 *	immutable
 * @xt: destinations wider than 8 bits are allowed (XTEn); immutable
 * @owned: amd-ga allocated @entries and programs the device table
 *	entries of @devids; immutable
 * @attached: the device table entries of @devids point at this table, so
 *	the IOMMU may cache entries and writes must invalidate; protected by
 *	@lock
 * @devids: the DeviceIDs whose interrupts this table remaps (the device
 *	and its DMA aliases); immutable
 * @nr_devids: number of valid @devids
 * @used: allocated indices of an owned table; protected by @lock
 */
struct amd_ga_irt {
	struct amd_ga_iommu *iommu;
	raw_spinlock_t *lock;
	raw_spinlock_t own_lock;
	void *entries;
	phys_addr_t pa;
	bool ga;
	bool xt;
	bool owned;
	bool attached;
	u16 devids[AMD_GA_IRT_MAX_DEVIDS];
	unsigned int nr_devids;
	unsigned long used[BITS_TO_LONGS(AMD_GA_IRT_ENTRIES)];
};

/**
 * struct amd_ga_irte_ref - the way to one IRTE
 * @iommu: the IOMMU that reads the entry (the same as @table's)
 * @table: the table holding it
 * @index: the entry's index in @table, below AMD_GA_IRT_ENTRIES
 *
 * A plain value: copy it freely. It stays valid while the entry is
 * allocated and the table exists; the writers check it on every call.
 */
struct amd_ga_irte_ref {
	struct amd_ga_iommu *iommu;
	struct amd_ga_irt *table;
	u16 index;
};

struct amd_ga_irt *amd_ga_irt_create(struct amd_ga_iommu *iommu,
				     const u16 *devids, unsigned int nr);
struct amd_ga_irt *amd_ga_irt_create_pci(struct amd_ga_iommu *iommu,
					 struct pci_dev *pdev);
int amd_ga_irt_attach(struct amd_ga_irt *irt);
int amd_ga_irt_destroy(struct amd_ga_irt *irt);
int amd_ga_irt_init_foreign(struct amd_ga_irt *irt,
			    struct amd_ga_iommu *iommu, void *entries,
			    bool ga, const u16 *devids, unsigned int nr,
			    raw_spinlock_t *lock);

int amd_ga_irte_alloc(struct amd_ga_irt *irt, int index,
		      struct amd_ga_irte_ref *ref);
void amd_ga_irte_free(struct amd_ga_irte_ref *ref);
int amd_ga_irte_ref_init(struct amd_ga_irte_ref *ref, struct amd_ga_irt *irt,
			 unsigned int index);

int amd_ga_irte_write(const struct amd_ga_irte_ref *ref,
		      const struct amd_ga_irte *irte);
int amd_ga_irte32_write(const struct amd_ga_irte_ref *ref, u32 val);
int amd_ga_irte_read(const struct amd_ga_irte_ref *ref,
		     struct amd_ga_irte *out);
int amd_ga_irte32_read(const struct amd_ga_irte_ref *ref, u32 *out);
int amd_ga_irte_update_run(const struct amd_ga_irte_ref *ref, bool is_run,
			   u32 dest, bool ga_log_intr);

bool amd_ga_guest_mode_ok(const struct amd_ga_iommu *iommu);

#endif /* AMD_GA_IRT_H */
