// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: a stand-in vCPU host on the software IOMMU model. Several VMs, up
 * to 512 vCPUs each, one kthread per vCPU that loads (on whatever CPU it
 * runs, so the host APIC ID changes as it migrates), runs, gets preempted
 * (put) or blocks the way kvm_vcpu_block() does, while device threads post
 * interrupts through the model and another thread re-targets IRTEs to
 * other vCPUs. Every posted interrupt must be consumed exactly once, found
 * at VM entry, after a doorbell, by the blocking IRR check or after a GA
 * log wake-up; none may stay pending.
 *
 * Each device keeps at most one interrupt outstanding (a vector posted
 * twice before the guest takes it is one interrupt on real hardware too),
 * so "exactly once" is checked per post: the consumer clears the IRR bit
 * and the device's outstanding flag, which must have been set.
 */
#include <kunit/test.h>
#include <linux/amd-ga.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "posted_env.h"
#include "vapic.h"

#define VH_MAX_VMS	PENV_MAX_TABLES
#define VH_VEC_BASE	32
#define VH_MAX_DEVS	(256 - VH_VEC_BASE)
#define VH_IRQ_BASE	0x7e000000
/* Host APIC ID of CPU n: wider than 24 bits, to use Destination[31:24]. */
#define VH_APIC(cpu)	(0x01000000U + 0x10U * (cpu))

enum vh_how { VH_ENTRY, VH_DOORBELL, VH_WINDOW, VH_WAKE, VH_NR_HOW };

static const char * const vh_how_name[VH_NR_HOW] = {
	"at entry", "after a doorbell", "by the blocking check", "after a wake-up",
};

#define VH_POSTERS	2	/* device threads */

struct vh_host;
struct vh_vm;

/**
 * struct vh_poster - a device thread's share of the devices
 * @host: the host
 * @part: it posts for devices part, part + VH_POSTERS, ...
 */
struct vh_poster {
	struct vh_host *host;
	unsigned int part;
};

/**
 * struct vh_vcpu - one stand-in vCPU
 * @vm: its VM
 * @rec: amd-ga's record of it
 * @task: its kthread
 * @page: its vAPIC backing page
 * @kick: a doorbell was rung while it ran
 * @last_cpu: CPU of its last load
 */
struct vh_vcpu {
	struct vh_vm *vm;
	struct amd_ga_vcpu *rec;
	struct task_struct *task;
	void *page;
	atomic_t kick;
	int last_cpu;
};

/**
 * struct vh_dev - a device with one posted IRTE
 * @irte: the IRTE
 * @vector: its guest vector, unique in the VM
 * @outstanding: 1 from the post until a vCPU consumes it
 * @posted_at: jiffies of the post
 * @lost: the post was not consumed in time
 */
struct vh_dev {
	struct penv_irte irte;
	u8 vector;
	atomic_t outstanding;
	unsigned long posted_at;
	bool lost;
};

/**
 * struct vh_vm - a VM: vCPUs and devices
 * @host: the host
 * @vm: its entry in the GATag registry
 * @nvcpus: number of vCPUs
 * @vcpus: the vCPUs
 * @ndevs: number of devices
 * @devs: the devices; device i uses vector VH_VEC_BASE + i and entry i of
 *	the VM's table
 * @table: the VM's interrupt remapping table in the environment
 */
struct vh_vm {
	struct vh_host *host;
	struct amd_ga_vm *vm;
	unsigned int nvcpus;
	struct vh_vcpu *vcpus;
	unsigned int ndevs;
	struct vh_dev *devs;
	unsigned int table;
};

