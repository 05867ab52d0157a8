/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Discovery of the AMD IOMMUs amd-ga drives on its own (probe.c).
 */
#ifndef AMD_GA_PROBE_H
#define AMD_GA_PROBE_H

struct amd_ga_iommu;

int amd_ga_probe_all(void);
void amd_ga_remove_all(void);
int amd_ga_enable_all(unsigned int flags);
void amd_ga_disable_all(void);
struct amd_ga_iommu *amd_ga_first_iommu(void);

#endif /* AMD_GA_PROBE_H */
