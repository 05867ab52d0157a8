// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stand-in vCPU host for the GA log tests (see standin.h).
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/stdarg.h>
#include <linux/amd-ga.h>

#include "atomic128.h"
#include "iommu.h"
#include "standin.h"
#include "vapic.h"

static const struct amd_ga_model_ops standin_model_ops;

/* The consumer's notifier: decode + lookup + wake, as kvm_amd's will be. */
int standin_notifier(u32 ga_tag)
{
	struct amd_ga_vcpu *rec = amd_ga_vcpu_lookup(ga_tag);
	struct standin_vcpu *sv;

	if (!rec)
		return -ENOENT;
	sv = amd_ga_vcpu_priv(rec);
	atomic_inc(&sv->wakes);
	atomic64_inc(&sv->host->notified);
	wake_up_process(sv->task);
	return 0;
}

static void standin_doorbell(void *ctx, u32 dest)
{
	struct standin_host *h = ctx;

	atomic64_inc(&h->doorbells);
}

static const struct amd_ga_model_ops standin_model_ops = {
	.doorbell = standin_doorbell,
};

/*
 * A helper gave up waiting: say what was lost, in the running case's log
 * (none in a kthread of the test's own) and, the first time, in @h->lost
 * for the caller's failure message. The caller's check is the failure.
 */
static __printf(2, 3) void standin_report(struct standin_host *h,
					  const char *fmt, ...)
{
	struct kunit *test = current->kunit_test;
	char buf[sizeof(h->lost)];
	va_list args;

	va_start(args, fmt);
	vscnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	if (!atomic_xchg(&h->lost_claimed, 1))
		strscpy(h->lost, buf, sizeof(h->lost));
	if (test)
		kunit_info(test, "%s\n", buf);
	else
		pr_warn("amd-ga standin: %s\n", buf);
}

static const char *standin_state(struct standin_vcpu *sv)
{
	if (!sv->rec)
		return "destroyed";
	return amd_ga_vcpu_state_name(READ_ONCE(sv->rec->state));
}

static u32 standin_tag(struct standin_vcpu *sv)
{
	return sv->rec ? amd_ga_vcpu_ga_tag(sv->rec) : 0;
}

/*
 * Vector STANDIN_VEC_BASE + @j of vCPU @sv was not consumed @ms after
 * @since (its post, or the start of a wait); @left are pending in all.
 */
static void standin_report_vector(struct standin_vcpu *sv, unsigned int j,
				  const char *since, unsigned int ms,
				  unsigned int left)
{
	standin_report(sv->host,
		       "lost wakeup: vCPU %u (GATag %#x) vector %u still pending %u ms after %s (%u pending; vCPU %s, its task %s, %d notifier calls)",
		       sv->idx, standin_tag(sv), STANDIN_VEC_BASE + j, ms,
		       since, left,
		       standin_state(sv),
		       sv->task && task_is_running(sv->task) ? "running" : "asleep",
		       atomic_read(&sv->wakes));
}

/* Point every IRTE of @sv at a running (this CPU) or blocking vCPU. */
static void standin_irtes(struct standin_vcpu *sv, bool running)
{
	struct standin_host *h = sv->host;
	struct amd_ga_guest_cfg cfg = {
		.remap_en = true,
		.ga_log_intr = !running,
		.is_run = running,
		.dest = running ? raw_smp_processor_id() : 0,
		.ga_tag = amd_ga_vcpu_ga_tag(sv->rec),
		.ga_root_pa = virt_to_phys(sv->page),
	};
	struct amd_ga_irte irte;
	unsigned int j;

	for (j = 0; j < h->nvec; j++) {
		cfg.vector = STANDIN_VEC_BASE + j;
		if (amd_ga_irte_make_guest(&cfg, true, &irte))
			continue;
		amd_ga_modelenv_write_irte(&h->env, sv->idx, j, &irte);
	}
}

static bool standin_vcpu_pending(struct standin_vcpu *sv)
{
	unsigned int j;

	for (j = 0; j < sv->host->nvec; j++)
		if (amd_ga_vapic_irr_test(sv->page, STANDIN_VEC_BASE + j))
			return true;
	return false;
}

static void standin_consume(struct standin_vcpu *sv)
{
	unsigned int j, n = 0;

	for (j = 0; j < sv->host->nvec; j++)
		n += amd_ga_vapic_irr_test_and_clear(sv->page,
						     STANDIN_VEC_BASE + j);
	if (n)
		atomic64_add(n, &sv->host->handled);
}

