/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake IOMMU backend for KUnit: registers in an array, commands executed
 * when the tail is written (COMPLETION_WAIT stores, invalidations logged),
 * with modes that stall the queue or reproduce QEMU's head-wrap bug.
 */
#ifndef AMD_GA_FAKE_IOMMU_H
#define AMD_GA_FAKE_IOMMU_H

#include <linux/types.h>

#include "hw.h"
#include "iommu.h"

/**
 * enum amd_ga_fake_mode - how the fake treats its command ring
 * @AMD_GA_FAKE_RUN: execute commands when the tail is written
 * @AMD_GA_FAKE_STALL: never execute commands
 * @AMD_GA_FAKE_HEAD_WRAP_BUG: execute, but after the head wraps it reads
 *	back the ring size instead of 0 until more commands run, as QEMU does
 */
enum amd_ga_fake_mode {
	AMD_GA_FAKE_RUN,
	AMD_GA_FAKE_STALL,
	AMD_GA_FAKE_HEAD_WRAP_BUG,
};

#define AMD_GA_FAKE_LOG	64

/**
 * struct amd_ga_fake - the fake IOMMU
 * @iommu: the core instance
 * @regs: the register file
 * @mode: command ring behaviour
 * @head: where command execution stands (byte offset)
 * @head_reg: what the Command Head register reads
 * @ops: commands executed, by opcode
 * @log_op: opcode of the invalidations executed, in order (first
 *	AMD_GA_FAKE_LOG only)
 * @log_devid: their DeviceIDs
 * @nr_log: entries in the log
 * @head_bug_reads: reads of the head register that returned the ring size
 * @devtab_writes: writes to the Device Table Base register
 * @devtab_zero_writes: of those, writes of 0
 */
struct amd_ga_fake {
	struct amd_ga_iommu iommu;
	u64 regs[AMD_GA_MMIO_SIZE / sizeof(u64)];
	enum amd_ga_fake_mode mode;
	u32 head;
	u32 head_reg;
	u64 ops[16];
	u8 log_op[AMD_GA_FAKE_LOG];
	u16 log_devid[AMD_GA_FAKE_LOG];
	unsigned int nr_log;
	unsigned int head_bug_reads;
	unsigned int devtab_writes;
	unsigned int devtab_zero_writes;
};

struct amd_ga_fake *amd_ga_fake_create(u64 efr);
void amd_ga_fake_destroy(struct amd_ga_fake *f);
void amd_ga_fake_run(struct amd_ga_fake *f);
unsigned int amd_ga_fake_count_devid(struct amd_ga_fake *f, u8 opcode,
				     u16 devid);

#endif /* AMD_GA_FAKE_IOMMU_H */
