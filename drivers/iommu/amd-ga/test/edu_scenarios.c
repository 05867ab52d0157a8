// SPDX-License-Identifier: GPL-2.0-only
/*
 * Remapping scenarios on a real AMD IOMMU (QEMU's), with the edu device as
 * the interrupt source and amd-ga's own IRTEs as the only thing deciding
 * where its interrupt goes.
 *
 * Linux programmed edu's MSI in compatibility format (IR is off in the
 * kernel), so its data is vector V with fixed delivery. Once edu's device
 * table entry has IV = 1, the IOMMU reads that data as IRTE index V, and
 * IRTE[V] alone decides which vector on which CPU receives the interrupt.
 * Targets are vectors Linux really routes to handlers of ours: edu's own
 * (A) and the MSI of the IOMMU's PCI function (B), which QEMU never remaps
 * and which can be moved to the other CPU with irq_set_affinity(). The
 * handlers record where each interrupt arrived.
 */
#define pr_fmt(fmt) "amd-ga-edu: " fmt

#include <linux/bitfield.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/smp.h>

#include "cmdq.h"
#include "devtab.h"
#include "edu_scenarios.h"
#include "export.h"
#include "instance.h"
#include "iommu.h"
#include "irt.h"

/* edu registers (BAR0) */
#define EDU_IDENT		0x00
#define EDU_IDENT_MAGIC		0xed		/* low byte */
#define EDU_IRQ_STATUS		0x24
#define EDU_IRQ_RAISE		0x60
#define EDU_IRQ_ACK		0x64
#define EDU_BAR_LEN		0x100

/* x86 MSI address and data in compatibility format */
#define MSI_ADDR_DM		BIT(2)
#define MSI_ADDR_DEST		GENMASK(19, 12)
#define MSI_DATA_VECTOR		GENMASK(7, 0)
#define MSI_DATA_IRTE_INDEX	GENMASK(10, 0)	/* what the IOMMU indexes with */

/* How long to wait for an interrupt, and for a second, unexpected one. */
#define EDU_ARRIVE_MS		1000
#define EDU_SETTLE_MS		20
#define EDU_SILENCE_MS		100

/**
 * struct amd_ga_edu_irq - a Linux IRQ the scenarios aim interrupts at
 * @edu: the scenario context
 * @pdev: the function whose MSI it is
 * @irq: the Linux IRQ
 * @count: arrivals (interrupt handler)
 * @cpu: CPU of the last arrival (interrupt handler)
 * @vector: the vector Linux assigned, from the MSI data
 * @dest: destination field of the MSI address
 * @dest_logical: destination mode of the MSI address
 * @target: the CPU Linux aims it at (effective affinity)
 */
struct amd_ga_edu_irq {
	struct amd_ga_edu *edu;
	struct pci_dev *pdev;
	int irq;
	atomic_t count;
	atomic_t cpu;
	u8 vector;
	u8 dest;
	bool dest_logical;
	int target;
};

/**
 * struct amd_ga_edu - scenario context
 * @iommu: the IOMMU remapping edu
 * @pdev: edu
 * @bar: edu's registers
 * @a: edu's own MSI
 * @b: the second vector, the MSI of the IOMMU's PCI function
 * @iommu_pdev: @b's function once enabled by us, else NULL
 * @index: edu's IRTE index (its MSI data)
 * @orig_128: the IOMMU ran 128-bit IRTEs before we started
 * @fmt: format of @irt
 * @irt: edu's table, or NULL
 * @ref: IRTE[@index] in @irt
 * @changed: IRTE writes that changed the entry since the last reset
 */
struct amd_ga_edu {
	struct amd_ga_iommu *iommu;
	struct pci_dev *pdev;
	void __iomem *bar;
	struct amd_ga_edu_irq a;
	struct amd_ga_edu_irq b;
	struct pci_dev *iommu_pdev;
	u16 index;
	bool orig_128;
	enum amd_ga_edu_format fmt;
	struct amd_ga_irt *irt;
	struct amd_ga_irte_ref ref;
	unsigned int changed;
};

/* Binding: a driver for edu, registered only while the scenarios run. */
static struct pci_dev *amd_ga_edu_bound;

