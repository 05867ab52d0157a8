// SPDX-License-Identifier: GPL-2.0-only
/*
 * GATag codec and the VM ID allocator behind it.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/xarray.h>

#include "export.h"
#include "gatag.h"

const struct amd_ga_gatag_layout amd_ga_gatag_default = {
	.vcpu_bits = AMD_GA_GATAG_VCPU_BITS,
};

/**
 * amd_ga_gatag_max_vcpu_idx() - largest vCPU index a layout can carry
 * @l: the layout
 *
 * Return: 2^vcpu_bits - 1.
 */
u32 amd_ga_gatag_max_vcpu_idx(const struct amd_ga_gatag_layout *l)
{
	return GENMASK(l->vcpu_bits - 1, 0);
}

/**
 * amd_ga_gatag_max_vm_id() - largest VM ID a layout can carry
 * @l: the layout
 *
 * Return: 2^(32 - vcpu_bits) - 1.
 */
u32 amd_ga_gatag_max_vm_id(const struct amd_ga_gatag_layout *l)
{
	return U32_MAX >> l->vcpu_bits;
}

/**
 * amd_ga_gatag_encode() - pack a VM ID and a vCPU index into a GATag
 * @l: the layout
 * @vm_id: VM ID, 1..max_vm_id (0 is never allocated but encodes)
 * @vcpu_idx: vCPU index, 0..max_vcpu_idx
 * @tag: the tag
 *
 * Return: 0, or -ERANGE if either value does not fit: a silently
 * truncated tag wakes the wrong vCPU.
 */
int amd_ga_gatag_encode(const struct amd_ga_gatag_layout *l, u32 vm_id,
			u32 vcpu_idx, u32 *tag)
{
	if (vm_id > amd_ga_gatag_max_vm_id(l) ||
	    vcpu_idx > amd_ga_gatag_max_vcpu_idx(l))
		return -ERANGE;
	*tag = (vm_id << l->vcpu_bits) | vcpu_idx;
	return 0;
}

/**
 * amd_ga_gatag_decode() - split a GATag into VM ID and vCPU index
 * @l: the layout
 * @tag: the tag
 * @vm_id: the VM ID
 * @vcpu_idx: the vCPU index
 */
void amd_ga_gatag_decode(const struct amd_ga_gatag_layout *l, u32 tag,
			 u32 *vm_id, u32 *vcpu_idx)
{
	*vm_id = tag >> l->vcpu_bits;
	*vcpu_idx = tag & amd_ga_gatag_max_vcpu_idx(l);
}

/**
 * amd_ga_vmid_init() - set up a VM ID allocator
 * @a: the allocator
 * @max: the largest ID to hand out (at least 1)
 */
void amd_ga_vmid_init(struct amd_ga_vmid_alloc *a, u32 max)
{
	xa_init_flags(&a->xa, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_IRQ);
	a->next = 1;
	a->max = max;
}

/**
 * amd_ga_vmid_get() - allocate a VM ID
 * @a: the allocator
 * @owner: what the ID maps to (non-NULL)
 * @id: the new ID
 *
 * Context: process context, may sleep.
 * Return: 0, -EINVAL for a NULL @owner, -EBUSY when every ID is in use,
 * -ENOMEM.
 */
int amd_ga_vmid_get(struct amd_ga_vmid_alloc *a, void *owner, u32 *id)
{
	int ret;

	if (!owner)
		return -EINVAL;
	ret = xa_alloc_cyclic_irq(&a->xa, id, owner, XA_LIMIT(1, a->max),
				  &a->next, GFP_KERNEL);
	if (ret == -EBUSY)
		return -EBUSY;
	return ret < 0 ? ret : 0;
}

/**
 * amd_ga_vmid_put() - release a VM ID
 * @a: the allocator
 * @id: an ID from amd_ga_vmid_get()
 *
 * Readers that looked the ID up under RCU may still hold the owner: free
 * it only after a grace period.
 */
void amd_ga_vmid_put(struct amd_ga_vmid_alloc *a, u32 id)
{
	xa_erase_irq(&a->xa, id);
}

/**
 * amd_ga_vmid_lookup() - the owner of a VM ID
 * @a: the allocator
 * @id: the ID
 *
 * Context: any; lock-free. The caller keeps the owner alive, e.g. by
 * holding rcu_read_lock() and freeing owners after a grace period.
 * Return: the owner, or NULL if @id is not in use.
 */
void *amd_ga_vmid_lookup(struct amd_ga_vmid_alloc *a, u32 id)
{
	return xa_load(&a->xa, id);
}

/**
 * amd_ga_vmid_destroy() - release every ID
 * @a: the allocator
 */
void amd_ga_vmid_destroy(struct amd_ga_vmid_alloc *a)
{
	xa_destroy(&a->xa);
}
