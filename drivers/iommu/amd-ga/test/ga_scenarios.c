// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest mode and the GA log on amd-ga's software IOMMU model, driven the
 * way kvm_amd drives amd-ga: a VM and its vCPU records in the GATag
 * registry, a GA log notifier, and per-IRTE calls (the IRQ affinity call
 * that activates guest mode, update_ga on vCPU load, put and blocking,
 * deactivation). The model then does what an IOMMU with GAMSup = vAPIC
 * does with each device interrupt: ring the doorbell, set the IRR, write
 * the GA log, raise the GA interrupt.
 *
 * This module's thread plays KVM's scheduler hooks; a kthread plays vCPU 0
 * halted in the guest: it sleeps until woken and then takes its vector
 * out of its vAPIC backing page's IRR, as a vCPU entering the guest would.
 * vCPU 1 has no thread: it is the target of a noisy second device that
 * fills the GA log in the overflow scenario.
 */
#define pr_fmt(fmt) "amd-ga-demo: " fmt

#include <linux/amd-ga.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mem_encrypt.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>

#include "compat.h"
#include "debugfs.h"
#include "export.h"
#include "ga_scenarios.h"
#include "galog.h"
#include "gatag.h"
#include "iommu.h"
#include "irt.h"
#include "model.h"
#include "posted.h"
#include "vapic.h"

#define GA_SC_DEVID		0x100	/* requester ID of the model's devices */
#define GA_SC_NVCPUS		2
#define GA_SC_HOST_VECTOR	0x40	/* host route of both IRTEs */
/*
 * The model's devices have no Linux IRQ: numbers far above any real one
 * name their IRTEs in amd-ga's host IRQ registry, as kvm_amd's host_irq.
 */
#define GA_SC_HOST_IRQ_BASE	0x7e000000
#define GA_SC_WAIT_MS		3000	/* a wake-up that takes longer is lost */
#define GA_SC_QUIET_MS		50	/* time given to a wake-up that must not come */

static const u8 ga_sc_guest_vector[GA_SC_NVCPUS] = { 0x61, 0x62 };

struct ga_sc;

/**
 * struct ga_sc_vcpu - one vCPU of the scenarios' VM
 * @sc: the scenarios' context
 * @idx: vCPU index
 * @rec: amd-ga's record (GATag registry)
 * @page: vAPIC backing page
 * @task: the kthread standing in for the halted vCPU, or NULL
 * @asleep: @task is about to sleep or sleeps; WRITE_ONCE by @task
 * @notified: GA log notifier calls for this vCPU
 * @woken: times @task woke and found its vector in the IRR
 */
struct ga_sc_vcpu {
	struct ga_sc *sc;
	unsigned int idx;
	struct amd_ga_vcpu *rec;
	void *page;
	struct task_struct *task;
	bool asleep;
	atomic_t notified;
	atomic_t woken;
};

/**
 * struct ga_sc_irte - a posted IRTE of one of the model's devices
 * @ref: the entry in the IRT store
 * @p: the posted IRTE, or NULL
 * @host_irq: its number in the host IRQ registry
 * @cookie: what amd_ga_irq_set_vcpu_affinity() handed out, or NULL
 */
struct ga_sc_irte {
	struct amd_ga_irte_ref ref;
	struct amd_ga_posted *p;
	unsigned int host_irq;
	void *cookie;
};

/**
 * struct ga_sc - the scenarios' model IOMMU, VM and devices
 * @model: the software IOMMU
 * @iommu: its instance
 * @irt: the devices' interrupt remapping table
 * @vm: the VM
 * @vcpu: its vCPUs
 * @irte: entry 0 posts to vCPU 0, entry 1 (the noisy device) to vCPU 1
 * @run_apic: host APIC ID of the pCPU vCPU 0 is loaded on
 * @host_apic: host APIC ID of the host route
 * @last_tag: GATag of the last notifier call
 * @doorbells: doorbells the model rang
 * @doorbell_dest: APIC ID of the last one
 * @delivered: remapped interrupts the model delivered to the host
 * @delivered_vec: host vector of the last one
 * @delivered_dest: its APIC ID
 */
