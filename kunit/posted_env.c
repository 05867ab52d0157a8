// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test environment for posted IRTEs (see posted_env.h).
 */
#include <linux/bitfield.h>
#include <linux/err.h>

#include "galog.h"
#include "iommu.h"
#include "posted_env.h"

/**
 * penv_init() - bring up a model IOMMU with tables
 * @e: the environment, zeroed by the caller
 * @ntables: number of interrupt remapping tables, 1 .. PENV_MAX_TABLES
 * @table0_no_xt: make table 0 before XTEn is set, so that it only takes
 *	8-bit destinations
 * @ops: the model's doorbell and remapped-delivery callbacks
 * @ctx: their argument
 *
 * Return: 0 or a negative errno.
 */
int penv_init(struct penv *e, unsigned int ntables, bool table0_no_xt,
	      const struct amd_ga_model_ops *ops, void *ctx)
{
	unsigned int i;
	u16 devid;
	int ret;

	if (!ntables || ntables > PENV_MAX_TABLES)
		return -EINVAL;
	/* Enabled with GAMEn = vAPIC and the GA log up. */
	e->model = amd_ga_model_start(ops, ctx);
	if (IS_ERR(e->model)) {
		ret = PTR_ERR(e->model);
		e->model = NULL;
		return ret;
	}
	e->iommu = &e->model->iommu;
	if (!table0_no_xt)
		amd_ga_ctrl_update(e->iommu, 0, AMD_GA_CTRL_XT_EN);

	for (i = 0; i < ntables; i++) {
		devid = PENV_DEVID_BASE + i;
		e->irt[i] = amd_ga_irt_create(e->iommu, &devid, 1);
		if (IS_ERR(e->irt[i])) {
			ret = PTR_ERR(e->irt[i]);
			e->irt[i] = NULL;
			goto err_tables;
		}
		e->ntables = i + 1;
		ret = amd_ga_irt_attach(e->irt[i]);
		if (ret)
			goto err_tables;
		if (!i && table0_no_xt)
			amd_ga_ctrl_update(e->iommu, 0, AMD_GA_CTRL_XT_EN);
	}
	return 0;

err_tables:
	for (i = 0; i < e->ntables; i++)
		amd_ga_irt_destroy(e->irt[i]);
	e->ntables = 0;
	amd_ga_model_stop(e->model);
	e->model = NULL;
	return ret;
}

/**
 * penv_exit() - tear down what penv_init() brought up
 * @e: the environment; its posted IRTEs destroyed already
 */
void penv_exit(struct penv *e)
{
	unsigned int i;

	if (!e->model)
		return;
	for (i = 0; i < e->ntables; i++)
		amd_ga_irt_destroy(e->irt[i]);
	amd_ga_model_stop(e->model);
	e->model = NULL;
}

/**
 * penv_irte_create() - allocate an entry and register it as a posted IRTE
 * @e: the environment
 * @table: the table
 * @index: the entry's index
 * @host_irq: the Linux IRQ it stands for, or -1
 * @pi: filled in
 *
 * The entry starts remapped to PENV_HOST_VECTOR on PENV_HOST_DEST.
 *
 * Return: 0 or a negative errno.
 */
int penv_irte_create(struct penv *e, unsigned int table, unsigned int index,
		     int host_irq, struct penv_irte *pi)
{
	const struct amd_ga_remap_cfg host = {
		.remap_en	= true,
		.vector		= PENV_HOST_VECTOR,
		.dest		= PENV_HOST_DEST,
	};
	int ret;

	if (table >= e->ntables)
		return -EINVAL;
	ret = amd_ga_irte_alloc(e->irt[table], index, &pi->ref);
	if (ret)
		return ret;
	pi->table = table;
	pi->p = amd_ga_posted_create(&pi->ref, &host, host_irq);
	if (IS_ERR(pi->p)) {
		ret = PTR_ERR(pi->p);
		pi->p = NULL;
		amd_ga_irte_free(&pi->ref);
	}
	return ret;
}

/**
 * penv_irte_destroy() - undo penv_irte_create()
 * @pi: the posted IRTE; may be one whose creation failed
 */
void penv_irte_destroy(struct penv_irte *pi)
{
	if (!pi->p)
		return;
	amd_ga_posted_destroy(pi->p);
	pi->p = NULL;
	amd_ga_irte_free(&pi->ref);
}

/**
 * penv_raise() - the device behind a posted IRTE raises its interrupt
 * @e: the environment
 * @pi: the posted IRTE
 *
 * Return: what the model did with it.
 */
enum amd_ga_model_result penv_raise(struct penv *e, const struct penv_irte *pi)
{
	return amd_ga_model_raise(e->model, PENV_DEVID_BASE + pi->table,
				  pi->ref.index);
}

/**
 * penv_commands() - commands the model has processed so far
 * @e: the environment
 *
 * Return: every command read from the command buffer, of any opcode.
 */
u64 penv_commands(struct penv *e)
{
	struct amd_ga_model_stats s;

	amd_ga_model_get_stats(e->model, &s);
	return s.cmds;
}

/**
 * penv_read() - the entry as the IOMMU would read it now
 * @pi: the posted IRTE
 *
 * Return: the entry.
 */
struct amd_ga_irte penv_read(const struct penv_irte *pi)
{
	struct amd_ga_irte v = {};

	amd_ga_irte_read(&pi->ref, &v);
	return v;
}
