#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make backport-boot: build Debian's 6.1 kernel with the amd-ga backport
# series (scripts/backport-kernel.sh), boot it twice on QEMU q35 under TCG
# (-cpu EPYC, 2 vCPUs, 1 GiB, QEMU's AMD IOMMU with interrupt remapping,
# two e1000e on one QEMU hub, edu) with a busybox initramfs whose /init
# (scripts/backport/guest-init) checks the following. Before the boots,
# backport-edu-build builds scripts/backport/edu-msi (edu_msi.ko: binds
# edu, one MSI vector through the kernel's normal path, interrupts raised
# on demand) as an external module against the kernel's build directory.
#  boot 1 (amd-ga on):
#   backport-irtes-match     every IR-IO-APIC / IR-PCI-MSI interrupt has
#                            an IRTE written by amd-ga with its vector and
#                            the APIC ID of its effective affinity CPU
#   backport-builtin-unused  the built-in driver's IRTE writers never ran,
#                            amd-ga stored IRTEs (the GA log poller's
#                            count is shown: the GA log stays built in)
#   backport-traffic         IPv6 link-local pings between the NICs, both
#                            NICs' MSI-X counts rise
#   backport-affinity-move   an e1000e rx IRQ moved to the other CPU: its
#                            IRTE's destination follows, interrupts arrive
#                            on that CPU only
#   backport-edu-identity    edu_msi loaded: edu's IR-PCI-MSI IRQ has one
#                            enabled IRTE at edu's DeviceID and MSI data
#                            index, with the IRQ's vector and effective
#                            affinity; 10 interrupts arrive on that CPU
#   backport-edu-other-cpu   edu's IRQ moved to the other CPU and back:
#                            the IRTE follows, 10 interrupts arrive on the
#                            new CPU each time
#   backport-edu-reenable-cycles  5 x rmmod + insmod: no enabled IRTE left
#                            at edu's DeviceID after rmmod; after insmod
#                            the new IRTE matches, 3 interrupts arrive
#   backport-clean-log       no WARN, BUG, lockdep or sanitizer report
#  boot 2 (amd_ga.host=0):
#   backport-off-builtin-paths  amd-ga stores nothing, the built-in IRTE
#                            writers run, the irtes file is empty
#   backport-off-traffic, backport-off-clean-log  as above
#   backport-off-edu         edu_msi's interrupts arrive on the built-in
#                            paths, on either CPU
# Prints "PASS <name>" or "FAIL <name>" per check (the build's too; reasons
# on stderr) and exits non-zero if any failed.
#
# env: BACKPORT_NO_SERIES=1  the plain tree plus the overlay (see
#                            scripts/backport-kernel.sh)
#      BACKPORT_KVER=6.12    Debian's 6.12 and its series instead of 6.1
#                            (scripts/backport-kernel.sh)
#      BACKPORT_SKIP_BUILD=1 boot the kernel built last time
#      BACKPORT_BOOT_TIMEOUT per boot, default 180 s (a boot takes about 10)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$AMD_GA_ROOT/scripts/initramfs/host-lib.sh"

BP=${BACKPORT_DIR:-$AMD_GA_CACHE/backport-${BACKPORT_KVER:-6.1}}
KERNEL=$BP/build/arch/x86/boot/bzImage
timeout_s=${BACKPORT_BOOT_TIMEOUT:-180}
failed=0


# --- kernel ---------------------------------------------------------------
if [ "${BACKPORT_SKIP_BUILD:-0}" != 1 ]; then
	t=$SECONDS
	"$AMD_GA_ROOT/scripts/backport-kernel.sh" || exit 1
	log "backport-boot: kernel ready in $((SECONDS - t)) s"
fi
[ -f "$KERNEL" ] && [ -f "$BP/build-info" ] ||
	{ result backport-boot-prepare "no kernel at $KERNEL: run scripts/backport-kernel.sh"; exit 1; }
. "$BP/build-info"
if [ "$mode" != series ]; then
	log "backport-boot: this kernel has amd-ga overlaid, not the series: amd-ga is built in but not"
	log "backport-boot: glued to the built-in driver, so the checks of its host debugfs FAIL"
fi

# --- initramfs: busybox-static, the checks, the modules -------------------
run=$(guest_run_dir backport-boot)
mkdir -p "$run"
initrd=$run/initramfs.cpio

