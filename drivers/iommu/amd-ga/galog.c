// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GA log engine.
 *
 * The IOMMU appends {GATag, DeviceID, event code} entries when a
 * guest-mode interrupt arrives for a vCPU that is not running, and raises
 * the GA interrupt. The threaded handler clears GAInt and GALOverflow
 * first, drains head to tail in bounded passes (one head write per pass,
 * a reschedule point between passes), hands each tag to the consumer
 * once per drain, and re-reads Status until it is quiet, so that nothing
 * appended while it ran is left behind. Each round of that loop drains
 * at most up to the tail it read (511 entries) and ends in a reschedule
 * point: a steady trickle of entries keeps the thread looping, but never
 * keeps it from giving up the CPU.
 *
 * The engine knows no VM or vCPU: it is given a consumer (galog.h, "the
 * GA log's consumer interface"), a wake function for a tag and a recover
 * function, and calls nothing above it by name.
 *
 * Hardware drops entries when the log is full. After an overflow the log
 * is restarted once GALogRun reads 0, and the consumer wakes every
 * blocked vCPU with a pending posted vector (lossless recovery): a
 * dropped entry never becomes a lost wakeup. Torn slots trigger the same
 * recovery, whoever drained them.
 *
 * The IOMMU writes the log and the tail slot until GALogRun reads 0 after
 * GALogEn was cleared, so nothing is reprogrammed or freed before that:
 * not at enable (a log left running by the previous kernel), not at
 * disable (a log that never stops is leaked instead). Disable first makes
 * sure that no overflow restart can set GALogEn again.
 */
#define pr_fmt(fmt) "amd-ga: " fmt

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/kmemleak.h>
#include <linux/mem_encrypt.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/static_call.h>

#include "compat.h"
#include "export.h"
#include "galog.h"
#include "gatag.h"
#include "iommu.h"
#include "trace.h"

/* GALogRun after GALogEn is set or cleared: hardware takes well under this. */
#define AMD_GA_GALOG_RUN_TIMEOUT_US	100000
#define AMD_GA_GALOG_RUN_TIMEOUT_MS	(AMD_GA_GALOG_RUN_TIMEOUT_US / 1000)
/* A slot between head and tail that is still zero gets this long. */
#define AMD_GA_GALOG_SLOT_WAIT_US	100

/* What the wake static call runs while no consumer is set. */
static int amd_ga_galog_no_consumer(u32 ga_tag)
{
	return -ENODEV;
}

/*
 * The consumer's wake function: the drain calls it through this static
 * call, a direct call patched by amd_ga_galog_set_wake(), instead of an
 * indirect one (a retpoline on most x86 machines) per entry. It always
 * names the consumer's function or amd_ga_galog_no_consumer(), and is the
 * only place the consumer's function is stored.
 */
DEFINE_STATIC_CALL(amd_ga_galog_wake_call, amd_ga_galog_no_consumer);

/* Serialises amd_ga_galog_set_wake(): one static call update at a time. */
static DEFINE_MUTEX(amd_ga_galog_wake_lock);

/*
 * The consumer's recover function, or NULL. It may sleep, so RCU cannot
 * keep it from being replaced mid-call: the mutex is held across each
 * call and by amd_ga_galog_set_recover(). Taken under a GA log's
 * drain_lock; recoveries of several IOMMUs take turns.
 */
static DEFINE_MUTEX(amd_ga_galog_recover_lock);
static amd_ga_galog_recover_fn amd_ga_galog_recover_hook;

/**
 * amd_ga_galog_set_wake() - give the GA log its consumer's wake function
 * @fn: the function (see &typedef amd_ga_galog_wake_fn); NULL for none
 *
 * Applies to the GA logs of every IOMMU. Setting another function (NULL
 * included) returns only when no call of the previous one is in flight,
 * so its code and data may go once this returns.
 *
 * Context: process context, may sleep (patches the static call, waits
 * for an RCU grace period); not from the wake function.
 */
void amd_ga_galog_set_wake(amd_ga_galog_wake_fn fn)
{
	amd_ga_galog_wake_fn old;

	if (!fn)
		fn = amd_ga_galog_no_consumer;
	mutex_lock(&amd_ga_galog_wake_lock);
	old = amd_ga_static_call_query(amd_ga_galog_wake_call);
	static_call_update(amd_ga_galog_wake_call, fn);
	mutex_unlock(&amd_ga_galog_wake_lock);
	/* Every call goes through it under rcu_read_lock(). */
	if (old != fn && old != amd_ga_galog_no_consumer)
		synchronize_rcu();
}

/**
 * amd_ga_galog_has_wake() - whether a consumer's wake function is set
 *
 * Context: any. A function replaced meanwhile may still be running: it
 * is amd_ga_galog_set_wake() that waits for it.
 * Return: true if a wake function is set.
 */
bool amd_ga_galog_has_wake(void)
{
	return amd_ga_static_call_query(amd_ga_galog_wake_call) !=
	       amd_ga_galog_no_consumer;
}

/**
 * amd_ga_galog_wake_tag() - hand one GATag to the consumer's wake function
 * @ga_tag: the tag
 *
 * For tags that come from elsewhere than a drain: recovery, route-change
 * kicks. The call is made as the drain makes it.
 *
 * Context: under rcu_read_lock() (amd_ga_galog_set_wake() waits for it);
 * does not sleep.
 * Return: what the wake function returned; -ERANGE for a tag outside the
 * layout (VM ID 0 is never allocated), which is not handed on; -ENODEV
 * when no wake function is set.
 */
int amd_ga_galog_wake_tag(u32 ga_tag)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_held(),
			 "GA log consumer called outside RCU");
	if (!amd_ga_gatag_in_layout(ga_tag))
		return -ERANGE;
	return static_call(amd_ga_galog_wake_call)(ga_tag);
}

