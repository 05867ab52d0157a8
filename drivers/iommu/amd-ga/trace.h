/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amd-ga tracepoints: the GA log path (entries, batches, overflow, restart,
 * lossless recovery, dispatch misses) and IRTE writes.
 *
 * Use them from perf or trace-cmd, e.g.
 *	perf record -e 'amd_ga:*' -a
 *	trace-cmd record -e amd_ga
 * or attach a probe in kernel code with register_trace_<event>().
 *
 * trace.c instantiates the events with CREATE_TRACE_POINTS. Its object is
 * compiled with -I$(src) (see Makefile) so that TRACE_INCLUDE_PATH "."
 * finds this file both in a kernel tree and in an M= build.
 */
#ifndef AMD_GA_TRACE_TYPES_H
#define AMD_GA_TRACE_TYPES_H

#include <linux/types.h>

/**
 * enum amd_ga_miss_reason - why a GA log entry woke nobody
 * @AMD_GA_MISS_BAD_CODE: event code other than "guest interrupt, vCPU not
 *	running" (1)
 * @AMD_GA_MISS_TORN: the entry was read before the IOMMU finished writing it
 * @AMD_GA_MISS_BAD_TAG: the GATag does not fit the layout in use (VM ID 0)
 * @AMD_GA_MISS_STALE_TAG: the notifier knows no vCPU with this tag (an
 *	unknown or destroyed VM or vCPU)
 * @AMD_GA_MISS_NO_NOTIFIER: no GA log notifier is registered
 */
enum amd_ga_miss_reason {
	AMD_GA_MISS_BAD_CODE,
	AMD_GA_MISS_TORN,
	AMD_GA_MISS_BAD_TAG,
	AMD_GA_MISS_STALE_TAG,
	AMD_GA_MISS_NO_NOTIFIER,
};

#endif /* AMD_GA_TRACE_TYPES_H */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM amd_ga

#if !defined(AMD_GA_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define AMD_GA_TRACE_H

#include <linux/string.h>
#include <linux/tracepoint.h>

#include "iommu.h"
#include "irte.h"

TRACE_DEFINE_ENUM(AMD_GA_MISS_BAD_CODE);
TRACE_DEFINE_ENUM(AMD_GA_MISS_TORN);
TRACE_DEFINE_ENUM(AMD_GA_MISS_BAD_TAG);
TRACE_DEFINE_ENUM(AMD_GA_MISS_STALE_TAG);
TRACE_DEFINE_ENUM(AMD_GA_MISS_NO_NOTIFIER);

/*
 * Every event names its IOMMU by the instance name ("amd-ga0", ...), copied
 * into a fixed array: __string()/__assign_str() changed form in 6.10 and
 * the events must build on 5.10 to 7.2 alike. Device IDs print as
 * bus:device.function, the way lspci shows them.
 *
 * The length is a literal so that the event's format file reads
 * "char iommu[16]", which perf and trace-cmd parse.
 */
#define AMD_GA_TP_NAME_LEN	16
static_assert(sizeof_field(struct amd_ga_iommu, name) == AMD_GA_TP_NAME_LEN);

/*
 * amd_ga_galog_entry - a GA log entry was dispatched to the notifier (the
 *	first entry of its tag in a drain pass; later ones are coalesced)
 * @iommu: the IOMMU whose log held the entry
 * @ga_tag: the entry's GATag
 * @vm_id: VM ID decoded from @ga_tag
 * @vcpu_idx: vCPU index decoded from @ga_tag
 * @devid: requester ID of the device that raised the interrupt
 */
TRACE_EVENT(amd_ga_galog_entry,
	    TP_PROTO(const struct amd_ga_iommu *iommu, u32 ga_tag, u32 vm_id,
		     u32 vcpu_idx, u16 devid),
	    TP_ARGS(iommu, ga_tag, vm_id, vcpu_idx, devid),
	    TP_STRUCT__entry(__array(char, iommu, AMD_GA_TP_NAME_LEN)
			     __field(u32, ga_tag)
			     __field(u32, vm_id)
			     __field(u32, vcpu_idx)
			     __field(u16, devid)),
	    TP_fast_assign(memcpy(__entry->iommu, iommu->name,
				  AMD_GA_TP_NAME_LEN);
			   __entry->ga_tag = ga_tag;
			   __entry->vm_id = vm_id;
			   __entry->vcpu_idx = vcpu_idx;
			   __entry->devid = devid;),
	    TP_printk("%s gatag=%#010x vm=%u vcpu=%u dev=%02x:%02x.%x",
		      __entry->iommu, __entry->ga_tag, __entry->vm_id,
		      __entry->vcpu_idx, __entry->devid >> 8,
		      (__entry->devid >> 3) & 0x1f, __entry->devid & 0x7)
);

