// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-tree backport's adapter (include/linux/amd-ga-host.h): the
 * built-in AMD IOMMU driver's IOMMUs as amd-ga instances, its interrupt
 * remapping tables as foreign tables of the IRT store, and the codec
 * entry points its IRTE operations call.
 *
 * The built-in driver keeps owning the hardware: its Control register,
 * device table, command buffer, event and PPR logs and its one IOMMU
 * interrupt. An instance made here has no command queue of its own (the
 * backend's submit hook carries invalidations to the built-in driver's
 * buffer) and is never enabled or disabled by amd-ga. Of the registers it
 * writes only the GA log's: its base, tail address, head and tail, the
 * GALogEn and GAIntEn bits of Control and the GAInt and GALOverflow bits
 * of Status (amd_ga_host_write()), so that the GA log engine runs on
 * them; the built-in interrupt thread calls it
 * (amd_ga_host_galog_process()).
 *
 * Built in only (CONFIG_AMD_GA_HOST): the built-in driver sets its
 * IOMMUs up long before any module could load.
 */
#define pr_fmt(fmt) "amd-ga: " fmt

#include <linux/amd-ga-host.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "cmdq.h"
#include "debugfs.h"
#include "export.h"
#include "galog.h"
#include "host.h"
#include "iommu.h"
#include "irt.h"
#include "irte.h"
#include "log.h"

static bool amd_ga_host_on = true;
module_param_named(host, amd_ga_host_on, bool, 0444);
MODULE_PARM_DESC(host,
		 "Encode and write the built-in AMD IOMMU driver's IRTEs with amd-ga (0: the built-in driver's own code)");

/* The built-in driver supports at most this many IOMMUs (MAX_IOMMUS). */
#define AMD_GA_HOST_MAX		32

/**
 * struct amd_ga_host - one IOMMU of the built-in driver
 * @iommu: the amd-ga instance; its backend is this structure
 * @mmio: the built-in driver's mapping of the MMIO registers
 * @ops: how to reach the built-in driver's command buffer and Control
 * @priv: the built-in driver's IOMMU, passed back to @ops
 * @xt: the built-in driver runs the IOMMU with XTEn (32-bit APIC IDs)
 * @regs: NULL, or (tests) an instance whose registers stand in for
 *	@mmio: the software model's, with their semantics
 * @tables: DeviceID -> struct amd_ga_host_table; entries are added in
 *	process context (xa_lock) and never removed, since the built-in
 *	driver never frees an interrupt remapping table; readers use
 *	xa_load() in any context
 */
struct amd_ga_host {
	struct amd_ga_iommu iommu;
	void __iomem *mmio;
	const struct amd_ga_host_ops *ops;
	void *priv;
	bool xt;
	struct amd_ga_iommu *regs;
	struct xarray tables;
};

/**
 * struct amd_ga_host_table - a built-in interrupt remapping table
 * @irt: its description for the IRT store (foreign: the built-in driver
 *	allocated it and owns its lock)
 * @written: indices whose current value amd-ga stored; atomic bitops
 * @irq: the Linux IRQ bound to each index, -1 for none; written with
 *	WRITE_ONCE() from the IRQ domain's activate, read by debugfs
 * @cookie: what a higher layer keeps per index (host_posted.c: the posted
 *	IRTE that claimed it), opaque here; set and cleared with
 *	WRITE_ONCE() from the IRQ domain's alloc and free, which the IRQ
 *	core serialises against every other call for the same IRQ
 */
struct amd_ga_host_table {
	struct amd_ga_irt irt;
	unsigned long written[BITS_TO_LONGS(AMD_GA_IRT_ENTRIES)];
	int irq[AMD_GA_IRT_ENTRIES];
	void *cookie[AMD_GA_IRT_ENTRIES];
};

/*
 * The built-in driver's IOMMUs. Added at boot and on resume (the same
 * IOMMU again, ignored), under amd_ga_host_lock; never removed, so the
 * debugfs readers walk them without the lock.
 */
static DEFINE_SPINLOCK(amd_ga_host_lock);
static struct amd_ga_host *amd_ga_hosts[AMD_GA_HOST_MAX];
static unsigned int amd_ga_nr_hosts;
/* Every IOMMU the built-in driver reported, amd-ga on or off. */
static void *amd_ga_builtin[AMD_GA_HOST_MAX];
static unsigned int amd_ga_nr_builtin;
static atomic64_t amd_ga_builtin_count[AMD_GA_HOST_BUILTIN_NR];

static struct amd_ga_host *amd_ga_to_host(struct amd_ga_iommu *iommu)
{
	return container_of(iommu, struct amd_ga_host, iommu);
}

static u64 amd_ga_host_read(struct amd_ga_iommu *iommu, u32 off)
{
	struct amd_ga_host *host = amd_ga_to_host(iommu);

	if (host->regs)
		return amd_ga_read(host->regs, off);
	return readq(host->mmio + off);
}