/**
 * amd_ga_galog_set_recover() - give the GA log its consumer's recover function
 * @fn: the function (see &typedef amd_ga_galog_recover_fn); NULL for none
 *
 * Applies to the GA logs of every IOMMU. Returns only when no call of the
 * previous function is in flight.
 *
 * Context: process context, may sleep; not from the recover function.
 */
void amd_ga_galog_set_recover(amd_ga_galog_recover_fn fn)
{
	mutex_lock(&amd_ga_galog_recover_lock);
	amd_ga_galog_recover_hook = fn;
	mutex_unlock(&amd_ga_galog_recover_lock);
}

static bool amd_ga_galog_wait_run(struct amd_ga_galog *gl, bool run)
{
	u64 want = run ? AMD_GA_STATUS_GALOG_RUN : 0;
	u64 status;

	return !read_poll_timeout(amd_ga_read, status,
				  (status & AMD_GA_STATUS_GALOG_RUN) == want,
				  10, AMD_GA_GALOG_RUN_TIMEOUT_US, false,
				  gl->iommu, AMD_GA_MMIO_STATUS);
}

/*
 * The tail said an entry is there but the slot is still zero: the write
 * is not visible yet. Wait a little, then give up on it (and recover).
 */
static u64 amd_ga_galog_wait_slot(u64 *slot)
{
	unsigned int i;
	u64 e;

	for (i = 0; i < AMD_GA_GALOG_SLOT_WAIT_US; i++) {
		udelay(1);
		e = READ_ONCE(*slot);
		if (e)
			return e;
	}
	return 0;
}

/*
 * Counts of one drain, added to the IOMMU's counters once at its end
 * (atomics are not free).
 */
struct amd_ga_galog_counts {
	unsigned int batches;
	unsigned int max_batch;
	unsigned int entries;
	unsigned int wakes;
	unsigned int bad_code;
	unsigned int stale;
	unsigned int torn;
	unsigned int unclaimed;
};

static void amd_ga_galog_account(struct amd_ga_iommu *iommu,
				 const struct amd_ga_galog_counts *p)
{
	struct amd_ga_stats *s = &iommu->stats;
	/* Every other entry was a valid one coalesced into a wake. */
	unsigned int coalesced = p->entries - p->wakes - p->stale -
				 p->bad_code - p->torn - p->unclaimed;

	if (!p->batches)
		return;
	atomic64_add(p->entries, &s->galog_entries);
	atomic64_add(p->batches, &s->galog_batches);
	if (p->max_batch > atomic64_read(&s->galog_max_batch))
		atomic64_set(&s->galog_max_batch, p->max_batch);
	if (p->wakes)
		atomic64_add(p->wakes, &s->galog_wakes);
	if (coalesced)
		atomic64_add(coalesced, &s->galog_coalesced);
	if (p->bad_code)
		atomic64_add(p->bad_code, &s->galog_bad_code);
	if (p->stale)
		atomic64_add(p->stale, &s->galog_stale_tags);
	if (p->torn)
		atomic64_add(p->torn, &s->galog_torn);
	if (p->unclaimed)
		atomic64_add(p->unclaimed, &s->galog_unclaimed);
}

static void amd_ga_galog_stale(struct amd_ga_galog *gl, u64 e,
			       struct amd_ga_galog_counts *p)
{
	p->stale++;
	pr_info_ratelimited("%s: GA log entry for unknown GATag %#llx (device %#llx) skipped\n",
			    gl->iommu->name, FIELD_GET(AMD_GA_GALOG_ENT_GATAG, e),
			    FIELD_GET(AMD_GA_GALOG_ENT_DEVID, e));
}

/* Everything but a valid entry with a consumer to wake: count and report. */
static noinline void amd_ga_galog_odd_entry(struct amd_ga_galog *gl, u64 e,
					    struct amd_ga_galog_counts *p)
{
	u32 code = FIELD_GET(AMD_GA_GALOG_ENT_CODE, e);
	enum amd_ga_miss_reason why;

	if (!e) {
		why = AMD_GA_MISS_TORN;
		p->torn++;
	} else if (code != AMD_GA_GALOG_CODE_GUEST_NR) {
		why = AMD_GA_MISS_BAD_CODE;
		p->bad_code++;
		pr_warn_ratelimited("%s: GA log entry %#llx with event code %u skipped\n",
				    gl->iommu->name, e, code);
	} else if (!amd_ga_gatag_in_layout(FIELD_GET(AMD_GA_GALOG_ENT_GATAG, e))) {
		why = AMD_GA_MISS_BAD_TAG;
		amd_ga_galog_stale(gl, e, p);
	} else {
		why = AMD_GA_MISS_NO_NOTIFIER;
		p->unclaimed++;
	}
	trace_amd_ga_dispatch_miss(gl->iommu, FIELD_GET(AMD_GA_GALOG_ENT_GATAG, e),
				   FIELD_GET(AMD_GA_GALOG_ENT_DEVID, e), code,
				   why);
}

