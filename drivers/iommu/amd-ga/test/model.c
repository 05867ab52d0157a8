// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "model" backend: a software AMD IOMMU with the register, command,
 * caching, posting and GA log semantics of the hardware reference.
 *
 * Everything the model reads (device table, IRTs, command buffer) and
 * writes (GA log, tail mirror, completion-wait stores, backing page IRRs)
 * is memory the driver programmed by physical address, exactly as for a
 * real IOMMU. One raw spinlock serialises the model, the way the
 * hardware serialises its own state; the output callbacks run outside it.
 */
#define pr_fmt(fmt) "amd-ga model: " fmt

#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/export.h>
#include <linux/fwnode.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/irqdomain.h>
#include <linux/lockdep.h>
#include <linux/mem_encrypt.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "atomic128.h"
#include "export.h"
#include "instance.h"
#include "model.h"
#include "vapic.h"

#define REG(m, off)	((m)->regs[(off) / 8])

/*
 * Guest-mode IRTE fields the IOMMU never caches (reference 7.5): IsRun,
 * Destination, GATag and GALogIntr are read from memory on every
 * interrupt; everything else may come from the IRTE cache.
 */
#define MODEL_LO_FRESH	(AMD_GA_IRTE_LO_IS_RUN | AMD_GA_IRTE_LO_DEST_LO | \
			 AMD_GA_IRTE_LO_GATAG | AMD_GA_IRTE_LO_GALOG_INTR)
#define MODEL_HI_FRESH	AMD_GA_IRTE_HI_DEST_HI

/* Log and buffer length codes: 2^code 16-byte units, 4 KiB .. 512 KiB. */
#define MODEL_LEN_MIN	8
#define MODEL_LEN_MAX	15
#define MODEL_INT_TAB_LEN_MAX	AMD_GA_DTE_INT_TAB_LEN_2K	/* 2048 IRTEs */

/**
 * amd_ga_model_efr() - the Extended Feature Register the model reports
 *
 * Return: GASup, GAMSup = vAPIC, IASup and XTSup.
 */
u64 amd_ga_model_efr(void)
{
	return AMD_GA_EFR_GA_SUP | AMD_GA_EFR_IA_SUP | AMD_GA_EFR_XT_SUP |
	       FIELD_PREP(AMD_GA_EFR_GAM_SUP, AMD_GA_EFR_GAM_SUP_VAPIC);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_model_efr);

/*
 * Memory the driver pointed the model at, by physical address. A real
 * IOMMU would raise a fault for an address outside memory; the model
 * counts it and refuses the access.
 */
static void *model_va(struct amd_ga_model *m, u64 pa, size_t len, size_t align)
{
	pa = __sme_clr(pa);
	if (!pa || !IS_ALIGNED(pa, align) || !pfn_valid(PHYS_PFN(pa)) ||
	    !pfn_valid(PHYS_PFN(pa + len - 1))) {
		m->stats.bad_addr++;
		return NULL;
	}
	return phys_to_virt(pa);
}

/* Raise the GA interrupt (an edge: several raises may coalesce). */
static void model_ga_irq(struct amd_ga_model *m)
{
	lockdep_assert_held(&m->lock);
	if (!(REG(m, AMD_GA_MMIO_CONTROL) & AMD_GA_CTRL_GAINT_EN) || !m->ga_irq)
		return;
	m->stats.ga_irqs++;
	irq_work_queue(&m->ga_work);
}

/*
 * The GA log buffer and its size in bytes, or NULL if misprogrammed. A
 * log that lingers after it was told to stop still writes the buffer it
 * was started with.
 */
static u64 *model_galog(struct amd_ga_model *m, u32 *size)
{
	u64 base = m->galog_stopping ? m->galog_run_base :
				       REG(m, AMD_GA_MMIO_GALOG_BASE);
	unsigned int len = FIELD_GET(AMD_GA_GALOG_BASE_LEN, base);

	if (len < MODEL_LEN_MIN || len > MODEL_LEN_MAX)
		return NULL;
	*size = 16U << len;
	return model_va(m, base & AMD_GA_GALOG_BASE_ADDR, *size, SZ_4K);
}

/*
 * The log was told to stop (GALogEn cleared, or an overflow): GALogRun
 * goes to 0 at once, or, with the linger quirk, after that many Status
 * reads, the log writing on meanwhile (model_read()).
 */
