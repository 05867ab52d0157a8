// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs for amd-ga: what an IOMMU was told (Control), what it says
 * (Status, GA log registers) and what amd-ga counted, for the person who
 * has to find out why a guest's NIC stopped getting interrupts.
 *
 * Files are created when an IOMMU is registered and removed when it is
 * unregistered; debugfs_remove() waits for readers still inside a file, so
 * a show function never sees a freed instance. The root directory lives as
 * long as at least one IOMMU is registered. Reading never changes hardware
 * state: Status and the GA log registers have no read side effects.
 */
#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/export.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mem_encrypt.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/stddef.h>

#include "debugfs.h"
#include "devtab.h"
#include "export.h"
#include "gatag.h"
#include "hw.h"
#include "iommu.h"
#include "irt.h"
#include "irte.h"

#define AMD_GA_DEBUGFS_MODE	0400

/* A named field of a register; single bits and multi-bit fields alike. */
struct amd_ga_reg_field {
	const char *name;
	u64 mask;
};

static const struct amd_ga_reg_field amd_ga_ctrl_fields[] = {
	{ "IommuEn",		AMD_GA_CTRL_IOMMU_EN },
	{ "HtTunEn",		AMD_GA_CTRL_HT_TUN_EN },
	{ "EventLogEn",		AMD_GA_CTRL_EVT_LOG_EN },
	{ "EventIntEn",		AMD_GA_CTRL_EVT_INT_EN },
	{ "ComWaitIntEn",	AMD_GA_CTRL_COMWAIT_INT_EN },
	{ "InvTimeOut",		AMD_GA_CTRL_INV_TIMEOUT },
	{ "PassPW",		AMD_GA_CTRL_PASS_PW },
	{ "ResPassPW",		AMD_GA_CTRL_RES_PASS_PW },
	{ "Coherent",		AMD_GA_CTRL_COHERENT },
	{ "Isoc",		AMD_GA_CTRL_ISOC },
	{ "CmdBufEn",		AMD_GA_CTRL_CMD_BUF_EN },
	{ "PprLogEn",		AMD_GA_CTRL_PPR_LOG_EN },
	{ "PprIntEn",		AMD_GA_CTRL_PPR_INT_EN },
	{ "PprEn",		AMD_GA_CTRL_PPR_EN },
	{ "GTEn",		AMD_GA_CTRL_GT_EN },
	{ "GAEn",		AMD_GA_CTRL_GA_EN },
	{ "GAMEn",		AMD_GA_CTRL_GAM_EN },
	{ "GALogEn",		AMD_GA_CTRL_GALOG_EN },
	{ "GAIntEn",		AMD_GA_CTRL_GAINT_EN },
	{ "DualPprLogEn",	AMD_GA_CTRL_DUAL_PPR_LOG_EN },
	{ "DualEventLogEn",	AMD_GA_CTRL_DUAL_EVT_LOG_EN },
	{ "DevTblSegEn",	AMD_GA_CTRL_DEVTBL_SEG_EN },
	{ "NumIntRemapMode",	AMD_GA_CTRL_NUM_INT_REMAP_MODE },
	{ "EPHEn",		AMD_GA_CTRL_EPH_EN },
	{ "XTEn",		AMD_GA_CTRL_XT_EN },
	{ "IntCapXTEn",		AMD_GA_CTRL_INTCAPXT_EN },
	{ "GAUpdateDis",	AMD_GA_CTRL_GA_UPDATE_DIS },
	{ "GCR3TRPMode",	AMD_GA_CTRL_GCR3TRP_MODE },
	{ "IRTCacheDis",	AMD_GA_CTRL_IRTCACHE_DIS },
	{ "SNPAVICEn",		AMD_GA_CTRL_SNPAVIC_EN },
};

