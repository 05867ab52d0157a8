// SPDX-License-Identifier: GPL-2.0-only
/*
 * Driver-side fixture for the software IOMMU model (tests, benchmark).
 */
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "atomic128.h"
#include "galog.h"
#include "modelenv.h"

#define ENV_TABLE_ORDER		1	/* 8 KiB: device table, IRT, command buffer */
#define ENV_CW_TIMEOUT_US	10000

static void *env_alloc(void)
{
	return (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, ENV_TABLE_ORDER);
}

static void env_free(void *p)
{
	if (p)
		free_pages((unsigned long)p, ENV_TABLE_ORDER);
}

/**
 * amd_ga_modelenv_dte() - the device table entry of a device
 * @env: the fixture
 * @devid: requester ID below AMD_GA_ENV_MAX_DEVS
 *
 * Return: its four qwords.
 */
u64 *amd_ga_modelenv_dte(struct amd_ga_modelenv *env, u16 devid)
{
	return &env->devtab[devid * AMD_GA_DTE_QWORDS];
}
EXPORT_SYMBOL_GPL(amd_ga_modelenv_dte);

/**
 * amd_ga_modelenv_irte() - where IRTE @index of @devid lives
 * @env: the fixture
 * @devid: a device below @env->ndevs
 * @index: IRT index below AMD_GA_ENV_IRT_ENTRIES
 *
 * Return: the entry in the table the model reads, or NULL if out of range.
 */
struct amd_ga_irte *amd_ga_modelenv_irte(struct amd_ga_modelenv *env,
					 u16 devid, u32 index)
{
	if (devid >= env->ndevs || index >= AMD_GA_ENV_IRT_ENTRIES)
		return NULL;
	return &env->irt[devid][index];
}
EXPORT_SYMBOL_GPL(amd_ga_modelenv_irte);

/**
 * amd_ga_modelenv_cmd() - queue one command and wait for it with COMPLETION_WAIT
 * @env: the fixture
 * @c0: first qword
 * @c1: second qword
 *
 * Context: any; busy-waits (bounded) with a raw spinlock held.
 * Return: 0, or -ETIMEDOUT if the completion-wait store never came.
 */
