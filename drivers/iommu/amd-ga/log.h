/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Messages from paths that may run under a raw spinlock: IRTE writes and
 * their invalidation wait, the run-state hot path, route-change kicks.
 * amd_ga_err_ratelimited() and amd_ga_warn_ratelimited() are
 * pr_err_ratelimited() and pr_warn_ratelimited() made safe there.
 *
 * printk() takes the console driver's lock, which sleeps on PREEMPT_RT
 * (lockdep's raw lock nesting check reports it), and a serial console
 * prints for milliseconds with interrupts off anywhere. These format the
 * message into a small ring and let a work item print it. The kernel's
 * printk_deferred() would do, but modules cannot use it on every kernel
 * amd-ga builds for (6.1 does not export it).
 */
#ifndef AMD_GA_LOG_H
#define AMD_GA_LOG_H

#include <linux/compiler_attributes.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>

__printf(1, 2) void amd_ga_msg_defer(const char *fmt, ...);
void amd_ga_msg_flush(void);

#define amd_ga_msg_ratelimited(level, fmt, ...)				\
({									\
	static DEFINE_RATELIMIT_STATE(_amd_ga_rs,			\
				      DEFAULT_RATELIMIT_INTERVAL,	\
				      DEFAULT_RATELIMIT_BURST);		\
									\
	if (__ratelimit(&_amd_ga_rs))					\
		amd_ga_msg_defer(level pr_fmt(fmt), ##__VA_ARGS__);	\
})

#define amd_ga_err_ratelimited(fmt, ...) \
	amd_ga_msg_ratelimited(KERN_ERR, fmt, ##__VA_ARGS__)
#define amd_ga_warn_ratelimited(fmt, ...) \
	amd_ga_msg_ratelimited(KERN_WARNING, fmt, ##__VA_ARGS__)

#endif /* AMD_GA_LOG_H */
