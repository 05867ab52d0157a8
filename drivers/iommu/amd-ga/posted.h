/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Posted IRTEs: the guest-mode side of an interrupt remapping table entry.
 *
 * The owner of a host IRQ's IRTE (the IRT store's user, or the in-tree
 * glue) registers it with amd_ga_posted_create(); a hypervisor then posts
 * it to a vCPU either per IRTE, with the upstream-shaped entry points of
 * <linux/amd-ga.h> (amd_ga_irq_set_vcpu_affinity(), amd_ga_update_ga(),
 * ...), or per vCPU, by attaching it to an amd-ga vCPU record whose
 * load/put/blocking then updates every attached IRTE.
 *
 * The posted IRTE claims its entry in the IRT store (amd_ga_irte_claim())
 * and only builds values for it; the store writes them. A route change
 * (guest mode on or off, a new vector, backing page or GATag) is a full
 * store, then INVALIDATE_INTERRUPT_TABLE + COMPLETION_WAIT because the
 * IOMMU may cache those fields. A run-state change (IsRun, Destination,
 * GALogIntr: fields the IOMMU never caches) is the hot path: one
 * cmpxchg16b on the entry and no command at all.
 */
#ifndef AMD_GA_POSTED_H
#define AMD_GA_POSTED_H

#include <linux/amd-ga.h>
#include <linux/bitfield.h>
#include <linux/compiler.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "hw.h"
#include "irt.h"
#include "irte.h"
#include "vcpu.h"

/**
 * struct amd_ga_posted_route - where a guest-mode IRTE posts to
 * @vapic_pa: backing page physical address as the IOMMU sees it (SME
 *	C-bit included)
 * @vapic: the same page in the kernel's direct map, to read its IRR
 * @ga_tag: GATag
 * @vector: guest vector
 */
struct amd_ga_posted_route {
	u64 vapic_pa;
	void *vapic;
	u32 ga_tag;
	u8 vector;
};

/**
 * struct amd_ga_posted - one IRTE that amd-ga can post to a vCPU
 * @vnode: membership in an amd-ga vCPU's IRTE list (amd_ga_vcpu_attach_irte());
 *	@vnode.vcpu is the vCPU or NULL, changed with @lock and that vCPU's
 *	lock held; @vnode.data points back here
 * @slot: the entry, claimed in the IRT store, which writes it; its value
 *	is the guest-mode entry or the host's remapped one. Its lock (the one
 *	lock domain of the entry) is that vCPU's lock while @vnode.vcpu is
 *	set (the hot path holds only that one), else @lock; it changes with
 *	@vnode.vcpu, both locks held. Route changes hold @lock as well, so
 *	@lock alone keeps the entry's mode and route fields stable
 * @lock: serialises route changes, claims, attach/detach and the owner's
 *	calls; taken before any vCPU lock. A raw spinlock: the per-IRTE entry
 *	points run under hypervisor locks taken in scheduler paths, also on
 *	PREEMPT_RT. Nothing under it sleeps; the only wait is the bounded
 *	busy-wait for a COMPLETION_WAIT after a route change
 * @host_irq: the Linux IRQ the entry serves, or -1; immutable
 * @host: the host's remapped-mode route, restored when guest mode ends;
 *	@lock
 * @route: the guest route while @routed; @lock (read under the vCPU lock
 *	by nobody: the hot path needs only @slot)
 * @routed: @route holds a route; @lock
 * @claimed: a per-IRTE consumer (amd_ga_irq_set_vcpu_affinity()) holds the
 *	cookie until it passes NULL; @lock
 * @cached_tag: GATag of the consumer's last guest-mode request, for
 *	&amd_ga_pi_data.prev_ga_tag; @lock
 * @dead: the owner destroyed the IRTE; every entry point fails with
 *	-ENODEV; @lock
 * @node: entry in the list of all posted IRTEs (RCU for lossless
 *	recovery, written under the registry mutex)
 * @zombie: entry in the list of destroyed IRTEs a consumer may still
 *	hold; registry mutex
 * @rcu: deferred free
 */
struct amd_ga_posted {
	struct amd_ga_vcpu_irte vnode;
	struct amd_ga_irte_slot slot;

	raw_spinlock_t lock;
	int host_irq;
	struct amd_ga_remap_cfg host;
	struct amd_ga_posted_route route;
	bool routed;
	bool claimed;
	u32 cached_tag;
	bool dead;

