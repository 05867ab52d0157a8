/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest-mode and GA log scenarios on amd-ga's software IOMMU model, driven
 * through the API kvm_amd uses (<linux/amd-ga.h>). QEMU's IOMMU has no
 * guest mode, so the amd_ga_demo module runs these on the model.
 */
#ifndef AMD_GA_GA_SCENARIOS_H
#define AMD_GA_GA_SCENARIOS_H

#include "edu_scenarios.h"

int amd_ga_model_scenarios_run(void (*report)(const struct amd_ga_edu_result *res,
					      void *arg),
			       void *arg, const char *counter_prefix);

#endif /* AMD_GA_GA_SCENARIOS_H */
