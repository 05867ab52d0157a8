// SPDX-License-Identifier: GPL-2.0-only
/*
 * Posted IRTEs: registration by the IRTE's owner, route changes (guest
 * mode on and off), the upstream-shaped per-IRTE entry points kvm_amd
 * calls, and lossless recovery for IRTEs no vCPU record knows about.
 *
 * A route change may leave an interrupt behind in the old backing page:
 * until the invalidation completes, the IOMMU may combine the cached root
 * pointer and vector of the old route with the uncached GATag, IsRun and
 * Destination of the new one, so the old vCPU gets the IRR bit and the
 * new one the doorbell or GA log entry. After every route change the old
 * page's IRR is therefore checked and the old vCPU woken through the GA
 * log notifier if the vector is pending: a spurious wake-up is harmless,
 * a lost one is not. That wake-up (the kick) is deferred to a work item:
 * the route-change entry points may be called under the hypervisor's raw
 * spinlocks, and its notifier takes locks that sleep on PREEMPT_RT.
 */
#define pr_fmt(fmt) "amd-ga: " fmt

#include <linux/amd-ga.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/io.h>
#include <linux/lockdep.h>
#include <linux/mem_encrypt.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "export.h"
#include "galog.h"
#include "gatag.h"
#include "log.h"
#include "posted.h"
#include "vapic.h"

/*
 * The registry: every posted IRTE on an RCU list (recovery walks it) and
 * those serving a Linux IRQ in an xarray by IRQ number (lock-free lookup
 * for amd_ga_irq_set_vcpu_affinity()). Creation and destruction are
 * serialised by the mutex. IRTEs destroyed while a consumer may still
 * hold their cookie stay allocated, marked dead, on the zombie list.
 */
static DEFINE_MUTEX(amd_ga_posted_mutex);
static LIST_HEAD(amd_ga_posted_list);
static LIST_HEAD(amd_ga_posted_zombies);
static DEFINE_XARRAY(amd_ga_posted_irqs);

/**
 * amd_ga_posted_check_route() - validate a guest route
 * @vapic_pa: backing page address as the IOMMU sees it
 * @vector: guest vector
 * @ga_tag: GATag
 * @route: filled in on success
 *
 * Return: 0; -EINVAL for a backing page that is not 4 KiB aligned or a
 * GATag whose VM field is 0 (the GA log drain drops those, so the vCPU
 * would never be woken); -ERANGE for a vector above 255 or a page beyond
 * bit 51 or outside memory.
 */
int amd_ga_posted_check_route(u64 vapic_pa, u32 vector, u32 ga_tag,
			      struct amd_ga_posted_route *route)
{
	u64 pa = __sme_clr(vapic_pa);

	if (vector > AMD_GA_VECTOR_MAX)
		return -ERANGE;
	if (vapic_pa & ~AMD_GA_IRTE_HI_GA_ROOT)
		return (vapic_pa & ~GENMASK_ULL(51, 0)) ? -ERANGE : -EINVAL;
	if (!pa || !pfn_valid(PHYS_PFN(pa)))
		return -ERANGE;
	if (!(ga_tag & AMD_GA_GATAG_VM_MASK))
		return -EINVAL;
	route->vapic_pa = vapic_pa;
	route->vapic = phys_to_virt(pa);
	route->vector = vector;
	route->ga_tag = ga_tag;
	return 0;
}

/*
 * A route change holds @p->lock, and the vCPU's lock if @p is attached:
 * the entry's lock (the IRT store's amd_ga_irte_slot_write() asserts that
 * one) and the lock that keeps @p's route fields.
 */
static void amd_ga_posted_assert_serialised(struct amd_ga_posted *p)
{
	lockdep_assert_held(&p->lock);
	if (p->vnode.vcpu)
		lockdep_assert_held(&p->vnode.vcpu->lock);
}

/**
 * amd_ga_posted_write_guest() - put the IRTE in guest mode on its route
 * @p: the posted IRTE, @p->route set
 * @is_run: IsRun: the vCPU runs on @dest
 * @dest: host physical APIC ID of the vCPU's pCPU (or the last one)
 * @ga_log_intr: GALogIntr; only without @is_run
 *
 * A full rewrite of the entry, RemapEn set, followed by the invalidation
 * the IRT store finds necessary.
 *
 * Context: @p->lock held, and the vCPU's lock if @p is attached.
 * Return: 0, -ERANGE for a running @dest the table cannot hold, the IRT
 * store's error.
 */