static void model_galog_stop(struct amd_ga_model *m)
{
	lockdep_assert_held(&m->lock);
	if (!(REG(m, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_RUN))
		return;
	if (m->galog_run_linger) {
		m->galog_stopping = true;
		return;
	}
	m->galog_stopping = false;
	REG(m, AMD_GA_MMIO_STATUS) &= ~AMD_GA_STATUS_GALOG_RUN;
}

/*
 * Append one entry at the tail. A full log (the next tail would reach
 * the head) drops the entry, sets GALOverflow and stops the log
 * (GALogRun = 0) until software restarts it; the interrupt is raised
 * without GAInt, as hardware does.
 */
static enum amd_ga_model_result model_galog_append(struct amd_ga_model *m,
						   u64 entry)
{
	u32 size, head, tail, next;
	u64 *buf, *mirror;

	lockdep_assert_held(&m->lock);
	if ((!(REG(m, AMD_GA_MMIO_CONTROL) & AMD_GA_CTRL_GALOG_EN) &&
	     !m->galog_stopping) ||
	    !(REG(m, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_RUN))
		return AMD_GA_MODEL_LOG_OFF;
	buf = model_galog(m, &size);
	if (!buf)
		return AMD_GA_MODEL_LOG_OFF;

	head = REG(m, AMD_GA_MMIO_GALOG_HEAD) & (size - 1);
	tail = REG(m, AMD_GA_MMIO_GALOG_TAIL) & (size - 1);
	next = (tail + AMD_GA_GALOG_ENTRY_SIZE) & (size - 1);
	if (next == head) {
		REG(m, AMD_GA_MMIO_STATUS) |= AMD_GA_STATUS_GALOG_OVERFLOW;
		model_galog_stop(m);
		model_ga_irq(m);
		return AMD_GA_MODEL_LOG_FULL;
	}

	WRITE_ONCE(buf[tail / AMD_GA_GALOG_ENTRY_SIZE], entry);
	/* The entry is in memory before the tail says so. */
	smp_wmb();
	REG(m, AMD_GA_MMIO_GALOG_TAIL) = next;
	mirror = model_va(m, (m->galog_stopping ? m->galog_run_tail_addr :
			      REG(m, AMD_GA_MMIO_GALOG_TAIL_ADDR)) &
			  AMD_GA_GALOG_TAIL_ADDR, sizeof(u64), sizeof(u64));
	if (mirror)
		WRITE_ONCE(*mirror, next);
	REG(m, AMD_GA_MMIO_STATUS) |= AMD_GA_STATUS_GALOG_INT;
	m->stats.galog_entries++;
	model_ga_irq(m);
	return AMD_GA_MODEL_LOGGED;
}

/*
 * GALogEn 0 -> 1 starts the log, if it is programmed and not overflowed.
 * A log still lingering after a stop never stopped: the edge is lost, as
 * the restart sequence's "wait for GALogRun = 0" warns.
 */
static void model_galog_start(struct amd_ga_model *m)
{
	u32 size;

	if (m->galog_stopping || m->no_galog_run || !model_galog(m, &size) ||
	    (REG(m, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_OVERFLOW))
		return;
	m->galog_run_base = REG(m, AMD_GA_MMIO_GALOG_BASE);
	m->galog_run_tail_addr = REG(m, AMD_GA_MMIO_GALOG_TAIL_ADDR);
	REG(m, AMD_GA_MMIO_STATUS) |= AMD_GA_STATUS_GALOG_RUN;
}

static void model_inv_irt(struct amd_ga_model *m, u16 devid)
{
	unsigned int i;

	for (i = 0; i < AMD_GA_MODEL_IRTE_CACHE; i++)
		if (m->irte_cache[i].devid == devid)
			m->irte_cache[i].valid = false;
}

static void model_inv_all(struct amd_ga_model *m)
{
	unsigned int i;

	for (i = 0; i < AMD_GA_MODEL_IRTE_CACHE; i++)
		m->irte_cache[i].valid = false;
	for (i = 0; i < AMD_GA_MODEL_DTE_CACHE; i++)
		m->dte_cache[i].valid = false;
}

static void model_cmd(struct amd_ga_model *m, u64 c0, u64 c1)
{
	u16 devid = FIELD_GET(AMD_GA_CMD_DEVID, c0);
	struct amd_ga_model_dte_slot *d;
	u64 *store;

	m->stats.cmds++;
	switch (FIELD_GET(AMD_GA_CMD_OPCODE, c0)) {
	case AMD_GA_CMD_COMPLETION_WAIT:
		/* Commands run synchronously: everything before is done. */
		if (c0 & AMD_GA_CMD_CW_STORE) {
			store = model_va(m, c0 & AMD_GA_CMD_CW_ADDR,
					 sizeof(u64), sizeof(u64));
			if (store) {
				/* Earlier effects are visible before the store. */
				smp_wmb();
				WRITE_ONCE(*store, c1);
			}
		}
		if (c0 & AMD_GA_CMD_CW_INT)
			REG(m, AMD_GA_MMIO_STATUS) |= AMD_GA_STATUS_COMWAIT_INT;
		break;
	case AMD_GA_CMD_INV_DEVTAB_ENTRY:
		m->stats.inv_dte++;
		d = &m->dte_cache[devid % AMD_GA_MODEL_DTE_CACHE];
		if (d->devid == devid)
			d->valid = false;
		break;
	case AMD_GA_CMD_INV_IRT:
		m->stats.inv_irt++;
		model_inv_irt(m, devid);
		break;
	case AMD_GA_CMD_INV_ALL:
		m->stats.inv_all++;
		model_inv_all(m);
		break;
	case AMD_GA_CMD_INV_IOMMU_PAGES:
	case AMD_GA_CMD_INV_IOTLB_PAGES:
	case AMD_GA_CMD_COMPLETE_PPR:
		/* No translation caches or PPR in the model. */
		break;
	default:
		m->stats.cmd_illegal++;
		break;
	}
}

/* Process the command buffer from head to tail, as a Tail write does. */
static void model_run_cmds(struct amd_ga_model *m)
{
	u64 ctrl = REG(m, AMD_GA_MMIO_CONTROL);
	u64 base = REG(m, AMD_GA_MMIO_CMD_BASE);
	unsigned int len = FIELD_GET(AMD_GA_CMD_BASE_LEN, base);
	u32 size, head, tail;
	u64 *buf;

	if (!(ctrl & AMD_GA_CTRL_IOMMU_EN) || !(ctrl & AMD_GA_CTRL_CMD_BUF_EN))
		return;
	if (len < MODEL_LEN_MIN || len > MODEL_LEN_MAX)
		return;
	size = 16U << len;
	buf = model_va(m, base & AMD_GA_CMD_BASE_ADDR, size, SZ_4K);
	if (!buf)
		return;

	head = REG(m, AMD_GA_MMIO_CMD_HEAD) & (size - 1);
	tail = REG(m, AMD_GA_MMIO_CMD_TAIL) & (size - 1);
	while (head != tail) {
		u64 *cmd = &buf[head / sizeof(u64)];

		model_cmd(m, READ_ONCE(cmd[0]), READ_ONCE(cmd[1]));
		head = (head + AMD_GA_CMD_SIZE) & (size - 1);
	}
	REG(m, AMD_GA_MMIO_CMD_HEAD) = head;
}

static void model_write_ctrl(struct amd_ga_model *m, u64 val)
{
	u64 old = REG(m, AMD_GA_MMIO_CONTROL);

	REG(m, AMD_GA_MMIO_CONTROL) = val;
	if (!(val & AMD_GA_CTRL_GALOG_EN) && (old & AMD_GA_CTRL_GALOG_EN))
		m->stats.galog_en_clears++;
	if ((val & AMD_GA_CTRL_GALOG_EN) && !(old & AMD_GA_CTRL_GALOG_EN)) {
		m->stats.galog_en_sets++;
		model_galog_start(m);
	}
	if (!(val & AMD_GA_CTRL_GALOG_EN))
		model_galog_stop(m);
	if (val & AMD_GA_CTRL_CMD_BUF_EN) {
		REG(m, AMD_GA_MMIO_STATUS) |= AMD_GA_STATUS_CMD_BUF_RUN;
		model_run_cmds(m);
	} else {
		REG(m, AMD_GA_MMIO_STATUS) &= ~AMD_GA_STATUS_CMD_BUF_RUN;
	}
}

static u64 model_read(struct amd_ga_iommu *iommu, u32 off)
{
	struct amd_ga_model *m = to_amd_ga_model(iommu);
	unsigned long flags;
	u64 val;

	if (off >= AMD_GA_MMIO_SIZE || !IS_ALIGNED(off, 8))
		return ~0ULL;
	raw_spin_lock_irqsave(&m->lock, flags);
	val = REG(m, off);
	if (off == AMD_GA_MMIO_GALOG_TAIL)
		m->stats.galog_tail_reads++;
	/* A lingering stop completes after the quirk's count of reads. */
	if (off == AMD_GA_MMIO_STATUS && m->galog_stopping &&
	    m->galog_run_linger != AMD_GA_MODEL_LINGER_FOREVER &&
	    !--m->galog_run_linger) {
		m->galog_stopping = false;
		REG(m, AMD_GA_MMIO_STATUS) &= ~AMD_GA_STATUS_GALOG_RUN;
	}
	raw_spin_unlock_irqrestore(&m->lock, flags);
	return val;
}

static void model_write(struct amd_ga_iommu *iommu, u32 off, u64 val)
{
	struct amd_ga_model *m = to_amd_ga_model(iommu);
	unsigned long flags;

	if (off >= AMD_GA_MMIO_SIZE || !IS_ALIGNED(off, 8))
		return;
	raw_spin_lock_irqsave(&m->lock, flags);
	switch (off) {
	case AMD_GA_MMIO_EFR:
	case AMD_GA_MMIO_EFR2:
		break;	/* read-only */
	case AMD_GA_MMIO_CONTROL:
		model_write_ctrl(m, val);
		break;
	case AMD_GA_MMIO_STATUS:
		REG(m, off) &= ~(val & AMD_GA_STATUS_W1C);
		break;
	case AMD_GA_MMIO_DEVTAB_BASE:
		REG(m, off) = val & (AMD_GA_DEVTAB_BASE_ADDR |
				     AMD_GA_DEVTAB_BASE_SIZE);
		break;
	case AMD_GA_MMIO_CMD_BASE:
		REG(m, off) = val & (AMD_GA_CMD_BASE_ADDR | AMD_GA_CMD_BASE_LEN);
		break;
	case AMD_GA_MMIO_CMD_HEAD:
	case AMD_GA_MMIO_CMD_TAIL:
		REG(m, off) = val & AMD_GA_CMD_PTR;
		model_run_cmds(m);
		break;
	case AMD_GA_MMIO_GALOG_BASE:
		if (REG(m, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_RUN)
			m->stats.galog_reprogram_running++;
		REG(m, off) = val & (AMD_GA_GALOG_BASE_ADDR |
				     AMD_GA_GALOG_BASE_LEN);
		break;
	case AMD_GA_MMIO_GALOG_TAIL_ADDR:
		if (REG(m, AMD_GA_MMIO_STATUS) & AMD_GA_STATUS_GALOG_RUN)
			m->stats.galog_reprogram_running++;
		REG(m, off) = val & AMD_GA_GALOG_TAIL_ADDR;
		break;
	case AMD_GA_MMIO_GALOG_HEAD:
	case AMD_GA_MMIO_GALOG_TAIL:
		REG(m, off) = val & AMD_GA_GALOG_PTR;
		break;
	default:
		REG(m, off) = val;
		break;
	}
	raw_spin_unlock_irqrestore(&m->lock, flags);
}

/* DTE bits 191:128 of @devid, through the DTE cache. */
static bool model_dte(struct amd_ga_model *m, u16 devid, u64 *data2)
{
	struct amd_ga_model_dte_slot *d = &m->dte_cache[devid % AMD_GA_MODEL_DTE_CACHE];
	u64 base = REG(m, AMD_GA_MMIO_DEVTAB_BASE);
	u32 entries = (FIELD_GET(AMD_GA_DEVTAB_BASE_SIZE, base) + 1) *
		      (SZ_4K / AMD_GA_DTE_SIZE);
	u64 *dte;

	if (d->valid && d->devid == devid) {
		*data2 = d->data2;
		return true;
	}
	if (devid >= entries)
		return false;
	dte = model_va(m, (base & AMD_GA_DEVTAB_BASE_ADDR) +
		       (u64)devid * AMD_GA_DTE_SIZE, AMD_GA_DTE_SIZE,
		       AMD_GA_DTE_SIZE);
	if (!dte)
		return false;
	*data2 = READ_ONCE(dte[AMD_GA_DTE_IRQ_QWORD]);
	d->valid = true;
	d->devid = devid;
	d->data2 = *data2;
	return true;
}

/*
 * IRTE @index of @devid through the IRTE cache: a hit returns what was
 * read before, stale or not, until INVALIDATE_INTERRUPT_TABLE for @devid.
 */
static struct amd_ga_irte *model_irte(struct amd_ga_model *m, u16 devid,
				      u32 index, u64 root, bool ga,
				      struct amd_ga_irte *val)
{
	struct amd_ga_model_irte_slot *c;
	struct amd_ga_irte *p;
	u32 *p32;

	c = &m->irte_cache[(devid * 31 + index) % AMD_GA_MODEL_IRTE_CACHE];
	if (ga) {
		p = model_va(m, root + (u64)index * sizeof(*p), sizeof(*p),
			     sizeof(*p));
		if (!p)
			return NULL;
	} else {
		p32 = model_va(m, root + (u64)index * sizeof(u32), sizeof(u32),
			       sizeof(u32));
		if (!p32)
			return NULL;
		p = NULL;
	}

	if (!(REG(m, AMD_GA_MMIO_CONTROL) & AMD_GA_CTRL_IRTCACHE_DIS) &&
	    c->valid && c->devid == devid && c->index == index) {
		m->stats.irte_cache_hits++;
		*val = c->irte;
		return p ? p : val;
	}

	if (p) {
		*val = amd_ga_load128(p);
	} else {
		val->lo = READ_ONCE(*p32);
		val->hi = 0;
	}
	if (!(REG(m, AMD_GA_MMIO_CONTROL) & AMD_GA_CTRL_IRTCACHE_DIS)) {
		c->valid = true;
		c->devid = devid;
		c->index = index;
		c->irte = *val;
	}
	return p ? p : val;
}

struct model_out {
	u32 vector;
	u32 dest;
	bool dest_logical;
};

static enum amd_ga_model_result model_post(struct amd_ga_model *m, u16 devid,
					   u32 index, struct model_out *out)
{
	u64 ctrl = REG(m, AMD_GA_MMIO_CONTROL);
	bool ga = ctrl & AMD_GA_CTRL_GA_EN;
	bool xt = ctrl & AMD_GA_CTRL_XT_EN;
	struct amd_ga_irte val, fresh, *mem;
	struct amd_ga_irte_fields f;
	unsigned int tablen;
	u64 data2, entry;
	void *page;

	lockdep_assert_held(&m->lock);
	if (!(ctrl & AMD_GA_CTRL_IOMMU_EN))
		return AMD_GA_MODEL_UNTRANSLATED;
	if (!model_dte(m, devid, &data2))
		return AMD_GA_MODEL_ABORTED;
	if (!(data2 & AMD_GA_DTE2_IV))
		return AMD_GA_MODEL_UNTRANSLATED;
	switch (FIELD_GET(AMD_GA_DTE2_INT_CTL, data2)) {
	case AMD_GA_DTE_INT_CTL_REMAP:
		break;
	case AMD_GA_DTE_INT_CTL_FORWARD:
		return AMD_GA_MODEL_UNTRANSLATED;
	default:
		return AMD_GA_MODEL_ABORTED;
	}
	tablen = FIELD_GET(AMD_GA_DTE2_INT_TAB_LEN, data2);
	if (tablen > MODEL_INT_TAB_LEN_MAX || index >= BIT(tablen))
		return AMD_GA_MODEL_ABORTED;

	mem = model_irte(m, devid, index, data2 & AMD_GA_DTE2_INT_TAB_ROOT,
			 ga, &val);
	if (!mem)
		return AMD_GA_MODEL_ABORTED;
	if (ga)
		amd_ga_irte_decode(&val, &f);
	else
		amd_ga_irte32_decode(val.lo, &f);
	if (f.mode == AMD_GA_IRTE_DISABLED)
		return AMD_GA_MODEL_DISABLED;
	if (f.rsvd_set)
		return AMD_GA_MODEL_ABORTED;

	if (f.mode == AMD_GA_IRTE_REMAPPED) {
		out->vector = f.remap.vector;
		out->dest = xt ? f.remap.dest : f.remap.dest & AMD_GA_DEST8_MAX;
		out->dest_logical = f.remap.dest_logical;
		return AMD_GA_MODEL_REMAPPED;
	}

	/* Guest mode: only with GAEn and GAMEn = vAPIC. */
	if (FIELD_GET(AMD_GA_CTRL_GAM_EN, ctrl) != AMD_GA_CTRL_GAM_VAPIC)
		return AMD_GA_MODEL_ABORTED;
	page = model_va(m, f.guest.ga_root_pa, AMD_GA_VAPIC_PAGE_SIZE, SZ_4K);
	if (!page)
		return AMD_GA_MODEL_ABORTED;
	amd_ga_vapic_irr_set(page, f.guest.vector);

	/*
	 * The uncached fields are read after the IRR update (a full barrier
	 * sits in between): a vCPU that clears IsRun and then checks its IRR
	 * either sees the vector or is seen as not running here.
	 */
	fresh = amd_ga_load128(mem);
	val.lo = (val.lo & ~MODEL_LO_FRESH) | (fresh.lo & MODEL_LO_FRESH);
	val.hi = (val.hi & ~MODEL_HI_FRESH) | (fresh.hi & MODEL_HI_FRESH);
	amd_ga_irte_decode(&val, &f);

	if (f.guest.is_run) {
		out->dest = xt ? f.guest.dest : f.guest.dest & AMD_GA_DEST8_MAX;
		return AMD_GA_MODEL_DOORBELL;
	}
	if (!f.guest.ga_log_intr)
		return AMD_GA_MODEL_IRR_ONLY;
	entry = FIELD_PREP(AMD_GA_GALOG_ENT_GATAG, f.guest.ga_tag) |
		FIELD_PREP(AMD_GA_GALOG_ENT_DEVID, devid) |
		FIELD_PREP(AMD_GA_GALOG_ENT_CODE, AMD_GA_GALOG_CODE_GUEST_NR);
	return model_galog_append(m, entry);
}

/*
 * The IRTE index in an MSI's data: bits 10:0 with 2K support offered
 * (EFR2 NumIntRemapSup) and enabled (Control NumIntRemapMode = 2K), else
 * bits 8:0. A NumIntRemapMode the model does not offer has no effect.
 */
static u32 model_msi_index(struct amd_ga_model *m, u32 data)
{
	lockdep_assert_held(&m->lock);
	if (FIELD_GET(AMD_GA_EFR2_NUM_INT_REMAP_SUP,
		      REG(m, AMD_GA_MMIO_EFR2)) == AMD_GA_EFR2_NUM_INT_REMAP_2K &&
	    FIELD_GET(AMD_GA_CTRL_NUM_INT_REMAP_MODE,
		      REG(m, AMD_GA_MMIO_CONTROL)) == AMD_GA_CTRL_NUM_INT_REMAP_2K)
		return data & AMD_GA_MSI_DATA_IRTE_INDEX_2K;
	return data & AMD_GA_MSI_DATA_IRTE_INDEX_512;
}

static enum amd_ga_model_result model_raise(struct amd_ga_model *m, u16 devid,
					    u32 index_or_data, bool msi)
{
	struct model_out out = {};
	enum amd_ga_model_result res;
	unsigned long flags;
	u32 index = index_or_data;

	raw_spin_lock_irqsave(&m->lock, flags);
	if (msi)
		index = model_msi_index(m, index_or_data);
	res = model_post(m, devid, index, &out);
	m->stats.results[res]++;
	raw_spin_unlock_irqrestore(&m->lock, flags);

	if (res == AMD_GA_MODEL_DOORBELL && m->ops && m->ops->doorbell)
		m->ops->doorbell(m->ctx, out.dest);
	else if (res == AMD_GA_MODEL_REMAPPED && m->ops && m->ops->deliver)
		m->ops->deliver(m->ctx, out.vector, out.dest, out.dest_logical);
	return res;
}

/**
 * amd_ga_model_raise() - device @devid raises its MSI with IRT index @index
 * @m: the model
 * @devid: requester ID (bus/device/function)
 * @index: interrupt remapping table index, as the IOMMU took it from the
 *	MSI data (amd_ga_model_raise_msi() takes the data itself)
 *
 * Runs the IOMMU's interrupt path: DTE, IRT root, IRTE (16 bytes with
 * GAEn, else 4), then remaps, posts (IRR + doorbell or GA log) or drops.
 * An @index at or beyond the table's 2^IntTabLen entries is target-aborted
 * (AMD_GA_MODEL_ABORTED) without reading memory.
 *
 * Context: any, including hard interrupt context.
 * Return: what happened.
 */
enum amd_ga_model_result amd_ga_model_raise(struct amd_ga_model *m,
					    u16 devid, u32 index)
{
	return model_raise(m, devid, index, false);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_model_raise);

/**
 * amd_ga_model_raise_msi() - device @devid raises its MSI with data @data
 * @m: the model
 * @devid: requester ID (bus/device/function)
 * @data: the MSI data the device writes
 *
 * amd_ga_model_raise() with the index the IOMMU takes from @data: bits
 * 10:0 when the model offers 2K IRTEs (struct amd_ga_model_cfg) and
 * Control NumIntRemapMode = 2K, bits 8:0 otherwise; higher bits are
 * ignored. The index is then bounded by the DTE's IntTabLen.
 *
 * Context: any, including hard interrupt context.
 * Return: what happened.
 */
enum amd_ga_model_result amd_ga_model_raise_msi(struct amd_ga_model *m,
						u16 devid, u32 data)
{
	return model_raise(m, devid, data, true);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_model_raise_msi);

/**
 * amd_ga_model_galog_inject() - write an arbitrary GA log entry
 * @m: the model
 * @entry: the raw 64-bit entry (any event code, any tag, even zero)
 *
 * Fault injection for tests: the entry goes through the same append path
 * as a posted interrupt (tail, mirror, GAInt, overflow).
 *
 * Return: 0, -ENOSPC if the log was full (GALOverflow is now set),
 * -EAGAIN if the log is not running.
 */
int amd_ga_model_galog_inject(struct amd_ga_model *m, u64 entry)
{
	enum amd_ga_model_result res;
	unsigned long flags;

	raw_spin_lock_irqsave(&m->lock, flags);
	res = model_galog_append(m, entry);
	raw_spin_unlock_irqrestore(&m->lock, flags);
	if (res == AMD_GA_MODEL_LOG_FULL)
		return -ENOSPC;
	return res == AMD_GA_MODEL_LOGGED ? 0 : -EAGAIN;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_model_galog_inject);

/**
 * amd_ga_model_set_no_galog_run() - behave like QEMU: never set GALogRun
 * @m: the model
 * @quirk: true to never report GALogRun
 */
void amd_ga_model_set_no_galog_run(struct amd_ga_model *m, bool quirk)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&m->lock, flags);
	m->no_galog_run = quirk;
	if (quirk) {
		m->galog_stopping = false;
		REG(m, AMD_GA_MMIO_STATUS) &= ~AMD_GA_STATUS_GALOG_RUN;
	}
	raw_spin_unlock_irqrestore(&m->lock, flags);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_model_set_no_galog_run);

/**
 * amd_ga_model_set_galog_run_linger() - a GA log that is slow to stop
 * @m: the model
 * @reads: Status reads for which GALogRun stays 1 after the log is told
 *	to stop (GALogEn cleared, or an overflow); 0 to stop at once (a stop
 *	lingering now completes), AMD_GA_MODEL_LINGER_FOREVER for a log that
 *	never stops
 *
 * Until GALogRun reads 0 the log keeps writing entries and the tail slot
 * where it was started, whatever is programmed meanwhile, and a GALogEn
 * 0 -> 1 edge does not restart it: what real hardware may do when
 * software does not wait for GALogRun = 0. The count applies to the next
 * stop (or the one lingering now) and is used up by it.
 */
void amd_ga_model_set_galog_run_linger(struct amd_ga_model *m, u32 reads)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&m->lock, flags);
	m->galog_run_linger = reads;
	if (!reads && m->galog_stopping) {
		m->galog_stopping = false;
		REG(m, AMD_GA_MMIO_STATUS) &= ~AMD_GA_STATUS_GALOG_RUN;
	}
	raw_spin_unlock_irqrestore(&m->lock, flags);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_model_set_galog_run_linger);

