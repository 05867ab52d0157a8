// SPDX-License-Identifier: GPL-2.0-only
#include <kunit/test.h>
#include "irte.h"
static void amd_ga_irte_test_placeholder(struct kunit *test)
{
	struct amd_ga_remap_cfg c = { .remap_en = true, .vector = 0x41 };
	u32 v;

	KUNIT_EXPECT_EQ(test, amd_ga_irte32_make(&c, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0x410001U);
}
static struct kunit_case amd_ga_irte_test_cases[] = {
	KUNIT_CASE(amd_ga_irte_test_placeholder),
	{}
};
static struct kunit_suite amd_ga_irte_test_suite = {
	.name = "amd_ga_irte",
	.test_cases = amd_ga_irte_test_cases,
};
kunit_test_suite(amd_ga_irte_test_suite);