# edu_msi.ko for the backport-edu-* checks, built against this kernel's
# build directory (its Module.symvers and config). kbuild writes its
# objects into M, so it builds in a copy under the run directory, never in
# the checkout. Prints why on failure; the boots go on without it, and the
# guest's edu checks then fail for want of the module.
EDU_KO=$run/edu-msi/edu_msi.ko
edu_build() {
	local src=$AMD_GA_ROOT/scripts/backport/edu-msi dir=$run/edu-msi
	local blog=$BP/logs/edu-msi-build.log

	rm -rf "$dir"
	mkdir -p "$dir" "$BP/logs" && cp "$src/edu_msi.c" "$src/Makefile" "$dir/" ||
		{ echo "cannot copy $src to $dir"; return 1; }
	[ -f "$BP/build/Module.symvers" ] ||
		{ echo "no $BP/build/Module.symvers: the kernel's build is incomplete"; return 1; }
	# kbuild's build directory names its source tree by absolute path: a
	# kernel copied to another BACKPORT_DIR still builds against the old one.
	[ "$(readlink -f "$BP/build/source")" = "$(readlink -f "$BP/src")" ] ||
		log "backport-boot: $BP/build/source is $(readlink "$BP/build/source"), not $BP/src: edu_msi.ko builds against that tree"
	if ! make -C "$BP/build" M="$dir" -j2 modules > "$blog" 2>&1; then
		echo "make -C $BP/build M=$dir modules failed (log: $blog):"
		grep -E -i 'error|no such file|no rule' "$blog" | head -n 10
		return 1
	fi
	[ -f "$EDU_KO" ] || { echo "no $EDU_KO after the build (log: $blog)"; return 1; }
}
t=$SECONDS
if edu_why=$(edu_build); then
	result backport-edu-build ""
	log "backport-boot: edu_msi.ko built in $((SECONDS - t)) s"
else
	result backport-edu-build "$edu_why"
	EDU_KO=
fi

mkinitrd() {
	local stage busybox=${BUSYBOX:-/bin/busybox}

	[ -x "$busybox" ] || die "$busybox not found: run 'make deps' (busybox-static)"
	if LC_ALL=C readelf -l "$busybox" 2>/dev/null | grep -q 'program interpreter'; then
		die "$busybox is dynamically linked: install busybox-static ('make deps')"
	fi
	stage=$(mktemp -d "${TMPDIR:-/tmp}/amd-ga-backport-initramfs.XXXXXX")
	mkdir -p "$stage"/{bin,dev,proc,sys,tmp,lib/modules}
	cp "$busybox" "$stage/bin/busybox"
	install -m 0755 "$AMD_GA_ROOT/scripts/backport/guest-init" "$stage/init"
	# kvm_amd and the other =m modules, for the tests that load them.
	[ -d "$BP/modroot/lib/modules" ] && cp -a "$BP/modroot/lib/modules/." "$stage/lib/modules/"
	# edu_msi.ko where modules_install puts an external module, and
	# where guest-init looks for it.
	if [ -n "$EDU_KO" ]; then
		mkdir -p "$stage/lib/modules/$release/extra" &&
			cp "$EDU_KO" "$stage/lib/modules/$release/extra/" ||
			{ rm -rf "$stage"; return 1; }
	fi
	[ "$(id -u)" = 0 ] && mknod -m 600 "$stage/dev/console" c 5 1
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0) > "$initrd.tmp" &&
		mv "$initrd.tmp" "$initrd"
	local rc=$?
	rm -rf "$stage"
	return $rc
}
if ! (mkinitrd) >&2; then
	result backport-boot-prepare "cannot pack the initramfs"
	exit 1
fi

# --- boots ----------------------------------------------------------------
QEMU_EXTRA="-cpu EPYC
	-netdev hubport,hubid=0,id=n1 -device e1000e,netdev=n1,mac=52:54:00:00:00:01
	-netdev hubport,hubid=0,id=n2 -device e1000e,netdev=n2,mac=52:54:00:00:00:02"
export QEMU_EXTRA
CMDLINE="console=ttyS0 no_timer_check panic=-1"

