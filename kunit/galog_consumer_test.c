// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the GA log's consumer interface (galog.h), with a consumer of
 * the test's own instead of the registry. On the software IOMMU model
 * the engine
 *
 * - hands each tag to the wake function set with amd_ga_galog_set_wake()
 *   once per drain, and counts a tag it refuses as stale;
 * - calls nothing with no wake function set, and counts entries unclaimed;
 * - runs the recover function set with amd_ga_galog_set_recover() after
 *   a torn slot, and no longer once it is removed;
 * - has no call of a wake function in flight once amd_ga_galog_set_wake()
 *   replaced it, by NULL or by another function.
 *
 * The consumer is global: each case sets its own and puts the module's
 * back (no wake function, the registry's recovery) when it ends.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

#include "cpu_pair.h"
#include "dispatch.h"
#include "galog.h"
#include "gatag.h"
#include "hw.h"
#include "iommu.h"
#include "modelenv.h"

/* Every wait of these tests; running out of it is a failure. */
#define GC_WAIT_MS	5000
/* How long the holding wake function keeps its call in flight. */
#define GC_HOLD_MS	1000

#define GC_NTAGS	3
#define GC_TAG(i)	AMD_GA_GATAG_MAKE(5, (i))
#define GC_TAG_UNKNOWN	AMD_GA_GATAG_MAKE(6, 0)

/* What the test's consumer saw; reset by each case's init. */
static struct {
	atomic_t calls[GC_NTAGS];
	atomic_t unknown;
	atomic_t recovers;
	atomic_t held;
	bool hold_done;
	struct completion drained;
} gc;

/**
 * struct gc_ctx - one case's model
 * @env: model with its GA log
 * @env_up: @env is set up
 */
struct gc_ctx {
	struct amd_ga_modelenv env;
	bool env_up;
};

/* The test's wake function: GC_TAG(0..2) are known, every other tag not. */
static int gc_wake(u32 ga_tag)
{
	unsigned int i;

	for (i = 0; i < GC_NTAGS; i++) {
		if (ga_tag == GC_TAG(i)) {
			atomic_inc(&gc.calls[i]);
			return 0;
		}
	}
	atomic_inc(&gc.unknown);
	return -ENOENT;
}

/* The test's recover function: GC_TAG(2) is the blocked, pending vCPU. */
static unsigned int gc_recover(unsigned int *checked)
{
	int ret;

	atomic_inc(&gc.recovers);
	rcu_read_lock();
	ret = amd_ga_galog_wake_tag(GC_TAG(2));
	rcu_read_unlock();
	if (checked)
		*checked = 1;
	return !ret;
}

/* Keeps its call in flight for GC_HOLD_MS; must not sleep: spins. */
static int gc_hold_wake(u32 ga_tag)
{
	unsigned long end = jiffies + msecs_to_jiffies(GC_HOLD_MS);

	atomic_inc(&gc.held);
	while (time_before(jiffies, end))
		cpu_relax();
	/* Pairs with the acquire after amd_ga_galog_set_wake() returned. */
	smp_store_release(&gc.hold_done, true);
	return 0;
}

static int gc_drain_thread(void *gl)
{
	amd_ga_galog_drain(gl);
	complete(&gc.drained);
	return 0;
}

static u64 gc_entry(u32 tag)
{
	return FIELD_PREP(AMD_GA_GALOG_ENT_GATAG, tag) |
	       FIELD_PREP(AMD_GA_GALOG_ENT_DEVID, 0x42) |
	       FIELD_PREP(AMD_GA_GALOG_ENT_CODE, AMD_GA_GALOG_CODE_GUEST_NR);
}

static void gc_inject(struct kunit *test, u64 entry)
{
	struct gc_ctx *c = test->priv;

	KUNIT_ASSERT_EQ(test, amd_ga_model_galog_inject(c->env.model, entry), 0);
}

static u64 gc_stat(atomic64_t *s)
{
	return atomic64_read(s);
}

static int gc_init(struct kunit *test)
{
	struct gc_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	int ret;

	if (!c)
		return -ENOMEM;
	test->priv = c;
	KUNIT_EXPECT_FALSE_MSG(test, amd_ga_galog_has_wake(),
			       "a GA log wake function was left set (a notifier left registered?)");
	memset(&gc, 0, sizeof(gc));
	init_completion(&gc.drained);
	ret = amd_ga_modelenv_init(&c->env, 1, NULL, NULL);
	if (ret)
		return ret;
	c->env_up = true;
	/* No GA interrupt: only the case's direct drains consume the log. */
	amd_ga_ctrl_update(c->env.iommu, AMD_GA_CTRL_GAINT_EN, 0);
	return 0;
}

static void gc_exit(struct kunit *test)
{
	struct gc_ctx *c = test->priv;

	if (c && c->env_up)
		amd_ga_modelenv_exit(&c->env);
	/* The module's consumer, as module init left it. */
	amd_ga_galog_set_wake(NULL);
	KUNIT_EXPECT_EQ(test, amd_ga_dispatch_init(), 0);
}

static void gc_wakes_each_tag_once(struct kunit *test)
{
	struct gc_ctx *c = test->priv;
	struct amd_ga_stats *s = &c->env.iommu->stats;

	amd_ga_galog_set_wake(gc_wake);
	KUNIT_EXPECT_TRUE(test, amd_ga_galog_has_wake());
	gc_inject(test, gc_entry(GC_TAG(0)));
	gc_inject(test, gc_entry(GC_TAG(1)));
	gc_inject(test, gc_entry(GC_TAG(0)));
	gc_inject(test, gc_entry(GC_TAG_UNKNOWN));
	KUNIT_EXPECT_EQ(test, amd_ga_galog_drain(c->env.iommu->galog), 4U);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&gc.calls[0]), 1,
			    "tag 0 (two entries) handed to the wake function other than once");
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&gc.calls[1]), 1,
			    "tag 1 handed to the wake function other than once");
	KUNIT_EXPECT_EQ(test, atomic_read(&gc.unknown), 1);
	KUNIT_EXPECT_EQ(test, gc_stat(&s->galog_wakes), 2ULL);
	KUNIT_EXPECT_EQ(test, gc_stat(&s->galog_coalesced), 1ULL);
	KUNIT_EXPECT_EQ(test, gc_stat(&s->galog_stale_tags), 1ULL);
	KUNIT_EXPECT_EQ(test, gc_stat(&s->galog_unclaimed), 0ULL);
}

