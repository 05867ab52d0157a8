// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the IRTE codec against vectors worked out by hand from the bit
 * tables of the reference (amd-iommu-hw.md section 7), the decode of every
 * field, and the invalidation rule over every field.
 */
#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>

#include "hw.h"
#include "irte.h"

enum irte_fmt { FMT32, REMAP, GUEST };

struct irte_vec {
	const char *name;
	enum irte_fmt fmt;
	bool xt;
	struct amd_ga_remap_cfg r;
	struct amd_ga_guest_cfg g;
	int ret;
	u64 lo;		/* the 32-bit entry for FMT32 */
	u64 hi;
};

#define R(...)	.fmt = REMAP, .r = { __VA_ARGS__ }
#define G(...)	.fmt = GUEST, .g = { __VA_ARGS__ }
#define L(...)	.fmt = FMT32, .r = { __VA_ARGS__ }

static const struct irte_vec irte_vecs[] = {
	/* 128-bit remapped mode: lo[0] RemapEn, [1] SupIOPF, [4:2] IntType,
	 * [5] RqEoi, [6] DM, [7] GuestMode=0, [31:8] Dest[23:0];
	 * hi[7:0] vector, hi[63:56] Dest[31:24].
	 */
	{ "remap vector 0 dest 0", R(.remap_en = 1), .lo = 0x1, .hi = 0x0 },
	{ "remap vector 255", R(.remap_en = 1, .vector = 255), .lo = 0x1, .hi = 0xff },
	{ "remap dest 0xff", R(.remap_en = 1, .dest = 0xff), .lo = 0xff01, .hi = 0 },
	{ "remap dest 0x100 xt", .xt = 1, R(.remap_en = 1, .dest = 0x100),
	  .lo = 0x10001, .hi = 0 },
	{ "remap dest 0x100 no xt", R(.remap_en = 1, .dest = 0x100), .ret = -ERANGE },
	{ "remap dest 0xffffff xt", .xt = 1, R(.remap_en = 1, .dest = 0xffffff),
	  .lo = 0xffffff01, .hi = 0 },
	{ "remap dest 0xffffffff xt", .xt = 1, R(.remap_en = 1, .dest = 0xffffffff),
	  .lo = 0xffffff01, .hi = 0xff00000000000000ULL },
	{ "remap dest split 0x12345678", .xt = 1,
	  R(.remap_en = 1, .dest = 0x12345678, .vector = 0x30),
	  .lo = 0x34567801, .hi = 0x1200000000000030ULL },
	{ "remap dm", R(.remap_en = 1, .dest_logical = 1), .lo = 0x41, .hi = 0 },
	{ "remap rq_eoi", R(.remap_en = 1, .rq_eoi = 1), .lo = 0x21, .hi = 0 },
	{ "remap arbitrated", R(.remap_en = 1, .int_type = 1), .lo = 0x5, .hi = 0 },
	{ "remap int_type 2", R(.remap_en = 1, .int_type = 2), .ret = -EINVAL },
	{ "remap vector 256", R(.remap_en = 1, .vector = 256), .ret = -EINVAL },
	{ "remap sup_iopf", R(.remap_en = 1, .sup_iopf = 1), .lo = 0x3, .hi = 0 },
	{ "remap disabled", R(.vector = 0x41, .dest = 2), .lo = 0x200, .hi = 0x41 },
	{ "remap every field", .xt = 1,
	  R(.remap_en = 1, .sup_iopf = 1, .int_type = 1, .rq_eoi = 1,
	    .dest_logical = 1, .vector = 0x41, .dest = 0x01020304),
	  .lo = 0x02030467, .hi = 0x0100000000000041ULL },

	/* 128-bit guest mode: lo[2] GALogIntr, [6] IsRun, [7] GuestMode=1,
	 * [63:32] GATag; hi[51:12] GA root pointer = backing page PA[51:12].
	 */
	{ "guest minimal", G(.remap_en = 1, .vector = 0x20, .ga_root_pa = 0x1000),
	  .lo = 0x81, .hi = 0x1020 },
	{ "guest ga_log_intr", G(.remap_en = 1, .ga_log_intr = 1, .ga_root_pa = 0x1000),
	  .lo = 0x85, .hi = 0x1000 },
	{ "guest is_run", G(.remap_en = 1, .is_run = 1, .ga_root_pa = 0x1000),
	  .lo = 0xc1, .hi = 0x1000 },
	{ "guest is_run ga_log_intr",
	  G(.remap_en = 1, .is_run = 1, .ga_log_intr = 1, .ga_root_pa = 0x1000),
	  .lo = 0xc5, .hi = 0x1000 },
	{ "guest gatag", G(.remap_en = 1, .ga_tag = 0xdeadbeef, .ga_root_pa = 0x2000),
	  .lo = 0xdeadbeef00000081ULL, .hi = 0x2000 },
	{ "guest all ones", .xt = 1,
	  G(.remap_en = 1, .is_run = 1, .ga_tag = 0xffffffff, .dest = 0xffffffff,
	    .vector = 0xff, .ga_root_pa = 0x000ffffffffff000ULL),
	  .lo = 0xffffffffffffffc1ULL, .hi = 0xff0ffffffffff0ffULL },
	{ "guest root PA bit 51", G(.remap_en = 1, .ga_root_pa = BIT_ULL(51)),
	  .lo = 0x81, .hi = 0x0008000000000000ULL },
	{ "guest root with C-bit 47", G(.remap_en = 1, .vector = 0x31,
					.ga_root_pa = BIT_ULL(47) | 0x5000),
	  .lo = 0x81, .hi = 0x0000800000005031ULL },
	{ "guest root unaligned", G(.remap_en = 1, .ga_root_pa = 0x1800), .ret = -EINVAL },
	{ "guest root bit 52", G(.remap_en = 1, .ga_root_pa = BIT_ULL(52)), .ret = -EINVAL },
	{ "guest root bit 63", G(.remap_en = 1, .ga_root_pa = BIT_ULL(63) | 0x1000),
	  .ret = -EINVAL },
	{ "guest vector 256", G(.remap_en = 1, .vector = 256, .ga_root_pa = 0x1000),
	  .ret = -EINVAL },
	{ "guest dest 0x100 no xt", G(.remap_en = 1, .dest = 0x100, .ga_root_pa = 0x1000),
	  .ret = -ERANGE },
	{ "guest dest 0xff no xt", G(.remap_en = 1, .dest = 0xff, .ga_root_pa = 0x1000),
	  .lo = 0xff81, .hi = 0x1000 },
	{ "guest dest 0x100 xt", .xt = 1,
	  G(.remap_en = 1, .is_run = 1, .dest = 0x100, .ga_root_pa = 0x1000),
	  .lo = 0x100c1, .hi = 0x1000 },
	{ "guest dest 0xffffff xt", .xt = 1,
	  G(.remap_en = 1, .dest = 0xffffff, .ga_root_pa = 0x1000),
	  .lo = 0xffffff81, .hi = 0x1000 },
	{ "guest vector 0", G(.remap_en = 1, .vector = 0, .ga_root_pa = 0x7000),
	  .lo = 0x81, .hi = 0x7000 },
	{ "guest vector 255", G(.remap_en = 1, .vector = 255, .ga_root_pa = 0x7000),
	  .lo = 0x81, .hi = 0x70ff },
	{ "guest sup_iopf", G(.remap_en = 1, .sup_iopf = 1, .ga_root_pa = 0x1000),
	  .lo = 0x83, .hi = 0x1000 },
	{ "guest disabled", G(.ga_tag = 1, .ga_root_pa = 0x1000),
	  .lo = 0x0000000100000080ULL, .hi = 0x1000 },
	{ "guest root 0", G(.remap_en = 1, .vector = 1), .lo = 0x81, .hi = 0x1 },

	/* legacy 32-bit: [0] RemapEn, [1] SupIOPF, [4:2] IntType, [5] RqEoi,
	 * [6] DM, [15:8] Dest, [23:16] Vector.
	 */
	{ "irte32 vector 0x41", L(.remap_en = 1, .vector = 0x41), .lo = 0x00410001 },
	{ "irte32 every field", L(.remap_en = 1, .sup_iopf = 1, .int_type = 1,
				  .rq_eoi = 1, .dest_logical = 1, .dest = 0xff,
				  .vector = 0xff), .lo = 0x00ffff67 },
	{ "irte32 dest 0x100", L(.remap_en = 1, .dest = 0x100), .ret = -ERANGE },
	{ "irte32 vector 256", L(.remap_en = 1, .vector = 256), .ret = -EINVAL },
	{ "irte32 int_type 2", L(.remap_en = 1, .int_type = 2), .ret = -EINVAL },
	{ "irte32 all zero", L(.remap_en = 0), .lo = 0 },
	{ "irte32 dest 0x12 vector 0x34", L(.remap_en = 1, .dest = 0x12, .vector = 0x34),
	  .lo = 0x00341201 },
	{ "irte32 arbitrated", L(.remap_en = 1, .int_type = 1), .lo = 0x5 },
	{ "irte32 dm", L(.remap_en = 1, .dest_logical = 1), .lo = 0x41 },
	{ "irte32 rq_eoi", L(.remap_en = 1, .rq_eoi = 1), .lo = 0x21 },
	{ "irte32 vector 255 dest 0", L(.remap_en = 1, .vector = 255), .lo = 0x00ff0001 },
};