/*
 * The consumer did not wake the tag's vCPU: it went away during the pass
 * (the entry is unclaimed) or the tag is stale (counted and reported).
 * Neither is remembered by the filter.
 */
static noinline void amd_ga_galog_not_woken(struct amd_ga_galog *gl, u64 e,
					    int ret, struct amd_ga_galog_counts *p)
{
	if (ret == -ENODEV && !amd_ga_galog_has_wake()) {
		amd_ga_galog_odd_entry(gl, e, p);
		return;
	}
	trace_amd_ga_dispatch_miss(gl->iommu, FIELD_GET(AMD_GA_GALOG_ENT_GATAG, e),
				   FIELD_GET(AMD_GA_GALOG_ENT_DEVID, e),
				   AMD_GA_GALOG_CODE_GUEST_NR,
				   AMD_GA_MISS_STALE_TAG);
	amd_ga_galog_stale(gl, e, p);
}

/*
 * Non-zero unless @e is a valid entry: event code 1 and a tag inside the
 * layout (VM ID not 0). A value, so that callers can OR in tests of
 * their own and branch once; a slot not written yet (zero) fails it too.
 */
static inline u64 amd_ga_galog_entry_bad(u64 e)
{
	u64 bad_code = FIELD_GET(AMD_GA_GALOG_ENT_CODE, e) ^ AMD_GA_GALOG_CODE_GUEST_NR;
	u64 no_vm = FIELD_GET(AMD_GA_GALOG_ENT_GATAG, e) < BIT(AMD_GA_GATAG_VCPU_BITS);

	return bad_code | no_vm;
}

/*
 * Hand a valid entry's tag to the consumer and, if it woke the tag's
 * vCPU, remember the tag in @free (a free slot of the filter; NULL
 * remembers nothing). The static call names the consumer's wake function
 * (a direct call, no retpoline); the pass's RCU section covers the call,
 * which is what amd_ga_galog_set_wake() waits for.
 */
static __always_inline void amd_ga_galog_wake(struct amd_ga_galog *gl, u64 e,
					      u64 *free,
					      struct amd_ga_galog_counts *p)
{
	u32 tag = FIELD_GET(AMD_GA_GALOG_ENT_GATAG, e);
	int ret;

	ret = static_call(amd_ga_galog_wake_call)(tag);
	if (unlikely(ret)) {
		amd_ga_galog_not_woken(gl, e, ret, p);
		return;
	}
	amd_ga_tag_filter_add(&gl->woken, free, tag);
	p->wakes++;
	trace_amd_ga_galog_entry(gl->iommu, tag, tag >> AMD_GA_GATAG_VCPU_BITS,
				 tag & AMD_GA_GATAG_VCPU_MASK,
				 FIELD_GET(AMD_GA_GALOG_ENT_DEVID, e));
}

/*
 * Everything the scan's two fast paths leave: a valid entry whose tag
 * does not have its home slot of the filter to itself (looked up in
 * full), a slot still zero (wait for it), an entry that is not valid,
 * or no consumer (@consumer false). A slot that stays zero is left alone:
 * zeroing it could overwrite the IOMMU's late write.
 */
static noinline void amd_ga_galog_slow_slot(struct amd_ga_galog *gl, u64 *slot,
					    bool consumer,
					    struct amd_ga_galog_counts *p)
{
	u64 e = READ_ONCE(*slot), *free;

	if (!e)
		e = amd_ga_galog_wait_slot(slot);
	if (e)
		WRITE_ONCE(*slot, 0);
	if (amd_ga_galog_entry_bad(e) || !consumer)
		amd_ga_galog_odd_entry(gl, e, p);
	else if (!amd_ga_tag_filter_find(&gl->woken,
					 FIELD_GET(AMD_GA_GALOG_ENT_GATAG, e), &free))
		amd_ga_galog_wake(gl, e, free, p);
}

/*
 * Consume @n slots from @slot on, without wrapping, zeroing each one
 * read (so that a slot that reads zero later was not written by the
 * IOMMU). Whatever is not coalesced is counted in @p.
 *
 * A storm is made of two kinds of entry, and each is recognised with one
 * branch: the coalesced entry (event code 1, its tag woken already by
 * this drain and sitting in its home slot of the filter) costs a load, a
 * hash, the home slot's load and the zeroing store; a tag's first entry
 * of the drain (valid, its home slot free) costs that and the consumer's
 * wake call, and the tag takes its home slot. Only a tag woken already
 * can be in the filter, so the first kind is valid. With no consumer set
 * the static call returns -ENODEV and the entry is counted unclaimed, as
 * amd_ga_galog_slow_slot() counts it. Everything else goes there.
 */
static void amd_ga_galog_scan(struct amd_ga_galog *gl, u64 *slot,
			      unsigned int n, bool consumer,
			      struct amd_ga_galog_counts *p)
{
	struct amd_ga_tag_filter *woken = &gl->woken;
	u64 stamp = amd_ga_tag_filter_stamp(woken);
	u64 *stop = slot + n, *home, e, h;
	u32 tag;