static void amd_ga_host_store_reg(struct amd_ga_host *host, u32 off, u64 val)
{
	if (host->regs)
		amd_ga_write(host->regs, off, val);
	else
		writeq(val, host->mmio + off);
}

/* The GA log's bits of Control and Status; the rest are the built-in's. */
#define AMD_GA_HOST_CTRL_GA	(AMD_GA_CTRL_GALOG_EN | AMD_GA_CTRL_GAINT_EN)
#define AMD_GA_HOST_STATUS_GA	(AMD_GA_STATUS_GALOG_INT | \
				 AMD_GA_STATUS_GALOG_OVERFLOW)

/*
 * The GA log engine's writes, and only those, reach the registers. The
 * engine writes Control from its shadow, which knows only the GA bits, so
 * only those bits are passed on: through the built-in driver's
 * update_control hook, which serialises the read-modify-write with the
 * built-in driver's own (its event, PPR and GA log restarts may each run
 * in an interrupt thread of their own, as in Linux 6.12, and an
 * unserialised read-modify-write could write back a GALogEn another one
 * just cleared, or clear one it just set: a GA log without interrupts,
 * whose wakeups are lost). Without the hook the bits are merged into the
 * register's current value here, which is safe only where nothing else
 * writes Control concurrently. Status is write-1-to-clear: only the GA
 * bits are passed on, so that an event or PPR log interrupt is never
 * acknowledged behind the built-in driver's back. Any other register is
 * the built-in driver's: a write reaching here is a bug in amd-ga, not a
 * request.
 */
static void amd_ga_host_write(struct amd_ga_iommu *iommu, u32 off, u64 val)
{
	struct amd_ga_host *host = amd_ga_to_host(iommu);

	switch (off) {
	case AMD_GA_MMIO_CONTROL:
		if (host->ops->update_control) {
			host->ops->update_control(host->priv,
						  AMD_GA_HOST_CTRL_GA,
						  val & AMD_GA_HOST_CTRL_GA);
			return;
		}
		val = (amd_ga_host_read(iommu, off) & ~AMD_GA_HOST_CTRL_GA) |
		      (val & AMD_GA_HOST_CTRL_GA);
		break;
	case AMD_GA_MMIO_STATUS:
		val &= AMD_GA_HOST_STATUS_GA;
		break;
	case AMD_GA_MMIO_GALOG_BASE:
	case AMD_GA_MMIO_GALOG_TAIL_ADDR:
	case AMD_GA_MMIO_GALOG_HEAD:
	case AMD_GA_MMIO_GALOG_TAIL:
		break;
	default:
		WARN_ONCE(1, "%s: register %#x is the built-in driver's; not written\n",
			  iommu->name, off);
		return;
	}
	amd_ga_host_store_reg(host, off, val);
}

/*
 * The GA log's interrupt is the built-in driver's (one for all logs, or
 * one per log); its thread calls the GA log engine
 * (amd_ga_host_galog_process()).
 */
static int amd_ga_host_alloc_ga_irq(struct amd_ga_iommu *iommu)
{
	return 0;
}

static int amd_ga_host_submit(struct amd_ga_iommu *iommu,
			      const struct amd_ga_cmd *cmds, unsigned int nr,
			      bool wait)
{
	struct amd_ga_host *host = amd_ga_to_host(iommu);

	return host->ops->submit(host->priv, cmds, nr, wait);
}

static const struct amd_ga_backend_ops amd_ga_host_backend = {
	.name = "built-in",
	.read = amd_ga_host_read,
	.write = amd_ga_host_write,
	.alloc_ga_irq = amd_ga_host_alloc_ga_irq,
	.submit = amd_ga_host_submit,
};

/* amd_ga_host_add() on @mmio, or on @regs' registers (tests). */
static struct amd_ga_iommu *
amd_ga_host_new(void __iomem *mmio, struct amd_ga_iommu *regs, bool xt,
		const struct amd_ga_host_ops *ops, void *host)
{
	struct amd_ga_host *h, *found = NULL;
	bool known = false;
	unsigned int i;

	if (!ops || !ops->submit || !host)
		return NULL;
	spin_lock(&amd_ga_host_lock);
	for (i = 0; i < amd_ga_nr_builtin; i++)
		known |= amd_ga_builtin[i] == host;
	if (!known && amd_ga_nr_builtin < AMD_GA_HOST_MAX)
		amd_ga_builtin[amd_ga_nr_builtin++] = host;
	for (i = 0; i < amd_ga_nr_hosts; i++)
		if (amd_ga_hosts[i]->priv == host)
			found = amd_ga_hosts[i];
	spin_unlock(&amd_ga_host_lock);
	if (found)
		return &found->iommu;
	if (!amd_ga_host_on)
		return NULL;

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return NULL;
	h->mmio = mmio;
	h->regs = regs;
	h->ops = ops;
	h->priv = host;
	h->xt = xt;
	xa_init(&h->tables);
	amd_ga_iommu_init(&h->iommu, &amd_ga_host_backend, h, NULL);

	spin_lock(&amd_ga_host_lock);
	if (amd_ga_nr_hosts < AMD_GA_HOST_MAX) {
		snprintf(h->iommu.name, sizeof(h->iommu.name), "amd-ga%u",
			 amd_ga_nr_hosts);
		amd_ga_hosts[amd_ga_nr_hosts] = h;
		/* Lock-free readers see the slot before the count. */
		smp_store_release(&amd_ga_nr_hosts, amd_ga_nr_hosts + 1);
	} else {
		kfree(h);
		h = NULL;
	}
	spin_unlock(&amd_ga_host_lock);
	if (!h)
		return NULL;
	pr_info("%s: encoding and writing the built-in AMD IOMMU driver's IRTEs (amd_ga.host=0 turns this off)\n",
		h->iommu.name);
	return &h->iommu;
}

