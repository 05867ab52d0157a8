/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * GATag codec: the 32-bit tag the IOMMU copies from a guest-mode IRTE into
 * GA log entries carries a VM ID and a vCPU index. The vCPU field is as
 * wide as the largest vCPU index the build supports (8 bits for 256
 * vCPUs, 9 for 512, 12 for 4096); the VM ID takes the rest.
 */
#ifndef AMD_GA_GATAG_H
#define AMD_GA_GATAG_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/limits.h>
#include <linux/types.h>
#include <linux/xarray.h>

/*
 * The layout of this build. Kconfig picks the width in a kernel tree; an
 * out-of-tree build has no Kconfig (a distro .config knows nothing of the
 * option), so it gets Kconfig's default. CONFIG_ symbols belong to Kconfig
 * alone: none is defined here.
 */
#ifdef CONFIG_AMD_GA_MAX_VCPU_BITS
#define AMD_GA_GATAG_VCPU_BITS		CONFIG_AMD_GA_MAX_VCPU_BITS
#else
#define AMD_GA_GATAG_VCPU_BITS		12
#endif
#define AMD_GA_GATAG_VCPU_MASK		GENMASK(AMD_GA_GATAG_VCPU_BITS - 1, 0)
#define AMD_GA_GATAG_VM_MASK		GENMASK(31, AMD_GA_GATAG_VCPU_BITS)
#define AMD_GA_GATAG_MAX_VCPU_IDX	AMD_GA_GATAG_VCPU_MASK
#define AMD_GA_GATAG_MAX_VM_ID		(U32_MAX >> AMD_GA_GATAG_VCPU_BITS)
#define AMD_GA_GATAG_MAKE(vm, vcpu) \
	((((u32)(vm) << AMD_GA_GATAG_VCPU_BITS) & AMD_GA_GATAG_VM_MASK) | \
	 ((u32)(vcpu) & AMD_GA_GATAG_VCPU_MASK))

/* Encoding the two maxima fills the tag exactly: no bit lost, none shared. */
static_assert(AMD_GA_GATAG_MAKE(AMD_GA_GATAG_MAX_VM_ID,
				AMD_GA_GATAG_MAX_VCPU_IDX) == U32_MAX);
static_assert((AMD_GA_GATAG_VM_MASK & AMD_GA_GATAG_VCPU_MASK) == 0);
static_assert(AMD_GA_GATAG_VCPU_BITS == 8 || AMD_GA_GATAG_VCPU_BITS == 9 ||
	      AMD_GA_GATAG_VCPU_BITS == 12);
/* The same holds at every width a build may choose (256, 512, 4096 vCPUs). */
static_assert(((U32_MAX >> 8) << 8 | GENMASK(7, 0)) == U32_MAX);
static_assert(((U32_MAX >> 9) << 9 | GENMASK(8, 0)) == U32_MAX);
static_assert(((U32_MAX >> 12) << 12 | GENMASK(11, 0)) == U32_MAX);

/* A tag whose VM ID is 0 (never allocated) lies outside the layout. */
static inline bool amd_ga_gatag_in_layout(u32 ga_tag)
{
	return ga_tag >> AMD_GA_GATAG_VCPU_BITS;
}

/**
 * struct amd_ga_gatag_layout - a GATag layout
 * @vcpu_bits: width of the vCPU index field (8, 9 or 12)
 */
struct amd_ga_gatag_layout {
	unsigned int vcpu_bits;
};

extern const struct amd_ga_gatag_layout amd_ga_gatag_default;

int amd_ga_gatag_encode(const struct amd_ga_gatag_layout *l, u32 vm_id,
			u32 vcpu_idx, u32 *tag);
void amd_ga_gatag_decode(const struct amd_ga_gatag_layout *l, u32 tag,
			 u32 *vm_id, u32 *vcpu_idx);
u32 amd_ga_gatag_max_vm_id(const struct amd_ga_gatag_layout *l);
u32 amd_ga_gatag_max_vcpu_idx(const struct amd_ga_gatag_layout *l);

/**
 * struct amd_ga_vmid_alloc - VM ID allocator and VM ID -> object map
 * @xa: IDs in use, each mapping to its owner; lock-free lookup under RCU
 * @next: where the cyclic search resumes
 * @max: largest ID that fits the layout
 *
 * IDs are handed out cyclically from 1 to @max: ID 0 is never used (a
 * zero tag is what an unprogrammed entry carries) and an ID is never
 * handed out while still in use. @xa's own spinlock serialises allocation
 * and release.
 */
struct amd_ga_vmid_alloc {
	struct xarray xa;
	u32 next;
	u32 max;
};

void amd_ga_vmid_init(struct amd_ga_vmid_alloc *a, u32 max);
int amd_ga_vmid_get(struct amd_ga_vmid_alloc *a, void *owner, u32 *id);
void amd_ga_vmid_put(struct amd_ga_vmid_alloc *a, u32 id);
void *amd_ga_vmid_lookup(struct amd_ga_vmid_alloc *a, u32 id);
void amd_ga_vmid_destroy(struct amd_ga_vmid_alloc *a);

#endif /* AMD_GA_GATAG_H */