static int amd_ga_edu_probe(struct pci_dev *pdev,
			    const struct pci_device_id *id)
{
	if (amd_ga_edu_bound)
		return -EBUSY;
	amd_ga_edu_bound = pdev;
	return 0;
}

static void amd_ga_edu_remove(struct pci_dev *pdev)
{
	if (amd_ga_edu_bound == pdev)
		amd_ga_edu_bound = NULL;
}

static const struct pci_device_id amd_ga_edu_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};

/* No MODULE_DEVICE_TABLE: nothing should load the demo for an edu. */
static struct pci_driver amd_ga_edu_driver = {
	.name = "amd_ga_edu",
	.id_table = amd_ga_edu_ids,
	.probe = amd_ga_edu_probe,
	.remove = amd_ga_edu_remove,
};

static irqreturn_t amd_ga_edu_isr(int irq, void *data)
{
	struct amd_ga_edu_irq *h = data;
	u32 status = ioread32(h->edu->bar + EDU_IRQ_STATUS);

	if (status)
		iowrite32(status, h->edu->bar + EDU_IRQ_ACK);
	atomic_set(&h->cpu, smp_processor_id());
	/* Publish the CPU before the count; amd_ga_edu_fire() reads them back. */
	smp_mb__before_atomic();
	atomic_inc(&h->count);
	return IRQ_HANDLED;
}

/* Read back what Linux programmed: vector, destination, target CPU. */
static int amd_ga_edu_read_msi(struct amd_ga_edu_irq *h, u16 *index)
{
	struct pci_dev *pdev = h->pdev;
	int pos = pdev->msi_cap;
	const struct cpumask *aff;
	u16 flags, data;
	u32 addr;

	if (!pos)
		return -ENODEV;
	pci_read_config_word(pdev, pos + PCI_MSI_FLAGS, &flags);
	pci_read_config_dword(pdev, pos + PCI_MSI_ADDRESS_LO, &addr);
	pci_read_config_word(pdev, pos + ((flags & PCI_MSI_FLAGS_64BIT) ?
					  PCI_MSI_DATA_64 : PCI_MSI_DATA_32),
			     &data);
	h->vector = FIELD_GET(MSI_DATA_VECTOR, data);
	h->dest = FIELD_GET(MSI_ADDR_DEST, addr);
	h->dest_logical = addr & MSI_ADDR_DM;
	aff = irq_data_get_effective_affinity_mask(irq_get_irq_data(h->irq));
	h->target = cpumask_first(aff);
	if (index)
		*index = FIELD_GET(MSI_DATA_IRTE_INDEX, data);
	return 0;
}

static int amd_ga_edu_irq_setup(struct amd_ga_edu *edu,
				struct amd_ga_edu_irq *h,
				struct pci_dev *pdev, const char *name)
{
	int ret;

	h->edu = edu;
	h->pdev = pdev;
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		return ret;
	h->irq = pci_irq_vector(pdev, 0);
	ret = request_irq(h->irq, amd_ga_edu_isr, IRQF_NO_THREAD, name, h);
	if (ret) {
		pci_free_irq_vectors(pdev);
		h->irq = 0;
		return ret;
	}
	return 0;
}

static void amd_ga_edu_irq_teardown(struct amd_ga_edu_irq *h)
{
	if (!h->irq)
		return;
	free_irq(h->irq, h);
	pci_free_irq_vectors(h->pdev);
	h->irq = 0;
}

static void amd_ga_edu_ack(struct amd_ga_edu *edu)
{
	u32 status = ioread32(edu->bar + EDU_IRQ_STATUS);

	if (status)
		iowrite32(status, edu->bar + EDU_IRQ_ACK);
}

struct amd_ga_edu_seen {
	int a, b;
	int a_cpu, b_cpu;
};

/* Raise one edu interrupt and see where it goes (and that it goes once). */
static void amd_ga_edu_fire(struct amd_ga_edu *edu, unsigned int wait_ms,
			    struct amd_ga_edu_seen *seen)
{
	int a0 = atomic_read(&edu->a.count), b0 = atomic_read(&edu->b.count);
	unsigned int t;