/* A vCPU: run (consume), then block exactly as KVM does, then sleep. */
static int standin_vcpu_fn(void *data)
{
	struct standin_vcpu *sv = data;

	while (!kthread_should_stop()) {
		standin_consume(sv);
		set_current_state(TASK_INTERRUPTIBLE);
		standin_irtes(sv, false);
		amd_ga_vcpu_set_blocked(sv->rec, true);
		if (!standin_vcpu_pending(sv) && !kthread_should_stop()) {
			/* Only a wakeup ends this: the IRR was looked at. */
			smp_store_release(&sv->asleep, true);
			schedule();
			WRITE_ONCE(sv->asleep, false);
		}
		__set_current_state(TASK_RUNNING);
		amd_ga_vcpu_set_blocked(sv->rec, false);
		standin_irtes(sv, true);
	}
	return 0;
}

/**
 * standin_post() - device of vCPU @v raises IRTE @j, if that vector is idle
 * @h: the host
 * @v: vCPU index
 * @j: vector slot
 *
 * Only idle vectors are posted, so every post must show up as exactly
 * one consumed vector: the IRR cannot merge two of them.
 *
 * Return: true if posted.
 */
bool standin_post(struct standin_host *h, unsigned int v, unsigned int j)
{
	struct standin_vcpu *sv = &h->vcpus[v];

	if (amd_ga_vapic_irr_test(sv->page, STANDIN_VEC_BASE + j))
		return false;
	/* Before the IRR bit: whoever sees the bit sees when it was posted. */
	WRITE_ONCE(sv->posted_at[j], jiffies);
	amd_ga_model_raise(h->env.model, sv->idx, j);
	atomic64_inc(&h->posted);
	return true;
}

/**
 * standin_post_random() - post to random vectors of a range of vCPUs
 * @h: the host
 * @first: first vCPU
 * @count: number of vCPUs
 * @n: interrupts to post
 * @timeout_ms: how long a posted vector may stay pending
 *
 * Posts @n interrupts to random vectors of vCPUs @first..@first + @count - 1,
 * skipping a vector that is still pending for another one. A vector found
 * still pending @timeout_ms after its post is a lost wakeup: it is
 * reported (vCPU, GATag, vector, in the case's log and @h->lost) and
 * posting stops there, so that the caller fails on the count at once.
 * Without a loss every post is consumed within @timeout_ms, so the call
 * ends.
 *
 * Return: the number posted.
 */
unsigned int standin_post_random(struct standin_host *h, unsigned int first,
				 unsigned int count, unsigned int n,
				 unsigned int timeout_ms)
{
	unsigned long lost = msecs_to_jiffies(timeout_ms), at;
	unsigned int done = 0, v, j;

	while (done < n) {
		v = first + get_random_u32() % count;
		j = get_random_u32() % h->nvec;
		if (standin_post(h, v, j)) {
			done++;
			continue;
		}
		at = READ_ONCE(h->vcpus[v].posted_at[j]);
		if (time_after(jiffies, at + lost) &&
		    amd_ga_vapic_irr_test(h->vcpus[v].page, STANDIN_VEC_BASE + j)) {
			standin_report_vector(&h->vcpus[v], j, "its post",
					      jiffies_to_msecs(jiffies - at),
					      standin_pending(h));
			break;
		}
		cond_resched();
	}
	return done;
}

/* Vectors posted and not consumed yet. */
unsigned int standin_pending(struct standin_host *h)
{
	unsigned int v, j, n = 0;

	for (v = 0; v < h->nvcpus; v++)
		for (j = 0; j < h->nvec; j++)
			n += amd_ga_vapic_irr_test(h->vcpus[v].page,
						   STANDIN_VEC_BASE + j);
	return n;
}

/**
 * standin_settle() - wait until every posted vector is consumed
 * @h: the host
 * @timeout_ms: the bound; a vector still pending then is a lost wakeup
 *
 * The first vector left is reported (vCPU, GATag, vector, in the case's
 * log and @h->lost); the caller's check of the count is the failure.
 *
 * Return: the number of vectors still pending.
 */
unsigned int standin_settle(struct standin_host *h, unsigned int timeout_ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(timeout_ms);
	unsigned int left, v, j;

	while ((left = standin_pending(h)) && time_before(jiffies, end))
		usleep_range(200, 400);
	if (!left)
		return 0;
	for (v = 0; v < h->nvcpus; v++)
		for (j = 0; j < h->nvec; j++)
			if (amd_ga_vapic_irr_test(h->vcpus[v].page,
						  STANDIN_VEC_BASE + j)) {
				standin_report_vector(&h->vcpus[v], j,
						      "the wait for it began",
						      timeout_ms, left);
				return left;
			}
	return left;
}

