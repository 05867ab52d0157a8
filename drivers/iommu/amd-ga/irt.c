// SPDX-License-Identifier: GPL-2.0-only
/*
 * IRT store: per-device interrupt remapping tables, index allocation and
 * the IRTE writers (one atomic store, then the invalidation the IRTE codec
 * asks for, for every DeviceID that uses the table).
 */
#define pr_fmt(fmt) "amd-ga: " fmt

#include <linux/bitfield.h>
#include <linux/bitmap.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cmdq.h"
#include "compat.h"
#include "devtab.h"
#include "export.h"
#include "iommu.h"
#include "irt.h"
#include "log.h"
#include "trace.h"

static size_t amd_ga_irt_bytes(const struct amd_ga_irt *irt)
{
	return irt->nr_entries * (irt->ga ? sizeof(struct amd_ga_irte) :
					    sizeof(u32));
}

static struct amd_ga_irte *amd_ga_irte_entry(struct amd_ga_irt *irt,
					     unsigned int index)
{
	return (struct amd_ga_irte *)irt->entries + index;
}

static u32 *amd_ga_irte32_slot(struct amd_ga_irt *irt, unsigned int index)
{
	return (u32 *)irt->entries + index;
}

/**
 * amd_ga_guest_mode_ok() - may this IOMMU be given guest-mode IRTEs?
 * @iommu: the IOMMU
 *
 * Return: true if the EFR reports vAPIC support (GAMSup) or the backend
 * (the software model) implements guest mode itself.
 */
bool amd_ga_guest_mode_ok(const struct amd_ga_iommu *iommu)
{
	return amd_ga_has_vapic(iommu) || iommu->guest_mode_ok;
}

static int amd_ga_irt_check_devids(const u16 *devids, unsigned int nr)
{
	return (!devids || !nr || nr > AMD_GA_IRT_MAX_DEVIDS) ? -EINVAL : 0;
}

/**
 * amd_ga_irt_create() - allocate an interrupt remapping table
 * @iommu: an enabled IOMMU
 * @devids: the DeviceIDs whose interrupts the table will remap (a device
 *	and its DMA aliases), distinct and not used by another table
 * @nr: how many, 1 .. AMD_GA_IRT_MAX_DEVIDS
 *
 * The table has as many entries as the IOMMU runs with: AMD_GA_IRT_ENTRIES,
 * or AMD_GA_IRT_ENTRIES_MAX with NumIntRemapMode = 2K (see
 * amd_ga_irt_entries()); all zero (RemapEn = 0), in the format the IOMMU
 * runs with (128-bit with GAEn, else 32-bit). It is not live yet: fill
 * the entries the devices use, then amd_ga_irt_attach().
 * Writes before the attach need no invalidation and issue none.
 *
 * Context: process context.
 * Return: the table, or ERR_PTR(): -EINVAL for bad arguments, -ENODEV if
 * the IOMMU is not enabled, -EBUSY if a DeviceID has a table, -ENOMEM.
 */
struct amd_ga_irt *amd_ga_irt_create(struct amd_ga_iommu *iommu,
				     const u16 *devids, unsigned int nr)
{
	struct amd_ga_irt *irt;
	int ret;

	if (!iommu || amd_ga_irt_check_devids(devids, nr))
		return ERR_PTR(-EINVAL);
	if (!iommu->enabled)
		return ERR_PTR(-ENODEV);

	irt = kzalloc(sizeof(*irt), GFP_KERNEL);
	if (!irt)
		return ERR_PTR(-ENOMEM);
	irt->iommu = iommu;
	raw_spin_lock_init(&irt->own_lock);
	irt->lock = &irt->own_lock;
	irt->ga = amd_ga_iommu_irte_128(iommu);
	/*
	 * The mode is set at enable and stays until disable, which waits
	 * for every table: the DTE's IntTabLen and the MSI data bits the
	 * IOMMU indexes with agree with this size for the table's life.
	 */
	irt->nr_entries = amd_ga_iommu_irt_2k(iommu) ? AMD_GA_IRT_ENTRIES_MAX :
						       AMD_GA_IRT_ENTRIES;
	irt->xt = amd_ga_ctrl_get(iommu) & AMD_GA_CTRL_XT_EN;
	irt->owned = true;
	memcpy(irt->devids, devids, nr * sizeof(*devids));
	irt->nr_devids = nr;

	/*
	 * Whole pages: physically contiguous and 128-byte aligned (up to
	 * 32 KiB, order 3, for 2048 128-bit entries).
	 */
	irt->entries = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					get_order(amd_ga_irt_bytes(irt)));
	if (!irt->entries) {
		ret = -ENOMEM;
		goto err_free;
	}
	irt->pa = amd_ga_iommu_pa(irt->entries);

	ret = amd_ga_devtab_claim(iommu, devids, nr);
	if (ret)
		goto err_pages;
	return irt;