	iowrite32(1, edu->bar + EDU_IRQ_RAISE);
	for (t = 0; t < wait_ms; t++) {
		if (atomic_read(&edu->a.count) != a0 ||
		    atomic_read(&edu->b.count) != b0)
			break;
		usleep_range(1000, 2000);
	}
	msleep(EDU_SETTLE_MS);
	seen->a = atomic_read(&edu->a.count) - a0;
	seen->b = atomic_read(&edu->b.count) - b0;
	/* Pairs with the handler's barrier: the CPU of the counted arrival. */
	smp_rmb();
	seen->a_cpu = atomic_read(&edu->a.cpu);
	seen->b_cpu = atomic_read(&edu->b.cpu);
	/* A dropped interrupt leaves edu's status set: clear it. */
	amd_ga_edu_ack(edu);
}

static int amd_ga_edu_fmt_text(char *buf, size_t len, int vector, int cpu)
{
	return scnprintf(buf, len, "vec%#04x@cpu%d", vector, cpu);
}

static void amd_ga_edu_seen_text(struct amd_ga_edu *edu,
				 const struct amd_ga_edu_seen *s,
				 char *buf, size_t len)
{
	int n = 0;

	if (!s->a && !s->b) {
		scnprintf(buf, len, "none");
		return;
	}
	if (s->a) {
		n += amd_ga_edu_fmt_text(buf + n, len - n, edu->a.vector, s->a_cpu);
		if (s->a > 1)
			n += scnprintf(buf + n, len - n, "x%d", s->a);
	}
	if (s->b) {
		if (n)
			n += scnprintf(buf + n, len - n, "+");
		n += amd_ga_edu_fmt_text(buf + n, len - n, edu->b.vector, s->b_cpu);
		if (s->b > 1)
			scnprintf(buf + n, len - n, "x%d", s->b);
	}
}

/* Did exactly one interrupt arrive, at @h, on @cpu? */
static bool amd_ga_edu_arrived(struct amd_ga_edu *edu,
			       const struct amd_ga_edu_seen *s,
			       struct amd_ga_edu_irq *h, int cpu)
{
	if (h == &edu->a)
		return s->a == 1 && !s->b && s->a_cpu == cpu;
	return s->b == 1 && !s->a && s->b_cpu == cpu;
}

/* Point IRTE[index] at a vector and destination, in the table's format. */
static int amd_ga_edu_route(struct amd_ga_edu *edu, struct amd_ga_edu_irq *to,
			    bool remap_en)
{
	struct amd_ga_remap_cfg cfg = {
		.remap_en = remap_en,
		.int_type = AMD_GA_IRTE_INT_TYPE_FIXED,
		.dest_logical = to->dest_logical,
		.vector = to->vector,
		.dest = to->dest,
	};
	struct amd_ga_irte old, new;
	u32 old32, new32;
	int ret;

	if (edu->fmt == AMD_GA_EDU_IRTE32) {
		ret = amd_ga_irte32_make(&cfg, &new32);
		if (!ret)
			ret = amd_ga_irte32_read(&edu->ref, &old32);
		if (!ret)
			ret = amd_ga_irte32_write(&edu->ref, new32);
		if (!ret && old32 != new32)
			edu->changed++;
		return ret;
	}
	ret = amd_ga_irte_make_remap(&cfg, false, &new);
	if (!ret)
		ret = amd_ga_irte_read(&edu->ref, &old);
	if (!ret)
		ret = amd_ga_irte_write(&edu->ref, &new);
	if (!ret && (old.lo != new.lo || old.hi != new.hi))
		edu->changed++;
	return ret;
}

static void amd_ga_edu_teardown_table(struct amd_ga_edu *edu)
{
	if (!edu->irt)
		return;
	amd_ga_irte_free(&edu->ref);
	amd_ga_irt_destroy(edu->irt);
	edu->irt = NULL;
}

/* edu's table: IRTE[index] = identity (edu's own vector and CPU), attached. */
static int amd_ga_edu_setup_table(struct amd_ga_edu *edu)
{
	int ret;

	edu->fmt = amd_ga_iommu_irte_128(edu->iommu) ? AMD_GA_EDU_IRTE128 :
						       AMD_GA_EDU_IRTE32;
	edu->irt = amd_ga_irt_create_pci(edu->iommu, edu->pdev);
	if (IS_ERR(edu->irt)) {
		ret = PTR_ERR(edu->irt);
		edu->irt = NULL;
		return ret;
	}
	ret = amd_ga_irte_alloc(edu->irt, edu->index, &edu->ref);
	if (!ret)
		ret = amd_ga_edu_route(edu, &edu->a, true);
	if (!ret)
		ret = amd_ga_irt_attach(edu->irt);
	if (ret)
		amd_ga_edu_teardown_table(edu);
	edu->changed = 0;
	return ret;
}