/**
 * amd_ga_host_add() - take on one IOMMU of the built-in driver
 * @mmio: its MMIO registers, mapped by the built-in driver
 * @xt: it runs with XTEn, so destinations are 32-bit APIC IDs
 * @ops: the built-in driver's command buffer and Control register
 * @host: the built-in driver's IOMMU, passed back to @ops
 *
 * Called once the built-in driver chose its IRTE format; a second call
 * for the same @host (resume) returns the same instance and allocates
 * nothing, so it may come with interrupts off.
 *
 * Context: process context, may sleep; with interrupts off only for a
 * @host added before.
 * Return: the instance, or NULL: amd_ga.host=0, bad arguments or no
 * memory (then the built-in driver keeps its own paths for this IOMMU).
 * Every valid call counts the IOMMU as the built-in driver's, which
 * keeps amd-ga's own probe off it.
 */
struct amd_ga_iommu *amd_ga_host_add(void __iomem *mmio, bool xt,
				     const struct amd_ga_host_ops *ops,
				     void *host)
{
	if (!mmio)
		return NULL;
	return amd_ga_host_new(mmio, NULL, xt, ops, host);
}

/**
 * amd_ga_host_add_regs() - amd_ga_host_add() over another instance's registers
 * @regs: the instance whose registers the built-in IOMMU has (for tests:
 *	the software model, whose registers behave as hardware's)
 * @xt: as for amd_ga_host_add()
 * @ops: as for amd_ga_host_add()
 * @host: as for amd_ga_host_add()
 *
 * Context: process context, may sleep.
 * Return: as amd_ga_host_add().
 */
struct amd_ga_iommu *amd_ga_host_add_regs(struct amd_ga_iommu *regs, bool xt,
					  const struct amd_ga_host_ops *ops,
					  void *host)
{
	if (!regs)
		return NULL;
	return amd_ga_host_new(NULL, regs, xt, ops, host);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_host_add_regs);

/**
 * amd_ga_host_table_add() - learn a built-in interrupt remapping table
 * @ga: the instance from amd_ga_host_add()
 * @devid: a DeviceID whose device table entry points at the table
 * @entries: the table (128-byte aligned, AMD_GA_IRT_ENTRIES entries)
 * @ga128: 128-bit entries
 * @lock: the lock the built-in driver takes around the table's writers
 *
 * Idempotent: the built-in driver calls it for every table lookup that
 * may create a table. Several DeviceIDs (DMA aliases) may share a table.
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for bad arguments, -ENOMEM.
 */
int amd_ga_host_table_add(struct amd_ga_iommu *ga, u16 devid,
			  void *entries, bool ga128, raw_spinlock_t *lock)
{
	struct amd_ga_host_table *t, *old;
	struct amd_ga_host *host;
	int ret, i;

	if (!ga)
		return -EINVAL;
	host = amd_ga_to_host(ga);
	t = xa_load(&host->tables, devid);
	if (t)
		return t->irt.entries == entries ? 0 : -EINVAL;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	ret = amd_ga_irt_init_foreign(&t->irt, ga, entries, ga128, &devid, 1,
				      lock);
	if (ret) {
		kfree(t);
		return ret;
	}
	t->irt.xt = host->xt;
	for (i = 0; i < AMD_GA_IRT_ENTRIES; i++)
		t->irq[i] = -1;
	old = xa_cmpxchg(&host->tables, devid, NULL, t, GFP_KERNEL);
	if (old) {
		kfree(t);
		if (xa_is_err(old))
			return xa_err(old);
		return old->irt.entries == entries ? 0 : -EINVAL;
	}
	return 0;
}

/*
 * The table of @devid and a reference to its entry @index, or an error
 * pointer: -EINVAL for bad arguments, -ENOENT for a table never learnt.
 */
static struct amd_ga_host_table *amd_ga_host_ref(struct amd_ga_iommu *ga,
						 u16 devid, unsigned int index,
						 struct amd_ga_irte_ref *ref)
{
	struct amd_ga_host_table *t;
	int ret;