/**
 * amd_ga_model_get_stats() - snapshot of the model's counters
 * @m: the model
 * @out: the counters
 */
void amd_ga_model_get_stats(struct amd_ga_model *m,
			    struct amd_ga_model_stats *out)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&m->lock, flags);
	*out = m->stats;
	raw_spin_unlock_irqrestore(&m->lock, flags);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_model_get_stats);

/* The GA interrupt: a one-interrupt IRQ domain with a chip that does nothing. */
static void model_irq_noop(struct irq_data *d)
{
}

/*
 * Oneshot-safe, as PCI/MSI chips (which carry the hardware's GA interrupt)
 * are: masking does nothing here, so the core need not keep the line
 * masked until the thread is done. Without the flag the core treats the
 * line as oneshot, and the IRQ thread, when it finishes before the hard
 * handler on the raising CPU has returned (irq_work there may be slow
 * to exit, as under an emulated CPU), spins in irq_finalize_oneshot()
 * until it has, and only then lets the vCPU it woke run on its CPU.
 */
static struct irq_chip model_irq_chip = {
	.name		= "amd-ga-model",
	.irq_mask	= model_irq_noop,
	.irq_unmask	= model_irq_noop,
	.flags		= IRQCHIP_ONESHOT_SAFE,
};

static int model_irq_map(struct irq_domain *d, unsigned int virq,
			 irq_hw_number_t hw)
{
	irq_set_chip_and_handler(virq, &model_irq_chip, handle_simple_irq);
	irq_set_chip_data(virq, d->host_data);
	return 0;
}