static int amd_ga_edu_enable(struct amd_ga_edu *edu, bool want_128)
{
	int ret;

	if (edu->iommu->enabled && amd_ga_iommu_irte_128(edu->iommu) == want_128)
		return 0;
	ret = amd_ga_iommu_disable(edu->iommu);
	if (!ret)
		ret = amd_ga_iommu_enable(edu->iommu, want_128 ? 0 :
					  AMD_GA_ENABLE_LEGACY_IRTE);
	if (!ret && amd_ga_iommu_irte_128(edu->iommu) != want_128)
		ret = -EOPNOTSUPP;	/* no GASup or no cmpxchg16b */
	return ret;
}

/**
 * amd_ga_edu_use_format() - remap edu through a table of the given format
 * @edu: the context
 * @fmt: the IRTE format
 *
 * Re-enables the IOMMU in @fmt if it runs the other one (the table is
 * destroyed and made again), and points edu's IRTE back at edu's own
 * vector (identity).
 *
 * Context: process context.
 * Return: 0, -EOPNOTSUPP if the IOMMU cannot run @fmt, or another errno.
 */
int amd_ga_edu_use_format(struct amd_ga_edu *edu, enum amd_ga_edu_format fmt)
{
	int ret;

	if (edu->irt && edu->fmt == fmt) {
		ret = amd_ga_edu_route(edu, &edu->a, true);
		edu->changed = 0;
		return ret;
	}
	amd_ga_edu_teardown_table(edu);
	ret = amd_ga_edu_enable(edu, fmt == AMD_GA_EDU_IRTE128);
	if (ret)
		return ret;
	return amd_ga_edu_setup_table(edu);
}

static void amd_ga_edu_name(struct amd_ga_edu *edu,
			    struct amd_ga_edu_result *res, const char *what)
{
	memset(res, 0, sizeof(*res));
	scnprintf(res->name, sizeof(res->name), "%s.%s",
		  edu->fmt == AMD_GA_EDU_IRTE128 ? "irte128" : "irte32", what);
}

static bool amd_ga_edu_error(struct amd_ga_edu_result *res, const char *what,
			     int err)
{
	if (!err)
		return false;
	res->pass = false;
	scnprintf(res->seen, sizeof(res->seen), "%s:error%d", what, err);
	return true;
}

/* Route edu's IRTE to @h, raise, and check it arrives at @h on @cpu only. */
static void amd_ga_edu_expect(struct amd_ga_edu *edu,
			      struct amd_ga_edu_irq *h, int cpu,
			      struct amd_ga_edu_result *res)
{
	struct amd_ga_edu_seen s;

	amd_ga_edu_fmt_text(res->expected, sizeof(res->expected), h->vector, cpu);
	if (amd_ga_edu_error(res, "route", amd_ga_edu_route(edu, h, true)))
		return;
	amd_ga_edu_fire(edu, EDU_ARRIVE_MS, &s);
	amd_ga_edu_seen_text(edu, &s, res->seen, sizeof(res->seen));
	res->pass = amd_ga_edu_arrived(edu, &s, h, cpu);
}

/**
 * amd_ga_edu_identity() - scenario 1: the IRTE maps edu to its own vector
 * @edu: the context, after amd_ga_edu_use_format()
 * @res: the outcome
 */
void amd_ga_edu_identity(struct amd_ga_edu *edu, struct amd_ga_edu_result *res)
{
	amd_ga_edu_name(edu, res, "identity");
	amd_ga_edu_expect(edu, &edu->a, edu->a.target, res);
}

/*
 * Move the second IRQ to @cpu. On x86 an MSI without interrupt remapping
 * moves when it next fires, so fire it once (through edu's IRTE) after
 * asking, then wait until Linux reprogrammed its MSI for the new CPU.
 */
