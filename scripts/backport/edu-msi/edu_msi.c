// SPDX-License-Identifier: GPL-2.0-only
/*
 * edu_msi: QEMU's edu device (1234:11e8) as an MSI source for make
 * backport-boot.
 *
 * On the backport kernel the built-in AMD IOMMU driver owns the interrupt
 * remapping tables and amd-ga encodes and writes their entries for it.
 * This module therefore touches no IRTE and uses no amd-ga symbol: it
 * takes one MSI vector through the kernel's normal path, so that the
 * built-in driver allocates edu's IRTE and amd-ga writes it, and then
 * raises interrupts on demand. The guest's checks compare amd-ga's debugfs
 * with what the kernel says and with where the interrupts arrive.
 *
 * debugfs, /sys/kernel/debug/edu_msi/:
 *   irq       the Linux IRQ of edu's MSI
 *   fire      write N: raise N interrupts one at a time, each awaited for
 *             at most EDU_MSI_WAIT_MS; -ETIMEDOUT if one is lost
 *   count     interrupts the handler took
 *   last_cpu  the CPU the last one arrived on (-1 before the first)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/smp.h>

/* edu registers (BAR0), QEMU's docs/specs/edu.rst */
#define EDU_IDENT		0x00
#define EDU_IDENT_MAGIC		0xed		/* low byte */
#define EDU_IRQ_STATUS		0x24
#define EDU_IRQ_RAISE		0x60		/* ORs the value into status, sends the MSI */
#define EDU_IRQ_ACK		0x64		/* clears the written status bits */
#define EDU_BAR_LEN		0x100

/* The status bit each fire sets: one is enough, the value only marks it. */
#define EDU_MSI_FIRE_BIT	BIT(0)

/*
 * One interrupt is a few microseconds even under TCG: a second without it
 * means it was lost (a wrong IRTE, a dropped write), not that it is slow.
 */
#define EDU_MSI_WAIT_MS		1000
/* Bounds one write to "fire", so that even a lossy IRTE ends it soon. */
#define EDU_MSI_FIRE_MAX	1000

/**
 * struct edu_msi - the bound edu
 * @pdev: edu
 * @bar: edu's registers
 * @irq: the Linux IRQ of its one MSI vector
 * @count: interrupts taken (handler)
 * @last_cpu: CPU of the last one (handler)
 * @done: completed by the handler, awaited by edu_msi_fire_one()
 * @fire_lock: serialises writers of "fire": they share @done
 * @dir: our debugfs directory
 */
struct edu_msi {
	struct pci_dev *pdev;
	void __iomem *bar;
	u32 irq;
	atomic_t count;
	atomic_t last_cpu;
	struct completion done;
	struct mutex fire_lock; /* one "fire" writer at a time: @done is shared */
	struct dentry *dir;
};

/* The debugfs directory has a fixed name: one edu at a time. */
static unsigned long edu_msi_busy;

static irqreturn_t edu_msi_isr(int irq, void *data)
{
	struct edu_msi *edu = data;
	u32 status = ioread32(edu->bar + EDU_IRQ_STATUS);

	/* MSI is never shared: no status bit means an interrupt we did not raise. */
	if (!status)
		return IRQ_NONE;
	/*
	 * edu sends its MSI on every raise, acknowledged or not: the ack is
	 * what lets the next run tell a raised interrupt from a duplicate.
	 */
	iowrite32(status, edu->bar + EDU_IRQ_ACK);
	atomic_set(&edu->last_cpu, smp_processor_id());
	atomic_inc(&edu->count);
	complete(&edu->done);
	return IRQ_HANDLED;
}

/* Raise one interrupt and wait, bounded, for the handler to take it. */
static int edu_msi_fire_one(struct edu_msi *edu)
{
	lockdep_assert_held(&edu->fire_lock);
	reinit_completion(&edu->done);
	iowrite32(EDU_MSI_FIRE_BIT, edu->bar + EDU_IRQ_RAISE);
	if (wait_for_completion_timeout(&edu->done,
					msecs_to_jiffies(EDU_MSI_WAIT_MS)))
		return 0;
	/* Lost: clear edu's status so that the next fire starts clean. */
	iowrite32(EDU_MSI_FIRE_BIT, edu->bar + EDU_IRQ_ACK);
	pci_warn(edu->pdev, "interrupt on IRQ %u lost (no handler run in %u ms)\n",
		 edu->irq, EDU_MSI_WAIT_MS);
	return -ETIMEDOUT;
}

