// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GA log's consumer and the GATag -> VM -> vCPU registry.
 *
 * The GA log engine (galog.c) is given its consumer: the notifier kvm_amd
 * registers becomes its wake function, stored there only (a static
 * call), and recovery after lost entries walks the registry and the
 * posted IRTEs. The notifier is called from the GA log IRQ thread under
 * rcu_read_lock(), so unregistering (NULL) waits for a grace period and
 * no call is in flight any more afterwards: kvm_amd may unload with
 * entries still in the log.
 *
 * A lookup is lock-free under RCU: the VM ID allocator's xarray maps the
 * ID to the VM (a walk of the same depth for every ID), then one load of
 * the vCPU slot. Its cost does not depend on how many VMs or vCPUs
 * exist. VMs and vCPU records are freed after a grace period, so a
 * drain that races with teardown never touches freed memory.
 *
 * Teardown does not depend on the order of the hypervisor's calls (Linux
 * 6.1 destroys a VM's arch state before its vCPUs, other versions and
 * error paths differ): amd_ga_vm_destroy() unpublishes the VM and its
 * vCPUs and gives their IRTEs back to the host, but the vCPU records stay
 * valid until amd_ga_vcpu_destroy(); the VM's memory goes with the last of
 * them (&amd_ga_vm.refs). Whichever comes first, no IRTE posts into a
 * backing page of the VM or vCPU any more once it returns.
 *
 * Lock order: registry lock, then a posted IRTE's lock, then a vCPU's lock.
 */
#define pr_fmt(fmt) "amd-ga: " fmt

#include <linux/amd-ga.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "dispatch.h"
#include "export.h"
#include "galog.h"
#include "gatag.h"
#include "posted.h"
#include "vcpu.h"

/*
 * The registry lock serialises VM and vCPU creation and destruction, VM
 * ID allocation and release, the VM list and the reference counts of
 * VMs. Readers use RCU only.
 */
static DEFINE_MUTEX(amd_ga_registry_lock);
static LIST_HEAD(amd_ga_vms);
/* VMs allocated: published ones and destroyed ones with vCPU records left. */
static unsigned int amd_ga_vms_allocated;
/*
 * VM ID -> VM, and the only place a VM is published: the xarray holds a
 * VM from amd_ga_vm_create() (which stores it fully initialised) until
 * amd_ga_vm_destroy() erases its ID. Lookups use xa_load() under RCU.
 *
 * The top ID is never handed out: amd_ga_dispatch_init() reserves it, so
 * that the xarray keeps the height the largest ID needs and a lookup
 * walks as many levels with one VM of a low ID as with thousands.
 */
#define AMD_GA_VM_ID_TOP	AMD_GA_GATAG_MAX_VM_ID
static struct amd_ga_vmid_alloc amd_ga_vmids = {
	.xa	= XARRAY_INIT(amd_ga_vmids.xa,
			      XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_IRQ),
	.next	= 1,
	.max	= AMD_GA_VM_ID_TOP - 1,
};

/**
 * amd_ga_register_ga_log_notifier() - set the function GA log entries call
 * @notifier: called with the GATag of every valid GA log entry and for
 *	every blocked vCPU that lossless recovery finds pending; NULL
 *	unregisters
 *
 * The notifier runs in the GA log IRQ thread under rcu_read_lock(): it
 * must not sleep. It returns 0 when it woke a vCPU and -ENOENT for a tag
 * it does not know (amd-ga counts those as stale). It becomes the GA
 * log's wake function (amd_ga_galog_set_wake()), which is where it is
 * stored and what serialises registrations. Unregistering returns only
 * when no call of the previous notifier is in flight.
 *
 * Context: process context; may sleep (the static call is patched).
 * Return: 0.
 */
