// SPDX-License-Identifier: GPL-2.0-only
/*
 * The built-in AMD IOMMU driver's PCI MSI IRTEs as amd-ga posted IRTEs
 * (in-tree backport).
 *
 * An IRTE that a hypervisor may post to a vCPU gets a posted IRTE
 * (posted.c) when the built-in driver allocates it. The posted IRTE
 * claims the entry in the IRT store, so from then on it is the entry's
 * one writer: the built-in driver's host-side changes (activate,
 * deactivate, affinity) reach it as a new host route
 * (amd_ga_host_irte_store()), and its guest-mode entry points and
 * irq_set_vcpu_affinity() call amd-ga's upstream-shaped API on it
 * (<linux/amd-ga.h>). Lossless recovery after a GA log overflow then
 * finds every posted entry of a blocked vCPU (amd_ga_posted_recover()),
 * whoever posted it.
 *
 * The posted IRTE is kept in the adapter's per-entry cookie
 * (amd_ga_host_irte_set_cookie()); the IRQ core serialises alloc, free
 * and every other call for one IRQ, which is what makes that plain
 * pointer safe.
 */
#define pr_fmt(fmt) "amd-ga: " fmt

#include <linux/amd-ga-host.h>
#include <linux/err.h>

#include "host.h"
#include "irt.h"
#include "irte.h"
#include "log.h"
#include "posted.h"

/**
 * amd_ga_host_irte_postable() - let a built-in IRTE be posted to vCPUs
 * @ga: the instance from amd_ga_host_add()
 * @devid: the DeviceID
 * @index: the entry, in a 128-bit table amd-ga knows
 * @irq: the Linux IRQ it serves (what irq_set_vcpu_affinity() names)
 *
 * Called by the built-in driver's IRQ domain alloc for a PCI MSI or
 * MSI-X interrupt, before the entry is activated. The posted IRTE claims
 * the entry and writes it disabled (RemapEn = 0) until the first host
 * route arrives through amd_ga_host_irte_store().
 *
 * Context: process context, may sleep.
 * Return: the posted IRTE, to hand to amd-ga's guest-mode API, or an
 * ERR_PTR(): -EOPNOTSUPP without vAPIC support, -EINVAL for a 32-bit
 * table or bad arguments, -EEXIST if the entry or @irq is posted already,
 * -ENOMEM. The built-in driver then keeps the entry on the adapter's
 * plain writer and posts nothing.
 */
struct amd_ga_posted *amd_ga_host_irte_postable(struct amd_ga_iommu *ga,
						u16 devid, unsigned int index,
						int irq)
{
	const struct amd_ga_remap_cfg off = {};
	struct amd_ga_irte_ref ref;
	struct amd_ga_posted *p;
	int ret;

	ret = amd_ga_host_irte_get_ref(ga, devid, index, &ref);
	if (ret)
		return ERR_PTR(ret);
	p = amd_ga_posted_create(&ref, &off, irq);
	if (IS_ERR(p))
		return p;
	ret = amd_ga_host_irte_set_cookie(ga, devid, index, p);
	if (ret) {
		amd_ga_posted_destroy(p);
		return ERR_PTR(ret);
	}
	return p;
}

/*
 * The host route a remapped-mode image describes: RemapEn, IntType, DM,
 * vector and destination.
 */
static int amd_ga_host_route_of(const void *entry, struct amd_ga_remap_cfg *cfg)
{
	struct amd_ga_irte_fields fl;

	if (amd_ga_host_is_guest(entry, true))
		return -EINVAL;
	amd_ga_host_decode(entry, true, &fl);
	*cfg = fl.remap;
	cfg->remap_en = fl.mode == AMD_GA_IRTE_REMAPPED;
	return 0;
}

/**
 * amd_ga_host_irte_store() - store a built-in driver's remapped-mode image
 * @ga: the instance
 * @devid: the DeviceID
 * @index: the entry
 * @entry: the image amd-ga's codec built (amd_ga_host_irte_prepare() and
 *	friends)
 * @ga128: the 128-bit format
 *
 * An entry amd_ga_host_irte_postable() made postable takes the image as
 * its new host route (amd_ga_posted_set_host()): written now if the
 * entry is remapped, kept for when guest mode ends if it posts. Any other
 * entry is stored by amd_ga_host_irte_write(). A guest-mode image for a
 * postable entry is refused: guest mode goes through amd-ga's API.
 *
 * Context: any, with interrupts off too; waits (bounded) for the
 * invalidation.
 * Return: 0, -EINVAL for a guest-mode image of a postable entry, or as
 * amd_ga_posted_set_host() or amd_ga_host_irte_write().
 */
int amd_ga_host_irte_store(struct amd_ga_iommu *ga, u16 devid,
			   unsigned int index, const void *entry, bool ga128)
{
	struct amd_ga_posted *p = NULL;
	struct amd_ga_remap_cfg cfg;
	int ret;

	if (ga128)
		p = amd_ga_host_irte_cookie(ga, devid, index);
	if (!p)
		return amd_ga_host_irte_write(ga, devid, index, entry, ga128);
	ret = amd_ga_host_route_of(entry, &cfg);
	if (ret) {
		amd_ga_err_ratelimited("%s: DeviceID %#06x IRTE %u: guest-mode image for a posted IRTE refused\n",
				       ga->name, devid, index);
		return ret;
	}
	return amd_ga_posted_set_host(p, &cfg);
}

/**
 * amd_ga_host_irte_free() - the built-in driver frees an IRTE
 * @ga: the instance
 * @devid: the DeviceID
 * @index: the entry
 * @ga128: the 128-bit format
 *
 * A postable entry's posted IRTE is destroyed first (the entry returns to
 * the host route and a vCPU with the vector pending is woken); then the
 * entry is cleared, as amd_ga_host_irte_clear() does.
 *
 * Context: process context, may sleep (the IRQ domain's free).
 * Return: as amd_ga_host_irte_clear().
 */
int amd_ga_host_irte_free(struct amd_ga_iommu *ga, u16 devid,
			  unsigned int index, bool ga128)
{
	struct amd_ga_posted *p = amd_ga_host_irte_cookie(ga, devid, index);

	if (p) {
		amd_ga_host_irte_set_cookie(ga, devid, index, NULL);
		amd_ga_posted_destroy(p);
	}
	return amd_ga_host_irte_clear(ga, devid, index, ga128);
}