	struct list_head node;
	struct list_head zombie;
	struct rcu_head rcu;
};

/* amd_ga_posted_store_run(): keep Destination as it is */
#define AMD_GA_POSTED_DEST_KEEP	U32_MAX

struct amd_ga_posted *amd_ga_posted_create(const struct amd_ga_irte_ref *ref,
					   const struct amd_ga_remap_cfg *host,
					   int host_irq);
void amd_ga_posted_destroy(struct amd_ga_posted *p);
int amd_ga_posted_set_host(struct amd_ga_posted *p,
			   const struct amd_ga_remap_cfg *host);
unsigned int amd_ga_posted_recover(void);
void amd_ga_posted_vcpu_release(struct amd_ga_vcpu *vcpu);
void amd_ga_posted_exit(void);

/* Shared by the per-IRTE and the per-vCPU entry points. */
int amd_ga_posted_check_route(u64 vapic_pa, u32 vector, u32 ga_tag,
			      struct amd_ga_posted_route *route);
int amd_ga_posted_write_guest(struct amd_ga_posted *p, bool is_run, u32 dest,
			      bool ga_log_intr);
int amd_ga_posted_write_host(struct amd_ga_posted *p);
bool amd_ga_posted_route_pending(const struct amd_ga_posted_route *route);
void amd_ga_posted_kick(u32 ga_tag);
void amd_ga_posted_kick_flush(void);

/* The value last stored in the entry; @p->lock or the slot's lock held. */
static inline const struct amd_ga_irte *
amd_ga_posted_irte(const struct amd_ga_posted *p)
{
	return amd_ga_irte_slot_value(&p->slot);
}

static inline bool amd_ga_posted_guest(const struct amd_ga_posted *p)
{
	return amd_ga_posted_irte(p)->lo & AMD_GA_IRTE_LO_GUEST_MODE;
}

/**
 * amd_ga_posted_make_run() - a guest-mode entry with a new run state
 * @irte: the entry
 * @is_run: IsRun
 * @dest: Destination, or AMD_GA_POSTED_DEST_KEEP
 * @ga_log_intr: GALogIntr
 *
 * Pure: builds the value, stores nothing.
 *
 * Return: @irte with those fields replaced.
 */
static inline struct amd_ga_irte amd_ga_posted_make_run(struct amd_ga_irte irte,
							bool is_run, u32 dest,
							bool ga_log_intr)
{
	irte.lo &= ~(AMD_GA_IRTE_LO_IS_RUN | AMD_GA_IRTE_LO_GALOG_INTR);
	irte.lo |= FIELD_PREP(AMD_GA_IRTE_LO_IS_RUN, is_run) |
		   FIELD_PREP(AMD_GA_IRTE_LO_GALOG_INTR, ga_log_intr);
	if (dest != AMD_GA_POSTED_DEST_KEEP) {
		irte.lo &= ~AMD_GA_IRTE_LO_DEST_LO;
		irte.lo |= FIELD_PREP(AMD_GA_IRTE_LO_DEST_LO,
				      dest & GENMASK(AMD_GA_IRTE_DEST_LO_BITS - 1, 0));
		irte.hi &= ~AMD_GA_IRTE_HI_DEST_HI;
		irte.hi |= FIELD_PREP(AMD_GA_IRTE_HI_DEST_HI,
				      dest >> AMD_GA_IRTE_DEST_LO_BITS);
	}
	return irte;
}

/**
 * amd_ga_posted_store_run() - the hot path: IsRun, Destination, GALogIntr
 * @p: a posted IRTE in guest mode
 * @is_run: IsRun
 * @dest: host physical APIC ID when @is_run, else AMD_GA_POSTED_DEST_KEEP
 * @ga_log_intr: GALogIntr
 *
 * Builds the new entry from the last value stored and hands it to the IRT
 * store, which replaces it with one cmpxchg16b; the IOMMU does not cache
 * these fields, so no command follows. Nothing is stored when nothing
 * changes. The caller has checked @dest against @p->slot.xt.
 *
 * Context: the entry's lock held (see &struct amd_ga_posted).
 */
static inline void amd_ga_posted_store_run(struct amd_ga_posted *p,
					   bool is_run, u32 dest,
					   bool ga_log_intr)
{
	amd_ga_irte_slot_store(&p->slot,
			       amd_ga_posted_make_run(*amd_ga_posted_irte(p),
						      is_run, dest,
						      ga_log_intr));
}

#endif /* AMD_GA_POSTED_H */