static void gc_none_leaves_unclaimed(struct kunit *test)
{
	struct gc_ctx *c = test->priv;
	struct amd_ga_stats *s = &c->env.iommu->stats;

	amd_ga_galog_set_wake(gc_wake);
	amd_ga_galog_set_wake(NULL);
	KUNIT_EXPECT_FALSE(test, amd_ga_galog_has_wake());
	gc_inject(test, gc_entry(GC_TAG(0)));
	gc_inject(test, gc_entry(GC_TAG(1)));
	KUNIT_EXPECT_EQ(test, amd_ga_galog_drain(c->env.iommu->galog), 2U);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&gc.calls[0]) + atomic_read(&gc.calls[1]), 0,
			    "a wake function removed with amd_ga_galog_set_wake(NULL) was still called");
	KUNIT_EXPECT_EQ_MSG(test, gc_stat(&s->galog_unclaimed), 2ULL,
			    "entries consumed with no consumer set were not counted unclaimed");
	KUNIT_EXPECT_EQ(test, gc_stat(&s->galog_stale_tags), 0ULL);
	KUNIT_EXPECT_EQ(test, gc_stat(&s->galog_wakes), 0ULL);
}

static void gc_recovers_until_removed(struct kunit *test)
{
	struct gc_ctx *c = test->priv;
	struct amd_ga_stats *s = &c->env.iommu->stats;

	amd_ga_galog_set_wake(gc_wake);
	amd_ga_galog_set_recover(gc_recover);
	/* A slot the tail covers but that stays zero: an entry was lost. */
	gc_inject(test, 0);
	KUNIT_EXPECT_EQ(test, amd_ga_galog_drain(c->env.iommu->galog), 1U);
	KUNIT_EXPECT_EQ(test, gc_stat(&s->galog_torn), 1ULL);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&gc.recovers), 1,
			    "the recover function was not run after a torn slot");
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&gc.calls[2]), 1,
			    "recovery's tag did not reach the wake function");
	KUNIT_EXPECT_EQ(test, gc_stat(&s->galog_recoveries), 1ULL);
	KUNIT_EXPECT_EQ(test, gc_stat(&s->galog_recovery_wakes), 1ULL);

	amd_ga_galog_set_recover(NULL);
	gc_inject(test, 0);
	KUNIT_EXPECT_EQ(test, amd_ga_galog_drain(c->env.iommu->galog), 1U);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&gc.recovers), 1,
			    "a recover function removed with amd_ga_galog_set_recover(NULL) was still run");
	KUNIT_EXPECT_EQ(test, gc_stat(&s->galog_recoveries), 2ULL);
	KUNIT_EXPECT_EQ(test, gc_stat(&s->galog_recovery_wakes), 1ULL);
}

