// SPDX-License-Identifier: GPL-2.0-only
/*
 * IRTE codec: build and decode legacy 32-bit IRTEs and 128-bit IRTEs in
 * remapped and guest (vAPIC) mode, and decide which changes the IOMMU's
 * IRTE cache must be told about.
 */
#include <linux/bitfield.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/string.h>

#include "export.h"
#include "hw.h"
#include "irte.h"

/*
 * Fields of a guest-mode IRTE that the IOMMU does not cache: IsRun and
 * Destination per the spec (rev 3.08), GATag and GALogIntr per AMD's
 * hardware architects. Changing only these needs no INVALIDATE_INTERRUPT_TABLE.
 */
#define AMD_GA_IRTE_LO_UNCACHED	(AMD_GA_IRTE_LO_IS_RUN | \
				 AMD_GA_IRTE_LO_DEST_LO | \
				 AMD_GA_IRTE_LO_GATAG | \
				 AMD_GA_IRTE_LO_GALOG_INTR)
#define AMD_GA_IRTE_HI_UNCACHED	AMD_GA_IRTE_HI_DEST_HI

static int amd_ga_check_dest(u32 dest, bool xt)
{
	return (!xt && dest > AMD_GA_DEST8_MAX) ? -ERANGE : 0;
}

/**
 * amd_ga_irte32_make() - build a legacy 32-bit IRTE
 * @cfg: remapped-mode fields
 * @out: the entry
 *
 * Return: 0, or -EINVAL for a vector above 255 or an IntType other than
 * fixed or arbitrated, -ERANGE for a destination wider than 8 bits.
 */
int amd_ga_irte32_make(const struct amd_ga_remap_cfg *cfg, u32 *out)
{
	if (cfg->vector > AMD_GA_VECTOR_MAX ||
	    cfg->int_type > AMD_GA_IRTE_INT_TYPE_ARB)
		return -EINVAL;
	if (cfg->dest > AMD_GA_DEST8_MAX)
		return -ERANGE;

	*out = FIELD_PREP(AMD_GA_IRTE32_REMAP_EN, cfg->remap_en) |
	       FIELD_PREP(AMD_GA_IRTE32_SUP_IOPF, cfg->sup_iopf) |
	       FIELD_PREP(AMD_GA_IRTE32_INT_TYPE, cfg->int_type) |
	       FIELD_PREP(AMD_GA_IRTE32_RQ_EOI, cfg->rq_eoi) |
	       FIELD_PREP(AMD_GA_IRTE32_DM, cfg->dest_logical) |
	       FIELD_PREP(AMD_GA_IRTE32_DEST, cfg->dest) |
	       FIELD_PREP(AMD_GA_IRTE32_VECTOR, cfg->vector);
	return 0;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irte32_make);

/**
 * amd_ga_irte32_decode() - split a legacy 32-bit IRTE into its fields
 * @val: the entry
 * @f: the fields; the 32-bit format has no guest mode, so GuestMode = 1
 *	is reported through @f->rsvd_set
 */
void amd_ga_irte32_decode(u32 val, struct amd_ga_irte_fields *f)
{
	memset(f, 0, sizeof(*f));
	f->remap.remap_en = FIELD_GET(AMD_GA_IRTE32_REMAP_EN, val);
	f->remap.sup_iopf = FIELD_GET(AMD_GA_IRTE32_SUP_IOPF, val);
	f->remap.int_type = FIELD_GET(AMD_GA_IRTE32_INT_TYPE, val);
	f->remap.rq_eoi = FIELD_GET(AMD_GA_IRTE32_RQ_EOI, val);
	f->remap.dest_logical = FIELD_GET(AMD_GA_IRTE32_DM, val);
	f->remap.dest = FIELD_GET(AMD_GA_IRTE32_DEST, val);
	f->remap.vector = FIELD_GET(AMD_GA_IRTE32_VECTOR, val);
	f->rsvd_set = !!(val & (AMD_GA_IRTE32_RSVD | AMD_GA_IRTE32_GUEST_MODE));
	f->mode = f->remap.remap_en ? AMD_GA_IRTE_REMAPPED :
				      AMD_GA_IRTE_DISABLED;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irte32_decode);

/**
 * amd_ga_irte_dest() - the 32-bit destination of a 128-bit IRTE
 * @irte: the entry (either mode; Destination sits at the same bits)
 *
 * Return: Destination[31:24] from hi[63:56], Destination[23:0] from lo[31:8].
 */
