// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the in-tree backport's adapter (host.c) as the built-in AMD IOMMU
 * driver uses it, on a fake built-in IOMMU: a page of zeroed registers
 * with an EFR, and a command buffer that records what it is given. The
 * codec entry points (remapped, guest, RemapEn, affinity), the writer on
 * a foreign table with the invalidations it decides (a changed cached
 * field: one INVALIDATE_INTERRUPT_TABLE and a wait; a run-state change or
 * an unchanged value: none), freeing, and bad input; and PCI MSI entries
 * made postable (host_posted.c): one writer, kvm_amd's path through
 * amd-ga's posted API, and no posting on 32-bit tables.
 *
 * The adapter keeps the built-in driver's IOMMUs and tables for the
 * kernel's lifetime, so every case uses its own fake and its own
 * DeviceIDs, and neither is ever freed.
 */
#include <kunit/test.h>
#include <linux/amd-ga.h>
#include <linux/amd-ga-host.h>
#include <linux/bitfield.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "cmdq.h"
#include "hw.h"
#include "iommu.h"
#include "irte.h"

#define HOST_EFR	(AMD_GA_EFR_GA_SUP | AMD_GA_EFR_IA_SUP | \
			 FIELD_PREP(AMD_GA_EFR_GAM_SUP, AMD_GA_EFR_GAM_SUP_VAPIC))
/* Registers up to the GA log's head and tail (0x2040, 0x2048). */
#define HOST_MMIO_ORDER	2

/* The built-in driver's IOMMU, as far as the adapter sees it. */
struct host_fake {
	void *mmio;
	raw_spinlock_t lock;
	void *entries;
	bool ga128;
	u16 devid;
	unsigned int submits;
	unsigned int inv_irt;
	u16 inv_devid;
	bool waited;
	int ret;
	struct amd_ga_iommu *ga;
};

static int host_fake_submit(void *host, const void *cmds, unsigned int nr,
			    bool wait)
{
	const struct amd_ga_cmd *c = cmds;
	struct host_fake *f = host;
	unsigned int i;

	f->submits++;
	for (i = 0; i < nr; i++) {
		if (amd_ga_cmd_opcode(&c[i]) != AMD_GA_CMD_INV_IRT)
			continue;
		f->inv_irt++;
		f->inv_devid = FIELD_GET(AMD_GA_CMD_DEVID, c[i].q[0]);
	}
	f->waited = wait;
	return f->ret;
}

static const struct amd_ga_host_ops host_fake_ops = {
	.submit = host_fake_submit,
};

static u16 host_next_devid = 0x4000;

/* A fake IOMMU with one table (DeviceID of its own), known to amd-ga. */
static struct host_fake *host_fake_create(struct kunit *test, bool ga128,
					  bool xt)
{
	struct host_fake *f = kzalloc(sizeof(*f), GFP_KERNEL);
	size_t bytes = ga128 ? 512 * 16 : 512 * 4;

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->mmio = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					   HOST_MMIO_ORDER);
	KUNIT_ASSERT_NOT_NULL(test, f->mmio);
	*(u64 *)(f->mmio + AMD_GA_MMIO_EFR) =
		HOST_EFR | (xt ? AMD_GA_EFR_XT_SUP : 0);
	/* kmalloc of 2 and 8 KiB is aligned to its size: 128 bytes at least. */
	f->entries = kzalloc(bytes, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->entries);
	raw_spin_lock_init(&f->lock);
	f->ga128 = ga128;
	f->devid = host_next_devid++;
	f->ga = amd_ga_host_add((void __force __iomem *)f->mmio, xt,
				&host_fake_ops, f);
	KUNIT_ASSERT_NOT_NULL(test, f->ga);
	KUNIT_ASSERT_EQ(test, amd_ga_host_table_add(f->ga, f->devid, f->entries,
						    ga128, &f->lock), 0);
	return f;
}

static struct amd_ga_irte host_entry(struct host_fake *f, unsigned int i)
{
	struct amd_ga_irte *e = f->entries;

	return e[i];
}

