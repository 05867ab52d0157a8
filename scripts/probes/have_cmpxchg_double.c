// SPDX-License-Identifier: GPL-2.0-only
/* cmpxchg_double() and system_has_cmpxchg_double() (until 6.4) */
#include <linux/atomic.h>
#include <linux/cpufeature.h>
#include <linux/mmdebug.h>
#include <linux/types.h>

static u64 amd_ga_probe_val[2] __aligned(16);

static bool __used amd_ga_probe(u64 lo, u64 hi)
{
	return system_has_cmpxchg_double() &&
	       cmpxchg_double(&amd_ga_probe_val[0], &amd_ga_probe_val[1],
			      0, 0, lo, hi);
}
