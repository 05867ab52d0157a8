/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amd-ga: the API kvm_amd (or any hypervisor) uses for device posted
 * interrupts on AMD IOMMUs: guest-mode IRTE activation, the per-vCPU
 * load/put/blocking updates, the GA log notifier and the GATag registry.
 *
 * A module cannot re-export the amd_iommu_* symbols vmlinux already
 * exports, so every entry point here is named amd_ga_*.
 */
#ifndef _LINUX_AMD_GA_H
#define _LINUX_AMD_GA_H

#include <linux/types.h>

/* GA log notifier and GATag registry */

struct amd_ga_vm;
struct amd_ga_vcpu;

/*
 * The notifier gets the GATag of every valid GA log entry (a vCPU that
 * was not running received a posted interrupt) and of every blocked vCPU
 * found pending after the log overflowed. It runs in the GA log IRQ
 * thread under rcu_read_lock() and must not sleep; it returns 0 when it
 * woke a vCPU and -ENOENT for an unknown tag. NULL unregisters and
 * returns only when no call is in flight.
 */
int amd_ga_register_ga_log_notifier(int (*notifier)(u32 ga_tag));

/* GATag registry: VM ID allocation and GATag -> vCPU lookup. */
struct amd_ga_vm *amd_ga_vm_create(u32 max_vcpus, void *priv);
void amd_ga_vm_destroy(struct amd_ga_vm *vm);
u32 amd_ga_vm_id(const struct amd_ga_vm *vm);
struct amd_ga_vcpu *amd_ga_vcpu_create(struct amd_ga_vm *vm, u32 idx,
				       void *priv);
void amd_ga_vcpu_destroy(struct amd_ga_vcpu *vcpu);
u32 amd_ga_vcpu_ga_tag(const struct amd_ga_vcpu *vcpu);
/* Under rcu_read_lock(), e.g. in the notifier: decode + O(1) lookup. */
struct amd_ga_vcpu *amd_ga_vcpu_lookup(u32 ga_tag);
void *amd_ga_vcpu_priv(const struct amd_ga_vcpu *vcpu);

/* Guest-mode IRTE activation and the per-vCPU hot path */

#endif /* _LINUX_AMD_GA_H */
