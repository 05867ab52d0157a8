/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The GATags one GA log drain has already handed to the notifier.
 *
 * An open-addressed table of generation-stamped tags: a slot holds
 * (generation << 32 | tag), and a slot of an older generation is empty,
 * so a new drain forgets every tag by bumping the generation instead of
 * clearing the table. Slots are only ever filled within a generation, and
 * a tag goes into the first empty slot of its probe sequence, so a lookup
 * meets the tag before any empty slot. The filter is exact: it answers
 * "seen" only for a tag added in this generation. A tag whose probe
 * sequence is full is not remembered and is simply called again.
 */
#ifndef AMD_GA_TAG_FILTER_H
#define AMD_GA_TAG_FILTER_H

#include <linux/bits.h>
#include <linux/hash.h>
#include <linux/string.h>
#include <linux/types.h>

/* Twice the GA log: a drain of distinct tags fills at most half of it. */
#define AMD_GA_TAG_FILTER_BITS		10
#define AMD_GA_TAG_FILTER_SIZE		BIT(AMD_GA_TAG_FILTER_BITS)
/* Slots probed before a tag is given up on (called, not remembered). */
#define AMD_GA_TAG_FILTER_PROBES	8

/**
 * struct amd_ga_tag_filter - tags handed to the notifier in one drain
 * @gen: the current generation, never 0 (0 is the zeroed table's)
 * @slot: (generation << 32 | tag) each; an older generation is empty
 *
 * Used by one drainer at a time: the GA log's drain_lock protects it.
 */
struct amd_ga_tag_filter {
	u32 gen;
	u64 slot[AMD_GA_TAG_FILTER_SIZE];
};

/* The slot a tag's probe sequence starts at. */
static inline u32 amd_ga_tag_filter_home(u32 ga_tag)
{
	return hash_32(ga_tag, AMD_GA_TAG_FILTER_BITS);
}

/**
 * amd_ga_tag_filter_next_gen() - forget every tag (start of a drain)
 * @f: the filter
 *
 * When the generation wraps, the table is zeroed: a tag stamped 2^32
 * generations ago must not read as seen.
 */
static inline void amd_ga_tag_filter_next_gen(struct amd_ga_tag_filter *f)
{
	if (unlikely(++f->gen == 0)) {
		memset(f->slot, 0, sizeof(f->slot));
		f->gen = 1;
	}
}

/* The current generation, in place to be ORed with a tag. */
static inline u64 amd_ga_tag_filter_stamp(const struct amd_ga_tag_filter *f)
{
	return (u64)f->gen << 32;
}

/* The slot a tag's probe sequence starts at, for the scan's fast paths. */
static inline u64 *amd_ga_tag_filter_home_slot(struct amd_ga_tag_filter *f,
					       u32 ga_tag)
{
	return &f->slot[amd_ga_tag_filter_home(ga_tag)];
}

/**
 * amd_ga_tag_filter_slot_miss() - does a slot not hold a tag
 * @s: the slot's value
 * @stamp: amd_ga_tag_filter_stamp() of this generation
 * @ga_tag: the tag
 *
 * Return: 0 if @s holds @ga_tag, added in this generation; non-zero
 * otherwise. A value rather than a bool, so that a caller can OR in
 * tests of its own and branch once.
 */
static inline u64 amd_ga_tag_filter_slot_miss(u64 s, u64 stamp, u32 ga_tag)
{
	return s ^ (stamp | ga_tag);
}

/**
 * amd_ga_tag_filter_slot_used() - was a slot filled in this generation
 * @s: the slot's value
 * @stamp: amd_ga_tag_filter_stamp() of this generation
 *
 * Return: 1 if @s was filled in this generation, 0 if it is empty. A tag
 * whose home slot is empty is not in the filter (a lookup would stop
 * there), and that slot is where amd_ga_tag_filter_add() puts it.
 */
static inline u64 amd_ga_tag_filter_slot_used(u64 s, u64 stamp)
{
	return !((s ^ stamp) >> 32);
}

/**
 * amd_ga_tag_filter_find() - look a tag up in this generation
 * @f: the filter
 * @ga_tag: the tag
 * @free: set to the slot amd_ga_tag_filter_add() may fill, or NULL when
 *	the tag was seen or its probe sequence is full
 *
 * Return: true if @ga_tag was added in this generation.
 */
static inline bool amd_ga_tag_filter_find(struct amd_ga_tag_filter *f,
					  u32 ga_tag, u64 **free)
{
	u64 stamp = amd_ga_tag_filter_stamp(f), want = stamp | ga_tag;
	u32 i = amd_ga_tag_filter_home(ga_tag);
	unsigned int n;
	u64 s;

	for (n = 0; n < AMD_GA_TAG_FILTER_PROBES; n++) {
		s = f->slot[i];
		if (s == want) {
			*free = NULL;
			return true;
		}
		if (!amd_ga_tag_filter_slot_used(s, stamp)) {
			*free = &f->slot[i];
			return false;
		}
		i = (i + 1) & (AMD_GA_TAG_FILTER_SIZE - 1);
	}
	*free = NULL;
	return false;
}

/**
 * amd_ga_tag_filter_add() - remember a tag found missing
 * @f: the filter
 * @free: what amd_ga_tag_filter_find() returned for @ga_tag, with no
 *	other add in between; NULL adds nothing
 * @ga_tag: the tag
 */
static inline void amd_ga_tag_filter_add(struct amd_ga_tag_filter *f,
					 u64 *free, u32 ga_tag)
{
	if (free)
		*free = amd_ga_tag_filter_stamp(f) | ga_tag;
}

#endif /* AMD_GA_TAG_FILTER_H */
