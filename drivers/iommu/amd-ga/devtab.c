// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device table: allocation, the Device Table Base register, and the
 * interrupt fields of the entries amd-ga owns.
 *
 * Why the table outlives amd-ga: an IOMMU cannot be told to stop reading
 * its device table. QEMU remaps interrupts as soon as a base was written,
 * whatever IOMMUEn says, and treats a base of 0 as a table at physical
 * address 0, whose contents (the real-mode IVT) then make it drop every
 * interrupt of every device. So the base is never written with 0 and the
 * table it points at is never freed: at teardown every entry amd-ga
 * touched is zero again and the table stays where the IOMMU reads it.
 *
 * Why that does not leak on every reload: the head page of the table
 * carries a mark (its page->private is AMD_GA_DEVTAB_MAGIC xor its page
 * frame number), and the next enable reads the Device Table Base register
 * first. If the register points at an allocated page with that mark and
 * the size amd-ga uses, the table is adopted instead of allocated again,
 * and the register is left as it is. Only amd-ga sets the mark and the
 * pages are never freed while marked, so a match is a table of this boot:
 * a table left by a kexec'd kernel or by firmware lives in pages the
 * running kernel does not know as ours and is not reused. One table per
 * IOMMU and boot is the whole cost.
 *
 * Backends whose IOMMU stops reading when disabled (the software model,
 * test fakes) set devtab_reclaimable and get the table freed instead.
 */
#define pr_fmt(fmt) "amd-ga: " fmt

#include <linux/bitfield.h>
#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "cmdq.h"
#include "devtab.h"
#include "export.h"
#include "iommu.h"

#define AMD_GA_DEVTAB_MAGIC	0x616d642d67614454ULL	/* "amd-gaDT" */
#define AMD_GA_DEVTAB_ORDER	get_order(AMD_GA_DEVTAB_BYTES)

/* The interrupt fields amd-ga programs; every other DTE bit is kept. */
#define AMD_GA_DTE2_IRQ_FIELDS	(AMD_GA_DTE2_IV | AMD_GA_DTE2_INT_TAB_LEN | \
				 AMD_GA_DTE2_INT_TAB_ROOT | AMD_GA_DTE2_INT_CTL)

/* Is @entries a table size a DTE can describe (2^IntTabLen, up to 2K)? */
static bool amd_ga_dte_irt_size_ok(unsigned int entries)
{
	return is_power_of_2(entries) &&
	       ilog2(entries) <= AMD_GA_DTE_INT_TAB_LEN_2K;
}

/**
 * amd_ga_dte_make_irq_entries() - the interrupt qword of a DTE that remaps
 * @data2: the current DTE bits 191:128
 * @irt_pa: physical address of the IRT, 128-byte aligned
 * @entries: the IRT's size, a power of two up to 2048 (IntTabLen 11;
 *	amd_ga_devtab_set_irt() checks it)
 *
 * Sets IV, IntTabLen = log2(@entries) (9 for 512 entries, 11 for 2048),
 * IntCtl = 10b (remap) and the table root pointer, and keeps every other
 * bit (IG, the *Pass bits, ...). IntCtl = 01b (forward unmapped) is never
 * used: QEMU turns it into a vector 0 interrupt.
 *
 * Return: the new qword.
 */
u64 amd_ga_dte_make_irq_entries(u64 data2, phys_addr_t irt_pa,
				unsigned int entries)
{
	return amd_ga_dte_clear_irq(data2) | AMD_GA_DTE2_IV |
	       FIELD_PREP(AMD_GA_DTE2_INT_TAB_LEN, ilog2(entries)) |
	       (irt_pa & AMD_GA_DTE2_INT_TAB_ROOT) |
	       FIELD_PREP(AMD_GA_DTE2_INT_CTL, AMD_GA_DTE_INT_CTL_REMAP);
}

/**
 * amd_ga_dte_make_irq() - the interrupt qword of a DTE that remaps a
 *	512-entry IRT
 * @data2: the current DTE bits 191:128
 * @irt_pa: physical address of the IRT, 128-byte aligned
 *
 * amd_ga_dte_make_irq_entries() for 512 entries: IntTabLen = 9.
 *
 * Return: the new qword.
 */
u64 amd_ga_dte_make_irq(u64 data2, phys_addr_t irt_pa)
{
	return amd_ga_dte_make_irq_entries(data2, irt_pa,
					   BIT(AMD_GA_DTE_INT_TAB_LEN_512));
}