err_pages:
	free_pages((unsigned long)irt->entries,
		   get_order(amd_ga_irt_bytes(irt)));
err_free:
	kfree(irt);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irt_create);

/* Size of a PCI device's dma_alias_mask: one bit per devfn. */
#define AMD_GA_PCI_DEVFNS	256

struct amd_ga_alias_set {
	u16 devids[AMD_GA_IRT_MAX_DEVIDS];
	unsigned int nr;
	bool overflow;
};

static void amd_ga_add_alias(struct amd_ga_alias_set *set, u16 devid)
{
	unsigned int i;

	for (i = 0; i < set->nr; i++)
		if (set->devids[i] == devid)
			return;
	if (set->nr == AMD_GA_IRT_MAX_DEVIDS)
		set->overflow = true;
	else
		set->devids[set->nr++] = devid;
}

/*
 * The DeviceIDs a PCI device's requests, and so its MSIs, can arrive with
 * at the IOMMU: its own; the quirk aliases of its dma_alias_mask; and
 * whatever the bridges on the way up substitute: a PCIe-to-PCI(-X)
 * bridge (or a conventional bridge flagged as one) takes ownership with
 * its secondary bus number and devfn 0, a PCI-X-to-PCIe or conventional
 * bridge with its own ID, while PCIe ports pass the ID through. The PCI
 * core has the same walk (pci_for_each_dma_alias()) but does not export
 * it to modules.
 */
static void amd_ga_pci_devids(struct pci_dev *pdev,
			      struct amd_ga_alias_set *set)
{
	struct pci_bus *bus;
	unsigned int devfn;

	amd_ga_add_alias(set, pci_dev_id(pdev));
	if (pdev->dma_alias_mask)
		for_each_set_bit(devfn, pdev->dma_alias_mask, AMD_GA_PCI_DEVFNS)
			amd_ga_add_alias(set, PCI_DEVID(pdev->bus->number,
							devfn));

	for (bus = pdev->bus; !pci_is_root_bus(bus); bus = bus->parent) {
		struct pci_dev *br = bus->self;
		u16 secondary;

		if (!br)
			continue;
		secondary = PCI_DEVID(br->subordinate->number, 0);
		if (pci_is_pcie(br)) {
			if (pci_pcie_type(br) == PCI_EXP_TYPE_PCI_BRIDGE)
				amd_ga_add_alias(set, secondary);
			else if (pci_pcie_type(br) == PCI_EXP_TYPE_PCIE_BRIDGE)
				amd_ga_add_alias(set, pci_dev_id(br));
		} else if (br->dev_flags & PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS) {
			amd_ga_add_alias(set, secondary);
		} else {
			amd_ga_add_alias(set, pci_dev_id(br));
		}
	}
}

/**
 * amd_ga_irt_create_pci() - allocate the IRT of a PCI device
 * @iommu: an enabled IOMMU that translates @pdev
 * @pdev: the device
 *
 * The table serves the device's own DeviceID and every DMA alias it has
 * (quirks and bridges, as the PCI core's pci_for_each_dma_alias() sees
 * them), as all of them can carry its interrupts. See amd_ga_irt_create().
 *
 * Context: process context.
 * Return: the table or ERR_PTR(); -E2BIG for more aliases than
 * AMD_GA_IRT_MAX_DEVIDS.
 */
struct amd_ga_irt *amd_ga_irt_create_pci(struct amd_ga_iommu *iommu,
					 struct pci_dev *pdev)
{
	struct amd_ga_alias_set set = {};

	if (!pdev)
		return ERR_PTR(-EINVAL);
	amd_ga_pci_devids(pdev, &set);
	if (set.overflow)
		return ERR_PTR(-E2BIG);
	return amd_ga_irt_create(iommu, set.devids, set.nr);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irt_create_pci);

/**
 * amd_ga_irt_attach() - make a table live
 * @irt: a table from amd_ga_irt_create()
 *
 * Points the device table entries of the table's DeviceIDs at it (IV,
 * IntTabLen for the table's size, IntCtl = remap, root pointer; other DTE
 * bits kept) and invalidates them and any IRTE cached from an earlier
 * table. From here on every write that changes a cached field is
 * invalidated.
 *
 * Context: any; does not sleep.
 * Return: 0; -EINVAL for a foreign table; -EBUSY if attached already; the
 * command queue's error (the table then counts as attached and must be
 * destroyed).
 */
