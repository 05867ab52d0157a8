/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 128-bit atomic load and store of an IRTE-sized object, on top of the
 * one 16-byte compare-and-exchange wrapper in compat.h. The IOMMU reads a
 * 128-bit IRTE as one unit, so the software model reads and writes
 * entries only through here.
 */
#ifndef AMD_GA_ATOMIC128_H
#define AMD_GA_ATOMIC128_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/types.h>

#include "compat.h"
#include "irte.h"

/* One 16-byte compare-and-exchange: true if @p held @old and now holds @new. */
static inline bool amd_ga_cmpxchg128(struct amd_ga_irte *p,
				     const struct amd_ga_irte *old,
				     const struct amd_ga_irte *new)
{
	return amd_ga_cmpxchg16b(&p->lo, old->lo, old->hi, new->lo, new->hi);
}

/**
 * amd_ga_load128() - read an IRTE as one 128-bit unit
 * @p: the entry (16-byte aligned)
 *
 * The two halves are read separately and then confirmed with a 16-byte
 * compare-and-exchange that stores the same value: if it succeeds, both
 * halves were in memory together at that instant.
 *
 * Return: a consistent snapshot of *@p.
 */
static inline struct amd_ga_irte amd_ga_load128(struct amd_ga_irte *p)
{
	struct amd_ga_irte v;

	do {
		v.lo = READ_ONCE(p->lo);
		v.hi = READ_ONCE(p->hi);
	} while (!amd_ga_cmpxchg128(p, &v, &v));
	return v;
}

/**
 * amd_ga_store128() - write an IRTE with one 128-bit atomic store
 * @p: the entry (16-byte aligned)
 * @new: the value
 *
 * Never two 64-bit stores: the IOMMU could read a torn entry in between.
 */
static inline void amd_ga_store128(struct amd_ga_irte *p,
				   const struct amd_ga_irte *new)
{
	struct amd_ga_irte old;

	do {
		old.lo = READ_ONCE(p->lo);
		old.hi = READ_ONCE(p->hi);
	} while (!amd_ga_cmpxchg128(p, &old, new));
}

#endif /* AMD_GA_ATOMIC128_H */