static ssize_t edu_msi_fire_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	struct edu_msi *edu = file->private_data;
	unsigned int n, i;
	int ret;

	ret = kstrtouint_from_user(ubuf, len, 0, &n);
	if (ret)
		return ret;
	if (n > EDU_MSI_FIRE_MAX)
		return -EINVAL;
	ret = mutex_lock_interruptible(&edu->fire_lock);
	if (ret)
		return ret;
	for (i = 0; i < n && !ret; i++)
		ret = edu_msi_fire_one(edu);
	mutex_unlock(&edu->fire_lock);
	return ret ? ret : len;
}

static const struct file_operations edu_msi_fire_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = edu_msi_fire_write,
	.llseek = noop_llseek,
};

static void edu_msi_debugfs_init(struct edu_msi *edu)
{
	edu->dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_u32("irq", 0444, edu->dir, &edu->irq);
	debugfs_create_file("fire", 0200, edu->dir, edu, &edu_msi_fire_fops);
	debugfs_create_atomic_t("count", 0444, edu->dir, &edu->count);
	debugfs_create_atomic_t("last_cpu", 0444, edu->dir, &edu->last_cpu);
}

static int edu_msi_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct edu_msi *edu;
	int ret;

	if (test_and_set_bit(0, &edu_msi_busy))
		return -EBUSY;
	edu = kzalloc(sizeof(*edu), GFP_KERNEL);
	if (!edu) {
		ret = -ENOMEM;
		goto err_busy;
	}
	edu->pdev = pdev;
	atomic_set(&edu->last_cpu, -1);
	init_completion(&edu->done);
	mutex_init(&edu->fire_lock);

	ret = pci_enable_device(pdev);
	if (ret)
		goto err_free;
	ret = pci_request_regions(pdev, KBUILD_MODNAME);
	if (ret)
		goto err_disable;
	edu->bar = pci_iomap(pdev, 0, EDU_BAR_LEN);
	if (!edu->bar) {
		ret = -ENOMEM;
		goto err_regions;
	}
	if ((ioread32(edu->bar + EDU_IDENT) & 0xff) != EDU_IDENT_MAGIC) {
		pci_err(pdev, "not an edu: identification %#x\n",
			ioread32(edu->bar + EDU_IDENT));
		ret = -ENODEV;
		goto err_unmap;
	}
	/* edu's MSI is a DMA write: without Bus Master it is never sent. */
	pci_set_master(pdev);

	/*
	 * The normal path on purpose: the MSI domain of the IOMMU allocates
	 * the IRTE and programs it, so that the test sees what every driver
	 * gets.
	 */
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		goto err_master;
	ret = pci_irq_vector(pdev, 0);
	if (ret < 0)
		goto err_vectors;
	edu->irq = ret;
	/*
	 * Never threaded, not even with threadirqs: last_cpu must name the
	 * CPU the interrupt was delivered to, not where a thread ran.
	 */
	ret = request_irq(edu->irq, edu_msi_isr, IRQF_NO_THREAD, KBUILD_MODNAME,
			  edu);
	if (ret)
		goto err_vectors;

	pci_set_drvdata(pdev, edu);
	edu_msi_debugfs_init(edu);
	pci_info(pdev, "MSI on IRQ %u\n", edu->irq);
	return 0;

err_vectors:
	pci_free_irq_vectors(pdev);
err_master:
	pci_clear_master(pdev);
err_unmap:
	pci_iounmap(pdev, edu->bar);
err_regions:
	pci_release_regions(pdev);
err_disable:
	pci_disable_device(pdev);
err_free:
	kfree(edu);
err_busy:
	clear_bit(0, &edu_msi_busy);
	return ret;
}

static void edu_msi_remove(struct pci_dev *pdev)
{
	struct edu_msi *edu = pci_get_drvdata(pdev);

	/* Waits for a write to "fire" in progress: it uses the IRQ below. */
	debugfs_remove_recursive(edu->dir);
	free_irq(edu->irq, edu);
	/* Frees the IRTE: the checks look for it gone after rmmod. */
	pci_free_irq_vectors(pdev);
	pci_clear_master(pdev);
	pci_iounmap(pdev, edu->bar);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
	mutex_destroy(&edu->fire_lock);
	kfree(edu);
	clear_bit(0, &edu_msi_busy);
}

static const struct pci_device_id edu_msi_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};

/* No MODULE_DEVICE_TABLE: the test loads it, nothing should autoload it. */

static struct pci_driver edu_msi_driver = {
	.name = KBUILD_MODNAME,
	.id_table = edu_msi_ids,
	.probe = edu_msi_probe,
	.remove = edu_msi_remove,
};
module_pci_driver(edu_msi_driver);

MODULE_DESCRIPTION("QEMU edu as an MSI source for the amd-ga backport boot test");
MODULE_LICENSE("GPL");