/*
 * amd_ga_galog_batch - one drain pass consumed entries
 * @iommu: the IOMMU
 * @count: entries consumed in this pass
 * @log_head: GA log head after the pass (byte offset, as the register
 *	holds it)
 * @log_tail: GA log tail the pass drained up to (byte offset)
 */
TRACE_EVENT(amd_ga_galog_batch,
	    TP_PROTO(const struct amd_ga_iommu *iommu, u32 count, u32 log_head,
		     u32 log_tail),
	    TP_ARGS(iommu, count, log_head, log_tail),
	    TP_STRUCT__entry(__array(char, iommu, AMD_GA_TP_NAME_LEN)
			     __field(u32, count)
			     __field(u32, head)
			     __field(u32, tail)),
	    TP_fast_assign(memcpy(__entry->iommu, iommu->name,
				  AMD_GA_TP_NAME_LEN);
			   __entry->count = count;
			   __entry->head = log_head;
			   __entry->tail = log_tail;),
	    TP_printk("%s count=%u head=%#x tail=%#x", __entry->iommu,
		      __entry->count, __entry->head, __entry->tail)
);

/*
 * amd_ga_galog_overflow - the IOMMU reported GALOverflow: entries were lost
 * @iommu: the IOMMU
 * @status: the GA log bits of the Status register as read (GAInt,
 *	GALOverflow)
 * @log_head: GA log head (byte offset)
 * @log_tail: GA log tail register (byte offset)
 */
TRACE_EVENT(amd_ga_galog_overflow,
	    TP_PROTO(const struct amd_ga_iommu *iommu, u64 status, u32 log_head,
		     u32 log_tail),
	    TP_ARGS(iommu, status, log_head, log_tail),
	    TP_STRUCT__entry(__array(char, iommu, AMD_GA_TP_NAME_LEN)
			     __field(u64, status)
			     __field(u32, head)
			     __field(u32, tail)),
	    TP_fast_assign(memcpy(__entry->iommu, iommu->name,
				  AMD_GA_TP_NAME_LEN);
			   __entry->status = status;
			   __entry->head = log_head;
			   __entry->tail = log_tail;),
	    TP_printk("%s status=%#llx head=%#x tail=%#x", __entry->iommu,
		      __entry->status, __entry->head, __entry->tail)
);

/*
 * amd_ga_galog_restart - the GA log restart sequence ran
 * @iommu: the IOMMU
 * @err: 0, or the negative errno the sequence ended with (-ETIMEDOUT when
 *	GALogRun did not reach the wanted state in time)
 */
TRACE_EVENT(amd_ga_galog_restart,
	    TP_PROTO(const struct amd_ga_iommu *iommu, int err),
	    TP_ARGS(iommu, err),
	    TP_STRUCT__entry(__array(char, iommu, AMD_GA_TP_NAME_LEN)
			     __field(int, err)),
	    TP_fast_assign(memcpy(__entry->iommu, iommu->name,
				  AMD_GA_TP_NAME_LEN);
			   __entry->err = err;),
	    TP_printk("%s err=%d", __entry->iommu, __entry->err)
);

/*
 * amd_ga_galog_recovery - a lossless recovery pass after lost entries ended
 * @iommu: the IOMMU whose log lost entries (overflow or torn slots)
 * @checked: vCPUs re-checked (blocked state and posted vectors in the IRR)
 * @woken: vCPUs handed to the notifier because an interrupt was pending
 */
TRACE_EVENT(amd_ga_galog_recovery,
	    TP_PROTO(const struct amd_ga_iommu *iommu, u32 checked, u32 woken),
	    TP_ARGS(iommu, checked, woken),
	    TP_STRUCT__entry(__array(char, iommu, AMD_GA_TP_NAME_LEN)
			     __field(u32, checked)
			     __field(u32, woken)),
	    TP_fast_assign(memcpy(__entry->iommu, iommu->name,
				  AMD_GA_TP_NAME_LEN);
			   __entry->checked = checked;
			   __entry->woken = woken;),
	    TP_printk("%s checked=%u woken=%u", __entry->iommu,
		      __entry->checked, __entry->woken)
);

/*
 * amd_ga_dispatch_miss - a GA log entry was skipped
 * @iommu: the IOMMU whose log held the entry
 * @ga_tag: the entry's GATag (0 for a torn entry)
 * @devid: the entry's requester ID (0 for a torn entry)
 * @code: the entry's event code (0 for a torn entry)
 * @reason: why it was skipped, an &enum amd_ga_miss_reason
 */
