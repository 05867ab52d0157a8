/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Command queue: the 512-entry command ring of one IOMMU, the "make"
 * functions for the commands amd-ga issues, and COMPLETION_WAIT based
 * synchronisation.
 *
 * Synchronisation is always on the value a COMPLETION_WAIT stores into
 * memory, never on the Command Head register: QEMU's head reads back the
 * ring size instead of 0 after a wrap, and a head == tail poll then spins
 * forever.
 */
#ifndef AMD_GA_CMDQ_H
#define AMD_GA_CMDQ_H

#include <linux/build_bug.h>
#include <linux/io.h>
#include <linux/mem_encrypt.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "hw.h"

struct amd_ga_iommu;

/**
 * struct amd_ga_cmd - one 16-byte command as the IOMMU reads it
 * @q: the two little-endian qwords; the opcode is in q[0] bits 63:60
 */
struct amd_ga_cmd {
	u64 q[2];
};

static_assert(sizeof(struct amd_ga_cmd) == AMD_GA_CMD_SIZE);

/* Ring geometry: 512 entries of 16 bytes, length code 9. */
#define AMD_GA_CMDQ_BYTES	(AMD_GA_CMD_ENTRIES * AMD_GA_CMD_SIZE)
/* One slot stays empty so that head == tail always means "empty". */
#define AMD_GA_CMDQ_MAX_BATCH	(AMD_GA_CMD_ENTRIES - 1)
/* How long a wait (ring space or completion) may take: 100 ms. */
#define AMD_GA_CMDQ_TIMEOUT_US	100000U
/* Number of distinct opcodes (4 bits). */
#define AMD_GA_CMD_NR_OPCODES	16

/**
 * struct amd_ga_cmdq - the command ring of one IOMMU
 * @lock: serialises submitters. Protects @tail, @head, @seq and @count.
 *	A raw spinlock taken with interrupts off, so that submission works
 *	from any context, including under other raw spinlocks; nothing that
 *	can sleep or wait for the IOMMU is done while it is held.
 * @ring: the ring, 8 KiB, page aligned; written under @lock, read by the
 *	IOMMU
 * @ring_pa: physical address of @ring as the IOMMU sees it
 * @sem: the COMPLETION_WAIT store target; written by the IOMMU only
 * @sem_pa: physical address of @sem as the IOMMU sees it
 * @tail: software tail, a byte offset into @ring
 * @head: last head read from the IOMMU (cached, refreshed when the ring
 *	looks full)
 * @seq: last COMPLETION_WAIT sequence number handed out. Allocated
 *	under @lock so that sequence numbers enter the ring in order, which
 *	is what lets waiters compare monotonically.
 * @count: commands queued, by opcode
 * @timeout_us: bound of every wait in wall time; AMD_GA_CMDQ_TIMEOUT_US
 *	unless a test shortens it before use
 */
struct amd_ga_cmdq {
	raw_spinlock_t lock;
	struct amd_ga_cmd *ring;
	phys_addr_t ring_pa;
	u64 *sem;
	phys_addr_t sem_pa;
	u32 tail;
	u32 head;
	u64 seq;
	u64 count[AMD_GA_CMD_NR_OPCODES];
	unsigned int timeout_us;
};

/**
 * amd_ga_iommu_pa() - the address the IOMMU must use for kernel memory
 * @va: a directly mapped kernel address
 *
 * The IOMMU accesses memory with the C-bit when memory encryption (SME)
 * is active, so the bit is part of every address handed to it.
 *
 * Return: the physical address including the encryption bit.
 */
static inline phys_addr_t amd_ga_iommu_pa(void *va)
{
	return __sme_set(virt_to_phys(va));
}

int amd_ga_cmd_make_completion_wait(u64 store_pa, u64 data,
				    struct amd_ga_cmd *cmd);
int amd_ga_cmd_make_inv_irt(u32 devid, struct amd_ga_cmd *cmd);
int amd_ga_cmd_make_inv_dte(u32 devid, struct amd_ga_cmd *cmd);
unsigned int amd_ga_cmd_opcode(const struct amd_ga_cmd *cmd);

int amd_ga_cmdq_init(struct amd_ga_iommu *iommu);
void amd_ga_cmdq_destroy(struct amd_ga_iommu *iommu);
int amd_ga_cmdq_submit(struct amd_ga_iommu *iommu,
		       const struct amd_ga_cmd *cmds, unsigned int nr,
		       bool wait);
int amd_ga_cmdq_sync(struct amd_ga_iommu *iommu);
u64 amd_ga_cmdq_count(struct amd_ga_iommu *iommu, unsigned int opcode);

#endif /* AMD_GA_CMDQ_H */
