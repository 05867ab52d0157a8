// SPDX-License-Identifier: GPL-2.0-only
/* amd_iommu_update_ga(void *data, int cpu, bool ga_log_intr) (6.17) */
#include <linux/amd-iommu.h>

static int (*amd_ga_probe)(void *data, int cpu, bool ga_log_intr) __used =
	amd_iommu_update_ga;