static void irte_vec_desc(const struct irte_vec *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(irte_vec, irte_vecs, irte_vec_desc);

static bool remap_cfg_eq(const struct amd_ga_remap_cfg *a,
			 const struct amd_ga_remap_cfg *b)
{
	return a->remap_en == b->remap_en && a->sup_iopf == b->sup_iopf &&
	       a->int_type == b->int_type && a->rq_eoi == b->rq_eoi &&
	       a->dest_logical == b->dest_logical && a->vector == b->vector &&
	       a->dest == b->dest;
}

static bool guest_cfg_eq(const struct amd_ga_guest_cfg *a,
			 const struct amd_ga_guest_cfg *b)
{
	return a->remap_en == b->remap_en && a->sup_iopf == b->sup_iopf &&
	       a->ga_log_intr == b->ga_log_intr && a->is_run == b->is_run &&
	       a->dest == b->dest && a->ga_tag == b->ga_tag &&
	       a->vector == b->vector && a->ga_root_pa == b->ga_root_pa;
}

/* Encode, compare with the hand-made value, then decode every field back. */
static void amd_ga_irte_test_vector(struct kunit *test)
{
	const struct irte_vec *v = test->param_value;
	struct amd_ga_irte e = { .lo = 0x5a5a5a5a5a5a5a5aULL, .hi = 0xa5a5 };
	struct amd_ga_irte_fields f;
	u32 e32 = 0x5a5a5a5a;
	int ret = -ENOTTY;	/* an unhandled format fails the case */

	switch (v->fmt) {
	case FMT32:
		ret = amd_ga_irte32_make(&v->r, &e32);
		KUNIT_ASSERT_EQ(test, ret, v->ret);
		if (ret) {
			/* An error leaves the output untouched. */
			KUNIT_EXPECT_EQ(test, e32, 0x5a5a5a5aU);
			return;
		}
		KUNIT_EXPECT_EQ(test, (u64)e32, v->lo);
		amd_ga_irte32_decode(e32, &f);
		KUNIT_EXPECT_TRUE(test, remap_cfg_eq(&f.remap, &v->r));
		KUNIT_EXPECT_FALSE(test, f.rsvd_set);
		KUNIT_EXPECT_EQ(test, f.mode, v->r.remap_en ? AMD_GA_IRTE_REMAPPED :
							     AMD_GA_IRTE_DISABLED);
		return;
	case REMAP:
		ret = amd_ga_irte_make_remap(&v->r, v->xt, &e);
		break;
	case GUEST:
		ret = amd_ga_irte_make_guest(&v->g, v->xt, &e);
		break;
	}
	KUNIT_ASSERT_EQ(test, ret, v->ret);
	if (ret) {
		KUNIT_EXPECT_EQ(test, e.lo, 0x5a5a5a5a5a5a5a5aULL);
		KUNIT_EXPECT_EQ(test, e.hi, 0xa5a5ULL);
		return;
	}
	KUNIT_EXPECT_EQ(test, e.lo, v->lo);
	KUNIT_EXPECT_EQ(test, e.hi, v->hi);

	amd_ga_irte_decode(&e, &f);
	KUNIT_EXPECT_FALSE(test, f.rsvd_set);
	if (v->fmt == REMAP) {
		KUNIT_EXPECT_TRUE(test, remap_cfg_eq(&f.remap, &v->r));
		KUNIT_EXPECT_EQ(test, f.mode, v->r.remap_en ? AMD_GA_IRTE_REMAPPED :
							     AMD_GA_IRTE_DISABLED);
	} else {
		KUNIT_EXPECT_TRUE(test, guest_cfg_eq(&f.guest, &v->g));
		KUNIT_EXPECT_EQ(test, f.mode, v->g.remap_en ? AMD_GA_IRTE_GUEST :
							     AMD_GA_IRTE_DISABLED);
	}
	KUNIT_EXPECT_EQ(test, amd_ga_irte_dest(&e),
			v->fmt == REMAP ? v->r.dest : v->g.dest);
}

/* Reserved bits of each format are reported, never silently accepted. */
static void amd_ga_irte_test_decode_reserved(struct kunit *test)
{
	struct amd_ga_irte_fields f;
	struct amd_ga_irte e;

	amd_ga_irte32_decode(BIT(24) | 1, &f);
	KUNIT_EXPECT_TRUE(test, f.rsvd_set);
	amd_ga_irte32_decode(AMD_GA_IRTE32_GUEST_MODE | 1, &f);
	KUNIT_EXPECT_TRUE(test, f.rsvd_set);

	e = (struct amd_ga_irte){ .lo = 0x1 | BIT_ULL(40), .hi = 0 };
	amd_ga_irte_decode(&e, &f);	/* remap mode: lo[63:32] reserved */
	KUNIT_EXPECT_TRUE(test, f.rsvd_set);
	KUNIT_EXPECT_EQ(test, f.mode, AMD_GA_IRTE_REMAPPED);

	e = (struct amd_ga_irte){ .lo = 0x81 | BIT_ULL(40), .hi = 0 };
	amd_ga_irte_decode(&e, &f);	/* guest mode: lo[63:32] is the GATag */
	KUNIT_EXPECT_FALSE(test, f.rsvd_set);
	KUNIT_EXPECT_EQ(test, f.guest.ga_tag, 0x100U);

	e = (struct amd_ga_irte){ .lo = 0x81 | BIT_ULL(4), .hi = 0 };
	amd_ga_irte_decode(&e, &f);	/* guest mode: lo[5:3] reserved */
	KUNIT_EXPECT_TRUE(test, f.rsvd_set);

	e = (struct amd_ga_irte){ .lo = 0x81, .hi = BIT_ULL(9) };
	amd_ga_irte_decode(&e, &f);	/* hi[11:8] reserved */
	KUNIT_EXPECT_TRUE(test, f.rsvd_set);

	e = (struct amd_ga_irte){ .lo = 0x1, .hi = BIT_ULL(53) };
	amd_ga_irte_decode(&e, &f);	/* hi[55:52] reserved */
	KUNIT_EXPECT_TRUE(test, f.rsvd_set);
}

/* A guest-mode IRTE used by the invalidation cases. */
static const struct amd_ga_irte inval_guest_base = {
	.lo = 0x0000123400000281ULL,	/* GATag 0x1234, dest 2, RemapEn, guest */
	.hi = 0x0000000000005041ULL,	/* root 0x5000, vector 0x41 */
};

static const struct amd_ga_irte inval_remap_base = {
	.lo = 0x0000000000000201ULL,	/* dest 2, RemapEn */
	.hi = 0x0000000000000041ULL,	/* vector 0x41 */
};

struct inval_case {
	const char *name;
	bool guest;
	u64 flip_lo;
	u64 flip_hi;
	bool needs;
};

static const struct inval_case inval_cases[] = {
	{ "guest IsRun", 1, AMD_GA_IRTE_LO_IS_RUN, 0, false },
	{ "guest Destination lo", 1, BIT_ULL(8) | BIT_ULL(31), 0, false },
	{ "guest Destination hi", 1, 0, BIT_ULL(56) | BIT_ULL(63), false },
	{ "guest GATag", 1, BIT_ULL(32) | BIT_ULL(63), 0, false },
	{ "guest GALogIntr", 1, AMD_GA_IRTE_LO_GALOG_INTR, 0, false },
	{ "guest all uncached", 1,
	  AMD_GA_IRTE_LO_IS_RUN | AMD_GA_IRTE_LO_DEST_LO | AMD_GA_IRTE_LO_GATAG |
	  AMD_GA_IRTE_LO_GALOG_INTR, AMD_GA_IRTE_HI_DEST_HI, false },
	{ "guest nothing", 1, 0, 0, false },
	{ "guest RemapEn", 1, AMD_GA_IRTE_LO_REMAP_EN, 0, true },
	{ "guest SupIOPF", 1, AMD_GA_IRTE_LO_SUP_IOPF, 0, true },
	{ "guest GuestMode", 1, AMD_GA_IRTE_LO_GUEST_MODE, 0, true },
	{ "guest reserved lo", 1, BIT_ULL(3), 0, true },
	{ "guest vector", 1, 0, BIT_ULL(0), true },
	{ "guest root pointer", 1, 0, BIT_ULL(12), true },
	{ "guest root pointer C-bit", 1, 0, BIT_ULL(47), true },
	{ "guest reserved hi", 1, 0, BIT_ULL(8), true },
	{ "guest IsRun and vector", 1, AMD_GA_IRTE_LO_IS_RUN, BIT_ULL(1), true },
	{ "remap nothing", 0, 0, 0, false },
	{ "remap RemapEn", 0, AMD_GA_IRTE_LO_REMAP_EN, 0, true },
	{ "remap IntType", 0, BIT_ULL(2), 0, true },
	{ "remap RqEoi", 0, AMD_GA_IRTE_LO_RQ_EOI, 0, true },
	{ "remap DM", 0, AMD_GA_IRTE_LO_DM, 0, true },
	{ "remap Destination lo", 0, BIT_ULL(9), 0, true },
	{ "remap Destination hi", 0, 0, BIT_ULL(60), true },
	{ "remap vector", 0, 0, BIT_ULL(7), true },
	{ "remap to guest", 0, AMD_GA_IRTE_LO_GUEST_MODE, 0, true },
};

static void inval_case_desc(const struct inval_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(inval_case, inval_cases, inval_case_desc);

static void amd_ga_irte_test_needs_inval(struct kunit *test)
{
	const struct inval_case *c = test->param_value;
	const struct amd_ga_irte *base = c->guest ? &inval_guest_base :
						    &inval_remap_base;
	struct amd_ga_irte new = {
		.lo = base->lo ^ c->flip_lo,
		.hi = base->hi ^ c->flip_hi,
	};

	KUNIT_EXPECT_EQ(test, amd_ga_irte_needs_inval(base, &new), c->needs);
	/* The rule is symmetric: going back needs the same. */
	KUNIT_EXPECT_EQ(test, amd_ga_irte_needs_inval(&new, base), c->needs);
}

/* Every bit of the 32-bit format is cached: any change is reported. */
static void amd_ga_irte_test_needs_inval32(struct kunit *test)
{
	unsigned int bit;

	KUNIT_EXPECT_FALSE(test, amd_ga_irte32_needs_inval(0x00410001, 0x00410001));
	for (bit = 0; bit < 32; bit++)
		KUNIT_EXPECT_TRUE(test, amd_ga_irte32_needs_inval(0x00410001,
								  0x00410001 ^ BIT(bit)));
}

/* Changing only the destination keeps every other bit. */
static void amd_ga_irte_test_set_dest(struct kunit *test)
{
	struct amd_ga_irte e = { .lo = ~0ULL, .hi = ~0ULL };

	amd_ga_irte_set_dest(&e, 0);
	KUNIT_EXPECT_EQ(test, e.lo, ~AMD_GA_IRTE_LO_DEST_LO);
	KUNIT_EXPECT_EQ(test, e.hi, ~AMD_GA_IRTE_HI_DEST_HI);
	amd_ga_irte_set_dest(&e, 0xa1b2c3d4);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_dest(&e), 0xa1b2c3d4U);
	KUNIT_EXPECT_EQ(test, e.lo, ~AMD_GA_IRTE_LO_DEST_LO | 0xb2c3d400ULL);
	KUNIT_EXPECT_EQ(test, e.hi, ~AMD_GA_IRTE_HI_DEST_HI | 0xa100000000000000ULL);
}

static struct kunit_case amd_ga_irte_test_cases[] = {
	KUNIT_CASE_PARAM(amd_ga_irte_test_vector, irte_vec_gen_params),
	KUNIT_CASE(amd_ga_irte_test_decode_reserved),
	KUNIT_CASE_PARAM(amd_ga_irte_test_needs_inval, inval_case_gen_params),
	KUNIT_CASE(amd_ga_irte_test_needs_inval32),
	KUNIT_CASE(amd_ga_irte_test_set_dest),
	{}
};

static struct kunit_suite amd_ga_irte_test_suite = {
	.name = "amd_ga_irte",
	.test_cases = amd_ga_irte_test_cases,
};

kunit_test_suite(amd_ga_irte_test_suite);