int amd_ga_posted_write_guest(struct amd_ga_posted *p, bool is_run, u32 dest,
			      bool ga_log_intr)
{
	struct amd_ga_guest_cfg cfg = {
		.remap_en	= true,
		.is_run		= is_run,
		.ga_log_intr	= !is_run && ga_log_intr,
		.dest		= dest,
		.ga_tag		= p->route.ga_tag,
		.vector		= p->route.vector,
		.ga_root_pa	= p->route.vapic_pa,
	};
	struct amd_ga_irte irte;
	int ret;

	amd_ga_posted_assert_serialised(p);
	/* Without IsRun the IOMMU ignores Destination: keep what fits. */
	if (!is_run && !p->slot.xt && dest > AMD_GA_DEST8_MAX)
		cfg.dest = 0;
	ret = amd_ga_irte_make_guest(&cfg, p->slot.xt, &irte);
	if (ret)
		return ret;
	return amd_ga_irte_slot_write(&p->slot, &irte);
}

/*
 * Upstream's (cpu, ga_log_intr) pair: IsRun follows from a valid cpu; a
 * vCPU without one keeps the Destination it had.
 */
static int amd_ga_posted_write_guest_cpu(struct amd_ga_posted *p, int cpu,
					 bool ga_log_intr)
{
	if (cpu >= 0)
		return amd_ga_posted_write_guest(p, true, cpu, false);
	return amd_ga_posted_write_guest(p, false,
					 amd_ga_irte_dest(amd_ga_posted_irte(p)),
					 ga_log_intr);
}

/**
 * amd_ga_posted_write_host() - put the IRTE back in remapped mode
 * @p: the posted IRTE
 *
 * The host's vector and destination, as last given by the owner.
 *
 * Context: @p->lock held, and the vCPU's lock if @p is attached.
 * Return: 0 or the IRT store's error.
 */
int amd_ga_posted_write_host(struct amd_ga_posted *p)
{
	struct amd_ga_irte irte;
	int ret;

	amd_ga_posted_assert_serialised(p);
	ret = amd_ga_irte_make_remap(&p->host, p->slot.xt, &irte);
	if (ret)
		return ret;
	return amd_ga_irte_slot_write(&p->slot, &irte);
}

/**
 * amd_ga_posted_route_pending() - is the route's vector pending in its IRR?
 * @route: a route whose backing page is still the caller's
 *
 * Return: true if the vector's bit is set in the backing page IRR.
 */
bool amd_ga_posted_route_pending(const struct amd_ga_posted_route *route)
{
	return amd_ga_vapic_irr_test(route->vapic, route->vector);
}

/*
 * Route-change kicks wait here for the kick work to hand them to the
 * notifier: the route-change entry points run under the hypervisor's raw
 * spinlocks (v6.17's svm->ir_list_lock, raw from v6.18), and KVM's
 * notifier takes a spinlock_t, which sleeps on PREEMPT_RT.
 *
 * The set holds distinct tags, so several kicks of one vCPU before the
 * work runs are delivered once, after the last of them (one wake-up makes
 * the vCPU re-check its whole IRR). It is static: allocating (even
 * GFP_ATOMIC) under a raw spinlock is not allowed on PREEMPT_RT, so an
 * allocation failure cannot lose a kick either. It fills only if the work
 * is starved while AMD_GA_KICK_MAX different vCPUs are left an interrupt
 * by route changes; see amd_ga_posted_kick() for what happens then.
 * @amd_ga_kick_lock (raw, irqsave: kicks come with interrupts on or off)
 * protects @amd_ga_kick_tags and @amd_ga_kick_nr. A scan of the set under
 * it costs the number of kicks pending, almost always none or one.
 */
#define AMD_GA_KICK_MAX		1024
#define AMD_GA_KICK_BATCH	32

static DEFINE_RAW_SPINLOCK(amd_ga_kick_lock);
static u32 amd_ga_kick_tags[AMD_GA_KICK_MAX];
static unsigned int amd_ga_kick_nr;