static int amd_ga_edu_move_b(struct amd_ga_edu *edu, int cpu)
{
	struct amd_ga_edu_seen s;
	unsigned int t;
	int ret;

	if (edu->b.target == cpu)
		return 0;
	ret = irq_set_affinity(edu->b.irq, cpumask_of(cpu));
	if (ret)
		return ret;
	ret = amd_ga_edu_route(edu, &edu->b, true);
	if (ret)
		return ret;
	amd_ga_edu_fire(edu, EDU_ARRIVE_MS, &s);
	for (t = 0; t < EDU_ARRIVE_MS; t++) {
		ret = amd_ga_edu_read_msi(&edu->b, NULL);
		if (ret || edu->b.target == cpu)
			return ret;
		usleep_range(1000, 2000);
	}
	return -ETIMEDOUT;
}

/**
 * amd_ga_edu_second_vector() - scenario 3: moved to a second vector
 * @edu: the context, after amd_ga_edu_use_format()
 * @res: the outcome
 *
 * The second IRQ is put on the CPU of edu's own vector, then the IRTE
 * sends edu's interrupt to the second IRQ's vector: it must arrive there,
 * on the same CPU, and not at edu's own vector.
 */
void amd_ga_edu_second_vector(struct amd_ga_edu *edu,
			      struct amd_ga_edu_result *res)
{
	amd_ga_edu_name(edu, res, "second_vector");
	if (!edu->b.irq) {
		scnprintf(res->seen, sizeof(res->seen), "no-second-irq");
		return;
	}
	if (amd_ga_edu_error(res, "move", amd_ga_edu_move_b(edu, edu->a.target)))
		return;
	amd_ga_edu_expect(edu, &edu->b, edu->a.target, res);
}

/**
 * amd_ga_edu_other_cpu() - scenario 2: moved to the other CPU
 * @edu: the context, after amd_ga_edu_use_format()
 * @res: the outcome
 *
 * The IRTE's destination (and vector) is rewritten to a vector Linux
 * routes to the module on the CPU edu's own vector is not on.
 */
void amd_ga_edu_other_cpu(struct amd_ga_edu *edu, struct amd_ga_edu_result *res)
{
	unsigned int other;

	amd_ga_edu_name(edu, res, "other_cpu");
	other = cpumask_any_but(cpu_online_mask, edu->a.target);
	if (other >= nr_cpu_ids || !edu->b.irq) {
		scnprintf(res->expected, sizeof(res->expected), "second-cpu");
		scnprintf(res->seen, sizeof(res->seen), "%s",
			  edu->b.irq ? "one-cpu-online" : "no-second-irq");
		return;
	}
	if (amd_ga_edu_error(res, "move", amd_ga_edu_move_b(edu, other)))
		return;
	amd_ga_edu_expect(edu, &edu->b, other, res);
}

/**
 * amd_ga_edu_remap_disabled() - scenario 4: RemapEn = 0 drops, then recovers
 * @edu: the context, after amd_ga_edu_use_format()
 * @res: the outcome
 */
void amd_ga_edu_remap_disabled(struct amd_ga_edu *edu,
			       struct amd_ga_edu_result *res)
{
	struct amd_ga_edu_result again;
	struct amd_ga_edu_seen s;
	char seen[AMD_GA_EDU_TEXT];

	amd_ga_edu_name(edu, res, "remap_disabled");
	if (amd_ga_edu_error(res, "route", amd_ga_edu_route(edu, &edu->a, false)))
		return;
	amd_ga_edu_fire(edu, EDU_SILENCE_MS, &s);
	amd_ga_edu_seen_text(edu, &s, seen, sizeof(seen));

	memset(&again, 0, sizeof(again));
	amd_ga_edu_expect(edu, &edu->a, edu->a.target, &again);
	scnprintf(res->expected, sizeof(res->expected), "none,then:%s",
		  again.expected);
	scnprintf(res->seen, sizeof(res->seen), "%s,then:%s", seen, again.seen);
	res->pass = !s.a && !s.b && again.pass;
}

/**
 * amd_ga_edu_invalidations() - scenario 5: the invalidations are issued
 * @edu: the context, after amd_ga_edu_use_format()
 * @res: the outcome
 *
 * A fixed series of IRTE writes (one unchanged, four changed); every
 * changed entry needs INVALIDATE_INTERRUPT_TABLE for each of edu's
 * DeviceIDs and one COMPLETION_WAIT, the unchanged one nothing. Counts the
 * commands the queue issued and checks the interrupt still arrives.
 */
