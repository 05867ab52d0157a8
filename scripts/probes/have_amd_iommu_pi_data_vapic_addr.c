// SPDX-License-Identifier: GPL-2.0-only
/* struct amd_iommu_pi_data has vapic_addr, no prev_ga_tag (6.17) */
#include <linux/amd-iommu.h>
#include <asm/irq_remapping.h>

static u64 __used amd_ga_probe(struct amd_iommu_pi_data *pi)
{
	return pi->vapic_addr;
}