u32 amd_ga_irte_dest(const struct amd_ga_irte *irte)
{
	return FIELD_GET(AMD_GA_IRTE_LO_DEST_LO, irte->lo) |
	       (u32)FIELD_GET(AMD_GA_IRTE_HI_DEST_HI, irte->hi) <<
			AMD_GA_IRTE_DEST_LO_BITS;
}

/**
 * amd_ga_irte_set_dest() - store a 32-bit destination into a 128-bit IRTE
 * @irte: the entry, modified in place (a local copy, never the table)
 * @dest: the destination APIC ID
 */
void amd_ga_irte_set_dest(struct amd_ga_irte *irte, u32 dest)
{
	irte->lo &= ~AMD_GA_IRTE_LO_DEST_LO;
	irte->lo |= FIELD_PREP(AMD_GA_IRTE_LO_DEST_LO,
			       dest & GENMASK(AMD_GA_IRTE_DEST_LO_BITS - 1, 0));
	irte->hi &= ~AMD_GA_IRTE_HI_DEST_HI;
	irte->hi |= FIELD_PREP(AMD_GA_IRTE_HI_DEST_HI,
			       dest >> AMD_GA_IRTE_DEST_LO_BITS);
}

/**
 * amd_ga_irte_make_remap() - build a 128-bit remapped-mode IRTE
 * @cfg: remapped-mode fields
 * @xt: the IOMMU runs with XTEn, so 32-bit destinations are allowed
 * @out: the entry
 *
 * Return: 0, -EINVAL for a bad vector or IntType, -ERANGE for a
 * destination above 255 without @xt.
 */
int amd_ga_irte_make_remap(const struct amd_ga_remap_cfg *cfg, bool xt,
			   struct amd_ga_irte *out)
{
	struct amd_ga_irte e = {};
	int ret;

	if (cfg->vector > AMD_GA_VECTOR_MAX ||
	    cfg->int_type > AMD_GA_IRTE_INT_TYPE_ARB)
		return -EINVAL;
	ret = amd_ga_check_dest(cfg->dest, xt);
	if (ret)
		return ret;

	e.lo = FIELD_PREP(AMD_GA_IRTE_LO_REMAP_EN, cfg->remap_en) |
	       FIELD_PREP(AMD_GA_IRTE_LO_SUP_IOPF, cfg->sup_iopf) |
	       FIELD_PREP(AMD_GA_IRTE_LO_INT_TYPE, cfg->int_type) |
	       FIELD_PREP(AMD_GA_IRTE_LO_RQ_EOI, cfg->rq_eoi) |
	       FIELD_PREP(AMD_GA_IRTE_LO_DM, cfg->dest_logical);
	e.hi = FIELD_PREP(AMD_GA_IRTE_HI_VECTOR, cfg->vector);
	amd_ga_irte_set_dest(&e, cfg->dest);
	*out = e;
	return 0;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irte_make_remap);

/**
 * amd_ga_irte_make_guest() - build a 128-bit guest-mode (vAPIC) IRTE
 * @cfg: guest-mode fields
 * @xt: the IOMMU runs with XTEn, so 32-bit destinations are allowed
 * @out: the entry
 *
 * The GA root pointer is the whole backing page address above bit 11,
 * kept as a u64 so that the SME C-bit survives (a 32-bit root pointer
 * lost it and with it every posted interrupt).
 *
 * Return: 0, -EINVAL for a vector above 255, a backing page that is not
 * 4 KiB aligned or lies beyond bit 51, -ERANGE for a destination above
 * 255 without @xt.
 */
int amd_ga_irte_make_guest(const struct amd_ga_guest_cfg *cfg, bool xt,
			   struct amd_ga_irte *out)
{
	struct amd_ga_irte e = {};
	int ret;

	if (cfg->vector > AMD_GA_VECTOR_MAX)
		return -EINVAL;
	if (cfg->ga_root_pa & ~AMD_GA_IRTE_HI_GA_ROOT)
		return -EINVAL;
	ret = amd_ga_check_dest(cfg->dest, xt);
	if (ret)
		return ret;