void amd_ga_edu_invalidations(struct amd_ga_edu *edu,
			      struct amd_ga_edu_result *res)
{
	struct amd_ga_iommu *iommu = edu->iommu;
	unsigned int nr = edu->irt->nr_devids;
	u64 q_inv = amd_ga_cmdq_count(iommu, AMD_GA_CMD_INV_IRT);
	u64 q_cw = amd_ga_cmdq_count(iommu, AMD_GA_CMD_COMPLETION_WAIT);
	s64 inv = atomic64_read(&iommu->stats.irte_invals);
	s64 cw = atomic64_read(&iommu->stats.cmd_waits);
	struct amd_ga_edu_irq *second = edu->b.irq ? &edu->b : &edu->a;
	struct amd_ga_edu_seen s;
	u64 d_inv, d_cw;
	int ret;

	amd_ga_edu_name(edu, res, "invalidations");
	edu->changed = 0;
	ret = amd_ga_edu_route(edu, &edu->a, true);		/* unchanged */
	if (!ret)
		ret = amd_ga_edu_route(edu, &edu->a, false);	/* RemapEn */
	if (!ret)
		ret = amd_ga_edu_route(edu, &edu->a, true);
	if (!ret)
		ret = amd_ga_edu_route(edu, second, true);	/* vector, dest */
	if (!ret)
		ret = amd_ga_edu_route(edu, &edu->a, true);
	if (amd_ga_edu_error(res, "route", ret))
		return;

	d_inv = atomic64_read(&iommu->stats.irte_invals) - inv;
	d_cw = atomic64_read(&iommu->stats.cmd_waits) - cw;
	amd_ga_edu_fire(edu, EDU_ARRIVE_MS, &s);
	scnprintf(res->expected, sizeof(res->expected),
		  "inv_irt:%u,cw:%u,irq:ok", edu->changed * nr, edu->changed);
	scnprintf(res->seen, sizeof(res->seen), "inv_irt:%llu,cw:%llu,irq:%s",
		  d_inv, d_cw,
		  amd_ga_edu_arrived(edu, &s, &edu->a, edu->a.target) ? "ok" : "lost");
	res->pass = edu->changed == 4 && d_inv == edu->changed * nr &&
		    d_cw == edu->changed &&
		    amd_ga_cmdq_count(iommu, AMD_GA_CMD_INV_IRT) - q_inv == d_inv &&
		    amd_ga_cmdq_count(iommu, AMD_GA_CMD_COMPLETION_WAIT) - q_cw == d_cw &&
		    amd_ga_edu_arrived(edu, &s, &edu->a, edu->a.target);
}

/**
 * amd_ga_edu_reenable_cycles() - scenario 6: disable and re-enable the IOMMU
 * @edu: the context, after amd_ga_edu_use_format()
 * @cycles: how many times
 * @res: the outcome
 *
 * Each cycle destroys edu's table, disables the IOMMU, checks the device
 * table base still points at the same (adopted, never zero) table,
 * enables the IOMMU in the same format, builds the table again and checks
 * edu's interrupt arrives through it.
 */
void amd_ga_edu_reenable_cycles(struct amd_ga_edu *edu, unsigned int cycles,
				struct amd_ga_edu_result *res)
{
	struct amd_ga_iommu *iommu = edu->iommu;
	u64 base = amd_ga_read(iommu, AMD_GA_MMIO_DEVTAB_BASE);
	bool want_128 = edu->fmt == AMD_GA_EDU_IRTE128;
	unsigned int i, ok = 0;
	bool same = base != 0;
	int ret = 0;

	memset(res, 0, sizeof(*res));
	scnprintf(res->name, sizeof(res->name), "iommu.reenable_cycles");
	for (i = 0; i < cycles && !ret; i++) {
		struct amd_ga_edu_result one;

		amd_ga_edu_teardown_table(edu);
		ret = amd_ga_iommu_disable(iommu);
		if (ret)
			break;
		same &= amd_ga_read(iommu, AMD_GA_MMIO_DEVTAB_BASE) == base;
		ret = amd_ga_edu_enable(edu, want_128);
		if (ret)
			break;
		same &= amd_ga_read(iommu, AMD_GA_MMIO_DEVTAB_BASE) == base &&
			iommu->devtab->adopted;
		ret = amd_ga_edu_setup_table(edu);
		if (ret)
			break;
		amd_ga_edu_identity(edu, &one);
		ok += one.pass;
	}
	scnprintf(res->expected, sizeof(res->expected),
		  "cycles:%u,devtab:kept,identity:%u", cycles, cycles);
	if (amd_ga_edu_error(res, "cycle", ret))
		return;
	scnprintf(res->seen, sizeof(res->seen), "cycles:%u,devtab:%s,identity:%u",
		  i, same ? "kept" : "changed", ok);
	res->pass = i == cycles && same && ok == cycles;
}

