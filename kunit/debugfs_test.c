// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: amd-ga's debugfs tree. A register-file backend stands in for an
 * IOMMU; the test registers it like any IOMMU and opens the files through
 * the VFS, as "cat /sys/kernel/debug/amd-ga/..." would, so the real file
 * operations (debugfs' proxy, the files' seq_file show functions) run.
 */
#include <kunit/test.h>
#include <linux/cred.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/path.h>
#include <linux/seq_file.h>
#include <linux/uio.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "debugfs.h"
#include "gatag.h"
#include "hw.h"
#include "instance.h"
#include "iommu.h"
#include "irt.h"
#include "irte.h"
#include "probe.h"

#define TEST_BUF_SIZE	4096

struct test_regs {
	u64 reg[AMD_GA_MMIO_SIZE / sizeof(u64)];
};

static u64 test_read(struct amd_ga_iommu *iommu, u32 off)
{
	struct test_regs *r = iommu->backend;

	return r->reg[off / sizeof(u64)];
}

static void test_write(struct amd_ga_iommu *iommu, u32 off, u64 val)
{
	struct test_regs *r = iommu->backend;

	r->reg[off / sizeof(u64)] = val;
}

static const struct amd_ga_backend_ops test_ops = {
	.name = "kunit-regs",
	.read = test_read,
	.write = test_write,
};

struct test_ctx {
	struct amd_ga_iommu iommu;
	struct test_regs regs;
	bool registered;
};

static int test_init(struct kunit *test)
{
	struct test_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	/* QEMU's EFR, so that "features" has something to decode. */
	ctx->regs.reg[AMD_GA_MMIO_EFR / sizeof(u64)] = 0x29d3;
	amd_ga_iommu_init(&ctx->iommu, &test_ops, &ctx->regs, NULL);
	amd_ga_iommu_register(&ctx->iommu);
	ctx->registered = true;
	test->priv = ctx;
	return 0;
}

static void test_exit(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;

	if (ctx->registered)
		amd_ga_iommu_unregister(&ctx->iommu);
}

/*
 * Read a debugfs file: open it through the VFS (debugfs' proxy, then the
 * file's own open), then read it with seq_read_iter() into a kernel
 * buffer, which is what read(2) ends up in. kernel_read() cannot be used:
 * the debugfs proxy has no ->read_iter. The result starts with '\n' so
 * that every line, the first included, can be found as "\n<line>\n".
 */
static char *test_read_file(struct kunit *test, struct dentry *dir,
			    const char *name)
{
	struct file_system_type *fst;
	struct vfsmount *mnt;
	struct iov_iter iter;
	struct kiocb kiocb;
	struct dentry *d;
	struct kvec kv;
	struct file *f;
	ssize_t n;
	char *buf;

	buf = kunit_kzalloc(test, TEST_BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	d = debugfs_lookup(name, dir);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, d);
	fst = get_fs_type("debugfs");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fst);
	mnt = kern_mount(fst);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mnt));

	f = dentry_open(&(struct path){ .mnt = mnt, .dentry = d }, O_RDONLY,
			current_cred());
	if (!IS_ERR(f)) {
		buf[0] = '\n';
		kv.iov_base = buf + 1;
		kv.iov_len = TEST_BUF_SIZE - 2;
		iov_iter_kvec(&iter, READ, &kv, 1, kv.iov_len);
		init_sync_kiocb(&kiocb, f);
		n = seq_read_iter(&kiocb, &iter);
		KUNIT_EXPECT_GT(test, n, 0);
		fput(f);
	}
	kern_unmount(mnt);
	put_filesystem(fst);
	dput(d);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	return buf;
}

/* Expect @buf (from test_read_file()) to hold a line equal to the format. */
static __printf(3, 4) void expect_line(struct kunit *test, const char *buf,
				       const char *fmt, ...)
{
	char needle[256];
	va_list ap;

	needle[0] = '\n';
	va_start(ap, fmt);
	vsnprintf(needle + 1, sizeof(needle) - 2, fmt, ap);
	va_end(ap);
	strlcat(needle, "\n", sizeof(needle));
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(buf, needle),
				  "no line \"%.*s\" in:%s",
				  (int)strlen(needle) - 2, needle + 1, buf);
}

static struct dentry *test_lookup(const char *name, struct dentry *parent)
{
	struct dentry *d = debugfs_lookup(name, parent);

	if (IS_ERR(d))
		return NULL;
	dput(d);	/* the test only needs to know whether it exists */
	return d;
}

