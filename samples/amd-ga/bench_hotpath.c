// SPDX-License-Identifier: GPL-2.0-only
/*
 * amd-ga hot-path benchmark module: loaded by scripts/bench-hotpath.sh,
 * runs once at load and prints ratios against baselines of the same run.
 *
 * Per-IRTE cost of a vCPU load + put for a vCPU with 1, 8 and 64 posted
 * IRTEs on the software IOMMU model, against
 * - the limit: a bare loop of 128-bit compare-and-exchange that makes the
 *   same field changes on as many entries of the same table, and nothing
 *   else;
 * - the 6.1 behaviour: every IRTE update followed by INVALIDATE_INTERRUPT_
 *   TABLE and COMPLETION_WAIT through the command queue, waited for.
 * The baselines use entries of their own, next to the posted IRTEs' ones:
 * those are claimed, written only through the IRT store.
 */
#define pr_fmt(fmt) "amd-ga bench: " fmt

#include <linux/amd-ga.h>
#include <linux/bitfield.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/mem_encrypt.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "cmdq.h"
#include "compat.h"
#include "export.h"
#include "galog.h"
#include "iommu.h"
#include "irt.h"
#include "model.h"
#include "posted.h"

static char *env = "unknown";
module_param(env, charp, 0444);
MODULE_PARM_DESC(env, "where this runs, printed with the figures (e.g. QEMU/KVM)");

static unsigned int updates = 40000;
module_param(updates, uint, 0444);
MODULE_PARM_DESC(updates, "IRTE updates per timed run (load + put = 2 per IRTE)");

#define HB_MAX_IRTES	64
#define HB_TRIALS	31
#define HB_MAX_FNS	2
#define HB_DEVID	0x100
#define HB_APIC(i)	(0x01000000U + (i))

static const unsigned int hb_sizes[] = { 1, 8, 64 };

/**
 * struct hb_env - a model IOMMU, one table, a vCPU and its posted IRTEs
 * @model: the software IOMMU
 * @iommu: its instance
 * @irt: the table
 * @vm: a VM of one vCPU
 * @vcpu: the vCPU
 * @page: its backing page
 * @ref: the entries
 * @p: the posted IRTEs
 * @fref: guest-mode entries nobody claimed, for the baselines
 * @bare: where those entries are in the table, for the limit's stores;
 *	each behind a pointer of its own, so that the limit chases two
 *	dependent loads per IRTE as the hot path does (vCPU list entry, then
 *	its slot) and the ratio compares amd-ga's logic, not memory layout
 * @n: how many are attached to @vcpu
 */
struct hb_env {
	struct amd_ga_model *model;
	struct amd_ga_iommu *iommu;
	struct amd_ga_irt *irt;
	struct amd_ga_vm *vm;
	struct amd_ga_vcpu *vcpu;
	void *page;
	struct amd_ga_irte_ref ref[HB_MAX_IRTES];
	struct amd_ga_posted *p[HB_MAX_IRTES];
	struct amd_ga_irte_ref fref[HB_MAX_IRTES];
	struct amd_ga_irte **bare[HB_MAX_IRTES];
	unsigned int n;
};

static u64 hb_sink;

static int hb_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

typedef u64 (*hb_fn)(struct hb_env *e, unsigned int rounds);

/* One timed run of @fn with interrupts off (no tick in the middle). */
static u64 hb_run(struct hb_env *e, hb_fn fn, unsigned int rounds)
{
	unsigned long flags;
	u64 t;

	local_irq_save(flags);
	t = fn(e, rounds);
	local_irq_restore(flags);
	return t;
}

/*
 * HB_TRIALS runs of each of @fns, interleaved (a, b, a, b, ...) so that
 * neighbouring runs see the same conditions. @ps: the median of each, in
 * picoseconds per IRTE update. @ratio: the median over the trials of
 * fns[1] / fns[0] of the same trial, in hundredths; a host that slows
 * down for a moment then moves both sides of one ratio, not one median.
 */