/* Blocked, its task asleep and past its last look at the IRR. */
static bool standin_vcpu_asleep(struct standin_vcpu *sv)
{
	return READ_ONCE(sv->rec->state) == AMD_GA_VCPU_BLOCKED &&
	       !task_is_running(sv->task) &&
	       /*
		* Pairs with the release in standin_vcpu_fn(): the thread's
		* IRR look is done, so a vector posted after this reads true
		* reaches it only through a wakeup.
		*/
	       smp_load_acquire(&sv->asleep);
}

/**
 * standin_wait_blocked() - wait until every vCPU is blocked
 * @h: the host
 * @timeout_ms: the bound; the first vCPU not blocked then is reported
 *
 * Blocked: its record says so and its task sleeps (or is about to), past
 * its last look at the IRR. A vector posted afterwards reaches it only
 * through a wakeup (the GA log, recovery), not through that look: tests
 * that count wakeups depend on it.
 *
 * Return: true if every vCPU got there within @timeout_ms.
 */
bool standin_wait_blocked(struct standin_host *h, unsigned int timeout_ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(timeout_ms);
	struct standin_vcpu *sv;
	unsigned int v;

	for (v = 0; v < h->nvcpus; v++) {
		sv = &h->vcpus[v];
		while (!standin_vcpu_asleep(sv)) {
			if (time_after(jiffies, end)) {
				standin_report(h,
					       "vCPU %u (GATag %#x) not blocked within %u ms (vCPU %s, its task %s)",
					       v, standin_tag(sv), timeout_ms,
					       standin_state(sv),
					       task_is_running(sv->task) ?
					       "running" : "asleep");
				return false;
			}
			usleep_range(100, 200);
		}
	}
	return true;
}

/**
 * standin_galog_drained() - wait until the GA log is drained
 * @h: the host
 * @timeout_ms: the bound; what is left then is reported
 *
 * Waits on the drain itself, not on the registers alone: under the drain
 * lock (only tried, so that a drain that never ends fails the bound
 * rather than hanging the case) no drain, IRQ thread or direct, is
 * between its tail read and the accounting at its end. Drained means,
 * under that lock: the driver's head equals the Tail register, read
 * after every entry the caller had written, so a drain that started
 * after the last of them consumed it, called the notifier for it and
 * counted it; the Head register says the same (the IOMMU reuses slots
 * by it); and Status shows neither GAInt nor GALOverflow, so no
 * interrupt round (drain, restart, recovery) is still to come. Head ==
 * Tail in the registers is not enough: a pass that wrote the Head
 * register before it had read its entries would look drained while it
 * still scans them.
 *
 * Context: process context, may sleep; with the drain lock held it can
 * only time out.
 * Return: true if drained within @timeout_ms (or no GA log is enabled).
 */
bool standin_galog_drained(struct standin_host *h, unsigned int timeout_ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(timeout_ms);
	struct amd_ga_iommu *iommu = h->env.iommu;
	u32 mask = AMD_GA_GALOG_PTR & (AMD_GA_GALOG_BYTES - 1);
	struct amd_ga_galog *gl;
	u32 head = 0, hw_head = 0, tail = 0;
	u64 status = 0;

	for (;;) {
		gl = READ_ONCE(iommu->galog);
		if (!gl)
			return true;
		/* A drain runs: not drained. A drain that never ends: bounded. */
		if (mutex_trylock(&gl->drain_lock)) {
			tail = amd_ga_read(iommu, AMD_GA_MMIO_GALOG_TAIL) & mask;
			hw_head = amd_ga_read(iommu, AMD_GA_MMIO_GALOG_HEAD) & mask;
			status = amd_ga_read(iommu, AMD_GA_MMIO_STATUS) &
				 (AMD_GA_STATUS_GALOG_INT |
				  AMD_GA_STATUS_GALOG_OVERFLOW);
			head = gl->head;
			mutex_unlock(&gl->drain_lock);
			if (head == tail && hw_head == head && !status)
				return true;
		}
		if (time_after(jiffies, end))
			break;
		usleep_range(200, 400);
	}
	standin_report(h,
		       "GA log not drained within %u ms: driver head %#x, Head register %#x, Tail %#x, Status GAInt|GALOverflow %#llx",
		       timeout_ms, head, hw_head, tail, status);
	return false;
}

