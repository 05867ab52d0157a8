/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test environment for posted IRTEs: a software IOMMU model driven the
 * way the module drives hardware (command queue and device table enabled,
 * guest virtual APIC mode, the GA log running), with interrupt remapping
 * tables from the IRT store whose entries can be registered as posted
 * IRTEs and raised as device interrupts.
 */
#ifndef AMD_GA_KUNIT_POSTED_ENV_H
#define AMD_GA_KUNIT_POSTED_ENV_H

#include <linux/types.h>

#include "irt.h"
#include "model.h"
#include "posted.h"

#define PENV_MAX_TABLES		8
#define PENV_DEVID_BASE		0x100	/* DeviceID of table 0 */
#define PENV_HOST_VECTOR	0x40	/* host vector of every remapped entry */
#define PENV_HOST_DEST		1	/* host APIC ID of every remapped entry */

/**
 * struct penv - a model IOMMU and its tables
 * @model: the software IOMMU
 * @iommu: its instance
 * @ntables: tables 0 .. @ntables - 1 exist, table i for DeviceID
 *	PENV_DEVID_BASE + i
 * @irt: the tables; all take 32-bit destinations (XTEn) except table 0
 *	when penv_init() was asked for a legacy one
 */
struct penv {
	struct amd_ga_model *model;
	struct amd_ga_iommu *iommu;
	unsigned int ntables;
	struct amd_ga_irt *irt[PENV_MAX_TABLES];
};

/**
 * struct penv_irte - a registered posted IRTE of a penv
 * @p: the posted IRTE
 * @ref: its entry
 * @table: its table
 */
struct penv_irte {
	struct amd_ga_posted *p;
	struct amd_ga_irte_ref ref;
	unsigned int table;
};

int penv_init(struct penv *e, unsigned int ntables, bool table0_no_xt,
	      const struct amd_ga_model_ops *ops, void *ctx);
void penv_exit(struct penv *e);
int penv_irte_create(struct penv *e, unsigned int table, unsigned int index,
		     int host_irq, struct penv_irte *pi);
void penv_irte_destroy(struct penv_irte *pi);
enum amd_ga_model_result penv_raise(struct penv *e, const struct penv_irte *pi);
u64 penv_commands(struct penv *e);
struct amd_ga_irte penv_read(const struct penv_irte *pi);

#endif /* AMD_GA_KUNIT_POSTED_ENV_H */
