/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A driver side for the software IOMMU model, for tests and the
 * benchmark, made of the module's own pieces: the IOMMU enable sequence
 * (command queue, device table, GAEn, the GA log), XTEn, and one IRT
 * from the IRT store per device with every index allocated, written
 * through the IRT store's writers. Model tests that poke the tables the
 * model reads get pointers into them.
 */
#ifndef AMD_GA_MODELENV_H
#define AMD_GA_MODELENV_H

#include <linux/types.h>

#include "irt.h"
#include "irte.h"
#include "model.h"

#define AMD_GA_ENV_MAX_DEVS	256	/* DeviceIDs 0 .. 255 */
#define AMD_GA_ENV_IRT_ENTRIES	AMD_GA_IRT_ENTRIES

/**
 * struct amd_ga_modelenv - a model and the tables a driver gives it
 * @model: the software IOMMU
 * @iommu: its core instance, enabled by amd_ga_iommu_enable()
 * @ndevs: devices 0..@ndevs - 1 have an IRT
 * @irt: IRT of each device, from the IRT store and attached, with all
 *	AMD_GA_ENV_IRT_ENTRIES indices allocated
 */
struct amd_ga_modelenv {
	struct amd_ga_model *model;
	struct amd_ga_iommu *iommu;
	unsigned int ndevs;
	struct amd_ga_irt *irt[AMD_GA_ENV_MAX_DEVS];
};

int amd_ga_modelenv_init(struct amd_ga_modelenv *env, unsigned int ndevs,
			 const struct amd_ga_model_ops *ops, void *ctx);
void amd_ga_modelenv_exit(struct amd_ga_modelenv *env);
int amd_ga_modelenv_cmd(struct amd_ga_modelenv *env, u64 c0, u64 c1);
int amd_ga_modelenv_inv_irt(struct amd_ga_modelenv *env, u16 devid);
int amd_ga_modelenv_inv_dte(struct amd_ga_modelenv *env, u16 devid);
struct amd_ga_irte *amd_ga_modelenv_irte(struct amd_ga_modelenv *env,
					 u16 devid, u32 index);
int amd_ga_modelenv_write_irte(struct amd_ga_modelenv *env, u16 devid,
			       u32 index, const struct amd_ga_irte *irte);
u64 *amd_ga_modelenv_dte(struct amd_ga_modelenv *env, u16 devid);

#endif /* AMD_GA_MODELENV_H */