# What a kernel report starts with: lib.sh's list and a few more.
# An interrupt on a vector nobody owns, or an IOMMU event (an IRTE or a
# device table entry the IOMMU rejected), is a remapping error.
SPLATS="$KERNEL_SPLATS|cut here|Call Trace:|suspicious RCU usage|hung_task|blocked for more than|list_(add|del) corruption|refcount_t:|kernel BUG|Unable to handle|unexpected IRQ trap|No irq handler for vector|AMD-Vi: Event logged"
# Lines that match but report nothing: the SRSO advice printed for every
# EPYC (Zen) CPU model without a microcode fix, QEMU's included.
SPLATS_BENIGN='Speculative Return Stack Overflow: WARNING: See '

# boot NAME APPEND: boot, leave the serial log in $run/serial-NAME.log;
# sets BOOT_LOG and BOOT_RC.
boot() {
	local t=$SECONDS

	BOOT_LOG=$run/serial-$1.log
	BOOT_RC=0
	log "backport-boot: boot '$1' (${2:-no extra parameter}; at most $timeout_s s)"
	"$AMD_GA_ROOT/scripts/qemu-run.sh" --timeout "$timeout_s" \
		--cmdline "$CMDLINE${2:+ $2}" "$KERNEL" "$initrd" "$BOOT_LOG" >&2 || BOOT_RC=$?
	log "backport-boot: boot '$1' ended after $((SECONDS - t)) s (status $BOOT_RC)"
}

# Why the guest may have said nothing about a check.
boot_trouble() {
	grep -q '^AMD_GA_INIT' "$BOOT_LOG" || { echo "the guest never ran /init (log: $BOOT_LOG)"; return; }
	case $BOOT_RC in
	124) echo "the guest did not finish within $timeout_s s (log: $BOOT_LOG)" ;;
	125|126) echo "the guest or QEMU stopped early, status $BOOT_RC (log: $BOOT_LOG)" ;;
	*) echo "the guest reported nothing (status $BOOT_RC, log: $BOOT_LOG)" ;;
	esac
}

# The guest's results for NAMEs: its verdict and its detail lines.
guest_results() {
	local name verdict details

	for name in "$@"; do
		verdict=$(sed -n "s/^AMD_GA_RESULT \(PASS\|FAIL\) $name\$/\1/p" "$BOOT_LOG" | tail -n 1)
		details=$(sed -n "s/^AMD_GA_DETAIL $name: //p" "$BOOT_LOG")
		case $verdict in
		PASS)
			[ -z "$details" ] || printf '%s\n' "$details" | sed "s/^/[amd-ga] $name: /" >&2
			result "$name" "" ;;
		FAIL) result "$name" "$details" ;;
		*) result "$name" "no result: $(boot_trouble)" ;;
		esac
	done
}

# No kernel report in the whole console (boot messages, then the guest's
# dump of its kernel log), and lockdep still on at the end.
clean_log() {
	local name=$1 why= splats dl

	if ! grep -q '^AMD_GA_DMESG ' "$BOOT_LOG"; then
		why="no kernel log dump from the guest: $(boot_trouble)"
	else
		dl=$(sed -n 's/^AMD_GA_DEBUG_LOCKS //p' "$BOOT_LOG")
		[ "$dl" = 1 ] || why="lockdep was off at the end (debug_locks '${dl:-unknown}'): a lock report turned it off, or CONFIG_PROVE_LOCKING is missing"
	fi
	# The dump repeats the boot messages: each line once.
	splats=$(grep -a -v '^AMD_GA_\(DETAIL\|RESULT\)' "$BOOT_LOG" | sed 's/^AMD_GA_DMESG //' |
		grep -a -E "$SPLATS" | grep -a -v -E "$SPLATS_BENIGN" | awk '!seen[$0]++' | head -n 20)
	[ -z "$splats" ] || why="${why:+$why$'\n'}kernel reports (log: $BOOT_LOG):"$'\n'"$splats"
	result "$name" "$why"
}

log "backport-boot: kernel $release ($mode${patches:+, $patches patches}), run directory $run"
boot on ""
guest_results backport-irtes-match backport-builtin-unused backport-traffic backport-affinity-move \
	backport-edu-identity backport-edu-other-cpu backport-edu-reenable-cycles
clean_log backport-clean-log
on_log=$BOOT_LOG

boot off "amd_ga.host=0"
guest_results backport-off-builtin-paths backport-off-traffic backport-off-edu
clean_log backport-off-clean-log

log "backport-boot: $failed check(s) failed (logs: $on_log, $BOOT_LOG)"
[ $failed = 0 ]
