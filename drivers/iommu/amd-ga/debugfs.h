/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amd-ga's debugfs tree, /sys/kernel/debug/amd-ga/, and the counter
 * summary printed by the demo. Every file is read-only and root-only.
 *
 *	amd-ga/gatag_layout		GATag layout of this build
 *	amd-ga/<iommu>/features		EFR, EFR2, decoded
 *	amd-ga/<iommu>/control		Control register (shadow), decoded
 *	amd-ga/<iommu>/status		Status register (live), decoded
 *	amd-ga/<iommu>/galog		GA log registers, head, tail, pending
 *	amd-ga/<iommu>/counters		struct amd_ga_stats, one "name value"
 *					line per counter
 *	amd-ga/<iommu>/irt		the interrupt remapping tables of the
 *					devices amd-ga owns, decoded (while
 *					interrupt remapping is enabled)
 */
#ifndef AMD_GA_DEBUGFS_H
#define AMD_GA_DEBUGFS_H

#include <linux/types.h>

struct amd_ga_iommu;

#define AMD_GA_DEBUGFS_ROOT	"amd-ga"

void amd_ga_debugfs_add_iommu(struct amd_ga_iommu *iommu);
void amd_ga_debugfs_remove_iommu(struct amd_ga_iommu *iommu);
void amd_ga_debugfs_add_irt(struct amd_ga_iommu *iommu);
void amd_ga_debugfs_remove_irt(struct amd_ga_iommu *iommu);

unsigned int amd_ga_stats_nr(void);
const char *amd_ga_stats_name(unsigned int i);
u64 amd_ga_stats_value(const struct amd_ga_iommu *iommu, unsigned int i);
void amd_ga_stats_report(const struct amd_ga_iommu *iommu,
			 const char *prefix);

#endif /* AMD_GA_DEBUGFS_H */
