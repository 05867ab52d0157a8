// SPDX-License-Identifier: GPL-2.0-only
/*
 * amd_ga_test.ko: the software IOMMU model and the scenarios, as a module
 * of their own so that amd_ga.ko never carries them. Nothing runs at load:
 * the samples and the KUnit suites call in.
 */
#include <linux/module.h>

#include "export.h"

MODULE_DESCRIPTION("amd-ga test support: software AMD IOMMU model and scenarios");
MODULE_AUTHOR("amd-ga maintainers <amd-ga@lists.linux.dev>");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(AMD_GA_TEST_NS);
MODULE_IMPORT_NS(AMD_GA_NS);
#ifdef AMD_GA_VERSION
MODULE_VERSION(AMD_GA_VERSION);
#endif