/* Registering creates the directory and its files; unregistering removes them. */
static void amd_ga_debugfs_test_lifecycle(struct kunit *test)
{
	static const char * const files[] = {
		"features", "control", "status", "galog", "counters",
	};
	struct test_ctx *ctx = test->priv;
	struct dentry *root, *dir;
	char name[sizeof(ctx->iommu.name)];
	size_t i;

	root = test_lookup(AMD_GA_DEBUGFS_ROOT, NULL);
	KUNIT_ASSERT_NOT_NULL(test, root);
	KUNIT_EXPECT_NOT_NULL(test, test_lookup("gatag_layout", root));
	dir = test_lookup(ctx->iommu.name, root);
	KUNIT_ASSERT_NOT_NULL(test, dir);
	KUNIT_EXPECT_PTR_EQ(test, dir, ctx->iommu.debugfs);
	for (i = 0; i < ARRAY_SIZE(files); i++)
		KUNIT_EXPECT_NOT_NULL_MSG(test, test_lookup(files[i], dir),
					  "missing %s", files[i]);
	/* No device table without interrupt remapping: no "irt" file. */
	KUNIT_EXPECT_FALSE(test, ctx->iommu.enabled);
	KUNIT_EXPECT_NULL(test, test_lookup("irt", dir));

	strscpy(name, ctx->iommu.name, sizeof(name));
	amd_ga_iommu_unregister(&ctx->iommu);
	ctx->registered = false;
	KUNIT_EXPECT_NULL(test, ctx->iommu.debugfs);
	root = test_lookup(AMD_GA_DEBUGFS_ROOT, NULL);
	/* The root goes with the last IOMMU; others may remain. */
	if (root)
		KUNIT_EXPECT_NULL(test, test_lookup(name, root));

	/* Unregistering twice must not drop the root from under others. */
	amd_ga_iommu_unregister(&ctx->iommu);
	KUNIT_EXPECT_PTR_EQ(test, test_lookup(AMD_GA_DEBUGFS_ROOT, NULL), root);
}

static void amd_ga_debugfs_test_counters(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	unsigned int i, nr = amd_ga_stats_nr();
	atomic64_t *ctr = (atomic64_t *)&ctx->iommu.stats;
	const char *p;
	char *buf;
	int lines = 0;

	/* A distinct value per counter catches a name bound to the wrong one. */
	for (i = 0; i < nr; i++)
		atomic64_set(&ctr[i], 1000ULL * (i + 1) + 7);
	buf = test_read_file(test, ctx->iommu.debugfs, "counters");
	for (i = 0; i < nr; i++) {
		expect_line(test, buf, "%s %llu", amd_ga_stats_name(i),
			    1000ULL * (i + 1) + 7);
		KUNIT_EXPECT_EQ(test, amd_ga_stats_value(&ctx->iommu, i),
				1000ULL * (i + 1) + 7);
	}
	for (p = buf + 1; *p; p++)
		lines += *p == '\n';
	KUNIT_EXPECT_EQ(test, lines, nr);

	/* The names the documentation and the demo report use. */
	expect_line(test, buf, "galog_entries %llu", 1007ULL);
	KUNIT_EXPECT_STREQ(test, amd_ga_stats_name(0), "galog_entries");
	KUNIT_EXPECT_NULL(test, amd_ga_stats_name(nr));
	KUNIT_EXPECT_EQ(test, amd_ga_stats_value(&ctx->iommu, nr), 0ULL);
}

static void amd_ga_debugfs_test_control(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	u64 set = AMD_GA_CTRL_IOMMU_EN | AMD_GA_CTRL_GA_EN |
		  FIELD_PREP(AMD_GA_CTRL_GAM_EN, AMD_GA_CTRL_GAM_VAPIC) |
		  AMD_GA_CTRL_GALOG_EN | AMD_GA_CTRL_GAINT_EN |
		  FIELD_PREP(AMD_GA_CTRL_INV_TIMEOUT, 5);
	char *buf;

	amd_ga_ctrl_update(&ctx->iommu, ~0ULL, set);
	buf = test_read_file(test, ctx->iommu.debugfs, "control");
	expect_line(test, buf, "raw 0x%016llx", set);
	expect_line(test, buf, "IommuEn 1");
	expect_line(test, buf, "GAEn 1");
	expect_line(test, buf, "GAMEn 1");
	expect_line(test, buf, "GALogEn 1");
	expect_line(test, buf, "GAIntEn 1");
	expect_line(test, buf, "InvTimeOut 5");
	expect_line(test, buf, "CmdBufEn 0");
	expect_line(test, buf, "XTEn 0");
}