static void host_decode(const void *image, bool ga128,
			struct amd_ga_irte_fields *fl)
{
	struct amd_ga_irte irte;

	if (ga128) {
		memcpy(&irte, image, sizeof(irte));
		amd_ga_irte_decode(&irte, fl);
	} else {
		amd_ga_irte32_decode(*(const u32 *)image, fl);
	}
}

/* prepare() makes a remapped entry, RemapEn set, in both formats. */
static void host_prepare_remap(struct kunit *test)
{
	struct amd_ga_irte_fields fl;
	struct amd_ga_irte img;
	u32 img32;

	amd_ga_host_irte_prepare(&img, true, 1, true, 0x41, 0x1234);
	host_decode(&img, true, &fl);
	KUNIT_EXPECT_EQ(test, fl.mode, AMD_GA_IRTE_REMAPPED);
	KUNIT_EXPECT_EQ(test, fl.remap.vector, 0x41U);
	KUNIT_EXPECT_EQ(test, fl.remap.dest, 0x1234U);
	KUNIT_EXPECT_EQ(test, fl.remap.int_type, 1U);
	KUNIT_EXPECT_TRUE(test, fl.remap.dest_logical);
	KUNIT_EXPECT_FALSE(test, fl.rsvd_set);

	amd_ga_host_irte_prepare(&img32, false, 0, false, 0xef, 0x12);
	host_decode(&img32, false, &fl);
	KUNIT_EXPECT_EQ(test, fl.mode, AMD_GA_IRTE_REMAPPED);
	KUNIT_EXPECT_EQ(test, fl.remap.vector, 0xefU);
	KUNIT_EXPECT_EQ(test, fl.remap.dest, 0x12U);
	KUNIT_EXPECT_FALSE(test, fl.remap.dest_logical);
}

/* What a format cannot hold gives a disabled (zero) image, never garbage. */
static void host_prepare_unencodable(struct kunit *test)
{
	struct amd_ga_irte img;
	u32 img32 = 0xdeadbeef;

	amd_ga_host_irte_prepare(&img32, false, 0, false, 0x30, 0x100);
	KUNIT_EXPECT_EQ(test, img32, 0U);
	img.lo = ~0ULL;
	img.hi = ~0ULL;
	amd_ga_host_irte_prepare(&img, true, 7, false, 0x30, 1);
	KUNIT_EXPECT_EQ(test, img.lo, 0ULL);
	KUNIT_EXPECT_EQ(test, img.hi, 0ULL);
	img.lo = ~0ULL;
	img.hi = ~0ULL;
	amd_ga_host_irte_prepare_guest(&img, true, 0x1234, 0x30, 5);
	KUNIT_EXPECT_EQ(test, img.lo, 0ULL);
	KUNIT_EXPECT_EQ(test, img.hi, 0ULL);
}

/* RemapEn toggles alone, in remapped and in guest mode. */
static void host_set_remap_en(struct kunit *test)
{
	struct amd_ga_irte_fields fl;
	struct amd_ga_irte img;
	u32 img32;

	amd_ga_host_irte_prepare(&img, true, 0, false, 0x52, 7);
	amd_ga_host_irte_set_remap_en(&img, true, false);
	host_decode(&img, true, &fl);
	KUNIT_EXPECT_EQ(test, fl.mode, AMD_GA_IRTE_DISABLED);
	KUNIT_EXPECT_EQ(test, fl.remap.vector, 0x52U);
	KUNIT_EXPECT_EQ(test, fl.remap.dest, 7U);

	amd_ga_host_irte_prepare_guest(&img, false, 0xabcde000ULL, 0x61, 0x2003);
	host_decode(&img, true, &fl);
	KUNIT_EXPECT_EQ(test, fl.mode, AMD_GA_IRTE_DISABLED);
	amd_ga_host_irte_set_remap_en(&img, true, true);
	host_decode(&img, true, &fl);
	KUNIT_EXPECT_EQ(test, fl.mode, AMD_GA_IRTE_GUEST);
	KUNIT_EXPECT_EQ(test, fl.guest.ga_root_pa, 0xabcde000ULL);
	KUNIT_EXPECT_EQ(test, fl.guest.vector, 0x61U);
	KUNIT_EXPECT_EQ(test, fl.guest.ga_tag, 0x2003U);
	KUNIT_EXPECT_TRUE(test, fl.guest.ga_log_intr);
	KUNIT_EXPECT_FALSE(test, fl.guest.is_run);

	amd_ga_host_irte_prepare(&img32, false, 0, false, 0x33, 2);
	amd_ga_host_irte_set_remap_en(&img32, false, false);
	host_decode(&img32, false, &fl);
	KUNIT_EXPECT_EQ(test, fl.mode, AMD_GA_IRTE_DISABLED);
	KUNIT_EXPECT_EQ(test, fl.remap.vector, 0x33U);
}