struct ga_sc {
	struct amd_ga_model *model;
	struct amd_ga_iommu *iommu;
	struct amd_ga_irt *irt;
	struct amd_ga_vm *vm;
	struct ga_sc_vcpu vcpu[GA_SC_NVCPUS];
	struct ga_sc_irte irte[GA_SC_NVCPUS];
	u32 run_apic;
	u32 host_apic;
	u32 last_tag;
	atomic_t doorbells;
	u32 doorbell_dest;
	atomic_t delivered;
	u32 delivered_vec;
	u32 delivered_dest;
};

/* The notifier is global: the context it serves while registered. */
static struct ga_sc *ga_sc_current;

/*
 * The GA log notifier, as kvm_amd's: decode the GATag into the vCPU record
 * (VM ID, vCPU index) and wake the vCPU's task. Runs in the GA log IRQ
 * thread under rcu_read_lock(): no sleeping.
 */
static int ga_sc_notifier(u32 ga_tag)
{
	struct ga_sc *sc = READ_ONCE(ga_sc_current);
	struct amd_ga_vcpu *rec = amd_ga_vcpu_lookup(ga_tag);
	struct ga_sc_vcpu *v;

	if (!sc || !rec)
		return -ENOENT;
	v = amd_ga_vcpu_priv(rec);
	if (!v || v->sc != sc)
		return -ENOENT;
	WRITE_ONCE(sc->last_tag, ga_tag);
	atomic_inc(&v->notified);
	if (v->task)
		wake_up_process(v->task);
	return 0;
}

static void ga_sc_doorbell(void *ctx, u32 dest)
{
	struct ga_sc *sc = ctx;

	WRITE_ONCE(sc->doorbell_dest, dest);
	atomic_inc(&sc->doorbells);
}

static void ga_sc_deliver(void *ctx, u32 vector, u32 dest, bool dest_logical)
{
	struct ga_sc *sc = ctx;

	WRITE_ONCE(sc->delivered_vec, vector);
	WRITE_ONCE(sc->delivered_dest, dest);
	atomic_inc(&sc->delivered);
}

static const struct amd_ga_model_ops ga_sc_model_ops = {
	.doorbell	= ga_sc_doorbell,
	.deliver	= ga_sc_deliver,
};

/* vCPU 0 halted in the guest: sleep until woken, then take the vector. */
static int ga_sc_vcpu_thread(void *data)
{
	struct ga_sc_vcpu *v = data;
	u8 vector = ga_sc_guest_vector[v->idx];

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		if (amd_ga_vapic_irr_test_and_clear(v->page, vector)) {
			__set_current_state(TASK_RUNNING);
			atomic_inc(&v->woken);
			continue;
		}
		WRITE_ONCE(v->asleep, true);
		schedule();
		WRITE_ONCE(v->asleep, false);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Until vCPU 0's thread sleeps; false if it does not within the bound. */
static bool ga_sc_wait_asleep(struct ga_sc_vcpu *v)
{
	unsigned long end = jiffies + msecs_to_jiffies(GA_SC_WAIT_MS);

	while (!READ_ONCE(v->asleep) || task_is_running(v->task)) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(100, 200);
	}
	return true;
}

/* Until @cnt exceeds @old; false on timeout. */
static bool ga_sc_wait_above(atomic_t *cnt, int old, unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);

	while (atomic_read(cnt) <= old) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(100, 200);
	}
	return true;
}

static u64 ga_sc_model_logged(struct ga_sc *sc)
{
	struct amd_ga_model_stats s;

	amd_ga_model_get_stats(sc->model, &s);
	return s.galog_entries;
}

static u64 ga_sc_stat(atomic64_t *ctr)
{
	return atomic64_read(ctr);
}

static void ga_sc_name(struct amd_ga_edu_result *res, const char *name)
{
	memset(res, 0, sizeof(*res));
	scnprintf(res->name, sizeof(res->name), "model.%s", name);
}

static bool ga_sc_error(struct amd_ga_edu_result *res, const char *what,
			int err)
{
	if (!err)
		return false;
	scnprintf(res->seen, sizeof(res->seen), "%s:error%d", what, err);
	res->pass = false;
	return true;
}