/*
 * The kick work: batches of tags off the set, each batch handed to the
 * notifier under rcu_read_lock() as the GA log drain does, until the set
 * is empty. A kworker is process context, where the notifier also runs
 * from the GA log IRQ thread: lockdep's wait-type check accepts the
 * spinlock_t it takes, on PREEMPT_RT as without it.
 */
static void amd_ga_posted_kick_work(struct work_struct *work)
{
	u32 batch[AMD_GA_KICK_BATCH];
	unsigned long flags;
	unsigned int i, n;

	do {
		raw_spin_lock_irqsave(&amd_ga_kick_lock, flags);
		n = min_t(unsigned int, amd_ga_kick_nr, AMD_GA_KICK_BATCH);
		amd_ga_kick_nr -= n;
		memcpy(batch, &amd_ga_kick_tags[amd_ga_kick_nr],
		       n * sizeof(*batch));
		raw_spin_unlock_irqrestore(&amd_ga_kick_lock, flags);

		rcu_read_lock();
		for (i = 0; i < n; i++)
			amd_ga_galog_wake_tag(batch[i]);
		rcu_read_unlock();
		cond_resched();
	} while (n);
}

static DECLARE_WORK(amd_ga_kick_work, amd_ga_posted_kick_work);

/**
 * amd_ga_posted_kick() - wake the vCPU of a GATag through the notifier, later
 * @ga_tag: the tag of the route an interrupt may have been left in
 *
 * Records @ga_tag and queues the kick work, which hands it to the GA log
 * notifier from process context. If the set of pending tags is full (the
 * work starved for long), the tag is handed to the notifier right here,
 * as before the kick was deferred, with a warning: a lost wake-up is
 * worse than a lock nested wrongly on PREEMPT_RT.
 *
 * Context: any but NMI, including under raw spinlocks with interrupts
 * off; does not sleep.
 */
void amd_ga_posted_kick(u32 ga_tag)
{
	unsigned long flags;
	bool queued = true;
	unsigned int i;

	/* amd_ga_galog_wake_tag() would refuse it; no vCPU carries it. */
	if (!amd_ga_gatag_in_layout(ga_tag))
		return;
	raw_spin_lock_irqsave(&amd_ga_kick_lock, flags);
	for (i = 0; i < amd_ga_kick_nr; i++)
		if (amd_ga_kick_tags[i] == ga_tag)
			break;
	if (i == amd_ga_kick_nr) {
		if (amd_ga_kick_nr < AMD_GA_KICK_MAX)
			amd_ga_kick_tags[amd_ga_kick_nr++] = ga_tag;
		else
			queued = false;
	}
	raw_spin_unlock_irqrestore(&amd_ga_kick_lock, flags);
	/*
	 * Also for a tag already in the set: the work that will take it off
	 * is pending or running and loops until the set is empty, so this
	 * only costs a test of its PENDING bit.
	 */
	if (queued) {
		queue_work(system_highpri_wq, &amd_ga_kick_work);
		return;
	}
	amd_ga_warn_ratelimited("%u route-change kicks pending: waking GATag %#x synchronously\n",
				AMD_GA_KICK_MAX, ga_tag);
	rcu_read_lock();
	amd_ga_galog_wake_tag(ga_tag);
	rcu_read_unlock();
}

/**
 * amd_ga_posted_kick_flush() - deliver every route-change kick queued so far
 *
 * Description: Returns when every tag whose amd_ga_posted_kick() returned
 * before this call has been handed to the notifier registered at that
 * point (or found none registered), and the kick work is idle. Unregistering
 * the GA log notifier calls it first, so that no kick reaches a notifier
 * after amd_ga_register_ga_log_notifier(NULL) returned and none queued
 * before is lost to it; amd_ga_posted_exit() calls it so that the work
 * never runs after the module is gone.
 *
 * Context: process context, may sleep; not from the notifier (the kick
 * work would wait for itself).
 */
void amd_ga_posted_kick_flush(void)
{
	flush_work(&amd_ga_kick_work);
}

