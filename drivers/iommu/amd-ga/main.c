// SPDX-License-Identifier: GPL-2.0-only
/*
 * amd-ga module entry: claim the AMD IOMMUs no other driver owns.
 */
#define pr_fmt(fmt) "amd-ga: " fmt

#include <linux/init.h>
#include <linux/module.h>

#include "mmio.h"

static int __init amd_ga_init(void)
{
	int ret;

	ret = amd_ga_mmio_probe_all();
	if (ret < 0)
		return ret;
	if (!ret)
		pr_info("no AMD IOMMU found; only the software model is available\n");
	return 0;
}

static void __exit amd_ga_exit(void)
{
	amd_ga_mmio_remove_all();
}

module_init(amd_ga_init);
module_exit(amd_ga_exit);

MODULE_DESCRIPTION("AMD IOMMU interrupt remapping and GA log (amd-ga)");
MODULE_AUTHOR("amd-ga maintainers <iommu@lists.linux.dev>");
MODULE_LICENSE("GPL");
/* Out-of-tree builds carry the release (VERSION); in-tree, the kernel's. */
#ifdef AMD_GA_VERSION
MODULE_VERSION(AMD_GA_VERSION);
#endif