/**
 * struct vh_host - the stand-in host
 * @test: the KUnit case
 * @env: model and tables
 * @posters: the device threads' arguments
 * @nvms: number of VMs
 * @vms: the VMs
 * @running: the vCPU running on each CPU, or NULL (where doorbells go)
 * @stop_devices: device threads stop posting
 * @stop: vCPU threads stop
 * @put_to_sleep: the bug under test: sleep after a plain put instead of
 *	blocking (GALogIntr stays 0)
 * @lost_ms: a post not consumed within this long is lost; the first one
 *	ends the run (a lost post never arrives: waiting on is no use)
 * @lost_claimed: a post was lost and @first_lost describes it
 * @first_lost: the first lost post: VM, device, vector, the vCPU whose IRR
 *	holds it and what its IRTE says
 * @how: consumed interrupts by the way they were found
 * @posted: interrupts posted
 * @results: model results of the posts
 * @duplicates: IRR bits consumed with no post outstanding
 * @lost: posts never consumed
 * @doorbells: doorbells rung by the model
 * @notified: GA log notifier calls
 * @retargets: IRTE moves to another vCPU
 * @migrations: loads on another CPU than the previous one
 * @loads: vCPU loads
 * @blocks: vCPU blockings that slept
 */
struct vh_host {
	struct kunit *test;
	struct penv env;
	struct vh_poster posters[VH_POSTERS];
	unsigned int nvms;
	struct vh_vm vms[VH_MAX_VMS];
	struct vh_vcpu **running;
	bool stop_devices;
	bool stop;
	bool put_to_sleep;
	unsigned int lost_ms;
	atomic_t lost_claimed;
	char first_lost[224];
	atomic64_t how[VH_NR_HOW];
	atomic64_t posted;
	atomic64_t results[AMD_GA_MODEL_NR_RESULTS];
	atomic64_t duplicates;
	atomic64_t lost;
	atomic64_t doorbells;
	atomic64_t notified;
	atomic64_t retargets;
	atomic64_t migrations;
	atomic64_t loads;
	atomic64_t blocks;
};

static struct vh_host *vh_current;

static int vh_notifier(u32 ga_tag)
{
	struct vh_host *h = READ_ONCE(vh_current);
	struct amd_ga_vcpu *rec;
	struct vh_vcpu *v;

	rec = amd_ga_vcpu_lookup(ga_tag);
	if (!h || !rec)
		return -ENOENT;
	v = amd_ga_vcpu_priv(rec);
	atomic64_inc(&h->notified);
	wake_up_process(v->task);
	return 0;
}

/* The AVIC doorbell: the vCPU running on that pCPU, if any, looks at its IRR. */
static void vh_doorbell(void *ctx, u32 dest)
{
	struct vh_host *h = ctx;
	unsigned int cpu = (dest - VH_APIC(0)) / 0x10;
	struct vh_vcpu *v;

	atomic64_inc(&h->doorbells);
	if (dest < VH_APIC(0) || cpu >= nr_cpu_ids)
		return;
	v = READ_ONCE(h->running[cpu]);
	if (v)
		atomic_set(&v->kick, 1);
}

static const struct amd_ga_model_ops vh_model_ops = {
	.doorbell = vh_doorbell,
};

/* Take every pending vector from the IRR, as the guest would. */
static unsigned int vh_consume(struct vh_vcpu *v, enum vh_how how)
{
	struct vh_vm *vm = v->vm;
	struct vh_host *h = vm->host;
	unsigned int i, n = 0;
	struct vh_dev *d;
	u8 vec;

	for (i = 0; i < vm->ndevs; i++) {
		vec = VH_VEC_BASE + i;
		if (!amd_ga_vapic_irr_test_and_clear(v->page, vec))
			continue;
		d = &vm->devs[i];
		if (atomic_xchg(&d->outstanding, 0) != 1)
			atomic64_inc(&h->duplicates);
		atomic64_inc(&h->how[how]);
		n++;
	}
	return n;
}

static bool vh_pending(struct vh_vcpu *v)
{
	unsigned int w;

	for (w = 0; w < 8; w++)
		if (atomic_read(amd_ga_vapic_irr_word(v->page, w * 32)))
			return true;
	return false;
}

