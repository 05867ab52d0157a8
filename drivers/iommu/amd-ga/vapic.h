/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The part of a vAPIC backing page that device posted interrupts touch:
 * the Interrupt Request Register, eight 32-bit words at 0x200, 0x210, ...
 * 0x270 (the xAPIC register layout). The IOMMU sets a guest vector's bit
 * atomically; the vCPU (or KVM) consumes it.
 */
#ifndef AMD_GA_VAPIC_H
#define AMD_GA_VAPIC_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/types.h>

#define AMD_GA_VAPIC_IRR		0x200
#define AMD_GA_VAPIC_REG_STRIDE		0x10
#define AMD_GA_VAPIC_PAGE_SIZE		4096

/* The 32-bit IRR word that holds @vector, inside the backing page. */
static inline atomic_t *amd_ga_vapic_irr_word(void *page, u8 vector)
{
	return page + AMD_GA_VAPIC_IRR + AMD_GA_VAPIC_REG_STRIDE * (vector / 32);
}

/* Set @vector in the IRR, as the IOMMU does; a full barrier follows. */
static inline void amd_ga_vapic_irr_set(void *page, u8 vector)
{
	atomic_or(BIT(vector % 32), amd_ga_vapic_irr_word(page, vector));
	/* The IRR bit is visible before the IRTE's IsRun is read again. */
	smp_mb__after_atomic();
}

static inline bool amd_ga_vapic_irr_test(void *page, u8 vector)
{
	return atomic_read(amd_ga_vapic_irr_word(page, vector)) &
	       BIT(vector % 32);
}

/* Consume @vector: true if it was pending. */
static inline bool amd_ga_vapic_irr_test_and_clear(void *page, u8 vector)
{
	u32 bit = BIT(vector % 32);

	return atomic_fetch_andnot(bit, amd_ga_vapic_irr_word(page, vector)) &
	       bit;
}

#endif /* AMD_GA_VAPIC_H */
