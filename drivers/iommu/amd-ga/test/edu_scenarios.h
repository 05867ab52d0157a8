/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Remapping scenarios against a real IOMMU with QEMU's edu device
 * (1234:11e8) as the interrupt source. Shared by the KUnit suite and the
 * amd_ga_demo module.
 */
#ifndef AMD_GA_EDU_SCENARIOS_H
#define AMD_GA_EDU_SCENARIOS_H

#include <linux/types.h>

struct amd_ga_edu;
struct amd_ga_iommu;

#define AMD_GA_EDU_TEXT	64

/**
 * struct amd_ga_edu_result - the outcome of one scenario
 * @name: "irte32.identity", ... (no spaces)
 * @pass: what was seen is what was expected
 * @expected: what should happen, e.g. "vec0x22@cpu0" or "none"
 * @seen: what happened, in the same notation
 */
struct amd_ga_edu_result {
	char name[32];
	bool pass;
	char expected[AMD_GA_EDU_TEXT];
	char seen[AMD_GA_EDU_TEXT];
};

/**
 * enum amd_ga_edu_format - the IRTE format a scenario runs with
 * @AMD_GA_EDU_IRTE32: legacy 32-bit IRTEs, GAEn = 0
 * @AMD_GA_EDU_IRTE128: 128-bit IRTEs, GAEn = 1
 */
enum amd_ga_edu_format {
	AMD_GA_EDU_IRTE32,
	AMD_GA_EDU_IRTE128,
};

int amd_ga_edu_open(struct amd_ga_iommu *iommu, struct amd_ga_edu **out);
void amd_ga_edu_close(struct amd_ga_edu *edu);
int amd_ga_edu_use_format(struct amd_ga_edu *edu, enum amd_ga_edu_format fmt);

void amd_ga_edu_identity(struct amd_ga_edu *edu, struct amd_ga_edu_result *res);
void amd_ga_edu_second_vector(struct amd_ga_edu *edu,
			      struct amd_ga_edu_result *res);
void amd_ga_edu_other_cpu(struct amd_ga_edu *edu, struct amd_ga_edu_result *res);
void amd_ga_edu_remap_disabled(struct amd_ga_edu *edu,
			       struct amd_ga_edu_result *res);
void amd_ga_edu_invalidations(struct amd_ga_edu *edu,
			      struct amd_ga_edu_result *res);
void amd_ga_edu_reenable_cycles(struct amd_ga_edu *edu, unsigned int cycles,
				struct amd_ga_edu_result *res);

int amd_ga_edu_run_all(struct amd_ga_iommu *iommu,
		       void (*report)(const struct amd_ga_edu_result *res,
				      void *arg),
		       void *arg);

#endif /* AMD_GA_EDU_SCENARIOS_H */