/* Run in the guest for a moment: entry, then doorbells. */
static void vh_run(struct vh_vcpu *v)
{
	struct vh_host *h = v->vm->host;
	int cpu = smp_processor_id();
	unsigned int i;

	if (cpu != v->last_cpu)
		atomic64_inc(&h->migrations);
	v->last_cpu = cpu;
	WRITE_ONCE(h->running[cpu], v);
	amd_ga_vcpu_load(v->rec, VH_APIC(cpu));
	atomic64_inc(&h->loads);
	/* VMRUN evaluates the IRR. */
	vh_consume(v, VH_ENTRY);
	for (i = 0; i < 16; i++) {
		if (atomic_xchg(&v->kick, 0))
			vh_consume(v, VH_DOORBELL);
		udelay(2);
	}
	WRITE_ONCE(h->running[cpu], NULL);
}

/*
 * kvm_vcpu_block() ends with avic_vcpu_unblocking() on the pCPU its task
 * runs on; only that ends blocking (a load in the window does not).
 */
static void vh_unblock(struct vh_vcpu *v)
{
	preempt_disable();
	amd_ga_vcpu_unblocking(v->rec, VH_APIC(smp_processor_id()));
	preempt_enable();
}

/* kvm_vcpu_block(): IRTEs to blocking, then the IRR check, then sleep. */
static void vh_block(struct vh_vcpu *v)
{
	struct vh_host *h = v->vm->host;

	if (h->put_to_sleep)
		amd_ga_vcpu_put(v->rec);
	else
		amd_ga_vcpu_blocking(v->rec);
	preempt_enable();
	set_current_state(TASK_INTERRUPTIBLE);
	if (vh_pending(v)) {
		__set_current_state(TASK_RUNNING);
		vh_unblock(v);
		vh_consume(v, VH_WINDOW);
		return;
	}
	if (!kthread_should_stop())
		schedule();
	__set_current_state(TASK_RUNNING);
	atomic64_inc(&h->blocks);
	vh_unblock(v);
	vh_consume(v, VH_WAKE);
}

static int vh_vcpu_fn(void *data)
{
	struct vh_vcpu *v = data;
	struct vh_host *h = v->vm->host;
	unsigned int n = 0, r;

	while (!kthread_should_stop()) {
		if (READ_ONCE(h->stop)) {
			/* Until kthread_stop(): nothing left to do. */
			set_current_state(TASK_INTERRUPTIBLE);
			if (!kthread_should_stop())
				schedule();
			__set_current_state(TASK_RUNNING);
			continue;
		}
		preempt_disable();
		vh_run(v);
		r = get_random_u32() % 8;
		if (r < 5) {
			vh_block(v);
			continue;
		}
		amd_ga_vcpu_put(v->rec);
		preempt_enable();
		/* Preempted a while; now and then moved to the other CPU. */
		if (++n % 8 == 0)
			set_cpus_allowed_ptr(current, cpumask_of((n / 8) % nr_cpu_ids));
		else if (n % 8 == 4)
			set_cpus_allowed_ptr(current, cpu_online_mask);
		if (r == 7)
			usleep_range(50, 100);
		else
			cond_resched();
	}
	return 0;
}

static const char *vh_state(struct vh_vcpu *v)
{
	return amd_ga_vcpu_state_name(READ_ONCE(v->rec->state));
}

/*
 * Device @j of @vm posted an interrupt that was not consumed in time:
 * describe the first such post (which vCPU's IRR holds the vector, that
 * vCPU's state, what the IRTE says now) for the failure message. Its
 * claim also ends the run.
 */
