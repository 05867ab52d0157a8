// SPDX-License-Identifier: GPL-2.0-only
/*
 * Driver side for the software IOMMU model (tests, benchmark), built on
 * the IOMMU enable sequence, the command queue, the device table and the
 * IRT store (see modelenv.h).
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/spinlock.h>

#include "cmdq.h"
#include "devtab.h"
#include "export.h"
#include "instance.h"
#include "iommu.h"
#include "modelenv.h"

/**
 * amd_ga_modelenv_dte() - the device table entry of a device
 * @env: the fixture
 * @devid: a DeviceID
 *
 * Return: its four qwords in the device table the model reads, for tests
 * that change an entry behind the driver's back.
 */
u64 *amd_ga_modelenv_dte(struct amd_ga_modelenv *env, u16 devid)
{
	return &env->iommu->devtab->entries[devid * AMD_GA_DTE_QWORDS];
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_modelenv_dte);

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
	return (struct amd_ga_irte *)env->irt[devid]->entries + index;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_modelenv_irte);

/*
 * The command queue only issues COMPLETION_WAITs of its own (a store, no
 * interrupt). A model test's own one, e.g. with the interrupt bit, goes
 * into the same ring under the queue's lock, and the queue's next wait
 * then covers it.
 */
static int env_own_completion_wait(struct amd_ga_iommu *iommu,
				   const struct amd_ga_cmd *cmd)
{
	struct amd_ga_cmdq *q = iommu->cmdq;
	struct amd_ga_cmd *slot;
	unsigned long flags;
	u32 head;

	raw_spin_lock_irqsave(&q->lock, flags);
	head = amd_ga_read(iommu, AMD_GA_MMIO_CMD_HEAD) & (AMD_GA_CMDQ_BYTES - 1);
	if (((head - q->tail - AMD_GA_CMD_SIZE) & (AMD_GA_CMDQ_BYTES - 1)) <
	    AMD_GA_CMD_SIZE) {
		raw_spin_unlock_irqrestore(&q->lock, flags);
		return -EBUSY;
	}
	slot = &q->ring[q->tail / AMD_GA_CMD_SIZE];
	WRITE_ONCE(slot->q[0], cmd->q[0]);
	WRITE_ONCE(slot->q[1], cmd->q[1]);
	q->count[AMD_GA_CMD_COMPLETION_WAIT]++;
	q->tail = (q->tail + AMD_GA_CMD_SIZE) & (AMD_GA_CMDQ_BYTES - 1);
	amd_ga_write(iommu, AMD_GA_MMIO_CMD_TAIL, q->tail);
	raw_spin_unlock_irqrestore(&q->lock, flags);
	return amd_ga_cmdq_sync(iommu);
}

/**
 * amd_ga_modelenv_cmd() - queue one command and wait for it with COMPLETION_WAIT
 * @env: the fixture
 * @c0: first qword
 * @c1: second qword
 *
 * Through the IOMMU's command queue (amd_ga_cmdq_submit()), except for a
 * COMPLETION_WAIT (see env_own_completion_wait()).
 *
 * Context: any; busy-waits, bounded by the queue's timeout.
 * Return: 0, -EBUSY if the ring is full, -ETIMEDOUT if the
 * completion-wait store never came.
 */
int amd_ga_modelenv_cmd(struct amd_ga_modelenv *env, u64 c0, u64 c1)
{
	struct amd_ga_cmd cmd = { .q = { c0, c1 } };

	if (amd_ga_cmd_opcode(&cmd) == AMD_GA_CMD_COMPLETION_WAIT)
		return env_own_completion_wait(env->iommu, &cmd);
	return amd_ga_cmdq_submit(env->iommu, &cmd, 1, true);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_modelenv_cmd);

/**
 * amd_ga_modelenv_inv_irt() - INVALIDATE_INTERRUPT_TABLE + COMPLETION_WAIT
 * @env: the fixture
 * @devid: the device
 *
 * Return: 0 or -ETIMEDOUT.
 */
int amd_ga_modelenv_inv_irt(struct amd_ga_modelenv *env, u16 devid)
{
	struct amd_ga_cmd cmd;
	int ret;

	ret = amd_ga_cmd_make_inv_irt(devid, &cmd);
	return ret ? ret : amd_ga_cmdq_submit(env->iommu, &cmd, 1, true);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_modelenv_inv_irt);

/**
 * amd_ga_modelenv_inv_dte() - INVALIDATE_DEVTAB_ENTRY + COMPLETION_WAIT
 * @env: the fixture
 * @devid: the device
 *
 * Return: 0 or -ETIMEDOUT.
 */
int amd_ga_modelenv_inv_dte(struct amd_ga_modelenv *env, u16 devid)
{
	struct amd_ga_cmd cmd;
	int ret;

	ret = amd_ga_cmd_make_inv_dte(devid, &cmd);
	return ret ? ret : amd_ga_cmdq_submit(env->iommu, &cmd, 1, true);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_modelenv_inv_dte);