/* The device behind @irte raises its interrupt once. */
static enum amd_ga_model_result ga_sc_raise(struct ga_sc *sc, unsigned int irte)
{
	return amd_ga_model_raise(sc->model, GA_SC_DEVID, sc->irte[irte].ref.index);
}

/* "vm3.vcpu0" for a GATag, as the notifier decodes it. */
static void ga_sc_tag_text(u32 tag, char *buf, size_t len)
{
	if (!tag)
		scnprintf(buf, len, "none");
	else
		scnprintf(buf, len, "vm%lu.vcpu%lu",
			  (unsigned long)(tag >> AMD_GA_GATAG_VCPU_BITS),
			  (unsigned long)(tag & AMD_GA_GATAG_VCPU_MASK));
}

/*
 * Guest mode on, vCPU 0 loaded (IsRun = 1 on run_apic): the model sets
 * the vector in the IRR and rings the doorbell; nothing is logged.
 */
static void ga_sc_running(struct ga_sc *sc, struct amd_ga_edu_result *res)
{
	struct ga_sc_vcpu *v = &sc->vcpu[0];
	u8 vec = ga_sc_guest_vector[0];
	struct amd_ga_pi_data pi = {
		.vapic_addr	= __sme_set(virt_to_phys(v->page)),
		.ga_tag		= amd_ga_vcpu_ga_tag(v->rec),
		.vector		= vec,
		.cpu		= sc->run_apic,
		.is_guest_mode	= true,
	};
	int db = atomic_read(&sc->doorbells);
	u64 logged = ga_sc_model_logged(sc);
	enum amd_ga_model_result r;
	bool irr;

	ga_sc_name(res, "running.doorbell");
	scnprintf(res->expected, sizeof(res->expected),
		  "doorbell@apic%u,irr:0x%x,log:0", sc->run_apic, vec);
	if (ga_sc_error(res, "activate",
			amd_ga_irq_set_vcpu_affinity(sc->irte[0].host_irq, &pi)))
		return;
	sc->irte[0].cookie = pi.ir_data;
	if (!ga_sc_wait_asleep(v)) {
		ga_sc_error(res, "vcpu-thread", -ETIMEDOUT);
		return;
	}
	r = ga_sc_raise(sc, 0);
	irr = amd_ga_vapic_irr_test_and_clear(v->page, vec);
	db = atomic_read(&sc->doorbells) - db;
	logged = ga_sc_model_logged(sc) - logged;
	if (db == 1)
		scnprintf(res->seen, sizeof(res->seen),
			  "doorbell@apic%u,irr:%s0x%x,log:%llu",
			  READ_ONCE(sc->doorbell_dest), irr ? "" : "no-", vec,
			  logged);
	else
		scnprintf(res->seen, sizeof(res->seen),
			  "doorbells:%d,irr:%s0x%x,log:%llu,model:%d", db,
			  irr ? "" : "no-", vec, logged, r);
	res->pass = r == AMD_GA_MODEL_DOORBELL && db == 1 &&
		    READ_ONCE(sc->doorbell_dest) == sc->run_apic && irr &&
		    !logged;
}

/*
 * vCPU 0 blocking (IsRun = 0, GALogIntr = 1): the model sets the IRR and
 * writes a GA log entry; the GA interrupt's thread drains it and the
 * notifier wakes vCPU 0's sleeping thread, which finds its vector.
 */