static void vh_note_lost(struct vh_host *h, struct vh_vm *vm, unsigned int j)
{
	struct vh_dev *d = &vm->devs[j];
	struct amd_ga_irte e = penv_read(&d->irte);
	unsigned int ms = jiffies_to_msecs(jiffies - d->posted_at);
	struct amd_ga_irte_fields f;
	struct vh_vcpu *v = NULL;
	char irte[64];
	unsigned int k;

	if (atomic_xchg(&h->lost_claimed, 1))
		return;
	for (k = 0; k < vm->nvcpus; k++) {
		if (amd_ga_vapic_irr_test(vm->vcpus[k].page, d->vector)) {
			v = &vm->vcpus[k];
			break;
		}
	}
	amd_ga_irte_decode(&e, &f);
	if (f.mode == AMD_GA_IRTE_GUEST)
		scnprintf(irte, sizeof(irte), "GATag %#x IsRun %u GALogIntr %u",
			  f.guest.ga_tag, f.guest.is_run, f.guest.ga_log_intr);
	else
		scnprintf(irte, sizeof(irte), "not in guest mode");
	if (v)
		scnprintf(h->first_lost, sizeof(h->first_lost),
			  "lost wakeup: VM %u device %u vector %#x pending %u ms in vCPU %u (GATag %#x, %s, its task %s); the IRTE: %s",
			  vm->table, j, d->vector, ms, k,
			  amd_ga_vcpu_ga_tag(v->rec), vh_state(v),
			  task_is_running(v->task) ? "running" : "asleep", irte);
	else
		scnprintf(h->first_lost, sizeof(h->first_lost),
			  "lost interrupt: VM %u device %u vector %#x posted %u ms ago, in no vCPU's IRR; the IRTE: %s",
			  vm->table, j, d->vector, ms, irte);
}

/*
 * A device thread: post for every device of its half whose previous
 * interrupt was consumed; notice the ones that are not in time.
 */
static int vh_device_fn(void *data)
{
	struct vh_poster *poster = data;
	struct vh_host *h = poster->host;
	enum amd_ga_model_result res;
	unsigned long lost_j;
	struct vh_vm *vm;
	struct vh_dev *d;
	unsigned int i, j;

	lost_j = msecs_to_jiffies(h->lost_ms);
	while (!kthread_should_stop() && !READ_ONCE(h->stop_devices)) {
		for (i = 0; i < h->nvms; i++) {
			vm = &h->vms[i];
			for (j = poster->part; j < vm->ndevs; j += VH_POSTERS) {
				d = &vm->devs[j];
				if (atomic_read(&d->outstanding)) {
					if (!d->lost &&
					    time_after(jiffies, d->posted_at + lost_j)) {
						d->lost = true;
						atomic64_inc(&h->lost);
						vh_note_lost(h, vm, j);
					}
					continue;
				}
				d->posted_at = jiffies;
				atomic_set(&d->outstanding, 1);
				res = penv_raise(&h->env, &d->irte);
				atomic64_inc(&h->results[res]);
				atomic64_inc(&h->posted);
			}
		}
		usleep_range(20, 50);
	}
	return 0;
}

/* Move random IRTEs to random vCPUs of their VM. */
static int vh_retarget_fn(void *data)
{
	struct vh_host *h = data;
	struct vh_vm *vm;
	struct vh_dev *d;
	int ret;

	while (!kthread_should_stop() && !READ_ONCE(h->stop_devices)) {
		vm = &h->vms[get_random_u32() % h->nvms];
		d = &vm->devs[get_random_u32() % vm->ndevs];
		ret = amd_ga_vcpu_attach_irte(vm->vcpus[get_random_u32() %
							vm->nvcpus].rec,
					      d->irte.p, d->vector);
		if (!ret)
			atomic64_inc(&h->retargets);
		else if (ret != -EEXIST)
			KUNIT_FAIL(h->test, "re-target failed: %d", ret);
		usleep_range(100, 200);
	}
	return 0;
}