/**
 * amd_ga_posted_create() - make an IRTE postable to vCPUs
 * @ref: the entry in the IRT store; its table must use the 128-bit format
 * @host: the host's remapped-mode route (written now, restored whenever
 *	guest mode ends)
 * @host_irq: the Linux IRQ the entry serves, so that a hypervisor can find
 *	it with amd_ga_irq_set_vcpu_affinity(); negative for none
 *
 * Called by whoever owns the entry (allocated it in the IRT store, or
 * wraps the built-in driver's table). The posted IRTE claims the entry in
 * the IRT store (amd_ga_irte_claim()), which from then on refuses every
 * other writer, and writes it in remapped mode from @host.
 *
 * Context: process context, may sleep.
 * Return: the posted IRTE, or ERR_PTR(-EINVAL) for a bad reference, a
 * 32-bit table or a bad @host, ERR_PTR(-EOPNOTSUPP) if the IOMMU has no
 * guest mode, ERR_PTR(-EEXIST) if the entry or @host_irq is registered
 * already, ERR_PTR(-ENOENT) for an entry not allocated, ERR_PTR(-ENOMEM),
 * or the IRT store's error.
 */
struct amd_ga_posted *amd_ga_posted_create(const struct amd_ga_irte_ref *ref,
					   const struct amd_ga_remap_cfg *host,
					   int host_irq)
{
	struct amd_ga_posted *p;
	unsigned long flags;
	int ret;

	if (!ref || !host)
		return ERR_PTR(-EINVAL);

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	raw_spin_lock_init(&p->lock);
	INIT_LIST_HEAD(&p->vnode.node);
	p->vnode.data = p;
	p->vnode.posted = p;
	p->host = *host;
	p->host_irq = host_irq < 0 ? -1 : host_irq;

	/* The store checks @ref and keeps one posted IRTE per entry. */
	ret = amd_ga_irte_claim(ref, &p->lock, &p->slot);
	if (ret)
		goto err_free;
	if (!amd_ga_guest_mode_ok(p->slot.ref.iommu)) {
		ret = -EOPNOTSUPP;
		goto err_unclaim;
	}
	raw_spin_lock_irqsave(&p->lock, flags);
	ret = amd_ga_posted_write_host(p);
	raw_spin_unlock_irqrestore(&p->lock, flags);
	if (ret)
		goto err_unclaim;

	mutex_lock(&amd_ga_posted_mutex);
	if (p->host_irq >= 0) {
		ret = xa_insert(&amd_ga_posted_irqs, p->host_irq, p, GFP_KERNEL);
		if (ret) {
			ret = ret == -EBUSY ? -EEXIST : ret;
			goto err_unlock;
		}
	}
	list_add_tail_rcu(&p->node, &amd_ga_posted_list);
	mutex_unlock(&amd_ga_posted_mutex);
	return p;

err_unlock:
	mutex_unlock(&amd_ga_posted_mutex);
err_unclaim:
	raw_spin_lock_irqsave(&p->lock, flags);
	amd_ga_irte_unclaim(&p->slot);
	raw_spin_unlock_irqrestore(&p->lock, flags);
err_free:
	kfree(p);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_posted_create);

static void amd_ga_posted_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct amd_ga_posted, rcu));
}

/**
 * amd_ga_posted_destroy() - the owner no longer lets the IRTE be posted
 * @p: the posted IRTE, or NULL
 *
 * The entry goes back to the host's remapped route and leaves any vCPU
 * list; later calls on its cookie fail with -ENODEV. As on a detach, the
 * vCPU it posted to is woken (amd_ga_posted_kick()) if its vector was left
 * pending in that vCPU's IRR. If a consumer still holds the cookie (it
 * claimed it, or attached it to a vCPU), the object stays allocated until
 * amd_ga_posted_exit() so that those calls stay safe; otherwise it is
 * freed after a grace period.
 *
 * Context: process context, may sleep.
 */
