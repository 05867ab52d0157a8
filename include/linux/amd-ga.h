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

/* Guest-mode IRTE activation and the per-vCPU hot path */

#endif /* _LINUX_AMD_GA_H */
