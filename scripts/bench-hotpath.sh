#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amd-ga hot-path benchmark: the per-IRTE cost of a vCPU load + put with
# 1, 8 and 64 posted IRTEs, against a bare 128-bit cmpxchg loop on the
# same entries (the limit) and against the 6.1 behaviour (an
# INVALIDATE_INTERRUPT_TABLE + COMPLETION_WAIT per update), all in one run.
# Builds amd_ga.ko and amd_ga_bench_hotpath.ko against Debian's 6.1
# headers and loads them in Debian's matching kernel under QEMU (TCG, or
# KVM with BENCH_ACCEL=kvm), as scripts/bench.sh does for the GA log.
#
# usage: scripts/bench-hotpath.sh
# env:   KVER (Debian kernel ABI, default: newest installed headers),
#        BENCH_UPDATES (IRTE updates per timed run, default 40000),
#        BENCH_ACCEL (tcg or kvm, default tcg), BENCH_KVM_TIMEOUT (seconds
#        a KVM guest gets, default 180)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$AMD_GA_ROOT/scripts/bench-lib.sh"

KDIR=${KDIR:-$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)}
[ -d "$KDIR" ] || die "no Debian amd64 kernel headers: run 'make deps'"
KVER=${KVER:-${KDIR#/usr/src/linux-headers-}}
UPDATES=${BENCH_UPDATES:-40000}
W=$AMD_GA_CACHE/bench-hotpath
mkdir -p "$W"

log "building amd_ga.ko and amd_ga_bench_hotpath.ko against $KDIR"
bench_build "$W"

vmlinuz=$(KDIR=$KDIR "$AMD_GA_ROOT/scripts/fetch-debian-kernel.sh" "$KVER")

rd=$W/initramfs
bench_rootfs "$rd" "$W" amd_ga amd_ga_test amd_ga_bench_hotpath
cat >"$rd/init" <<INIT
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
insmod /amd_ga.ko
insmod /amd_ga_test.ko
insmod /amd_ga_bench_hotpath.ko env="unknown" updates=$UPDATES
dmesg | grep -E "amd-ga bench|BUG|WARNING" > /dev/console
poweroff -f
INIT
chmod +x "$rd/init"

# One boot: $1 = kvm or tcg. True if the benchmark completed.
run_guest() {
	local accel=$1 cpu=max limit=1200 smp=1
	# A nested or overloaded KVM may hang in early boot: give it less time.
	[ "$accel" = kvm ] && cpu=host && smp=2 && limit=${BENCH_KVM_TIMEOUT:-180}
	sed -i "s/env=\"[a-z]*\"/env=\"$accel\"/" "$rd/init"
	(cd "$rd" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$W/initramfs.gz"
	log "booting Debian $KVER under QEMU/$accel"
	timeout "$limit" qemu-system-x86_64 -machine q35 -accel "$accel" -cpu "$cpu" \
		-smp "$smp" -m 1024 -nodefaults -display none -serial stdio -no-reboot \
		-kernel "$vmlinuz" -initrd "$W/initramfs.gz" \
		-append "console=ttyS0 quiet loglevel=3 panic=-1" >"$W/qemu.log" 2>&1 || true
	grep -aq "amd-ga bench: hotpath: done: 0" "$W/qemu.log"
}

# TCG by default, as scripts/bench.sh: nested KVM (as on the project's
# machines) may start QEMU and then never boot the guest.
accel=${BENCH_ACCEL:-tcg}
run_guest "$accel" || true
if [ "$accel" = kvm ]; then
	label="QEMU/KVM (hardware-assisted virtualisation, near-native speed)"
else
	label="QEMU/TCG (emulated CPU: absolute figures are slow, ratios still meaningful)"
fi
# The hot path is one vCPU's: under TCG a second guest CPU would only
# turn every atomic into a host atomic and add scheduling noise.
ncpu=$([ "$accel" = kvm ] && echo 2 || echo 1)
grep -aE "amd-ga bench|BUG|WARNING" "$W/qemu.log" | tr -d '\r' | sed 's/^\[[ 0-9.]*\] //' || true
echo "numbers from: $label, Debian $KVER, $ncpu guest CPU(s)"
grep -aq "amd-ga bench: hotpath: done: 0" "$W/qemu.log" ||
	die "hot-path benchmark did not complete (see $W/qemu.log)"