static const struct irq_domain_ops model_irq_domain_ops = {
	.map = model_irq_map,
};

/* irq_work callback, in hard interrupt context: deliver the GA interrupt. */
static void model_ga_work(struct irq_work *work)
{
	struct amd_ga_model *m = container_of(work, struct amd_ga_model, ga_work);
	int irq = READ_ONCE(m->ga_irq);

	if (irq)
		generic_handle_irq(irq);
}

static int model_alloc_ga_irq(struct amd_ga_iommu *iommu)
{
	struct amd_ga_model *m = to_amd_ga_model(iommu);
	unsigned long flags;
	unsigned int virq;

	if (m->domain)
		return -EBUSY;
	m->fwnode = irq_domain_alloc_named_fwnode(iommu->name);
	if (!m->fwnode)
		return -ENOMEM;
	m->domain = irq_domain_create_linear(m->fwnode, 1,
					     &model_irq_domain_ops, m);
	if (!m->domain)
		goto err_fwnode;
	virq = irq_create_mapping(m->domain, 0);
	if (!virq)
		goto err_domain;

	raw_spin_lock_irqsave(&m->lock, flags);
	m->ga_irq = virq;
	raw_spin_unlock_irqrestore(&m->lock, flags);
	return virq;

err_domain:
	irq_domain_remove(m->domain);
	m->domain = NULL;
err_fwnode:
	irq_domain_free_fwnode(m->fwnode);
	m->fwnode = NULL;
	return -ENOMEM;
}

