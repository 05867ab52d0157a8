// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: GA log slot reuse. The GA Log Head register tells the IOMMU
 * which slots it may write again. A pass that writes it before it has
 * read and zeroed its entries hands the IOMMU slots whose entries are
 * still to be read: a new entry written there replaces one never read
 * (a lost wakeup), and the next drain finds the slot zeroed (torn) or
 * reads an entry a second time.
 *
 * Here the IOMMU (the model) writes new entries while a drain pass is
 * still scanning: from inside the GA log notifier, which the scan calls,
 * it fills the log up to the head the driver reported (until the model
 * refuses an entry as the log is full: tail + 1 == head). Every entry
 * carries a GATag of its own, so the drain coalesces none, and each must
 * reach the notifier exactly once. The GA interrupt is off and the case
 * runs the interrupt thread's loop itself, in its own thread: nothing
 * depends on timing, a broken order fails every run.
 */
#include <kunit/test.h>
#include <linux/amd-ga.h>
#include <linux/bitfield.h>

#include "galog.h"
#include "gatag.h"
#include "iommu.h"
#include "standin.h"

/* Entries written by one case, at most: a log and a half and then some. */
#define GR_MAX_TAGS	(3 * AMD_GA_GALOG_ENTRIES)
/*
 * Entry i carries GATag GR_TAG_BASE + i: valid tags (VM ID not 0) of VM
 * IDs no VM of the registry has, so recovery never calls one of them.
 */
#define GR_TAG_BASE	((u32)AMD_GA_GATAG_MAKE(0xffff0, 0))
/* Loops of the interrupt thread until Status is quiet, at most. */
#define GR_ROUNDS	4
/* Lost or doubled entries named in the log, at most. */
#define GR_REPORT	4

/**
 * struct gr_case - where the log stands when the drain begins
 * @name: description
 * @start: slot of the first entry of the batch (the head)
 * @batch: entries in the log when the drain begins
 * @budget: entries per drain pass
 * @trigger: the batch entry whose notifier call fills the log; never the
 *	last of its pass, so that entries of that pass are still unread
 */
struct gr_case {
	const char *name;
	unsigned int start;
	unsigned int batch;
	unsigned int budget;
	unsigned int trigger;
};

static const struct gr_case gr_cases[] = {
	{ "one pass from slot 0", 0, 32, AMD_GA_GALOG_BUDGET, 0 },
	{ "one pass across the end of the ring", 500, 32, AMD_GA_GALOG_BUDGET, 3 },
	{ "fourth pass of 8", 0, 64, 8, 25 },
};

