/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal driver side for the software IOMMU model, for tests and the
 * benchmark: a device table, one 512-entry IRT per device, a command
 * buffer with COMPLETION_WAIT, and the GA log enabled. Once the IRT
 * store and the IOMMU enable sequence are in place this fixture shrinks
 * to calls into them.
 */
#ifndef AMD_GA_MODELENV_H
#define AMD_GA_MODELENV_H

#include <linux/spinlock.h>
#include <linux/types.h>

#include "irte.h"
#include "model.h"

#define AMD_GA_ENV_MAX_DEVS	256	/* device table of 2 pages */
#define AMD_GA_ENV_IRT_ENTRIES	512

/**
 * struct amd_ga_modelenv - a model and the tables a driver gives it
 * @model: the software IOMMU
 * @iommu: its core instance
 * @ndevs: devices 0..@ndevs - 1 have an IRT
 * @devtab: device table, AMD_GA_ENV_MAX_DEVS entries of 4 qwords
 * @irt: IRT of each device, AMD_GA_ENV_IRT_ENTRIES 128-bit entries
 * @cmd_lock: serialises the command buffer, @cmd_tail and @cw_seq
 * @cmdbuf: 512 commands of 2 qwords
 * @cmd_tail: byte offset of the next command; @cmd_lock
 * @cw_sem: COMPLETION_WAIT store target
 * @cw_seq: last sequence number stored; @cmd_lock
 */
struct amd_ga_modelenv {
	struct amd_ga_model *model;
	struct amd_ga_iommu *iommu;
	unsigned int ndevs;
	u64 *devtab;
	struct amd_ga_irte *irt[AMD_GA_ENV_MAX_DEVS];
	raw_spinlock_t cmd_lock;
	u64 *cmdbuf;
	u32 cmd_tail;
	u64 *cw_sem;
	u64 cw_seq;
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