int amd_ga_register_ga_log_notifier(int (*notifier)(u32 ga_tag))
{
	/*
	 * Route-change kicks queued before an unregistration reach the
	 * notifier they were meant for, not the next one or none.
	 */
	if (!notifier)
		amd_ga_posted_kick_flush();
	amd_ga_galog_set_wake(notifier);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(amd_ga_register_ga_log_notifier, AMD_GA_NS);

/**
 * amd_ga_vcpu_lookup() - the vCPU a GATag names
 * @ga_tag: the tag
 *
 * Lock-free, and its cost does not depend on how many VMs or vCPUs
 * exist, nor on their IDs: xa_load() of the VM ID (a walk of the same
 * few levels for every ID, see amd_ga_vmids), then the vCPU slot.
 *
 * Context: under rcu_read_lock() (the notifier always is); the record
 * stays valid until rcu_read_unlock().
 * Return: the vCPU, or NULL for an unknown or out-of-range tag, a
 * destroyed vCPU or a vCPU of a destroyed VM.
 */
struct amd_ga_vcpu *amd_ga_vcpu_lookup(u32 ga_tag)
{
	u32 vm_id = ga_tag >> AMD_GA_GATAG_VCPU_BITS;
	u32 idx = ga_tag & AMD_GA_GATAG_VCPU_MASK;
	struct amd_ga_vm *vm;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "GATag looked up outside RCU");
	/* NULL for ID 0, a free ID and the reserved top one. */
	vm = xa_load(&amd_ga_vmids.xa, vm_id);
	if (!vm || idx >= vm->max_vcpus)
		return NULL;
	return rcu_dereference(vm->vcpus[idx]);
}
EXPORT_SYMBOL_NS_GPL(amd_ga_vcpu_lookup, AMD_GA_NS);

/**
 * amd_ga_vcpu_priv() - the hypervisor's vCPU behind a record
 * @vcpu: the record
 *
 * Return: the @priv given to amd_ga_vcpu_create().
 */
void *amd_ga_vcpu_priv(const struct amd_ga_vcpu *vcpu)
{
	return vcpu->priv;
}
EXPORT_SYMBOL_NS_GPL(amd_ga_vcpu_priv, AMD_GA_NS);

/**
 * amd_ga_vcpu_ga_tag() - the GATag of a vCPU
 * @vcpu: the record
 *
 * Return: the tag to program into the vCPU's guest-mode IRTEs.
 */
u32 amd_ga_vcpu_ga_tag(const struct amd_ga_vcpu *vcpu)
{
	return vcpu->ga_tag;
}
EXPORT_SYMBOL_NS_GPL(amd_ga_vcpu_ga_tag, AMD_GA_NS);

/**
 * amd_ga_vm_id() - the VM ID of a VM
 * @vm: the VM
 *
 * Return: its ID, 1..AMD_GA_GATAG_MAX_VM_ID - 1.
 */
u32 amd_ga_vm_id(const struct amd_ga_vm *vm)
{
	return vm->id;
}
EXPORT_SYMBOL_NS_GPL(amd_ga_vm_id, AMD_GA_NS);

/*
 * Frees queued with call_rcu() whose callback has not run yet: callbacks
 * are this module's code, so amd_ga_dispatch_exit() must see none left.
 */
static atomic_t amd_ga_rcu_frees = ATOMIC_INIT(0);

static void amd_ga_free_after_gp(struct rcu_head *head, rcu_callback_t fn)
{
	atomic_inc(&amd_ga_rcu_frees);
	call_rcu(head, fn);
}

static void amd_ga_vm_free_rcu(struct rcu_head *head)
{
	kvfree(container_of(head, struct amd_ga_vm, rcu));
	atomic_dec(&amd_ga_rcu_frees);
}

static void amd_ga_vcpu_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct amd_ga_vcpu, rcu));
	atomic_dec(&amd_ga_rcu_frees);
}

/**
 * amd_ga_dispatch_rcu_frees() - registry frees still waiting for RCU
 *
 * Return: VM and vCPU record frees queued with call_rcu() whose
 * callback has not run yet.
 */
unsigned int amd_ga_dispatch_rcu_frees(void)
{
	return atomic_read(&amd_ga_rcu_frees);
}

/**
 * amd_ga_vm_create() - add a VM to the registry and give it a VM ID
 * @max_vcpus: number of vCPU indexes, 1..AMD_GA_GATAG_MAX_VCPU_IDX + 1
 * @priv: the hypervisor's VM
 *
 * VM IDs are handed out cyclically and never twice at the same time.
 * Allocating the ID publishes the VM: it is stored in the allocator's
 * xarray, where amd_ga_vcpu_lookup() finds it, fully initialised and
 * with no vCPU yet.
 *
 * Context: process context, may sleep.
 * Return: the VM, or ERR_PTR(-EINVAL) for a bad @max_vcpus,
 * ERR_PTR(-EBUSY) when every VM ID is in use, ERR_PTR(-ENOMEM).
 */