/* set_affinity retargets a remapped image and leaves a guest one alone. */
static void host_set_affinity(struct kunit *test)
{
	struct amd_ga_irte_fields fl;
	struct amd_ga_irte img, before;

	amd_ga_host_irte_prepare(&img, true, 0, false, 0x52, 7);
	KUNIT_EXPECT_TRUE(test, amd_ga_host_irte_set_affinity(&img, true, 0x60, 3));
	host_decode(&img, true, &fl);
	KUNIT_EXPECT_EQ(test, fl.remap.vector, 0x60U);
	KUNIT_EXPECT_EQ(test, fl.remap.dest, 3U);
	KUNIT_EXPECT_EQ(test, fl.mode, AMD_GA_IRTE_REMAPPED);

	amd_ga_host_irte_prepare_guest(&img, true, 0x5000, 0x61, 9);
	before = img;
	KUNIT_EXPECT_FALSE(test, amd_ga_host_irte_set_affinity(&img, true, 0x60, 3));
	KUNIT_EXPECT_EQ(test, img.lo, before.lo);
	KUNIT_EXPECT_EQ(test, img.hi, before.hi);
}

/* One instance per built-in IOMMU; its registers are read, as they are. */
static void host_add_once(struct kunit *test)
{
	struct host_fake *f = host_fake_create(test, true, false);

	KUNIT_EXPECT_PTR_EQ(test, amd_ga_host_add((void __force __iomem *)f->mmio, false,
						  &host_fake_ops, f), f->ga);
	KUNIT_EXPECT_EQ(test, f->ga->efr, (u64)HOST_EFR);
	KUNIT_EXPECT_EQ(test, amd_ga_read(f->ga, AMD_GA_MMIO_EFR), (u64)HOST_EFR);
	KUNIT_EXPECT_EQ(test, strncmp(f->ga->name, "amd-ga", 6), 0);
	KUNIT_EXPECT_NULL(test, amd_ga_host_add(NULL, false, &host_fake_ops,
						(void *)test));
	KUNIT_EXPECT_EQ(test, amd_ga_host_table_add(f->ga, f->devid, f->entries,
						    true, &f->lock), 0);
}

/*
 * A stored entry lands on the built-in table; a change of a cached field
 * is invalidated once, for the table's DeviceID, and waited for; storing
 * the same value again issues nothing.
 */
static void host_write_invalidates_changes(struct kunit *test)
{
	struct host_fake *f = host_fake_create(test, true, false);
	struct amd_ga_irte img, got;

	amd_ga_host_irte_prepare(&img, true, 0, false, 0x45, 1);
	KUNIT_ASSERT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 33, &img, true), 0);
	got = host_entry(f, 33);
	KUNIT_EXPECT_EQ(test, got.lo, img.lo);
	KUNIT_EXPECT_EQ(test, got.hi, img.hi);
	KUNIT_EXPECT_EQ(test, f->inv_irt, 1U);
	KUNIT_EXPECT_EQ(test, f->inv_devid, f->devid);
	KUNIT_EXPECT_TRUE(test, f->waited);

	KUNIT_ASSERT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 33, &img, true), 0);
	KUNIT_EXPECT_EQ(test, f->submits, 1U);

	KUNIT_ASSERT_TRUE(test, amd_ga_host_irte_set_affinity(&img, true, 0x46, 1));
	KUNIT_ASSERT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 33, &img, true), 0);
	KUNIT_EXPECT_EQ(test, host_entry(f, 33).hi, img.hi);
	KUNIT_EXPECT_EQ(test, f->inv_irt, 2U);
}

