// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-vCPU side of posted IRTEs: attaching an IRTE to a vCPU record
 * (and moving it to another), and the load/put/blocking hot path that
 * updates every attached IRTE with one cmpxchg16b each and no command
 * queue traffic.
 *
 * Locking: a posted IRTE's lock, then a vCPU's lock (two vCPU locks, for
 * a move, in address order). The hot path takes only the vCPU's lock:
 * while an IRTE is on a vCPU's list, that lock is its entry's lock in the
 * IRT store (amd_ga_irte_slot_set_lock()) and serialises every store to
 * it, and whoever changes its route or its list holds both.
 *
 * The run-state calls form a state machine (enum amd_ga_vcpu_state) that
 * loses no wakeup whatever order they come in:
 *
 *   call               STOPPED        RUNNING(a)     BLOCKED
 *   load(b)            RUNNING(b)     RUNNING(b)     BLOCKED (no-op)
 *   put                STOPPED        STOPPED        BLOCKED (no-op)
 *   blocking           BLOCKED        BLOCKED        BLOCKED
 *   unblocking(b)      RUNNING(b)     RUNNING(b)     RUNNING(b)
 *
 * RUNNING: IsRun = 1, Destination = a, GALogIntr = 0. STOPPED: IsRun = 0,
 * GALogIntr = 0 (a preempted vCPU gets no GA log interrupts, v6.17's
 * semantics). BLOCKED: IsRun = 0, GALogIntr = 1, entered before the
 * caller re-checks its IRR, so an interrupt arriving after that check
 * produces a GA log entry and a wake-up. Only unblocking leaves BLOCKED:
 * KVM still calls put from its preempt notifier when the blocking task
 * schedules out, and load then put again if that task is preempted in
 * its block window; were either to clear GALogIntr, the next device
 * interrupt would only set the IRR of a sleeping vCPU.
 */
#include <linux/amd-ga.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/io.h>
#include <linux/lockdep.h>
#include <linux/mem_encrypt.h>
#include <linux/mm.h>

#include "export.h"
#include "posted.h"

/* Lock two different vCPU records, in address order. */
static void amd_ga_vcpu_double_lock(struct amd_ga_vcpu *a, struct amd_ga_vcpu *b)
	__acquires(&a->lock) __acquires(&b->lock)
{
	if (a > b)
		swap(a, b);
	raw_spin_lock(&a->lock);
	raw_spin_lock_nested(&b->lock, SINGLE_DEPTH_NESTING);
}

static void amd_ga_vcpu_double_unlock(struct amd_ga_vcpu *a,
				      struct amd_ga_vcpu *b)
	__releases(&a->lock) __releases(&b->lock)
{
	raw_spin_unlock(&a->lock);
	raw_spin_unlock(&b->lock);
}

/* The IRTE as the vCPU's current run state wants it. */
static int amd_ga_vcpu_write_route(struct amd_ga_vcpu *vcpu,
				   struct amd_ga_posted *p)
{
	lockdep_assert_held(&vcpu->lock);
	return amd_ga_posted_write_guest(p, vcpu->state == AMD_GA_VCPU_RUNNING,
					 vcpu->apic_id,
					 vcpu->state == AMD_GA_VCPU_BLOCKED);
}

/* Does the entry as stored carry @route? */
static bool amd_ga_posted_on_route(const struct amd_ga_posted *p,
				   const struct amd_ga_posted_route *route)
{
	const struct amd_ga_irte *irte = amd_ga_posted_irte(p);

	return amd_ga_posted_guest(p) &&
	       (irte->hi & AMD_GA_IRTE_HI_GA_ROOT) ==
	       (route->vapic_pa & AMD_GA_IRTE_HI_GA_ROOT) &&
	       FIELD_GET(AMD_GA_IRTE_HI_VECTOR, irte->hi) == route->vector &&
	       FIELD_GET(AMD_GA_IRTE_LO_GATAG, irte->lo) == route->ga_tag;
}

/*
 * The body of amd_ga_vcpu_attach_irte(), with @p's lock, @vcpu's lock and
 * (for a move) @from's lock held. On success @old is the route the entry
 * left and @kick says whether its vector was left pending there.
 */