	if (!ga || index >= AMD_GA_IRT_ENTRIES)
		return ERR_PTR(-EINVAL);
	t = xa_load(&amd_ga_to_host(ga)->tables, devid);
	if (!t) {
		amd_ga_err_ratelimited("%s: no interrupt remapping table known for DeviceID %#06x\n",
				       ga->name, devid);
		return ERR_PTR(-ENOENT);
	}
	ret = amd_ga_irte_ref_init(ref, &t->irt, index);
	return ret ? ERR_PTR(ret) : t;
}

/*
 * Hand an encoded image to the built-in driver; a zero one (RemapEn 0) if
 * encoding failed (@ret), never what the codec left half made.
 */
static void amd_ga_host_put_image(void *entry, bool ga128, int ret,
				  const struct amd_ga_irte *irte, u32 val)
{
	if (ret)
		memset(entry, 0, ga128 ? sizeof(*irte) : sizeof(val));
	else if (ga128)
		memcpy(entry, irte, sizeof(*irte));
	else
		memcpy(entry, &val, sizeof(val));
}

/**
 * amd_ga_host_irte_prepare() - encode a remapped-mode IRTE
 * @entry: where to put it: a 32-bit or 128-bit IRTE image
 * @ga128: the 128-bit format
 * @int_type: IntType, the APIC's delivery mode (0 fixed, 1 arbitrated)
 * @dest_logical: DM, logical destination mode
 * @vector: host vector
 * @dest: APIC ID
 *
 * RemapEn is set; storing the image is amd_ga_host_irte_write()'s job.
 * A value the format cannot hold leaves a zero image (RemapEn 0: the
 * interrupt is dropped rather than delivered to a wrong CPU) and an
 * error message.
 *
 * Context: any.
 */
void amd_ga_host_irte_prepare(void *entry, bool ga128, u32 int_type,
			      bool dest_logical, u8 vector, u32 dest)
{
	struct amd_ga_remap_cfg cfg = {
		.remap_en = true,
		.int_type = int_type,
		.dest_logical = dest_logical,
		.vector = vector,
		.dest = dest,
	};
	struct amd_ga_irte irte = {};
	u32 val = 0;
	int ret;

	/* The destination's range is the writer's check: it knows XTEn. */
	if (ga128)
		ret = amd_ga_irte_make_remap(&cfg, true, &irte);
	else
		ret = amd_ga_irte32_make(&cfg, &val);
	amd_ga_host_put_image(entry, ga128, ret, &irte, val);
	if (ret)
		amd_ga_err_ratelimited("IRTE for vector %u, APIC ID %#x not encodable (%d): left disabled\n",
				       vector, dest, ret);
}

/**
 * amd_ga_host_irte_prepare_guest() - encode a guest-mode (vAPIC) IRTE
 * @entry: where to put it: a 128-bit IRTE image
 * @remap_en: RemapEn, kept from the entry this one replaces
 * @ga_root_pa: physical address of the vCPU's vAPIC backing page
 * @vector: guest vector
 * @ga_tag: the GATag the GA log reports for this entry
 *
 * IsRun clear and GALogIntr set: until the hypervisor says where the vCPU
 * runs, an interrupt is logged to the GA log, which wakes the vCPU.
 * Encoding failures leave a zero image and an error message, as in
 * amd_ga_host_irte_prepare().
 *
 * Context: any.
 */
void amd_ga_host_irte_prepare_guest(void *entry, bool remap_en,
				    u64 ga_root_pa, u8 vector, u32 ga_tag)
{
	struct amd_ga_guest_cfg cfg = {
		.remap_en = remap_en,
		.ga_log_intr = true,
		.ga_root_pa = ga_root_pa,
		.vector = vector,
		.ga_tag = ga_tag,
	};
	struct amd_ga_irte irte = {};
	int ret;

	ret = amd_ga_irte_make_guest(&cfg, true, &irte);
	amd_ga_host_put_image(entry, true, ret, &irte, 0);
	if (ret)
		amd_ga_err_ratelimited("guest-mode IRTE for backing page %#llx, vector %u not encodable (%d): left disabled\n",
				       ga_root_pa, vector, ret);
}

/*
 * Decode an IRTE image (128-bit or 32-bit) the built-in driver keeps; also
 * for host_posted.c, which reads a host route out of one.
 */
void amd_ga_host_decode(const void *entry, bool ga128,
			struct amd_ga_irte_fields *f)
{
	struct amd_ga_irte irte;
	u32 val;

	if (ga128) {
		memcpy(&irte, entry, sizeof(irte));
		amd_ga_irte_decode(&irte, f);
	} else {
		memcpy(&val, entry, sizeof(val));
		amd_ga_irte32_decode(val, f);
	}
}

