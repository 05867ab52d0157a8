/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The GA log engine: buffer, enable/disable and restart sequences, the
 * threaded GA interrupt handler that drains the log in bounded batches
 * and bounded rounds, and lossless recovery after lost entries.
 */
#ifndef AMD_GA_GALOG_H
#define AMD_GA_GALOG_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "hw.h"
#include "tag_filter.h"

struct amd_ga_iommu;

#define AMD_GA_GALOG_BYTES	(AMD_GA_GALOG_ENTRIES * AMD_GA_GALOG_ENTRY_SIZE)
#define AMD_GA_GALOG_BUDGET	256	/* entries per drain pass */

/**
 * struct amd_ga_galog - the GA log of one IOMMU
 * @iommu: the IOMMU; immutable
 * @buf: AMD_GA_GALOG_ENTRIES entries; the IOMMU writes them, the drain
 *	reads and zeroes them (a zero slot is one not written yet)
 * @tail_mirror: where the IOMMU mirrors the tail pointer
 * @irq: the GA interrupt, or 0 when the IOMMU's owner shares one interrupt
 *	among its logs and calls amd_ga_galog_process() from its own
 *	thread (the built-in driver, in the in-tree backport); immutable
 *	while enabled
 * @drain_lock: one drainer at a time (the IRQ thread or a direct drain);
 *	taken before @enable_lock
 * @enable_lock: orders the overflow restart's GALogEn writes against
 *	amd_ga_galog_disable(); never waits for @drain_lock
 * @stopping: amd_ga_galog_disable() has begun: no restart may set GALogEn
 *	again; set under @enable_lock, read under it (or READ_ONCE for an
 *	early exit)
 * @head: byte offset of the next entry to consume; @drain_lock
 * @needs_recovery: entries were lost (overflow, torn slots), run recovery
 *	before the drain lock is dropped; @drain_lock
 * @woken: tags the current drain handed to the consumer; @drain_lock
 * @budget: entries per pass; READ_ONCE
 * @recovery: lossless recovery after an overflow (on by default; tests
 *	switch it off to prove they can see losses); READ_ONCE
 * @run_seen: GALogRun came up at enable; immutable while enabled
 * @resets: bumped by amd_ga_galog_resume() after it reprogrammed the log
 *	at head = tail = 0; atomic
 * @resets_seen: the @resets the drain last caught up with; @drain_lock
 * @resume_work: drains and recovers after a resume, in process context
 */
struct amd_ga_galog {
	struct amd_ga_iommu *iommu;
	u64 *buf;
	u64 *tail_mirror;
	int irq;
	struct mutex drain_lock;	/* one drainer at a time */
	struct mutex enable_lock;	/* restart vs disable */
	bool stopping;
	u32 head;
	bool needs_recovery;
	struct amd_ga_tag_filter woken;
	unsigned int budget;
	bool recovery;
	bool run_seen;
	atomic_t resets;
	unsigned int resets_seen;
	struct work_struct resume_work;
};

/**
 * DOC: the GA log's consumer interface
 *
 * The GA log engine knows nothing of VMs or vCPUs. Whoever does (the
 * registry in dispatch.c, or a test) is its consumer and gives it two
 * functions, shared by the GA logs of every IOMMU:
 *
 * - a wake function, set with amd_ga_galog_set_wake(), called with the
 *   GATag of each valid entry, once per tag per drain, from the GA log IRQ
 *   thread under rcu_read_lock(). It must not sleep, and returns 0 when it
 *   woke the tag's vCPU, -ENODEV when it has nobody to hand tags to (the
 *   entry is counted unclaimed) and another error for a tag it does not
 *   know (counted stale). The drain reaches it through a static call, a
 *   direct call: the consumer is stored nowhere else. With none set,
 *   entries are counted unclaimed.
 * - a recover function, set with amd_ga_galog_set_recover(), called after
 *   a drain lost entries (overflow, torn slots), in process context with
 *   the drain lock of that GA log held (it may sleep). It hands every
 *   blocked vCPU with a pending posted vector to the wake function (for
 *   instance through amd_ga_galog_wake_tag()) and returns how many woke,
 *   setting *@checked, if not NULL, to how many vCPUs it looked at. With
 *   none set, a recovery wakes nobody.
 */

/**
 * typedef amd_ga_galog_wake_fn - the consumer's wake function
 * @ga_tag: GATag of a valid GA log entry, or of a vCPU recovery found
 *	pending
 *
 * Context: under rcu_read_lock(); must not sleep.
 * Return: 0 if the tag's vCPU was woken, -ENODEV if no tag can be handed
 * on, another negative error for an unknown tag.
 */
typedef int (*amd_ga_galog_wake_fn)(u32 ga_tag);

/**
 * typedef amd_ga_galog_recover_fn - the consumer's recover function
 * @checked: if not NULL, set to the number of vCPUs re-checked
 *
 * Context: process context, may sleep; a GA log's drain lock held.
 * Return: the number of vCPUs woken.
 */
typedef unsigned int (*amd_ga_galog_recover_fn)(unsigned int *checked);

void amd_ga_galog_set_wake(amd_ga_galog_wake_fn fn);
bool amd_ga_galog_has_wake(void);
int amd_ga_galog_wake_tag(u32 ga_tag);
void amd_ga_galog_set_recover(amd_ga_galog_recover_fn fn);

int amd_ga_galog_enable(struct amd_ga_iommu *iommu);
int amd_ga_galog_resume(struct amd_ga_iommu *iommu);
void amd_ga_galog_disable(struct amd_ga_iommu *iommu);
unsigned int amd_ga_galog_drain(struct amd_ga_galog *gl);
void amd_ga_galog_process(struct amd_ga_galog *gl);
void amd_ga_galog_set_recovery(struct amd_ga_galog *gl, bool on);
void amd_ga_galog_set_budget(struct amd_ga_galog *gl, unsigned int budget);

#endif /* AMD_GA_GALOG_H */