int amd_ga_irt_attach(struct amd_ga_irt *irt)
{
	unsigned long flags;
	bool was;

	if (!irt || !irt->owned)
		return -EINVAL;
	/* Writers from now on invalidate: set before the DTEs point here. */
	raw_spin_lock_irqsave(irt->lock, flags);
	was = irt->attached;
	irt->attached = true;
	raw_spin_unlock_irqrestore(irt->lock, flags);
	if (was)
		return -EBUSY;
	return amd_ga_devtab_set_irt(irt->iommu, irt->devids, irt->nr_devids,
				     irt->pa, irt->nr_entries);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irt_attach);

/**
 * amd_ga_irt_destroy() - stop remapping and free a table
 * @irt: a table from amd_ga_irt_create(), or NULL or an ERR_PTR()
 *
 * Clears the interrupt fields of the table's device table entries (the
 * devices' interrupts then pass unmapped), waits until the IOMMU has
 * dropped what it cached, and frees the table. If that wait fails, the
 * IOMMU may still read the table, so its memory is left allocated.
 *
 * A table with entries still allocated (amd_ga_irte_alloc(), posted IRTEs
 * among them) is refused and left as it is: their owners still hold
 * references into it, and a posted IRTE may be attached to a vCPU whose
 * load or put would store into freed memory.
 *
 * Context: process context.
 * Return: 0 (also for NULL, an ERR_PTR() or a foreign table, which are
 * left alone); -EBUSY if entries are still allocated.
 */
int amd_ga_irt_destroy(struct amd_ga_irt *irt)
{
	unsigned long flags;
	unsigned int used;
	bool keep = false;

	if (IS_ERR_OR_NULL(irt) || !irt->owned)
		return 0;
	raw_spin_lock_irqsave(irt->lock, flags);
	used = bitmap_weight(irt->used, irt->nr_entries);
	raw_spin_unlock_irqrestore(irt->lock, flags);
	if (used) {
		pr_err("%s: not destroying the IRT at %pa: %u entries are still allocated\n",
		       irt->iommu->name, &irt->pa, used);
		return -EBUSY;
	}
	if (irt->attached &&
	    amd_ga_devtab_set_irt(irt->iommu, irt->devids, irt->nr_devids, 0,
				  0)) {
		pr_err("%s: keeping the IRT at %pa: the IOMMU did not confirm it stopped using it\n",
		       irt->iommu->name, &irt->pa);
		keep = true;
	}
	amd_ga_devtab_unclaim(irt->iommu, irt->devids, irt->nr_devids);
	if (!keep)
		free_pages((unsigned long)irt->entries,
			   get_order(amd_ga_irt_bytes(irt)));
	kfree(irt);
	return 0;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irt_destroy);

/**
 * amd_ga_irt_init_foreign() - describe a table amd-ga does not own
 * @irt: the description to fill, owned by the caller
 * @iommu: the IOMMU reading the table
 * @entries: the table, 128-byte aligned, AMD_GA_IRT_ENTRIES entries (the
 *	built-in driver's size before 2K support; indices beyond are refused)
 * @ga: 128-bit entries
 * @devids: DeviceIDs whose device table entries point at the table
 * @nr: how many
 * @lock: the owner's lock serialising writers of the table
 *
 * For an in-tree backport that hands in the built-in driver's tables. The
 * owner allocated @entries and programs the device table; amd-ga only
 * writes entries (every index is writable, no allocation bitmap) and
 * invalidates them. amd_ga_irt_destroy() does nothing for such a table.
 *
 * Return: 0, -EINVAL for bad arguments, -EOPNOTSUPP for 128-bit entries
 * on a CPU without cmpxchg16b.
 */
int amd_ga_irt_init_foreign(struct amd_ga_irt *irt,
			    struct amd_ga_iommu *iommu, void *entries,
			    bool ga, const u16 *devids, unsigned int nr,
			    raw_spinlock_t *lock)
{
	if (!irt || !iommu || !entries || !lock ||
	    amd_ga_irt_check_devids(devids, nr) ||
	    !IS_ALIGNED((unsigned long)entries, AMD_GA_DTE_INTTAB_ALIGN))
		return -EINVAL;
	if (ga && !amd_ga_has_cmpxchg16b())
		return -EOPNOTSUPP;
	memset(irt, 0, sizeof(*irt));
	irt->iommu = iommu;
	irt->lock = lock;
	irt->entries = entries;
	irt->nr_entries = AMD_GA_IRT_ENTRIES;
	irt->ga = ga;
	irt->xt = amd_ga_ctrl_get(iommu) & AMD_GA_CTRL_XT_EN;
	irt->attached = true;
	memcpy(irt->devids, devids, nr * sizeof(*devids));
	irt->nr_devids = nr;
	return 0;
}

