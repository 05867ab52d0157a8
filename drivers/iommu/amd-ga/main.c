// SPDX-License-Identifier: GPL-2.0-only
/*
 * amd-ga module entry: claim the AMD IOMMUs no other driver owns.
 */
#define pr_fmt(fmt) "amd-ga: " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "dispatch.h"
#include "host.h"
#include "instance.h"
#include "log.h"
#include "posted.h"
#include "probe.h"

static bool legacy_irte;
module_param(legacy_irte, bool, 0444);
MODULE_PARM_DESC(legacy_irte,
		 "Use 32-bit IRTEs (GAEn = 0) even where 128-bit ones are supported");

static int __init amd_ga_init(void)
{
	int ret;

	/* The GA log's consumer is in place before any GA log runs. */
	ret = amd_ga_dispatch_init();
	if (ret)
		return ret;
	/* In-tree backport: the built-in driver owns them, amd-ga serves it. */
	if (amd_ga_host_present()) {
		amd_ga_host_init();
		return 0;
	}
	ret = amd_ga_probe_all();
	if (ret < 0)
		goto err_dispatch;
	if (!ret) {
		pr_info("no AMD IOMMU found; the software model is in amd_ga_test.ko\n");
		return 0;
	}
	ret = amd_ga_enable_all(legacy_irte ? AMD_GA_ENABLE_LEGACY_IRTE : 0);
	if (ret) {
		amd_ga_remove_all();
		goto err_dispatch;
	}
	return 0;

err_dispatch:
	amd_ga_dispatch_exit();
	return ret;
}

/*
 * Each step comes after everything that can still queue work for it: the
 * GA log IRQ threads (drain, recovery) are gone with the IOMMUs; then
 * route-change kicks are flushed, posted IRTEs' RCU frees and the ones a
 * consumer kept are done; last the registry's RCU frees, so that no
 * callback of this module runs after its code is freed; deferred messages
 * are printed last.
 */
static void __exit amd_ga_exit(void)
{
	amd_ga_disable_all();
	amd_ga_remove_all();
	amd_ga_posted_exit();
	amd_ga_dispatch_exit();
	amd_ga_msg_flush();
}

module_init(amd_ga_init);
module_exit(amd_ga_exit);

MODULE_DESCRIPTION("AMD IOMMU interrupt remapping and GA log (amd-ga)");
MODULE_AUTHOR("amd-ga maintainers <amd-ga@lists.linux.dev>");
MODULE_LICENSE("GPL");
/* Out-of-tree builds carry the release (VERSION); in-tree, the kernel's. */
#ifdef AMD_GA_VERSION
MODULE_VERSION(AMD_GA_VERSION);
#endif
