/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amd-ga's record of one vCPU: what lossless GA log recovery needs to
 * know (is it blocked, where is its vAPIC backing page, which guest-mode
 * IRTEs post to it) and what the load/put/blocking hot path updates.
 */
#ifndef AMD_GA_VCPU_H
#define AMD_GA_VCPU_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct amd_ga_vm;
struct amd_ga_vcpu;

/**
 * struct amd_ga_vcpu_irte - a guest-mode IRTE that posts to a vCPU
 * @node: entry in &amd_ga_vcpu.irtes; protected by &amd_ga_vcpu.lock
 * @vcpu: the vCPU whose list holds this entry, NULL when on no list;
 *	protected by that vCPU's lock
 * @vector: the guest vector the IRTE sets in the backing page IRR
 * @data: owner's data (the IRTE reference of the IRT store)
 *
 * The owner embeds or allocates this and keeps it alive while it is on a
 * list.
 */
struct amd_ga_vcpu_irte {
	struct list_head node;
	struct amd_ga_vcpu *vcpu;
	u8 vector;
	void *data;
};

/**
 * struct amd_ga_vcpu - one vCPU as amd-ga sees it
 * @vm: the VM; immutable
 * @idx: vCPU index inside the VM; immutable
 * @ga_tag: GATag of the vCPU (VM ID and @idx); immutable
 * @priv: the hypervisor's vCPU (struct kvm_vcpu for kvm_amd); immutable
 * @lock: protects @running, @apic_id, @blocked, @backing and @irtes. A
 *	raw spinlock: vCPU load/put/blocking run in scheduler paths with
 *	preemption or interrupts off, also on PREEMPT_RT. Never taken in hard
 *	interrupt context, so the hot path need not save the interrupt
 *	state. Nothing sleeps under it.
 * @running: the vCPU runs on @apic_id: its IRTEs have IsRun = 1
 * @apic_id: host physical APIC ID of the pCPU it runs or last ran on
 * @blocked: the vCPU is blocking: its IRTEs have IsRun = 0 and
 *	GALogIntr = 1 and it re-checks its IRR before sleeping
 * @backing: kernel address of the vAPIC backing page, or NULL
 * @irtes: guest-mode IRTEs posting to this vCPU (&amd_ga_vcpu_irte.node)
 * @nr_irtes: number of entries on @irtes
 * @rcu: deferred free; lookups on the GA log drain path run under RCU
 *
 * Lookups (amd_ga_vcpu_lookup()) are lock-free under rcu_read_lock(); a
 * record stays valid until a grace period after amd_ga_vcpu_destroy().
 */
struct amd_ga_vcpu {
	struct amd_ga_vm *vm;
	u32 idx;
	u32 ga_tag;
	void *priv;

	raw_spinlock_t lock;
	bool running;
	u32 apic_id;
	bool blocked;
	void *backing;
	struct list_head irtes;
	unsigned int nr_irtes;

	struct rcu_head rcu;
};

void amd_ga_vcpu_set_backing(struct amd_ga_vcpu *vcpu, void *page);
void amd_ga_vcpu_set_blocked(struct amd_ga_vcpu *vcpu, bool blocked);
int amd_ga_vcpu_add_irte(struct amd_ga_vcpu *vcpu,
			 struct amd_ga_vcpu_irte *irte, u8 vector);
int amd_ga_vcpu_del_irte(struct amd_ga_vcpu *vcpu,
			 struct amd_ga_vcpu_irte *irte);
bool amd_ga_vcpu_irr_pending_locked(struct amd_ga_vcpu *vcpu);
bool amd_ga_vcpu_needs_wake(struct amd_ga_vcpu *vcpu);

#endif /* AMD_GA_VCPU_H */