/**
 * amd_ga_irte_alloc() - allocate an index in an owned table
 * @irt: a table from amd_ga_irt_create()
 * @index: the index wanted (0 .. amd_ga_irt_entries(@irt) - 1), or
 *	AMD_GA_IRTE_ANY for the lowest free one
 * @ref: filled with the reference to the entry
 *
 * The entry is left as it is (zero, RemapEn = 0, for a fresh index).
 *
 * Context: any; takes the table's raw spinlock.
 * Return: 0; -EINVAL for bad arguments (an @index beyond the table among
 * them) or a foreign table; -EBUSY if @index is taken; -ENOSPC if the
 * table is full.
 */
int amd_ga_irte_alloc(struct amd_ga_irt *irt, int index,
		      struct amd_ga_irte_ref *ref)
{
	unsigned long flags;
	unsigned int idx;
	int ret = 0;

	if (!irt || !ref || !irt->owned ||
	    (index != AMD_GA_IRTE_ANY &&
	     (index < 0 || index >= irt->nr_entries)))
		return -EINVAL;

	raw_spin_lock_irqsave(irt->lock, flags);
	if (index == AMD_GA_IRTE_ANY) {
		idx = find_first_zero_bit(irt->used, irt->nr_entries);
		if (idx >= irt->nr_entries)
			ret = -ENOSPC;
	} else {
		idx = index;
		if (test_bit(idx, irt->used))
			ret = -EBUSY;
	}
	if (!ret)
		__set_bit(idx, irt->used);
	raw_spin_unlock_irqrestore(irt->lock, flags);
	if (ret)
		return ret;

	ref->iommu = irt->iommu;
	ref->table = irt;
	ref->index = idx;
	return 0;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irte_alloc);

/**
 * amd_ga_irte_ref_init() - a reference to an entry of a foreign table
 * @ref: filled with the reference
 * @irt: the table
 * @index: the entry's index, below amd_ga_irt_entries(@irt)
 *
 * For owned tables use amd_ga_irte_alloc(); this only accepts indices
 * already allocated there.
 *
 * Return: 0; -EINVAL for bad arguments; -ENOENT for an index of an owned
 * table that is not allocated.
 */
int amd_ga_irte_ref_init(struct amd_ga_irte_ref *ref, struct amd_ga_irt *irt,
			 unsigned int index)
{
	if (!ref || !irt || index >= irt->nr_entries)
		return -EINVAL;
	if (irt->owned && !test_bit(index, irt->used))
		return -ENOENT;
	ref->iommu = irt->iommu;
	ref->table = irt;
	ref->index = index;
	return 0;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irte_ref_init);

static int amd_ga_ref_check(const struct amd_ga_irte_ref *ref, bool ga)
{
	if (!ref || !ref->table || !ref->iommu ||
	    ref->iommu != ref->table->iommu ||
	    ref->index >= ref->table->nr_entries)
		return -EINVAL;
	/* An entry of the other format would be read as garbage. */
	return ref->table->ga == ga ? 0 : -EINVAL;
}

/* The index must be allocated in an owned table; foreign ones are free-form. */
static bool amd_ga_ref_live(const struct amd_ga_irte_ref *ref)
{
	lockdep_assert_held(ref->table->lock);
	return !ref->table->owned || test_bit(ref->index, ref->table->used);
}

/*
 * INVALIDATE_INTERRUPT_TABLE for every DeviceID of the table, then a
 * COMPLETION_WAIT. Called without the table lock.
 */
static int amd_ga_irt_invalidate(struct amd_ga_irt *irt)
{
	struct amd_ga_cmd cmds[AMD_GA_IRT_MAX_DEVIDS];
	unsigned int i;

	for (i = 0; i < irt->nr_devids; i++)
		amd_ga_cmd_make_inv_irt(irt->devids[i], &cmds[i]);
	atomic64_add(irt->nr_devids, &irt->iommu->stats.irte_invals);
	return amd_ga_cmdq_submit(irt->iommu, cmds, irt->nr_devids, true);
}

/*
 * Store a whole 128-bit entry with one cmpxchg16b and return what it
 * replaced. Every writer holds the table lock, a claimed entry's also the
 * slot's lock that its lock-free stores hold, and the IOMMU never writes
 * IRTEs, so the compare cannot fail unless someone bypasses the locks; the
 * instruction is used for its single-copy atomicity.
 */
static int amd_ga_irte_store(struct amd_ga_irt *irt, unsigned int index,
			     const struct amd_ga_irte *new,
			     struct amd_ga_irte *old)
{
	struct amd_ga_irte *slot = amd_ga_irte_entry(irt, index);

