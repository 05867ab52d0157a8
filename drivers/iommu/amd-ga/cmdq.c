// SPDX-License-Identifier: GPL-2.0-only
/*
 * Command queue: encode commands, append them to the IOMMU's command ring
 * and wait, bounded and without holding a lock, for a COMPLETION_WAIT to
 * store its sequence number.
 */
#define pr_fmt(fmt) "amd-ga: " fmt

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include "cmdq.h"
#include "export.h"
#include "iommu.h"
#include "log.h"

/**
 * amd_ga_cmd_make_completion_wait() - build a COMPLETION_WAIT with a store
 * @store_pa: where the IOMMU stores @data once every earlier command is
 *	done; 8-byte aligned, below 2^52, including any encryption bit
 * @data: the 64-bit value to store
 * @cmd: the command
 *
 * Return: 0, or -EINVAL for a misaligned or too wide @store_pa.
 */
int amd_ga_cmd_make_completion_wait(u64 store_pa, u64 data,
				    struct amd_ga_cmd *cmd)
{
	if (!store_pa || (store_pa & ~AMD_GA_CMD_CW_ADDR))
		return -EINVAL;
	/* The address field holds the address bits in place: no shift. */
	cmd->q[0] = FIELD_PREP(AMD_GA_CMD_OPCODE, AMD_GA_CMD_COMPLETION_WAIT) |
		    AMD_GA_CMD_CW_STORE | store_pa;
	cmd->q[1] = data;
	return 0;
}

static int amd_ga_cmd_make_devid(u64 opcode, u32 devid,
				 struct amd_ga_cmd *cmd)
{
	if (devid > FIELD_MAX(AMD_GA_CMD_DEVID))
		return -EINVAL;
	cmd->q[0] = FIELD_PREP(AMD_GA_CMD_OPCODE, opcode) |
		    FIELD_PREP(AMD_GA_CMD_DEVID, devid);
	cmd->q[1] = 0;
	return 0;
}

/**
 * amd_ga_cmd_make_inv_irt() - build INVALIDATE_INTERRUPT_TABLE
 * @devid: the DeviceID whose cached IRTEs the IOMMU drops
 * @cmd: the command
 *
 * Return: 0, or -EINVAL for a DeviceID above 0xffff.
 */
int amd_ga_cmd_make_inv_irt(u32 devid, struct amd_ga_cmd *cmd)
{
	return amd_ga_cmd_make_devid(AMD_GA_CMD_INV_IRT, devid, cmd);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_cmd_make_inv_irt);

/**
 * amd_ga_cmd_make_inv_dte() - build INVALIDATE_DEVTAB_ENTRY
 * @devid: the DeviceID whose cached device table entry the IOMMU drops
 * @cmd: the command
 *
 * Return: 0, or -EINVAL for a DeviceID above 0xffff.
 */
int amd_ga_cmd_make_inv_dte(u32 devid, struct amd_ga_cmd *cmd)
{
	return amd_ga_cmd_make_devid(AMD_GA_CMD_INV_DEVTAB_ENTRY, devid, cmd);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_cmd_make_inv_dte);

/**
 * amd_ga_cmd_opcode() - the opcode of a command
 * @cmd: the command
 *
 * Return: bits 63:60 of the first qword.
 */
unsigned int amd_ga_cmd_opcode(const struct amd_ga_cmd *cmd)
{
	return FIELD_GET(AMD_GA_CMD_OPCODE, cmd->q[0]);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_cmd_opcode);

/*
 * Waits are bounded in time, not in iterations: under an emulator or a
 * busy hypervisor one iteration can cost far more than the udelay() in
 * it. The clock is the NMI-safe monotonic one, usable in any context.
 */
static u64 amd_ga_cmdq_deadline(struct amd_ga_cmdq *q)
{
	return ktime_get_mono_fast_ns() + (u64)q->timeout_us * NSEC_PER_USEC;
}

static bool amd_ga_cmdq_expired(u64 deadline)
{
	return (s64)(ktime_get_mono_fast_ns() - deadline) >= 0;
}

/* Has the IOMMU stored @seq (or a later sequence number)? */
static bool amd_ga_cmdq_done(struct amd_ga_cmdq *q, u64 seq)
{
	return (s64)(READ_ONCE(*q->sem) - seq) >= 0;
}

/**
 * amd_ga_cmdq_init() - allocate the command ring and program it
 * @iommu: the IOMMU, with CmdBufEn clear
 *
 * Writes the Command Buffer Base (8 KiB, length code 9) and zeroes head and
 * tail. The caller sets CmdBufEn afterwards.
 *
 * Context: process context.
 * Return: 0, -EBUSY if a queue exists, -ENOMEM.
 */
