// SPDX-License-Identifier: GPL-2.0-only
/* try_cmpxchg128() and system_has_cmpxchg128() on a u128 (6.5) */
#include <linux/atomic.h>
#include <linux/cpufeature.h>
#include <linux/mmdebug.h>
#include <linux/types.h>

static u128 amd_ga_probe_val;

static bool __used amd_ga_probe(u128 new)
{
	u128 old = 0;

	return system_has_cmpxchg128() &&
	       try_cmpxchg128(&amd_ga_probe_val, &old, new);
}