	lockdep_assert_held(irt->lock);
	old->lo = READ_ONCE(slot->lo);
	old->hi = READ_ONCE(slot->hi);
	if (!amd_ga_cmpxchg16b(&slot->lo, old->lo, old->hi, new->lo, new->hi)) {
		amd_ga_err_ratelimited("%s: IRTE %u changed under the table lock; not written\n",
				       irt->iommu->name, index);
		return -EBUSY;
	}
	atomic64_inc(&irt->iommu->stats.irte_writes);
	return 0;
}

/*
 * The 128-bit writer: amd_ga_irte_write() for an entry nobody claimed
 * (@claimed false), amd_ga_irte_slot_write() for a claimed one.
 */
static int amd_ga_irte_write_ref(const struct amd_ga_irte_ref *ref,
				 const struct amd_ga_irte *irte, bool claimed)
{
	struct amd_ga_irte_fields f;
	struct amd_ga_irte old;
	struct amd_ga_irt *irt;
	unsigned long flags;
	bool live, inval;
	int ret;

	ret = amd_ga_ref_check(ref, true);
	if (ret || !irte)
		return -EINVAL;
	irt = ref->table;
	amd_ga_irte_decode(irte, &f);
	if (f.rsvd_set)
		return -EINVAL;
	if (!irt->xt && amd_ga_irte_dest(irte) > AMD_GA_DEST8_MAX)
		return -ERANGE;
	if ((irte->lo & AMD_GA_IRTE_LO_GUEST_MODE) &&
	    !amd_ga_guest_mode_ok(ref->iommu))
		return -EOPNOTSUPP;

	raw_spin_lock_irqsave(irt->lock, flags);
	if (!amd_ga_ref_live(ref))
		ret = -ENOENT;
	else if (test_bit(ref->index, irt->claimed) != claimed)
		ret = -EBUSY;
	else
		ret = amd_ga_irte_store(irt, ref->index, irte, &old);
	live = irt->attached;
	raw_spin_unlock_irqrestore(irt->lock, flags);
	if (ret)
		return ret;

	inval = live && amd_ga_irte_needs_inval(&old, irte);
	trace_amd_ga_irte_write(ref->iommu, irt->devids[0], ref->index, &old,
				irte, inval);
	return inval ? amd_ga_irt_invalidate(irt) : 0;
}

/**
 * amd_ga_irte_write() - store a 128-bit IRTE
 * @ref: the entry; its table must use the 128-bit format
 * @irte: the new value, made with the IRTE codec
 *
 * One cmpxchg16b of the whole entry under the table lock; then, if the
 * table is live and amd_ga_irte_needs_inval() says the IOMMU may have
 * cached a changed field, INVALIDATE_INTERRUPT_TABLE for every DeviceID
 * of the table and a COMPLETION_WAIT, outside the lock.
 *
 * Context: any; does not sleep. The invalidation wait is bounded.
 * Return: 0; -EINVAL for a bad reference, a 32-bit table or reserved bits
 * set; -ERANGE for a destination above 255 without XTEn; -EOPNOTSUPP for
 * a guest-mode entry on an IOMMU without vAPIC support (unless the backend
 * implements it); -ENOENT for an index not allocated; -EBUSY for a claimed
 * entry (amd_ga_irte_claim(): its owner writes it); the command queue's
 * error (the entry is stored then, only the invalidation failed).
 */
int amd_ga_irte_write(const struct amd_ga_irte_ref *ref,
		      const struct amd_ga_irte *irte)
{
	return amd_ga_irte_write_ref(ref, irte, false);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irte_write);

/**
 * amd_ga_irte32_write() - store a legacy 32-bit IRTE
 * @ref: the entry; its table must use the 32-bit format
 * @val: the new value, made with amd_ga_irte32_make()
 *
 * A plain 32-bit store under the table lock; then, if the table is live
 * and the value changed (every field of this format may be cached),
 * INVALIDATE_INTERRUPT_TABLE for every DeviceID of the table and a
 * COMPLETION_WAIT, outside the lock.
 *
 * Context: any; does not sleep.
 * Return: 0; -EINVAL for a bad reference, a 128-bit table or reserved
 * bits (GuestMode included) set; -ENOENT for an index not allocated; the
 * command queue's error.
 */