static void hb_measure(struct hb_env *e, const hb_fn *fns, unsigned int nfns,
		       unsigned int rounds, u64 *ps, u64 *ratio)
{
	static u64 t[HB_MAX_FNS][HB_TRIALS], r[HB_TRIALS];
	unsigned int i, f;

	for (f = 0; f < nfns; f++)
		hb_run(e, fns[f], rounds / 8 + 1);	/* warm up */
	for (i = 0; i < HB_TRIALS; i++) {
		for (f = 0; f < nfns; f++)
			t[f][i] = hb_run(e, fns[f], rounds);
		if (nfns > 1)
			r[i] = div64_u64(t[1][i] * 100, max(t[0][i], 1ULL));
	}
	if (nfns > 1) {
		sort(r, HB_TRIALS, sizeof(r[0]), hb_cmp, NULL);
		*ratio = r[HB_TRIALS / 2];
	}
	for (f = 0; f < nfns; f++) {
		sort(t[f], HB_TRIALS, sizeof(t[f][0]), hb_cmp, NULL);
		ps[f] = div64_u64(t[f][HB_TRIALS / 2] * 1000,
				  (u64)rounds * 2 * e->n);
	}
}

/* The limit: read, change IsRun/Destination/GALogIntr, cmpxchg16b. */
static u64 hb_bare(struct hb_env *e, unsigned int rounds)
{
	const u64 run = AMD_GA_IRTE_LO_IS_RUN | AMD_GA_IRTE_LO_GALOG_INTR;
	struct amd_ga_irte *slot;
	unsigned int r, i;
	u64 lo, hi, t0;

	t0 = ktime_get_ns();
	for (r = 0; r < rounds; r++) {
		/* load: IsRun = 1, Destination, GALogIntr = 0 */
		for (i = 0; i < e->n; i++) {
			slot = READ_ONCE(*e->bare[i]);
			do {
				lo = READ_ONCE(slot->lo);
				hi = READ_ONCE(slot->hi);
			} while (!amd_ga_cmpxchg16b(&slot->lo, lo, hi,
				(lo & ~(run | AMD_GA_IRTE_LO_DEST_LO)) |
				AMD_GA_IRTE_LO_IS_RUN |
				FIELD_PREP(AMD_GA_IRTE_LO_DEST_LO, r & 0xffffff),
				(hi & ~AMD_GA_IRTE_HI_DEST_HI) |
				FIELD_PREP(AMD_GA_IRTE_HI_DEST_HI, 1)));
		}
		/* put: IsRun = 0, GALogIntr = 0 */
		for (i = 0; i < e->n; i++) {
			slot = READ_ONCE(*e->bare[i]);
			do {
				lo = READ_ONCE(slot->lo);
				hi = READ_ONCE(slot->hi);
			} while (!amd_ga_cmpxchg16b(&slot->lo, lo, hi,
						    lo & ~run, hi));
		}
	}
	return ktime_get_ns() - t0;
}

/* amd-ga: vCPU load and put, every attached IRTE, no command. */
static u64 hb_ours(struct hb_env *e, unsigned int rounds)
{
	unsigned int r;
	u64 t0;

	t0 = ktime_get_ns();
	for (r = 0; r < rounds; r++) {
		amd_ga_vcpu_load(e->vcpu, HB_APIC(r & 0xffff));
		amd_ga_vcpu_put(e->vcpu);
	}
	return ktime_get_ns() - t0;
}