/* The legacy format: every change is invalidated. */
static void host_write_32(struct kunit *test)
{
	struct host_fake *f = host_fake_create(test, false, false);
	u32 *table = f->entries;
	u32 img;

	amd_ga_host_irte_prepare(&img, false, 0, false, 0x45, 1);
	KUNIT_ASSERT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 40, &img, false), 0);
	KUNIT_EXPECT_EQ(test, table[40], img);
	KUNIT_EXPECT_EQ(test, f->inv_irt, 1U);
	amd_ga_host_irte_set_remap_en(&img, false, false);
	KUNIT_ASSERT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 40, &img, false), 0);
	KUNIT_EXPECT_EQ(test, table[40], img);
	KUNIT_EXPECT_EQ(test, f->inv_irt, 2U);
}

/*
 * amd_iommu_update_ga()'s store, with no command at all: a valid CPU sets
 * IsRun and Destination and clears GALogIntr; no CPU clears IsRun, keeps
 * Destination, and sets GALogIntr only for a blocking vCPU. A remapped
 * entry is left alone.
 */
static void host_update_run(struct kunit *test)
{
	struct host_fake *f = host_fake_create(test, true, false);
	struct amd_ga_irte_fields fl;
	struct amd_ga_irte img, got;

	amd_ga_host_irte_prepare_guest(&img, true, 0x7000, 0x61, 0x10004);
	KUNIT_ASSERT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 5, &img, true), 0);
	KUNIT_ASSERT_EQ(test, f->submits, 1U);

	/* Running: GALogIntr is cleared even when asked for. */
	KUNIT_ASSERT_EQ(test, amd_ga_host_irte_update_run(f->ga, f->devid, 5, 3, true), 0);
	got = host_entry(f, 5);
	amd_ga_irte_decode(&got, &fl);
	KUNIT_EXPECT_TRUE(test, fl.guest.is_run);
	KUNIT_EXPECT_EQ(test, fl.guest.dest, 3U);
	KUNIT_EXPECT_FALSE(test, fl.guest.ga_log_intr);
	KUNIT_EXPECT_EQ(test, fl.guest.ga_tag, 0x10004U);
	KUNIT_EXPECT_EQ(test, f->submits, 1U);

	/* Blocking: not running, the destination kept, GA log entries on. */
	KUNIT_ASSERT_EQ(test, amd_ga_host_irte_update_run(f->ga, f->devid, 5, -1, true), 0);
	got = host_entry(f, 5);
	amd_ga_irte_decode(&got, &fl);
	KUNIT_EXPECT_FALSE(test, fl.guest.is_run);
	KUNIT_EXPECT_EQ(test, fl.guest.dest, 3U);
	KUNIT_EXPECT_TRUE(test, fl.guest.ga_log_intr);
	KUNIT_EXPECT_EQ(test, f->submits, 1U);

	/* Preempted: not running, and no GA log entry for it. */
	KUNIT_ASSERT_EQ(test, amd_ga_host_irte_update_run(f->ga, f->devid, 5, -1, false), 0);
	got = host_entry(f, 5);
	amd_ga_irte_decode(&got, &fl);
	KUNIT_EXPECT_FALSE(test, fl.guest.is_run);
	KUNIT_EXPECT_FALSE(test, fl.guest.ga_log_intr);
	KUNIT_EXPECT_EQ(test, fl.guest.dest, 3U);
	KUNIT_EXPECT_EQ(test, f->submits, 1U);

	amd_ga_host_irte_prepare(&img, true, 0, false, 0x45, 1);
	KUNIT_ASSERT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 6, &img, true), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_host_irte_update_run(f->ga, f->devid, 6, 2, true), 0);
	got = host_entry(f, 6);
	KUNIT_EXPECT_EQ(test, got.lo, img.lo);
	KUNIT_EXPECT_EQ(test, got.hi, img.hi);
}