static int amd_ga_vcpu_attach_locked(struct amd_ga_vcpu *vcpu,
				     struct amd_ga_vcpu *from,
				     struct amd_ga_posted *p, u32 vector,
				     struct amd_ga_posted_route *old,
				     bool *kick)
{
	struct amd_ga_posted_route route;
	bool was_guest, was_routed;
	int ret;

	lockdep_assert_held(&p->lock);
	lockdep_assert_held(&vcpu->lock);
	if (p->dead)
		return -ENODEV;
	/* Teardown detaches what is on the list; nothing may join it after. */
	if (vcpu->dead)
		return -ESRCH;
	if (p->claimed)
		return -EBUSY;
	if (from == vcpu && p->route.vector == vector)
		return -EEXIST;
	if (!vcpu->backing)
		return -EINVAL;
	ret = amd_ga_posted_check_route(__sme_set(virt_to_phys(vcpu->backing)),
					vector, vcpu->ga_tag, &route);
	if (ret)
		return ret;
	if (vcpu->state == AMD_GA_VCPU_RUNNING && !p->slot.xt &&
	    vcpu->apic_id > AMD_GA_DEST8_MAX)
		return -ERANGE;

	*old = p->route;
	was_guest = amd_ga_posted_guest(p);
	was_routed = p->routed;
	p->route = route;
	p->routed = true;
	ret = amd_ga_vcpu_write_route(vcpu, p);
	if (!amd_ga_posted_on_route(p, &route)) {
		/* Not even stored: leave everything as it was. */
		p->route = *old;
		p->routed = was_routed;
		return ret;
	}
	if (from != vcpu) {
		if (from)
			amd_ga_vcpu_irte_unlink(from, &p->vnode);
		list_add_tail(&p->vnode.node, &vcpu->irtes);
		vcpu->nr_irtes++;
		WRITE_ONCE(p->vnode.vcpu, vcpu);
		/* From now on the vCPU's load and put store to the entry. */
		amd_ga_irte_slot_set_lock(&p->slot, &vcpu->lock);
	}
	p->vnode.vector = vector;
	*kick = was_guest &&
		(old->vapic != route.vapic || old->vector != vector) &&
		amd_ga_posted_route_pending(old);
	/*
	 * Stored, so attached: the return value must say what the list says.
	 * Only the invalidation can have failed (ret); the command queue
	 * reported that.
	 */
	return 0;
}

/**
 * amd_ga_vcpu_attach_irte() - post an IRTE to a vCPU
 * @vcpu: the vCPU record; its backing page must be set
 *	(amd_ga_vcpu_set_backing())
 * @p: the posted IRTE (amd_ga_irq_get_posted())
 * @vector: the guest vector
 *
 * Puts the IRTE in guest mode on @vcpu's backing page with @vcpu's GATag
 * and @vector, in @vcpu's current run state (IsRun and Destination if it
 * runs, GALogIntr if it blocks), and adds it to @vcpu's list so that
 * load/put/blocking keep it current. An IRTE attached to another vCPU
 * moves: both lists and the entry change under both vCPUs' locks, so
 * neither vCPU's hot path ever sees it half-moved. Afterwards the old
 * route's vCPU is woken if an interrupt was left in its IRR during the
 * move (see posted.c).
 *
 * Context: any but hard interrupt context, also under raw spinlocks with
 * interrupts off (the old route's vCPU is woken later, from a workqueue:
 * see amd_ga_posted_kick()); waits (bounded) for the IRTE invalidation.
 *
 * The return value and the list agree: once the entry is stored, @p is
 * attached to @vcpu and the call returns 0, even if the invalidation that
 * follows the store timed out (the command queue reports that; until an
 * invalidation completes the IOMMU may still use its cached copy of the
 * old route). An IRTE may move away from a vCPU of a destroyed VM, but
 * none may be attached to it.
 *
 * Return: 0; -EINVAL for a NULL @p or @vcpu, no backing page, or a GATag
 * with VM field 0; -ERANGE for a vector above 255 or a pCPU the table
 * cannot hold; -EEXIST if @p is attached to @vcpu with @vector already;
 * -ENODEV if the owner destroyed @p; -ESRCH if @vcpu or its VM was
 * destroyed (amd_ga_vm_destroy() leaves the record usable until
 * amd_ga_vcpu_destroy()); -EBUSY if a per-IRTE consumer holds it; the IRT
 * store's error when the entry could not be stored. On error nothing
 * changed.
 */