int amd_ga_modelenv_cmd(struct amd_ga_modelenv *env, u64 c0, u64 c1)
{
	struct amd_ga_iommu *iommu = env->iommu;
	unsigned long flags;
	u64 seq, val;
	u32 t;
	int ret;

	raw_spin_lock_irqsave(&env->cmd_lock, flags);
	seq = ++env->cw_seq;
	t = env->cmd_tail / sizeof(u64);
	env->cmdbuf[t] = c0;
	env->cmdbuf[t + 1] = c1;
	t = (t + 2) % (AMD_GA_CMD_ENTRIES * 2);
	env->cmdbuf[t] = FIELD_PREP(AMD_GA_CMD_OPCODE, AMD_GA_CMD_COMPLETION_WAIT) |
			 AMD_GA_CMD_CW_STORE |
			 (virt_to_phys(env->cw_sem) & AMD_GA_CMD_CW_ADDR);
	env->cmdbuf[t + 1] = seq;
	t = (t + 2) % (AMD_GA_CMD_ENTRIES * 2);
	env->cmd_tail = t * sizeof(u64);
	/* Commands are in memory before the tail moves. */
	wmb();
	amd_ga_write(iommu, AMD_GA_MMIO_CMD_TAIL, env->cmd_tail);
	ret = read_poll_timeout_atomic(READ_ONCE, val, (s64)(val - seq) >= 0,
				       1, ENV_CW_TIMEOUT_US, false,
				       *env->cw_sem);
	raw_spin_unlock_irqrestore(&env->cmd_lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(amd_ga_modelenv_cmd);

/**
 * amd_ga_modelenv_inv_irt() - INVALIDATE_INTERRUPT_TABLE + COMPLETION_WAIT
 * @env: the fixture
 * @devid: the device
 *
 * Return: 0 or -ETIMEDOUT.
 */
int amd_ga_modelenv_inv_irt(struct amd_ga_modelenv *env, u16 devid)
{
	return amd_ga_modelenv_cmd(env, FIELD_PREP(AMD_GA_CMD_OPCODE, AMD_GA_CMD_INV_IRT) |
				   FIELD_PREP(AMD_GA_CMD_DEVID, devid), 0);
}
EXPORT_SYMBOL_GPL(amd_ga_modelenv_inv_irt);

/**
 * amd_ga_modelenv_inv_dte() - INVALIDATE_DEVTAB_ENTRY + COMPLETION_WAIT
 * @env: the fixture
 * @devid: the device
 *
 * Return: 0 or -ETIMEDOUT.
 */
int amd_ga_modelenv_inv_dte(struct amd_ga_modelenv *env, u16 devid)
{
	return amd_ga_modelenv_cmd(env, FIELD_PREP(AMD_GA_CMD_OPCODE,
						   AMD_GA_CMD_INV_DEVTAB_ENTRY) |
				   FIELD_PREP(AMD_GA_CMD_DEVID, devid), 0);
}
EXPORT_SYMBOL_GPL(amd_ga_modelenv_inv_dte);

/**
 * amd_ga_modelenv_write_irte() - store an IRTE and invalidate if needed
 * @env: the fixture
 * @devid: the device
 * @index: the IRT index
 * @irte: the new entry
 *
 * One 128-bit atomic store; INVALIDATE_INTERRUPT_TABLE + COMPLETION_WAIT
 * only when a field the IOMMU may cache changed.
 *
 * Context: any.
 * Return: 0, -EINVAL out of range, -ETIMEDOUT.
 */
int amd_ga_modelenv_write_irte(struct amd_ga_modelenv *env, u16 devid,
			       u32 index, const struct amd_ga_irte *irte)
{
	struct amd_ga_irte *p = amd_ga_modelenv_irte(env, devid, index);
	struct amd_ga_irte old;

	if (!p)
		return -EINVAL;
	old = amd_ga_load128(p);
	amd_ga_store128(p, irte);
	if (!amd_ga_irte_needs_inval(&old, irte))
		return 0;
	return amd_ga_modelenv_inv_irt(env, devid);
}
EXPORT_SYMBOL_GPL(amd_ga_modelenv_write_irte);

static void env_free_tables(struct amd_ga_modelenv *env)
{
	unsigned int i;

	for (i = 0; i < AMD_GA_ENV_MAX_DEVS; i++)
		env_free(env->irt[i]);
	env_free(env->devtab);
	env_free(env->cmdbuf);
	kfree(env->cw_sem);
}

/**
 * amd_ga_modelenv_init() - a model with tables, command buffer and GA log
 * @env: the fixture, zeroed by the caller
 * @ndevs: devices 0..@ndevs - 1 get a 512-entry IRT (at most 256)
 * @ops: the model's output callbacks
 * @ctx: their argument
 *
 * Programs the device table (IV, IntCtl = remap, IntTabLen = 512), the
 * command buffer, Control (IOMMUEn, CmdBufEn, GAEn, GAMEn = vAPIC, XTEn)
 * and enables the GA log.
 *
 * Context: process context.
 * Return: 0 or a negative errno.
 */
int amd_ga_modelenv_init(struct amd_ga_modelenv *env, unsigned int ndevs,
			 const struct amd_ga_model_ops *ops, void *ctx)
{
	unsigned int i;
	u64 *dte;
	int ret;

	if (!ndevs || ndevs > AMD_GA_ENV_MAX_DEVS)
		return -EINVAL;
	env->ndevs = ndevs;
	raw_spin_lock_init(&env->cmd_lock);
	env->devtab = env_alloc();
	env->cmdbuf = env_alloc();
	env->cw_sem = kzalloc(sizeof(*env->cw_sem), GFP_KERNEL);
	if (!env->devtab || !env->cmdbuf || !env->cw_sem)
		goto err_nomem;
	for (i = 0; i < ndevs; i++) {
		env->irt[i] = env_alloc();
		if (!env->irt[i])
			goto err_nomem;
		dte = amd_ga_modelenv_dte(env, i);
		dte[AMD_GA_DTE_IRQ_QWORD] =
			AMD_GA_DTE2_IV |
			FIELD_PREP(AMD_GA_DTE2_INT_TAB_LEN, AMD_GA_DTE_INT_TAB_LEN_512) |
			(virt_to_phys(env->irt[i]) & AMD_GA_DTE2_INT_TAB_ROOT) |
			FIELD_PREP(AMD_GA_DTE2_INT_CTL, AMD_GA_DTE_INT_CTL_REMAP);
	}

	env->model = amd_ga_model_create(ops, ctx);
	if (IS_ERR(env->model)) {
		ret = PTR_ERR(env->model);
		env->model = NULL;
		goto err_tables;
	}
	env->iommu = &env->model->iommu;
	amd_ga_write(env->iommu, AMD_GA_MMIO_DEVTAB_BASE,
		     virt_to_phys(env->devtab) |
		     FIELD_PREP(AMD_GA_DEVTAB_BASE_SIZE, 1));
	amd_ga_write(env->iommu, AMD_GA_MMIO_CMD_BASE,
		     virt_to_phys(env->cmdbuf) |
		     FIELD_PREP(AMD_GA_CMD_BASE_LEN, AMD_GA_CMD_LEN_CODE_512));
	amd_ga_write(env->iommu, AMD_GA_MMIO_CMD_HEAD, 0);
	amd_ga_write(env->iommu, AMD_GA_MMIO_CMD_TAIL, 0);
	amd_ga_ctrl_update(env->iommu, 0,
			   AMD_GA_CTRL_IOMMU_EN | AMD_GA_CTRL_CMD_BUF_EN |
			   AMD_GA_CTRL_GA_EN | AMD_GA_CTRL_XT_EN |
			   FIELD_PREP(AMD_GA_CTRL_GAM_EN, AMD_GA_CTRL_GAM_VAPIC));

	/* Until the IOMMU enable sequence does it. */
	ret = amd_ga_galog_enable(env->iommu);
	if (ret)
		goto err_model;
	return 0;

err_nomem:
	ret = -ENOMEM;
	goto err_tables;
err_model:
	amd_ga_model_destroy(env->model);
	env->model = NULL;
err_tables:
	env_free_tables(env);
	return ret;
}
EXPORT_SYMBOL_GPL(amd_ga_modelenv_init);

/**
 * amd_ga_modelenv_exit() - tear the fixture down
 * @env: the fixture
 *
 * Context: process context.
 */
void amd_ga_modelenv_exit(struct amd_ga_modelenv *env)
{
	if (env->iommu) {
		amd_ga_galog_disable(env->iommu);
		amd_ga_ctrl_update(env->iommu, ~0ULL, 0);
	}
	amd_ga_model_destroy(env->model);
	env->model = NULL;
	env->iommu = NULL;
	env_free_tables(env);
}
EXPORT_SYMBOL_GPL(amd_ga_modelenv_exit);
