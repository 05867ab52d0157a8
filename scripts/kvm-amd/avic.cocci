// SPDX-License-Identifier: GPL-2.0-only
//
// kvm_amd's AVIC posted-interrupt code (arch/x86/kvm/svm/avic.c, Linux 6.1)
// on amd-ga instead of the built-in AMD IOMMU driver, with the v6.17
// semantics of GA log interrupts: only a blocking vCPU asks for them, a
// preempted one never does.
//
// What changes and why:
//  - amd_iommu_* and irq_set_vcpu_affinity() become their amd_ga_*
//    counterparts (a module cannot re-export what vmlinux exports, so
//    amd-ga's entry points have their own names and the v6.17 argument
//    order: cookie first, then cpu, then ga_log_intr).
//  - IsRun follows from a valid cpu: load passes the host APIC ID and
//    ga_log_intr = false, put passes -1 and ga_log_intr = "blocking".
//    avic_vcpu_put() becomes __avic_vcpu_put(vcpu, is_blocking) plus a
//    wrapper; avic_vcpu_blocking() calls it with true, before the caller
//    re-checks the IRR (kvm_vcpu_check_block()).
//  - Guest-mode activation (AVIC uninhibit) takes the vCPU's current pCPU
//    from its physical ID entry, under ir_list_lock as load/put do.
//  - A new route starts with cpu = -1 and GA log interrupts on: KVM 6.1
//    does not record whether a vCPU that is not running blocks or was
//    preempted, and a spurious wake-up is harmless where a lost one is not.
//    svm_ir_list_add() then points a running vCPU's IRTE at its pCPU.
//  - Every IRTE of the vCPU is updated even if one update fails (v6.17).
//  - The GATag vCPU field becomes 12 bits (4096 vCPUs, as v6.19): amd-ga
//    hands the notifier the raw tag and drops tags whose VM field is 0 in
//    its own layout (at most 12 bits), so KVM's VM ID must sit above bit 11.
//  - ir_list_lock becomes a raw spinlock (as v6.18, fd92bd3b4445): it is
//    taken from the scheduler's vcpu_load/vcpu_put paths, which must not
//    sleep on PREEMPT_RT; amd-ga takes only raw spinlocks below it.
//  - avic_pi_update_irte() asks amd-ga whether posting is available (with
//    the built-in driver off, irq_remapping_cap() is always false) and
//    leaves IRQs that amd-ga does not remap (-ENODEV) with the host.

@include@
@@
 #include <linux/amd-iommu.h>
+#include <linux/amd-ga.h>

@gatag_vcpu_mask@
@@
-#define AVIC_VCPU_ID_MASK AVIC_PHYSICAL_MAX_INDEX_MASK
+#define AVIC_VCPU_ID_MASK GENMASK(11, 0)

@gatag_vm_shift@
@@
-#define AVIC_VM_ID_SHIFT HWEIGHT32(AVIC_PHYSICAL_MAX_INDEX_MASK)
+#define AVIC_VM_ID_SHIFT HWEIGHT32(AVIC_VCPU_ID_MASK)

@notifier@
expression fn;
@@
- amd_iommu_register_ga_log_notifier(fn)
+ amd_ga_register_ga_log_notifier(fn)

// The vCPU's pCPU for an IRTE update, read under ir_list_lock.
// Activation (AVIC uninhibit) targets the pCPU the vCPU runs on, read from
// its physical ID entry under ir_list_lock as load/put do.
@activate_helper depends on notifier@
identifier set_mode = avic_set_pi_irte_mode;
typedef u64;
@@
+/* amd-ga: guest mode aimed at the vCPU's pCPU, GA log interrupts if none. */
+static int avic_ga_activate(struct vcpu_svm *svm, void *data)
+{
+	u64 entry = READ_ONCE(*(svm->avic_physical_id_cache));
+
+	lockdep_assert_held(&svm->ir_list_lock);
+	if (entry & AVIC_PHYSICAL_ID_ENTRY_IS_RUNNING_MASK)
+		return amd_ga_activate_guest_mode(data,
+				entry & AVIC_PHYSICAL_ID_ENTRY_HOST_PHYSICAL_ID_MASK,
+				false);
+	/*
+	 * Blocking or preempted is not known here: ask for GA log interrupts,
+	 * a spurious wake-up is harmless where a lost one is not.
+	 */
+	return amd_ga_activate_guest_mode(data, -1, true);
+}
+
 set_mode(...)
 {
 ...
 }