int amd_ga_vcpu_attach_irte(struct amd_ga_vcpu *vcpu, struct amd_ga_posted *p,
			    u32 vector)
{
	struct amd_ga_posted_route old = {};
	struct amd_ga_vcpu *from;
	unsigned long flags;
	bool kick = false;
	int ret;

	if (!vcpu || !p)
		return -EINVAL;
	if (vector > AMD_GA_VECTOR_MAX)
		return -ERANGE;

	raw_spin_lock_irqsave(&p->lock, flags);
	from = p->vnode.vcpu;
	if (!from || from == vcpu) {
		raw_spin_lock(&vcpu->lock);
		ret = amd_ga_vcpu_attach_locked(vcpu, from, p, vector, &old, &kick);
		raw_spin_unlock(&vcpu->lock);
	} else {
		amd_ga_vcpu_double_lock(from, vcpu);
		ret = amd_ga_vcpu_attach_locked(vcpu, from, p, vector, &old, &kick);
		amd_ga_vcpu_double_unlock(from, vcpu);
	}
	raw_spin_unlock_irqrestore(&p->lock, flags);
	if (kick)
		amd_ga_posted_kick(old.ga_tag);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(amd_ga_vcpu_attach_irte, AMD_GA_NS);

/* Take @p off @vcpu's list and give it back to the host; both locks held. */
static int amd_ga_vcpu_unpost(struct amd_ga_vcpu *vcpu, struct amd_ga_posted *p,
			      bool *kick)
{
	int ret;

	lockdep_assert_held(&p->lock);
	lockdep_assert_held(&vcpu->lock);
	ret = amd_ga_posted_write_host(p);
	amd_ga_vcpu_irte_unlink(vcpu, &p->vnode);
	amd_ga_irte_slot_set_lock(&p->slot, &p->lock);
	p->routed = false;
	*kick = amd_ga_posted_route_pending(&p->route);
	return ret;
}

/**
 * amd_ga_vcpu_detach_irte() - stop posting an IRTE to a vCPU
 * @vcpu: the vCPU record @p is attached to
 * @p: the posted IRTE
 *
 * The IRTE goes back to the host's remapped route and leaves @vcpu's
 * list; @vcpu is woken if an interrupt was left in its IRR meanwhile.
 *
 * Context: any but hard interrupt context, also under raw spinlocks with
 * interrupts off (the wake-up is deferred: see amd_ga_posted_kick());
 * waits (bounded) for the IRTE invalidation.
 * Return: 0; -EINVAL for a NULL @p or @vcpu; -ENOENT if @p is not attached
 * to @vcpu (detached already, say, also by the teardown of @vcpu's VM);
 * -ENODEV if the owner destroyed @p; the IRT store's error (the IRTE is
 * detached all the same).
 */
int amd_ga_vcpu_detach_irte(struct amd_ga_vcpu *vcpu, struct amd_ga_posted *p)
{
	unsigned long flags;
	bool kick = false;
	u32 tag;
	int ret;

	if (!vcpu || !p)
		return -EINVAL;
	raw_spin_lock_irqsave(&p->lock, flags);
	if (p->dead) {
		ret = -ENODEV;
	} else if (READ_ONCE(p->vnode.vcpu) != vcpu) {
		ret = -ENOENT;
	} else {
		raw_spin_lock(&vcpu->lock);
		ret = amd_ga_vcpu_unpost(vcpu, p, &kick);
		raw_spin_unlock(&vcpu->lock);
	}
	tag = p->route.ga_tag;
	raw_spin_unlock_irqrestore(&p->lock, flags);
	if (kick)
		amd_ga_posted_kick(tag);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(amd_ga_vcpu_detach_irte, AMD_GA_NS);

/**
 * amd_ga_posted_vcpu_release() - detach every IRTE from a vCPU record
 * @vcpu: the vCPU
 *
 * Each posted IRTE goes back to the host's route, written and invalidated
 * by amd_ga_vcpu_detach_irte() under its locks, before this returns: none
 * may keep posting into a backing page that is about to be freed. Entries
 * added with amd_ga_vcpu_add_irte() are their owner's to write: they are
 * only taken off the list, with a warning. amd_ga_vcpu_destroy() and
 * amd_ga_vm_destroy() call this once no IRTE can be attached any more; on
 * a vCPU still in use, an IRTE attached meanwhile stays attached.
 *
 * Context: process context, no raw spinlock held; waits (bounded) for the
 * invalidations. The registry mutex may be held.
 */
void amd_ga_posted_vcpu_release(struct amd_ga_vcpu *vcpu)
{
	unsigned int foreign = 0;
	struct amd_ga_vcpu_irte *n;
	struct amd_ga_posted *p;
	unsigned long flags;

	for (;;) {
		p = NULL;
		/*
		 * Once the vCPU lock is dropped, someone else may detach @p and
		 * its owner destroy it: it is freed after a grace period at the
		 * earliest.
		 */
		rcu_read_lock();
		raw_spin_lock_irqsave(&vcpu->lock, flags);
		n = list_first_entry_or_null(&vcpu->irtes,
					     struct amd_ga_vcpu_irte, node);
		if (n && n->posted) {
			p = n->posted;
		} else if (n) {
			/* Its owner writes it: amd-ga can only forget it. */
			amd_ga_vcpu_irte_unlink(vcpu, n);
			foreign++;
		}
		raw_spin_unlock_irqrestore(&vcpu->lock, flags);
		/* Detached here, or moved away or destroyed meanwhile: gone. */
		if (p)
			amd_ga_vcpu_detach_irte(vcpu, p);
		rcu_read_unlock();
		if (!n)
			break;
	}
	if (foreign)
		pr_warn_ratelimited("amd-ga: vCPU %#x released with %u IRTEs its owner still writes\n",
				    vcpu->ga_tag, foreign);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_posted_vcpu_release);

/*
 * Write the state's run fields into every posted IRTE on the list: one
 * cmpxchg16b each, no command. Entries added with amd_ga_vcpu_add_irte()
 * are their owner's to write.
 */
static int amd_ga_vcpu_store_state(struct amd_ga_vcpu *vcpu)
{
	bool run = vcpu->state == AMD_GA_VCPU_RUNNING;
	bool log = vcpu->state == AMD_GA_VCPU_BLOCKED;
	u32 dest = run ? vcpu->apic_id : AMD_GA_POSTED_DEST_KEEP;
	struct amd_ga_vcpu_irte *n;
	struct amd_ga_posted *p;
	int ret = 0;

	lockdep_assert_held(&vcpu->lock);
	list_for_each_entry(n, &vcpu->irtes, node) {
		p = n->posted;
		if (unlikely(!p))
			continue;
		if (unlikely(run && dest > AMD_GA_DEST8_MAX && !p->slot.xt)) {
			/* The doorbell cannot reach it: fall back to the GA log. */
			amd_ga_posted_store_run(p, false,
						AMD_GA_POSTED_DEST_KEEP, true);
			ret = -ERANGE;
			continue;
		}
		amd_ga_posted_store_run(p, run, dest, log);
	}
	return ret;
}

/* RUNNING on @apic_id, from any state. */
static int amd_ga_vcpu_run_on(struct amd_ga_vcpu *vcpu, u32 apic_id)
{
	lockdep_assert_held(&vcpu->lock);
	vcpu->state = AMD_GA_VCPU_RUNNING;
	vcpu->apic_id = apic_id;
	return amd_ga_vcpu_store_state(vcpu);
}

/**
 * amd_ga_vcpu_load() - the vCPU runs on a pCPU
 * @vcpu: the vCPU record
 * @apic_id: host physical APIC ID of the pCPU
 *
 * Every attached IRTE: IsRun = 1, Destination = @apic_id, GALogIntr = 0;
 * one cmpxchg16b each, no command queue traffic. A blocking vCPU stays
 * blocking and nothing is written: KVM loads the vCPU when its task is
 * scheduled in inside the block window, and only
 * amd_ga_vcpu_unblocking() ends that window (see the state table in
 * posted_vcpu.c).
 *
 * Context: any but hard interrupt context, typically the scheduler's
 * sched-in path with preemption or interrupts off. Takes @vcpu->lock
 * (raw) without saving the interrupt state: nobody takes it in hard
 * interrupt context, and re-enabling interrupts costs more than an IRTE
 * update on some machines.
 * Return: 0, or -ERANGE if @apic_id does not fit a table without XTEn
 * (those IRTEs keep IsRun = 0 and GALogIntr = 1, so the vCPU is woken
 * through the GA log instead).
 */
int amd_ga_vcpu_load(struct amd_ga_vcpu *vcpu, u32 apic_id)
{
	int ret = 0;

	raw_spin_lock(&vcpu->lock);
	if (vcpu->state != AMD_GA_VCPU_BLOCKED)
		ret = amd_ga_vcpu_run_on(vcpu, apic_id);
	raw_spin_unlock(&vcpu->lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(amd_ga_vcpu_load, AMD_GA_NS);

/**
 * amd_ga_vcpu_put() - the vCPU stops running (preempted, exits to user space)
 * @vcpu: the vCPU record
 *
 * A running vCPU stops: every attached IRTE gets IsRun = 0,
 * GALogIntr = 0, Destination kept. An interrupt now only sets the IRR;
 * the next load picks it up. No GA log interrupt for a vCPU that was
 * merely preempted. A blocking vCPU stays blocking (its GA log
 * interrupts are what wakes it) and a stopped one stopped.
 *
 * Context: any but hard interrupt context; takes @vcpu->lock (raw) only.
 * Return: 0.
 */
int amd_ga_vcpu_put(struct amd_ga_vcpu *vcpu)
{
	raw_spin_lock(&vcpu->lock);
	if (vcpu->state == AMD_GA_VCPU_RUNNING) {
		vcpu->state = AMD_GA_VCPU_STOPPED;
		amd_ga_vcpu_store_state(vcpu);
	}
	raw_spin_unlock(&vcpu->lock);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(amd_ga_vcpu_put, AMD_GA_NS);

/**
 * amd_ga_vcpu_blocking() - the vCPU is about to sleep until an interrupt
 * @vcpu: the vCPU record
 *
 * Every attached IRTE: IsRun = 0, GALogIntr = 1; the vCPU is blocking
 * (lossless GA log recovery re-checks it) until amd_ga_vcpu_unblocking(),
 * whatever load or put comes in between. Call it BEFORE the final check
 * of the IRR: it returns with a full barrier, so either that check sees
 * an interrupt posted meanwhile or the IOMMU, reading the IRTE after
 * setting the IRR bit, writes a GA log entry whose notifier wakes the
 * vCPU.
 *
 * Context: any but hard interrupt context; takes @vcpu->lock (raw) only.
 * Return: 0.
 */
int amd_ga_vcpu_blocking(struct amd_ga_vcpu *vcpu)
{
	raw_spin_lock(&vcpu->lock);
	vcpu->state = AMD_GA_VCPU_BLOCKED;
	amd_ga_vcpu_store_state(vcpu);
	raw_spin_unlock(&vcpu->lock);
	/* The IRTE stores and the state before the caller's IRR check. */
	smp_mb();
	return 0;
}
EXPORT_SYMBOL_NS_GPL(amd_ga_vcpu_blocking, AMD_GA_NS);

/**
 * amd_ga_vcpu_unblocking() - the vCPU's block window ends; it runs
 * @vcpu: the vCPU record
 * @apic_id: host physical APIC ID of the pCPU its task runs on now
 *
 * Ends blocking and loads the vCPU on @apic_id, as amd_ga_vcpu_load()
 * does for a vCPU that is not blocking. KVM calls it (avic_vcpu_unblocking)
 * on the pCPU where the vCPU's task woke, possibly another one than where
 * it blocked.
 *
 * Context: as amd_ga_vcpu_load().
 * Return: as amd_ga_vcpu_load().
 */
int amd_ga_vcpu_unblocking(struct amd_ga_vcpu *vcpu, u32 apic_id)
{
	int ret;

	raw_spin_lock(&vcpu->lock);
	ret = amd_ga_vcpu_run_on(vcpu, apic_id);
	raw_spin_unlock(&vcpu->lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(amd_ga_vcpu_unblocking, AMD_GA_NS);