/* Wake every vCPU by hand (after a test that switched recovery off). */
void standin_kick_all(struct standin_host *h)
{
	unsigned int v;

	for (v = 0; v < h->nvcpus; v++)
		wake_up_process(h->vcpus[v].task);
}

/**
 * standin_init() - a model, a VM with @nvcpus vCPUs of @nvec IRTEs each
 * @h: the host, zeroed
 * @nvcpus: vCPUs (at most AMD_GA_ENV_MAX_DEVS)
 * @nvec: IRTEs per vCPU (at most STANDIN_MAX_VEC)
 * @start: start the vCPU kthreads and register standin_notifier()
 *
 * Return: 0 or a negative errno.
 */
int standin_init(struct standin_host *h, unsigned int nvcpus, unsigned int nvec,
		 bool start)
{
	struct standin_vcpu *sv;
	unsigned int v, j;
	int ret;

	if (nvec > STANDIN_MAX_VEC || !nvcpus)
		return -EINVAL;
	ret = amd_ga_modelenv_init(&h->env, nvcpus, &standin_model_ops, h);
	if (ret)
		return ret;
	h->gl = h->env.iommu->galog;
	h->nvcpus = nvcpus;
	h->nvec = nvec;
	h->vcpus = kcalloc(nvcpus, sizeof(*h->vcpus), GFP_KERNEL);
	h->vm = amd_ga_vm_create(nvcpus, h);
	if (!h->vcpus || IS_ERR(h->vm)) {
		ret = -ENOMEM;
		goto err;
	}
	for (v = 0; v < nvcpus; v++) {
		sv = &h->vcpus[v];
		sv->host = h;
		sv->idx = v;
		sv->page = (void *)get_zeroed_page(GFP_KERNEL);
		sv->rec = amd_ga_vcpu_create(h->vm, v, sv);
		if (!sv->page || IS_ERR(sv->rec)) {
			ret = -ENOMEM;
			goto err;
		}
		amd_ga_vcpu_set_backing(sv->rec, sv->page);
		for (j = 0; j < nvec; j++)
			amd_ga_vcpu_add_irte(sv->rec, &sv->irte[j],
					     STANDIN_VEC_BASE + j);
		standin_irtes(sv, false);
		sv->task = kthread_create(standin_vcpu_fn, sv, "ga-vcpu/%u", v);
		if (IS_ERR(sv->task)) {
			ret = PTR_ERR(sv->task);
			sv->task = NULL;
			goto err;
		}
		get_task_struct(sv->task);
	}
	if (start) {
		amd_ga_register_ga_log_notifier(standin_notifier);
		for (v = 0; v < nvcpus; v++)
			wake_up_process(h->vcpus[v].task);
	}
	return 0;
err:
	standin_exit(h);
	return ret;
}

/*
 * Stop vCPU @v's kthread. The task reference stays until standin_exit(),
 * so a late notifier may still wake it harmlessly.
 */
void standin_stop_vcpu(struct standin_host *h, unsigned int v)
{
	struct standin_vcpu *sv = &h->vcpus[v];

	if (sv->task && !sv->stopped) {
		kthread_stop(sv->task);
		sv->stopped = true;
	}
}

/* Stop the vCPUs, unregister, remove the VM and the model. */
void standin_exit(struct standin_host *h)
{
	struct standin_vcpu *sv;
	unsigned int v, j;

	amd_ga_register_ga_log_notifier(NULL);
	for (v = 0; h->vcpus && v < h->nvcpus; v++) {
		sv = &h->vcpus[v];
		standin_stop_vcpu(h, v);
		if (sv->task)
			put_task_struct(sv->task);
		if (!IS_ERR_OR_NULL(sv->rec))
			for (j = 0; j < h->nvec; j++)
				amd_ga_vcpu_del_irte(sv->rec, &sv->irte[j]);
	}
	amd_ga_modelenv_exit(&h->env);
	/* The records outlive the VM: each is destroyed on its own. */
	for (v = 0; h->vcpus && v < h->nvcpus; v++)
		amd_ga_vcpu_destroy(h->vcpus[v].rec);
	amd_ga_vm_destroy(h->vm);
	/* Records may still be read by a late notifier until this returns. */
	synchronize_rcu();
	for (v = 0; h->vcpus && v < h->nvcpus; v++)
		if (h->vcpus[v].page)
			free_page((unsigned long)h->vcpus[v].page);
	kfree(h->vcpus);
	h->vcpus = NULL;
}
