// SPDX-License-Identifier: GPL-2.0-only
/*
 * Instantiate amd-ga's tracepoints (see trace.h).
 *
 * tracefs, perf and BPF reach the tracepoints without an export. A module
 * that attaches a probe of its own with register_trace_<event>() needs
 * them exported: test builds do that (CONFIG_AMD_GA_TEST); a production
 * amd_ga.ko exports its consumer API only.
 */
#include <linux/module.h>

#define CREATE_TRACE_POINTS
#include "trace.h"

#if IS_ENABLED(CONFIG_AMD_GA_TEST)
EXPORT_TRACEPOINT_SYMBOL_GPL(amd_ga_galog_entry);
EXPORT_TRACEPOINT_SYMBOL_GPL(amd_ga_galog_batch);
EXPORT_TRACEPOINT_SYMBOL_GPL(amd_ga_galog_overflow);
EXPORT_TRACEPOINT_SYMBOL_GPL(amd_ga_galog_restart);
EXPORT_TRACEPOINT_SYMBOL_GPL(amd_ga_galog_recovery);
EXPORT_TRACEPOINT_SYMBOL_GPL(amd_ga_dispatch_miss);
EXPORT_TRACEPOINT_SYMBOL_GPL(amd_ga_irte_write);
EXPORT_TRACEPOINT_SYMBOL_GPL(amd_ga_irte32_write);
#endif