	for (; slot != stop; slot++) {
		e = READ_ONCE(*slot);
		tag = FIELD_GET(AMD_GA_GALOG_ENT_GATAG, e);
		home = amd_ga_tag_filter_home_slot(woken, tag);
		h = *home;
		if (likely(!((FIELD_GET(AMD_GA_GALOG_ENT_CODE, e) ^ AMD_GA_GALOG_CODE_GUEST_NR) |
			     amd_ga_tag_filter_slot_miss(h, stamp, tag)))) {
			WRITE_ONCE(*slot, 0);
			continue;
		}
		if (likely(!(amd_ga_galog_entry_bad(e) |
			     amd_ga_tag_filter_slot_used(h, stamp)))) {
			WRITE_ONCE(*slot, 0);
			amd_ga_galog_wake(gl, e, home, p);
			continue;
		}
		amd_ga_galog_slow_slot(gl, slot, consumer, p);
	}
}

/*
 * One bounded pass: at most @budget entries from the head towards @tail,
 * then one head write. Its counts are added to @p, the drain's.
 */
static unsigned int amd_ga_galog_pass(struct amd_ga_galog *gl, u32 tail,
				      unsigned int budget,
				      struct amd_ga_galog_counts *p)
{
	struct amd_ga_iommu *iommu = gl->iommu;
	u32 first = gl->head / AMD_GA_GALOG_ENTRY_SIZE;
	unsigned int n, run, torn = p->torn;
	bool consumer;
	u32 head;

	n = ((tail - gl->head) & (AMD_GA_GALOG_BYTES - 1)) /
	    AMD_GA_GALOG_ENTRY_SIZE;
	n = min(n, budget);
	if (!n)
		return 0;

	/* One read-side section per pass covers every wake call in it. */
	rcu_read_lock();
	consumer = amd_ga_galog_has_wake();
	run = min(n, AMD_GA_GALOG_ENTRIES - first);
	amd_ga_galog_scan(gl, &gl->buf[first], run, consumer, p);
	if (n > run)
		amd_ga_galog_scan(gl, gl->buf, n - run, consumer, p);
	rcu_read_unlock();

	p->batches++;
	p->max_batch = max(p->max_batch, n);
	p->entries += n;
	/* The zeroed slots are in memory before the IOMMU may reuse them. */
	wmb();
	head = (gl->head + n * AMD_GA_GALOG_ENTRY_SIZE) & (AMD_GA_GALOG_BYTES - 1);
	amd_ga_write(iommu, AMD_GA_MMIO_GALOG_HEAD, head);
	gl->head = head;
	trace_amd_ga_galog_batch(iommu, n, head, tail);
	torn = p->torn - torn;
	if (torn) {
		gl->needs_recovery = true;
		pr_warn_ratelimited("%s: %u GA log slots between head and tail stayed empty\n",
				    iommu->name, torn);
	}
	return n;
}

/*
 * The log was reprogrammed at head = tail = 0 since the last drain
 * (amd_ga_galog_resume()): start from the top, and make up for the
 * entries the IOMMU wrote before it lost its registers and nobody
 * consumed (recovery wakes every blocked vCPU with a pending vector).
 */
static void amd_ga_galog_catch_up(struct amd_ga_galog *gl)
{
	unsigned int resets = atomic_read(&gl->resets);

	lockdep_assert_held(&gl->drain_lock);
	if (resets == gl->resets_seen)
		return;
	gl->resets_seen = resets;
	gl->head = 0;
	gl->needs_recovery = true;
}

/*
 * Drain from the head to the tail read here, in passes of at most the
 * budget with a reschedule point between them.
 *
 * The consumer is called once per distinct GATag of the drain, not once
 * per entry: an entry whose tag this drain has already woken is only
 * counted (coalesced). That loses no wakeup. The IOMMU sets the vector in
 * the vCPU's IRR before it writes the entry, and writes the entry before
 * it moves the tail; the tail was read (then dma_rmb()) before any entry
 * up to it was read and before any wake call of this drain. So every
 * call for a tag, in whichever pass, comes after the vectors behind all
 * of that tag's entries up to the tail are in that vCPU's IRR, and a
 * woken vCPU re-checks its whole IRR before it blocks again (KVM's block
 * path does, and so must any consumer). A second call could only wake it
 * again for vectors it sees anyway. Anything posted after the tail read
 * lies beyond it and is left to the next drain, with a filter that
 * starts empty.
 *
 * The filter of woken tags (tag_filter.h) is exact: an entry is skipped
 * only when this drain handed exactly its tag to the consumer already,
 * and a tag the filter cannot place costs a redundant call, never a
 * skipped one. Only tags the consumer woke are remembered, so every stale
 * entry is still counted and reported on its own.
 */
static unsigned int amd_ga_galog_drain_all(struct amd_ga_galog *gl)
{
	struct amd_ga_galog_counts c = {};
	unsigned int n = 0;
	u32 tail;

	lockdep_assert_held(&gl->drain_lock);
	amd_ga_galog_catch_up(gl);
	tail = amd_ga_read(gl->iommu, AMD_GA_MMIO_GALOG_TAIL) &
	       AMD_GA_GALOG_PTR & (AMD_GA_GALOG_BYTES - 1);
	/* Entries before the tail are visible once the tail is. */
	dma_rmb();
	amd_ga_tag_filter_next_gen(&gl->woken);
	while (gl->head != tail) {
		n += amd_ga_galog_pass(gl, tail, READ_ONCE(gl->budget), &c);
		/* A guest flooding interrupts must not starve the host. */
		if (gl->head != tail)
			cond_resched();
	}
	amd_ga_galog_account(gl->iommu, &c);
	return n;
}

