/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IOMMU instance's lifecycle (instance.c): registration and the
 * enable/disable order of the components.
 */
#ifndef AMD_GA_INSTANCE_H
#define AMD_GA_INSTANCE_H

#include <linux/bits.h>

#include "iommu.h"

int amd_ga_iommu_register(struct amd_ga_iommu *iommu);
void amd_ga_iommu_unregister(struct amd_ga_iommu *iommu);

/* amd_ga_iommu_enable() flags */
#define AMD_GA_ENABLE_LEGACY_IRTE	BIT(0)	/* 32-bit IRTEs even with GASup */
#define AMD_GA_ENABLE_IRT_512		BIT(1)	/* 512-entry IRTs even with 2K */

int amd_ga_iommu_enable(struct amd_ga_iommu *iommu, unsigned int flags);
int amd_ga_iommu_disable(struct amd_ga_iommu *iommu);

#endif /* AMD_GA_INSTANCE_H */
