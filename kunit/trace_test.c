// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: amd-ga's tracepoints. A probe attached with register_trace_<event>()
 * sees the event fire with the arguments it was given, and no longer sees
 * it once detached.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "iommu.h"
#include "trace.h"

struct test_seen {
	unsigned int hits;
	const struct amd_ga_iommu *iommu;
	u32 ga_tag;
	u32 vm_id;
	u32 vcpu_idx;
	u16 devid;
	u8 code;
	enum amd_ga_miss_reason reason;
};

static void test_probe_entry(void *data, const struct amd_ga_iommu *iommu,
			     u32 ga_tag, u32 vm_id, u32 vcpu_idx, u16 devid)
{
	struct test_seen *seen = data;

	seen->hits++;
	seen->iommu = iommu;
	seen->ga_tag = ga_tag;
	seen->vm_id = vm_id;
	seen->vcpu_idx = vcpu_idx;
	seen->devid = devid;
}

static void test_probe_miss(void *data, const struct amd_ga_iommu *iommu,
			    u32 ga_tag, u16 devid, u8 code,
			    enum amd_ga_miss_reason reason)
{
	struct test_seen *seen = data;

	seen->hits++;
	seen->iommu = iommu;
	seen->ga_tag = ga_tag;
	seen->devid = devid;
	seen->code = code;
	seen->reason = reason;
}

/* The event fires into an attached probe, with its arguments, and only then. */
static void amd_ga_trace_test_probe_attach(struct kunit *test)
{
	struct amd_ga_iommu iommu = { .name = "kunit-trace" };
	struct test_seen seen = {};

	KUNIT_ASSERT_EQ(test, register_trace_amd_ga_galog_entry(test_probe_entry,
								&seen), 0);
	KUNIT_EXPECT_TRUE(test, trace_amd_ga_galog_entry_enabled());

	trace_amd_ga_galog_entry(&iommu, 0x00123004, 0x123, 4, 0x0018);
	KUNIT_EXPECT_EQ(test, seen.hits, 1U);
	KUNIT_EXPECT_PTR_EQ(test, seen.iommu, &iommu);
	KUNIT_EXPECT_EQ(test, seen.ga_tag, 0x00123004U);
	KUNIT_EXPECT_EQ(test, seen.vm_id, 0x123U);
	KUNIT_EXPECT_EQ(test, seen.vcpu_idx, 4U);
	KUNIT_EXPECT_EQ(test, seen.devid, 0x0018);

	KUNIT_ASSERT_EQ(test,
			unregister_trace_amd_ga_galog_entry(test_probe_entry,
							    &seen), 0);
	tracepoint_synchronize_unregister();
	trace_amd_ga_galog_entry(&iommu, 1, 0, 1, 0);
	KUNIT_EXPECT_EQ(test, seen.hits, 1U);
}

static void amd_ga_trace_test_miss_reason(struct kunit *test)
{
	struct amd_ga_iommu iommu = { .name = "kunit-trace" };
	struct test_seen seen = {};

	KUNIT_ASSERT_EQ(test, register_trace_amd_ga_dispatch_miss(test_probe_miss,
								  &seen), 0);
	trace_amd_ga_dispatch_miss(&iommu, 0xdead0001, 0x0100, 7,
				   AMD_GA_MISS_BAD_CODE);
	KUNIT_EXPECT_EQ(test, seen.hits, 1U);
	KUNIT_EXPECT_EQ(test, seen.ga_tag, 0xdead0001U);
	KUNIT_EXPECT_EQ(test, seen.devid, 0x0100);
	KUNIT_EXPECT_EQ(test, seen.code, 7);
	KUNIT_EXPECT_EQ(test, seen.reason, AMD_GA_MISS_BAD_CODE);
	unregister_trace_amd_ga_dispatch_miss(test_probe_miss, &seen);
	tracepoint_synchronize_unregister();
}

static struct kunit_case amd_ga_trace_test_cases[] = {
	KUNIT_CASE(amd_ga_trace_test_probe_attach),
	KUNIT_CASE(amd_ga_trace_test_miss_reason),
	{}
};

static struct kunit_suite amd_ga_trace_test_suite = {
	.name = "amd_ga_trace",
	.test_cases = amd_ga_trace_test_cases,
};

kunit_test_suite(amd_ga_trace_test_suite);
