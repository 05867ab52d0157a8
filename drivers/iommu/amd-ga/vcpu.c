// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-vCPU record: blocked state, backing page and the list of
 * guest-mode IRTEs, as lossless GA log recovery reads them.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/lockdep.h>

#include "export.h"
#include "vapic.h"
#include "vcpu.h"

/**
 * amd_ga_vcpu_set_backing() - record the vCPU's vAPIC backing page
 * @vcpu: the vCPU
 * @page: kernel address of the backing page, or NULL
 *
 * The page amd_ga_vcpu_attach_irte() posts to and GA log recovery reads
 * the IRR of. Set it before attaching IRTEs: those attached already keep
 * posting to the page they were attached with, until attached again.
 *
 * Context: any; takes @vcpu->lock.
 */
void amd_ga_vcpu_set_backing(struct amd_ga_vcpu *vcpu, void *page)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&vcpu->lock, flags);
	vcpu->backing = page;
	raw_spin_unlock_irqrestore(&vcpu->lock, flags);
}
EXPORT_SYMBOL_NS_GPL(amd_ga_vcpu_set_backing, AMD_GA_NS);

/**
 * amd_ga_vcpu_set_blocked() - record that the vCPU blocks or runs again
 * @vcpu: the vCPU
 * @blocked: true when it is about to sleep
 *
 * For a vCPU whose IRTEs their owner writes itself (amd_ga_vcpu_add_irte()):
 * call it with @blocked = true after those IRTEs say IsRun = 0,
 * GALogIntr = 1 and before the final IRR check; the full barrier at the
 * end orders the state before that check, so a GA log recovery pass
 * either sees the vCPU blocked or the vCPU sees the vector. A vCPU with
 * posted IRTEs attached follows amd_ga_vcpu_blocking() and
 * amd_ga_vcpu_unblocking() instead, which write the IRTEs and the state
 * together: here it is refused, since the state would no longer say what
 * its IRTEs carry.
 *
 * Context: any; takes @vcpu->lock.
 * Return: 0, or -EBUSY if posted IRTEs are attached to @vcpu.
 */
int amd_ga_vcpu_set_blocked(struct amd_ga_vcpu *vcpu, bool blocked)
{
	struct amd_ga_vcpu_irte *irte;
	unsigned long flags;
	int ret = 0;

	raw_spin_lock_irqsave(&vcpu->lock, flags);
	list_for_each_entry(irte, &vcpu->irtes, node)
		if (irte->posted)
			ret = -EBUSY;
	if (!ret)
		vcpu->state = blocked ? AMD_GA_VCPU_BLOCKED : AMD_GA_VCPU_STOPPED;
	raw_spin_unlock_irqrestore(&vcpu->lock, flags);
	/* Order the state before the caller's IRR check (see above). */
	smp_mb();
	return ret;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_vcpu_set_blocked);

/**
 * amd_ga_vcpu_add_irte() - a guest-mode IRTE now posts to this vCPU
 * @vcpu: the vCPU
 * @irte: the entry, on no list
 * @vector: its guest vector
 *
 * Context: any; takes @vcpu->lock.
 * Return: 0, or -EBUSY if @irte is already on a vCPU's list; -EINVAL for
 * the node of a posted IRTE (amd_ga_vcpu_attach_irte() adds those).
 */
int amd_ga_vcpu_add_irte(struct amd_ga_vcpu *vcpu,
			 struct amd_ga_vcpu_irte *irte, u8 vector)
{
	unsigned long flags;
	int ret = 0;

	if (irte->posted)
		return -EINVAL;
	raw_spin_lock_irqsave(&vcpu->lock, flags);
	if (READ_ONCE(irte->vcpu)) {
		ret = -EBUSY;
	} else {
		irte->vector = vector;
		WRITE_ONCE(irte->vcpu, vcpu);
		list_add_tail(&irte->node, &vcpu->irtes);
		vcpu->nr_irtes++;
	}
	raw_spin_unlock_irqrestore(&vcpu->lock, flags);
	return ret;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_vcpu_add_irte);

/**
 * amd_ga_vcpu_irte_unlink() - take an entry off its vCPU's list
 * @vcpu: the vCPU whose list holds @irte, its lock held
 * @irte: the entry
 *
 * The one place the list, the entry's @vcpu and the count change together
 * (for a posted IRTE, its own lock is held as well).
 */
void amd_ga_vcpu_irte_unlink(struct amd_ga_vcpu *vcpu,
			     struct amd_ga_vcpu_irte *irte)
{
	lockdep_assert_held(&vcpu->lock);
	list_del_init(&irte->node);
	WRITE_ONCE(irte->vcpu, NULL);
	/* Every unlink holds the vCPU lock: the entry was counted. */
	WARN_ON_ONCE(!vcpu->nr_irtes);
	vcpu->nr_irtes--;
}

/**
 * amd_ga_vcpu_del_irte() - the IRTE no longer posts to this vCPU
 * @vcpu: the vCPU
 * @irte: an entry on @vcpu's list
 *
 * Context: any; takes @vcpu->lock.
 * Return: 0, or -ENOENT if @irte is not on @vcpu's list; -EINVAL for the
 * node of a posted IRTE (amd_ga_vcpu_detach_irte() removes those).
 */
int amd_ga_vcpu_del_irte(struct amd_ga_vcpu *vcpu,
			 struct amd_ga_vcpu_irte *irte)
{
	unsigned long flags;
	int ret = 0;

	if (irte->posted)
		return -EINVAL;
	raw_spin_lock_irqsave(&vcpu->lock, flags);
	if (irte->vcpu != vcpu)
		ret = -ENOENT;
	else
		amd_ga_vcpu_irte_unlink(vcpu, irte);
	raw_spin_unlock_irqrestore(&vcpu->lock, flags);
	return ret;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_vcpu_del_irte);

/**
 * amd_ga_vcpu_irr_pending_locked() - is a vector of the vCPU's IRTEs pending?
 * @vcpu: the vCPU, its lock held
 *
 * Return: true if the backing page IRR holds the vector of at least one
 * guest-mode IRTE posting to @vcpu.
 */
bool amd_ga_vcpu_irr_pending_locked(struct amd_ga_vcpu *vcpu)
{
	struct amd_ga_vcpu_irte *irte;

	lockdep_assert_held(&vcpu->lock);
	if (!vcpu->backing)
		return false;
	list_for_each_entry(irte, &vcpu->irtes, node)
		if (amd_ga_vapic_irr_test(vcpu->backing, irte->vector))
			return true;
	return false;
}

/**
 * amd_ga_vcpu_needs_wake() - is the vCPU blocked with a posted vector pending?
 * @vcpu: the vCPU
 *
 * What GA log recovery asks after an overflow dropped entries.
 *
 * Context: any; takes @vcpu->lock.
 * Return: true if @vcpu is blocked and one of its IRTEs' vectors is
 * pending in its IRR.
 */
bool amd_ga_vcpu_needs_wake(struct amd_ga_vcpu *vcpu)
{
	unsigned long flags;
	bool ret;

	raw_spin_lock_irqsave(&vcpu->lock, flags);
	ret = vcpu->state == AMD_GA_VCPU_BLOCKED &&
	      amd_ga_vcpu_irr_pending_locked(vcpu);
	raw_spin_unlock_irqrestore(&vcpu->lock, flags);
	return ret;
}