static void model_free_ga_irq(struct amd_ga_iommu *iommu)
{
	struct amd_ga_model *m = to_amd_ga_model(iommu);
	unsigned long flags;
	int irq;

	if (!m->domain)
		return;
	raw_spin_lock_irqsave(&m->lock, flags);
	irq = m->ga_irq;
	m->ga_irq = 0;
	raw_spin_unlock_irqrestore(&m->lock, flags);
	/* No raise is queued or running once this returns. */
	irq_work_sync(&m->ga_work);
	irq_dispose_mapping(irq);
	irq_domain_remove(m->domain);
	m->domain = NULL;
	irq_domain_free_fwnode(m->fwnode);
	m->fwnode = NULL;
}

static void model_release(struct amd_ga_iommu *iommu)
{
	kvfree(to_amd_ga_model(iommu));
}

static const struct amd_ga_backend_ops model_backend_ops = {
	.name		= "model",
	.read		= model_read,
	.write		= model_write,
	.alloc_ga_irq	= model_alloc_ga_irq,
	.free_ga_irq	= model_free_ga_irq,
	.release	= model_release,
};

/**
 * amd_ga_model_create_cfg() - a new software IOMMU with chosen features
 * @ops: where remapped interrupts and doorbells go (may be NULL)
 * @ctx: argument of @ops
 * @cfg: what it offers beyond amd_ga_model_create()'s model, or NULL
 *
 * The model comes up as hardware does after reset: everything disabled,
 * EFR advertising GA, vAPIC, IA and XT, EFR2 as @cfg says (0 without).
 *
 * Context: process context.
 * Return: the model or an ERR_PTR().
 */