/**
 * amd_ga_dte_clear_irq() - the interrupt qword of a DTE that does not remap
 * @data2: the current DTE bits 191:128
 *
 * Return: @data2 with IV, IntTabLen, the root pointer and IntCtl cleared.
 */
u64 amd_ga_dte_clear_irq(u64 data2)
{
	return data2 & ~AMD_GA_DTE2_IRQ_FIELDS;
}

static u64 *amd_ga_dte(struct amd_ga_devtab *dt, u16 devid)
{
	return &dt->entries[(size_t)devid * AMD_GA_DTE_QWORDS];
}

/* The table the base register points at, if it is one amd-ga left. */
static struct page *amd_ga_devtab_find(u64 base)
{
	phys_addr_t pa = __sme_clr(base & AMD_GA_DEVTAB_BASE_ADDR);
	unsigned long pfn = PHYS_PFN(pa);
	struct page *page;

	if (!pa || FIELD_GET(AMD_GA_DEVTAB_BASE_SIZE, base) !=
		   AMD_GA_DEVTAB_SIZE_CODE)
		return NULL;
	page = pfn_to_online_page(pfn);
	if (!page || !page_count(page) ||
	    page_private(page) != (AMD_GA_DEVTAB_MAGIC ^ pfn))
		return NULL;
	return page;
}

/* Zero every non-zero entry of an adopted table and remember its DeviceID. */
static int amd_ga_devtab_scrub(struct amd_ga_iommu *iommu,
			       struct amd_ga_devtab *dt)
{
	unsigned int devid, i, n = 0;

	for (devid = 0; devid < AMD_GA_DEVTAB_ENTRIES; devid++) {
		u64 *dte = amd_ga_dte(dt, devid);

		if (!(dte[0] | dte[1] | dte[2] | dte[3]))
			continue;
		if (!dt->stale) {
			dt->stale = bitmap_zalloc(AMD_GA_DEVTAB_ENTRIES,
						  GFP_KERNEL);
			if (!dt->stale)
				return -ENOMEM;
		}
		/* Interrupts first, then translation. */
		WRITE_ONCE(dte[AMD_GA_DTE_IRQ_QWORD], 0);
		for (i = 0; i < AMD_GA_DTE_QWORDS; i++)
			WRITE_ONCE(dte[i], 0);
		__set_bit(devid, dt->stale);
		n++;
	}
	if (n)
		pr_warn("%s: %u device table entries were left programmed; cleared\n",
			iommu->name, n);
	return 0;
}

/**
 * amd_ga_devtab_init() - give the IOMMU a device table
 * @iommu: the IOMMU, with IOMMUEn clear
 *
 * Adopts the table the Device Table Base register already points at if an
 * earlier enable or module load left it (see the comment at the top of
 * this file), else allocates a zeroed 2 MiB table and programs the base
 * register. The register is written only when it does not already hold
 * the table's address.
 *
 * Context: process context.
 * Return: 0, -EBUSY if the IOMMU has a table, -ENOMEM.
 */
int amd_ga_devtab_init(struct amd_ga_iommu *iommu)
{
	struct amd_ga_devtab *dt;
	u64 base, want;
	int ret = -ENOMEM;

	if (iommu->devtab)
		return -EBUSY;
	dt = kzalloc(sizeof(*dt), GFP_KERNEL);
	if (!dt)
		return -ENOMEM;
	raw_spin_lock_init(&dt->lock);
	dt->owned = bitmap_zalloc(AMD_GA_DEVTAB_ENTRIES, GFP_KERNEL);
	if (!dt->owned)
		goto err;

	base = amd_ga_read(iommu, AMD_GA_MMIO_DEVTAB_BASE);
	dt->pages = amd_ga_devtab_find(base);
	if (dt->pages) {
		dt->adopted = true;
		dt->entries = page_address(dt->pages);
		ret = amd_ga_devtab_scrub(iommu, dt);
		if (ret)
			goto err;
	} else {
		dt->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN,
					AMD_GA_DEVTAB_ORDER);
		if (!dt->pages) {
			pr_err("%s: cannot allocate the %u KiB device table\n",
			       iommu->name, AMD_GA_DEVTAB_BYTES / SZ_1K);
			goto err;
		}
		set_page_private(dt->pages,
				 AMD_GA_DEVTAB_MAGIC ^ page_to_pfn(dt->pages));
		dt->entries = page_address(dt->pages);
	}
	dt->pa = amd_ga_iommu_pa(dt->entries);

	want = (dt->pa & AMD_GA_DEVTAB_BASE_ADDR) |
	       FIELD_PREP(AMD_GA_DEVTAB_BASE_SIZE, AMD_GA_DEVTAB_SIZE_CODE);
	if (base != want)
		amd_ga_write(iommu, AMD_GA_MMIO_DEVTAB_BASE, want);
	iommu->devtab = dt;
	return 0;

