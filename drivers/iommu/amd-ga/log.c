// SPDX-License-Identifier: GPL-2.0-only
/*
 * Deferred messages (see log.h): formatted where they happen, under
 * whatever raw spinlock the caller holds, and printed by a work item.
 */
/* The stored texts carry the prefix of the file that made them. */
#define pr_fmt(fmt) fmt

#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "log.h"

#define AMD_GA_MSG_SLOTS	8
#define AMD_GA_MSG_LEN		200

/*
 * The ring of messages not printed yet; @amd_ga_msg_lock (raw, irqsave:
 * callers may have interrupts on or off) protects it and the count of
 * messages dropped because it was full.
 */
static DEFINE_RAW_SPINLOCK(amd_ga_msg_lock);
static char amd_ga_msg_ring[AMD_GA_MSG_SLOTS][AMD_GA_MSG_LEN];
static char amd_ga_msg_level[AMD_GA_MSG_SLOTS];
static unsigned int amd_ga_msg_head, amd_ga_msg_count, amd_ga_msg_dropped;

static void amd_ga_msg_work_fn(struct work_struct *work)
{
	char text[AMD_GA_MSG_LEN], level = 0;
	unsigned long flags;
	unsigned int dropped;
	bool more;

	do {
		raw_spin_lock_irqsave(&amd_ga_msg_lock, flags);
		more = amd_ga_msg_count;
		if (more) {
			memcpy(text, amd_ga_msg_ring[amd_ga_msg_head], sizeof(text));
			level = amd_ga_msg_level[amd_ga_msg_head];
			amd_ga_msg_head = (amd_ga_msg_head + 1) % AMD_GA_MSG_SLOTS;
			amd_ga_msg_count--;
		}
		dropped = amd_ga_msg_dropped;
		amd_ga_msg_dropped = 0;
		raw_spin_unlock_irqrestore(&amd_ga_msg_lock, flags);
		if (more && level == LOGLEVEL_ERR + '0')
			pr_err("%s", text);
		else if (more)
			pr_warn("%s", text);
		if (dropped)
			pr_warn("amd-ga: %u deferred messages dropped\n", dropped);
	} while (more);
}

static DECLARE_WORK(amd_ga_msg_work, amd_ga_msg_work_fn);

/**
 * amd_ga_msg_defer() - print a message later, from process context
 * @fmt: printk format, with its KERN_ level (KERN_ERR, else printed as
 *	KERN_WARNING)
 *
 * Context: any but NMI, also under raw spinlocks with interrupts off.
 */
void amd_ga_msg_defer(const char *fmt, ...)
{
	char text[AMD_GA_MSG_LEN], level;
	unsigned long flags;
	unsigned int slot;
	va_list args;

	level = printk_get_level(fmt);
	va_start(args, fmt);
	vscnprintf(text, sizeof(text), printk_skip_level(fmt), args);
	va_end(args);

	raw_spin_lock_irqsave(&amd_ga_msg_lock, flags);
	if (amd_ga_msg_count < AMD_GA_MSG_SLOTS) {
		slot = (amd_ga_msg_head + amd_ga_msg_count) % AMD_GA_MSG_SLOTS;
		strscpy(amd_ga_msg_ring[slot], text, AMD_GA_MSG_LEN);
		amd_ga_msg_level[slot] = level;
		amd_ga_msg_count++;
	} else {
		amd_ga_msg_dropped++;
	}
	raw_spin_unlock_irqrestore(&amd_ga_msg_lock, flags);
	queue_work(system_wq, &amd_ga_msg_work);
}

/**
 * amd_ga_msg_flush() - print every deferred message now
 *
 * Description: Called at module exit, so that the work never runs after
 * the module is gone.
 *
 * Context: process context, may sleep.
 */
void amd_ga_msg_flush(void)
{
	flush_work(&amd_ga_msg_work);
}