static int amd_ga_edu_claim(struct amd_ga_edu *edu)
{
	struct pci_dev *pdev;
	int ret;

	ret = pci_register_driver(&amd_ga_edu_driver);
	if (ret)
		return ret;
	pdev = amd_ga_edu_bound;
	if (!pdev) {
		pci_unregister_driver(&amd_ga_edu_driver);
		return -ENODEV;
	}
	ret = pci_enable_device(pdev);
	if (ret)
		goto err_driver;
	ret = pci_request_regions(pdev, "amd_ga_edu");
	if (ret)
		goto err_disable;
	edu->bar = pci_iomap(pdev, 0, EDU_BAR_LEN);
	if (!edu->bar) {
		ret = -ENOMEM;
		goto err_regions;
	}
	if ((ioread32(edu->bar + EDU_IDENT) & 0xff) != EDU_IDENT_MAGIC) {
		ret = -ENODEV;
		goto err_unmap;
	}
	/* edu's MSI is a DMA write: without Bus Master it is never sent. */
	pci_set_master(pdev);
	edu->pdev = pdev;
	return 0;

err_unmap:
	pci_iounmap(pdev, edu->bar);
err_regions:
	pci_release_regions(pdev);
err_disable:
	pci_disable_device(pdev);
err_driver:
	pci_unregister_driver(&amd_ga_edu_driver);
	return ret;
}

static void amd_ga_edu_release(struct amd_ga_edu *edu)
{
	struct pci_dev *pdev = edu->pdev;

	if (!pdev)
		return;
	pci_clear_master(pdev);
	pci_iounmap(pdev, edu->bar);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
	pci_unregister_driver(&amd_ga_edu_driver);
	edu->pdev = NULL;
}

/*
 * The second vector: the MSI of the IOMMU's own PCI function. On an IOMMU
 * with guest mode the mmio backend takes that MSI for the GA log
 * (iommu->galog set, see mmio.c); QEMU's has no guest mode, so it is free.
 */
static int amd_ga_edu_second_irq(struct amd_ga_edu *edu)
{
	struct pci_dev *pdev;
	int ret;

	if (!edu->iommu->dev || !dev_is_pci(edu->iommu->dev))
		return -ENODEV;
	if (edu->iommu->galog)
		return -EBUSY;
	pdev = to_pci_dev(edu->iommu->dev);
	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	edu->iommu_pdev = pdev;
	ret = amd_ga_edu_irq_setup(edu, &edu->b, pdev, "amd_ga_edu_2nd");
	if (!ret)
		ret = amd_ga_edu_read_msi(&edu->b, NULL);
	return ret;
}

/**
 * amd_ga_edu_open() - claim edu and prepare the scenarios
 * @iommu: an enabled IOMMU that translates edu
 * @out: the context
 *
 * Binds edu, enables bus mastering, allocates its MSI and a second IRQ
 * (the IOMMU function's MSI) and reads where Linux aims both. edu's
 * interrupts are not remapped until amd_ga_edu_use_format().
 *
 * Context: process context.
 * Return: 0; -ENODEV if there is no edu or the IOMMU is not enabled;
 * -EBUSY if another context is open; another errno.
 */