err:
	bitmap_free(dt->stale);
	bitmap_free(dt->owned);
	kfree(dt);
	return ret;
}

/**
 * amd_ga_devtab_flush_stale() - invalidate entries scrubbed at adoption
 * @iommu: an enabled IOMMU
 *
 * Context: process context.
 * Return: 0 or the command queue's error.
 */
int amd_ga_devtab_flush_stale(struct amd_ga_iommu *iommu)
{
	struct amd_ga_devtab *dt = iommu->devtab;
	struct amd_ga_cmd cmds[32];
	unsigned int devid, n = 0;
	int ret;

	if (!dt || !dt->stale)
		return 0;
	for_each_set_bit(devid, dt->stale, AMD_GA_DEVTAB_ENTRIES) {
		amd_ga_cmd_make_inv_dte(devid, &cmds[n++]);
		if (n == ARRAY_SIZE(cmds)) {
			ret = amd_ga_cmdq_submit(iommu, cmds, n, false);
			if (ret)
				return ret;
			n = 0;
		}
	}
	ret = amd_ga_cmdq_submit(iommu, cmds, n, true);
	if (ret)
		return ret;
	bitmap_free(dt->stale);
	dt->stale = NULL;
	return 0;
}

/**
 * amd_ga_devtab_release() - drop the device table bookkeeping
 * @iommu: the IOMMU, disabled
 *
 * The table itself stays where the IOMMU reads it, all zero, and the base
 * register is not touched, unless the backend set devtab_reclaimable: then
 * the base is cleared and the table freed. Entries still owned (a caller
 * that did not destroy its tables) are zeroed first.
 *
 * Context: process context.
 */
void amd_ga_devtab_release(struct amd_ga_iommu *iommu)
{
	struct amd_ga_devtab *dt = iommu->devtab;
	unsigned int devid;

	if (!dt)
		return;
	iommu->devtab = NULL;
	if (dt->nr_owned) {
		pr_warn("%s: %u device table entries still owned at teardown; cleared\n",
			iommu->name, dt->nr_owned);
		for_each_set_bit(devid, dt->owned, AMD_GA_DEVTAB_ENTRIES) {
			u64 *dte = amd_ga_dte(dt, devid);

			WRITE_ONCE(dte[AMD_GA_DTE_IRQ_QWORD],
				   amd_ga_dte_clear_irq(dte[AMD_GA_DTE_IRQ_QWORD]));
		}
	}
	if (iommu->devtab_reclaimable) {
		amd_ga_write(iommu, AMD_GA_MMIO_DEVTAB_BASE, 0);
		set_page_private(dt->pages, 0);
		__free_pages(dt->pages, AMD_GA_DEVTAB_ORDER);
	}
	bitmap_free(dt->stale);
	bitmap_free(dt->owned);
	kfree(dt);
}

/**
 * amd_ga_devtab_claim() - take ownership of device table entries
 * @iommu: an enabled IOMMU
 * @devids: DeviceIDs
 * @nr: how many
 *
 * Context: any; takes a raw spinlock.
 * Return: 0; -EINVAL for bad arguments; -ENODEV without a device table;
 * -EBUSY if one of them is owned already (nothing is claimed then).
 */
int amd_ga_devtab_claim(struct amd_ga_iommu *iommu, const u16 *devids,
			unsigned int nr)
{
	struct amd_ga_devtab *dt = iommu->devtab;
	unsigned long flags;
	unsigned int i, j;
	int ret = 0;

	if (!nr || !devids)
		return -EINVAL;
	if (!dt)
		return -ENODEV;
	for (i = 0; i < nr; i++)
		for (j = 0; j < i; j++)
			if (devids[i] == devids[j])
				return -EINVAL;

	raw_spin_lock_irqsave(&dt->lock, flags);
	for (i = 0; i < nr; i++)
		if (test_bit(devids[i], dt->owned))
			ret = -EBUSY;
	if (!ret) {
		for (i = 0; i < nr; i++)
			__set_bit(devids[i], dt->owned);
		dt->nr_owned += nr;
	}
	raw_spin_unlock_irqrestore(&dt->lock, flags);
	return ret;
}

