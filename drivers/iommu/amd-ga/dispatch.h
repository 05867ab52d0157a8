/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Dispatch: the GA log notifier (registered by kvm_amd) and the registry
 * that maps a GATag to its VM and vCPU with a lock-free lookup.
 */
#ifndef AMD_GA_DISPATCH_H
#define AMD_GA_DISPATCH_H

#include <linux/amd-ga.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/static_call.h>
#include <linux/types.h>

#include "gatag.h"
#include "vcpu.h"

/**
 * struct amd_ga_vm - one VM in the GATag registry
 * @node: entry in the registry's VM list while the VM is published;
 *	registry lock
 * @rcu: deferred free
 * @priv: the hypervisor's VM (struct kvm); immutable
 * @id: VM ID carried in the GATag, never 0; immutable (handed back to the
 *	allocator by amd_ga_vm_destroy(), when the VM leaves the directory)
 * @max_vcpus: number of slots in @vcpus; immutable
 * @refs: one for the VM until amd_ga_vm_destroy(), one per vCPU record
 *	until amd_ga_vcpu_destroy(): the memory goes when both the VM and
 *	its last vCPU are destroyed, in whichever order the hypervisor calls
 *	them; registry lock
 * @dead: amd_ga_vm_destroy() ran: the VM and its vCPUs are unpublished
 *	and no vCPU may be added; registry lock
 * @vcpus: vCPU records by index, set from amd_ga_vcpu_create() until
 *	amd_ga_vcpu_destroy() (also after the VM is destroyed); written under
 *	the registry lock, read under RCU
 */
struct amd_ga_vm {
	struct list_head node;
	struct rcu_head rcu;
	void *priv;
	u32 id;
	u32 max_vcpus;
	unsigned int refs;
	bool dead;
	struct amd_ga_vcpu __rcu *vcpus[];
};

/* VM ID -> VM: a two-level directory of fixed depth, whatever the ID. */
#define AMD_GA_VM_LEAF_BITS	12
#define AMD_GA_VM_LEAF_SIZE	BIT(AMD_GA_VM_LEAF_BITS)
#define AMD_GA_VM_DIR_SIZE	((AMD_GA_GATAG_MAX_VM_ID >> AMD_GA_VM_LEAF_BITS) + 1)

/* The notifier as registered, or NULL; see amd_ga_dispatch_notifier(). */
typedef int (*amd_ga_notifier_fn)(u32 ga_tag);

amd_ga_notifier_fn amd_ga_dispatch_notifier(void);

int amd_ga_notifier_none(u32 ga_tag);
DECLARE_STATIC_CALL(amd_ga_notifier_call, amd_ga_notifier_none);
int amd_ga_dispatch_tag(u32 ga_tag);

/* A tag whose VM ID is 0 (never allocated) lies outside the layout. */
static inline bool amd_ga_gatag_in_layout(u32 ga_tag)
{
	return ga_tag >> AMD_GA_GATAG_VCPU_BITS;
}

unsigned int amd_ga_dispatch_recover(unsigned int *checked);
void amd_ga_dispatch_exit(void);
unsigned int amd_ga_dispatch_rcu_frees(void);

#endif /* AMD_GA_DISPATCH_H */
