// SPDX-License-Identifier: GPL-2.0-only
/* kunit_add_action_or_reset() deferred cleanup (6.5) */
#include <kunit/resource.h>
#include <kunit/test.h>

static void amd_ga_probe_free(void *p)
{
}

static int __used amd_ga_probe(struct kunit *test)
{
	return kunit_add_action_or_reset(test, amd_ga_probe_free, NULL);
}
