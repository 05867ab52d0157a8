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
 *
 * Claimed entries. An owner that changes an entry from its own hot path
 * (a posted IRTE: its vCPU's load and put change IsRun and Destination)
 * claims it with amd_ga_irte_claim() and writes it through the struct
 * amd_ga_irte_slot it gets. A claimed entry has one writer, this store,
 * and one lock domain, the slot's lock, which the owner names and may
 * hand over (amd_ga_irte_slot_set_lock()):
 *  - every store to the entry goes through the slot with that lock held
 *    (each writer asserts it): amd_ga_irte_slot_write() for any change
 *    (it takes the table lock too, and invalidates as needed), and the
 *    inline amd_ga_irte_slot_store(), which stores without the table lock
 *    when only IsRun, GALogIntr and Destination of a guest-mode entry
 *    change, fields the IOMMU does not cache, and hands anything else to
 *    amd_ga_irte_slot_write();
 *  - the writers by reference (amd_ga_irte_write(), amd_ga_irte_update_run())
 *    refuse a claimed entry with -EBUSY and amd_ga_irte_free() keeps it
 *    allocated, until amd_ga_irte_unclaim(). The owner of a foreign table
 *    must leave claimed entries alone as well.
 * Lock order: the slot's lock, then the table lock.
 */
#ifndef AMD_GA_IRT_H
#define AMD_GA_IRT_H

#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/limits.h>
#include <linux/lockdep.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "compat.h"
#include "hw.h"
#include "irte.h"
#include "trace.h"

struct amd_ga_iommu;
struct pci_dev;

/*
 * Entries per table: 512 (DTE IntTabLen 9), the default and the size of
 * the built-in driver's tables up to Linux 6.14, which foreign tables
 * have; the IOMMU indexes them with MSI data bits 8:0. Where EFR2 offers
 * NumIntRemapSup and amd_ga_iommu_enable() set NumIntRemapMode = 2K, the
 * tables amd-ga allocates have the maximum, 2048 (IntTabLen 11), indexed
 * with MSI data bits 10:0.
 */
#define AMD_GA_IRT_ENTRIES	512
#define AMD_GA_IRT_ENTRIES_MAX	2048
static_assert(BIT(AMD_GA_DTE_INT_TAB_LEN_512) == AMD_GA_IRT_ENTRIES);
static_assert(BIT(AMD_GA_DTE_INT_TAB_LEN_2K) == AMD_GA_IRT_ENTRIES_MAX);
/* 2048 x 16 bytes: 32 KiB, whole pages, so 128-byte aligned. */
static_assert(AMD_GA_IRT_ENTRIES_MAX * sizeof(struct amd_ga_irte) == SZ_32K);
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
 * @entries: the table: @nr_entries entries of 16 bytes (@ga) or 4 bytes;
 *	read by the IOMMU at any time, written under @lock
 * @nr_entries: AMD_GA_IRT_ENTRIES, or AMD_GA_IRT_ENTRIES_MAX for a table
 *	amd-ga allocated while the IOMMU ran with NumIntRemapMode = 2K; the
 *	DTE's IntTabLen says the same; immutable
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
 * @used: allocated indices of an owned table, bits 0 .. @nr_entries - 1;
 *	protected by @lock
 * @claimed: indices claimed with amd_ga_irte_claim(), written only through
 *	their slot; protected by @lock
 */
struct amd_ga_irt {
	struct amd_ga_iommu *iommu;
	raw_spinlock_t *lock;
	raw_spinlock_t own_lock;
	void *entries;
	unsigned int nr_entries;
	phys_addr_t pa;
	bool ga;
	bool xt;
	bool owned;
	bool attached;
	u16 devids[AMD_GA_IRT_MAX_DEVIDS];
	unsigned int nr_devids;
	unsigned long used[BITS_TO_LONGS(AMD_GA_IRT_ENTRIES_MAX)];
	unsigned long claimed[BITS_TO_LONGS(AMD_GA_IRT_ENTRIES_MAX)];
};

/**
 * amd_ga_irt_entries() - how many entries a table has
 * @irt: the table
 *
 * Return: AMD_GA_IRT_ENTRIES or AMD_GA_IRT_ENTRIES_MAX; valid indices are
 * below it.
 */
static inline unsigned int amd_ga_irt_entries(const struct amd_ga_irt *irt)
{
	return irt->nr_entries;
}

/**
 * struct amd_ga_irte_ref - the way to one IRTE
 * @iommu: the IOMMU that reads the entry (the same as @table's)
 * @table: the table holding it
 * @index: the entry's index in @table, below amd_ga_irt_entries(@table)
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

/**
 * struct amd_ga_irte_slot - a claimed entry, as its owner writes it
 * @entry: where the IOMMU reads the entry; the store's writers only, NULL
 *	once unclaimed
 * @lock: the one lock that serialises every store to @entry and @val
 *	while claimed (see "Claimed entries" above); changed only with the
 *	old and the new lock held
 * @val: the value last stored (the hot path builds on it instead of
 *	reading the entry); written by the store's writers under @lock, read
 *	by the owner with amd_ga_irte_slot_value()
 * @xt: the table takes 32-bit destinations (XTEn); immutable
 * @ref: the entry in the store; immutable
 *
 * Filled by amd_ga_irte_claim(). The owner embeds it, may read @xt and
 * @ref, and leaves the rest to the functions below.
 */
struct amd_ga_irte_slot {
	struct amd_ga_irte *entry;
	raw_spinlock_t *lock;
	struct amd_ga_irte val;
	bool xt;
	struct amd_ga_irte_ref ref;
};

/*
 * The fields amd_ga_irte_slot_store() changes without the table lock and
 * without an invalidation: IsRun, GALogIntr and Destination, a subset of
 * those amd_ga_irte_needs_inval() lets a guest-mode entry change.
 */
#define AMD_GA_IRTE_LO_RUN_STATE	(AMD_GA_IRTE_LO_IS_RUN | \
					 AMD_GA_IRTE_LO_GALOG_INTR | \
					 AMD_GA_IRTE_LO_DEST_LO)