/*
 * The restart sequence after an overflow (reference 5): wait for
 * GALogRun = 0, clear GALogEn, clear GALOverflow, set GALogEn again
 * (GAIntEn stays set). Nothing once amd_ga_galog_disable() has begun:
 * @enable_lock orders the two GALogEn writes against its clear, so that
 * the log cannot come back on behind it.
 *
 * A log that still reports GALogRun = 1 after the bounded wait is left
 * exactly as it is. Either it is still running, and needs no restart, or
 * it is wedged: then toggling GALogEn breaks the specification's order
 * (the IOMMU may miss the 0 -> 1 edge, or restart mid-write with a
 * stale tail) and cannot be known to help. The caller's lossless
 * recovery still wakes every blocked vCPU with a pending vector; only
 * later posts may go unlogged, which the message says.
 */
static void amd_ga_galog_restart(struct amd_ga_galog *gl)
{
	struct amd_ga_iommu *iommu = gl->iommu;
	int err = 0;

	lockdep_assert_held(&gl->drain_lock);
	if (READ_ONCE(gl->stopping))
		return;
	if (!amd_ga_galog_wait_run(gl, false)) {
		atomic64_inc(&iommu->stats.galog_run_stuck);
		pr_warn_ratelimited("%s: GA log overflow: GALogRun still 1 after %u ms, log not restarted; later posts to blocked vCPUs may not be logged\n",
				    iommu->name, AMD_GA_GALOG_RUN_TIMEOUT_MS);
		trace_amd_ga_galog_restart(iommu, -ETIMEDOUT);
		return;
	}
	mutex_lock(&gl->enable_lock);
	if (gl->stopping) {
		mutex_unlock(&gl->enable_lock);
		return;
	}
	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_GALOG_EN, 0);
	amd_ga_write(iommu, AMD_GA_MMIO_STATUS, AMD_GA_STATUS_GALOG_OVERFLOW);
	amd_ga_ctrl_update(iommu, 0, AMD_GA_CTRL_GALOG_EN);
	mutex_unlock(&gl->enable_lock);
	atomic64_inc(&iommu->stats.galog_restarts);
	/* A disable that cleared GALogEn meanwhile is no failure. */
	if (gl->run_seen && !amd_ga_galog_wait_run(gl, true) &&
	    !READ_ONCE(gl->stopping)) {
		err = -ETIMEDOUT;
		pr_warn_ratelimited("%s: GA log did not restart (GALogRun stays 0)\n",
				    iommu->name);
	}
	trace_amd_ga_galog_restart(iommu, err);
}

/*
 * Lossless recovery, if a drain lost entries (an overflow, torn slots):
 * the consumer's recover function hands every blocked vCPU with a
 * pending posted vector to its wake function. Runs before the drain lock
 * is dropped, whoever drained, so that no lost entry waits for a later
 * interrupt to be made up for. Without a consumer it is counted, but
 * there is nobody to wake.
 */
static void amd_ga_galog_recover(struct amd_ga_galog *gl)
{
	struct amd_ga_iommu *iommu = gl->iommu;
	unsigned int checked = 0, woken = 0;

	lockdep_assert_held(&gl->drain_lock);
	if (!gl->needs_recovery)
		return;
	gl->needs_recovery = false;
	if (!READ_ONCE(gl->recovery))
		return;
	mutex_lock(&amd_ga_galog_recover_lock);
	if (amd_ga_galog_recover_hook)
		woken = amd_ga_galog_recover_hook(&checked);
	mutex_unlock(&amd_ga_galog_recover_lock);
	trace_amd_ga_galog_recovery(iommu, checked, woken);
	atomic64_inc(&iommu->stats.galog_recoveries);
	atomic64_add(woken, &iommu->stats.galog_recovery_wakes);
}

/* One round of the interrupt thread's loop took @ns. */
static void amd_ga_galog_round_done(struct amd_ga_iommu *iommu, u64 ns)
{
	struct amd_ga_stats *s = &iommu->stats;

	atomic64_inc(&s->galog_rounds);
	if ((s64)ns > atomic64_read(&s->galog_max_round_ns))
		atomic64_set(&s->galog_max_round_ns, ns);
}

/**
 * amd_ga_galog_process() - what the GA interrupt thread does
 * @gl: the GA log
 *
 * Clear GAInt and GALOverflow, drain, restart and recover after an
 * overflow, and repeat while Status shows either bit: an entry written
 * after the clear sets GAInt again and is picked up by the next round,
 * and a quiet re-check ends the loop without another drain.
 *
 * The loop does not hand a GAInt seen at the re-check to a new
 * interrupt: clearing it may not raise one (upstream's handler loops for
 * the same reason, AMD erratum ERBT1312). So a steady trickle of entries
 * keeps it going; each round is bounded (one drain up to the tail read
 * in it, at most 511 entries, plus the bounded restart and the recovery)
 * and is followed by a reschedule point. Without one, the SCHED_FIFO
 * thread would hold its CPU for as long as the trickle lasts on a kernel
 * without forced preemption: no higher-priority thread (the watchdog's
 * stopper: soft lockup), no RT throttling, no RCU quiescent state where
 * only a context switch reports one. Rounds and the longest one are
 * counted (galog_rounds, galog_max_round_ns). Once amd_ga_galog_disable()
 * has begun, the round in progress is the last: disable waits for this
 * thread, and an IOMMU slow to stop could otherwise keep it going.
 *
 * Context: process context, may sleep; takes @gl->drain_lock.
 */
