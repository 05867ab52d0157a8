/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel API differences amd-ga papers over, one small wrapper each.
 */
#ifndef AMD_GA_COMPAT_H
#define AMD_GA_COMPAT_H

#include <linux/atomic.h>
#include <linux/cpufeature.h>
#include <linux/mmdebug.h>
#include <linux/sched.h>
#include <linux/static_call.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/version.h>

/*
 * What the kernel offers, as AMD_GA_HAVE_* macros. Out-of-tree builds
 * compile probes against the target kernel first (scripts/compat-probe.sh,
 * scripts/probes/) and pass their answers in amd-ga-probes.h: that sees
 * what a distribution backported. In-tree builds are not probed and decide
 * from the tree: by the feature's own macro where it has one, else by the
 * mainline release that brought it. make matrix compares these
 * defaults with the probes on every kernel it builds for.
 */
#ifdef AMD_GA_PROBED
#include <amd-ga-probes.h>
#else /* !AMD_GA_PROBED */

/* At least mainline release maj.min; headers before 5.16 do not say. */
#ifdef LINUX_VERSION_MAJOR
#define AMD_GA_KERNEL_AT_LEAST(maj, min)				\
	(LINUX_VERSION_MAJOR * 256 + LINUX_VERSION_PATCHLEVEL >=	\
	 (maj) * 256 + (min))
#else
/* False for every release (a negative one does not exist). */
#define AMD_GA_KERNEL_AT_LEAST(maj, min) ((maj) < 0 && (min) < 0)
#endif

#ifdef system_has_cmpxchg128
#define AMD_GA_HAVE_TRY_CMPXCHG128 1
#endif
#ifdef system_has_cmpxchg_double
#define AMD_GA_HAVE_CMPXCHG_DOUBLE 1
#endif
#if !AMD_GA_KERNEL_AT_LEAST(6, 13)
#define AMD_GA_HAVE_MODULE_NS_IDENT 1
#endif
#define AMD_GA_HAVE_IRQ_DOMAIN_CREATE_LINEAR 1
#define AMD_GA_HAVE_IRQ_DOMAIN_ADD_LINEAR 1
#if AMD_GA_KERNEL_AT_LEAST(6, 11)
#define AMD_GA_HAVE_IRQ_DOMAIN_INSTANTIATE 1
#endif
#define AMD_GA_HAVE_PCI_ALLOC_IRQ_VECTORS 1
#ifdef timer_container_of
#define AMD_GA_HAVE_TIMER_CONTAINER_OF 1
#endif
#ifdef from_timer
#define AMD_GA_HAVE_FROM_TIMER 1
#endif
#if AMD_GA_KERNEL_AT_LEAST(6, 2)
#define AMD_GA_HAVE_TIMER_DELETE_SYNC 1
#endif
#ifdef task_is_running
#define AMD_GA_HAVE_TASK_IS_RUNNING 1
#endif
#if AMD_GA_KERNEL_AT_LEAST(6, 2)
#define AMD_GA_HAVE_KUNIT_VISIBILITY 1
#define AMD_GA_HAVE_KUNIT_EXPECT_MEMEQ 1
#endif
#if AMD_GA_KERNEL_AT_LEAST(6, 3)
#define AMD_GA_HAVE_KUNIT_STATIC_STUB 1
#endif
#if AMD_GA_KERNEL_AT_LEAST(6, 5)
#define AMD_GA_HAVE_KUNIT_ADD_ACTION 1
#endif
#if AMD_GA_KERNEL_AT_LEAST(6, 8)
#define AMD_GA_HAVE_KUNIT_ARRAY_PARAM_DESC 1
#endif
#if AMD_GA_KERNEL_AT_LEAST(6, 17)
#define AMD_GA_HAVE_AMD_IOMMU_UPDATE_GA_LOG_INTR 1
#define AMD_GA_HAVE_AMD_IOMMU_PI_DATA_VAPIC_ADDR 1
#endif

#endif /* AMD_GA_PROBED */

/*
 * The function a static call names now. static_call_query() came with
 * 5.11; before it the key's func member held the same, in every
 * implementation of static calls.
 */
#ifdef static_call_query
#define amd_ga_static_call_query(name)	static_call_query(name)
#else
#define amd_ga_static_call_query(name)	READ_ONCE(STATIC_CALL_KEY(name).func)
#endif

/*
 * 128-bit compare-and-exchange (cmpxchg16b). The IOMMU reads a 128-bit
 * IRTE as one unit, so an entry must never be written as two 64-bit
 * halves. Linux 6.5 replaced cmpxchg_double()/system_has_cmpxchg_double()
 * with try_cmpxchg128()/system_has_cmpxchg128().
 */
#if defined(AMD_GA_HAVE_TRY_CMPXCHG128)

static inline bool amd_ga_has_cmpxchg16b(void)
{
	return system_has_cmpxchg128();
}

/*
 * Store @new_lo/@new_hi at @p (16-byte aligned, p[0] low) if it holds
 * @old_lo/@old_hi. Returns true if the store happened.
 */
static inline bool amd_ga_cmpxchg16b(u64 *p, u64 old_lo, u64 old_hi,
				     u64 new_lo, u64 new_hi)
{
	u128 old = (u128)old_hi << 64 | old_lo;

	return try_cmpxchg128((u128 *)p, &old, (u128)new_hi << 64 | new_lo);
}

#elif defined(AMD_GA_HAVE_CMPXCHG_DOUBLE)

static inline bool amd_ga_has_cmpxchg16b(void)
{
	return system_has_cmpxchg_double();
}

static inline bool amd_ga_cmpxchg16b(u64 *p, u64 old_lo, u64 old_hi,
				     u64 new_lo, u64 new_hi)
{
	return cmpxchg_double(&p[0], &p[1], old_lo, old_hi, new_lo, new_hi);
}

#else
#error "amd-ga needs a 128-bit cmpxchg: try_cmpxchg128() or cmpxchg_double()"
#endif

/*
 * Whether @task is runnable. 5.14 added task_is_running() when it renamed
 * task_struct::state to __state, so that code no longer reads the field.
 */
#ifndef AMD_GA_HAVE_TASK_IS_RUNNING
#define task_is_running(task) (READ_ONCE((task)->state) == TASK_RUNNING)
#endif

#endif /* AMD_GA_COMPAT_H */