int amd_ga_irte32_write(const struct amd_ga_irte_ref *ref, u32 val)
{
	struct amd_ga_irte_fields f;
	struct amd_ga_irt *irt;
	unsigned long flags;
	u32 *slot, old;
	bool live, inval;
	int ret;

	ret = amd_ga_ref_check(ref, false);
	if (ret)
		return ret;
	amd_ga_irte32_decode(val, &f);
	if (f.rsvd_set)
		return -EINVAL;
	irt = ref->table;
	slot = amd_ga_irte32_slot(irt, ref->index);

	raw_spin_lock_irqsave(irt->lock, flags);
	if (!amd_ga_ref_live(ref)) {
		raw_spin_unlock_irqrestore(irt->lock, flags);
		return -ENOENT;
	}
	old = READ_ONCE(*slot);
	WRITE_ONCE(*slot, val);
	live = irt->attached;
	raw_spin_unlock_irqrestore(irt->lock, flags);
	atomic64_inc(&irt->iommu->stats.irte_writes);

	inval = live && amd_ga_irte32_needs_inval(old, val);
	trace_amd_ga_irte32_write(ref->iommu, irt->devids[0], ref->index, old,
				  val, inval);
	return inval ? amd_ga_irt_invalidate(irt) : 0;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irte32_write);

/**
 * amd_ga_irte_read() - read a 128-bit IRTE
 * @ref: the entry; its table must use the 128-bit format
 * @out: the value
 *
 * The two halves belong together: a claimed entry is stored without the
 * table lock, so the pair read is confirmed with a 16-byte compare (which
 * stores back the same value when it matches).
 *
 * Context: any.
 * Return: 0 or -EINVAL.
 */
int amd_ga_irte_read(const struct amd_ga_irte_ref *ref,
		     struct amd_ga_irte *out)
{
	struct amd_ga_irte *slot;
	unsigned long flags;

	if (amd_ga_ref_check(ref, true) || !out)
		return -EINVAL;
	slot = amd_ga_irte_entry(ref->table, ref->index);
	raw_spin_lock_irqsave(ref->table->lock, flags);
	do {
		out->lo = READ_ONCE(slot->lo);
		out->hi = READ_ONCE(slot->hi);
	} while (!amd_ga_cmpxchg16b(&slot->lo, out->lo, out->hi, out->lo,
				    out->hi));
	raw_spin_unlock_irqrestore(ref->table->lock, flags);
	return 0;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irte_read);

/**
 * amd_ga_irte32_read() - read a legacy 32-bit IRTE
 * @ref: the entry; its table must use the 32-bit format
 * @out: the value
 *
 * Context: any.
 * Return: 0 or -EINVAL.
 */
int amd_ga_irte32_read(const struct amd_ga_irte_ref *ref, u32 *out)
{
	if (amd_ga_ref_check(ref, false) || !out)
		return -EINVAL;
	*out = READ_ONCE(*amd_ga_irte32_slot(ref->table, ref->index));
	return 0;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irte32_read);

/**
 * amd_ga_irte_update_run() - the run state of a guest-mode IRTE nobody claimed
 * @ref: the entry; its table must use the 128-bit format
 * @is_run: IsRun: the vCPU runs on @dest, the IOMMU rings its doorbell
 * @dest: host physical APIC ID for Destination, or AMD_GA_IRTE_DEST_KEEP
 * @ga_log_intr: GALogIntr: log to the GA log while IsRun is clear
 *
 * Changes only IsRun, Destination and GALogIntr, which the IOMMU does not
 * cache, with one 128-bit store under the table lock and no command queue
 * traffic at all; amd_ga_irte_needs_inval() confirms that none is needed.
 * An entry that is not in guest mode is left alone (its vCPU's interrupts
 * are back under host control), as upstream's amd_iommu_update_ga() does.
 *
 * Context: any, including with raw spinlocks held and interrupts off;
 * never waits for the IOMMU.
 * Return: 0 if stored or if the entry is not in guest mode; -EINVAL for
 * a bad reference or a 32-bit table; -ERANGE for a destination above 255
 * without XTEn; -ENOENT for an index not allocated; -EBUSY for a claimed
 * entry (its owner stores the run state with amd_ga_irte_slot_store()).
 */