struct amd_ga_model *
amd_ga_model_create_cfg(const struct amd_ga_model_ops *ops, void *ctx,
			const struct amd_ga_model_cfg *cfg)
{
	struct amd_ga_model *m;

	m = kvzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	raw_spin_lock_init(&m->lock);
#ifdef IRQ_WORK_INIT_HARD
	m->ga_work = IRQ_WORK_INIT_HARD(model_ga_work);
#else
	init_irq_work(&m->ga_work, model_ga_work);
#endif
	m->ops = ops;
	m->ctx = ctx;
	REG(m, AMD_GA_MMIO_EFR) = amd_ga_model_efr();
	/* Read by amd_ga_iommu_init(), as the driver reads hardware's. */
	REG(m, AMD_GA_MMIO_EFR2) = cfg ? cfg->efr2 : 0;
	amd_ga_iommu_init(&m->iommu, &model_backend_ops, m, NULL);
	amd_ga_iommu_register(&m->iommu);
	return m;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_model_create_cfg);

/**
 * amd_ga_model_create() - a new software IOMMU, registered with amd-ga
 * @ops: where remapped interrupts and doorbells go (may be NULL)
 * @ctx: argument of @ops
 *
 * The model comes up as hardware does after reset: everything disabled,
 * EFR advertising GA, vAPIC, IA and XT, EFR2 zero (512-entry tables).
 *
 * Context: process context.
 * Return: the model or an ERR_PTR().
 */