static void gr_desc(const struct gr_case *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(gr, gr_cases, gr_desc);

/**
 * struct gr_ctx - the running case (the notifier takes no argument)
 * @h: model, GA log and a VM
 * @iommu: the model's IOMMU
 * @ntags: entries written so far; entry i carries GR_TAG_BASE + i
 * @slot: the slot entry i was written to
 * @calls: notifier calls for the tag of entry i
 * @unknown: notifier calls for tags of no entry of the case (recovery,
 *	a route-change kick of another case: possibly another thread)
 * @trigger: tag whose first call fills the log
 * @unread: entries of the batch after the trigger's, not read by then
 * @fired: the log was filled
 * @head_seen: GA Log Head register then: what the driver reported
 * @tail_seen: GA Log Tail register then, before the first new entry
 * @filled: entries the model took then
 * @refused: what the injection that ended the fill returned
 *
 * Written by the notifier, which runs in the case's own thread for every
 * GA log entry (the case drives the drain), and read by the case after
 * the drain.
 */
struct gr_ctx {
	struct standin_host *h;
	struct amd_ga_iommu *iommu;
	unsigned int ntags;
	u16 slot[GR_MAX_TAGS];
	unsigned int calls[GR_MAX_TAGS];
	atomic_t unknown;
	u32 trigger;
	unsigned int unread;
	bool fired;
	u32 head_seen;
	u32 tail_seen;
	unsigned int filled;
	int refused;
};

static struct gr_ctx *gr_current;

static u32 gr_reg(struct gr_ctx *c, u32 off)
{
	return amd_ga_read(c->iommu, off) & AMD_GA_GALOG_PTR &
	       (AMD_GA_GALOG_BYTES - 1);
}

/* The IOMMU writes the next entry of the case. Return: 0 or the refusal. */
static int gr_inject(struct gr_ctx *c)
{
	u32 tail = gr_reg(c, AMD_GA_MMIO_GALOG_TAIL);
	u64 entry;
	int ret;

	if (c->ntags >= GR_MAX_TAGS)
		return -E2BIG;
	entry = FIELD_PREP(AMD_GA_GALOG_ENT_GATAG, GR_TAG_BASE + c->ntags) |
		FIELD_PREP(AMD_GA_GALOG_ENT_DEVID, 0x42) |
		FIELD_PREP(AMD_GA_GALOG_ENT_CODE, AMD_GA_GALOG_CODE_GUEST_NR);
	ret = amd_ga_model_galog_inject(c->h->env.model, entry);
	if (!ret)
		c->slot[c->ntags++] = tail / AMD_GA_GALOG_ENTRY_SIZE;
	return ret;
}

/*
 * In the middle of a pass: the IOMMU writes new entries into every slot
 * the Head register gives it, until the log is full. An injection the
 * model refuses is not an entry. No KUnit assertion here: the drain
 * holds its lock and an RCU read-side section around this call.
 */
static void gr_fill(struct gr_ctx *c)
{
	int ret;

	c->fired = true;
	c->head_seen = gr_reg(c, AMD_GA_MMIO_GALOG_HEAD);
	c->tail_seen = gr_reg(c, AMD_GA_MMIO_GALOG_TAIL);
	while (!(ret = gr_inject(c)))
		c->filled++;
	c->refused = ret;
}

static int gr_notifier(u32 ga_tag)
{
	struct gr_ctx *c = READ_ONCE(gr_current);
	u32 i = ga_tag - GR_TAG_BASE;

	if (!c)
		return -ENOENT;
	if (ga_tag < GR_TAG_BASE || i >= c->ntags) {
		atomic_inc(&c->unknown);
		return -ENOENT;
	}
	c->calls[i]++;
	if (ga_tag == c->trigger && !c->fired)
		gr_fill(c);
	return 0;
}

/* The interrupt thread's loop, run here, until Status is quiet. */
static void gr_process(struct kunit *test, struct gr_ctx *c)
{
	struct amd_ga_galog *gl = c->iommu->galog;
	unsigned int r;

	for (r = 0; r < GR_ROUNDS; r++) {
		amd_ga_galog_process(gl);
		if (!(amd_ga_read(c->iommu, AMD_GA_MMIO_STATUS) &
		      (AMD_GA_STATUS_GALOG_INT | AMD_GA_STATUS_GALOG_OVERFLOW)))
			break;
	}
	KUNIT_EXPECT_TRUE_MSG(test, standin_galog_drained(c->h, 0), "%s",
			      c->h->lost);
}

/* Entry @i's tag did not reach the notifier exactly once. */
static void gr_report(struct kunit *test, struct gr_ctx *c, unsigned int i,
		      unsigned int *named)
{
	if ((*named)++ >= GR_REPORT)
		return;
	kunit_info(test, "GATag %#x (entry %u, written to slot %u) reached the notifier %u times\n",
		   GR_TAG_BASE + i, i, c->slot[i], c->calls[i]);
}

static void galog_reuse_while_scanning(struct kunit *test)
{
	const struct gr_case *p = test->param_value;
	struct amd_ga_stats *s;
	unsigned int i, lost = 0, doubled = 0, named = 0, free, held;
	struct standin_host *h;
	struct gr_ctx *c;
	u64 e, left = 0;

	h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_EQ(test, standin_init(h, 1, 1, false), 0);
	test->priv = h;
	c->h = h;
	c->iommu = h->env.iommu;
	s = &c->iommu->stats;
	KUNIT_ASSERT_NOT_NULL(test, c->iommu->galog);

	/* No GA interrupt: only this thread drains, in a fixed order. */
	amd_ga_ctrl_update(c->iommu, AMD_GA_CTRL_GAINT_EN, 0);
	WRITE_ONCE(gr_current, c);
	amd_ga_register_ga_log_notifier(gr_notifier);

	/* The head moves to the batch's first slot. */
	for (i = 0; i < p->start; i++)
		KUNIT_ASSERT_EQ(test, gr_inject(c), 0);
	gr_process(test, c);
	KUNIT_ASSERT_EQ(test, gr_reg(c, AMD_GA_MMIO_GALOG_HEAD),
			p->start * AMD_GA_GALOG_ENTRY_SIZE);

	amd_ga_galog_set_budget(c->iommu->galog, p->budget);
	c->trigger = GR_TAG_BASE + c->ntags + p->trigger;
	c->unread = p->batch - p->trigger - 1;
	for (i = 0; i < p->batch; i++)
		KUNIT_ASSERT_EQ(test, gr_inject(c), 0);
	gr_process(test, c);
	amd_ga_register_ga_log_notifier(NULL);
	WRITE_ONCE(gr_current, NULL);

	KUNIT_ASSERT_TRUE_MSG(test, c->fired, "the notifier never saw GATag %#x",
			      c->trigger);
	/*
	 * The driver reported the head while entries after the trigger's
	 * were still unread: they must lie between that head and the tail,
	 * where the IOMMU does not write.
	 */
	held = ((c->tail_seen - c->head_seen) & (AMD_GA_GALOG_BYTES - 1)) /
	       AMD_GA_GALOG_ENTRY_SIZE;
	KUNIT_EXPECT_GE_MSG(test, held, c->unread,
			    "GA Log Head %#x written while %u entries up to the tail %#x were unread: the IOMMU may write over them",
			    c->head_seen, c->unread, c->tail_seen);
	/* The model took every slot the head gave it, and then no more. */
	free = ((c->head_seen - c->tail_seen - AMD_GA_GALOG_ENTRY_SIZE) &
		(AMD_GA_GALOG_BYTES - 1)) / AMD_GA_GALOG_ENTRY_SIZE;
	KUNIT_EXPECT_EQ(test, c->filled, free);
	KUNIT_EXPECT_EQ(test, c->refused, -ENOSPC);

	/* Every entry written reached the notifier exactly once. */
	for (i = 0; i < c->ntags; i++) {
		if (c->calls[i] == 1)
			continue;
		if (c->calls[i])
			doubled++;
		else
			lost++;
		gr_report(test, c, i, &named);
	}
	kunit_info(test, "head %#x tail %#x at the trigger; %u entries, %u of them written during the pass; %u lost, %u read twice or more; %u calls for other tags\n",
		   c->head_seen, c->tail_seen, c->ntags, c->filled, lost,
		   doubled, atomic_read(&c->unknown));
	KUNIT_EXPECT_EQ_MSG(test, lost, 0U,
			    "GA log entries never handed to the notifier: lost wakeups");
	KUNIT_EXPECT_EQ_MSG(test, doubled, 0U,
			    "GA log entries handed to the notifier twice");

	/* The driver's counts agree: no torn slot, nothing coalesced. */
	KUNIT_EXPECT_EQ(test, atomic64_read(&s->galog_entries), (s64)c->ntags);
	KUNIT_EXPECT_EQ(test, atomic64_read(&s->galog_wakes), (s64)c->ntags);
	KUNIT_EXPECT_EQ(test, atomic64_read(&s->galog_coalesced), 0LL);
	KUNIT_EXPECT_EQ(test, atomic64_read(&s->galog_torn), 0LL);
	KUNIT_EXPECT_EQ(test, atomic64_read(&s->galog_stale_tags), 0LL);
	KUNIT_EXPECT_EQ(test, atomic64_read(&s->galog_overflows), 1LL);
	/* Every slot read was zeroed: the log is empty again. */
	for (i = 0; i < AMD_GA_GALOG_ENTRIES; i++) {
		e = READ_ONCE(c->iommu->galog->buf[i]);
		if (e && !left++)
			kunit_info(test, "slot %u still holds %#llx\n", i, e);
	}
	KUNIT_EXPECT_EQ(test, left, 0ULL);
}

static void gr_exit(struct kunit *test)
{
	struct standin_host *h = test->priv;

	amd_ga_register_ga_log_notifier(NULL);
	WRITE_ONCE(gr_current, NULL);
	if (h)
		standin_exit(h);
}

static struct kunit_case amd_ga_galog_reuse_cases[] = {
	KUNIT_CASE_PARAM(galog_reuse_while_scanning, gr_gen_params),
	{}
};

static struct kunit_suite amd_ga_galog_reuse_suite = {
	.name = "amd_ga_galog_reuse",
	.exit = gr_exit,
	.test_cases = amd_ga_galog_reuse_cases,
};

kunit_test_suite(amd_ga_galog_reuse_suite);