TRACE_EVENT(amd_ga_dispatch_miss,
	    TP_PROTO(const struct amd_ga_iommu *iommu, u32 ga_tag, u16 devid,
		     u8 code, enum amd_ga_miss_reason reason),
	    TP_ARGS(iommu, ga_tag, devid, code, reason),
	    TP_STRUCT__entry(__array(char, iommu, AMD_GA_TP_NAME_LEN)
			     __field(u32, ga_tag)
			     __field(u16, devid)
			     __field(u8, code)
			     __field(int, reason)),
	    TP_fast_assign(memcpy(__entry->iommu, iommu->name,
				  AMD_GA_TP_NAME_LEN);
			   __entry->ga_tag = ga_tag;
			   __entry->devid = devid;
			   __entry->code = code;
			   __entry->reason = reason;),
	    TP_printk("%s gatag=%#010x dev=%02x:%02x.%x code=%u why=%s",
		      __entry->iommu, __entry->ga_tag, __entry->devid >> 8,
		      (__entry->devid >> 3) & 0x1f, __entry->devid & 0x7,
		      __entry->code,
		      __print_symbolic(__entry->reason,
				       { AMD_GA_MISS_BAD_CODE, "bad_code" },
				       { AMD_GA_MISS_TORN, "torn_entry" },
				       { AMD_GA_MISS_BAD_TAG, "bad_tag" },
				       { AMD_GA_MISS_STALE_TAG, "stale_tag" },
				       { AMD_GA_MISS_NO_NOTIFIER,
					 "no_notifier" }))
);

/*
 * amd_ga_irte_write - a 128-bit IRTE was stored
 * @iommu: the IOMMU that reads the table
 * @devid: requester ID of the device that owns the table
 * @index: entry index in the table
 * @old: the entry before the store
 * @new: the entry stored
 * @invalidated: an INVALIDATE_INTERRUPT_TABLE was issued for it
 */
TRACE_EVENT(amd_ga_irte_write,
	    TP_PROTO(const struct amd_ga_iommu *iommu, u16 devid, u32 index,
		     const struct amd_ga_irte *old,
		     const struct amd_ga_irte *new, bool invalidated),
	    TP_ARGS(iommu, devid, index, old, new, invalidated),
	    TP_STRUCT__entry(__array(char, iommu, AMD_GA_TP_NAME_LEN)
			     __field(u16, devid)
			     __field(u32, index)
			     __field(u64, old_lo)
			     __field(u64, old_hi)
			     __field(u64, new_lo)
			     __field(u64, new_hi)
			     __field(bool, invalidated)),
	    TP_fast_assign(memcpy(__entry->iommu, iommu->name,
				  AMD_GA_TP_NAME_LEN);
			   __entry->devid = devid;
			   __entry->index = index;
			   __entry->old_lo = old->lo;
			   __entry->old_hi = old->hi;
			   __entry->new_lo = new->lo;
			   __entry->new_hi = new->hi;
			   __entry->invalidated = invalidated;),
	    TP_printk("%s dev=%02x:%02x.%x index=%u old=%016llx:%016llx new=%016llx:%016llx inval=%d",
		      __entry->iommu, __entry->devid >> 8,
		      (__entry->devid >> 3) & 0x1f, __entry->devid & 0x7,
		      __entry->index, __entry->old_hi, __entry->old_lo,
		      __entry->new_hi, __entry->new_lo, __entry->invalidated)
);

/*
 * amd_ga_irte32_write - a 32-bit (legacy format) IRTE was stored
 * @iommu: the IOMMU that reads the table
 * @devid: requester ID of the device that owns the table
 * @index: entry index in the table
 * @old: the entry before the store
 * @new: the entry stored
 * @invalidated: an INVALIDATE_INTERRUPT_TABLE was issued for it
 */
TRACE_EVENT(amd_ga_irte32_write,
	    TP_PROTO(const struct amd_ga_iommu *iommu, u16 devid, u32 index,
		     u32 old, u32 new, bool invalidated),
	    TP_ARGS(iommu, devid, index, old, new, invalidated),
	    TP_STRUCT__entry(__array(char, iommu, AMD_GA_TP_NAME_LEN)
			     __field(u16, devid)
			     __field(u32, index)
			     __field(u32, old)
			     __field(u32, new)
			     __field(bool, invalidated)),
	    TP_fast_assign(memcpy(__entry->iommu, iommu->name,
				  AMD_GA_TP_NAME_LEN);
			   __entry->devid = devid;
			   __entry->index = index;
			   __entry->old = old;
			   __entry->new = new;
			   __entry->invalidated = invalidated;),
	    TP_printk("%s dev=%02x:%02x.%x index=%u old=%08x new=%08x inval=%d",
		      __entry->iommu, __entry->devid >> 8,
		      (__entry->devid >> 3) & 0x1f, __entry->devid & 0x7,
		      __entry->index, __entry->old, __entry->new,
		      __entry->invalidated)
);

#endif /* AMD_GA_TRACE_H */

/* This part must be outside the header guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