/* Encode @f back into the image; guest-mode fields if it is guest mode. */
static void amd_ga_host_encode(void *entry, bool ga128, bool guest,
			       const struct amd_ga_irte_fields *f)
{
	struct amd_ga_irte irte;
	int ret;
	u32 val;

	if (!ga128) {
		ret = amd_ga_irte32_make(&f->remap, &val);
		if (!ret)
			memcpy(entry, &val, sizeof(val));
	} else {
		ret = guest ? amd_ga_irte_make_guest(&f->guest, true, &irte) :
			      amd_ga_irte_make_remap(&f->remap, true, &irte);
		if (!ret)
			memcpy(entry, &irte, sizeof(irte));
	}
	if (ret)
		amd_ga_err_ratelimited("IRTE image not re-encodable (%d): left as it was\n",
				       ret);
}

/* GuestMode in an image; the 32-bit format has no guest mode. */
bool amd_ga_host_is_guest(const void *entry, bool ga128)
{
	struct amd_ga_irte irte;

	if (!ga128)
		return false;
	memcpy(&irte, entry, sizeof(irte));
	return irte.lo & AMD_GA_IRTE_LO_GUEST_MODE;
}

/**
 * amd_ga_host_irte_set_remap_en() - set or clear RemapEn of an IRTE image
 * @entry: the image (amd_ga_host_irte_prepare() or a guest-mode one)
 * @ga128: the 128-bit format
 * @en: the new RemapEn
 *
 * Every other field stays, in either mode.
 *
 * Context: any.
 */
void amd_ga_host_irte_set_remap_en(void *entry, bool ga128, bool en)
{
	bool guest = amd_ga_host_is_guest(entry, ga128);
	struct amd_ga_irte_fields f;

	amd_ga_host_decode(entry, ga128, &f);
	f.remap.remap_en = en;
	f.guest.remap_en = en;
	amd_ga_host_encode(entry, ga128, guest, &f);
}

/**
 * amd_ga_host_irte_set_affinity() - retarget a remapped-mode IRTE image
 * @entry: the image
 * @ga128: the 128-bit format
 * @vector: the new host vector
 * @dest: the new APIC ID
 *
 * A guest-mode image is left alone: its destination follows the vCPU,
 * set by the posted-interrupt paths.
 *
 * Context: any.
 * Return: true if the image changed and needs writing.
 */
bool amd_ga_host_irte_set_affinity(void *entry, bool ga128, u8 vector,
				   u32 dest)
{
	struct amd_ga_irte_fields f;

	if (amd_ga_host_is_guest(entry, ga128))
		return false;
	amd_ga_host_decode(entry, ga128, &f);
	f.remap.vector = vector;
	f.remap.dest = dest;
	amd_ga_host_encode(entry, ga128, false, &f);
	return true;
}

/* Store an image through the IRT store's writer; note what amd-ga wrote. */
static int amd_ga_host_store(struct amd_ga_host_table *t,
			     const struct amd_ga_irte_ref *ref,
			     const void *entry, bool ga128)
{
	struct amd_ga_irte irte;
	u32 val;
	int ret;

	if (ga128 != t->irt.ga)
		return -EINVAL;
	if (ga128) {
		memcpy(&irte, entry, sizeof(irte));
		ret = amd_ga_irte_write(ref, &irte);
	} else {
		memcpy(&val, entry, sizeof(val));
		ret = amd_ga_irte32_write(ref, val);
	}
	/* Stored unless the value was refused; an invalidation may fail after. */
	if (ret != -EINVAL && ret != -ERANGE && ret != -EOPNOTSUPP &&
	    ret != -EBUSY)
		set_bit(ref->index, t->written);
	return ret;
}

/**
 * amd_ga_host_irte_write() - store an IRTE on a built-in table
 * @ga: the instance from amd_ga_host_add()
 * @devid: the DeviceID the entry belongs to
 * @index: the entry
 * @entry: the new value, an image made by the functions above
 * @ga128: the 128-bit format
 *
 * The IRT store's writer: one atomic store under the built-in table's
 * lock, then the invalidation the change needs (none when only IsRun,
 * Destination, GATag or GALogIntr of a guest-mode entry changed), issued
 * through the built-in driver's command buffer and waited for (bounded),
 * no lock held.
 *
 * Context: any; does not sleep.
 * Return: 0, -EINVAL for a bad image or arguments, -ENOENT for a table
 * not learnt with amd_ga_host_table_add(), -ERANGE for an APIC ID above
 * 255 without XTEn, -EOPNOTSUPP for guest mode where the IOMMU has no
 * vAPIC support, the command buffer's error.
 */
int amd_ga_host_irte_write(struct amd_ga_iommu *ga, u16 devid,
			   unsigned int index, const void *entry, bool ga128)
{
	struct amd_ga_host_table *t;
	struct amd_ga_irte_ref ref;

	if (!entry)
		return -EINVAL;
	t = amd_ga_host_ref(ga, devid, index, &ref);
	if (IS_ERR(t))
		return PTR_ERR(t);
	return amd_ga_host_store(t, &ref, entry, ga128);
}