static int vh_setup_vm(struct vh_host *h, unsigned int i, unsigned int nvcpus,
		       unsigned int ndevs)
{
	struct vh_vm *vm = &h->vms[i];
	struct amd_ga_posted *p;
	struct vh_vcpu *v;
	struct vh_dev *d;
	unsigned int j;
	int ret;

	vm->host = h;
	vm->table = i;
	vm->vm = amd_ga_vm_create(nvcpus, vm);
	if (IS_ERR(vm->vm)) {
		ret = PTR_ERR(vm->vm);
		vm->vm = NULL;
		return ret;
	}
	vm->vcpus = kcalloc(nvcpus, sizeof(*vm->vcpus), GFP_KERNEL);
	vm->devs = kcalloc(ndevs, sizeof(*vm->devs), GFP_KERNEL);
	if (!vm->vcpus || !vm->devs)
		return -ENOMEM;
	for (j = 0; j < nvcpus; j++) {
		v = &vm->vcpus[j];
		v->vm = vm;
		v->last_cpu = -1;
		v->page = (void *)get_zeroed_page(GFP_KERNEL);
		if (!v->page)
			return -ENOMEM;
		v->rec = amd_ga_vcpu_create(vm->vm, j, v);
		if (IS_ERR(v->rec)) {
			ret = PTR_ERR(v->rec);
			v->rec = NULL;
			return ret;
		}
		vm->nvcpus = j + 1;
		amd_ga_vcpu_set_backing(v->rec, v->page);
	}
	for (j = 0; j < ndevs; j++) {
		d = &vm->devs[j];
		d->vector = VH_VEC_BASE + j;
		ret = penv_irte_create(&h->env, i, j, VH_IRQ_BASE + i * 512 + j,
				       &d->irte);
		if (ret)
			return ret;
		vm->ndevs = j + 1;
		/* As a hypervisor finds it: by host IRQ. */
		p = amd_ga_irq_get_posted(VH_IRQ_BASE + i * 512 + j);
		if (p != d->irte.p)
			return -ENOENT;
		ret = amd_ga_vcpu_attach_irte(vm->vcpus[(j * 7) % nvcpus].rec,
					      p, d->vector);
		if (ret)
			return ret;
	}
	return 0;
}

static void vh_teardown(struct vh_host *h)
{
	struct vh_vm *vm;
	unsigned int i, j;

	amd_ga_register_ga_log_notifier(NULL);
	WRITE_ONCE(vh_current, NULL);
	for (i = 0; i < h->nvms; i++) {
		vm = &h->vms[i];
		for (j = 0; vm->vcpus && j < vm->nvcpus; j++) {
			amd_ga_posted_vcpu_release(vm->vcpus[j].rec);
			amd_ga_vcpu_destroy(vm->vcpus[j].rec);
		}
		for (j = 0; vm->devs && j < vm->ndevs; j++)
			penv_irte_destroy(&vm->devs[j].irte);
		amd_ga_vm_destroy(vm->vm);
	}
	synchronize_rcu();
	penv_exit(&h->env);
	for (i = 0; i < h->nvms; i++) {
		vm = &h->vms[i];
		for (j = 0; vm->vcpus && j < vm->nvcpus; j++)
			free_page((unsigned long)vm->vcpus[j].page);
		kfree(vm->vcpus);
		kfree(vm->devs);
	}
	kfree(h->running);
}

/* Start a thread; *@slot is set before it runs (the notifier wakes it). */
static void vh_start(struct vh_host *h, int (*fn)(void *), void *data,
		     const char *what, struct task_struct **slot)
{
	struct task_struct *t = kthread_create(fn, data, "amd-ga-vh-%s", what);

	KUNIT_ASSERT_FALSE(h->test, IS_ERR(t));
	get_task_struct(t);
	*slot = t;
	wake_up_process(t);
}

static void vh_stop(struct task_struct *t)
{
	kthread_stop(t);
	put_task_struct(t);
}

/*
 * All outstanding posts consumed, within @ms; else the first one left is
 * noted as lost (unless one was already).
 */
static bool vh_settled(struct vh_host *h, unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);
	unsigned int i, j;

	for (i = 0; i < h->nvms; i++) {
		for (j = 0; j < h->vms[i].ndevs; j++) {
			while (atomic_read(&h->vms[i].devs[j].outstanding)) {
				if (time_after(jiffies, end)) {
					vh_note_lost(h, &h->vms[i], j);
					return false;
				}
				usleep_range(2000, 5000);
			}
		}
	}
	return true;
}

/**
 * vh_run_host() - run a stand-in host and account for every interrupt
 * @test: the case
 * @h: the host, zeroed
 * @nvms: number of VMs
 * @nvcpus: vCPUs of each VM
 * @ndevs: devices of each VM
 * @run_ms: how long devices post
 * @retarget: run the re-targeting thread
 */