/* 6.1: each update stored, then INVALIDATE_INTERRUPT_TABLE + COMPLETION_WAIT. */
static u64 hb_flush(struct hb_env *e, unsigned int rounds)
{
	struct amd_ga_cmd inv;
	unsigned int r, i;
	u64 t0;

	amd_ga_cmd_make_inv_irt(HB_DEVID, &inv);
	t0 = ktime_get_ns();
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < e->n; i++) {
			amd_ga_irte_update_run(&e->fref[i], true,
					       HB_APIC(r & 0xffff), false);
			hb_sink += amd_ga_cmdq_submit(e->iommu, &inv, 1, true);
		}
		for (i = 0; i < e->n; i++) {
			amd_ga_irte_update_run(&e->fref[i], false,
					       AMD_GA_IRTE_DEST_KEEP, false);
			hb_sink += amd_ga_cmdq_submit(e->iommu, &inv, 1, true);
		}
	}
	return ktime_get_ns() - t0;
}

static void hb_exit_env(struct hb_env *e)
{
	unsigned int i;

	if (e->vcpu)
		amd_ga_posted_vcpu_release(e->vcpu);
	for (i = 0; i < HB_MAX_IRTES; i++) {
		amd_ga_posted_destroy(e->p[i]);
		if (e->p[i])
			amd_ga_irte_free(&e->ref[i]);
		amd_ga_irte_free(&e->fref[i]);
		kfree(e->bare[i]);
	}
	amd_ga_vcpu_destroy(e->vcpu);
	amd_ga_vm_destroy(e->vm);
	synchronize_rcu();
	if (!IS_ERR_OR_NULL(e->irt))
		amd_ga_irt_destroy(e->irt);
	amd_ga_model_stop(e->model);
	free_page((unsigned long)e->page);
}

/* Entry @i of the 6.1 baseline: in guest mode, as the posted ones. */
static int hb_flush_entry(struct hb_env *e, unsigned int i)
{
	const struct amd_ga_guest_cfg cfg = {
		.remap_en	= true,
		.ga_tag		= amd_ga_vcpu_ga_tag(e->vcpu),
		.vector		= 0x40 + i,
		.ga_root_pa	= __sme_set(virt_to_phys(e->page)),
	};
	struct amd_ga_irte irte;
	int ret;

	ret = amd_ga_irte_alloc(e->irt, HB_MAX_IRTES + i, &e->fref[i]);
	if (ret)
		return ret;
	ret = amd_ga_irte_make_guest(&cfg, true, &irte);
	return ret ? ret : amd_ga_irte_write(&e->fref[i], &irte);
}

static int hb_init_env(struct hb_env *e)
{
	const struct amd_ga_remap_cfg host = { .remap_en = true, .vector = 0x40 };
	u16 devid = HB_DEVID;
	unsigned int i;
	int ret;

	e->model = amd_ga_model_start(NULL, NULL);
	if (IS_ERR(e->model)) {
		ret = PTR_ERR(e->model);
		e->model = NULL;
		return ret;
	}
	e->iommu = &e->model->iommu;
	amd_ga_ctrl_update(e->iommu, 0, AMD_GA_CTRL_XT_EN);
	e->irt = amd_ga_irt_create(e->iommu, &devid, 1);
	if (IS_ERR(e->irt))
		return PTR_ERR(e->irt);
	ret = amd_ga_irt_attach(e->irt);
	if (ret)
		return ret;

	e->page = (void *)get_zeroed_page(GFP_KERNEL);
	e->vm = amd_ga_vm_create(1, NULL);
	if (!e->page || IS_ERR(e->vm))
		return -ENOMEM;
	e->vcpu = amd_ga_vcpu_create(e->vm, 0, NULL);
	if (IS_ERR(e->vcpu)) {
		ret = PTR_ERR(e->vcpu);
		e->vcpu = NULL;
		return ret;
	}
	amd_ga_vcpu_set_backing(e->vcpu, e->page);
	for (i = 0; i < HB_MAX_IRTES; i++) {
		ret = hb_flush_entry(e, i);
		if (ret)
			return ret;
		/* The limit stores behind the IRT store's back: not claimed. */
		e->bare[i] = kmalloc(sizeof(*e->bare[i]), GFP_KERNEL);
		if (!e->bare[i])
			return -ENOMEM;
		*e->bare[i] = (struct amd_ga_irte *)e->irt->entries +
			      e->fref[i].index;
		ret = amd_ga_irte_alloc(e->irt, i, &e->ref[i]);
		if (ret)
			return ret;
		e->p[i] = amd_ga_posted_create(&e->ref[i], &host, -1);
		if (IS_ERR(e->p[i])) {
			ret = PTR_ERR(e->p[i]);
			e->p[i] = NULL;
			amd_ga_irte_free(&e->ref[i]);
			return ret;
		}
	}
	return 0;
}