/**
 * amd_ga_devtab_unclaim() - give device table entries back
 * @iommu: the IOMMU
 * @devids: DeviceIDs claimed with amd_ga_devtab_claim(); their interrupt
 *	fields must have been cleared with amd_ga_devtab_set_irt(..., 0)
 * @nr: how many
 *
 * Context: any; takes a raw spinlock.
 */
void amd_ga_devtab_unclaim(struct amd_ga_iommu *iommu, const u16 *devids,
			   unsigned int nr)
{
	struct amd_ga_devtab *dt = iommu->devtab;
	unsigned long flags;
	unsigned int i;

	if (!dt)
		return;
	raw_spin_lock_irqsave(&dt->lock, flags);
	for (i = 0; i < nr; i++)
		if (__test_and_clear_bit(devids[i], dt->owned))
			dt->nr_owned--;
	raw_spin_unlock_irqrestore(&dt->lock, flags);
}

/**
 * amd_ga_devtab_set_irt() - point owned DTEs at an IRT, or stop remapping
 * @iommu: an enabled IOMMU
 * @devids: owned DeviceIDs (a device and its DMA aliases)
 * @nr: how many, at most 16
 * @irt_pa: the IRT's physical address (128-byte aligned), or 0 to clear
 *	the interrupt fields so that the devices' interrupts pass unmapped
 * @entries: the IRT's size for IntTabLen: 512 or, with NumIntRemapMode =
 *	2K, 2048 (any power of two up to 2048 is accepted); ignored when
 *	@irt_pa is 0
 *
 * Writes each entry's interrupt qword with one 64-bit store (the other
 * fields are kept), then queues INVALIDATE_DEVTAB_ENTRY and
 * INVALIDATE_INTERRUPT_TABLE for every DeviceID (so no IRTE cached from an
 * earlier table survives) and waits for a COMPLETION_WAIT.
 *
 * Context: any; does not sleep. The wait runs without locks held.
 * Return: 0; -EINVAL for bad arguments or a DeviceID not owned; -ENODEV
 * without a device table; the command queue's error.
 */
int amd_ga_devtab_set_irt(struct amd_ga_iommu *iommu, const u16 *devids,
			  unsigned int nr, phys_addr_t irt_pa,
			  unsigned int entries)
{
	struct amd_ga_devtab *dt = iommu->devtab;
	struct amd_ga_cmd cmds[32];
	unsigned long flags;
	unsigned int i;
	int ret = 0;

	if (!devids || !nr || nr > ARRAY_SIZE(cmds) / 2 ||
	    (irt_pa & ~AMD_GA_DTE2_INT_TAB_ROOT) ||
	    (irt_pa && !amd_ga_dte_irt_size_ok(entries)))
		return -EINVAL;
	if (!dt)
		return -ENODEV;

	raw_spin_lock_irqsave(&dt->lock, flags);
	for (i = 0; i < nr; i++)
		if (!test_bit(devids[i], dt->owned))
			ret = -EINVAL;
	for (i = 0; !ret && i < nr; i++) {
		u64 *dte2 = &amd_ga_dte(dt, devids[i])[AMD_GA_DTE_IRQ_QWORD];
		u64 old = READ_ONCE(*dte2);

		WRITE_ONCE(*dte2, irt_pa ?
			   amd_ga_dte_make_irq_entries(old, irt_pa, entries) :
			   amd_ga_dte_clear_irq(old));
	}
	raw_spin_unlock_irqrestore(&dt->lock, flags);
	if (ret)
		return ret;

	for (i = 0; i < nr; i++) {
		amd_ga_cmd_make_inv_dte(devids[i], &cmds[2 * i]);
		amd_ga_cmd_make_inv_irt(devids[i], &cmds[2 * i + 1]);
	}
	atomic64_add(nr, &iommu->stats.irte_invals);
	return amd_ga_cmdq_submit(iommu, cmds, 2 * nr, true);
}

/**
 * amd_ga_devtab_read() - copy one device table entry
 * @iommu: the IOMMU
 * @devid: the DeviceID
 * @dte: the four qwords
 *
 * Return: 0, or -ENODEV without a device table.
 */
int amd_ga_devtab_read(struct amd_ga_iommu *iommu, u16 devid, u64 dte[4])
{
	struct amd_ga_devtab *dt = iommu->devtab;
	unsigned int i;

	if (!dt)
		return -ENODEV;
	for (i = 0; i < AMD_GA_DTE_QWORDS; i++)
		dte[i] = READ_ONCE(amd_ga_dte(dt, devid)[i]);
	return 0;
}
