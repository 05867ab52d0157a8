// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the filter of GATags a GA log drain has woken. It may
 * forget a tag (a redundant notifier call), but it must never answer
 * "seen" for a tag not added in the current generation: that would be a
 * skipped wake-up. Tags are chosen by their home slot, so the cases hit
 * the collisions and the full probe sequences on purpose.
 */
#include <kunit/test.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "tag_filter.h"

#define TF_SAME_HOME	(AMD_GA_TAG_FILTER_PROBES + 4)

static struct amd_ga_tag_filter *tf_new(struct kunit *test)
{
	struct amd_ga_tag_filter *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	amd_ga_tag_filter_next_gen(f);
	return f;
}

/* @n tags from 0x1000 on that all start probing at slot @home. */
static void tf_same_home(u32 home, u32 *tags, unsigned int n)
{
	u32 t = 0x1000;
	unsigned int i;

	for (i = 0; i < n; t++)
		if (amd_ga_tag_filter_home(t) == home)
			tags[i++] = t;
}

/* Find, and add when missing; true if the tag was seen. */
static bool tf_seen_else_add(struct amd_ga_tag_filter *f, u32 tag)
{
	u64 *free;

	if (amd_ga_tag_filter_find(f, tag, &free))
		return true;
	amd_ga_tag_filter_add(f, free, tag);
	return false;
}

/*
 * Tags sharing a home slot: the first PROBES are all remembered, none is
 * taken for another; the ones beyond the probe sequence are never
 * remembered and never answered "seen".
 */
static void tf_collisions_are_exact(struct kunit *test)
{
	struct amd_ga_tag_filter *f = tf_new(test);
	u32 tags[TF_SAME_HOME];
	unsigned int i;

	tf_same_home(5, tags, TF_SAME_HOME);
	for (i = 0; i < TF_SAME_HOME; i++)
		KUNIT_EXPECT_FALSE(test, tf_seen_else_add(f, tags[i]));
	for (i = 0; i < TF_SAME_HOME; i++)
		KUNIT_EXPECT_EQ_MSG(test, (int)tf_seen_else_add(f, tags[i]),
				    (int)(i < AMD_GA_TAG_FILTER_PROBES), "tag %u", i);
}

/* A tag found missing but not added (the call failed) stays missing. */
static void tf_find_does_not_add(struct kunit *test)
{
	struct amd_ga_tag_filter *f = tf_new(test);
	u32 tags[2];
	u64 *free;

	tf_same_home(9, tags, 2);
	KUNIT_EXPECT_FALSE(test, amd_ga_tag_filter_find(f, tags[0], &free));
	KUNIT_EXPECT_NOT_NULL(test, free);
	KUNIT_EXPECT_FALSE(test, amd_ga_tag_filter_find(f, tags[0], &free));
	/* The slot it was offered goes to another tag of the same home. */
	KUNIT_EXPECT_FALSE(test, tf_seen_else_add(f, tags[1]));
	KUNIT_EXPECT_FALSE(test, amd_ga_tag_filter_find(f, tags[0], &free));
	KUNIT_EXPECT_TRUE(test, amd_ga_tag_filter_find(f, tags[1], &free));
	KUNIT_EXPECT_NULL(test, free);
}

/* A new generation forgets every tag, also across a wrap of the counter. */
static void tf_generations_forget(struct kunit *test)
{
	struct amd_ga_tag_filter *f = tf_new(test);
	u32 tag = 0x1234;
	u64 *free;

	KUNIT_EXPECT_FALSE(test, tf_seen_else_add(f, tag));
	KUNIT_EXPECT_TRUE(test, tf_seen_else_add(f, tag));
	amd_ga_tag_filter_next_gen(f);
	KUNIT_EXPECT_FALSE(test, amd_ga_tag_filter_find(f, tag, &free));

	/* Stamped in generation 1 (a new filter's), 2^32 - 1 passes later... */
	f = tf_new(test);
	KUNIT_EXPECT_EQ(test, f->gen, 1U);
	KUNIT_EXPECT_FALSE(test, tf_seen_else_add(f, tag));
	f->gen = U32_MAX;
	amd_ga_tag_filter_next_gen(f);
	/* ...generation 1 again: the old stamp must not read as seen. */
	KUNIT_EXPECT_EQ(test, f->gen, 1U);
	KUNIT_EXPECT_FALSE(test, amd_ga_tag_filter_find(f, tag, &free));
}

/* The GA log scan's coalescing test: 0 if @ga_tag sits in its home slot. */
static u64 tf_home_miss(struct amd_ga_tag_filter *f, u64 stamp, u32 ga_tag)
{
	return amd_ga_tag_filter_slot_miss(*amd_ga_tag_filter_home_slot(f, ga_tag),
					   stamp, ga_tag);
}

/*
 * The fast path answers "hit" (0) only for a tag added in this
 * generation and sitting in its home slot. A tag pushed further along by
 * one of the same home, a tag never added, and a tag of the last
 * generation all miss it (non-zero); the full lookup still finds the
 * second.
 */