static void amd_ga_debugfs_test_status(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	char *buf;

	ctx->regs.reg[AMD_GA_MMIO_STATUS / sizeof(u64)] =
		AMD_GA_STATUS_GALOG_RUN | AMD_GA_STATUS_GALOG_OVERFLOW;
	buf = test_read_file(test, ctx->iommu.debugfs, "status");
	expect_line(test, buf, "GALogRun 1");
	expect_line(test, buf, "GALOverflow 1");
	expect_line(test, buf, "GAInt 0");
	expect_line(test, buf, "CmdBufRun 0");
}

static void amd_ga_debugfs_test_galog(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	u64 *reg = ctx->regs.reg;
	char *buf;

	reg[AMD_GA_MMIO_GALOG_BASE / sizeof(u64)] = 0x12345000ULL |
		FIELD_PREP(AMD_GA_GALOG_BASE_LEN, AMD_GA_GALOG_LEN_CODE_512);
	reg[AMD_GA_MMIO_GALOG_TAIL_ADDR / sizeof(u64)] = 0xabcd008ULL;
	/* The tail wrapped behind the head: 511 entries wait. */
	reg[AMD_GA_MMIO_GALOG_HEAD / sizeof(u64)] = 2 * AMD_GA_GALOG_ENTRY_SIZE;
	reg[AMD_GA_MMIO_GALOG_TAIL / sizeof(u64)] = 1 * AMD_GA_GALOG_ENTRY_SIZE;
	reg[AMD_GA_MMIO_STATUS / sizeof(u64)] = AMD_GA_STATUS_GALOG_INT;
	amd_ga_ctrl_update(&ctx->iommu, ~0ULL, AMD_GA_CTRL_GALOG_EN);

	buf = test_read_file(test, ctx->iommu.debugfs, "galog");
	expect_line(test, buf, "base_pa 0x12345000");
	expect_line(test, buf, "length_code 8");
	expect_line(test, buf, "tail_addr_reg 0x%016llx", 0xabcd008ULL);
	expect_line(test, buf, "head 0x10");
	expect_line(test, buf, "tail 0x8");
	expect_line(test, buf, "head_index 2");
	expect_line(test, buf, "tail_index 1");
	expect_line(test, buf, "pending 511");
	expect_line(test, buf, "GALogEn 1");
	expect_line(test, buf, "GAIntEn 0");
	expect_line(test, buf, "GAInt 1");

	/* An unknown length code: no geometry is guessed. */
	reg[AMD_GA_MMIO_GALOG_BASE / sizeof(u64)] = 0x12345000ULL;
	buf = test_read_file(test, ctx->iommu.debugfs, "galog");
	KUNIT_EXPECT_NULL(test, strstr(buf, "\npending "));
}

static void amd_ga_debugfs_test_features(struct kunit *test)
{
	struct test_ctx *ctx = test->priv;
	char *buf;

	buf = test_read_file(test, ctx->iommu.debugfs, "features");
	expect_line(test, buf, "backend kunit-regs");
	expect_line(test, buf, "device none");
	expect_line(test, buf, "efr 0x%016llx", 0x29d3ULL);
	expect_line(test, buf, "ga_128bit_irte 1");
	expect_line(test, buf, "guest_vapic 0");
	expect_line(test, buf, "x2apic_xt 0");
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\ndecoded PreF PPR GT IA GA HE "));
}

static void amd_ga_debugfs_test_gatag_layout(struct kunit *test)
{
	const struct amd_ga_gatag_layout *l = &amd_ga_gatag_default;
	struct dentry *root;
	u32 tag, vm, vcpu;
	char *buf;

	root = test_lookup(AMD_GA_DEBUGFS_ROOT, NULL);
	KUNIT_ASSERT_NOT_NULL(test, root);
	buf = test_read_file(test, root, "gatag_layout");
	expect_line(test, buf, "vcpu_bits %u", AMD_GA_GATAG_VCPU_BITS);
	expect_line(test, buf, "vm_id_bits %u", 32 - AMD_GA_GATAG_VCPU_BITS);
	expect_line(test, buf, "vcpu_mask 0x%08x", (u32)AMD_GA_GATAG_VCPU_MASK);
	expect_line(test, buf, "vm_id_mask 0x%08x", (u32)AMD_GA_GATAG_VM_MASK);
	expect_line(test, buf, "max_vcpu_idx %u",
		    (u32)AMD_GA_GATAG_MAX_VCPU_IDX);
	expect_line(test, buf, "max_vm_id %u", AMD_GA_GATAG_MAX_VM_ID);

	/* What the file says is what the codec does. */
	KUNIT_ASSERT_EQ(test, amd_ga_gatag_encode(l, AMD_GA_GATAG_MAX_VM_ID,
						  1, &tag), 0);
	KUNIT_EXPECT_EQ(test, tag & AMD_GA_GATAG_VCPU_MASK, 1U);
	amd_ga_gatag_decode(l, tag, &vm, &vcpu);
	KUNIT_EXPECT_EQ(test, vm, AMD_GA_GATAG_MAX_VM_ID);
	KUNIT_EXPECT_EQ(test, vcpu, 1U);
}

