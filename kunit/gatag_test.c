// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: GATag round trips at the three supported widths and the VM ID
 * allocator (wraps, skips 0, never hands out an ID still in use).
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>

#include "gatag.h"

static const unsigned int gatag_widths[] = { 8, 9, 12 };

static void gatag_width_desc(const unsigned int *w, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u-bit vCPU index", *w);
}

KUNIT_ARRAY_PARAM(gatag_width, gatag_widths, gatag_width_desc);

static void amd_ga_gatag_test_round_trip(struct kunit *test)
{
	const unsigned int w = *(const unsigned int *)test->param_value;
	const struct amd_ga_gatag_layout l = { .vcpu_bits = w };
	const u32 max_vcpu = (1U << w) - 1, max_vm = U32_MAX >> w;
	const u32 vms[] = { 0, 1, 2, max_vm / 2, max_vm - 1, max_vm };
	const u32 vcpus[] = { 0, 1, max_vcpu / 2, max_vcpu - 1, max_vcpu };
	u32 tag, vm, vcpu;
	size_t i, j;

	KUNIT_EXPECT_EQ(test, amd_ga_gatag_max_vcpu_idx(&l), max_vcpu);
	KUNIT_EXPECT_EQ(test, amd_ga_gatag_max_vm_id(&l), max_vm);

	for (i = 0; i < ARRAY_SIZE(vms); i++) {
		for (j = 0; j < ARRAY_SIZE(vcpus); j++) {
			KUNIT_ASSERT_EQ(test, amd_ga_gatag_encode(&l, vms[i], vcpus[j],
								  &tag), 0);
			/* The VM ID sits above the vCPU field. */
			KUNIT_EXPECT_EQ(test, tag, (u32)((u64)vms[i] << w) | vcpus[j]);
			amd_ga_gatag_decode(&l, tag, &vm, &vcpu);
			KUNIT_EXPECT_EQ(test, vm, vms[i]);
			KUNIT_EXPECT_EQ(test, vcpu, vcpus[j]);
		}
	}

	/* Both maxima fill the tag exactly. */
	KUNIT_ASSERT_EQ(test, amd_ga_gatag_encode(&l, max_vm, max_vcpu, &tag), 0);
	KUNIT_EXPECT_EQ(test, tag, U32_MAX);

	/* Values that do not fit are refused, never truncated. */
	tag = 0x5a5a;
	KUNIT_EXPECT_EQ(test, amd_ga_gatag_encode(&l, max_vm + 1, 0, &tag), -ERANGE);
	KUNIT_EXPECT_EQ(test, amd_ga_gatag_encode(&l, 0, max_vcpu + 1, &tag), -ERANGE);
	KUNIT_EXPECT_EQ(test, amd_ga_gatag_encode(&l, U32_MAX, U32_MAX, &tag), -ERANGE);
	KUNIT_EXPECT_EQ(test, tag, 0x5a5aU);
}

/* The build's layout matches the compile-time macros and allows 4096 vCPUs by default. */
static void amd_ga_gatag_test_default_layout(struct kunit *test)
{
	u32 tag, vm, vcpu;

	KUNIT_EXPECT_EQ(test, amd_ga_gatag_default.vcpu_bits,
			(unsigned int)AMD_GA_GATAG_VCPU_BITS);
	KUNIT_EXPECT_EQ(test, amd_ga_gatag_max_vcpu_idx(&amd_ga_gatag_default),
			(u32)AMD_GA_GATAG_MAX_VCPU_IDX);
	KUNIT_EXPECT_EQ(test, amd_ga_gatag_max_vm_id(&amd_ga_gatag_default),
			(u32)AMD_GA_GATAG_MAX_VM_ID);
	KUNIT_ASSERT_EQ(test, amd_ga_gatag_encode(&amd_ga_gatag_default, 7, 5, &tag), 0);
	KUNIT_EXPECT_EQ(test, tag, AMD_GA_GATAG_MAKE(7, 5));
	amd_ga_gatag_decode(&amd_ga_gatag_default, tag, &vm, &vcpu);
	KUNIT_EXPECT_EQ(test, vm, 7U);
	KUNIT_EXPECT_EQ(test, vcpu, 5U);
	if (AMD_GA_GATAG_VCPU_BITS == 12)
		KUNIT_EXPECT_EQ(test, amd_ga_gatag_max_vcpu_idx(&amd_ga_gatag_default),
				4095U);
}