static void tf_home_miss_is_exact(struct kunit *test)
{
	struct amd_ga_tag_filter *f = tf_new(test);
	u64 stamp = amd_ga_tag_filter_stamp(f);
	u32 tags[3];
	u64 *free;

	tf_same_home(17, tags, 3);
	KUNIT_EXPECT_NE(test, tf_home_miss(f, stamp, tags[0]), 0ULL);
	KUNIT_EXPECT_FALSE(test, tf_seen_else_add(f, tags[0]));
	KUNIT_EXPECT_FALSE(test, tf_seen_else_add(f, tags[1]));
	KUNIT_EXPECT_EQ(test, tf_home_miss(f, stamp, tags[0]), 0ULL);
	KUNIT_EXPECT_NE(test, tf_home_miss(f, stamp, tags[1]), 0ULL);
	KUNIT_EXPECT_TRUE(test, amd_ga_tag_filter_find(f, tags[1], &free));
	KUNIT_EXPECT_NE(test, tf_home_miss(f, stamp, tags[2]), 0ULL);
	amd_ga_tag_filter_next_gen(f);
	stamp = amd_ga_tag_filter_stamp(f);
	KUNIT_EXPECT_NE(test, tf_home_miss(f, stamp, tags[0]), 0ULL);
}

/*
 * The scan's view of a home slot: free at the start of a generation,
 * used once any tag of that home is added (the one added there, or the
 * next ones further along), and free again in the next generation even
 * though the table still holds the old stamp.
 */
static void tf_home_slot_used_is_exact(struct kunit *test)
{
	struct amd_ga_tag_filter *f = tf_new(test);
	u64 stamp = amd_ga_tag_filter_stamp(f), *home;
	u32 tags[2];

	tf_same_home(23, tags, 2);
	home = amd_ga_tag_filter_home_slot(f, tags[0]);
	KUNIT_EXPECT_PTR_EQ(test, home, amd_ga_tag_filter_home_slot(f, tags[1]));
	KUNIT_EXPECT_EQ(test, amd_ga_tag_filter_slot_used(*home, stamp), 0ULL);
	/* The scan's first entry of a tag: it takes its free home slot. */
	amd_ga_tag_filter_add(f, home, tags[0]);
	KUNIT_EXPECT_EQ(test, amd_ga_tag_filter_slot_used(*home, stamp), 1ULL);
	KUNIT_EXPECT_EQ(test, amd_ga_tag_filter_slot_miss(*home, stamp, tags[0]), 0ULL);
	KUNIT_EXPECT_NE(test, amd_ga_tag_filter_slot_miss(*home, stamp, tags[1]), 0ULL);
	/* Looked up in full, the tag is there and the other one is not. */
	KUNIT_EXPECT_TRUE(test, tf_seen_else_add(f, tags[0]));
	KUNIT_EXPECT_FALSE(test, tf_seen_else_add(f, tags[1]));
	KUNIT_EXPECT_TRUE(test, tf_seen_else_add(f, tags[1]));
	amd_ga_tag_filter_next_gen(f);
	stamp = amd_ga_tag_filter_stamp(f);
	KUNIT_EXPECT_EQ(test, amd_ga_tag_filter_slot_used(*home, stamp), 0ULL);
	KUNIT_EXPECT_NE(test, amd_ga_tag_filter_slot_miss(*home, stamp, tags[0]), 0ULL);
}

/*
 * A drain of distinct random tags as long as the GA log (half the
 * filter's slots): every tag added is seen, no tag left out is ever seen.
 */
static void tf_random_pass(struct kunit *test)
{
	struct amd_ga_tag_filter *f = tf_new(test);
	const unsigned int n = AMD_GA_TAG_FILTER_SIZE / 2;
	unsigned int i, forgotten = 0;
	u32 *in, *out;
	u64 *free;

	in = kunit_kcalloc(test, n, sizeof(*in), GFP_KERNEL);
	out = kunit_kcalloc(test, n, sizeof(*out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, out);
	/* Even tags go in, odd ones stay out: the two sets cannot meet. */
	for (i = 0; i < n; i++) {
		in[i] = (get_random_u32() | 0x1000) & ~1U;
		out[i] = in[i] | 1;
		tf_seen_else_add(f, in[i]);
	}
	for (i = 0; i < n; i++) {
		forgotten += !tf_seen_else_add(f, in[i]);
		KUNIT_EXPECT_FALSE(test, amd_ga_tag_filter_find(f, out[i], &free));
	}
	kunit_info(test, "%u of %u tags not remembered (probe sequence full)\n",
		   forgotten, n);
	KUNIT_EXPECT_LT(test, forgotten, n / 16);
}

static struct kunit_case amd_ga_tag_filter_cases[] = {
	KUNIT_CASE(tf_collisions_are_exact),
	KUNIT_CASE(tf_find_does_not_add),
	KUNIT_CASE(tf_generations_forget),
	KUNIT_CASE(tf_home_miss_is_exact),
	KUNIT_CASE(tf_home_slot_used_is_exact),
	KUNIT_CASE(tf_random_pass),
	{}
};

static struct kunit_suite amd_ga_tag_filter_suite = {
	.name		= "amd_ga_tag_filter",
	.test_cases	= amd_ga_tag_filter_cases,
};

kunit_test_suite(amd_ga_tag_filter_suite);
