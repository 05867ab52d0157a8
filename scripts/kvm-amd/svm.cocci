// SPDX-License-Identifier: GPL-2.0-only
//
// kvm_amd's svm.c and svm.h (Linux 6.1) for the amd-ga pairing:
//  - unregister the GA log notifier when kvm-amd's hardware setup is undone
//    (module unload included; upstream only does so since v6.18,
//    adc6ae972971): amd-ga outlives kvm-amd, and a GA log entry that
//    arrives later would otherwise call into unloaded code. Registering
//    NULL returns only when no call of the notifier is in flight.
//  - ir_list_lock becomes a raw spinlock (see avic.cocci).

@include@
@@
 #include <linux/amd-iommu.h>
+#include <linux/amd-ga.h>

@unsetup depends on include@
identifier unsetup = svm_hardware_unsetup;
statement S;
@@
 unsetup(...)
 {
 ... when != S
+	amd_ga_register_ga_log_notifier(NULL);
 sev_hardware_unsetup();
 ...
 }

@raw_lock_field@
@@
 struct vcpu_svm {
 ...
- spinlock_t ir_list_lock;
+ raw_spinlock_t ir_list_lock;
 ...
 };