static void ga_sc_blocking(struct ga_sc *sc, struct amd_ga_edu_result *res)
{
	struct ga_sc_vcpu *v = &sc->vcpu[0];
	int woken = atomic_read(&v->woken), db = atomic_read(&sc->doorbells);
	u64 logged = ga_sc_model_logged(sc);
	enum amd_ga_model_result r;
	char want[24], got[24];
	bool ok;

	ga_sc_name(res, "blocking.galog_wake");
	ga_sc_tag_text(amd_ga_vcpu_ga_tag(v->rec), want, sizeof(want));
	scnprintf(res->expected, sizeof(res->expected),
		  "log:1,notify:%s,woke:vcpu0+0x%x,doorbell:0", want,
		  ga_sc_guest_vector[0]);
	if (ga_sc_error(res, "update_ga",
			amd_ga_update_ga(sc->irte[0].cookie, -1, true)))
		return;
	if (!ga_sc_wait_asleep(v)) {
		ga_sc_error(res, "vcpu-thread", -ETIMEDOUT);
		return;
	}
	WRITE_ONCE(sc->last_tag, 0);
	r = ga_sc_raise(sc, 0);
	/* Not logged: no wake-up can come, the loss is certain already. */
	ok = r == AMD_GA_MODEL_LOGGED &&
	     ga_sc_wait_above(&v->woken, woken, GA_SC_WAIT_MS);
	logged = ga_sc_model_logged(sc) - logged;
	db = atomic_read(&sc->doorbells) - db;
	ga_sc_tag_text(READ_ONCE(sc->last_tag), got, sizeof(got));
	scnprintf(res->seen, sizeof(res->seen),
		  "log:%llu,notify:%s,woke:%s0x%x,doorbell:%d", logged, got,
		  ok ? "vcpu0+" : "none-", ga_sc_guest_vector[0], db);
	res->pass = r == AMD_GA_MODEL_LOGGED && logged == 1 && ok && !db &&
		    !strcmp(want, got);
	/* A vector lost here must not be found by the next scenario. */
	if (!ok)
		amd_ga_vapic_irr_test_and_clear(v->page, ga_sc_guest_vector[0]);
}

/*
 * vCPU 0 preempted (put without blocking: IsRun = 0, GALogIntr = 0): the
 * model only sets the IRR; no log entry, no wake-up. The next load finds
 * the vector there.
 */
static void ga_sc_preempted(struct ga_sc *sc, struct amd_ga_edu_result *res)
{
	struct ga_sc_vcpu *v = &sc->vcpu[0];
	u8 vec = ga_sc_guest_vector[0];
	int woken = atomic_read(&v->woken), db = atomic_read(&sc->doorbells);
	u64 logged = ga_sc_model_logged(sc);
	enum amd_ga_model_result r;
	bool irr, quiet;

	ga_sc_name(res, "preempted.irr_only");
	scnprintf(res->expected, sizeof(res->expected),
		  "irr:0x%x,log:0,doorbell:0,woke:0", vec);
	if (ga_sc_error(res, "update_ga",
			amd_ga_update_ga(sc->irte[0].cookie, -1, false)))
		return;
	if (!ga_sc_wait_asleep(v)) {
		ga_sc_error(res, "vcpu-thread", -ETIMEDOUT);
		return;
	}
	r = ga_sc_raise(sc, 0);
	quiet = !ga_sc_wait_above(&v->woken, woken, GA_SC_QUIET_MS);
	irr = amd_ga_vapic_irr_test(v->page, vec);
	logged = ga_sc_model_logged(sc) - logged;
	db = atomic_read(&sc->doorbells) - db;
	scnprintf(res->seen, sizeof(res->seen), "irr:%s0x%x,log:%llu,doorbell:%d,woke:%d",
		  irr ? "" : "no-", vec, logged, db,
		  atomic_read(&v->woken) - woken);
	res->pass = r == AMD_GA_MODEL_IRR_ONLY && irr && !logged && !db && quiet;
	/* The vCPU is loaded again and takes the vector from its IRR. */
	if (ga_sc_error(res, "load", amd_ga_update_ga(sc->irte[0].cookie,
						      sc->run_apic, false)))
		return;
	amd_ga_vapic_irr_test_and_clear(v->page, vec);
}

/*
 * The GA log overflows while its drain is held off: a noisy device
 * posting to blocked vCPU 1 fills it, vCPU 0's entry is dropped. Once the
 * drain runs, the handler sees GALOverflow, restarts the log, and the
 * lossless recovery still wakes vCPU 0; the next interrupt is logged again.
 */