static void vh_run_host(struct kunit *test, struct vh_host *h, unsigned int nvms,
			const unsigned int *nvcpus, const unsigned int *ndevs,
			unsigned int run_ms, bool retarget)
{
	struct task_struct *dev[VH_POSTERS], *rt = NULL;
	unsigned int i, j, nthreads = 0;
	unsigned long end;
	bool settled;
	u64 consumed = 0;

	h->test = test;
	h->nvms = nvms;
	h->running = kcalloc(nr_cpu_ids, sizeof(*h->running), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h->running);
	KUNIT_ASSERT_EQ(test, penv_init(&h->env, nvms, false, &vh_model_ops, h), 0);
	for (i = 0; i < nvms; i++) {
		if (vh_setup_vm(h, i, nvcpus[i], ndevs[i])) {
			vh_teardown(h);
			KUNIT_FAIL(test, "VM %u setup failed", i);
			return;
		}
	}
	WRITE_ONCE(vh_current, h);
	amd_ga_register_ga_log_notifier(vh_notifier);

	for (i = 0; i < nvms; i++) {
		for (j = 0; j < h->vms[i].nvcpus; j++) {
			vh_start(h, vh_vcpu_fn, &h->vms[i].vcpus[j], "vcpu",
				 &h->vms[i].vcpus[j].task);
			nthreads++;
		}
	}
	for (i = 0; i < VH_POSTERS; i++) {
		h->posters[i].host = h;
		h->posters[i].part = i;
		vh_start(h, vh_device_fn, &h->posters[i], "dev", &dev[i]);
	}
	if (retarget)
		vh_start(h, vh_retarget_fn, h, "retarget", &rt);

	/* Devices post for @run_ms, or until the first post is lost. */
	end = jiffies + msecs_to_jiffies(run_ms);
	while (time_before(jiffies, end) && !atomic_read(&h->lost_claimed))
		msleep(20);
	WRITE_ONCE(h->stop_devices, true);
	for (i = 0; i < VH_POSTERS; i++)
		vh_stop(dev[i]);
	if (rt)
		vh_stop(rt);
	/*
	 * The vCPUs still run: whatever is outstanding must arrive, unless a
	 * post is lost already (it never will: no waiting on it).
	 */
	settled = !atomic_read(&h->lost_claimed) && vh_settled(h, h->lost_ms);
	WRITE_ONCE(h->stop, true);
	for (i = 0; i < nvms; i++)
		for (j = 0; j < h->vms[i].nvcpus; j++)
			vh_stop(h->vms[i].vcpus[j].task);

	for (i = 0; i < nvms; i++) {
		for (j = 0; j < h->vms[i].ndevs; j++) {
			if (atomic_read(&h->vms[i].devs[j].outstanding) &&
			    !h->vms[i].devs[j].lost)
				atomic64_inc(&h->lost);
		}
	}
	for (i = 0; i < VH_NR_HOW; i++) {
		consumed += atomic64_read(&h->how[i]);
		kunit_info(test, "consumed %s: %lld\n", vh_how_name[i],
			   atomic64_read(&h->how[i]));
	}
	kunit_info(test, "%u vCPU threads, %u VMs: posted %lld, consumed %llu, lost %lld, duplicates %lld%s\n",
		   nthreads, nvms, atomic64_read(&h->posted), consumed,
		   atomic64_read(&h->lost), atomic64_read(&h->duplicates),
		   settled ? "" : " (not settled)");
	kunit_info(test, "model: doorbell %lld, GA log %lld, IRR only %lld, log full %lld; notifier %lld, doorbells %lld\n",
		   atomic64_read(&h->results[AMD_GA_MODEL_DOORBELL]),
		   atomic64_read(&h->results[AMD_GA_MODEL_LOGGED]),
		   atomic64_read(&h->results[AMD_GA_MODEL_IRR_ONLY]),
		   atomic64_read(&h->results[AMD_GA_MODEL_LOG_FULL]),
		   atomic64_read(&h->notified), atomic64_read(&h->doorbells));
	kunit_info(test, "loads %lld, blocked sleeps %lld, migrations %lld, re-targets %lld\n",
		   atomic64_read(&h->loads), atomic64_read(&h->blocks),
		   atomic64_read(&h->migrations), atomic64_read(&h->retargets));
	if (atomic_read(&h->lost_claimed))
		kunit_info(test, "first: %s\n", h->first_lost);
	vh_teardown(h);
}

