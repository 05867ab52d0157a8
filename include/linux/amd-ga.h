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

struct amd_ga_posted;

/**
 * struct amd_ga_pi_data - post a host IRQ to a vCPU, or keep it remapped
 * @vapic_addr: physical address of the vCPU's vAPIC backing page, 4 KiB
 *	aligned, with the SME C-bit when memory encryption is on
 * @ga_tag: GATag copied into GA log entries; its VM field must not be 0
 * @vector: guest vector, 0..255
 * @cpu: host physical APIC ID of the pCPU the vCPU runs on, or -1 if it
 *	does not run (IsRun follows from a valid @cpu)
 * @ga_log_intr: with @cpu < 0: write a GA log entry for each interrupt
 *	(the vCPU is blocking); ignored with a valid @cpu
 * @is_guest_mode: true to post; false to keep the IRTE remapped to the
 *	host while the caller still tracks it
 * @prev_ga_tag: out: the GATag the IRTE carried if it was in guest mode
 *	before the call, else 0 (what callers before v6.17 used to find the
 *	vCPU list that held the IRTE)
 * @ir_data: out: the posted IRTE, for amd_ga_update_ga() and friends (a
 *	consumer may keep it in an untyped field, as kvm_amd's ir->data)
 *
 * The fields and their meaning are those of v6.17's struct
 * amd_iommu_pi_data, plus @prev_ga_tag.
 */
struct amd_ga_pi_data {
	u64 vapic_addr;
	u32 ga_tag;
	u32 vector;
	int cpu;
	bool ga_log_intr;
	bool is_guest_mode;
	u32 prev_ga_tag;
	struct amd_ga_posted *ir_data;
};

bool amd_ga_irq_posting_available(void);
struct amd_ga_posted *amd_ga_irq_get_posted(unsigned int host_irq);
int amd_ga_irq_set_vcpu_affinity(unsigned int host_irq,
				 struct amd_ga_pi_data *pi);

/*
 * Upstream-shaped (v6.17) per-IRTE entry points, on what @ir_data handed
 * out; NULL returns -EINVAL.
 */
int amd_ga_activate_guest_mode(struct amd_ga_posted *p, int cpu,
			       bool ga_log_intr);
int amd_ga_deactivate_guest_mode(struct amd_ga_posted *p);
int amd_ga_update_ga(struct amd_ga_posted *p, int cpu, bool ga_log_intr);

/*
 * Per vCPU: its list of posted IRTEs and the run-state hot path. Load,
 * put, blocking and unblocking may come in any order; blocking lasts
 * until unblocking, whatever load or put comes between (posted_vcpu.c).
 */
void amd_ga_vcpu_set_backing(struct amd_ga_vcpu *vcpu, void *page);
int amd_ga_vcpu_attach_irte(struct amd_ga_vcpu *vcpu, struct amd_ga_posted *p,
			    u32 vector);
int amd_ga_vcpu_detach_irte(struct amd_ga_vcpu *vcpu,
			    struct amd_ga_posted *p);
int amd_ga_vcpu_load(struct amd_ga_vcpu *vcpu, u32 apic_id);
int amd_ga_vcpu_put(struct amd_ga_vcpu *vcpu);
int amd_ga_vcpu_blocking(struct amd_ga_vcpu *vcpu);
int amd_ga_vcpu_unblocking(struct amd_ga_vcpu *vcpu, u32 apic_id);

#endif /* _LINUX_AMD_GA_H */