/*
 * A drain on another CPU is inside gc_hold_wake() when this thread
 * replaces it with @next: the setter must not return before that call
 * has.
 */
static void gc_hold_and_set(struct kunit *test, amd_ga_galog_wake_fn next)
{
	struct gc_ctx *c = test->priv;
	unsigned long end = jiffies + msecs_to_jiffies(GC_WAIT_MS);
	struct task_struct *t;
	bool held, done, drained;

	amd_ga_galog_set_wake(gc_hold_wake);
	gc_inject(test, gc_entry(GC_TAG(0)));
	t = cpu_pair_thread(test, gc_drain_thread, c->env.iommu->galog,
			    "gc-drain");
	if (!t)
		return;
	wake_up_process(t);
	while (!atomic_read(&gc.held) && time_before(jiffies, end))
		usleep_range(50, 100);
	held = atomic_read(&gc.held);
	amd_ga_galog_set_wake(next);
	/* Pairs with gc_hold_wake()'s release: its call had ended. */
	done = smp_load_acquire(&gc.hold_done);
	drained = wait_for_completion_timeout(&gc.drained,
					      msecs_to_jiffies(GC_HOLD_MS + GC_WAIT_MS));
	cpu_pair_unpin();
	KUNIT_ASSERT_TRUE_MSG(test, held, "the drain did not call the wake function within %u ms",
			      GC_WAIT_MS);
	KUNIT_EXPECT_TRUE_MSG(test, done,
			      "amd_ga_galog_set_wake(%s) returned while a call of the function it replaced was still running",
			      next ? "another" : "NULL");
	KUNIT_EXPECT_TRUE_MSG(test, drained, "the drain did not end within %u ms",
			      GC_HOLD_MS + GC_WAIT_MS);
}

static void gc_unset_waits_for_call(struct kunit *test)
{
	gc_hold_and_set(test, NULL);
}

static void gc_replace_waits_for_call(struct kunit *test)
{
	gc_hold_and_set(test, gc_wake);
}

static struct kunit_case amd_ga_galog_consumer_cases[] = {
	KUNIT_CASE(gc_wakes_each_tag_once),
	KUNIT_CASE(gc_none_leaves_unclaimed),
	KUNIT_CASE(gc_recovers_until_removed),
	KUNIT_CASE(gc_unset_waits_for_call),
	KUNIT_CASE(gc_replace_waits_for_call),
	{}
};

static struct kunit_suite amd_ga_galog_consumer_suite = {
	.name		= "amd_ga_galog_consumer",
	.init		= gc_init,
	.exit		= gc_exit,
	.test_cases	= amd_ga_galog_consumer_cases,
};

kunit_test_suite(amd_ga_galog_consumer_suite);

