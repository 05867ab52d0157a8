/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The in-tree backport's adapter, as the module entry sees it; the
 * built-in AMD IOMMU driver's side is include/linux/amd-ga-host.h.
 */
#ifndef AMD_GA_HOST_H
#define AMD_GA_HOST_H

#include <linux/init.h>
#include <linux/types.h>

struct amd_ga_host_ops;
struct amd_ga_iommu;

#ifdef CONFIG_AMD_GA_HOST
struct amd_ga_iommu *amd_ga_host_add_regs(struct amd_ga_iommu *regs, bool xt,
					  const struct amd_ga_host_ops *ops,
					  void *host);
bool amd_ga_host_present(void);
void __init amd_ga_host_init(void);
#else
static inline bool amd_ga_host_present(void)
{
	return false;
}

static inline void amd_ga_host_init(void)
{
}
#endif

#endif /* AMD_GA_HOST_H */
