// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fake IOMMU backend for the command queue and IRT store suites. It runs
 * the command ring the way hardware does (from head to tail, storing
 * COMPLETION_WAIT data into memory) so that the code under test cannot
 * tell it from an IOMMU, and it can misbehave on purpose.
 */
#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/mem_encrypt.h>
#include <linux/slab.h>

#include "cmdq.h"
#include "fake_iommu.h"
#include "instance.h"

static struct amd_ga_fake *to_fake(struct amd_ga_iommu *iommu)
{
	return container_of(iommu, struct amd_ga_fake, iommu);
}

static u32 amd_ga_fake_ring_bytes(struct amd_ga_fake *f)
{
	u64 base = f->regs[AMD_GA_MMIO_CMD_BASE / 8];

	return AMD_GA_CMD_SIZE << FIELD_GET(AMD_GA_CMD_BASE_LEN, base);
}

static void amd_ga_fake_exec(struct amd_ga_fake *f, const struct amd_ga_cmd *c)
{
	unsigned int op = FIELD_GET(AMD_GA_CMD_OPCODE, c->q[0]);

	f->ops[op]++;
	if (op == AMD_GA_CMD_COMPLETION_WAIT) {
		if (c->q[0] & AMD_GA_CMD_CW_STORE) {
			u64 pa = __sme_clr(c->q[0] & AMD_GA_CMD_CW_ADDR);

			WRITE_ONCE(*(u64 *)phys_to_virt(pa), c->q[1]);
		}
		return;
	}
	if ((op == AMD_GA_CMD_INV_IRT || op == AMD_GA_CMD_INV_DEVTAB_ENTRY) &&
	    f->nr_log < AMD_GA_FAKE_LOG) {
		f->log_op[f->nr_log] = op;
		f->log_devid[f->nr_log] = FIELD_GET(AMD_GA_CMD_DEVID, c->q[0]);
		f->nr_log++;
	}
}

/**
 * amd_ga_fake_run() - execute the commands between head and tail
 * @f: the fake
 *
 * Does nothing unless IOMMUEn and CmdBufEn are set and the mode runs.
 */
void amd_ga_fake_run(struct amd_ga_fake *f)
{
	u64 ctrl = f->regs[AMD_GA_MMIO_CONTROL / 8];
	u64 base = f->regs[AMD_GA_MMIO_CMD_BASE / 8];
	u32 size = amd_ga_fake_ring_bytes(f);
	struct amd_ga_cmd *ring;
	bool wrapped = false;
	u32 tail;

	if (f->mode == AMD_GA_FAKE_STALL ||
	    (ctrl & (AMD_GA_CTRL_IOMMU_EN | AMD_GA_CTRL_CMD_BUF_EN)) !=
	    (AMD_GA_CTRL_IOMMU_EN | AMD_GA_CTRL_CMD_BUF_EN))
		return;
	ring = phys_to_virt(__sme_clr(base & AMD_GA_CMD_BASE_ADDR));
	tail = f->regs[AMD_GA_MMIO_CMD_TAIL / 8] & (size - 1);
	if (f->head == tail)
		return;
	while (f->head != tail) {
		amd_ga_fake_exec(f, &ring[f->head / AMD_GA_CMD_SIZE]);
		f->head += AMD_GA_CMD_SIZE;
		wrapped = f->head == size;
		if (wrapped)
			f->head = 0;
	}
	f->head_reg = (wrapped && f->mode == AMD_GA_FAKE_HEAD_WRAP_BUG) ?
		      size : f->head;
}

static u64 amd_ga_fake_read(struct amd_ga_iommu *iommu, u32 off)
{
	struct amd_ga_fake *f = to_fake(iommu);

	if (off == AMD_GA_MMIO_CMD_HEAD) {
		if (f->head_reg && f->head_reg == amd_ga_fake_ring_bytes(f))
			f->head_bug_reads++;
		return f->head_reg;
	}
	return f->regs[off / 8];
}

static void amd_ga_fake_write(struct amd_ga_iommu *iommu, u32 off, u64 val)
{
	struct amd_ga_fake *f = to_fake(iommu);

	switch (off) {
	case AMD_GA_MMIO_STATUS:
		f->regs[off / 8] &= ~(val & AMD_GA_STATUS_W1C);
		return;
	case AMD_GA_MMIO_DEVTAB_BASE:
		f->devtab_writes++;
		if (!val)
			f->devtab_zero_writes++;
		break;
	case AMD_GA_MMIO_CMD_BASE:
		f->head = 0;
		f->head_reg = 0;
		f->regs[AMD_GA_MMIO_CMD_TAIL / 8] = 0;
		break;
	case AMD_GA_MMIO_CMD_HEAD:
		f->head = val;
		f->head_reg = val;
		break;
	}
	f->regs[off / 8] = val;
	if (off == AMD_GA_MMIO_CMD_TAIL || off == AMD_GA_MMIO_CONTROL)
		amd_ga_fake_run(f);
}

static const struct amd_ga_backend_ops amd_ga_fake_ops = {
	.name = "fake",
	.read = amd_ga_fake_read,
	.write = amd_ga_fake_write,
};

/**
 * amd_ga_fake_create() - a fake IOMMU, initialised but not enabled
 * @efr: what its Extended Feature Register reads
 *
 * Its device table is reclaimable (freed when disabled) unless a test
 * clears iommu.devtab_reclaimable.
 *
 * Return: the fake or NULL.
 */
struct amd_ga_fake *amd_ga_fake_create(u64 efr)
{
	struct amd_ga_fake *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	f->regs[AMD_GA_MMIO_EFR / 8] = efr;
	amd_ga_iommu_init(&f->iommu, &amd_ga_fake_ops, f, NULL);
	strscpy(f->iommu.name, "fake", sizeof(f->iommu.name));
	f->iommu.devtab_reclaimable = true;
	return f;
}

/**
 * amd_ga_fake_destroy() - disable and free a fake
 * @f: the fake, or NULL
 */
void amd_ga_fake_destroy(struct amd_ga_fake *f)
{
	if (!f)
		return;
	f->mode = AMD_GA_FAKE_RUN;
	f->iommu.devtab_reclaimable = true;
	amd_ga_iommu_disable(&f->iommu);
	kfree(f);
}

/**
 * amd_ga_fake_count_devid() - how often an invalidation hit a DeviceID
 * @f: the fake
 * @opcode: AMD_GA_CMD_INV_IRT or AMD_GA_CMD_INV_DEVTAB_ENTRY
 * @devid: the DeviceID
 *
 * Return: the number of such commands in the log.
 */
unsigned int amd_ga_fake_count_devid(struct amd_ga_fake *f, u8 opcode,
				     u16 devid)
{
	unsigned int i, n = 0;

	for (i = 0; i < f->nr_log; i++)
		if (f->log_op[i] == opcode && f->log_devid[i] == devid)
			n++;
	return n;
}
