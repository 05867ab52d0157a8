#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo: boot Debian's 6.1 kernel under QEMU (q35, TCG, 2 vCPUs) with
# QEMU's AMD IOMMU and the edu device, amd_iommu=off so the IOMMU is free
# for amd-ga; load amd_ga.ko (and amd_ga_demo.ko once it exists), unload
# and reload both twice, and report what the IOMMU offers, each remapping
# scenario on QEMU's IOMMU and each guest-mode / GA log scenario on amd-ga's
# software IOMMU model with what was expected and what was seen, the
# counters of both and the reload cycles. Exit 0 only if everything held.
#
# usage: scripts/demo.sh [--timeout S]
# env:   KDIR (Debian 6.1 headers), AMD_GA_CACHE, QEMU_APPEND (kernel args)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$AMD_GA_ROOT/scripts/initramfs/host-lib.sh"

timeout_s=150
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) timeout_s=$2; shift 2 ;;
	*) die "usage: demo.sh [--timeout S]" ;;
	esac
done

t0=$SECONDS
log "demo 1/4: checking tools"
missing=$(guest_tools_missing)
if [ -n "$missing" ]; then
	log "missing: $missing; installing with scripts/deps.sh"
	"$AMD_GA_ROOT/scripts/deps.sh"
fi

log "demo 2/4: building the modules, the kernel image and the initramfs"
run=$(guest_run_dir demo)
guest_prepare "$run"

log "demo 3/4: booting the QEMU guest (Debian $(basename "$GUEST_KDIR" | sed 's/^linux-headers-//'), q35, TCG, amd-iommu, edu; about 20-40 s)"
serial=$run/serial.log
qrc=0
"$AMD_GA_ROOT/scripts/qemu-run.sh" --progress --timeout "$timeout_s" \
	${QEMU_APPEND:+--append "$QEMU_APPEND"} \
	"$GUEST_KERNEL" "$GUEST_INITRD" "$serial" || qrc=$?

log "demo 4/4: report"
issues=$(guest_kernel_issues "$serial")

# What the EFR says about interrupt remapping, independent of the module's
# own wording: GASup (bit 7), XTSup (bit 2), GAMSup (bits 23:21).
efr=$(grep -a -m1 -o 'EFR 0x[0-9a-f]*' "$serial" | cut -d' ' -f2 || true)
can="" cannot=""
if [ -n "$efr" ]; then
	can="interrupt remapping with 32-bit IRTEs"
	if [ $((efr >> 7 & 1)) = 1 ]; then
		can="$can and 128-bit IRTEs (GASup=1)"
	else
		cannot="128-bit IRTEs (GASup=0)"
	fi
	if [ $((efr >> 21 & 7)) != 0 ]; then
		can="$can; guest-mode IRTEs and the GA log (GAMSup=$((efr >> 21 & 7)))"
	else
		cannot="${cannot:+$cannot; }guest-mode IRTEs, IsRun/doorbells and the GA log (GAMSup=0): those ran on amd-ga's software IOMMU model instead (see below)"
	fi
	if [ $((efr >> 2 & 1)) = 0 ]; then
		cannot="${cannot:+$cannot; }x2APIC (32-bit) destinations (XTSup=0)"
	else
		can="$can; x2APIC destinations (XTSup=1)"
	fi
fi

demo_ko=0
case $GUEST_MODULES in *amd_ga_demo.ko*) demo_ko=1 ;; esac

rc=0
awk -v qrc="$qrc" -v demo_ko="$demo_ko" -v can="$can" -v cannot="$cannot" \
    -v issues="$issues" -v timeout_s="$timeout_s" '
