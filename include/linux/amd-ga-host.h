/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amd-ga as the interrupt-remapping engine of the built-in AMD IOMMU
 * driver (drivers/iommu/amd), for the in-tree backport.
 *
 * The built-in driver keeps its interrupt remapping tables, their locks,
 * the device table and its command buffer. amd-ga encodes every IRTE the
 * built-in driver programs (its codec), stores it on the built-in table
 * under the table's lock (its writer: one cmpxchg16b, or one 32-bit
 * store) and decides which invalidation the change needs; the built-in
 * driver's command buffer carries that invalidation (struct
 * amd_ga_host_ops), so it stays the only producer on it.
 *
 * The GA log is amd-ga's engine on the built-in IOMMU's registers:
 * amd_ga_host_galog_enable() in place of the built-in allocation and
 * enable (and again at resume), amd_ga_host_galog_process() from the
 * built-in interrupt thread in place of its poller and restart. The
 * event and PPR logs stay the built-in driver's.
 *
 * A PCI MSI IRTE in a 128-bit table becomes an amd-ga posted IRTE when
 * the IOMMU has vAPIC support (amd_ga_host_irte_postable()): from then
 * on amd_ga_host_irte_store() and amd_ga_host_irte_free() write it, and
 * the guest-mode entry points call <linux/amd-ga.h> on it.
 *
 * Boot with amd_ga.host=0 to leave every path of the built-in driver as
 * it was: amd_ga_host_add() then returns NULL and the built-in driver
 * uses its own code (counted, see /sys/kernel/debug/amd-ga/host/stats).
 */
#ifndef _LINUX_AMD_GA_HOST_H
#define _LINUX_AMD_GA_HOST_H

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct amd_ga_iommu;
struct amd_ga_posted;

/**
 * struct amd_ga_host_ops - what amd-ga asks of the built-in driver
 * @submit: queue @nr 16-byte commands (INVALIDATE_INTERRUPT_TABLE) on the
 *	IOMMU's command buffer and, when @wait, a COMPLETION_WAIT after
 *	them and wait for it; the wait is bounded. Called without any amd-ga
 *	lock held; returns 0 or a negative errno.
 * @update_control: clear the bits @clear of the IOMMU's Control register,
 *	then set the bits @set, in one read-modify-write serialised with
 *	every other one the built-in driver makes of Control. Called with a
 *	raw spinlock held and interrupts off, so it may take only a raw
 *	spinlock. Optional: without it amd-ga reads, merges and writes
 *	Control itself, unserialised against the built-in driver.
 */
struct amd_ga_host_ops {
	int (*submit)(void *host, const void *cmds, unsigned int nr, bool wait);
	void (*update_control)(void *host, u64 clear, u64 set);
};

/**
 * enum amd_ga_host_builtin - a path of the built-in driver amd-ga replaces
 * @AMD_GA_HOST_BUILTIN_IRTE_WRITE: its own IRTE writers
 * @AMD_GA_HOST_BUILTIN_GA_LOG_POLL: its GA log poller
 * @AMD_GA_HOST_BUILTIN_NR: the number of paths
 *
 * amd_ga_host_note_builtin() counts each run of one of them.
 */
enum amd_ga_host_builtin {
	AMD_GA_HOST_BUILTIN_IRTE_WRITE,
	AMD_GA_HOST_BUILTIN_GA_LOG_POLL,
	AMD_GA_HOST_BUILTIN_NR,
};

#ifdef CONFIG_AMD_GA_HOST
struct amd_ga_iommu *amd_ga_host_add(void __iomem *mmio, bool xt,
				     const struct amd_ga_host_ops *ops,
				     void *host);
int amd_ga_host_table_add(struct amd_ga_iommu *ga, u16 devid,
			  void *entries, bool ga128, raw_spinlock_t *lock);
void amd_ga_host_irte_prepare(void *entry, bool ga128, u32 int_type,
			      bool dest_logical, u8 vector, u32 dest);
void amd_ga_host_irte_prepare_guest(void *entry, bool remap_en,
				    u64 ga_root_pa, u8 vector, u32 ga_tag);