/* Freeing writes zero (the built-in driver's "unallocated") and invalidates. */
static void host_clear(struct kunit *test)
{
	struct host_fake *f = host_fake_create(test, true, false);
	struct amd_ga_irte img, got;

	amd_ga_host_irte_prepare(&img, true, 0, false, 0x45, 1);
	KUNIT_ASSERT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 7, &img, true), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_host_irte_clear(f->ga, f->devid, 7, true), 0);
	got = host_entry(f, 7);
	KUNIT_EXPECT_EQ(test, got.lo, 0ULL);
	KUNIT_EXPECT_EQ(test, got.hi, 0ULL);
	KUNIT_EXPECT_EQ(test, f->inv_irt, 2U);
}

/* The built-in driver's command buffer failing is reported; the store stays. */
static void host_submit_error(struct kunit *test)
{
	struct host_fake *f = host_fake_create(test, true, false);
	struct amd_ga_irte img;

	f->ret = -EIO;
	amd_ga_host_irte_prepare(&img, true, 0, false, 0x45, 1);
	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 8, &img, true), -EIO);
	KUNIT_EXPECT_EQ(test, host_entry(f, 8).hi, img.hi);
}

/* Bad input: an errno, and the table is not touched. */
static void host_bad_input(struct kunit *test)
{
	struct host_fake *f = host_fake_create(test, true, false);
	struct amd_ga_irte img, got;
	void *misaligned;

	amd_ga_host_irte_prepare(&img, true, 0, false, 0x45, 1);
	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid + 0x100, 1, &img, true),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 512, &img, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 1, NULL, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 1, &img, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_write(NULL, f->devid, 1, &img, true), -EINVAL);

	/* An APIC ID above 255 needs XTEn, which this IOMMU runs without. */
	amd_ga_host_irte_prepare(&img, true, 0, false, 0x45, 0x100);
	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 1, &img, true), -ERANGE);
	/* Reserved bits set: not an image the codec made. */
	img.hi |= AMD_GA_IRTE_HI_RSVD0;
	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 1, &img, true), -EINVAL);
	got = host_entry(f, 1);
	KUNIT_EXPECT_EQ(test, got.lo, 0ULL);
	KUNIT_EXPECT_EQ(test, got.hi, 0ULL);
	KUNIT_EXPECT_EQ(test, f->submits, 0U);

	/* A table is learnt once; another one for the same DeviceID is refused. */
	misaligned = f->entries + 64;
	KUNIT_EXPECT_EQ(test, amd_ga_host_table_add(f->ga, f->devid + 1, misaligned,
						    true, &f->lock), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_host_table_add(f->ga, f->devid, f->entries + 4096,
						    true, &f->lock), -EINVAL);
	KUNIT_EXPECT_EQ(test, amd_ga_host_table_add(NULL, f->devid, f->entries,
						    true, &f->lock), -EINVAL);
}

/* With XTEn, 32-bit APIC IDs are stored whole. */
static void host_write_xt(struct kunit *test)
{
	struct host_fake *f = host_fake_create(test, true, true);
	struct amd_ga_irte img, got;

	amd_ga_host_irte_prepare(&img, true, 0, false, 0x45, 0x01020304);
	KUNIT_ASSERT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 9, &img, true), 0);
	got = host_entry(f, 9);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_dest(&got), 0x01020304U);
}

/* A Linux IRQ number nobody else uses, for the posted IRTE of @f. */
static int host_fake_irq(struct host_fake *f, unsigned int n)
{
	return 0x100000 + f->devid * 4 + n;
}

/*
 * A postable entry has one writer, its posted IRTE: the adapter's plain
 * writer is refused, host images become its host route, a guest-mode
 * image is refused, and freeing hands the entry back to the plain writer.
 */