/**
 * amd_ga_host_irte_clear() - free an IRTE of a built-in table
 * @ga: the instance
 * @devid: the DeviceID
 * @index: the entry
 * @ga128: the 128-bit format
 *
 * Writes zero (RemapEn 0, and "free" in the built-in driver's allocation
 * scheme, which reads a zero entry as unallocated) and invalidates it.
 *
 * Context: any; does not sleep.
 * Return: as amd_ga_host_irte_write().
 */
int amd_ga_host_irte_clear(struct amd_ga_iommu *ga, u16 devid,
			   unsigned int index, bool ga128)
{
	static const struct amd_ga_irte zero;
	struct amd_ga_host_table *t;
	struct amd_ga_irte_ref ref;
	int ret;

	t = amd_ga_host_ref(ga, devid, index, &ref);
	if (IS_ERR(t))
		return PTR_ERR(t);
	ret = amd_ga_host_store(t, &ref, &zero, ga128);
	clear_bit(index, t->written);
	WRITE_ONCE(t->irq[index], -1);
	return ret;
}

/**
 * amd_ga_host_irte_update_run() - the run state of a guest-mode IRTE
 * @ga: the instance
 * @devid: the DeviceID
 * @index: the entry
 * @cpu: the APIC ID of the pCPU the vCPU runs on, or negative if it does
 *	not run
 * @ga_log_intr: with a negative @cpu: log each interrupt in the GA log
 *	(the vCPU is blocking and must be woken); ignored with a valid @cpu
 *
 * The store of amd_iommu_update_ga(), with upstream's semantics: a valid
 * @cpu sets IsRun and Destination and clears GALogIntr (a running vCPU
 * sees its IRR without a wakeup); a negative one clears IsRun, keeps
 * Destination and sets GALogIntr to @ga_log_intr, so that only a
 * blocking vCPU, not a preempted one, costs a GA log entry. One 128-bit
 * store, and no invalidation, since the IOMMU caches none of the three.
 * A remapped-mode entry is left alone.
 *
 * Context: any, with interrupts off too; never waits for the IOMMU.
 * Return: 0, or as amd_ga_host_irte_write().
 */
int amd_ga_host_irte_update_run(struct amd_ga_iommu *ga, u16 devid,
				unsigned int index, int cpu, bool ga_log_intr)
{
	struct amd_ga_host_table *t;
	struct amd_ga_irte_ref ref;
	int ret;

	t = amd_ga_host_ref(ga, devid, index, &ref);
	if (IS_ERR(t))
		return PTR_ERR(t);
	ret = amd_ga_irte_update_run(&ref, cpu >= 0,
				     cpu < 0 ? AMD_GA_IRTE_DEST_KEEP : cpu,
				     cpu < 0 && ga_log_intr);
	if (!ret)
		set_bit(index, t->written);
	return ret;
}

/**
 * amd_ga_host_irte_get_ref() - a reference to a built-in table's entry
 * @ga: the instance
 * @devid: the DeviceID
 * @index: the entry
 * @ref: filled in
 *
 * For the layer above (host_posted.c), which claims entries in the IRT
 * store through it.
 *
 * Context: any.
 * Return: 0, -EINVAL for bad arguments, -ENOENT for an unknown table.
 */
int amd_ga_host_irte_get_ref(struct amd_ga_iommu *ga, u16 devid,
			     unsigned int index, struct amd_ga_irte_ref *ref)
{
	return PTR_ERR_OR_ZERO(amd_ga_host_ref(ga, devid, index, ref));
}

/**
 * amd_ga_host_irte_cookie() - what the layer above keeps for an entry
 * @ga: the instance
 * @devid: the DeviceID
 * @index: the entry
 *
 * Context: any.
 * Return: the cookie, or NULL (none, or no such entry).
 */
void *amd_ga_host_irte_cookie(struct amd_ga_iommu *ga, u16 devid,
			      unsigned int index)
{
	struct amd_ga_irte_ref ref;
	struct amd_ga_host_table *t = amd_ga_host_ref(ga, devid, index, &ref);

	return IS_ERR(t) ? NULL : READ_ONCE(t->cookie[index]);
}

/**
 * amd_ga_host_irte_set_cookie() - keep a cookie for an entry
 * @ga: the instance
 * @devid: the DeviceID
 * @index: the entry
 * @cookie: the cookie, or NULL to drop it
 *
 * An entry with a cookie is amd-ga's to store (host_posted.c claimed it),
 * so debugfs lists it as written.
 *
 * Context: any; the caller serialises the calls for one entry.
 * Return: 0, or as amd_ga_host_irte_get_ref().
 */
int amd_ga_host_irte_set_cookie(struct amd_ga_iommu *ga, u16 devid,
				unsigned int index, void *cookie)
{
	struct amd_ga_irte_ref ref;
	struct amd_ga_host_table *t = amd_ga_host_ref(ga, devid, index, &ref);

	if (IS_ERR(t))
		return PTR_ERR(t);
	WRITE_ONCE(t->cookie[index], cookie);
	if (cookie)
		set_bit(index, t->written);
	return 0;
}