void amd_ga_posted_destroy(struct amd_ga_posted *p)
{
	struct amd_ga_vcpu *vcpu;
	bool held, kick = false;
	unsigned long flags;
	u32 tag = 0;

	if (IS_ERR_OR_NULL(p))
		return;
	mutex_lock(&amd_ga_posted_mutex);
	raw_spin_lock_irqsave(&p->lock, flags);
	vcpu = p->vnode.vcpu;
	held = p->claimed || vcpu;
	/* Posting on a route: an interrupt may be left in its IRR. */
	if (p->routed && amd_ga_posted_guest(p)) {
		tag = p->route.ga_tag;
		kick = true;
	}
	if (vcpu) {
		raw_spin_lock(&vcpu->lock);
		amd_ga_posted_write_host(p);
		amd_ga_vcpu_irte_unlink(vcpu, &p->vnode);
		amd_ga_irte_slot_set_lock(&p->slot, &p->lock);
		raw_spin_unlock(&vcpu->lock);
	} else if (amd_ga_posted_guest(p)) {
		amd_ga_posted_write_host(p);
	}
	/* Checked after the entry left the route, as a detach does. */
	kick = kick && amd_ga_posted_route_pending(&p->route);
	p->dead = true;
	p->claimed = false;
	p->routed = false;
	/* Nothing stores to it any more: its owner may free the entry. */
	amd_ga_irte_unclaim(&p->slot);
	raw_spin_unlock_irqrestore(&p->lock, flags);

	if (p->host_irq >= 0)
		xa_erase(&amd_ga_posted_irqs, p->host_irq);
	list_del_rcu(&p->node);
	if (held) {
		pr_warn("IRTE %u (IRQ %d) destroyed while a hypervisor still holds it\n",
			p->slot.ref.index, p->host_irq);
		list_add(&p->zombie, &amd_ga_posted_zombies);
	}
	mutex_unlock(&amd_ga_posted_mutex);
	if (!held)
		call_rcu(&p->rcu, amd_ga_posted_free_rcu);
	if (kick)
		amd_ga_posted_kick(tag);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_posted_destroy);

/**
 * amd_ga_posted_exit() - free what amd_ga_posted_destroy() had to keep
 *
 * Description: Called when amd-ga goes away: no module that could still
 * hold a cookie (kvm-amd depends on amd_ga) is loaded any more. Also runs
 * the route-change kicks and the frees queued with call_rcu() so far;
 * module exit calls amd_ga_dispatch_exit() after it, whose rcu_barrier()
 * is the last word on every deferred free of amd-ga.
 *
 * Context: process context, may sleep.
 */
void amd_ga_posted_exit(void)
{
	struct amd_ga_posted *p, *tmp;

	/* No route-change kick may run once the module text is gone. */
	amd_ga_posted_kick_flush();
	/* Frees queued by amd_ga_posted_destroy() run first. */
	rcu_barrier();
	mutex_lock(&amd_ga_posted_mutex);
	list_for_each_entry_safe(p, tmp, &amd_ga_posted_zombies, zombie) {
		list_del(&p->zombie);
		kfree(p);
	}
	mutex_unlock(&amd_ga_posted_mutex);
}

/**
 * amd_ga_posted_set_host() - the host's route for the IRQ changed
 * @p: the posted IRTE
 * @host: the new remapped-mode route (host irq affinity, say)
 *
 * Written now if the entry is remapped; recorded for later if it is in
 * guest mode (the host does not touch a posted interrupt).
 *
 * Context: any; does not sleep (the invalidation wait is bounded).
 * Return: 0, -ENODEV after amd_ga_posted_destroy(), -EINVAL or -ERANGE
 * for a bad @host, or the IRT store's error.
 */
int amd_ga_posted_set_host(struct amd_ga_posted *p,
			   const struct amd_ga_remap_cfg *host)
{
	struct amd_ga_irte check;
	unsigned long flags;
	int ret;

	if (!p || !host)
		return -EINVAL;
	ret = amd_ga_irte_make_remap(host, p->slot.xt, &check);
	if (ret)
		return ret;
	raw_spin_lock_irqsave(&p->lock, flags);
	if (p->dead) {
		ret = -ENODEV;
	} else {
		p->host = *host;
		/* An IRTE on a vCPU's list is in guest mode: no vCPU lock here. */
		if (!amd_ga_posted_guest(p))
			ret = amd_ga_posted_write_host(p);
	}
	raw_spin_unlock_irqrestore(&p->lock, flags);
	return ret;
}

/**
 * amd_ga_irq_posting_available() - can amd-ga post host IRQs to vCPUs?
 *
 * Description: What kvm_amd asks where it used to ask irq_remapping_cap(IRQ_POSTING_CAP):
 * with amd-ga owning the IOMMU, the built-in driver reports no capability.
 *
 * Return: true if at least one Linux IRQ has an IRTE amd-ga can post.
 */