#define AMD_GA_IRTE_HI_RUN_STATE	AMD_GA_IRTE_HI_DEST_HI

int amd_ga_irte_claim(const struct amd_ga_irte_ref *ref, raw_spinlock_t *lock,
		      struct amd_ga_irte_slot *slot);
void amd_ga_irte_unclaim(struct amd_ga_irte_slot *slot);
int amd_ga_irte_slot_write(struct amd_ga_irte_slot *slot,
			   const struct amd_ga_irte *irte);
int amd_ga_irte_slot_store_slow(struct amd_ga_irte_slot *slot,
				struct amd_ga_irte new);
void amd_ga_irte_slot_trace(const struct amd_ga_irte_slot *slot,
			    struct amd_ga_irte old, struct amd_ga_irte new);

/**
 * amd_ga_irte_slot_value() - the value last stored in a claimed entry
 * @slot: the slot
 *
 * Context: @slot's lock held; or a lock the owner holds across every
 * change of the fields it reads (a posted IRTE's own lock, for its mode
 * and route, which only its route changes write).
 * Return: the value, valid while that lock is held.
 */
static inline const struct amd_ga_irte *
amd_ga_irte_slot_value(const struct amd_ga_irte_slot *slot)
{
	return &slot->val;
}

/**
 * amd_ga_irte_slot_read_lo() - the low half of a claimed entry, as the
 *	IOMMU reads it now
 * @slot: the slot
 *
 * For an owner holding a lock other than @slot's (one 64-bit load, which
 * the store's 128-bit writes never tear).
 *
 * Return: bits 63:0 of the entry.
 */
static inline u64 amd_ga_irte_slot_read_lo(const struct amd_ga_irte_slot *slot)
{
	return READ_ONCE(slot->entry->lo);
}

/**
 * amd_ga_irte_slot_set_lock() - hand a claimed entry to another lock
 * @slot: the slot
 * @lock: the lock that serialises its stores from now on
 *
 * A posted IRTE's entry follows it onto a vCPU's list, whose lock the
 * vCPU's load and put hold, and back.
 *
 * Context: the slot's current lock and @lock held.
 */
static inline void amd_ga_irte_slot_set_lock(struct amd_ga_irte_slot *slot,
					     raw_spinlock_t *lock)
{
	lockdep_assert_held(slot->lock);
	lockdep_assert_held(lock);
	slot->lock = lock;
}

/* Does @old -> @new change only the run state of a guest-mode entry? */
static inline bool amd_ga_irte_run_only(const struct amd_ga_irte *old,
					const struct amd_ga_irte *new)
{
	return (old->lo & AMD_GA_IRTE_LO_GUEST_MODE) &&
	       !((old->lo ^ new->lo) & ~AMD_GA_IRTE_LO_RUN_STATE) &&
	       !((old->hi ^ new->hi) & ~AMD_GA_IRTE_HI_RUN_STATE);
}

/**
 * amd_ga_irte_slot_store() - store a claimed entry; the hot path inline
 * @slot: the slot
 * @new: the new value, made with the IRTE codec
 *
 * Nothing is stored when nothing changes. When only the run state of a
 * guest-mode entry changes (IsRun, GALogIntr, Destination: the IOMMU does
 * not cache them), one cmpxchg16b on the entry replaces the value last
 * stored, without the table lock and without a command. Anything else, or
 * an entry found changed behind @slot's lock, goes out of line to
 * amd_ga_irte_slot_store_slow().
 *
 * Context: @slot's lock held; any context, also with interrupts off. Never
 * waits for the IOMMU unless more than the run state changes.
 * Return: 0, or amd_ga_irte_slot_write()'s error for a change beyond the
 * run state.
 */
static inline int amd_ga_irte_slot_store(struct amd_ga_irte_slot *slot,
					 struct amd_ga_irte new)
{
	struct amd_ga_irte old = slot->val;

	lockdep_assert_held(slot->lock);
	if (new.lo == old.lo && new.hi == old.hi)
		return 0;
	if (unlikely(!amd_ga_irte_run_only(&old, &new) ||
		     !amd_ga_cmpxchg16b(&slot->entry->lo, old.lo, old.hi,
					new.lo, new.hi)))
		return amd_ga_irte_slot_store_slow(slot, new);
	slot->val = new;
	/*
	 * Out of line and by value: handing the tracepoint the addresses of
	 * @old and @new would keep them in memory on every store (under
	 * QEMU/TCG that alone doubled the per-IRTE cost of a vCPU load or
	 * put).
	 */
	if (trace_amd_ga_irte_write_enabled())
		amd_ga_irte_slot_trace(slot, old, new);
	return 0;
}

bool amd_ga_guest_mode_ok(const struct amd_ga_iommu *iommu);

#endif /* AMD_GA_IRT_H */
