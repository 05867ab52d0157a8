// SPDX-License-Identifier: GPL-2.0-only
/*
 * Instantiate amd-ga's tracepoints (see trace.h).
 *
 * The tracepoints are exported so that a module that is not amd_ga.ko (a
 * test or demo module, a consumer's debugging aid) can attach a probe
 * with register_trace_<event>().
 */
#include <linux/module.h>

#define CREATE_TRACE_POINTS
#include "trace.h"

EXPORT_TRACEPOINT_SYMBOL_GPL(amd_ga_galog_entry);
EXPORT_TRACEPOINT_SYMBOL_GPL(amd_ga_galog_batch);
EXPORT_TRACEPOINT_SYMBOL_GPL(amd_ga_galog_overflow);
EXPORT_TRACEPOINT_SYMBOL_GPL(amd_ga_galog_restart);
EXPORT_TRACEPOINT_SYMBOL_GPL(amd_ga_galog_recovery);
EXPORT_TRACEPOINT_SYMBOL_GPL(amd_ga_dispatch_miss);
EXPORT_TRACEPOINT_SYMBOL_GPL(amd_ga_irte_write);
EXPORT_TRACEPOINT_SYMBOL_GPL(amd_ga_irte32_write);