int amd_ga_cmdq_init(struct amd_ga_iommu *iommu)
{
	struct amd_ga_cmdq *q;

	if (iommu->cmdq)
		return -EBUSY;
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	q->ring = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					   get_order(AMD_GA_CMDQ_BYTES));
	q->sem = (void *)get_zeroed_page(GFP_KERNEL);
	if (!q->ring || !q->sem) {
		free_pages((unsigned long)q->ring, get_order(AMD_GA_CMDQ_BYTES));
		free_page((unsigned long)q->sem);
		kfree(q);
		return -ENOMEM;
	}
	raw_spin_lock_init(&q->lock);
	q->ring_pa = amd_ga_iommu_pa(q->ring);
	q->sem_pa = amd_ga_iommu_pa(q->sem);
	q->timeout_us = AMD_GA_CMDQ_TIMEOUT_US;

	amd_ga_write(iommu, AMD_GA_MMIO_CMD_BASE,
		     (q->ring_pa & AMD_GA_CMD_BASE_ADDR) |
		     FIELD_PREP(AMD_GA_CMD_BASE_LEN, AMD_GA_CMD_LEN_CODE_512));
	amd_ga_write(iommu, AMD_GA_MMIO_CMD_HEAD, 0);
	amd_ga_write(iommu, AMD_GA_MMIO_CMD_TAIL, 0);
	iommu->cmdq = q;
	return 0;
}

/**
 * amd_ga_cmdq_destroy() - free the command ring
 * @iommu: the IOMMU, with CmdBufEn clear so that the ring is not read
 *
 * If the last COMPLETION_WAIT never completed, the IOMMU may still store
 * into the semaphore page; that page is then left allocated rather than
 * handed back for reuse.
 *
 * Context: process context.
 */
void amd_ga_cmdq_destroy(struct amd_ga_iommu *iommu)
{
	struct amd_ga_cmdq *q = iommu->cmdq;

	if (!q)
		return;
	iommu->cmdq = NULL;
	free_pages((unsigned long)q->ring, get_order(AMD_GA_CMDQ_BYTES));
	if (!amd_ga_cmdq_done(q, q->seq))
		pr_warn("%s: keeping the completion-wait page at %pa: the IOMMU may still write it\n",
			iommu->name, &q->sem_pa);
	else
		free_page((unsigned long)q->sem);
	kfree(q);
}

/*
 * Free bytes in the ring as seen from the cached head. The head register
 * is masked to the ring size: QEMU reads back the ring size instead of 0
 * after a wrap, which masks to the right value.
 */
static u32 amd_ga_cmdq_space(struct amd_ga_cmdq *q)
{
	return (q->head - q->tail - AMD_GA_CMD_SIZE) & (AMD_GA_CMDQ_BYTES - 1);
}

static void amd_ga_cmdq_refresh_head(struct amd_ga_iommu *iommu,
				     struct amd_ga_cmdq *q)
{
	u64 head = amd_ga_read(iommu, AMD_GA_MMIO_CMD_HEAD);

	q->head = head & (AMD_GA_CMDQ_BYTES - 1) & ~(AMD_GA_CMD_SIZE - 1);
}

static void amd_ga_cmdq_put(struct amd_ga_cmdq *q, const struct amd_ga_cmd *cmd)
{
	struct amd_ga_cmd *slot = &q->ring[q->tail / AMD_GA_CMD_SIZE];

	lockdep_assert_held(&q->lock);
	WRITE_ONCE(slot->q[0], cmd->q[0]);
	WRITE_ONCE(slot->q[1], cmd->q[1]);
	q->count[amd_ga_cmd_opcode(cmd)]++;
	q->tail = (q->tail + AMD_GA_CMD_SIZE) & (AMD_GA_CMDQ_BYTES - 1);
}

/* Is there room for @bytes? Refreshes the cached head if it looks full. */
static bool amd_ga_cmdq_has_space(struct amd_ga_iommu *iommu,
				  struct amd_ga_cmdq *q, u32 bytes)
{
	lockdep_assert_held(&q->lock);
	if (amd_ga_cmdq_space(q) >= bytes)
		return true;
	amd_ga_cmdq_refresh_head(iommu, q);
	return amd_ga_cmdq_space(q) >= bytes;
}

static int amd_ga_cmdq_wait(struct amd_ga_iommu *iommu,
			    struct amd_ga_cmdq *q, u64 seq)
{
	u64 deadline = amd_ga_cmdq_deadline(q);

	while (!amd_ga_cmdq_done(q, seq)) {
		if (amd_ga_cmdq_expired(deadline))
			goto timeout;
		udelay(1);
	}
	return 0;

timeout:
	/* One last look: the wait may have been preempted past the deadline. */
	if (amd_ga_cmdq_done(q, seq))
		return 0;

	atomic64_inc(&iommu->stats.cmd_wait_timeouts);
	/* IRTE writers wait here under their raw locks. */
	amd_ga_err_ratelimited("%s: COMPLETION_WAIT %llu not done after %u us (last stored %llu)\n",
			       iommu->name, seq, q->timeout_us,
			       READ_ONCE(*q->sem));
	return -ETIMEDOUT;
}

