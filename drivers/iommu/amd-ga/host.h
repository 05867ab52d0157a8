/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The in-tree backport's adapter, as the module entry, the layer above
 * (host_posted.c) and tests see it; the built-in AMD IOMMU driver's side
 * is include/linux/amd-ga-host.h.
 */
#ifndef AMD_GA_HOST_H
#define AMD_GA_HOST_H

#include <linux/init.h>
#include <linux/types.h>

struct amd_ga_host_ops;
struct amd_ga_iommu;
struct amd_ga_irte_fields;
struct amd_ga_irte_ref;

#ifdef CONFIG_AMD_GA_HOST
struct amd_ga_iommu *amd_ga_host_add_regs(struct amd_ga_iommu *regs, bool xt,
					  const struct amd_ga_host_ops *ops,
					  void *host);
int amd_ga_host_irte_get_ref(struct amd_ga_iommu *ga, u16 devid,
			     unsigned int index, struct amd_ga_irte_ref *ref);
void *amd_ga_host_irte_cookie(struct amd_ga_iommu *ga, u16 devid,
			      unsigned int index);
int amd_ga_host_irte_set_cookie(struct amd_ga_iommu *ga, u16 devid,
				unsigned int index, void *cookie);
void amd_ga_host_decode(const void *entry, bool ga128,
			struct amd_ga_irte_fields *f);
bool amd_ga_host_is_guest(const void *entry, bool ga128);
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
