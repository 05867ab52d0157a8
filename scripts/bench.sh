#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# amd-ga benchmarks: build amd_ga.ko and amd_ga_bench.ko out of tree
# against Debian's 6.1 headers, boot Debian's matching kernel in QEMU
# (TCG, or KVM with BENCH_ACCEL=kvm) with both modules in an initramfs,
# and print the figures the bench module measured, every one a ratio
# against a baseline of the same run.
#
# usage: scripts/bench.sh
# env:   KVER (Debian kernel ABI, default: newest installed headers),
#        BENCH_ROUNDS (drain rounds / wake round trips, default 2000),
#        BENCH_ACCEL (tcg or kvm, default tcg),
#        BENCH_VMS (VMs of 512 vCPUs in the large registry, default 4096)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$AMD_GA_ROOT/scripts/bench-lib.sh"

KDIR=${KDIR:-$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)}
[ -d "$KDIR" ] || die "no Debian amd64 kernel headers: run 'make deps'"
KVER=${KVER:-${KDIR#/usr/src/linux-headers-}}
ROUNDS=${BENCH_ROUNDS:-2000}
VMS=${BENCH_VMS:-4096}
W=$AMD_GA_CACHE/bench
mkdir -p "$W"

# 1. The modules, built in a copy so the work tree stays clean.
log "building amd_ga.ko and amd_ga_bench.ko against $KDIR"
bench_build "$W"

# 2. Debian's kernel image of the same ABI, once.
vmlinuz=$(KDIR=$KDIR "$AMD_GA_ROOT/scripts/fetch-debian-kernel.sh" "$KVER")

# 3. An initramfs: busybox, the two modules and an init that runs them.
# TCG by default: KVM is opt-in, since nested KVM (as on the project's
# machines) may start QEMU and then never boot the guest.
accel=${BENCH_ACCEL:-tcg}
if [ "$accel" = kvm ]; then
	label="QEMU/KVM (hardware-assisted virtualisation, near-native speed)"
	cpu=host
else
	label="QEMU/TCG (emulated CPU: absolute figures are slow, ratios still meaningful)"
	cpu=max
fi

rd=$W/initramfs
bench_rootfs "$rd" "$W" amd_ga amd_ga_test amd_ga_bench
cat >"$rd/init" <<INIT
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
insmod /amd_ga.ko
insmod /amd_ga_test.ko
insmod /amd_ga_bench.ko env="${accel}" rounds=$ROUNDS vms=$VMS
dmesg | grep -E "amd-ga bench|BUG|WARNING" > /dev/console
poweroff -f
INIT
chmod +x "$rd/init"
(cd "$rd" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$W/initramfs.gz"

# 4. Boot and collect. idle=halt: TCG's MWAIT does not wake on the
# monitored store, so a wakeup aimed at an idle polling CPU would wait for
# its next timer interrupt and the wake figures would measure the tick.
log "booting Debian $KVER under $label"
timeout 1800 qemu-system-x86_64 -machine q35 -accel "$accel" -cpu "$cpu" -smp 2 -m 3072 \
	-nodefaults -display none -serial stdio -no-reboot \
	-kernel "$vmlinuz" -initrd "$W/initramfs.gz" \
	-append "console=ttyS0 quiet loglevel=3 panic=-1 idle=halt" >"$W/qemu.log" 2>&1 || true
grep -aE "amd-ga bench|BUG|WARNING" "$W/qemu.log" | tr -d '\r' | sed 's/^\[[ 0-9.]*\] //' || true
echo "numbers from: $label, Debian $KVER, 2 vCPUs"
grep -aq "amd-ga bench: done: 0" "$W/qemu.log" || die "benchmark did not complete (see $W/qemu.log)"