struct amd_ga_vm *amd_ga_vm_create(u32 max_vcpus, void *priv)
{
	struct amd_ga_vm *vm;
	int ret;

	if (!max_vcpus || max_vcpus > AMD_GA_GATAG_MAX_VCPU_IDX + 1)
		return ERR_PTR(-EINVAL);
	vm = kvzalloc(struct_size(vm, vcpus, max_vcpus), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->priv = priv;
	vm->max_vcpus = max_vcpus;
	vm->refs = 1;

	mutex_lock(&amd_ga_registry_lock);
	/* The xarray's store orders the initialisation above before it. */
	ret = amd_ga_vmid_get(&amd_ga_vmids, vm, &vm->id);
	if (ret) {
		mutex_unlock(&amd_ga_registry_lock);
		kvfree(vm);
		return ERR_PTR(ret);
	}
	list_add_tail(&vm->node, &amd_ga_vms);
	amd_ga_vms_allocated++;
	mutex_unlock(&amd_ga_registry_lock);
	return vm;
}
EXPORT_SYMBOL_NS_GPL(amd_ga_vm_create, AMD_GA_NS);

/* Drop a reference to @vm; the last one frees it after a grace period. */
static void amd_ga_vm_put(struct amd_ga_vm *vm)
{
	lockdep_assert_held(&amd_ga_registry_lock);
	if (--vm->refs)
		return;
	amd_ga_vms_allocated--;
	amd_ga_free_after_gp(&vm->rcu, amd_ga_vm_free_rcu);
}

/*
 * No IRTE may post to @vcpu any more: attaching fails from now on, and
 * every IRTE attached already goes back to its host route, written and
 * invalidated, before this returns. The record stays valid. Registry lock
 * held (it keeps @vcpu allocated); the posted IRTE and vCPU locks are
 * taken inside, in their order.
 */
static void amd_ga_vcpu_kill(struct amd_ga_vcpu *vcpu)
{
	unsigned long flags;

	lockdep_assert_held(&amd_ga_registry_lock);
	raw_spin_lock_irqsave(&vcpu->lock, flags);
	vcpu->dead = true;
	raw_spin_unlock_irqrestore(&vcpu->lock, flags);
	amd_ga_posted_vcpu_release(vcpu);
}

/**
 * amd_ga_vm_destroy() - remove a VM from the registry
 * @vm: the VM
 *
 * Unpublishes the VM and every vCPU record it still has: lookups of their
 * GATags fail from now on (GA log entries that still carry them are
 * skipped as stale), every IRTE attached to one of them is back on its
 * host route, written and invalidated, when this returns, and
 * amd_ga_vcpu_attach_irte() on them fails. The vCPU records stay valid:
 * the caller destroys each with amd_ga_vcpu_destroy(), before or after
 * this call, as its own teardown order has it (Linux 6.1 destroys the
 * VM's arch state first). Load, put, blocking and detach on them remain
 * harmless until then. The VM's memory is freed after a grace period once
 * the VM and its last vCPU record are destroyed; the caller must not use
 * @vm afterwards (nor create vCPUs in it), and must not free the @priv
 * objects it registered until synchronize_rcu() has returned, since a
 * notifier may still hold them.
 *
 * Context: process context, may sleep; no raw spinlock held. Waits
 * (bounded) for the invalidation of each IRTE it gives back.
 */
void amd_ga_vm_destroy(struct amd_ga_vm *vm)
{
	struct amd_ga_vcpu *vcpu;
	u32 i;

	if (IS_ERR_OR_NULL(vm))
		return;
	mutex_lock(&amd_ga_registry_lock);
	if (WARN_ONCE(vm->dead, "VM %u destroyed twice\n", vm->id)) {
		mutex_unlock(&amd_ga_registry_lock);
		return;
	}
	/*
	 * Unpublished: lookups of the ID fail from here on. A new VM may
	 * take it: the old vCPUs can no longer be posted to.
	 */
	amd_ga_vmid_put(&amd_ga_vmids, vm->id);
	list_del(&vm->node);
	vm->dead = true;

	for (i = 0; i < vm->max_vcpus; i++) {
		vcpu = rcu_dereference_protected(vm->vcpus[i],
						 lockdep_is_held(&amd_ga_registry_lock));
		if (vcpu)
			amd_ga_vcpu_kill(vcpu);
	}
	amd_ga_vm_put(vm);
	mutex_unlock(&amd_ga_registry_lock);
}
EXPORT_SYMBOL_NS_GPL(amd_ga_vm_destroy, AMD_GA_NS);

/**
 * amd_ga_vcpu_create() - add a vCPU record to a VM
 * @vm: the VM
 * @idx: vCPU index, below the VM's max_vcpus
 * @priv: the hypervisor's vCPU, handed back by amd_ga_vcpu_priv()
 *
 * The record lives until amd_ga_vcpu_destroy(), also when @vm is
 * destroyed first.
 *
 * Context: process context, may sleep.
 * Return: the record, or ERR_PTR(-EINVAL) for an index out of range,
 * ERR_PTR(-EEXIST) if the index is taken, ERR_PTR(-ESRCH) if @vm was
 * destroyed (while other vCPU records kept it allocated), ERR_PTR(-ENOMEM).
 */
struct amd_ga_vcpu *amd_ga_vcpu_create(struct amd_ga_vm *vm, u32 idx,
				       void *priv)
{
	struct amd_ga_vcpu *vcpu;
	int ret;

	if (idx >= vm->max_vcpus)
		return ERR_PTR(-EINVAL);
	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL);
	if (!vcpu)
		return ERR_PTR(-ENOMEM);
	vcpu->vm = vm;
	vcpu->idx = idx;
	vcpu->priv = priv;
	raw_spin_lock_init(&vcpu->lock);
	INIT_LIST_HEAD(&vcpu->irtes);
	ret = amd_ga_gatag_encode(&amd_ga_gatag_default, vm->id, idx,
				  &vcpu->ga_tag);
	if (ret)
		goto err_free;