static void host_posted_one_writer(struct kunit *test)
{
	struct host_fake *f = host_fake_create(test, true, false);
	struct amd_ga_irte_fields fl;
	struct amd_ga_irte img, got;
	struct amd_ga_posted *p;

	p = amd_ga_host_irte_postable(f->ga, f->devid, 9, host_fake_irq(f, 0));
	KUNIT_ASSERT_FALSE(test, IS_ERR(p));
	KUNIT_EXPECT_PTR_EQ(test, amd_ga_irq_get_posted(host_fake_irq(f, 0)), p);
	got = host_entry(f, 9);
	amd_ga_irte_decode(&got, &fl);
	KUNIT_EXPECT_EQ(test, fl.mode, AMD_GA_IRTE_DISABLED);
	KUNIT_EXPECT_TRUE(test, IS_ERR(amd_ga_host_irte_postable(f->ga, f->devid, 9,
								 host_fake_irq(f, 1))));

	amd_ga_host_irte_prepare(&img, true, 0, false, 0x45, 1);
	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 9, &img, true),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_store(f->ga, f->devid, 9, &img, true), 0);
	got = host_entry(f, 9);
	amd_ga_irte_decode(&got, &fl);
	KUNIT_EXPECT_EQ(test, fl.mode, AMD_GA_IRTE_REMAPPED);
	KUNIT_EXPECT_EQ(test, fl.remap.vector, 0x45U);
	KUNIT_EXPECT_EQ(test, fl.remap.dest, 1U);
	KUNIT_EXPECT_GE(test, f->inv_irt, 1U);
	KUNIT_EXPECT_EQ(test, f->inv_devid, f->devid);

	amd_ga_host_irte_prepare_guest(&img, true, 0x7000, 0x61, 0x10004);
	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_store(f->ga, f->devid, 9, &img, true),
			-EINVAL);

	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_free(f->ga, f->devid, 9, true), 0);
	KUNIT_EXPECT_NULL(test, amd_ga_irq_get_posted(host_fake_irq(f, 0)));
	got = host_entry(f, 9);
	KUNIT_EXPECT_EQ(test, got.lo, 0ULL);
	KUNIT_EXPECT_EQ(test, got.hi, 0ULL);
	amd_ga_host_irte_prepare(&img, true, 0, false, 0x46, 1);
	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_write(f->ga, f->devid, 9, &img, true), 0);
}

/*
 * kvm_amd's path on a built-in IRTE: irq_set_vcpu_affinity() posts it
 * (a route change: invalidated), a vCPU load sets IsRun and Destination
 * without a command, a host affinity change while posting is kept for
 * later, and deactivation restores that host route.
 */