struct amd_ga_model *amd_ga_model_create(const struct amd_ga_model_ops *ops,
					 void *ctx)
{
	return amd_ga_model_create_cfg(ops, ctx, NULL);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_model_create);

/**
 * amd_ga_model_destroy() - remove a model
 * @m: the model; its GA log must be disabled
 *
 * Context: process context.
 */
void amd_ga_model_destroy(struct amd_ga_model *m)
{
	if (IS_ERR_OR_NULL(m))
		return;
	amd_ga_iommu_unregister(&m->iommu);
	model_free_ga_irq(&m->iommu);
	m->iommu.ops->release(&m->iommu);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_model_destroy);

/**
 * amd_ga_model_start_cfg() - a model IOMMU with chosen features, enabled
 * @ops: where remapped interrupts and doorbells go (may be NULL)
 * @ctx: argument of @ops
 * @cfg: the features and enable flags, or NULL for amd_ga_model_start()'s
 *
 * amd_ga_model_create_cfg(), then amd_ga_iommu_enable() with
 * @cfg->enable_flags: command queue, device table, GAEn, NumIntRemapMode =
 * 2K if @cfg offers it, GAMEn = vAPIC and the GA log with its threaded
 * interrupt. XTEn is left to the caller. The model stops reading the
 * device table once disabled, so the table may be freed on disable.
 *
 * Context: process context.
 * Return: the running model, or an ERR_PTR() with nothing left behind
 * (-EOPNOTSUPP if the GA log did not come up).
 */
