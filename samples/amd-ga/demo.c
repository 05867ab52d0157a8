// SPDX-License-Identifier: GPL-2.0-only
/*
 * amd_ga_demo: at load, run the remapping scenarios on the first IOMMU
 * amd-ga claimed, with QEMU's edu device as the interrupt source, then the
 * guest-mode and GA log scenarios on amd-ga's software IOMMU model, and
 * print one line per scenario for the boot harness:
 *
 *   amd-ga-demo: RESULT <name> PASS|FAIL expected=<...> seen=<...>
 *   amd-ga-demo: COUNTER <name> <value>		(QEMU's IOMMU)
 *   amd-ga-demo: MODEL COUNTER <name> <value>	(the model)
 *   amd-ga-demo: SUMMARY <n> passed, <m> failed
 *
 * Everything is set up and torn down inside module init, so unloading is
 * trivial and the harness can reload amd_ga and this module in a loop.
 */
#define pr_fmt(fmt) "amd-ga-demo: " fmt

#include <linux/amd-ga.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/module.h>

#include "debugfs.h"
#include "devtab.h"
#include "edu_scenarios.h"
#include "export.h"
#include "ga_scenarios.h"
#include "iommu.h"
#include "probe.h"

struct amd_ga_demo_tally {
	unsigned int passed;
	unsigned int failed;
};

static void amd_ga_demo_report(const struct amd_ga_edu_result *res, void *arg)
{
	struct amd_ga_demo_tally *t = arg;

	pr_info("RESULT %s %s expected=%s seen=%s\n", res->name,
		res->pass ? "PASS" : "FAIL", res->expected, res->seen);
	if (res->pass)
		t->passed++;
	else
		t->failed++;
}

static void amd_ga_demo_features(struct amd_ga_iommu *iommu)
{
	char feat[160];

	amd_ga_efr_describe(iommu->efr, iommu->efr2, feat, sizeof(feat));
	pr_info("IOMMU %s EFR %#llx EFR2 %#llx: %s\n", iommu->name, iommu->efr,
		iommu->efr2, feat);
	pr_info("IOMMU %s remapping %s, IRTE format %s, guest mode (vAPIC) %s\n",
		iommu->name, iommu->enabled ? "enabled" : "disabled",
		amd_ga_iommu_irte_128(iommu) ? "128-bit (GAEn=1)" :
					       "32-bit (GAEn=0)",
		amd_ga_has_vapic(iommu) ? "supported" :
		"not supported (GAMSup=0): posted interrupts need the software model");
	if (iommu->devtab)
		pr_info("IOMMU %s device table at %pa, %s\n", iommu->name,
			&iommu->devtab->pa, iommu->devtab->adopted ?
			"reused from an earlier load (never freed, never 0)" :
			"allocated at this load");
}

/*
 * A VM the demo keeps while it is loaded, as a hypervisor keeps its
 * guests: its teardown at unload queues RCU-deferred frees in amd_ga.ko
 * right before amd_ga.ko itself may be unloaded (the boot test does so
 * back to back), which amd_ga.ko's exit must wait for.
 */
#define AMD_GA_DEMO_VCPUS	8

static struct amd_ga_vm *amd_ga_demo_vm;
static struct amd_ga_vcpu *amd_ga_demo_vcpus[AMD_GA_DEMO_VCPUS];

static void amd_ga_demo_vm_create(void)
{
	unsigned int i;

	amd_ga_demo_vm = amd_ga_vm_create(AMD_GA_DEMO_VCPUS, NULL);
	if (IS_ERR(amd_ga_demo_vm)) {
		pr_warn("no resident VM: %pe\n", amd_ga_demo_vm);
		amd_ga_demo_vm = NULL;
		return;
	}
	for (i = 0; i < AMD_GA_DEMO_VCPUS; i++) {
		amd_ga_demo_vcpus[i] = amd_ga_vcpu_create(amd_ga_demo_vm, i, NULL);
		if (IS_ERR(amd_ga_demo_vcpus[i]))
			amd_ga_demo_vcpus[i] = NULL;
	}
	pr_info("resident VM %u with %u vCPUs\n", amd_ga_vm_id(amd_ga_demo_vm),
		AMD_GA_DEMO_VCPUS);
}

/* Linux 6.1's order: the VM's arch state goes before its vCPUs. */
static void amd_ga_demo_vm_destroy(void)
{
	unsigned int i;

	if (!amd_ga_demo_vm)
		return;
	amd_ga_vm_destroy(amd_ga_demo_vm);
	for (i = 0; i < AMD_GA_DEMO_VCPUS; i++)
		amd_ga_vcpu_destroy(amd_ga_demo_vcpus[i]);
	amd_ga_demo_vm = NULL;
}

static int __init amd_ga_demo_init(void)
{
	struct amd_ga_demo_tally t = {};
	struct amd_ga_iommu *iommu = amd_ga_first_iommu();

	if (iommu) {
		amd_ga_demo_features(iommu);
		amd_ga_edu_run_all(iommu, amd_ga_demo_report, &t);
	} else {
		struct amd_ga_edu_result res = {
			.name = "setup", .expected = "iommu", .seen = "none",
		};

		amd_ga_demo_report(&res, &t);
	}
	/* What the scenarios cost the IOMMU: IRTE writes, invalidations, waits. */
	if (iommu)
		amd_ga_stats_report(iommu, "amd-ga-demo: ");
	/*
	 * Guest mode and the GA log need GAMSup = vAPIC, which QEMU's IOMMU
	 * lacks: they run on amd-ga's software IOMMU model instead.
	 */
	pr_info("guest mode and GA log scenarios on the software IOMMU model\n");
	amd_ga_model_scenarios_run(amd_ga_demo_report, &t, "amd-ga-demo: MODEL ");
	pr_info("SUMMARY %u passed, %u failed\n", t.passed, t.failed);
	amd_ga_demo_vm_create();
	return 0;
}

static void __exit amd_ga_demo_exit(void)
{
	amd_ga_demo_vm_destroy();
}

module_init(amd_ga_demo_init);
module_exit(amd_ga_demo_exit);

MODULE_DESCRIPTION("amd-ga demo: interrupt remapping scenarios on QEMU's AMD IOMMU with edu");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(AMD_GA_NS);
MODULE_IMPORT_NS(AMD_GA_TEST_NS);
