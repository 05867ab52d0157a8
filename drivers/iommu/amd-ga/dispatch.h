/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Dispatch: the GA log's consumer (the notifier kvm_amd registers, and
 * recovery over the registry) and the registry that maps a GATag to its
 * VM and vCPU with a lock-free lookup.
 */
#ifndef AMD_GA_DISPATCH_H
#define AMD_GA_DISPATCH_H

#include <linux/amd-ga.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
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
 *	allocator by amd_ga_vm_destroy(), which unpublishes the VM with it)
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

unsigned int amd_ga_dispatch_recover(unsigned int *checked);
int amd_ga_dispatch_init(void);
void amd_ga_dispatch_exit(void);
unsigned int amd_ga_dispatch_rcu_frees(void);

#endif /* AMD_GA_DISPATCH_H */