function strip(s) { sub(/^\[ *[0-9.]+\] /, "", s); return s }
function show(i,   l) {
	l = sprintf("  %-4s  %-20s expected: %s; seen: %s", res_verdict[i], res_name[i], res_exp[i], res_seen[i])
	if (length(l) <= 110) print l
	else printf "  %-4s  %s\n        expected: %s\n        seen:     %s\n", res_verdict[i], res_name[i], res_exp[i], res_seen[i]
}
BEGIN {
	model_desc["model.running.doorbell"] = "vCPU 0 runs (IsRun=1): posted straight to it, doorbell at its host APIC ID"
	model_desc["model.blocking.galog_wake"] = "vCPU 0 halts (IsRun=0, GALogIntr=1): GA log entry, IRQ thread, notifier wakes it"
	model_desc["model.preempted.irr_only"] = "vCPU 0 preempted (IsRun=0, GALogIntr=0): IRR only, picked up at its next load"
	model_desc["model.overflow.recovery"] = "GA log filled by a 2nd device (to blocked vCPU 1) while its drain is held off: vCPU 0\047s\n  entry is lost; overflow, restart; recovery wakes each blocked vCPU with a pending vector"
	model_desc["model.deactivate.host"] = "guest mode off again (AVIC inhibited): remapped to the host vector"
}
function fail(msg) { failures[++nfail] = msg }
function stepword(r, kind, okword, badword) {
	if (!nsteps[r, kind]) return (kind == "load") ? "load did not finish" : ""
	return (r, kind) in bad ? badword " (" substr(bad[r, kind], 2) ")" : okword
}
/^AMD_GA_INIT / {
	for (i = 2; i <= NF; i++) { split($i, kv, "="); init[kv[1]] = kv[2] }
}
/^AMD_GA_CMDLINE / { cmdline = substr($0, 16) }
/^AMD_GA_PCI iommu / { pci_iommu = $3 " [" $4 "]" }
/^AMD_GA_PCI edu / { pci_edu = $3 " [" $4 "]" }
/^AMD_GA_ROUND / { round = $2; phase = $3; if (round > rounds) rounds = round }
/^AMD_GA_IOMEM / && round == 1 { iomem = substr($0, 14) }
/^AMD_GA_STEP / {
	ok = ($NF == "as-expected")
	kind = ($2 ~ /^insmod-/) ? "load" : ($2 ~ /^rmmod-/) ? "unload" : "gone"
	nsteps[round, kind]++
	if (!ok) {
		bad[round, kind] = bad[round, kind] " " $2 " " $3
		fail("round " round ": " $2 " " $3)
	}
}
/^AMD_GA_EXIT=/ { exit_seen = 1 }
{ line = strip($0) }
line ~ /^amd-ga-demo: RESULT / {
	n = split(line, w, " ")
	name = w[3]; verdict = w[4]
	expv = line; sub(/.* expected=/, "", expv); sub(/ seen=.*/, "", expv)
	seen = line; sub(/.* seen=/, "", seen)
	nres[round]++
	if (name ~ /^model\./) nmodel[round]++
	if (verdict == "PASS") npass[round]++
	else { nfailres[round]++; fail("round " round ": scenario " name " " verdict " (expected " expv ", seen " seen ")") }
	if (round == 1) {
		res_name[nres[1]] = name; res_verdict[nres[1]] = verdict
		res_exp[nres[1]] = expv; res_seen[nres[1]] = seen
	}
	next
}
line ~ /^amd-ga-demo: COUNTER / {
	split(line, w, " ")
	if (round == 1) { corder[++ncounters] = w[3]; counter[w[3]] = w[4] }
	next
}
line ~ /^amd-ga-demo: MODEL COUNTER / {
	split(line, w, " ")
	if (round == 1 && w[4] ~ /^galog_/) { morder[++nmcounters] = w[4]; mcounter[w[4]] = w[5] }
	next
}
line ~ /^amd-ga-demo: guest mode and GA log scenarios/ { in_model = 1; next }
line ~ /^amd-ga-demo: SUMMARY / {
	in_model = 0
	summary[round] = line; sub(/^amd-ga-demo: SUMMARY /, "", summary[round])
	if (line !~ / 0 failed/) fail("round " round ": amd_ga_demo.ko says " summary[round])
	next
}
line ~ /^amd-ga: / {
	if (line ~ /AMD IOMMU at /) found[round]++
	# What amd_ga.ko said about the model while its scenarios ran.
	if (round == 1 && in_model) model_lines[++nmodel_lines] = substr(line, 9)
	else if (round == 1) iommu_lines[++niommu] = substr(line, 9)
}
END {
	print ""
	print "==================== amd-ga demo ===================="
	printf "Guest    Debian %s under QEMU q35 (TCG, %s vCPUs)\n", init["kernel"] ? init["kernel"] : "?", init["cpus"] ? init["cpus"] : "?"
	printf "Command  %s\n", cmdline
	printf "Devices  AMD IOMMU %s, edu %s\n", pci_iommu ? pci_iommu : "NOT FOUND", pci_edu ? pci_edu : "NOT FOUND"
	print ""
	print "The IOMMU as amd_ga.ko found it"
	if (niommu == 0) print "  (amd_ga.ko printed nothing)"
	for (i = 1; i <= niommu; i++) {
		l = iommu_lines[i]
		gsub(/; /, "\n      ", l)
		print "  " l
	}
	if (iomem != "") print "  MMIO window: " iomem
	if (can != "") print "  Can do here:    " can
	if (cannot != "") print "  Cannot do here: " cannot
	print ""
	if (demo_ko) {
		print "Remapping scenarios on QEMU\047s IOMMU, edu as the device (amd_ga_demo.ko, first load)"
		if (nres[1] == 0) { print "  (no RESULT line)"; fail("round 1: amd_ga_demo.ko reported no scenario") }
		for (i = 1; i <= nres[1]; i++)
			if (res_name[i] !~ /^model\./) show(i)
		print ""
		if (ncounters) {
			print "What the remapping scenarios cost QEMU\047s IOMMU (first load)"
			for (i = 1; i <= ncounters; i++)
				if (corder[i] !~ /^galog_/) printf "  %-28s %s\n", corder[i], counter[corder[i]]
			print "  (its GA log counters stay 0: QEMU\047s IOMMU has no GA log)"
			print ""
		}
		print "Guest mode and GA log on amd-ga\047s software IOMMU model (first load)"
		print "  QEMU\047s IOMMU cannot post interrupts to vCPUs (GAMSup=0). The model inside"
		print "  amd_ga.ko can: it reads the IRTEs amd-ga writes, sets the vector in the vCPU\047s"
		print "  vAPIC backing page (IRR), rings the doorbell of a running vCPU, logs a blocked"
		print "  one in the GA log and raises the GA interrupt. The demo drives it through the"
		print "  calls kvm_amd makes; a kernel thread stands in for the halted vCPU 0."
		if (nmodel[1] == 0) print "  (no model scenario ran)"
		for (i = 1; i <= nres[1]; i++)
			if (res_name[i] ~ /^model\./) {
				if (res_name[i] in model_desc) print "  " model_desc[res_name[i]]
				show(i)
			}
		for (i = 1; i <= nmodel_lines; i++) print "  amd_ga.ko said: " model_lines[i]
		print ""
		if (nmcounters) {
			print "GA log counters of the model (first load)"
			for (i = 1; i <= nmcounters; i++) printf "  %-28s %s\n", morder[i], mcounter[morder[i]]
			print ""
		}
		if (summary[1] != "") print "amd_ga_demo.ko, first load: " summary[1]
		print ""
	} else {
		print "Remapping scenarios: amd_ga_demo.ko is not part of this tree yet;"
		print "  this demo shows discovery, features and clean load/unload only."
		print ""
	}
	print "Load, unload and reload (the modules twice more after the first load)"
	for (r = 1; r <= rounds; r++) {
		label = (r == 1) ? "load 1  " : "reload " (r - 1)
		extra = ""
		if (!found[r]) { extra = ", IOMMU NOT FOUND"; fail("round " r ": amd_ga.ko did not report the IOMMU") }
		if (demo_ko) {
			extra = extra sprintf(", scenarios %d/%d pass (%d on the model)", npass[r], nres[r], nmodel[r])
			if (nres[r] == 0) fail("round " r ": no scenario results")
			if (nmodel[r] == 0) fail("round " r ": no model scenario results")
			if (summary[r] == "") fail("round " r ": no SUMMARY line from amd_ga_demo.ko")
		}
		printf "  %s  %s%s%s%s\n", label, stepword(r, "load", "loaded", "load FAILED"), extra,
		       stepword(r, "unload", ", unloaded", ", unload FAILED"),
		       stepword(r, "gone", ", nothing left behind", ", LEFT SOMETHING BEHIND")
	}
	if (rounds == 0) print "  (the guest never got to load anything)"
	print ""
	if (issues == "") print "Kernel log: no oops, BUG, WARN, lockdep, stall or sanitizer report"
	else {
		print "Kernel log: TROUBLE"
		n = split(issues, il, "\n")
		for (i = 1; i <= n && i <= 20; i++) print "  " il[i]
		fail("the kernel reported problems (see above)")
	}
	if (qrc == 124) fail("the guest did not finish within " timeout_s " s")
	else if (qrc >= 125) fail("the guest stopped without finishing (panic or QEMU failure, status " qrc ")")
	else if (!exit_seen) fail("no exit marker from the guest")
	print ""
	if (nfail == 0) print "RESULT: everything held"
	else {
		print "RESULT: FAILED"
		for (i = 1; i <= nfail; i++) print "  - " failures[i]
	}
	exit nfail ? 1 : 0
}' "$serial" || rc=$?

echo "Serial log: $serial"
echo "Time: $((SECONDS - t0)) s"
exit $rc
