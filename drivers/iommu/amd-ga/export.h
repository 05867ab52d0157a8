/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What amd_ga.ko exports, and to whom.
 *
 * The consumer API (include/linux/amd-ga.h) goes to symbol namespace
 * AMD_GA, which kvm_amd imports. The internal entry points that the test
 * support module (amd_ga_test.ko) and the samples drive go to namespace
 * AMD_GA_TEST, and only in a build with CONFIG_AMD_GA_TEST: a production
 * amd_ga.ko exports the consumer API alone. EXPORT_SYMBOL_IF_KUNIT() does
 * not fit those: it is keyed on CONFIG_KUNIT, which distribution kernels
 * leave off, and amd_ga_test.ko and the samples are loaded on exactly
 * those kernels (make demo, make bench). The KUnit suites are built in and
 * need no export at all.
 */
#ifndef AMD_GA_EXPORT_H
#define AMD_GA_EXPORT_H

#include <linux/build_bug.h>
#include <linux/export.h>
#include <linux/kconfig.h>
#include <linux/module.h>

#include "compat.h"

/*
 * The two namespaces, for EXPORT_SYMBOL_NS_GPL() and MODULE_IMPORT_NS():
 * bare identifiers up to 6.12, strings from 6.13 on.
 */
#ifdef AMD_GA_HAVE_MODULE_NS_IDENT
#define AMD_GA_NS	AMD_GA
#define AMD_GA_TEST_NS	AMD_GA_TEST
#else
#define AMD_GA_NS	"AMD_GA"
#define AMD_GA_TEST_NS	"AMD_GA_TEST"
#endif

/*
 * The consumer API is exported with EXPORT_SYMBOL_NS_GPL(sym, AMD_GA_NS);
 * an internal entry point with this, which exports nothing in a
 * production build.
 */
#if IS_ENABLED(CONFIG_AMD_GA_TEST)
#define EXPORT_SYMBOL_FOR_AMD_GA_TEST(sym) \
	EXPORT_SYMBOL_NS_GPL(sym, AMD_GA_TEST_NS)
#else
/* Nothing exported; the check only names @sym, which must exist. */
#define EXPORT_SYMBOL_FOR_AMD_GA_TEST(sym) static_assert(__same_type(sym, int) || 1)
#endif

#endif /* AMD_GA_EXPORT_H */