static void ga_sc_overflow(struct ga_sc *sc, struct amd_ga_edu_result *res)
{
	struct ga_sc_vcpu *v = &sc->vcpu[0], *noisy = &sc->vcpu[1];
	struct amd_ga_stats *st = &sc->iommu->stats;
	u64 ovf = ga_sc_stat(&st->galog_overflows);
	u64 rst = ga_sc_stat(&st->galog_restarts);
	u64 rec = ga_sc_stat(&st->galog_recoveries);
	struct amd_ga_galog *gl = sc->iommu->galog;
	struct amd_ga_pi_data pi = {
		.vapic_addr	= __sme_set(virt_to_phys(noisy->page)),
		.ga_tag		= amd_ga_vcpu_ga_tag(noisy->rec),
		.vector		= ga_sc_guest_vector[1],
		.cpu		= -1,
		.ga_log_intr	= true,
		.is_guest_mode	= true,
	};
	enum amd_ga_model_result mine;
	unsigned int fill = 0, woken;
	bool recovered, relog;
	int ret;

	ga_sc_name(res, "overflow.recovery");
	scnprintf(res->expected, sizeof(res->expected),
		  "fill:%u,drop:vcpu0,ovf:1,restart:1,recov:vcpu0,relog:vcpu0",
		  AMD_GA_GALOG_ENTRIES - 1);
	if (!gl) {
		ga_sc_error(res, "galog", -ENODEV);
		return;
	}
	ret = amd_ga_irq_set_vcpu_affinity(sc->irte[1].host_irq, &pi);
	if (ga_sc_error(res, "activate", ret))
		return;
	sc->irte[1].cookie = pi.ir_data;
	ret = amd_ga_update_ga(sc->irte[0].cookie, -1, true);
	if (ga_sc_error(res, "update_ga", ret))
		return;
	if (!ga_sc_wait_asleep(v)) {
		ga_sc_error(res, "vcpu-thread", -ETIMEDOUT);
		return;
	}
	woken = atomic_read(&v->woken);

	/*
	 * Hold the drain off (the IRQ thread waits here) and fill the log:
	 * it holds one entry less than its slots. vCPU 0's entry is then the
	 * one that does not fit.
	 */
	mutex_lock(&gl->drain_lock);
	while (fill < AMD_GA_GALOG_ENTRIES - 1 &&
	       ga_sc_raise(sc, 1) == AMD_GA_MODEL_LOGGED)
		fill++;
	mine = ga_sc_raise(sc, 0);
	mutex_unlock(&gl->drain_lock);

	/*
	 * Only a logged or a dropped entry can wake vCPU 0 (the drain or the
	 * recovery); anything else leaves it asleep: no use waiting.
	 */
	recovered = (mine == AMD_GA_MODEL_LOG_FULL || mine == AMD_GA_MODEL_LOGGED) &&
		    ga_sc_wait_above(&v->woken, woken, GA_SC_WAIT_MS);
	/*
	 * The next entry is drained only after the recovery pass finished
	 * (one drainer at a time), so the counters are final once it woke.
	 */
	woken = atomic_read(&v->woken);
	relog = ga_sc_wait_asleep(v) && ga_sc_raise(sc, 0) == AMD_GA_MODEL_LOGGED &&
		ga_sc_wait_above(&v->woken, woken, GA_SC_WAIT_MS);

	ovf = ga_sc_stat(&st->galog_overflows) - ovf;
	rst = ga_sc_stat(&st->galog_restarts) - rst;
	rec = ga_sc_stat(&st->galog_recoveries) - rec;
	scnprintf(res->seen, sizeof(res->seen),
		  "fill:%u,drop:%s,ovf:%llu,restart:%llu,recov:%s,relog:%s",
		  fill, mine == AMD_GA_MODEL_LOG_FULL ? "vcpu0" : "none", ovf,
		  rst, recovered && rec ? "vcpu0" : "none",
		  relog ? "vcpu0" : "none");
	res->pass = fill == AMD_GA_GALOG_ENTRIES - 1 &&
		    mine == AMD_GA_MODEL_LOG_FULL && ovf == 1 && rst == 1 &&
		    rec >= 1 && recovered && relog;

	/* The noisy device goes back to the host; vCPU 1 takes its vector. */
	amd_ga_irq_set_vcpu_affinity(sc->irte[1].host_irq, NULL);
	sc->irte[1].cookie = NULL;
	amd_ga_vapic_irr_test_and_clear(noisy->page, ga_sc_guest_vector[1]);
}

/*
 * Guest mode off (AVIC inhibited): the entry is remapped to the host
 * route again and the model delivers to the host vector; nothing reaches
 * the vCPU.
 */
