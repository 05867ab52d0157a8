/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A stand-in vCPU host for the GA log tests: a model with tables, a VM in
 * the GATag registry and vCPU kthreads that block the way KVM's do (IRTEs
 * to IsRun = 0 + GALogIntr = 1, re-check the IRR, sleep) and consume the
 * vectors posted to their backing pages.
 */
#ifndef AMD_GA_KUNIT_STANDIN_H
#define AMD_GA_KUNIT_STANDIN_H

#include <linux/atomic.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "galog.h"
#include "modelenv.h"
#include "vcpu.h"

#define STANDIN_MAX_VEC		16
#define STANDIN_VEC_BASE	32

struct standin_host;

/**
 * struct standin_vcpu - one stand-in vCPU
 * @host: its host
 * @rec: amd-ga's record of it
 * @task: its kthread
 * @page: vAPIC backing page
 * @idx: vCPU index; also its device ID (one device per vCPU)
 * @irte: one guest-mode IRTE per vector, IRT index = vector - base
 * @wakes: notifier calls for this vCPU
 * @posted_at: jiffies of the last standin_post() of each vector
 * @stopped: its kthread was stopped (the task reference is kept)
 * @asleep: past its last look at the IRR, until it is woken; written with
 *	release, read with acquire (standin_vcpu_asleep())
 */
struct standin_vcpu {
	struct standin_host *host;
	struct amd_ga_vcpu *rec;
	struct task_struct *task;
	void *page;
	unsigned int idx;
	struct amd_ga_vcpu_irte irte[STANDIN_MAX_VEC];
	atomic_t wakes;
	unsigned long posted_at[STANDIN_MAX_VEC];
	bool stopped;
	bool asleep;
};

/**
 * struct standin_host - a model, a VM and its stand-in vCPUs
 * @env: model and tables
 * @gl: the model's GA log
 * @vm: the VM in the registry
 * @nvcpus: number of vCPUs
 * @nvec: vectors (IRTEs) per vCPU
 * @vcpus: the vCPUs
 * @posted: interrupts posted
 * @handled: vectors consumed by vCPUs
 * @doorbells: doorbells rung by the model
 * @notified: notifier calls that woke a vCPU
 * @unknown: notifier calls for unknown tags
 * @lost_claimed: @lost is written (by the first helper that gave up)
 * @lost: what the first helper that gave up waiting saw: the vCPU (index
 *	and GATag) and the vector of a lost wakeup, or what was not drained;
 *	"" while none did. Also printed to the running case's log.
 */
struct standin_host {
	struct amd_ga_modelenv env;
	struct amd_ga_galog *gl;
	struct amd_ga_vm *vm;
	unsigned int nvcpus;
	unsigned int nvec;
	struct standin_vcpu *vcpus;
	atomic64_t posted;
	atomic64_t handled;
	atomic64_t doorbells;
	atomic64_t notified;
	atomic64_t unknown;
	atomic_t lost_claimed;
	char lost[192];
};

int standin_notifier(u32 ga_tag);
int standin_init(struct standin_host *h, unsigned int nvcpus, unsigned int nvec,
		 bool start);
void standin_exit(struct standin_host *h);
bool standin_post(struct standin_host *h, unsigned int v, unsigned int j);
unsigned int standin_pending(struct standin_host *h);
unsigned int standin_settle(struct standin_host *h, unsigned int timeout_ms);
unsigned int standin_post_random(struct standin_host *h, unsigned int first,
				 unsigned int count, unsigned int n,
				 unsigned int timeout_ms);
bool standin_wait_blocked(struct standin_host *h, unsigned int timeout_ms);
bool standin_galog_drained(struct standin_host *h, unsigned int timeout_ms);
void standin_kick_all(struct standin_host *h);
void standin_stop_vcpu(struct standin_host *h, unsigned int v);

/* After losses a case expected: the next helper that gives up fills @lost. */
static inline void standin_forget_lost(struct standin_host *h)
{
	h->lost[0] = '\0';
	atomic_set(&h->lost_claimed, 0);
}

#endif /* AMD_GA_KUNIT_STANDIN_H */