bool amd_ga_irq_posting_available(void)
{
	return !xa_empty(&amd_ga_posted_irqs);
}
EXPORT_SYMBOL_NS_GPL(amd_ga_irq_posting_available, AMD_GA_NS);

/**
 * amd_ga_irq_get_posted() - the posted IRTE of a host IRQ
 * @host_irq: a Linux IRQ number
 *
 * The cookie the per-IRTE and per-vCPU entry points take. It stays valid
 * as long as the IRQ's owner keeps the IRTE registered; after that, calls
 * on it fail with -ENODEV.
 *
 * Context: any.
 * Return: the posted IRTE, or NULL if amd-ga does not remap @host_irq.
 */
struct amd_ga_posted *amd_ga_irq_get_posted(unsigned int host_irq)
{
	return xa_load(&amd_ga_posted_irqs, host_irq);
}
EXPORT_SYMBOL_NS_GPL(amd_ga_irq_get_posted, AMD_GA_NS);

/**
 * amd_ga_irq_set_vcpu_affinity() - post a host IRQ to a vCPU, or stop
 * @host_irq: the Linux IRQ
 * @pi: the vCPU's route and state; NULL to give the IRQ back to the host
 *
 * What irq_set_vcpu_affinity() does for kvm_amd with the built-in driver.
 * With @pi: record the route (backing page, vector, GATag), then put the
 * IRTE in guest mode if @pi->is_guest_mode (IsRun and Destination from
 * @pi->cpu, GALogIntr from @pi->ga_log_intr), else in remapped mode; hand
 * out the cookie in @pi->ir_data and the previous guest-mode GATag in
 * @pi->prev_ga_tag. The caller then holds the cookie for amd_ga_update_ga()
 * and friends. With NULL: remapped mode, and the cookie is released
 * (amd_ga_update_ga() on it fails with -EINVAL until the next claim).
 *
 * If the IRQ had posted to another vector or page, that route's vCPU is
 * woken when its IRR shows the vector pending afterwards (an interrupt may
 * have landed there while the IOMMU still cached the old route).
 *
 * Context: any but NMI, also under raw spinlocks with interrupts off
 * (v6.17's kvm_amd holds svm->ir_list_lock, raw from v6.18); waits
 * (bounded) for the invalidation. The old route's vCPU is woken later,
 * from a workqueue (see amd_ga_posted_kick()).
 * Return: 0; -ENODEV if amd-ga does not remap @host_irq (then
 * @pi->is_guest_mode is cleared, so the caller keeps nothing); -EBUSY if
 * the IRTE is attached to an amd-ga vCPU record; -EINVAL or -ERANGE for a
 * bad route or @pi->cpu (nothing changed); the IRT store's error.
 */
int amd_ga_irq_set_vcpu_affinity(unsigned int host_irq,
				 struct amd_ga_pi_data *pi)
{
	struct amd_ga_posted_route old, route = {};
	bool was_guest, kick, valid = false;
	struct amd_ga_posted *p;
	unsigned long flags;
	int ret = 0;

	rcu_read_lock();
	p = xa_load(&amd_ga_posted_irqs, host_irq);
	if (!p) {
		rcu_read_unlock();
		if (pi)
			pi->is_guest_mode = false;
		return -ENODEV;
	}
	/* Destroy marks it dead under the lock before it can be freed. */
	raw_spin_lock_irqsave(&p->lock, flags);
	rcu_read_unlock();
	if (p->dead) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (p->vnode.vcpu) {
		ret = -EBUSY;
		goto out_unlock;
	}
	/*
	 * A guest-mode request needs a valid route. A remapped-mode one may
	 * carry one (v6.17 records it for a later activation) or not (v6.1
	 * leaves those fields unset): it is kept only if it is valid.
	 */
	if (pi) {
		ret = amd_ga_posted_check_route(pi->vapic_addr, pi->vector,
						pi->ga_tag, &route);
		if (!ret && pi->is_guest_mode && !p->slot.xt &&
		    pi->cpu > (int)AMD_GA_DEST8_MAX)
			ret = -ERANGE;
		if (ret && pi->is_guest_mode)
			goto out_unlock;
		valid = !ret;
		ret = 0;
	}

