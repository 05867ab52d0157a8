/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device table: the IOMMU's table of 32-byte entries indexed by DeviceID.
 * amd-ga programs only the interrupt fields of the entries of devices it
 * owns; every other entry stays zero, so other devices' DMA and interrupts
 * pass through untouched.
 */
#ifndef AMD_GA_DEVTAB_H
#define AMD_GA_DEVTAB_H

#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "hw.h"

struct amd_ga_iommu;
struct page;

/* One table covers every DeviceID of a PCI segment: 64 Ki x 32 B = 2 MiB. */
#define AMD_GA_DEVTAB_ENTRIES	0x10000U
#define AMD_GA_DEVTAB_BYTES	(AMD_GA_DEVTAB_ENTRIES * AMD_GA_DTE_SIZE)
/* Device Table Base size field: (size + 1) x 4 KiB. */
#define AMD_GA_DEVTAB_SIZE_CODE	(AMD_GA_DEVTAB_BYTES / SZ_4K - 1)

/**
 * struct amd_ga_devtab - the device table of one IOMMU
 * @lock: serialises read-modify-write of entries' interrupt fields and
 *	protects @owned and @nr_owned; raw, taken with interrupts off
 * @entries: AMD_GA_DEVTAB_ENTRIES x 4 qwords, read by the IOMMU at any
 *	time; only the interrupt qword of owned entries is ever written
 * @pages: the allocation holding @entries; immutable
 * @pa: physical address of @entries as the IOMMU sees it; immutable
 * @adopted: the table was found in place (left by an earlier enable or an
 *	earlier load of the module) instead of allocated now
 * @owned: bitmap of DeviceIDs whose interrupt fields amd-ga programs
 * @nr_owned: number of bits set in @owned
 * @stale: DeviceIDs whose entries were found non-zero when the table was
 *	adopted and were zeroed; invalidated once the command queue runs,
 *	then freed. NULL if there were none.
 */
struct amd_ga_devtab {
	raw_spinlock_t lock;
	u64 *entries;
	struct page *pages;
	phys_addr_t pa;
	bool adopted;
	unsigned long *owned;
	unsigned int nr_owned;
	unsigned long *stale;
};

u64 amd_ga_dte_make_irq(u64 data2, phys_addr_t irt_pa);
u64 amd_ga_dte_make_irq_entries(u64 data2, phys_addr_t irt_pa,
				unsigned int entries);
u64 amd_ga_dte_clear_irq(u64 data2);

int amd_ga_devtab_init(struct amd_ga_iommu *iommu);
int amd_ga_devtab_flush_stale(struct amd_ga_iommu *iommu);
void amd_ga_devtab_release(struct amd_ga_iommu *iommu);

int amd_ga_devtab_claim(struct amd_ga_iommu *iommu, const u16 *devids,
			unsigned int nr);
void amd_ga_devtab_unclaim(struct amd_ga_iommu *iommu, const u16 *devids,
			   unsigned int nr);
int amd_ga_devtab_set_irt(struct amd_ga_iommu *iommu, const u16 *devids,
			  unsigned int nr, phys_addr_t irt_pa,
			  unsigned int entries);
int amd_ga_devtab_read(struct amd_ga_iommu *iommu, u16 devid, u64 dte[4]);

#endif /* AMD_GA_DEVTAB_H */