static u64 vh_results_not_posted(struct vh_host *h)
{
	return atomic64_read(&h->posted) -
	       atomic64_read(&h->results[AMD_GA_MODEL_DOORBELL]) -
	       atomic64_read(&h->results[AMD_GA_MODEL_LOGGED]) -
	       atomic64_read(&h->results[AMD_GA_MODEL_IRR_ONLY]) -
	       atomic64_read(&h->results[AMD_GA_MODEL_LOG_FULL]);
}

/*
 * Four VMs of 512, 64, 8 and 2 vCPUs, 84 devices, IRTEs re-targeted all
 * the time: every interrupt consumed exactly once.
 */
static void vh_exactly_once(struct kunit *test)
{
	static const unsigned int nvcpus[] = { 512, 64, 8, 2 };
	static const unsigned int ndevs[] = { 48, 24, 8, 4 };
	struct vh_host *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	u64 consumed = 0;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, h);
	h->lost_ms = 5000;
	vh_run_host(test, h, ARRAY_SIZE(nvcpus), nvcpus, ndevs, 6000, true);
	for (i = 0; i < VH_NR_HOW; i++)
		consumed += atomic64_read(&h->how[i]);
	KUNIT_EXPECT_EQ_MSG(test, atomic64_read(&h->lost), 0LL, "first: %s",
			    h->first_lost);
	KUNIT_EXPECT_EQ(test, atomic64_read(&h->duplicates), 0LL);
	KUNIT_EXPECT_EQ(test, consumed, (u64)atomic64_read(&h->posted));
	KUNIT_EXPECT_EQ(test, vh_results_not_posted(h), 0ULL);
	/* Every path was taken. */
	KUNIT_EXPECT_GT(test, atomic64_read(&h->posted), 1000LL);
	KUNIT_EXPECT_GT(test, atomic64_read(&h->how[VH_DOORBELL]), 0LL);
	KUNIT_EXPECT_GT(test, atomic64_read(&h->how[VH_WAKE]), 0LL);
	KUNIT_EXPECT_GT(test, atomic64_read(&h->results[AMD_GA_MODEL_LOGGED]), 0LL);
	KUNIT_EXPECT_GT(test, atomic64_read(&h->retargets), 20LL);
	KUNIT_EXPECT_GT(test, atomic64_read(&h->migrations), 100LL);
}

/*
 * The same host with vCPUs that go to sleep after a plain put (GALogIntr
 * stays 0): interrupts for sleeping vCPUs are never logged and the host
 * sees them lost. Proof that the accounting above can fail.
 */
static void vh_put_instead_of_blocking_loses(struct kunit *test)
{
	static const unsigned int nvcpus[] = { 16 };
	static const unsigned int ndevs[] = { 8 };
	struct vh_host *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, h);
	h->lost_ms = 500;
	h->put_to_sleep = true;
	vh_run_host(test, h, 1, nvcpus, ndevs, 1500, false);
	KUNIT_EXPECT_GT(test, atomic64_read(&h->lost), 0LL);
	KUNIT_EXPECT_EQ(test, atomic64_read(&h->duplicates), 0LL);
}

static struct kunit_case amd_ga_vcpu_host_cases[] = {
	KUNIT_CASE(vh_exactly_once),
	KUNIT_CASE(vh_put_instead_of_blocking_loses),
	{}
};

static struct kunit_suite amd_ga_vcpu_host_suite = {
	.name		= "amd_ga_vcpu_host",
	.test_cases	= amd_ga_vcpu_host_cases,
};

kunit_test_suite(amd_ga_vcpu_host_suite);
