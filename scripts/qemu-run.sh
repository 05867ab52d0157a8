#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot amd-ga's QEMU guest: q35 under TCG with QEMU's AMD IOMMU
# (interrupt remapping on) and the edu test device, two vCPUs. The serial
# console goes to a log file; the guest's /init ends with "AMD_GA_EXIT=<n>"
# and that n is this script's exit status.
#
# usage: scripts/qemu-run.sh [options] KERNEL INITRD LOG
#   --linux-iommu   leave out amd_iommu=off: Linux's own AMD IOMMU driver
#                   then claims the IOMMU
#   --cmdline STR   the whole kernel command line instead of the default
#                   (console=ttyS0 quiet panic=-1 oops=panic
#                   softlockup_panic=1 amd_iommu=off)
#   --append STR    added to the command line (e.g. amdga_mode=busy)
#   --timeout S     hard limit for the whole boot (default 150)
#   --progress      echo the guest's amd-ga lines while it runs, and say
#                   "still running" when it has been quiet for a while
# env:  QEMU (binary), QEMU_EXTRA (more QEMU arguments)
#
# exit: n from AMD_GA_EXIT=<n> (0: every step held), 124 on timeout,
#       125 if the guest stopped without the marker (panic, crash), 126 if
#       QEMU itself failed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# An oops or a soft lockup ends the boot at once (panic, then QEMU exits)
# instead of leaving a wedged guest to the hard timeout.
base="console=ttyS0 quiet panic=-1 oops=panic softlockup_panic=1"
iommu_arg=amd_iommu=off
cmdline=
append=
timeout_s=150
progress=0
while [ $# -gt 0 ]; do
	case $1 in
	--cmdline) cmdline=$2; shift 2 ;;
	--linux-iommu) iommu_arg=; shift ;;
	--append) append="$append $2"; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--progress) progress=1; shift ;;
	--) shift; break ;;
	-*) die "qemu-run.sh: unknown option $1" ;;
	*) break ;;
	esac
done
[ $# -eq 3 ] || die "usage: qemu-run.sh [options] KERNEL INITRD LOG"
cmdline=${cmdline:-$base${iommu_arg:+ $iommu_arg}}
kernel=$1 initrd=$2 logf=$3
qemu=${QEMU:-qemu-system-x86_64}
command -v "$qemu" >/dev/null || die "$qemu not found: run 'make deps'"
[ -f "$kernel" ] || die "kernel $kernel not found"
[ -f "$initrd" ] || die "initramfs $initrd not found"

mkdir -p "$(dirname "$logf")"
: > "$logf"
errf=$logf.qemu-stderr

# -nodefaults: no VGA, no NIC; the IOMMU then sits at 00:01.0. A panic
# reboots at once (panic=-1) and -no-reboot turns that into QEMU's exit.
# The wrapper leaves QEMU's status in a file: a finished child stays a
# zombie until waited for, so "is it still alive?" cannot be asked of it.
rcf=$logf.qemu-status
pidf=$logf.qemu-pid
rm -f "$rcf" "$pidf"
# shellcheck disable=SC2086
(
	timeout --kill-after=5 "$timeout_s" "$qemu" \
		-machine q35 -accel tcg -m 1G -smp 2 \
		-nodefaults -display none -monitor none \
		-device amd-iommu,intremap=on -device edu \
		-serial "file:$logf" -no-reboot \
		-kernel "$kernel" -initrd "$initrd" \
		-append "$cmdline$append" \
		${QEMU_EXTRA:-} </dev/null 2>"$errf" &
	echo $! > "$pidf"
	rc=0
	wait $! || rc=$?
	echo $rc > "$rcf"
) &
qpid=$!
tpid=

# timeout(1) runs QEMU in a process group of its own, which a Ctrl-C on
# this script does not reach: pass the signal on, and stop the follower.
# shellcheck disable=SC2317
stop() {
	[ -s "$pidf" ] && kill -TERM "$(cat "$pidf")" 2>/dev/null
	[ -n "$tpid" ] && kill "$tpid" 2>/dev/null
	wait "$qpid" 2>/dev/null || true
	log "qemu: interrupted"
	exit 130
}
trap stop INT TERM HUP

# Follow the console while QEMU runs.
start=$SECONDS
if [ $progress = 1 ]; then
	exec 3< <(exec tail -n +1 -s 0.2 -F "$logf" 2>/dev/null)
	tpid=$!
	quiet_since=$SECONDS
	while true; do
		if IFS= read -r -t 2 -u 3 line; then
			line=${line%$'\r'}
			case $line in
			AMD_GA_INIT*) log "guest: /init running after $((SECONDS - start)) s of kernel boot" ;;
			AMD_GA_CMDLINE*|AMD_GA_EXIT*|*"taints kernel"*|*"tainting kernel"*) ;;
			AMD_GA_*|*amd-ga*|*amd_ga*|*Oops*|*BUG:*|*WARNING:*|*"Kernel panic"*)
				printf '    guest| %s\n' "$(echo "$line" |
					sed 's/^\[ *[0-9.]*\] //; s/^AMD_GA_//')" >&2 ;;
			esac
			quiet_since=$SECONDS
			continue
		fi
		# Nothing new for 2 s: all of the console was read if QEMU is done.
		[ -e "$rcf" ] && break
		if [ $((SECONDS - quiet_since)) -ge 10 ]; then
			log "qemu: still running ($((SECONDS - start)) s, limit $timeout_s s)"
			quiet_since=$SECONDS
		fi
	done
	kill "$tpid" 2>/dev/null || true
	tpid=
	exec 3<&-
fi
wait $qpid || true
trap - INT TERM HUP
rm -f "$pidf"
rc=$(cat "$rcf" 2>/dev/null || echo 126)
sed -i 's/\r$//' "$logf"

marker=$(grep -a -o '^AMD_GA_EXIT=[0-9]*' "$logf" | tail -n 1 || true)
if [ -n "$marker" ]; then
	n=${marker#AMD_GA_EXIT=}
	[ "$n" -le 100 ] || n=100
	exit "$n"
fi
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	log "qemu: no exit marker within $timeout_s s: killed (log: $logf)"
	exit 124
fi
if [ -s "$errf" ] && [ "$rc" -ne 0 ]; then
	log "qemu failed (status $rc):"
	sed 's/^/    /' "$errf" >&2
	exit 126
fi
log "qemu: guest stopped after $((SECONDS - start)) s without an exit marker (log: $logf)"
exit 125