void amd_ga_galog_process(struct amd_ga_galog *gl)
{
	struct amd_ga_iommu *iommu = gl->iommu;
	bool first = true;
	u64 pend, start;

	mutex_lock(&gl->drain_lock);
	do {
		start = local_clock();
		pend = amd_ga_read(iommu, AMD_GA_MMIO_STATUS) &
		       (AMD_GA_STATUS_GALOG_INT | AMD_GA_STATUS_GALOG_OVERFLOW);
		if (pend)
			amd_ga_write(iommu, AMD_GA_MMIO_STATUS, pend);
		/*
		 * A quiet re-check ends the loop without a drain: the last
		 * drain read the tail after the last clear, and an entry
		 * written since would have set GAInt again. The first round
		 * drains even when quiet (a shared or spurious interrupt).
		 */
		if (pend || first)
			amd_ga_galog_drain_all(gl);
		first = false;
		if (pend & AMD_GA_STATUS_GALOG_OVERFLOW) {
			trace_amd_ga_galog_overflow(iommu, pend, gl->head,
						    amd_ga_read(iommu, AMD_GA_MMIO_GALOG_TAIL));
			atomic64_inc(&iommu->stats.galog_overflows);
			pr_warn_ratelimited("%s: GA log overflow: restarting it and re-checking blocked vCPUs\n",
					    iommu->name);
			amd_ga_galog_restart(gl);
			gl->needs_recovery = true;
		}
		/* After the restart: later posts are logged again. */
		amd_ga_galog_recover(gl);
		amd_ga_galog_round_done(iommu, local_clock() - start);
		/* Disable waits for this thread: a log still written ends it. */
		if (READ_ONCE(gl->stopping))
			break;
		/* Another round follows: the CPU is given up in between. */
		if (pend)
			cond_resched();
	} while (pend);
	mutex_unlock(&gl->drain_lock);
}

static irqreturn_t amd_ga_galog_thread(int irq, void *data)
{
	amd_ga_galog_process(data);
	return IRQ_HANDLED;
}

/**
 * amd_ga_galog_drain() - drain head to tail once, without touching Status
 * @gl: the GA log
 *
 * For benchmarks and tests; the IRQ thread uses amd_ga_galog_process().
 * Torn slots found here run lossless recovery before this returns, as
 * they do in the IRQ thread: no interrupt need follow to make up for them.
 *
 * Context: process context, may sleep; takes @gl->drain_lock.
 * Return: the number of entries consumed.
 */
unsigned int amd_ga_galog_drain(struct amd_ga_galog *gl)
{
	unsigned int n;

	mutex_lock(&gl->drain_lock);
	n = amd_ga_galog_drain_all(gl);
	amd_ga_galog_recover(gl);
	mutex_unlock(&gl->drain_lock);
	return n;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_galog_drain);

/**
 * amd_ga_galog_set_recovery() - switch lossless recovery on or off
 * @gl: the GA log
 * @on: false only to prove that a test detects lost wakeups
 */
void amd_ga_galog_set_recovery(struct amd_ga_galog *gl, bool on)
{
	WRITE_ONCE(gl->recovery, on);
}

/**
 * amd_ga_galog_set_budget() - entries consumed per drain pass
 * @gl: the GA log
 * @budget: 1..AMD_GA_GALOG_ENTRIES
 */
void amd_ga_galog_set_budget(struct amd_ga_galog *gl, unsigned int budget)
{
	WRITE_ONCE(gl->budget, clamp_t(unsigned int, budget, 1,
				       AMD_GA_GALOG_ENTRIES));
}

static void amd_ga_galog_free(struct amd_ga_galog *gl)
{
	if (gl->buf)
		free_page((unsigned long)gl->buf);
	kfree(gl->tail_mirror);
	kfree(gl);
}

/* Base, tail address, head = tail = 0; GALogRun must read 0. */
static void amd_ga_galog_program(struct amd_ga_galog *gl)
{
	struct amd_ga_iommu *iommu = gl->iommu;

	amd_ga_write(iommu, AMD_GA_MMIO_GALOG_BASE,
		     (__sme_set(virt_to_phys(gl->buf)) & AMD_GA_GALOG_BASE_ADDR) |
		     FIELD_PREP(AMD_GA_GALOG_BASE_LEN, AMD_GA_GALOG_LEN_CODE_512));
	amd_ga_write(iommu, AMD_GA_MMIO_GALOG_TAIL_ADDR,
		     __sme_set(virt_to_phys(gl->tail_mirror)) &
		     AMD_GA_GALOG_TAIL_ADDR);
	amd_ga_write(iommu, AMD_GA_MMIO_GALOG_HEAD, 0);
	amd_ga_write(iommu, AMD_GA_MMIO_GALOG_TAIL, 0);
}

/* After a resume: catch up with the reset, drain and recover. */
static void amd_ga_galog_resume_work(struct work_struct *work)
{
	amd_ga_galog_process(container_of(work, struct amd_ga_galog,
					  resume_work));
}