static const struct amd_ga_reg_field amd_ga_status_fields[] = {
	{ "EventOverflow",	AMD_GA_STATUS_EVT_OVERFLOW },
	{ "EventLogInt",	AMD_GA_STATUS_EVT_INT },
	{ "ComWaitInt",		AMD_GA_STATUS_COMWAIT_INT },
	{ "EventLogRun",	AMD_GA_STATUS_EVT_RUN },
	{ "CmdBufRun",		AMD_GA_STATUS_CMD_BUF_RUN },
	{ "PprOverflow",	AMD_GA_STATUS_PPR_OVERFLOW },
	{ "PprInt",		AMD_GA_STATUS_PPR_INT },
	{ "PprLogRun",		AMD_GA_STATUS_PPR_RUN },
	{ "GALogRun",		AMD_GA_STATUS_GALOG_RUN },
	{ "GALOverflow",	AMD_GA_STATUS_GALOG_OVERFLOW },
	{ "GAInt",		AMD_GA_STATUS_GALOG_INT },
};

/* The value of @f in @val; the mask is not a constant here. */
static u64 amd_ga_field_get(const struct amd_ga_reg_field *f, u64 val)
{
	return (val & f->mask) >> __ffs64(f->mask);
}

static void amd_ga_show_fields(struct seq_file *m, u64 val,
			       const struct amd_ga_reg_field *fields,
			       size_t nr)
{
	size_t i;

	seq_printf(m, "raw 0x%016llx\n", val);
	for (i = 0; i < nr; i++)
		seq_printf(m, "%s %llu\n", fields[i].name,
			   amd_ga_field_get(&fields[i], val));
}

/* Counters, in the order of struct amd_ga_stats. */
#define AMD_GA_STAT(member) { #member, offsetof(struct amd_ga_stats, member) }

static const struct {
	const char *name;
	size_t offset;
} amd_ga_stat_names[] = {
	AMD_GA_STAT(galog_entries),
	AMD_GA_STAT(galog_batches),
	AMD_GA_STAT(galog_max_batch),
	AMD_GA_STAT(galog_overflows),
	AMD_GA_STAT(galog_restarts),
	AMD_GA_STAT(galog_recoveries),
	AMD_GA_STAT(galog_recovery_wakes),
	AMD_GA_STAT(galog_wakes),
	AMD_GA_STAT(galog_coalesced),
	AMD_GA_STAT(galog_bad_code),
	AMD_GA_STAT(galog_stale_tags),
	AMD_GA_STAT(galog_torn),
	AMD_GA_STAT(galog_unclaimed),
	AMD_GA_STAT(galog_rounds),
	AMD_GA_STAT(galog_max_round_ns),
	AMD_GA_STAT(galog_run_stuck),
	AMD_GA_STAT(cmd_waits),
	AMD_GA_STAT(cmd_wait_timeouts),
	AMD_GA_STAT(irte_writes),
	AMD_GA_STAT(irte_invals),
};

/* A counter added to struct amd_ga_stats must be named here too. */
static_assert(ARRAY_SIZE(amd_ga_stat_names) * sizeof(atomic64_t) ==
	      sizeof(struct amd_ga_stats));

/**
 * amd_ga_stats_nr() - number of counters in struct amd_ga_stats
 *
 * Return: the number of counters; valid indices are 0 to this - 1.
 */
unsigned int amd_ga_stats_nr(void)
{
	return ARRAY_SIZE(amd_ga_stat_names);
}

/**
 * amd_ga_stats_name() - name of a counter
 * @i: counter index, below amd_ga_stats_nr()
 *
 * The name is the member's name in struct amd_ga_stats, as debugfs and
 * the demo's report print it.
 *
 * Return: the name, or NULL if @i is out of range.
 */
const char *amd_ga_stats_name(unsigned int i)
{
	if (i >= ARRAY_SIZE(amd_ga_stat_names))
		return NULL;
	return amd_ga_stat_names[i].name;
}

/**
 * amd_ga_stats_value() - current value of a counter of an IOMMU
 * @iommu: the IOMMU
 * @i: counter index, below amd_ga_stats_nr()
 *
 * Context: any; counters are atomic and read without a lock.
 * Return: the value, or 0 if @i is out of range.
 */
u64 amd_ga_stats_value(const struct amd_ga_iommu *iommu, unsigned int i)
{
	const atomic64_t *ctr;

	if (i >= ARRAY_SIZE(amd_ga_stat_names))
		return 0;
	ctr = (const void *)&iommu->stats + amd_ga_stat_names[i].offset;
	return atomic64_read(ctr);
}

