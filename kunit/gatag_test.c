// SPDX-License-Identifier: GPL-2.0-only
#include <kunit/test.h>
#include "gatag.h"
static void amd_ga_gatag_test_placeholder(struct kunit *test)
{
	u32 tag;

	KUNIT_EXPECT_EQ(test, amd_ga_gatag_encode(&amd_ga_gatag_default, 1, 2, &tag), 0);
}
static struct kunit_case amd_ga_gatag_test_cases[] = {
	KUNIT_CASE(amd_ga_gatag_test_placeholder),
	{}
};
static struct kunit_suite amd_ga_gatag_test_suite = {
	.name = "amd_ga_gatag",
	.test_cases = amd_ga_gatag_test_cases,
};
kunit_test_suite(amd_ga_gatag_test_suite);
