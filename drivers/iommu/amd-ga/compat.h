/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel API differences amd-ga papers over, one small wrapper each.
 */
#ifndef AMD_GA_COMPAT_H
#define AMD_GA_COMPAT_H

#include <linux/atomic.h>
#include <linux/mmdebug.h>	/* VM_BUG_ON() in cmpxchg_double() up to 6.4 */
#include <linux/types.h>

/*
 * 128-bit compare-and-exchange (cmpxchg16b). The IOMMU reads a 128-bit
 * IRTE as one unit, so an entry must never be written as two 64-bit
 * halves. Linux 6.5 replaced cmpxchg_double()/system_has_cmpxchg_double()
 * with try_cmpxchg128()/system_has_cmpxchg128(); the new feature test is
 * a macro, so its presence selects the API.
 */
#ifdef system_has_cmpxchg128

static inline bool amd_ga_has_cmpxchg16b(void)
{
	return system_has_cmpxchg128();
}

/*
 * Store @new_lo/@new_hi at @p (16-byte aligned, p[0] low) if it holds
 * @old_lo/@old_hi. Returns true if the store happened.
 */
static inline bool amd_ga_cmpxchg16b(u64 *p, u64 old_lo, u64 old_hi,
				     u64 new_lo, u64 new_hi)
{
	u128 old = (u128)old_hi << 64 | old_lo;

	return try_cmpxchg128((u128 *)p, &old, (u128)new_hi << 64 | new_lo);
}

#else /* before 6.5 */

static inline bool amd_ga_has_cmpxchg16b(void)
{
	return system_has_cmpxchg_double();
}

static inline bool amd_ga_cmpxchg16b(u64 *p, u64 old_lo, u64 old_hi,
				     u64 new_lo, u64 new_hi)
{
	return cmpxchg_double(&p[0], &p[1], old_lo, old_hi, new_lo, new_hi);
}

#endif /* system_has_cmpxchg128 */

#endif /* AMD_GA_COMPAT_H */