/**
 * amd_ga_host_irte_bind_irq() - note which Linux IRQ an IRTE serves
 * @ga: the instance
 * @devid: the DeviceID
 * @index: the entry
 * @irq: the Linux IRQ number
 *
 * For debugfs only: it lets /sys/kernel/debug/amd-ga/host/irtes be
 * matched against /proc/interrupts.
 *
 * Context: any.
 */
void amd_ga_host_irte_bind_irq(struct amd_ga_iommu *ga, u16 devid,
			       unsigned int index, int irq)
{
	struct amd_ga_irte_ref ref;
	struct amd_ga_host_table *t = amd_ga_host_ref(ga, devid, index, &ref);

	if (!IS_ERR(t))
		WRITE_ONCE(t->irq[index], irq);
}

/**
 * amd_ga_host_galog_enable() - run a built-in IOMMU's GA log with amd-ga
 * @ga: the instance from amd_ga_host_add()
 *
 * Called where the built-in driver would allocate and enable its own GA
 * log. The first call allocates amd-ga's and starts it
 * (amd_ga_galog_enable(): a log left running by the previous kernel,
 * kexec or kdump, is stopped first); from then on the built-in interrupt
 * thread hands the GA log to amd_ga_host_galog_process(). Later calls
 * come from resume, when the IOMMU lost its registers: the same log is
 * programmed again, allocating nothing, and a drain with lossless
 * recovery follows at once (amd_ga_galog_resume()).
 *
 * Context: process context for the first call; any after it, including
 * a syscore resume callback with interrupts off.
 * Return: 0, or a negative errno (-EINVAL without @ga; -EOPNOTSUPP
 * without GA or vAPIC support; -ENOMEM; -ETIMEDOUT for a log that does
 * not stop): the built-in driver then leaves posting off, as it does when
 * its own enable fails.
 */
int amd_ga_host_galog_enable(struct amd_ga_iommu *ga)
{
	int ret;

	if (!ga)
		return -EINVAL;
	if (ga->galog)
		return amd_ga_galog_resume(ga);
	ret = amd_ga_galog_enable(ga);
	if (ret)
		pr_err("%s: GA log not enabled (%d)\n", ga->name, ret);
	else
		pr_info("%s: the GA log runs on amd-ga's engine\n", ga->name);
	return ret;
}

/**
 * amd_ga_host_galog_process() - the GA log's share of the IOMMU interrupt
 * @ga: the instance from amd_ga_host_add(), or NULL
 *
 * The built-in interrupt thread calls it on every run, before its own
 * loop. If amd-ga runs this IOMMU's GA log, it clears GAInt and
 * GALOverflow, drains, restarts the log after an overflow and recovers,
 * until Status shows neither bit (amd_ga_galog_process()); the built-in
 * loop must then leave those two bits alone, or it would acknowledge an
 * entry that nobody drains.
 *
 * Context: process context (the built-in interrupt thread), may sleep.
 * Return: true if amd-ga's engine runs the GA log, false if the
 * built-in driver's own poller serves it.
 */
bool amd_ga_host_galog_process(struct amd_ga_iommu *ga)
{
	struct amd_ga_galog *gl;

	if (!ga)
		return false;
	/* Pairs with amd_ga_galog_enable(): a log seen is set up. */
	gl = smp_load_acquire(&ga->galog);
	if (!gl)
		return false;
	amd_ga_galog_process(gl);
	return true;
}

/**
 * amd_ga_host_note_builtin() - count a run of a built-in driver's path
 * @path: which one
 *
 * The built-in driver calls it where its own IRTE writer or GA log
 * poller runs instead of amd-ga's, so that debugfs shows which engine
 * served the kernel.
 *
 * Context: any.
 */
void amd_ga_host_note_builtin(enum amd_ga_host_builtin path)
{
	if (path < AMD_GA_HOST_BUILTIN_NR)
		atomic64_inc(&amd_ga_builtin_count[path]);
}

static void amd_ga_host_show_table(struct seq_file *s, unsigned int unit,
				   unsigned long devid,
				   struct amd_ga_host_table *t)
{
	static const char * const mode[] = {
		[AMD_GA_IRTE_DISABLED] = "disabled",
		[AMD_GA_IRTE_REMAPPED] = "remapped",
		[AMD_GA_IRTE_GUEST] = "guest",
	};
	struct amd_ga_irte_fields f;
	struct amd_ga_irte_ref ref;
	struct amd_ga_irte irte;
	unsigned int i;
	u32 val;