int amd_ga_irte_update_run(const struct amd_ga_irte_ref *ref, bool is_run,
			   u32 dest, bool ga_log_intr)
{
	struct amd_ga_irte cur, new, old;
	struct amd_ga_irt *irt;
	unsigned long flags;
	int ret;

	ret = amd_ga_ref_check(ref, true);
	if (ret)
		return ret;
	irt = ref->table;
	if (dest != AMD_GA_IRTE_DEST_KEEP && !irt->xt &&
	    dest > AMD_GA_DEST8_MAX)
		return -ERANGE;

	raw_spin_lock_irqsave(irt->lock, flags);
	if (!amd_ga_ref_live(ref)) {
		ret = -ENOENT;
		goto out;
	}
	if (test_bit(ref->index, irt->claimed)) {
		ret = -EBUSY;
		goto out;
	}
	cur.lo = READ_ONCE(amd_ga_irte_entry(irt, ref->index)->lo);
	cur.hi = READ_ONCE(amd_ga_irte_entry(irt, ref->index)->hi);
	if (!(cur.lo & AMD_GA_IRTE_LO_GUEST_MODE))
		goto out;

	new = cur;
	new.lo &= ~(AMD_GA_IRTE_LO_IS_RUN | AMD_GA_IRTE_LO_GALOG_INTR);
	new.lo |= FIELD_PREP(AMD_GA_IRTE_LO_IS_RUN, is_run) |
		  FIELD_PREP(AMD_GA_IRTE_LO_GALOG_INTR, ga_log_intr);
	if (dest != AMD_GA_IRTE_DEST_KEEP)
		amd_ga_irte_set_dest(&new, dest);
	if (new.lo == cur.lo && new.hi == cur.hi)
		goto out;
	/* Cannot trigger: only uncached guest-mode fields were changed. */
	if (WARN_ON_ONCE(amd_ga_irte_needs_inval(&cur, &new))) {
		ret = -EINVAL;
		goto out;
	}
	ret = amd_ga_irte_store(irt, ref->index, &new, &old);
	if (!ret)
		trace_amd_ga_irte_write(ref->iommu, irt->devids[0], ref->index,
					&old, &new, false);
out:
	raw_spin_unlock_irqrestore(irt->lock, flags);
	return ret;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irte_update_run);

/**
 * amd_ga_irte_claim() - become the one owner of a 128-bit entry
 * @ref: the entry; its table must use the 128-bit format
 * @lock: the owner's lock that serialises every store to the entry
 * @slot: filled with the handle the owner writes the entry through
 *
 * Until amd_ga_irte_unclaim() the entry is written only through @slot,
 * with @slot's lock held; the writers by reference refuse it (see
 * "Claimed entries" in irt.h). @slot starts with the entry's value.
 *
 * Context: any; takes the table lock.
 * Return: 0; -EINVAL for a bad reference, a 32-bit table or no @lock;
 * -ENOENT for an index of an owned table that is not allocated; -EEXIST
 * if the entry is claimed already.
 */
int amd_ga_irte_claim(const struct amd_ga_irte_ref *ref, raw_spinlock_t *lock,
		      struct amd_ga_irte_slot *slot)
{
	struct amd_ga_irte *entry;
	struct amd_ga_irt *irt;
	unsigned long flags;
	int ret = 0;

	if (amd_ga_ref_check(ref, true) || !lock || !slot)
		return -EINVAL;
	irt = ref->table;
	entry = amd_ga_irte_entry(irt, ref->index);
	raw_spin_lock_irqsave(irt->lock, flags);
	if (!amd_ga_ref_live(ref)) {
		ret = -ENOENT;
	} else if (test_bit(ref->index, irt->claimed)) {
		ret = -EEXIST;
	} else {
		__set_bit(ref->index, irt->claimed);
		/* Its writers so far held the table lock: the halves agree. */
		slot->val.lo = READ_ONCE(entry->lo);
		slot->val.hi = READ_ONCE(entry->hi);
	}
	raw_spin_unlock_irqrestore(irt->lock, flags);
	if (ret)
		return ret;
	slot->entry = entry;
	slot->lock = lock;
	slot->xt = irt->xt;
	slot->ref = *ref;
	return 0;
}

/**
 * amd_ga_irte_unclaim() - give a claimed entry back to the writers by reference
 * @slot: the slot; no store through it after this
 *
 * The entry keeps its value; its index stays allocated (amd_ga_irte_free()
 * releases it).
 *
 * Context: @slot's lock held; takes the table lock.
 */
void amd_ga_irte_unclaim(struct amd_ga_irte_slot *slot)
{
	struct amd_ga_irt *irt = slot->ref.table;
	unsigned long flags;

	lockdep_assert_held(slot->lock);
	raw_spin_lock_irqsave(irt->lock, flags);
	__clear_bit(slot->ref.index, irt->claimed);
	raw_spin_unlock_irqrestore(irt->lock, flags);
	/* A store after this would be a bug: let it fault, not land. */
	slot->entry = NULL;
}

/**
 * amd_ga_irte_slot_write() - store a claimed entry, invalidating as needed
 * @slot: the slot
 * @irte: the new value, made with the IRTE codec
 *
 * amd_ga_irte_write() for the entry's owner: one cmpxchg16b under the
 * table lock, then INVALIDATE_INTERRUPT_TABLE + COMPLETION_WAIT if the
 * IOMMU may have cached a changed field. @slot's value follows the entry
 * whatever failed.
 *
 * Context: @slot's lock held; any context, does not sleep. The
 * invalidation wait is bounded.
 * Return: as amd_ga_irte_write(); -EBUSY if @slot is not claimed.
 */