/**
 * amd_ga_cmdq_submit() - queue commands, optionally wait for them
 * @iommu: an enabled IOMMU
 * @cmds: the commands; COMPLETION_WAIT is not accepted here (the queue
 *	owns the sequence numbers), use @wait
 * @nr: number of commands, 0 allowed with @wait
 * @wait: append a COMPLETION_WAIT and wait until the IOMMU stored its
 *	sequence number, i.e. every command queued before it is done
 *
 * The commands enter the ring back to back under the queue lock; the
 * sequence number is allocated under the same lock, so sequence numbers
 * reach the IOMMU in increasing order and a waiter only needs the stored
 * value to be at or past its own. The wait itself runs without the lock
 * and is bounded (udelay() polling for about 100 ms of wall time).
 *
 * Context: any, including atomic context and under raw spinlocks; does not
 * sleep.
 * An IOMMU whose backend has a submit hook (the built-in driver's command
 * buffer) gets the batch through it instead.
 *
 * Return: 0; -EINVAL for bad arguments; -ENODEV if the IOMMU has no
 * command queue; -ETIMEDOUT (after a ratelimited message) if the ring
 * stayed full or the COMPLETION_WAIT did not complete in time.
 */
int amd_ga_cmdq_submit(struct amd_ga_iommu *iommu,
		       const struct amd_ga_cmd *cmds, unsigned int nr,
		       bool wait)
{
	struct amd_ga_cmdq *q;
	struct amd_ga_cmd cw;
	unsigned long flags;
	u64 seq = 0, deadline;
	unsigned int i;
	u32 bytes;

	if (!iommu || (nr && !cmds) || (!nr && !wait) ||
	    nr > AMD_GA_CMDQ_MAX_BATCH - wait)
		return -EINVAL;
	for (i = 0; i < nr; i++)
		if (amd_ga_cmd_opcode(&cmds[i]) == AMD_GA_CMD_COMPLETION_WAIT)
			return -EINVAL;
	/* A command buffer owned by the built-in driver: it queues and waits. */
	if (iommu->ops->submit)
		return iommu->ops->submit(iommu, cmds, nr, wait);
	q = iommu->cmdq;
	if (!q)
		return -ENODEV;

	/* Wait for room with the lock dropped, bounded like every wait. */
	bytes = (nr + wait) * AMD_GA_CMD_SIZE;
	deadline = amd_ga_cmdq_deadline(q);
	for (;;) {
		raw_spin_lock_irqsave(&q->lock, flags);
		if (amd_ga_cmdq_has_space(iommu, q, bytes))
			break;
		raw_spin_unlock_irqrestore(&q->lock, flags);
		if (amd_ga_cmdq_expired(deadline)) {
			amd_ga_err_ratelimited("%s: command buffer still full after %u us (head %#x, tail %#x): the IOMMU is not processing commands\n",
					       iommu->name, q->timeout_us,
					       READ_ONCE(q->head),
					       READ_ONCE(q->tail));
			return -ETIMEDOUT;
		}
		udelay(1);
	}

	for (i = 0; i < nr; i++)
		amd_ga_cmdq_put(q, &cmds[i]);
	if (wait) {
		seq = ++q->seq;
		/* Cannot fail: the semaphore page is aligned and ours. */
		amd_ga_cmd_make_completion_wait(q->sem_pa, seq, &cw);
		amd_ga_cmdq_put(q, &cw);
		atomic64_inc(&iommu->stats.cmd_waits);
	}
	/* writeq() orders the ring stores before the tail update. */
	amd_ga_write(iommu, AMD_GA_MMIO_CMD_TAIL, q->tail);
	raw_spin_unlock_irqrestore(&q->lock, flags);

	return wait ? amd_ga_cmdq_wait(iommu, q, seq) : 0;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_cmdq_submit);

/**
 * amd_ga_cmdq_sync() - wait until every command queued so far is done
 * @iommu: an enabled IOMMU
 *
 * Context: any; does not sleep.
 * Return: as amd_ga_cmdq_submit().
 */
int amd_ga_cmdq_sync(struct amd_ga_iommu *iommu)
{
	return amd_ga_cmdq_submit(iommu, NULL, 0, true);
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_cmdq_sync);

/**
 * amd_ga_cmdq_count() - how many commands of one opcode were queued
 * @iommu: the IOMMU
 * @opcode: AMD_GA_CMD_COMPLETION_WAIT, AMD_GA_CMD_INV_IRT, ...
 *
 * Counts since the queue was created by amd_ga_iommu_enable().
 *
 * Return: the count, 0 without a queue or for an opcode above 15.
 */
u64 amd_ga_cmdq_count(struct amd_ga_iommu *iommu, unsigned int opcode)
{
	struct amd_ga_cmdq *q = iommu->cmdq;
	unsigned long flags;
	u64 n;

	if (!q || opcode >= AMD_GA_CMD_NR_OPCODES)
		return 0;
	raw_spin_lock_irqsave(&q->lock, flags);
	n = q->count[opcode];
	raw_spin_unlock_irqrestore(&q->lock, flags);
	return n;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_cmdq_count);