/**
 * amd_ga_galog_enable() - set up and start the GA log of an IOMMU
 * @iommu: the IOMMU; needs GASup and GAMSup = vAPIC
 *
 * Allocates 512 entries (4 KiB, length code 8) and the tail mirror slot,
 * stops a log left running (kexec, kdump: clears GALogEn and GAIntEn and
 * waits, bounded, for GALogRun = 0, since until then the IOMMU writes the
 * old buffer), programs base, tail address, head = tail = 0, installs the
 * threaded handler before any GA interrupt can be raised (none when the
 * backend's alloc_ga_irq returns 0: the IOMMU's owner calls
 * amd_ga_galog_process() from its own interrupt thread), then sets
 * GALogEn and GAIntEn and waits, bounded, for GALogRun. An IOMMU that
 * never reports GALogRun (QEMU's) gets one message and keeps working. A
 * log left running that does not stop is not reprogrammed (counted in
 * galog_run_stuck).
 *
 * Context: process context, may sleep.
 * Return: 0, -EBUSY if already enabled, -EOPNOTSUPP without GA/vAPIC
 * support, -ENOMEM, -ETIMEDOUT if a log left running did not stop, or the
 * error of the IRQ setup.
 */
int amd_ga_galog_enable(struct amd_ga_iommu *iommu)
{
	struct amd_ga_galog *gl;
	int irq, ret;

	if (iommu->galog)
		return -EBUSY;
	if (!amd_ga_has_ga(iommu) || !amd_ga_has_vapic(iommu) ||
	    !iommu->ops->alloc_ga_irq)
		return -EOPNOTSUPP;

	gl = kzalloc(sizeof(*gl), GFP_KERNEL);
	if (!gl)
		return -ENOMEM;
	gl->iommu = iommu;
	mutex_init(&gl->drain_lock);
	mutex_init(&gl->enable_lock);
	gl->budget = AMD_GA_GALOG_BUDGET;
	gl->recovery = true;
	INIT_WORK(&gl->resume_work, amd_ga_galog_resume_work);
	gl->buf = (u64 *)get_zeroed_page(GFP_KERNEL);
	gl->tail_mirror = kzalloc(sizeof(*gl->tail_mirror), GFP_KERNEL);
	if (!gl->buf || !gl->tail_mirror) {
		ret = -ENOMEM;
		goto err_free;
	}

	/*
	 * A log left running (kexec, kdump) stops before it is reprogrammed:
	 * until GALogRun reads 0 the IOMMU still writes the old buffer, and
	 * a base written meanwhile need not take. One that never stops is
	 * left alone: the memory it writes is the previous kernel's.
	 */
	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_GALOG_EN | AMD_GA_CTRL_GAINT_EN, 0);
	if (!amd_ga_galog_wait_run(gl, false)) {
		atomic64_inc(&iommu->stats.galog_run_stuck);
		pr_err("%s: a GA log left running (kexec, kdump?) still reports GALogRun %u ms after GALogEn was cleared: not reprogrammed, GA log not enabled\n",
		       iommu->name, AMD_GA_GALOG_RUN_TIMEOUT_MS);
		amd_ga_galog_free(gl);
		return -ETIMEDOUT;
	}
	amd_ga_galog_program(gl);

	irq = iommu->ops->alloc_ga_irq(iommu);
	if (irq < 0) {
		ret = irq;
		goto err_free;
	}
	gl->irq = irq;
	/* 0: the owner's interrupt thread calls amd_ga_galog_process(). */
	if (irq) {
		ret = request_threaded_irq(irq, NULL, amd_ga_galog_thread,
					   IRQF_ONESHOT, iommu->name, gl);
		if (ret)
			goto err_irq;
	}

	amd_ga_write(iommu, AMD_GA_MMIO_STATUS,
		     AMD_GA_STATUS_GALOG_INT | AMD_GA_STATUS_GALOG_OVERFLOW);
	/* An owner's thread may look already (amd_ga_host_galog_process()). */
	smp_store_release(&iommu->galog, gl);
	amd_ga_ctrl_update(iommu, 0, AMD_GA_CTRL_GALOG_EN | AMD_GA_CTRL_GAINT_EN);
	gl->run_seen = amd_ga_galog_wait_run(gl, true);
	if (!gl->run_seen)
		pr_info("%s: GA log enabled but GALogRun never set (emulated IOMMU?); continuing without it\n",
			iommu->name);
	return 0;

err_irq:
	if (iommu->ops->free_ga_irq)
		iommu->ops->free_ga_irq(iommu);
err_free:
	amd_ga_write(iommu, AMD_GA_MMIO_GALOG_BASE, 0);
	amd_ga_write(iommu, AMD_GA_MMIO_GALOG_TAIL_ADDR, 0);
	amd_ga_galog_free(gl);
	return ret;
}