	for_each_set_bit(i, t->written, AMD_GA_IRT_ENTRIES) {
		if (amd_ga_irte_ref_init(&ref, &t->irt, i))
			continue;
		if (t->irt.ga) {
			if (amd_ga_irte_read(&ref, &irte) ||
			    (!irte.lo && !irte.hi))
				continue;
			amd_ga_irte_decode(&irte, &f);
		} else {
			if (amd_ga_irte32_read(&ref, &val) || !val)
				continue;
			amd_ga_irte32_decode(val, &f);
		}
		seq_printf(s, "%u 0x%04lx %u %d %u %s 0x%02x 0x%x %s\n", unit,
			   devid, i, READ_ONCE(t->irq[i]), t->irt.ga ? 128 : 32,
			   mode[f.mode], f.remap.vector, f.remap.dest,
			   f.remap.dest_logical ? "logical" : "phys");
	}
}

static int amd_ga_host_irtes_show(struct seq_file *s, void *unused)
{
	struct amd_ga_host_table *t;
	unsigned long devid;
	unsigned int i, n;

	seq_puts(s, "# iommu devid index irq format mode vector dest dm\n");
	/* Pairs with amd_ga_host_add(): the slots below the count are set. */
	n = smp_load_acquire(&amd_ga_nr_hosts);
	for (i = 0; i < n; i++)
		xa_for_each(&amd_ga_hosts[i]->tables, devid, t)
			amd_ga_host_show_table(s, i, devid, t);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(amd_ga_host_irtes);

static int amd_ga_host_stats_show(struct seq_file *s, void *unused)
{
	u64 writes = 0, invals = 0, entries = 0, wakes = 0, overflows = 0;
	unsigned int i, n, logs = 0;

	/* Pairs with amd_ga_host_add(): the slots below the count are set. */
	n = smp_load_acquire(&amd_ga_nr_hosts);
	for (i = 0; i < n; i++) {
		struct amd_ga_iommu *ga = &amd_ga_hosts[i]->iommu;

		writes += atomic64_read(&ga->stats.irte_writes);
		invals += atomic64_read(&ga->stats.irte_invals);
		entries += atomic64_read(&ga->stats.galog_entries);
		wakes += atomic64_read(&ga->stats.galog_wakes);
		overflows += atomic64_read(&ga->stats.galog_overflows);
		logs += !!READ_ONCE(ga->galog);
	}
	seq_printf(s, "enabled %d\n", n > 0);
	seq_printf(s, "iommus %u\n", n);
	seq_printf(s, "builtin_iommus %u\n", READ_ONCE(amd_ga_nr_builtin));
	seq_printf(s, "irte_writes %llu\n", writes);
	seq_printf(s, "irte_invals %llu\n", invals);
	seq_printf(s, "ga_logs %u\n", logs);
	seq_printf(s, "galog_entries %llu\n", entries);
	seq_printf(s, "galog_wakes %llu\n", wakes);
	seq_printf(s, "galog_overflows %llu\n", overflows);
	seq_printf(s, "builtin_irte_writes %lld\n",
		   atomic64_read(&amd_ga_builtin_count[AMD_GA_HOST_BUILTIN_IRTE_WRITE]));
	seq_printf(s, "builtin_ga_log_polls %lld\n",
		   atomic64_read(&amd_ga_builtin_count[AMD_GA_HOST_BUILTIN_GA_LOG_POLL]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(amd_ga_host_stats);

/**
 * amd_ga_host_present() - does the built-in driver own the AMD IOMMUs?
 *
 * Return: true once the built-in driver reported an IOMMU, whether or not
 * amd-ga runs its interrupt remapping (amd_ga.host).
 */
bool amd_ga_host_present(void)
{
	return READ_ONCE(amd_ga_nr_builtin) > 0;
}

/**
 * amd_ga_host_init() - publish the built-in driver's IOMMUs
 *
 * Gives each instance its debugfs directory (features, registers,
 * counters), then creates the directory "host" under amd-ga's debugfs
 * root with the files "irtes" and "stats". Called once, from module
 * init: process context, may sleep.
 */
void __init amd_ga_host_init(void)
{
	struct dentry *root, *dir;
	unsigned int i, n;

	/* Pairs with amd_ga_host_add(): the slots below the count are set. */
	n = smp_load_acquire(&amd_ga_nr_hosts);
	for (i = 0; i < n; i++)
		amd_ga_debugfs_add_iommu(&amd_ga_hosts[i]->iommu);
	root = debugfs_lookup(AMD_GA_DEBUGFS_ROOT, NULL);
	if (!root)
		root = debugfs_create_dir(AMD_GA_DEBUGFS_ROOT, NULL);
	else
		dput(root);
	dir = debugfs_create_dir("host", root);
	debugfs_create_file("irtes", 0400, dir, NULL, &amd_ga_host_irtes_fops);
	debugfs_create_file("stats", 0400, dir, NULL, &amd_ga_host_stats_fops);
	pr_info("the built-in AMD IOMMU driver owns %u IOMMU(s); amd-ga %s\n",
		READ_ONCE(amd_ga_nr_builtin),
		n ? "encodes and writes their IRTEs" :
		    "is off for them (amd_ga.host=0)");
}