/*
 * The "irt" file of the machine's IOMMU (QEMU's, enabled at boot) shows a
 * table made for a DeviceID no device uses: the remapped entry written
 * through the IRT store and a guest-mode entry placed in the table
 * directly (QEMU's IOMMU refuses guest mode through the store), decoded.
 */
static void amd_ga_debugfs_test_irt(struct kunit *test)
{
	struct amd_ga_iommu *iommu = amd_ga_first_iommu();
	struct amd_ga_remap_cfg rcfg = {
		.remap_en = true,
		.vector = 0x45,
		.dest = 1,
	};
	struct amd_ga_guest_cfg gcfg = {
		.remap_en = true,
		.ga_log_intr = true,
		.dest = 3,
		.vector = 0x61,
		.ga_root_pa = 0x12345000,
	};
	const u16 devid = 0xfe10;	/* fe:02.0, absent */
	struct amd_ga_irte_ref ref;
	struct amd_ga_irte e, g;
	struct amd_ga_irt *irt;
	char *buf;

	if (!iommu || !iommu->enabled || !amd_ga_iommu_irte_128(iommu))
		kunit_skip(test, "no IOMMU with 128-bit IRTEs enabled");
	KUNIT_ASSERT_EQ(test, amd_ga_gatag_encode(&amd_ga_gatag_default, 7, 2,
						  &gcfg.ga_tag), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_remap(&rcfg, false, &e), 0);
	KUNIT_ASSERT_EQ(test, amd_ga_irte_make_guest(&gcfg, false, &g), 0);
	irt = amd_ga_irt_create(iommu, &devid, 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(irt));
	KUNIT_EXPECT_EQ(test, amd_ga_irte_alloc(irt, 5, &ref), 0);
	KUNIT_EXPECT_EQ(test, amd_ga_irte_write(&ref, &e), 0);
	((struct amd_ga_irte *)irt->entries)[9] = g;

	/* Not attached yet: the device table does not point at it. */
	buf = test_read_file(test, iommu->debugfs, "irt");
	expect_line(test, buf, "format 128-bit");
	KUNIT_EXPECT_NULL(test, strstr(buf, "\n    5 remapped"));

	KUNIT_EXPECT_EQ(test, amd_ga_irt_attach(irt), 0);
	buf = test_read_file(test, iommu->debugfs, "irt");
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\ndevice fe:02.0 dte_irq "));
	expect_line(test, buf,
		    "    5 remapped vector 0x45 dest 0x1 int_type 0 dm 0 rq_eoi 0 [%016llx:%016llx]",
		    e.hi, e.lo);
	expect_line(test, buf,
		    "    9 guest vector 0x61 dest 0x3 gatag %#010x vm 7 vcpu 2 is_run 0 ga_log_intr 1 backing 0x12345000 [%016llx:%016llx]",
		    gcfg.ga_tag, g.hi, g.lo);
	/* Zero entries are not listed. */
	KUNIT_EXPECT_NULL(test, strstr(buf, "\n    6 "));

	((struct amd_ga_irte *)irt->entries)[9] = (struct amd_ga_irte){};
	amd_ga_irte_free(&ref);
	amd_ga_irt_destroy(irt);
	buf = test_read_file(test, iommu->debugfs, "irt");
	KUNIT_EXPECT_NULL(test, strstr(buf, "\ndevice fe:02.0 "));
}

static struct kunit_case amd_ga_debugfs_test_cases[] = {
	KUNIT_CASE(amd_ga_debugfs_test_lifecycle),
	KUNIT_CASE(amd_ga_debugfs_test_counters),
	KUNIT_CASE(amd_ga_debugfs_test_control),
	KUNIT_CASE(amd_ga_debugfs_test_status),
	KUNIT_CASE(amd_ga_debugfs_test_galog),
	KUNIT_CASE(amd_ga_debugfs_test_features),
	KUNIT_CASE(amd_ga_debugfs_test_gatag_layout),
	KUNIT_CASE(amd_ga_debugfs_test_irt),
	{}
};

static struct kunit_suite amd_ga_debugfs_test_suite = {
	.name = "amd_ga_debugfs",
	.init = test_init,
	.exit = test_exit,
	.test_cases = amd_ga_debugfs_test_cases,
};

kunit_test_suite(amd_ga_debugfs_test_suite);