/**
 * amd_ga_stats_report() - print every counter of an IOMMU to the log
 * @iommu: the IOMMU
 * @prefix: printed at the start of each line, e.g. "amd-ga-demo: "
 *
 * One line per counter, "<prefix>COUNTER <name> <value>", the format the
 * demo's report collects.
 *
 * Context: any.
 */
void amd_ga_stats_report(const struct amd_ga_iommu *iommu, const char *prefix)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(amd_ga_stat_names); i++)
		pr_info("%sCOUNTER %s %llu\n", prefix, amd_ga_stat_names[i].name,
			amd_ga_stats_value(iommu, i));
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_stats_report);

static int amd_ga_counters_show(struct seq_file *m, void *unused)
{
	const struct amd_ga_iommu *iommu = m->private;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(amd_ga_stat_names); i++)
		seq_printf(m, "%s %llu\n", amd_ga_stat_names[i].name,
			   amd_ga_stats_value(iommu, i));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(amd_ga_counters);

static int amd_ga_features_show(struct seq_file *m, void *unused)
{
	struct amd_ga_iommu *iommu = m->private;
	char buf[256];

	amd_ga_efr_describe(iommu->efr, iommu->efr2, buf, sizeof(buf));
	seq_printf(m, "backend %s\n", iommu->ops->name);
	seq_printf(m, "device %s\n", iommu->dev ? dev_name(iommu->dev) : "none");
	seq_printf(m, "efr 0x%016llx\n", iommu->efr);
	seq_printf(m, "efr2 0x%016llx\n", iommu->efr2);
	seq_printf(m, "decoded %s\n", buf);
	seq_printf(m, "ga_128bit_irte %d\n", amd_ga_has_ga(iommu));
	seq_printf(m, "guest_vapic %d\n", amd_ga_has_vapic(iommu));
	seq_printf(m, "x2apic_xt %d\n", amd_ga_has_xt(iommu));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(amd_ga_features);

/* The shadow: what amd-ga wrote. Control is not read back from hardware. */
static int amd_ga_control_show(struct seq_file *m, void *unused)
{
	struct amd_ga_iommu *iommu = m->private;

	amd_ga_show_fields(m, amd_ga_ctrl_get(iommu), amd_ga_ctrl_fields,
			   ARRAY_SIZE(amd_ga_ctrl_fields));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(amd_ga_control);

static int amd_ga_status_show(struct seq_file *m, void *unused)
{
	struct amd_ga_iommu *iommu = m->private;

	amd_ga_show_fields(m, amd_ga_read(iommu, AMD_GA_MMIO_STATUS),
			   amd_ga_status_fields,
			   ARRAY_SIZE(amd_ga_status_fields));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(amd_ga_status);

static int amd_ga_galog_show(struct seq_file *m, void *unused)
{
	struct amd_ga_iommu *iommu = m->private;
	u64 base = amd_ga_read(iommu, AMD_GA_MMIO_GALOG_BASE);
	u64 tail_addr = amd_ga_read(iommu, AMD_GA_MMIO_GALOG_TAIL_ADDR);
	u64 head = amd_ga_read(iommu, AMD_GA_MMIO_GALOG_HEAD);
	u64 tail = amd_ga_read(iommu, AMD_GA_MMIO_GALOG_TAIL);
	u64 status = amd_ga_read(iommu, AMD_GA_MMIO_STATUS);
	u64 ctrl = amd_ga_ctrl_get(iommu);
	/* The pointer field starts at bit 3: its value is an entry index. */
	u32 hi = FIELD_GET(AMD_GA_GALOG_PTR, head);
	u32 ti = FIELD_GET(AMD_GA_GALOG_PTR, tail);

	seq_printf(m, "base_reg 0x%016llx\n", base);
	seq_printf(m, "base_pa 0x%llx\n", base & AMD_GA_GALOG_BASE_ADDR);
	seq_printf(m, "length_code %llu\n",
		   FIELD_GET(AMD_GA_GALOG_BASE_LEN, base));
	seq_printf(m, "tail_addr_reg 0x%016llx\n", tail_addr);
	seq_printf(m, "head 0x%llx\n", head);
	seq_printf(m, "tail 0x%llx\n", tail);
	seq_printf(m, "GALogEn %d\n", !!(ctrl & AMD_GA_CTRL_GALOG_EN));
	seq_printf(m, "GAIntEn %d\n", !!(ctrl & AMD_GA_CTRL_GAINT_EN));
	seq_printf(m, "GALogRun %d\n", !!(status & AMD_GA_STATUS_GALOG_RUN));
	seq_printf(m, "GALOverflow %d\n",
		   !!(status & AMD_GA_STATUS_GALOG_OVERFLOW));
	seq_printf(m, "GAInt %d\n", !!(status & AMD_GA_STATUS_GALOG_INT));
	/* Only the 512-entry log amd-ga programs has a known geometry. */
	if (FIELD_GET(AMD_GA_GALOG_BASE_LEN, base) == AMD_GA_GALOG_LEN_CODE_512 &&
	    hi < AMD_GA_GALOG_ENTRIES && ti < AMD_GA_GALOG_ENTRIES) {
		seq_printf(m, "entries %u\n", AMD_GA_GALOG_ENTRIES);
		seq_printf(m, "head_index %u\n", hi);
		seq_printf(m, "tail_index %u\n", ti);
		seq_printf(m, "pending %u\n",
			   (ti + AMD_GA_GALOG_ENTRIES - hi) % AMD_GA_GALOG_ENTRIES);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(amd_ga_galog);

/* One decoded IRTE, on one line, after its index. */
static void amd_ga_show_irte(struct seq_file *m, unsigned int index,
			     const struct amd_ga_irte *e, bool ga)
{
	struct amd_ga_irte_fields f;
	u32 vm, vcpu;

	if (ga)
		amd_ga_irte_decode(e, &f);
	else
		amd_ga_irte32_decode(e->lo, &f);
	seq_printf(m, "  %3u ", index);
	switch (f.mode) {
	case AMD_GA_IRTE_DISABLED:
		seq_puts(m, "disabled");
		break;
	case AMD_GA_IRTE_REMAPPED:
		seq_printf(m, "remapped vector %#x dest %#x int_type %u dm %d rq_eoi %d",
			   f.remap.vector, f.remap.dest, f.remap.int_type,
			   f.remap.dest_logical, f.remap.rq_eoi);
		break;
	case AMD_GA_IRTE_GUEST:
		amd_ga_gatag_decode(&amd_ga_gatag_default, f.guest.ga_tag, &vm,
				    &vcpu);
		seq_printf(m, "guest vector %#x dest %#x gatag %#010x vm %u vcpu %u is_run %d ga_log_intr %d backing %#llx",
			   f.guest.vector, f.guest.dest, f.guest.ga_tag, vm,
			   vcpu, f.guest.is_run, f.guest.ga_log_intr,
			   f.guest.ga_root_pa);
		break;
	}
	if (f.rsvd_set)
		seq_puts(m, " RESERVED-BITS-SET");
	if (ga)
		seq_printf(m, " [%016llx:%016llx]\n", e->hi, e->lo);
	else
		seq_printf(m, " [%08llx]\n", e->lo);
}

/*
 * Copy the interrupt qword of @devid's DTE and, if it points at a table,
 * the table, under the device table lock. An IRT is freed only after the
 * DTEs stop pointing at it, which takes that lock, so the copy never reads
 * a freed table. Entries are read one by one: a writer holding only the
 * table lock may change one meanwhile, and the copy then shows either
 * value of it.
 */
static unsigned int amd_ga_irt_snapshot(struct amd_ga_devtab *dt, u16 devid,
					bool ga, u64 *dte2,
					struct amd_ga_irte *copy)
{
	unsigned int i, nr = 0;
	unsigned long flags;
	phys_addr_t root;
	void *table;

	raw_spin_lock_irqsave(&dt->lock, flags);
	*dte2 = READ_ONCE(dt->entries[(size_t)devid * AMD_GA_DTE_QWORDS +
				      AMD_GA_DTE_IRQ_QWORD]);
	root = *dte2 & AMD_GA_DTE2_INT_TAB_ROOT;
	if ((*dte2 & AMD_GA_DTE2_IV) && root &&
	    FIELD_GET(AMD_GA_DTE2_INT_CTL, *dte2) == AMD_GA_DTE_INT_CTL_REMAP) {
		/* As the IOMMU sizes it: 512 or, in 2K mode, 2048 entries. */
		nr = min_t(unsigned int, AMD_GA_IRT_ENTRIES_MAX,
			   1U << FIELD_GET(AMD_GA_DTE2_INT_TAB_LEN, *dte2));
		table = phys_to_virt(__sme_clr(root));
		for (i = 0; i < nr; i++) {
			if (ga) {
				struct amd_ga_irte *e = table;

				copy[i].lo = READ_ONCE(e[i].lo);
				copy[i].hi = READ_ONCE(e[i].hi);
			} else {
				copy[i].lo = READ_ONCE(((u32 *)table)[i]);
				copy[i].hi = 0;
			}
		}
	}
	raw_spin_unlock_irqrestore(&dt->lock, flags);
	return nr;
}

/*
 * The interrupt remapping tables of the devices amd-ga owns on this IOMMU,
 * as the IOMMU reaches them: through the device table. Only non-zero
 * entries are listed.
 */
static int amd_ga_irt_show(struct seq_file *m, void *unused)
{
	struct amd_ga_iommu *iommu = m->private;
	struct amd_ga_devtab *dt = iommu->devtab;
	bool ga = amd_ga_iommu_irte_128(iommu);
	struct amd_ga_irte *copy;
	unsigned int devid, nr, i;
	u64 dte2;

	if (!dt) {
		seq_puts(m, "interrupt remapping is not enabled\n");
		return 0;
	}
	/* 32 KiB for a 2048-entry table: need not be contiguous. */
	copy = kvmalloc_array(AMD_GA_IRT_ENTRIES_MAX, sizeof(*copy),
			      GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	seq_printf(m, "format %s\n", ga ? "128-bit" : "32-bit");
	for (devid = 0; ; devid++) {
		/* The owned set may change between two devices; fine here. */
		devid = find_next_bit(dt->owned, AMD_GA_DEVTAB_ENTRIES, devid);
		if (devid >= AMD_GA_DEVTAB_ENTRIES)
			break;
		nr = amd_ga_irt_snapshot(dt, devid, ga, &dte2, copy);
		seq_printf(m, "device %02x:%02x.%x dte_irq %#018llx",
			   devid >> 8, (devid >> 3) & 0x1f, devid & 0x7, dte2);
		if (!nr) {
			seq_puts(m, " no table\n");
			continue;
		}
		seq_printf(m, " entries %u root %#llx\n", nr,
			   dte2 & AMD_GA_DTE2_INT_TAB_ROOT);
		for (i = 0; i < nr; i++)
			if (copy[i].lo || copy[i].hi)
				amd_ga_show_irte(m, i, &copy[i], ga);
	}
	kvfree(copy);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(amd_ga_irt);

static int amd_ga_gatag_layout_show(struct seq_file *m, void *unused)
{
	const struct amd_ga_gatag_layout *l = &amd_ga_gatag_default;
	u32 vcpu_mask = amd_ga_gatag_max_vcpu_idx(l);

	seq_printf(m, "vcpu_bits %u\n", l->vcpu_bits);
	seq_printf(m, "vm_id_bits %u\n", 32 - l->vcpu_bits);
	seq_printf(m, "vcpu_mask 0x%08x\n", vcpu_mask);
	seq_printf(m, "vm_id_mask 0x%08x\n", ~vcpu_mask);
	seq_printf(m, "max_vcpu_idx %u\n", amd_ga_gatag_max_vcpu_idx(l));
	seq_printf(m, "max_vm_id %u\n", amd_ga_gatag_max_vm_id(l));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(amd_ga_gatag_layout);

/* Protects amd_ga_debugfs_root and amd_ga_debugfs_users. */
static DEFINE_MUTEX(amd_ga_debugfs_lock);
static struct dentry *amd_ga_debugfs_root;
static unsigned int amd_ga_debugfs_users;

/**
 * amd_ga_debugfs_add_iommu() - create an IOMMU's debugfs directory
 * @iommu: a registered instance; its name names the directory
 *
 * Creates /sys/kernel/debug/amd-ga/ with the first IOMMU. Failures are
 * not reported: debugfs is a debugging aid and the driver works without
 * it (the debugfs functions accept the error pointers they return).
 *
 * Context: process context; may sleep.
 */
void amd_ga_debugfs_add_iommu(struct amd_ga_iommu *iommu)
{
	struct dentry *dir;

	mutex_lock(&amd_ga_debugfs_lock);
	if (!amd_ga_debugfs_users++) {
		amd_ga_debugfs_root = debugfs_create_dir(AMD_GA_DEBUGFS_ROOT,
							 NULL);
		debugfs_create_file("gatag_layout", AMD_GA_DEBUGFS_MODE,
				    amd_ga_debugfs_root, NULL,
				    &amd_ga_gatag_layout_fops);
	}
	dir = debugfs_create_dir(iommu->name, amd_ga_debugfs_root);
	iommu->debugfs = dir;
	mutex_unlock(&amd_ga_debugfs_lock);

	debugfs_create_file("features", AMD_GA_DEBUGFS_MODE, dir, iommu,
			    &amd_ga_features_fops);
	debugfs_create_file("control", AMD_GA_DEBUGFS_MODE, dir, iommu,
			    &amd_ga_control_fops);
	debugfs_create_file("status", AMD_GA_DEBUGFS_MODE, dir, iommu,
			    &amd_ga_status_fops);
	debugfs_create_file("galog", AMD_GA_DEBUGFS_MODE, dir, iommu,
			    &amd_ga_galog_fops);
	debugfs_create_file("counters", AMD_GA_DEBUGFS_MODE, dir, iommu,
			    &amd_ga_counters_fops);
	if (iommu->enabled)
		amd_ga_debugfs_add_irt(iommu);
}

/**
 * amd_ga_debugfs_remove_iommu() - remove an IOMMU's debugfs directory
 * @iommu: the instance
 *
 * Returns once no reader is inside one of the IOMMU's files. Removes
 * /sys/kernel/debug/amd-ga/ with the last IOMMU.
 *
 * Context: process context; may sleep.
 */
void amd_ga_debugfs_remove_iommu(struct amd_ga_iommu *iommu)
{
	mutex_lock(&amd_ga_debugfs_lock);
	if (!iommu->debugfs) {
		/* Never added (an error pointer still counts as added). */
		mutex_unlock(&amd_ga_debugfs_lock);
		return;
	}
	debugfs_remove(iommu->debugfs);
	iommu->debugfs = NULL;
	if (!--amd_ga_debugfs_users) {
		debugfs_remove(amd_ga_debugfs_root);
		amd_ga_debugfs_root = NULL;
	}
	mutex_unlock(&amd_ga_debugfs_lock);
}

/**
 * amd_ga_debugfs_add_irt() - create an IOMMU's "irt" file
 * @iommu: the instance, interrupt remapping just enabled
 *
 * The file reads the device table, which exists only while interrupt
 * remapping is enabled: amd_ga_iommu_enable() creates the file once the
 * table is in place and amd_ga_iommu_disable() removes it before the
 * table goes. Nothing happens for an IOMMU not registered yet; its
 * registration creates the file then.
 *
 * Context: process context; may sleep.
 */
void amd_ga_debugfs_add_irt(struct amd_ga_iommu *iommu)
{
	mutex_lock(&amd_ga_debugfs_lock);
	if (iommu->debugfs)
		debugfs_create_file("irt", AMD_GA_DEBUGFS_MODE, iommu->debugfs,
				    iommu, &amd_ga_irt_fops);
	mutex_unlock(&amd_ga_debugfs_lock);
}

/**
 * amd_ga_debugfs_remove_irt() - remove an IOMMU's "irt" file
 * @iommu: the instance, about to disable interrupt remapping
 *
 * Returns once no reader is inside the file, so the device table may be
 * freed afterwards.
 *
 * Context: process context; may sleep.
 */
void amd_ga_debugfs_remove_irt(struct amd_ga_iommu *iommu)
{
	struct dentry *d;

	mutex_lock(&amd_ga_debugfs_lock);
	if (iommu->debugfs && !IS_ERR(iommu->debugfs)) {
		d = debugfs_lookup("irt", iommu->debugfs);
		if (!IS_ERR_OR_NULL(d)) {
			debugfs_remove(d);
			dput(d);
		}
	}
	mutex_unlock(&amd_ga_debugfs_lock);
}