struct amd_ga_model *
amd_ga_model_start_cfg(const struct amd_ga_model_ops *ops, void *ctx,
		       const struct amd_ga_model_cfg *cfg)
{
	struct amd_ga_model *m = amd_ga_model_create_cfg(ops, ctx, cfg);
	int ret;

	if (IS_ERR(m))
		return m;
	m->iommu.devtab_reclaimable = true;
	ret = amd_ga_iommu_enable(&m->iommu, cfg ? cfg->enable_flags : 0);
	if (!ret && !m->iommu.galog) {
		amd_ga_iommu_disable(&m->iommu);
		ret = -EOPNOTSUPP;
	}
	if (ret) {
		amd_ga_model_destroy(m);
		return ERR_PTR(ret);
	}
	return m;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_model_start_cfg);

/**
 * amd_ga_model_start() - a model IOMMU enabled as amd-ga enables hardware
 * @ops: where remapped interrupts and doorbells go (may be NULL)
 * @ctx: argument of @ops
 *
 * amd_ga_model_start_cfg() with the default model (no EFR2 features,
 * 512-entry tables) and no enable flags.
 *
 * Context: process context.
 * Return: the running model, or an ERR_PTR() with nothing left behind
 * (-EOPNOTSUPP if the GA log did not come up).
 */
struct amd_ga_model *amd_ga_model_start(const struct amd_ga_model_ops *ops,
					void *ctx)
{
	return amd_ga_model_start_cfg(ops, ctx, NULL);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_model_start);

/**
 * amd_ga_model_stop() - disable and remove a model from amd_ga_model_start()
 * @m: the model, or NULL / an ERR_PTR() (nothing to do)
 *
 * Context: process context; the tables of its devices are destroyed.
 */
void amd_ga_model_stop(struct amd_ga_model *m)
{
	if (IS_ERR_OR_NULL(m))
		return;
	amd_ga_iommu_disable(&m->iommu);
	amd_ga_model_destroy(m);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_model_stop);
