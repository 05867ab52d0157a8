/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amd-ga's record of one vCPU: what lossless GA log recovery needs to
 * know (is it blocked, where is its vAPIC backing page, which guest-mode
 * IRTEs post to it) and what the load/put/blocking hot path updates.
 */
#ifndef AMD_GA_VCPU_H
#define AMD_GA_VCPU_H

#include <linux/amd-ga.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct amd_ga_vm;
struct amd_ga_vcpu;

struct amd_ga_posted;

/**
 * struct amd_ga_vcpu_irte - a guest-mode IRTE that posts to a vCPU
 * @node: entry in &amd_ga_vcpu.irtes; protected by &amd_ga_vcpu.lock
 * @vcpu: the vCPU whose list holds this entry, NULL when on no list;
 *	protected by that vCPU's lock
 * @vector: the guest vector the IRTE sets in the backing page IRR
 * @data: owner's data (the IRTE reference of the IRT store)
 * @posted: the posted IRTE this entry is embedded in, whose run-state
 *	fields the vCPU's load/put/blocking calls write; NULL for an entry
 *	added with amd_ga_vcpu_add_irte(), whose owner writes the IRTE
 *	itself and which only lossless recovery reads. Immutable.
 *
 * The owner embeds or allocates this and keeps it alive while it is on a
 * list.
 */
struct amd_ga_vcpu_irte {
	struct list_head node;
	struct amd_ga_vcpu *vcpu;
	u8 vector;
	void *data;
	struct amd_ga_posted *posted;
};

/**
 * enum amd_ga_vcpu_state - where a vCPU is in its run/block protocol
 * @AMD_GA_VCPU_STOPPED: not running and not blocking (never loaded, put
 *	after it ran, preempted): IsRun = 0, GALogIntr = 0. An interrupt
 *	only sets the IRR; the vCPU is runnable and sees it when it next
 *	enters the guest.
 * @AMD_GA_VCPU_RUNNING: runs on &amd_ga_vcpu.apic_id: IsRun = 1,
 *	Destination = that APIC ID, GALogIntr = 0. An interrupt rings the
 *	doorbell.
 * @AMD_GA_VCPU_BLOCKED: blocking, from amd_ga_vcpu_blocking() until
 *	amd_ga_vcpu_unblocking(): IsRun = 0, GALogIntr = 1. An interrupt
 *	writes a GA log entry, and lossless recovery re-checks the vCPU if
 *	one is dropped. Load and put leave this state alone: KVM calls them
 *	from its preempt notifiers while the vCPU's task schedules out to
 *	sleep, or is preempted inside its block window.
 */
enum amd_ga_vcpu_state {
	AMD_GA_VCPU_STOPPED,
	AMD_GA_VCPU_RUNNING,
	AMD_GA_VCPU_BLOCKED,
};

/* The state's name, for messages. */
static inline const char *amd_ga_vcpu_state_name(enum amd_ga_vcpu_state state)
{
	switch (state) {
	case AMD_GA_VCPU_STOPPED:
		return "stopped";
	case AMD_GA_VCPU_RUNNING:
		return "running";
	case AMD_GA_VCPU_BLOCKED:
		return "blocked";
	}
	return "?";
}

/**
 * struct amd_ga_vcpu - one vCPU as amd-ga sees it
 * @vm: the VM; immutable
 * @idx: vCPU index inside the VM; immutable
 * @ga_tag: GATag of the vCPU (VM ID and @idx); immutable
 * @priv: the hypervisor's vCPU (struct kvm_vcpu for kvm_amd); immutable
 * @lock: protects @state, @apic_id, @backing and @irtes. A raw spinlock:
 *	vCPU load/put/blocking run in scheduler paths with preemption or
 *	interrupts off, also on PREEMPT_RT. Never taken in hard interrupt
 *	context, so the hot path need not save the interrupt state. Nothing
 *	sleeps under it.
 * @state: the run/block state every posted IRTE on @irtes carries (see
 *	&enum amd_ga_vcpu_state); written only by load, put, blocking and
 *	unblocking (posted_vcpu.c), or by amd_ga_vcpu_set_blocked() for a
 *	vCPU without posted IRTEs
 * @apic_id: host physical APIC ID of the pCPU it runs or last ran on
 * @backing: kernel address of the vAPIC backing page, or NULL
 * @irtes: guest-mode IRTEs posting to this vCPU (&amd_ga_vcpu_irte.node)
 * @nr_irtes: number of entries on @irtes
 * @dead: the vCPU or its VM was destroyed (dispatch.c): attaching an IRTE
 *	fails from then on, so none posts to it any more once teardown has
 *	detached those on @irtes. Set under @lock and the registry lock,
 *	never cleared; read under @lock
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
	enum amd_ga_vcpu_state state;
	u32 apic_id;
	void *backing;
	struct list_head irtes;
	unsigned int nr_irtes;
	bool dead;

	struct rcu_head rcu;
};

int amd_ga_vcpu_set_blocked(struct amd_ga_vcpu *vcpu, bool blocked);
int amd_ga_vcpu_add_irte(struct amd_ga_vcpu *vcpu,
			 struct amd_ga_vcpu_irte *irte, u8 vector);
void amd_ga_vcpu_irte_unlink(struct amd_ga_vcpu *vcpu,
			     struct amd_ga_vcpu_irte *irte);
int amd_ga_vcpu_del_irte(struct amd_ga_vcpu *vcpu,
			 struct amd_ga_vcpu_irte *irte);
bool amd_ga_vcpu_irr_pending_locked(struct amd_ga_vcpu *vcpu);
bool amd_ga_vcpu_needs_wake(struct amd_ga_vcpu *vcpu);

#endif /* AMD_GA_VCPU_H */
