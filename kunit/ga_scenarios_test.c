// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the guest-mode and GA log scenarios of make demo (ga_scenarios.c)
 * in the KUnit kernel, where lockdep, KASAN and UBSAN watch them; Debian's
 * kernel that runs the demo has none of these. Twice, as the demo loads
 * its module more than once.
 */
#include <kunit/test.h>

#include "ga_scenarios.h"

#define GA_SC_TEST_MAX	8

/**
 * struct ga_sc_test_log - the outcomes of one run
 * @n: how many
 * @res: the outcomes
 */
struct ga_sc_test_log {
	unsigned int n;
	struct amd_ga_edu_result res[GA_SC_TEST_MAX];
};

static void ga_sc_test_report(const struct amd_ga_edu_result *res, void *arg)
{
	struct ga_sc_test_log *log = arg;

	if (log->n < GA_SC_TEST_MAX)
		log->res[log->n] = *res;
	log->n++;
}

static void ga_sc_test_all(struct kunit *test)
{
	static const char * const names[] = {
		"model.running.doorbell", "model.blocking.galog_wake",
		"model.preempted.irr_only", "model.overflow.recovery",
		"model.deactivate.host",
	};
	struct ga_sc_test_log *log;
	unsigned int run, i;
	int failed;

	log = kunit_kzalloc(test, sizeof(*log), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, log);
	for (run = 0; run < 2; run++) {
		log->n = 0;
		failed = amd_ga_model_scenarios_run(ga_sc_test_report, log,
						    "amd_ga_demo_model: ");
		KUNIT_EXPECT_EQ_MSG(test, failed, 0, "run %u", run);
		KUNIT_ASSERT_EQ_MSG(test, log->n, ARRAY_SIZE(names), "run %u", run);
		for (i = 0; i < ARRAY_SIZE(names); i++) {
			KUNIT_EXPECT_STREQ(test, log->res[i].name, names[i]);
			KUNIT_EXPECT_TRUE_MSG(test, log->res[i].pass,
					      "run %u: %s expected %s seen %s", run,
					      log->res[i].name, log->res[i].expected,
					      log->res[i].seen);
		}
	}
}

static struct kunit_case ga_sc_test_cases[] = {
	KUNIT_CASE(ga_sc_test_all),
	{}
};

static struct kunit_suite ga_sc_test_suite = {
	.name = "amd_ga_demo_model",
	.test_cases = ga_sc_test_cases,
};

kunit_test_suite(ga_sc_test_suite);