/**
 * amd_ga_galog_resume() - start an enabled GA log again after a resume
 * @iommu: the IOMMU, whose registers were lost (suspend to RAM) or
 *	cleared by its owner
 *
 * Reprograms the log amd_ga_galog_enable() allocated, allocating
 * nothing: clears GALogEn and GAIntEn, waits (busy, bounded) for
 * GALogRun = 0, zeroes the buffer and the tail slot, programs base, tail
 * address and head = tail = 0, clears GAInt and GALOverflow, and sets
 * GALogEn and GAIntEn again. Entries written before the IOMMU lost its
 * registers and not yet consumed are gone: the next drain starts at the
 * top and runs lossless recovery, which wakes every blocked vCPU with a
 * pending vector. A work item runs that drain at once, so the recovery
 * does not wait for the next GA interrupt. A drain preempted across the
 * suspend (it holds the drain lock, which this cannot take) catches up
 * the same way at its next drain.
 *
 * Context: any, including a syscore resume callback (one CPU, interrupts
 * off): takes no sleeping lock.
 * Return: 0, -ENODEV if the GA log is not enabled, -ETIMEDOUT if
 * GALogRun did not clear (the log is then left off, with a message).
 */
int amd_ga_galog_resume(struct amd_ga_iommu *iommu)
{
	const u64 en = AMD_GA_CTRL_GALOG_EN | AMD_GA_CTRL_GAINT_EN;
	struct amd_ga_galog *gl = iommu->galog;

	if (!gl)
		return -ENODEV;
	amd_ga_ctrl_update(iommu, en, 0);
	if (!amd_ga_poll_status(iommu, AMD_GA_STATUS_GALOG_RUN, 0,
				AMD_GA_GALOG_RUN_TIMEOUT_US)) {
		atomic64_inc(&iommu->stats.galog_run_stuck);
		pr_err("%s: GA log still running %u ms after GALogEn was cleared at resume: not reprogrammed, left off\n",
		       iommu->name, AMD_GA_GALOG_RUN_TIMEOUT_MS);
		return -ETIMEDOUT;
	}
	memset(gl->buf, 0, AMD_GA_GALOG_BYTES);
	WRITE_ONCE(*gl->tail_mirror, 0);
	/* Zeroed slots are in memory before the IOMMU may write them. */
	wmb();
	amd_ga_galog_program(gl);
	atomic_inc(&gl->resets);
	amd_ga_write(iommu, AMD_GA_MMIO_STATUS,
		     AMD_GA_STATUS_GALOG_INT | AMD_GA_STATUS_GALOG_OVERFLOW);
	amd_ga_ctrl_update(iommu, 0, en);
	if (gl->run_seen &&
	    !amd_ga_poll_status(iommu, AMD_GA_STATUS_GALOG_RUN,
				AMD_GA_STATUS_GALOG_RUN,
				AMD_GA_GALOG_RUN_TIMEOUT_US))
		pr_warn("%s: GA log did not start again at resume (GALogRun stays 0)\n",
			iommu->name);
	queue_work(system_wq, &gl->resume_work);
	return 0;
}

/**
 * amd_ga_galog_disable() - stop the GA log of an IOMMU and free it
 * @iommu: the IOMMU
 *
 * Marks the log as stopping and clears GALogEn and GAIntEn, both under
 * the lock of the overflow restart, so that no restart can set GALogEn
 * again from then on (the IRQ thread may be in the middle of one). It
 * does not wait for the drain lock first: the thread holds that for as
 * long as posts keep coming, and they stop only once GALogEn is clear.
 * Then it waits for the IRQ thread to finish (free_irq()), makes sure
 * the enables are still clear, and waits, bounded, for GALogRun = 0:
 * only then are the base and tail address cleared and the log freed. A
 * log whose GALogRun never clears may still be written by the IOMMU: its
 * buffer and tail slot are leaked, with a message, never freed (counted
 * in galog_run_stuck).
 *
 * Context: process context, may sleep; not from the GA IRQ thread.
 */
void amd_ga_galog_disable(struct amd_ga_iommu *iommu)
{
	struct amd_ga_galog *gl = iommu->galog;
	bool stopped;

	if (!gl)
		return;
	mutex_lock(&gl->enable_lock);
	WRITE_ONCE(gl->stopping, true);
	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_GALOG_EN | AMD_GA_CTRL_GAINT_EN, 0);
	mutex_unlock(&gl->enable_lock);
	/* The thread's loop ends: no restart, and no new entries. */
	cancel_work_sync(&gl->resume_work);
	if (gl->irq) {
		free_irq(gl->irq, gl);
	} else {
		/* The owner no longer calls in; wait for a call in flight. */
		mutex_lock(&gl->drain_lock);
		mutex_unlock(&gl->drain_lock);
	}
	if (iommu->ops->free_ga_irq)
		iommu->ops->free_ga_irq(iommu);
	/* One write, so that nothing freed below is left enabled. */
	amd_ga_ctrl_update(iommu, AMD_GA_CTRL_GALOG_EN | AMD_GA_CTRL_GAINT_EN, 0);
	stopped = amd_ga_galog_wait_run(gl, false);
	WRITE_ONCE(iommu->galog, NULL);
	if (!stopped) {
		atomic64_inc(&iommu->stats.galog_run_stuck);
		pr_err("%s: GA log still running %u ms after GALogEn was cleared: leaking its buffer and tail slot, which the IOMMU may still write\n",
		       iommu->name, AMD_GA_GALOG_RUN_TIMEOUT_MS);
		/* On purpose: the pointers are dropped here. */
		kmemleak_not_leak(gl->tail_mirror);
		kfree(gl);
		return;
	}
	amd_ga_write(iommu, AMD_GA_MMIO_GALOG_BASE, 0);
	amd_ga_write(iommu, AMD_GA_MMIO_GALOG_TAIL_ADDR, 0);
	amd_ga_galog_free(gl);
}
