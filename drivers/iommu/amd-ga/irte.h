/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IRTE codec: pure encoding and decoding of interrupt remapping table
 * entries. Nothing here touches memory the IOMMU reads or takes a lock;
 * the IRT store does the atomic write and the invalidation.
 */
#ifndef AMD_GA_IRTE_H
#define AMD_GA_IRTE_H

#include <linux/build_bug.h>
#include <linux/types.h>

/**
 * struct amd_ga_irte - a 128-bit IRTE as the IOMMU reads it
 * @lo: bits 63:0 (RemapEn, mode bits, Destination[23:0], GATag)
 * @hi: bits 127:64 (vector, GA root pointer, Destination[31:24])
 *
 * Aligned to 16 bytes so that it can be stored with one cmpxchg16b.
 */
struct amd_ga_irte {
	u64 lo;
	u64 hi;
} __aligned(16);

static_assert(sizeof(struct amd_ga_irte) == 16);

/**
 * enum amd_ga_irte_mode - what an IRTE does with an interrupt
 * @AMD_GA_IRTE_DISABLED: RemapEn = 0, the interrupt is dropped
 * @AMD_GA_IRTE_REMAPPED: delivered to a host vector and destination
 * @AMD_GA_IRTE_GUEST: posted to a vAPIC backing page (guest mode)
 */
enum amd_ga_irte_mode {
	AMD_GA_IRTE_DISABLED,
	AMD_GA_IRTE_REMAPPED,
	AMD_GA_IRTE_GUEST,
};

/**
 * struct amd_ga_remap_cfg - fields of a remapped-mode IRTE
 * @remap_en: RemapEn; false makes the IOMMU drop the interrupt
 * @sup_iopf: SupIOPF, suppress I/O page faults for this entry
 * @int_type: IntType (0 fixed, 1 arbitrated)
 * @rq_eoi: RqEoi
 * @dest_logical: DM, destination mode logical
 * @vector: host vector, 0..255
 * @dest: host APIC ID (8 bits in the 32-bit format, 32 bits with XT)
 */
struct amd_ga_remap_cfg {
	bool remap_en;
	bool sup_iopf;
	u32 int_type;
	bool rq_eoi;
	bool dest_logical;
	u32 vector;
	u32 dest;
};

/**
 * struct amd_ga_guest_cfg - fields of a guest-mode (vAPIC) IRTE
 * @remap_en: RemapEn
 * @sup_iopf: SupIOPF
 * @ga_log_intr: GALogIntr, log to the GA log while IsRun = 0
 * @is_run: IsRun, the vCPU runs on @dest
 * @dest: host physical APIC ID of the pCPU to ring when @is_run
 * @ga_tag: opaque tag copied into GA log entries
 * @vector: guest vector, 0..255
 * @ga_root_pa: vAPIC backing page physical address, 4 KiB aligned, bits
 *	51:0 including the SME C-bit if memory encryption is on
 */
struct amd_ga_guest_cfg {
	bool remap_en;
	bool sup_iopf;
	bool ga_log_intr;
	bool is_run;
	u32 dest;
	u32 ga_tag;
	u32 vector;
	u64 ga_root_pa;
};

/**
 * struct amd_ga_irte_fields - every field of a decoded IRTE
 * @mode: disabled, remapped or guest
 * @remap: remapped-mode fields (valid for every mode; RemapEn is shared)
 * @guest: guest-mode fields (valid when @mode is AMD_GA_IRTE_GUEST)
 * @rsvd_set: a reserved bit of the format is set
 */
struct amd_ga_irte_fields {
	enum amd_ga_irte_mode mode;
	struct amd_ga_remap_cfg remap;
	struct amd_ga_guest_cfg guest;
	bool rsvd_set;
};

#define AMD_GA_VECTOR_MAX	0xffU
#define AMD_GA_DEST8_MAX	0xffU

int amd_ga_irte32_make(const struct amd_ga_remap_cfg *cfg, u32 *out);
void amd_ga_irte32_decode(u32 val, struct amd_ga_irte_fields *f);

int amd_ga_irte_make_remap(const struct amd_ga_remap_cfg *cfg, bool xt,
			   struct amd_ga_irte *out);
int amd_ga_irte_make_guest(const struct amd_ga_guest_cfg *cfg, bool xt,
			   struct amd_ga_irte *out);
void amd_ga_irte_decode(const struct amd_ga_irte *irte,
			struct amd_ga_irte_fields *f);

u32 amd_ga_irte_dest(const struct amd_ga_irte *irte);
void amd_ga_irte_set_dest(struct amd_ga_irte *irte, u32 dest);

bool amd_ga_irte_needs_inval(const struct amd_ga_irte *old,
			     const struct amd_ga_irte *new);
bool amd_ga_irte32_needs_inval(u32 old, u32 new);

#endif /* AMD_GA_IRTE_H */