	old = p->route;
	was_guest = amd_ga_posted_guest(p);
	if (!pi) {
		if (was_guest)
			ret = amd_ga_posted_write_host(p);
		p->claimed = false;
		p->routed = false;
		p->cached_tag = 0;
	} else {
		pi->prev_ga_tag = p->cached_tag;
		pi->ir_data = p;
		p->claimed = true;
		if (pi->is_guest_mode) {
			p->route = route;
			p->routed = true;
			ret = amd_ga_posted_write_guest_cpu(p, pi->cpu,
							    pi->ga_log_intr);
			if (!ret)
				p->cached_tag = route.ga_tag;
		} else {
			if (valid) {
				p->route = route;
				p->routed = true;
			}
			ret = amd_ga_posted_write_host(p);
			if (!ret)
				p->cached_tag = 0;
		}
	}
	kick = was_guest &&
	       (!amd_ga_posted_guest(p) || p->route.vapic != old.vapic ||
		p->route.vector != old.vector) &&
	       amd_ga_posted_route_pending(&old);
	raw_spin_unlock_irqrestore(&p->lock, flags);
	if (kick)
		amd_ga_posted_kick(old.ga_tag);
	return ret;

out_unlock:
	raw_spin_unlock_irqrestore(&p->lock, flags);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(amd_ga_irq_set_vcpu_affinity, AMD_GA_NS);

/*
 * May a per-IRTE consumer use this posted IRTE? It must exist (the owner
 * did not destroy it), no vCPU record may drive it, and it must be
 * claimed.
 */
static int amd_ga_posted_check_claimed(struct amd_ga_posted *p)
{
	lockdep_assert_held(&p->lock);
	if (p->dead)
		return -ENODEV;
	if (p->vnode.vcpu)
		return -EBUSY;
	return p->claimed ? 0 : -EINVAL;
}

/**
 * amd_ga_activate_guest_mode() - post the IRTE on its recorded route
 * @p: the posted IRTE amd_ga_irq_set_vcpu_affinity() handed out
 * @cpu: host physical APIC ID of the vCPU's pCPU, or -1 if it does not run
 * @ga_log_intr: with @cpu < 0: GA log interrupts (the vCPU is blocking)
 *
 * Upstream's amd_iommu_activate_guest_mode() of v6.17: a full rewrite of
 * the entry (GuestMode, root pointer, vector, GATag, IsRun, Destination,
 * GALogIntr) followed by the invalidation; also when it already was in
 * guest mode, so that a new GATag is never left out.
 *
 * Context: any, including under raw spinlocks; waits (bounded) for the
 * invalidation.
 * Return: 0; -EINVAL for NULL, an IRTE never routed to a vCPU or
 * released; -ENODEV if the IRTE's owner destroyed it; -EBUSY if a vCPU
 * record drives it; -ERANGE for a @cpu the table cannot hold; the IRT
 * store's error.
 */
int amd_ga_activate_guest_mode(struct amd_ga_posted *p, int cpu,
			       bool ga_log_intr)
{
	unsigned long flags;
	int ret;

	if (!p)
		return -EINVAL;
	raw_spin_lock_irqsave(&p->lock, flags);
	ret = amd_ga_posted_check_claimed(p);
	if (!ret)
		ret = p->routed ?
		      amd_ga_posted_write_guest_cpu(p, cpu, ga_log_intr) :
		      -EINVAL;
	raw_spin_unlock_irqrestore(&p->lock, flags);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(amd_ga_activate_guest_mode, AMD_GA_NS);

/**
 * amd_ga_deactivate_guest_mode() - back to the host's remapped route
 * @p: the posted IRTE amd_ga_irq_set_vcpu_affinity() handed out
 *
 * The entry takes the host's vector and destination again (AVIC inhibit).
 * The consumer keeps @p and may activate it again; until then
 * amd_ga_update_ga() on it does nothing and returns 0, as upstream.
 *
 * Context: any, including under raw spinlocks; waits (bounded) for the
 * invalidation.
 * Return: 0; -EINVAL for NULL or a released IRTE; -ENODEV if the owner
 * destroyed it; -EBUSY if a vCPU record drives it; the IRT store's error.
 */
int amd_ga_deactivate_guest_mode(struct amd_ga_posted *p)
{
	unsigned long flags;
	int ret;

	if (!p)
		return -EINVAL;
	raw_spin_lock_irqsave(&p->lock, flags);
	ret = amd_ga_posted_check_claimed(p);
	if (!ret && amd_ga_posted_guest(p))
		ret = amd_ga_posted_write_host(p);
	raw_spin_unlock_irqrestore(&p->lock, flags);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(amd_ga_deactivate_guest_mode, AMD_GA_NS);

/**
 * amd_ga_update_ga() - a vCPU was loaded, put or is blocking
 * @p: the posted IRTE amd_ga_irq_set_vcpu_affinity() handed out
 * @cpu: host physical APIC ID of the pCPU the vCPU now runs on, or -1
 * @ga_log_intr: with @cpu < 0: GA log interrupts (true only when blocking)
 *
 * Upstream's amd_iommu_update_ga() of v6.17. A valid @cpu: IsRun = 1,
 * Destination = @cpu, GALogIntr = 0. Otherwise: IsRun = 0, Destination
 * kept, GALogIntr = @ga_log_intr. One cmpxchg16b and no command queue
 * traffic (these fields are not cached). An entry not in guest mode is
 * left alone.
 *
 * Context: any, including under raw spinlocks with interrupts off.
 * Return: 0 (also when not in guest mode); -EINVAL for NULL or a
 * released IRTE; -ENODEV if the owner destroyed it; -EBUSY if a vCPU
 * record drives it; -ERANGE for a @cpu above 255 without XTEn.
 */
int amd_ga_update_ga(struct amd_ga_posted *p, int cpu, bool ga_log_intr)
{
	unsigned long flags;
	int ret = 0;

	if (!p)
		return -EINVAL;
	raw_spin_lock_irqsave(&p->lock, flags);
	ret = amd_ga_posted_check_claimed(p);
	if (ret || !amd_ga_posted_guest(p))
		goto out;
	if (cpu < 0)
		amd_ga_posted_store_run(p, false, AMD_GA_POSTED_DEST_KEEP,
					ga_log_intr);
	else if (!p->slot.xt && cpu > (int)AMD_GA_DEST8_MAX)
		ret = -ERANGE;
	else
		amd_ga_posted_store_run(p, true, cpu, false);
out:
	raw_spin_unlock_irqrestore(&p->lock, flags);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(amd_ga_update_ga, AMD_GA_NS);

/**
 * amd_ga_posted_recover() - wake blocked vCPUs whose GA log entry was lost
 *
 * Description: For every posted IRTE in guest mode with IsRun = 0 and GALogIntr = 1
 * (its vCPU blocks) whose vector is pending in its backing page, hand its
 * GATag to the notifier. This covers IRTEs driven per IRTE (kvm_amd),
 * which no amd-ga vCPU record knows about; run it after the GA log
 * dropped entries.
 *
 * Context: process context, no raw spinlock held.
 * Return: the number of tags handed to the notifier successfully.
 */
unsigned int amd_ga_posted_recover(void)
{
	struct amd_ga_posted *p;
	unsigned int woken = 0;
	unsigned long flags;
	bool pending;
	u32 tag;
	u64 lo;

	rcu_read_lock();
	list_for_each_entry_rcu(p, &amd_ga_posted_list, node) {
		raw_spin_lock_irqsave(&p->lock, flags);
		/*
		 * The entry itself, as the IOMMU reads it (a vCPU's load or
		 * put may store to it meanwhile); destroy unclaimed it.
		 */
		lo = p->routed ? amd_ga_irte_slot_read_lo(&p->slot) : 0;
		pending = (lo & AMD_GA_IRTE_LO_GUEST_MODE) &&
			  !(lo & AMD_GA_IRTE_LO_IS_RUN) &&
			  (lo & AMD_GA_IRTE_LO_GALOG_INTR) &&
			  amd_ga_posted_route_pending(&p->route);
		tag = p->route.ga_tag;
		raw_spin_unlock_irqrestore(&p->lock, flags);
		if (pending && !amd_ga_galog_wake_tag(tag))
			woken++;
	}
	rcu_read_unlock();
	return woken;
}