static int owners[8];

static void amd_ga_gatag_test_vmid_alloc(struct kunit *test)
{
	struct amd_ga_vmid_alloc a;
	u32 id, ids[3];
	int i;

	amd_ga_vmid_init(&a, 3);

	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, amd_ga_vmid_get(&a, &owners[i], &ids[i]), 0);
		KUNIT_EXPECT_EQ(test, ids[i], (u32)i + 1);	/* 0 is skipped */
		KUNIT_EXPECT_PTR_EQ(test, amd_ga_vmid_lookup(&a, ids[i]),
				    (void *)&owners[i]);
	}
	/* Every ID in use: no ID is handed out twice. */
	KUNIT_EXPECT_EQ(test, amd_ga_vmid_get(&a, &owners[3], &id), -EBUSY);
	KUNIT_EXPECT_EQ(test, amd_ga_vmid_get(&a, NULL, &id), -EINVAL);
	KUNIT_EXPECT_NULL(test, amd_ga_vmid_lookup(&a, 0));

	/* Release 2: the search wraps past 3, skips 0 and 1 (in use), finds 2. */
	amd_ga_vmid_put(&a, 2);
	KUNIT_EXPECT_NULL(test, amd_ga_vmid_lookup(&a, 2));
	KUNIT_ASSERT_EQ(test, amd_ga_vmid_get(&a, &owners[4], &id), 0);
	KUNIT_EXPECT_EQ(test, id, 2U);
	KUNIT_EXPECT_PTR_EQ(test, amd_ga_vmid_lookup(&a, 2), (void *)&owners[4]);

	/* Release 1 and 3: allocation resumes after the last one (2), so 3. */
	amd_ga_vmid_put(&a, 1);
	amd_ga_vmid_put(&a, 3);
	KUNIT_ASSERT_EQ(test, amd_ga_vmid_get(&a, &owners[5], &id), 0);
	KUNIT_EXPECT_EQ(test, id, 3U);
	/* Then it wraps to 1, never 0. */
	KUNIT_ASSERT_EQ(test, amd_ga_vmid_get(&a, &owners[6], &id), 0);
	KUNIT_EXPECT_EQ(test, id, 1U);
	KUNIT_EXPECT_EQ(test, amd_ga_vmid_get(&a, &owners[7], &id), -EBUSY);

	amd_ga_vmid_destroy(&a);
}

/* Many wraps of a larger space: IDs stay in range and unique. */
static void amd_ga_gatag_test_vmid_wrap_many(struct kunit *test)
{
	struct amd_ga_vmid_alloc a;
	u32 held = 0, id;
	int i;

	amd_ga_vmid_init(&a, 15);
	/* Keep ID "held" allocated forever; cycle through the rest 100 times. */
	KUNIT_ASSERT_EQ(test, amd_ga_vmid_get(&a, &owners[0], &held), 0);
	for (i = 0; i < 1400; i++) {
		KUNIT_ASSERT_EQ(test, amd_ga_vmid_get(&a, &owners[1], &id), 0);
		KUNIT_ASSERT_NE(test, id, 0U);
		KUNIT_ASSERT_NE(test, id, held);
		KUNIT_ASSERT_LE(test, id, 15U);
		amd_ga_vmid_put(&a, id);
	}
	KUNIT_EXPECT_PTR_EQ(test, amd_ga_vmid_lookup(&a, held), (void *)&owners[0]);
	amd_ga_vmid_destroy(&a);
}

static struct kunit_case amd_ga_gatag_test_cases[] = {
	KUNIT_CASE_PARAM(amd_ga_gatag_test_round_trip, gatag_width_gen_params),
	KUNIT_CASE(amd_ga_gatag_test_default_layout),
	KUNIT_CASE(amd_ga_gatag_test_vmid_alloc),
	KUNIT_CASE(amd_ga_gatag_test_vmid_wrap_many),
	{}
};

static struct kunit_suite amd_ga_gatag_test_suite = {
	.name = "amd_ga_gatag",
	.test_cases = amd_ga_gatag_test_cases,
};

kunit_test_suite(amd_ga_gatag_test_suite);