void amd_ga_host_irte_set_remap_en(void *entry, bool ga128, bool en);
bool amd_ga_host_irte_set_affinity(void *entry, bool ga128, u8 vector,
				   u32 dest);
int amd_ga_host_irte_write(struct amd_ga_iommu *ga, u16 devid,
			   unsigned int index, const void *entry, bool ga128);
int amd_ga_host_irte_clear(struct amd_ga_iommu *ga, u16 devid,
			   unsigned int index, bool ga128);
int amd_ga_host_irte_update_run(struct amd_ga_iommu *ga, u16 devid,
				unsigned int index, int cpu, bool ga_log_intr);
void amd_ga_host_irte_bind_irq(struct amd_ga_iommu *ga, u16 devid,
			       unsigned int index, int irq);
int amd_ga_host_galog_enable(struct amd_ga_iommu *ga);
bool amd_ga_host_galog_process(struct amd_ga_iommu *ga);
struct amd_ga_posted *amd_ga_host_irte_postable(struct amd_ga_iommu *ga,
						u16 devid, unsigned int index,
						int irq);
int amd_ga_host_irte_store(struct amd_ga_iommu *ga, u16 devid,
			   unsigned int index, const void *entry, bool ga128);
int amd_ga_host_irte_free(struct amd_ga_iommu *ga, u16 devid,
			  unsigned int index, bool ga128);
void amd_ga_host_note_builtin(enum amd_ga_host_builtin path);
#else
static inline struct amd_ga_iommu *
amd_ga_host_add(void __iomem *mmio, bool xt,
		const struct amd_ga_host_ops *ops, void *host)
{
	return NULL;
}

static inline int amd_ga_host_table_add(struct amd_ga_iommu *ga, u16 devid,
					void *entries, bool ga128,
					raw_spinlock_t *lock)
{
	return -ENODEV;
}

static inline void amd_ga_host_irte_prepare(void *entry, bool ga128,
					    u32 int_type, bool dest_logical,
					    u8 vector, u32 dest)
{
}

static inline void amd_ga_host_irte_prepare_guest(void *entry, bool remap_en,
						  u64 ga_root_pa, u8 vector,
						  u32 ga_tag)
{
}

static inline void amd_ga_host_irte_set_remap_en(void *entry, bool ga128,
						 bool en)
{
}

static inline bool amd_ga_host_irte_set_affinity(void *entry, bool ga128,
						 u8 vector, u32 dest)
{
	return false;
}

static inline int amd_ga_host_irte_write(struct amd_ga_iommu *ga, u16 devid,
					 unsigned int index, const void *entry,
					 bool ga128)
{
	return -ENODEV;
}

static inline int amd_ga_host_irte_clear(struct amd_ga_iommu *ga, u16 devid,
					 unsigned int index, bool ga128)
{
	return -ENODEV;
}

static inline int amd_ga_host_irte_update_run(struct amd_ga_iommu *ga,
					      u16 devid, unsigned int index,
					      int cpu, bool ga_log_intr)
{
	return -ENODEV;
}

static inline void amd_ga_host_irte_bind_irq(struct amd_ga_iommu *ga,
					     u16 devid, unsigned int index,
					     int irq)
{
}

static inline int amd_ga_host_galog_enable(struct amd_ga_iommu *ga)
{
	return -ENODEV;
}

static inline bool amd_ga_host_galog_process(struct amd_ga_iommu *ga)
{
	return false;
}

static inline struct amd_ga_posted *
amd_ga_host_irte_postable(struct amd_ga_iommu *ga, u16 devid,
			  unsigned int index, int irq)
{
	return ERR_PTR(-ENODEV);
}

static inline int amd_ga_host_irte_store(struct amd_ga_iommu *ga, u16 devid,
					 unsigned int index, const void *entry,
					 bool ga128)
{
	return -ENODEV;
}

static inline int amd_ga_host_irte_free(struct amd_ga_iommu *ga, u16 devid,
					unsigned int index, bool ga128)
{
	return -ENODEV;
}

static inline void amd_ga_host_note_builtin(enum amd_ga_host_builtin path)
{
}
#endif

#endif /* _LINUX_AMD_GA_HOST_H */