static void ga_sc_deactivate(struct ga_sc *sc, struct amd_ga_edu_result *res)
{
	struct ga_sc_vcpu *v = &sc->vcpu[0];
	u8 vec = ga_sc_guest_vector[0];
	int del = atomic_read(&sc->delivered), db = atomic_read(&sc->doorbells);
	u64 logged = ga_sc_model_logged(sc);
	enum amd_ga_model_result r;
	bool irr;

	ga_sc_name(res, "deactivate.host");
	scnprintf(res->expected, sizeof(res->expected),
		  "host:vec0x%x@apic%u,irr:none,log:0,doorbell:0",
		  GA_SC_HOST_VECTOR, sc->host_apic);
	if (ga_sc_error(res, "deactivate",
			amd_ga_deactivate_guest_mode(sc->irte[0].cookie)))
		return;
	r = ga_sc_raise(sc, 0);
	irr = amd_ga_vapic_irr_test_and_clear(v->page, vec);
	del = atomic_read(&sc->delivered) - del;
	db = atomic_read(&sc->doorbells) - db;
	logged = ga_sc_model_logged(sc) - logged;
	if (del == 1)
		scnprintf(res->seen, sizeof(res->seen),
			  "host:vec0x%x@apic%u,irr:%s,log:%llu,doorbell:%d",
			  READ_ONCE(sc->delivered_vec),
			  READ_ONCE(sc->delivered_dest), irr ? "set" : "none",
			  logged, db);
	else
		scnprintf(res->seen, sizeof(res->seen),
			  "host:%d,irr:%s,log:%llu,doorbell:%d,model:%d", del,
			  irr ? "set" : "none", logged, db, r);
	res->pass = r == AMD_GA_MODEL_REMAPPED && del == 1 &&
		    READ_ONCE(sc->delivered_vec) == GA_SC_HOST_VECTOR &&
		    READ_ONCE(sc->delivered_dest) == sc->host_apic && !irr &&
		    !logged && !db;
}

static void ga_sc_teardown(struct ga_sc *sc)
{
	unsigned int i;

	for (i = 0; i < GA_SC_NVCPUS; i++) {
		struct ga_sc_irte *e = &sc->irte[i];

		if (!e->p)
			continue;
		if (e->cookie)
			amd_ga_irq_set_vcpu_affinity(e->host_irq, NULL);
		amd_ga_posted_destroy(e->p);
		amd_ga_irte_free(&e->ref);
	}
	for (i = 0; i < GA_SC_NVCPUS; i++)
		if (sc->vcpu[i].task)
			kthread_stop(sc->vcpu[i].task);
	if (READ_ONCE(ga_sc_current) == sc) {
		amd_ga_register_ga_log_notifier(NULL);
		WRITE_ONCE(ga_sc_current, NULL);
	}
	for (i = 0; i < GA_SC_NVCPUS; i++)
		amd_ga_vcpu_destroy(sc->vcpu[i].rec);
	amd_ga_vm_destroy(sc->vm);
	/* No notifier or drain holds a record or a page any more. */
	synchronize_rcu();
	if (!IS_ERR_OR_NULL(sc->irt))
		amd_ga_irt_destroy(sc->irt);
	amd_ga_model_stop(sc->model);
	for (i = 0; i < GA_SC_NVCPUS; i++)
		free_page((unsigned long)sc->vcpu[i].page);
}