static void host_posted_vcpu(struct kunit *test)
{
	struct host_fake *f = host_fake_create(test, true, false);
	unsigned long page = get_zeroed_page(GFP_KERNEL);
	struct amd_ga_pi_data pi = {
		.ga_tag = 0x10004,
		.vector = 0x61,
		.cpu = -1,
		.ga_log_intr = true,
		.is_guest_mode = true,
	};
	struct amd_ga_irte_fields fl;
	struct amd_ga_irte img, got;
	struct amd_ga_posted *p;
	unsigned int submits;

	KUNIT_ASSERT_NE(test, page, 0UL);
	pi.vapic_addr = virt_to_phys((void *)page);
	p = amd_ga_host_irte_postable(f->ga, f->devid, 10, host_fake_irq(f, 0));
	KUNIT_ASSERT_FALSE(test, IS_ERR(p));
	amd_ga_host_irte_prepare(&img, true, 0, false, 0x45, 1);
	KUNIT_ASSERT_EQ(test, amd_ga_host_irte_store(f->ga, f->devid, 10, &img, true), 0);

	submits = f->submits;
	KUNIT_ASSERT_EQ(test, amd_ga_irq_set_vcpu_affinity(host_fake_irq(f, 0), &pi), 0);
	KUNIT_EXPECT_PTR_EQ(test, pi.ir_data, p);
	got = host_entry(f, 10);
	amd_ga_irte_decode(&got, &fl);
	KUNIT_EXPECT_EQ(test, fl.mode, AMD_GA_IRTE_GUEST);
	KUNIT_EXPECT_EQ(test, fl.guest.ga_tag, 0x10004U);
	KUNIT_EXPECT_EQ(test, fl.guest.vector, 0x61U);
	KUNIT_EXPECT_FALSE(test, fl.guest.is_run);
	KUNIT_EXPECT_TRUE(test, fl.guest.ga_log_intr);
	KUNIT_EXPECT_GT(test, f->submits, submits);

	submits = f->submits;
	KUNIT_EXPECT_EQ(test, amd_ga_update_ga(p, 3, false), 0);
	got = host_entry(f, 10);
	amd_ga_irte_decode(&got, &fl);
	KUNIT_EXPECT_TRUE(test, fl.guest.is_run);
	KUNIT_EXPECT_EQ(test, fl.guest.dest, 3U);
	KUNIT_EXPECT_EQ(test, f->submits, submits);

	amd_ga_host_irte_prepare(&img, true, 0, false, 0x47, 2);
	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_store(f->ga, f->devid, 10, &img, true), 0);
	got = host_entry(f, 10);
	amd_ga_irte_decode(&got, &fl);
	KUNIT_EXPECT_EQ(test, fl.mode, AMD_GA_IRTE_GUEST);

	KUNIT_EXPECT_EQ(test, amd_ga_deactivate_guest_mode(p), 0);
	got = host_entry(f, 10);
	amd_ga_irte_decode(&got, &fl);
	KUNIT_EXPECT_EQ(test, fl.mode, AMD_GA_IRTE_REMAPPED);
	KUNIT_EXPECT_EQ(test, fl.remap.vector, 0x47U);
	KUNIT_EXPECT_EQ(test, fl.remap.dest, 2U);

	/* kvm_amd gives the IRQ back, then the built-in driver frees it. */
	KUNIT_EXPECT_EQ(test, amd_ga_irq_set_vcpu_affinity(host_fake_irq(f, 0), NULL), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_free(f->ga, f->devid, 10, true), 0);
	free_page(page);
}

/* A 32-bit table cannot post: its entries stay on the plain writer. */
static void host_posted_needs_128(struct kunit *test)
{
	struct host_fake *f = host_fake_create(test, false, false);
	u32 img32, got;

	KUNIT_EXPECT_TRUE(test, IS_ERR(amd_ga_host_irte_postable(f->ga, f->devid, 4,
								 host_fake_irq(f, 0))));
	KUNIT_EXPECT_NULL(test, amd_ga_irq_get_posted(host_fake_irq(f, 0)));
	amd_ga_host_irte_prepare(&img32, false, 0, false, 0x33, 2);
	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_store(f->ga, f->devid, 4, &img32, false), 0);
	got = ((u32 *)f->entries)[4];
	KUNIT_EXPECT_EQ(test, got, img32);
	KUNIT_EXPECT_EQ(test, amd_ga_host_irte_free(f->ga, f->devid, 4, false), 0);
	KUNIT_EXPECT_EQ(test, ((u32 *)f->entries)[4], 0U);
}

static struct kunit_case host_test_cases[] = {
	KUNIT_CASE(host_prepare_remap),
	KUNIT_CASE(host_prepare_unencodable),
	KUNIT_CASE(host_set_remap_en),
	KUNIT_CASE(host_set_affinity),
	KUNIT_CASE(host_add_once),
	KUNIT_CASE(host_write_invalidates_changes),
	KUNIT_CASE(host_write_32),
	KUNIT_CASE(host_update_run),
	KUNIT_CASE(host_clear),
	KUNIT_CASE(host_submit_error),
	KUNIT_CASE(host_bad_input),
	KUNIT_CASE(host_write_xt),
	KUNIT_CASE(host_posted_one_writer),
	KUNIT_CASE(host_posted_vcpu),
	KUNIT_CASE(host_posted_needs_128),
	{}
};

static struct kunit_suite host_test_suite = {
	.name = "amd_ga_host",
	.test_cases = host_test_cases,
};

kunit_test_suite(host_test_suite);