@activate depends on activate_helper@
identifier set_mode = avic_set_pi_irte_mode;
expression cookie;
@@
 set_mode(...)
 {
 <...
(
- amd_iommu_activate_guest_mode(cookie)
+ avic_ga_activate(svm, cookie)
|
- amd_iommu_deactivate_guest_mode(cookie)
+ amd_ga_deactivate_guest_mode(cookie)
)
 ...>
 }

@update_ga@
typedef bool;
identifier affinity = avic_update_iommu_vcpu_affinity;
identifier vcpu, cpu, r, ret;
symbol ir, data;
@@
 affinity(struct kvm_vcpu *vcpu, int cpu,
-	  bool r
+	  bool ga_log_intr
 )
 {
 <...
- ret = amd_iommu_update_ga(cpu, r, ir->data);
- if (ret)
-	return ret;
+ ret = amd_ga_update_ga(ir->data, cpu, ga_log_intr);
+ WARN_ON_ONCE(ret);
 ...>
 }

@load depends on update_ga@
identifier affinity = avic_update_iommu_vcpu_affinity;
expression vcpu, apicid;
symbol true;
@@
 affinity(vcpu, apicid,
-	 true
+	 false
 )

@put depends on update_ga@
typedef bool;
identifier affinity = avic_update_iommu_vcpu_affinity;
identifier put = avic_vcpu_put;
identifier vcpu;
@@
-void put(struct kvm_vcpu *vcpu)
+static void __avic_vcpu_put(struct kvm_vcpu *vcpu, bool is_blocking)
 {
 <...
 affinity(vcpu, -1,
-	  0
+	  is_blocking
 )
 ...>
 }
+void avic_vcpu_put(struct kvm_vcpu *vcpu)
+{
+	__avic_vcpu_put(vcpu, false);
+}

@blocking depends on put@
identifier blocking = avic_vcpu_blocking;
expression vcpu;
@@
 blocking(...)
 {
 <...
- avic_vcpu_put(vcpu);
+ __avic_vcpu_put(vcpu, true);
 ...>
 }

@list_add_running@
expression apicid, cookie;
symbol true;
@@
- amd_iommu_update_ga(apicid, true, cookie)
+ amd_ga_update_ga(cookie, apicid, false)

@pi_type@
@@
- struct amd_iommu_pi_data
+ struct amd_ga_pi_data

@pi_base@
struct amd_ga_pi_data pi;
expression e;
@@
- pi.base = e;
+ pi.vapic_addr = e;

@pi_vcpu_data@
struct amd_ga_pi_data pi;
identifier info;
@@
- pi.vcpu_data = &info;
+ pi.vector = info.vector;
+ pi.cpu = -1;
+ pi.ga_log_intr = true;

@set_affinity@
expression irq, arg;
identifier ret;
@@
- ret = irq_set_vcpu_affinity(irq, arg);
+ ret = amd_ga_irq_set_vcpu_affinity(irq, arg);
+ if (ret == -ENODEV)
+	ret = 0;

@posting_cap@
@@
- irq_remapping_cap(IRQ_POSTING_CAP)
+ amd_ga_irq_posting_available()

@raw_lock@
expression e, flags;
@@
(
- spin_lock_init(&e->ir_list_lock)
+ raw_spin_lock_init(&e->ir_list_lock)
|
- spin_lock_irqsave(&e->ir_list_lock, flags)
+ raw_spin_lock_irqsave(&e->ir_list_lock, flags)
|
- spin_unlock_irqrestore(&e->ir_list_lock, flags)
+ raw_spin_unlock_irqrestore(&e->ir_list_lock, flags)
)