/* Attach IRTEs until @n are on the vCPU. */
static int hb_attach(struct hb_env *e, unsigned int n)
{
	int ret;

	while (e->n < n) {
		ret = amd_ga_vcpu_attach_irte(e->vcpu, e->p[e->n], 0x40 + e->n);
		if (ret)
			return ret;
		e->n++;
	}
	return 0;
}

static void hb_ratio(const char *what, u64 num, u64 den, char *buf, size_t len)
{
	u64 r = den ? div64_u64(num * 100, den) : 0;

	snprintf(buf, len, "%s %llu.%02llux", what, r / 100, r % 100);
}

static int __init hb_init(void)
{
	static const hb_fn fast[] = { hb_bare, hb_ours };
	static const hb_fn slow[] = { hb_flush };
	u64 bare, ours, flush, cmds, ratio = 0, ps[HB_MAX_FNS];
	unsigned int s, rounds;
	struct hb_env *e;
	char r1[48], r2[48];
	bool ok = true;
	int ret;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	ret = hb_init_env(e);
	if (ret) {
		pr_err("hotpath: setup failed: %d\n", ret);
		goto out;
	}
	pr_info("hotpath: per-IRTE cost of a vCPU load + put, %s\n", env);
	for (s = 0; s < ARRAY_SIZE(hb_sizes); s++) {
		ret = hb_attach(e, hb_sizes[s]);
		if (ret)
			goto out;
		rounds = max(updates / (2 * e->n), 16U);
		cmds = amd_ga_cmdq_count(e->iommu, AMD_GA_CMD_COMPLETION_WAIT);
		hb_measure(e, fast, ARRAY_SIZE(fast), rounds, ps, &ratio);
		bare = ps[0];
		ours = ps[1];
		if (amd_ga_cmdq_count(e->iommu, AMD_GA_CMD_COMPLETION_WAIT) != cmds) {
			pr_err("hotpath: load/put issued commands\n");
			ok = false;
		}
		/* Command round trips are slow: fewer of them say as much. */
		hb_measure(e, slow, ARRAY_SIZE(slow), max(rounds / 64, 4U), ps,
			   NULL);
		flush = ps[0];
		snprintf(r1, sizeof(r1), "limit %llu.%02llux", ratio / 100,
			 ratio % 100);
		hb_ratio("6.1 flush", flush, ours, r2, sizeof(r2));
		pr_info("hotpath: %2u IRTEs/vCPU: bare cmpxchg16b %llu.%03llu ns, amd-ga %llu.%03llu ns (%s), with INV_IRT+CW %llu.%03llu ns (%s slower)\n",
			e->n, bare / 1000, bare % 1000, ours / 1000, ours % 1000,
			r1, flush / 1000, flush % 1000, r2);
		if (e->n >= 8 && ratio > 150) {
			pr_info("hotpath: %u IRTEs/vCPU above the 1.5x target\n", e->n);
			ok = false;
		}
	}
	pr_info("hotpath: done: %d (target: at most 1.5x the limit at 8 and 64 IRTEs: %s)\n",
		ret, ok ? "met" : "missed");
out:
	hb_exit_env(e);
	kfree(e);
	return ret;
}

static void __exit hb_exit(void)
{
}

module_init(hb_init);
module_exit(hb_exit);

MODULE_DESCRIPTION("amd-ga hot-path benchmark (vCPU load/put on posted IRTEs)");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(AMD_GA_NS);
MODULE_IMPORT_NS(AMD_GA_TEST_NS);