	mutex_lock(&amd_ga_registry_lock);
	if (vm->dead || rcu_access_pointer(vm->vcpus[idx])) {
		ret = vm->dead ? -ESRCH : -EEXIST;
		mutex_unlock(&amd_ga_registry_lock);
		goto err_free;
	}
	vm->refs++;
	rcu_assign_pointer(vm->vcpus[idx], vcpu);
	mutex_unlock(&amd_ga_registry_lock);
	return vcpu;

err_free:
	kfree(vcpu);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_NS_GPL(amd_ga_vcpu_create, AMD_GA_NS);

/**
 * amd_ga_vcpu_destroy() - remove a vCPU record
 * @vcpu: the record
 *
 * Every IRTE still attached to the vCPU goes back to its host route,
 * written and invalidated, before this returns, so the caller may free the
 * backing page then (unless amd_ga_vm_destroy() did it already). Lookups
 * of its GATag fail from now on. Called before or after
 * amd_ga_vm_destroy() of its VM, once per record; the record must not be
 * used afterwards. It is freed after a grace period; see
 * amd_ga_vm_destroy() for @priv.
 *
 * Context: process context, may sleep; no raw spinlock held. Waits
 * (bounded) for the invalidation of each IRTE it gives back.
 */
void amd_ga_vcpu_destroy(struct amd_ga_vcpu *vcpu)
{
	struct amd_ga_vm *vm;

	if (IS_ERR_OR_NULL(vcpu))
		return;
	vm = vcpu->vm;
	mutex_lock(&amd_ga_registry_lock);
	/* Unpublished first: no lookup finds a record on its way out. */
	RCU_INIT_POINTER(vm->vcpus[vcpu->idx], NULL);
	amd_ga_vcpu_kill(vcpu);
	amd_ga_free_after_gp(&vcpu->rcu, amd_ga_vcpu_free_rcu);
	amd_ga_vm_put(vm);
	mutex_unlock(&amd_ga_registry_lock);
}
EXPORT_SYMBOL_NS_GPL(amd_ga_vcpu_destroy, AMD_GA_NS);

/**
 * amd_ga_dispatch_recover() - wake every blocked vCPU with a pending vector
 * @checked: if not NULL, set to the number of vCPUs re-checked
 *
 * After the GA log dropped entries (overflow, torn slots) nobody knows
 * which blocked vCPUs lost their wakeup. Every blocked vCPU whose IRR
 * holds the vector of one of its guest-mode IRTEs is handed to the
 * notifier, which wakes it; a spurious wake is harmless, a lost one is not.
 * Called from the GA log IRQ thread (process context); sleeps.
 *
 * Return: the number of vCPUs handed to the notifier successfully.
 */
unsigned int amd_ga_dispatch_recover(unsigned int *checked)
{
	unsigned int woken = 0, seen = 0;
	struct amd_ga_vcpu *vcpu;
	struct amd_ga_vm *vm;
	u32 i;

	mutex_lock(&amd_ga_registry_lock);
	list_for_each_entry(vm, &amd_ga_vms, node) {
		for (i = 0; i < vm->max_vcpus; i++) {
			rcu_read_lock();
			vcpu = rcu_dereference(vm->vcpus[i]);
			seen += !!vcpu;
			if (vcpu && amd_ga_vcpu_needs_wake(vcpu) &&
			    !amd_ga_galog_wake_tag(vcpu->ga_tag))
				woken++;
			rcu_read_unlock();
		}
		cond_resched();
	}
	mutex_unlock(&amd_ga_registry_lock);
	if (checked)
		*checked = seen;
	return woken;
}

/*
 * The GA log's recover function: the vCPUs of the registry, then the
 * IRTEs driven per IRTE (kvm_amd), which have no vCPU record. @checked
 * counts the former.
 */
static unsigned int amd_ga_dispatch_recover_all(unsigned int *checked)
{
	unsigned int woken;

	woken = amd_ga_dispatch_recover(checked);
	woken += amd_ga_posted_recover();
	return woken;
}

/**
 * amd_ga_dispatch_init() - set the registry up as the GA log's consumer
 *
 * Description: Reserves the top VM ID (see amd_ga_vmids) and installs
 * the recovery the GA log runs after it lost entries, before any GA log
 * is enabled. The wake function is the notifier, installed when one
 * registers (amd_ga_register_ga_log_notifier()). Calling it again is
 * harmless.
 *
 * Context: process context, may sleep. Called from module init.
 * Return: 0 or -ENOMEM.
 */
int amd_ga_dispatch_init(void)
{
	int ret;

	ret = xa_reserve_irq(&amd_ga_vmids.xa, AMD_GA_VM_ID_TOP, GFP_KERNEL);
	if (ret)
		return ret;
	amd_ga_galog_set_recover(amd_ga_dispatch_recover_all);
	return 0;
}

/**
 * amd_ga_dispatch_exit() - the registry before amd-ga's code goes away
 *
 * Description: Removes the GA log's recover function (returning when no
 * recovery runs it) and the top VM ID's reservation, then waits until
 * every VM and vCPU record freed after a grace period (call_rcu() in this
 * file, and every other call_rcu() in amd-ga, posted IRTEs included) is
 * gone: their callbacks are code of this module. A VM or vCPU record
 * still allocated now was leaked by a consumer that is gone (consumers
 * depend on amd_ga); it is reported and left alone.
 *
 * Context: process context, may sleep. Called from module exit after
 * everything that may still queue such a free: the GA log IRQ threads,
 * the consumers and amd_ga_posted_exit().
 */
void amd_ga_dispatch_exit(void)
{
	amd_ga_galog_set_recover(NULL);
	xa_erase_irq(&amd_ga_vmids.xa, AMD_GA_VM_ID_TOP);
	mutex_lock(&amd_ga_registry_lock);
	if (amd_ga_vms_allocated)
		pr_warn("%u VMs still allocated at exit: a consumer did not destroy them or all their vCPUs\n",
			amd_ga_vms_allocated);
	mutex_unlock(&amd_ga_registry_lock);
	rcu_barrier();
	WARN_ON_ONCE(amd_ga_dispatch_rcu_frees());
}