/**
 * amd_ga_modelenv_write_irte() - store an IRTE through the IRT store
 * @env: the fixture
 * @devid: the device
 * @index: the IRT index
 * @irte: the new entry
 *
 * amd_ga_irte_write(): one 128-bit atomic store; INVALIDATE_INTERRUPT_TABLE
 * + COMPLETION_WAIT only when a field the IOMMU may cache changed.
 *
 * Context: any.
 * Return: 0, -EINVAL out of range, or amd_ga_irte_write()'s error.
 */
int amd_ga_modelenv_write_irte(struct amd_ga_modelenv *env, u16 devid,
			       u32 index, const struct amd_ga_irte *irte)
{
	struct amd_ga_irte_ref ref;
	int ret;

	if (devid >= env->ndevs)
		return -EINVAL;
	ret = amd_ga_irte_ref_init(&ref, env->irt[devid], index);
	return ret ? ret : amd_ga_irte_write(&ref, irte);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_modelenv_write_irte);

/* Free every allocated index of @irt, then the table. */
static void env_destroy_table(struct amd_ga_irt *irt)
{
	struct amd_ga_irte_ref ref;
	unsigned int i;

	if (IS_ERR_OR_NULL(irt))
		return;
	for (i = 0; i < AMD_GA_ENV_IRT_ENTRIES; i++)
		if (!amd_ga_irte_ref_init(&ref, irt, i))
			amd_ga_irte_free(&ref);
	amd_ga_irt_destroy(irt);
}

static void env_destroy_tables(struct amd_ga_modelenv *env)
{
	unsigned int i;

	for (i = 0; i < env->ndevs; i++) {
		env_destroy_table(env->irt[i]);
		env->irt[i] = NULL;
	}
	env->ndevs = 0;
}

/* A table for @devid, attached, every index allocated. */
static struct amd_ga_irt *env_table(struct amd_ga_iommu *iommu, u16 devid)
{
	struct amd_ga_irte_ref ref;
	struct amd_ga_irt *irt;
	unsigned int i;
	int ret;

	irt = amd_ga_irt_create(iommu, &devid, 1);
	if (IS_ERR(irt))
		return irt;
	ret = amd_ga_irt_attach(irt);
	for (i = 0; !ret && i < AMD_GA_ENV_IRT_ENTRIES; i++)
		ret = amd_ga_irte_alloc(irt, i, &ref);
	if (ret) {
		env_destroy_table(irt);
		return ERR_PTR(ret);
	}
	return irt;
}

/**
 * amd_ga_modelenv_init() - a model enabled as the module enables an IOMMU
 * @env: the fixture, zeroed by the caller
 * @ndevs: devices 0..@ndevs - 1 get a 512-entry IRT (at most 256)
 * @ops: the model's output callbacks
 * @ctx: their argument
 *
 * amd_ga_iommu_enable() (command queue, device table, GAEn, GAMEn = vAPIC
 * and the GA log), then XTEn, then per device an IRT from the IRT store,
 * attached through the device table, with every index allocated.
 *
 * Context: process context.
 * Return: 0 or a negative errno.
 */
int amd_ga_modelenv_init(struct amd_ga_modelenv *env, unsigned int ndevs,
			 const struct amd_ga_model_ops *ops, void *ctx)
{
	struct amd_ga_irt *irt;
	unsigned int i;
	int ret;

	if (!ndevs || ndevs > AMD_GA_ENV_MAX_DEVS)
		return -EINVAL;
	env->model = amd_ga_model_start(ops, ctx);
	if (IS_ERR(env->model)) {
		ret = PTR_ERR(env->model);
		env->model = NULL;
		return ret;
	}
	env->iommu = &env->model->iommu;
	amd_ga_ctrl_update(env->iommu, 0, AMD_GA_CTRL_XT_EN);

	for (i = 0; i < ndevs; i++) {
		irt = env_table(env->iommu, i);
		if (IS_ERR(irt)) {
			ret = PTR_ERR(irt);
			goto err_tables;
		}
		env->irt[i] = irt;
		env->ndevs = i + 1;
	}
	return 0;

err_tables:
	env_destroy_tables(env);
	amd_ga_model_stop(env->model);
	env->model = NULL;
	env->iommu = NULL;
	return ret;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_modelenv_init);

/**
 * amd_ga_modelenv_exit() - tear the fixture down
 * @env: the fixture
 *
 * Context: process context.
 */
void amd_ga_modelenv_exit(struct amd_ga_modelenv *env)
{
	if (!env->model)
		return;
	env_destroy_tables(env);
	amd_ga_model_stop(env->model);
	env->model = NULL;
	env->iommu = NULL;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_modelenv_exit);
