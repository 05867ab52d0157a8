// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: interrupt remapping proven against QEMU's AMD IOMMU, with the
 * edu device as the interrupt source and amd-ga's IRTEs as the only thing
 * deciding where its interrupt goes (see edu_scenarios.c). Every scenario
 * runs with 32-bit IRTEs (GAEn = 0) and with 128-bit ones (GAEn = 1).
 */
#include <kunit/test.h>

#include "edu_scenarios.h"
#include "iommu.h"
#include "probe.h"

static struct amd_ga_edu *edu_test_ctx;
static int edu_test_open_err;

static int edu_test_suite_init(struct kunit_suite *suite)
{
	struct amd_ga_iommu *iommu = amd_ga_first_iommu();

	edu_test_ctx = NULL;
	edu_test_open_err = iommu ? amd_ga_edu_open(iommu, &edu_test_ctx) :
				    -ENODEV;
	return 0;
}

static void edu_test_suite_exit(struct kunit_suite *suite)
{
	amd_ga_edu_close(edu_test_ctx);
	edu_test_ctx = NULL;
}

static const enum amd_ga_edu_format edu_test_formats[] = {
	AMD_GA_EDU_IRTE32, AMD_GA_EDU_IRTE128,
};

static void edu_test_format_desc(const enum amd_ga_edu_format *fmt, char *desc)
{
	strscpy(desc, *fmt == AMD_GA_EDU_IRTE128 ? "irte128" : "irte32",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(edu_test_format, edu_test_formats, edu_test_format_desc);

/* The edu context in the format of this run, or skip/fail the case. */
static struct amd_ga_edu *edu_test_prepare(struct kunit *test)
{
	const enum amd_ga_edu_format *fmt = test->param_value;

	/*
	 * Print before anything can drop an interrupt: KUnit's "# Subtest"
	 * line has no newline and stays in printk's buffer until the next
	 * message, while QEMU reports the first dropped interrupt on its
	 * stderr at once, which would land inside the KTAP header.
	 */
	kunit_info(test, "%s IRTEs\n", *fmt == AMD_GA_EDU_IRTE128 ?
		   "128-bit" : "32-bit");
	if (edu_test_open_err == -ENODEV)
		kunit_skip(test, "no edu device or no enabled AMD IOMMU");
	KUNIT_ASSERT_EQ_MSG(test, edu_test_open_err, 0, "claiming edu failed");
	KUNIT_ASSERT_EQ(test, amd_ga_edu_use_format(edu_test_ctx, *fmt), 0);
	return edu_test_ctx;
}

static void edu_test_check(struct kunit *test,
			   const struct amd_ga_edu_result *res)
{
	kunit_info(test, "%s %s expected=%s seen=%s\n", res->name,
		   res->pass ? "PASS" : "FAIL", res->expected, res->seen);
	KUNIT_EXPECT_TRUE_MSG(test, res->pass, "%s: expected=%s seen=%s",
			      res->name, res->expected, res->seen);
}

static void edu_test_identity(struct kunit *test)
{
	struct amd_ga_edu_result res;

	amd_ga_edu_identity(edu_test_prepare(test), &res);
	edu_test_check(test, &res);
}

static void edu_test_second_vector(struct kunit *test)
{
	struct amd_ga_edu_result res;

	amd_ga_edu_second_vector(edu_test_prepare(test), &res);
	edu_test_check(test, &res);
}

static void edu_test_other_cpu(struct kunit *test)
{
	struct amd_ga_edu *edu = edu_test_prepare(test);
	struct amd_ga_edu_result res;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs a second CPU");
	amd_ga_edu_other_cpu(edu, &res);
	edu_test_check(test, &res);
}

static void edu_test_remap_disabled(struct kunit *test)
{
	struct amd_ga_edu_result res;

	amd_ga_edu_remap_disabled(edu_test_prepare(test), &res);
	edu_test_check(test, &res);
}

static void edu_test_invalidations(struct kunit *test)
{
	struct amd_ga_edu_result res;

	amd_ga_edu_invalidations(edu_test_prepare(test), &res);
	edu_test_check(test, &res);
}

static void edu_test_reenable_cycles(struct kunit *test)
{
	struct amd_ga_edu_result res;

	amd_ga_edu_reenable_cycles(edu_test_prepare(test), 2, &res);
	edu_test_check(test, &res);
}

static struct kunit_case amd_ga_edu_test_cases[] = {
	KUNIT_CASE_PARAM(edu_test_identity, edu_test_format_gen_params),
	KUNIT_CASE_PARAM(edu_test_second_vector, edu_test_format_gen_params),
	KUNIT_CASE_PARAM(edu_test_other_cpu, edu_test_format_gen_params),
	KUNIT_CASE_PARAM(edu_test_remap_disabled, edu_test_format_gen_params),
	KUNIT_CASE_PARAM(edu_test_invalidations, edu_test_format_gen_params),
	KUNIT_CASE_PARAM(edu_test_reenable_cycles, edu_test_format_gen_params),
	{}
};

static struct kunit_suite amd_ga_edu_test_suite = {
	.name = "amd_ga_edu",
	.suite_init = edu_test_suite_init,
	.suite_exit = edu_test_suite_exit,
	.test_cases = amd_ga_edu_test_cases,
};

kunit_test_suite(amd_ga_edu_test_suite);
