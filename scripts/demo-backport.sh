#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo-backport: the in-tree backport at work, as a report. Runs
# make backport-boot (Debian's 6.1 with the series, booted on QEMU with
# amd-iommu and two e1000e) and make backport-nested (that kernel as L1,
# an e1000e assigned with VFIO to an L2 guest under kvm_amd), then shows
# what the guests saw: amd-ga's boot messages, the built-in driver's
# IRTEs as amd-ga wrote them next to /proc/interrupts, its counters, an
# IRQ moved to the other CPU, the amd_ga.host=0 boot, and the nested
# guest's NIC interrupts with their IRTEs in L1.
#
# Cold (nothing built): the 6.1 kernel build, 20-30 minutes on two cores;
# warm: about 4 minutes. Exits non-zero if a check failed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$AMD_GA_ROOT/scripts/initramfs/host-lib.sh"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rc=0

log "demo-backport: make backport-boot (the kernel is built first if needed)"
"$AMD_GA_ROOT/scripts/backport-boot.sh" > "$out/boot.log" 2>&1 || rc=1
BACKPORT_SKIP_BUILD=1 "$AMD_GA_ROOT/scripts/backport-nested.sh" > "$out/nested.log" 2>&1 || rc=1

on=$(guest_run_dir backport-boot)/serial-on.log
off=$(guest_run_dir backport-boot)/serial-off.log
section() { printf '\n== %s\n' "$*"; }
# The lines between AMD_GA_INTERRUPTS_BEGIN and _END of a serial log.
dump() { sed -n '/^AMD_GA_INTERRUPTS_BEGIN/,/^AMD_GA_INTERRUPTS_END/p' "$1" | sed '1d;$d'; }

echo "amd-ga in-tree backport: Debian's linux-source-6.1 + the series, on QEMU (TCG)"
if [ -s "$on" ]; then
	section "boot messages (amd-ga and the built-in AMD IOMMU driver)"
	sed -n 's/^AMD_GA_DMESG //p' "$on" | grep -E 'amd-ga|AMD-Vi' | sed 's/^/  /'
	section "remapped interrupts (/proc/interrupts)"
	dump "$on" | grep -E 'CPU0|IR-' | sed 's/^/  /'
	section "their IRTEs, written by amd-ga on the built-in driver's tables (debugfs amd-ga/host/irtes)"
	dump "$on" | grep -E '^(# iommu|[0-9]+ 0x)' | sed 's/^/  /'
	section "counters (debugfs amd-ga/host/stats): amd-ga stored, the built-in writers never ran"
	dump "$on" | grep -E '^[a-z_]+ [0-9]+$' | sed 's/^/  /'
	section "an e1000e IRQ moved to the other CPU (smp_affinity)"
	sed -n 's/^AMD_GA_DETAIL backport-affinity-move: //p' "$on" | sed 's/^/  /'
fi
if [ -s "$off" ]; then
	section "booted with amd_ga.host=0: the built-in driver's own paths"
	dump "$off" | grep -E '^[a-z_]+ [0-9]+$' | sed 's/^/  /'
fi
section "nested: an e1000e assigned with VFIO to an L2 guest under kvm_amd"
grep -E '^\[amd-ga\] (backport-)?nested' "$out/nested.log" | sed 's/^\[amd-ga\] /  /'
section "checks"
grep -hE '^(PASS|FAIL) ' "$out/boot.log" "$out/nested.log" | sed 's/^/  /'
echo
echo "kvm_amd runs with avic=0 here: TCG has no AVIC, so guest-mode (posted) IRTEs and the"
echo "GA log cannot be shown on this machine; the software model proves them (make demo, KUnit)."
echo "logs: $(guest_run_dir backport-boot)/, $(guest_run_dir backport-nested)/"
exit "$rc"