	e.lo = FIELD_PREP(AMD_GA_IRTE_LO_REMAP_EN, cfg->remap_en) |
	       FIELD_PREP(AMD_GA_IRTE_LO_SUP_IOPF, cfg->sup_iopf) |
	       FIELD_PREP(AMD_GA_IRTE_LO_GALOG_INTR, cfg->ga_log_intr) |
	       FIELD_PREP(AMD_GA_IRTE_LO_IS_RUN, cfg->is_run) |
	       AMD_GA_IRTE_LO_GUEST_MODE |
	       FIELD_PREP(AMD_GA_IRTE_LO_GATAG, cfg->ga_tag);
	/* The mask is the address bits in place: no shift is needed. */
	e.hi = FIELD_PREP(AMD_GA_IRTE_HI_VECTOR, cfg->vector) |
	       (cfg->ga_root_pa & AMD_GA_IRTE_HI_GA_ROOT);
	amd_ga_irte_set_dest(&e, cfg->dest);
	*out = e;
	return 0;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irte_make_guest);

/**
 * amd_ga_irte_decode() - split a 128-bit IRTE into its fields
 * @irte: the entry
 * @f: the fields of the mode the entry is in
 */
void amd_ga_irte_decode(const struct amd_ga_irte *irte,
			struct amd_ga_irte_fields *f)
{
	u64 lo = irte->lo, hi = irte->hi;
	bool guest = FIELD_GET(AMD_GA_IRTE_LO_GUEST_MODE, lo);

	memset(f, 0, sizeof(*f));
	f->remap.remap_en = FIELD_GET(AMD_GA_IRTE_LO_REMAP_EN, lo);
	f->remap.sup_iopf = FIELD_GET(AMD_GA_IRTE_LO_SUP_IOPF, lo);
	f->remap.vector = FIELD_GET(AMD_GA_IRTE_HI_VECTOR, hi);
	f->remap.dest = amd_ga_irte_dest(irte);
	f->rsvd_set = !!(hi & (AMD_GA_IRTE_HI_RSVD0 | AMD_GA_IRTE_HI_RSVD1));

	if (guest) {
		f->guest.remap_en = f->remap.remap_en;
		f->guest.sup_iopf = f->remap.sup_iopf;
		f->guest.ga_log_intr = FIELD_GET(AMD_GA_IRTE_LO_GALOG_INTR, lo);
		f->guest.is_run = FIELD_GET(AMD_GA_IRTE_LO_IS_RUN, lo);
		f->guest.dest = f->remap.dest;
		f->guest.ga_tag = FIELD_GET(AMD_GA_IRTE_LO_GATAG, lo);
		f->guest.vector = f->remap.vector;
		f->guest.ga_root_pa = hi & AMD_GA_IRTE_HI_GA_ROOT;
		f->rsvd_set |= !!(lo & AMD_GA_IRTE_LO_GUEST_RSVD);
	} else {
		f->remap.int_type = FIELD_GET(AMD_GA_IRTE_LO_INT_TYPE, lo);
		f->remap.rq_eoi = FIELD_GET(AMD_GA_IRTE_LO_RQ_EOI, lo);
		f->remap.dest_logical = FIELD_GET(AMD_GA_IRTE_LO_DM, lo);
		f->rsvd_set |= !!(lo & AMD_GA_IRTE_LO_REMAP_RSVD);
	}

	if (!f->remap.remap_en)
		f->mode = AMD_GA_IRTE_DISABLED;
	else
		f->mode = guest ? AMD_GA_IRTE_GUEST : AMD_GA_IRTE_REMAPPED;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_irte_decode);

/**
 * amd_ga_irte_needs_inval() - does old -> new need INVALIDATE_INTERRUPT_TABLE?
 * @old: the entry the IOMMU may have cached
 * @new: the entry about to be stored
 *
 * Only a guest-mode entry that stays in guest mode may change IsRun,
 * Destination, GATag and GALogIntr without an invalidation; any other
 * difference (mode, vector, root pointer, RemapEn, IntType, ...) may be
 * held in the IOMMU's IRTE cache.
 *
 * Return: true if the IOMMU must be told.
 */
bool amd_ga_irte_needs_inval(const struct amd_ga_irte *old,
			     const struct amd_ga_irte *new)
{
	u64 dlo = old->lo ^ new->lo, dhi = old->hi ^ new->hi;
	bool both_guest = (old->lo & new->lo & AMD_GA_IRTE_LO_GUEST_MODE);

	if (both_guest) {
		dlo &= ~AMD_GA_IRTE_LO_UNCACHED;
		dhi &= ~AMD_GA_IRTE_HI_UNCACHED;
	}
	return dlo || dhi;
}

/**
 * amd_ga_irte32_needs_inval() - does old -> new need an invalidation?
 * @old: the entry the IOMMU may have cached
 * @new: the entry about to be stored
 *
 * Return: true for any change: the 32-bit format has no uncached field.
 */
bool amd_ga_irte32_needs_inval(u32 old, u32 new)
{
	return old != new;
}