int amd_ga_edu_open(struct amd_ga_iommu *iommu, struct amd_ga_edu **out)
{
	struct amd_ga_edu *edu;
	int ret;

	if (!iommu || !iommu->enabled)
		return -ENODEV;
	if (amd_ga_edu_bound)
		return -EBUSY;
	edu = kzalloc(sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->iommu = iommu;
	edu->orig_128 = amd_ga_iommu_irte_128(iommu);

	ret = amd_ga_edu_claim(edu);
	if (ret)
		goto err;
	ret = amd_ga_edu_irq_setup(edu, &edu->a, edu->pdev, "amd_ga_edu");
	if (!ret)
		ret = amd_ga_edu_read_msi(&edu->a, &edu->index);
	if (!ret && edu->index >= AMD_GA_IRT_ENTRIES)
		ret = -ERANGE;
	if (ret)
		goto err;
	/* Without a second IRQ only the scenarios that need it fail. */
	if (amd_ga_edu_second_irq(edu))
		pr_warn("no second IRQ (the IOMMU function's MSI) for the move scenarios\n");
	*out = edu;
	return 0;

err:
	amd_ga_edu_close(edu);
	return ret;
}

/**
 * amd_ga_edu_close() - undo amd_ga_edu_open()
 * @edu: the context, or NULL
 *
 * Destroys edu's table (its interrupts pass through again), runs the
 * IOMMU in the format it ran before, frees the IRQs and unbinds edu.
 *
 * Context: process context.
 */
void amd_ga_edu_close(struct amd_ga_edu *edu)
{
	if (!edu)
		return;
	amd_ga_edu_teardown_table(edu);
	if (amd_ga_edu_enable(edu, edu->orig_128))
		pr_err("%s: could not restore the IOMMU's IRTE format\n",
		       edu->iommu->name);
	amd_ga_edu_irq_teardown(&edu->b);
	if (edu->iommu_pdev)
		pci_disable_device(edu->iommu_pdev);
	amd_ga_edu_irq_teardown(&edu->a);
	amd_ga_edu_release(edu);
	kfree(edu);
}

/**
 * amd_ga_edu_run_all() - every scenario, in both IRTE formats
 * @iommu: the IOMMU
 * @report: called with each outcome
 * @arg: passed to @report
 *
 * Context: process context.
 * Return: the number of failed scenarios; a setup failure is reported as
 * a failed "setup" scenario.
 */
int amd_ga_edu_run_all(struct amd_ga_iommu *iommu,
		       void (*report)(const struct amd_ga_edu_result *res,
				      void *arg),
		       void *arg)
{
	static const enum amd_ga_edu_format fmts[] = {
		AMD_GA_EDU_IRTE32, AMD_GA_EDU_IRTE128,
	};
	static void (* const steps[])(struct amd_ga_edu *edu,
				      struct amd_ga_edu_result *res) = {
		amd_ga_edu_identity, amd_ga_edu_second_vector,
		amd_ga_edu_other_cpu, amd_ga_edu_remap_disabled,
		amd_ga_edu_invalidations,
	};
	struct amd_ga_edu_result res;
	struct amd_ga_edu *edu;
	unsigned int f, i;
	int failed = 0, ret;

	ret = amd_ga_edu_open(iommu, &edu);
	if (ret) {
		memset(&res, 0, sizeof(res));
		strscpy(res.name, "setup", sizeof(res.name));
		strscpy(res.expected, "edu+iommu", sizeof(res.expected));
		scnprintf(res.seen, sizeof(res.seen), "error%d", ret);
		report(&res, arg);
		return 1;
	}
	for (f = 0; f < ARRAY_SIZE(fmts); f++) {
		ret = amd_ga_edu_use_format(edu, fmts[f]);
		for (i = 0; i < ARRAY_SIZE(steps); i++) {
			if (ret) {
				edu->fmt = fmts[f];
				amd_ga_edu_name(edu, &res, "format");
				scnprintf(res.seen, sizeof(res.seen), "error%d", ret);
			} else {
				steps[i](edu, &res);
			}
			failed += !res.pass;
			report(&res, arg);
			if (ret)
				break;
		}
	}
	ret = amd_ga_edu_use_format(edu, edu->orig_128 ? AMD_GA_EDU_IRTE128 :
							 AMD_GA_EDU_IRTE32);
	if (!ret) {
		amd_ga_edu_reenable_cycles(edu, 2, &res);
	} else {
		memset(&res, 0, sizeof(res));
		strscpy(res.name, "iommu.reenable_cycles", sizeof(res.name));
		amd_ga_edu_error(&res, "format", ret);
	}
	failed += !res.pass;
	report(&res, arg);
	amd_ga_edu_close(edu);
	return failed;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_edu_run_all);