/* The model, enabled as hardware is (GA log running), a VM, two devices. */
static int ga_sc_setup(struct ga_sc *sc)
{
	const struct amd_ga_remap_cfg host = {
		.remap_en	= true,
		.vector		= GA_SC_HOST_VECTOR,
		.dest		= cpu_physical_id(0),
	};
	u16 devid = GA_SC_DEVID;
	unsigned int i;
	int ret;

	sc->host_apic = host.dest;
	sc->run_apic = cpu_physical_id(cpumask_last(cpu_online_mask));
	sc->model = amd_ga_model_start(&ga_sc_model_ops, sc);
	if (IS_ERR(sc->model)) {
		ret = PTR_ERR(sc->model);
		sc->model = NULL;
		return ret;
	}
	sc->iommu = &sc->model->iommu;
	sc->irt = amd_ga_irt_create(sc->iommu, &devid, 1);
	if (IS_ERR(sc->irt))
		return PTR_ERR(sc->irt);
	ret = amd_ga_irt_attach(sc->irt);
	if (ret)
		return ret;

	sc->vm = amd_ga_vm_create(GA_SC_NVCPUS, sc);
	if (IS_ERR(sc->vm)) {
		ret = PTR_ERR(sc->vm);
		sc->vm = NULL;
		return ret;
	}
	for (i = 0; i < GA_SC_NVCPUS; i++) {
		struct ga_sc_vcpu *v = &sc->vcpu[i];

		v->sc = sc;
		v->idx = i;
		v->page = (void *)get_zeroed_page(GFP_KERNEL);
		if (!v->page)
			return -ENOMEM;
		v->rec = amd_ga_vcpu_create(sc->vm, i, v);
		if (IS_ERR(v->rec)) {
			ret = PTR_ERR(v->rec);
			v->rec = NULL;
			return ret;
		}
	}
	for (i = 0; i < GA_SC_NVCPUS; i++) {
		struct ga_sc_irte *e = &sc->irte[i];

		ret = amd_ga_irte_alloc(sc->irt, AMD_GA_IRTE_ANY, &e->ref);
		if (ret)
			return ret;
		e->host_irq = GA_SC_HOST_IRQ_BASE + i;
		e->p = amd_ga_posted_create(&e->ref, &host, e->host_irq);
		if (IS_ERR(e->p)) {
			ret = PTR_ERR(e->p);
			e->p = NULL;
			amd_ga_irte_free(&e->ref);
			return ret;
		}
	}

	WRITE_ONCE(ga_sc_current, sc);
	amd_ga_register_ga_log_notifier(ga_sc_notifier);
	sc->vcpu[0].task = kthread_run(ga_sc_vcpu_thread, &sc->vcpu[0],
				       "amd_ga_vcpu0");
	if (IS_ERR(sc->vcpu[0].task)) {
		ret = PTR_ERR(sc->vcpu[0].task);
		sc->vcpu[0].task = NULL;
		return ret;
	}
	return 0;
}

/**
 * amd_ga_model_scenarios_run() - guest mode and the GA log on the model
 * @report: called with each outcome
 * @arg: passed to @report
 * @counter_prefix: printed before "COUNTER <name> <value>" for each of
 *	the model IOMMU's counters once the scenarios ran
 *
 * Brings up a software IOMMU, a VM with two vCPUs and two devices, runs
 * the running, blocking, preempted, overflow and deactivate scenarios and
 * tears everything down again. Registers the GA log notifier meanwhile:
 * no other notifier may be registered.
 *
 * Context: process context.
 * Return: the number of failed scenarios; a setup failure is reported as
 * a failed "model.setup" scenario.
 */
int amd_ga_model_scenarios_run(void (*report)(const struct amd_ga_edu_result *res,
					      void *arg),
			       void *arg, const char *counter_prefix)
{
	static void (* const steps[])(struct ga_sc *sc,
				      struct amd_ga_edu_result *res) = {
		ga_sc_running, ga_sc_blocking, ga_sc_preempted, ga_sc_overflow,
		ga_sc_deactivate,
	};
	struct amd_ga_edu_result res;
	struct ga_sc *sc;
	unsigned int i;
	int failed = 0, ret;

	sc = kzalloc(sizeof(*sc), GFP_KERNEL);
	if (!sc)
		return -ENOMEM;
	ret = ga_sc_setup(sc);
	if (ret) {
		ga_sc_name(&res, "setup");
		strscpy(res.expected, "model+vm+irtes", sizeof(res.expected));
		ga_sc_error(&res, "setup", ret);
		report(&res, arg);
		failed = 1;
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		steps[i](sc, &res);
		failed += !res.pass;
		report(&res, arg);
	}
	/* Every drain pass that ran has added its counts before they print. */
	synchronize_irq(sc->iommu->galog->irq);
	amd_ga_stats_report(sc->iommu, counter_prefix);
out:
	ga_sc_teardown(sc);
	kfree(sc);
	return failed;
}
EXPORT_SYMBOL_FOR_AMD_GA_TEST(amd_ga_model_scenarios_run);