int amd_ga_irte_slot_write(struct amd_ga_irte_slot *slot,
			   const struct amd_ga_irte *irte)
{
	int ret;

	lockdep_assert_held(slot->lock);
	ret = amd_ga_irte_write_ref(&slot->ref, irte, true);
	/*
	 * Whatever failed (a bad entry, or only the invalidation), the entry
	 * holds what the IOMMU will read, and only @slot's lock holders store
	 * to it.
	 */
	slot->val.lo = READ_ONCE(slot->entry->lo);
	slot->val.hi = READ_ONCE(slot->entry->hi);
	return ret;
}

/* The hot path's tracepoint, called only while it is enabled. */
noinline void amd_ga_irte_slot_trace(const struct amd_ga_irte_slot *slot,
				     struct amd_ga_irte old,
				     struct amd_ga_irte new)
{
	trace_amd_ga_irte_write(slot->ref.iommu, slot->ref.table->devids[0],
				slot->ref.index, &old, &new, false);
}

/**
 * amd_ga_irte_slot_store_slow() - what amd_ga_irte_slot_store() does not inline
 * @slot: the slot
 * @new: the value amd_ga_irte_slot_store() was given
 *
 * A change beyond the run state goes to amd_ga_irte_slot_write(), which
 * invalidates as needed. A run-state change whose cmpxchg16b failed found
 * the entry changed behind @slot's lock (by a foreign table's owner, say):
 * take what is there; if it is still in guest mode, apply the run-state
 * fields of @new to it; if not, leave it alone.
 *
 * Context: @slot's lock held.
 * Return: 0 or amd_ga_irte_slot_write()'s error.
 */
int amd_ga_irte_slot_store_slow(struct amd_ga_irte_slot *slot,
				struct amd_ga_irte new)
{
	struct amd_ga_irte cur, want;

	lockdep_assert_held(slot->lock);
	if (!amd_ga_irte_run_only(&slot->val, &new))
		return amd_ga_irte_slot_write(slot, &new);

	amd_ga_warn_ratelimited("%s: IRTE %u changed behind its owner's lock\n",
				slot->ref.iommu->name, slot->ref.index);
	do {
		cur.lo = READ_ONCE(slot->entry->lo);
		cur.hi = READ_ONCE(slot->entry->hi);
		want = cur;
		if (!(cur.lo & AMD_GA_IRTE_LO_GUEST_MODE))
			break;
		want.lo = (cur.lo & ~AMD_GA_IRTE_LO_RUN_STATE) |
			  (new.lo & AMD_GA_IRTE_LO_RUN_STATE);
		want.hi = (cur.hi & ~AMD_GA_IRTE_HI_RUN_STATE) |
			  (new.hi & AMD_GA_IRTE_HI_RUN_STATE);
	} while (!amd_ga_cmpxchg16b(&slot->entry->lo, cur.lo, cur.hi,
				    want.lo, want.hi));
	slot->val = want;
	if (want.lo != cur.lo || want.hi != cur.hi)
		trace_amd_ga_irte_write(slot->ref.iommu,
					slot->ref.table->devids[0],
					slot->ref.index, &cur, &want, false);
	return 0;
}

/**
 * amd_ga_irte_free() - release an entry allocated with amd_ga_irte_alloc()
 * @ref: the reference; cleared on return
 *
 * The entry is written to zero (RemapEn = 0, invalidated if it changed)
 * before its index can be handed out again. A claimed entry (an owner's
 * bug: it must amd_ga_irte_unclaim() first) is left as it is and stays
 * allocated. References to foreign tables are only cleared.
 *
 * Context: any; does not sleep.
 */
void amd_ga_irte_free(struct amd_ga_irte_ref *ref)
{
	static const struct amd_ga_irte zero;
	struct amd_ga_irt *irt;
	unsigned long flags;
	bool claimed;

	if (!ref || !ref->table)
		return;
	irt = ref->table;
	if (irt->owned && !amd_ga_ref_check(ref, irt->ga)) {
		/* Refused for a claimed entry, as is the free below. */
		if (irt->ga)
			amd_ga_irte_write(ref, &zero);
		else
			amd_ga_irte32_write(ref, 0);
		raw_spin_lock_irqsave(irt->lock, flags);
		claimed = test_bit(ref->index, irt->claimed);
		if (!claimed)
			__clear_bit(ref->index, irt->used);
		raw_spin_unlock_irqrestore(irt->lock, flags);
		/* Its owner still stores to it: the index must not be reused. */
		if (claimed)
			amd_ga_err_ratelimited("%s: IRTE %u freed while claimed; kept allocated\n",
					       irt->iommu->name, ref->index);
	}
	memset(ref, 0, sizeof(*ref));
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irte_free);
