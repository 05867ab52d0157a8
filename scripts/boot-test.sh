#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The QEMU boot test of make check. Two boots of Debian's 6.1 kernel
# (q35, TCG, 2 vCPUs, QEMU's AMD IOMMU and edu):
#  1. amd_iommu=off: amd_ga.ko finds the IOMMU and decodes its features,
#     both modules load and unload back to back BOOT_ROUNDS times (the
#     demo destroys its resident VM at unload, right before amd_ga.ko
#     goes: RCU callbacks still queued then would run in freed module
#     code) with a clean kernel log, and every scenario of
#     amd_ga_demo.ko passes in every round;
#  2. without amd_iommu=off the built-in AMD IOMMU driver owns the IOMMU:
#     insmod amd_ga.ko must fail with one message naming that owner and
#     the way out.
# Prints "PASS <name>" or "FAIL <name>" per check (reasons on stderr) and
# exits non-zero if any check failed.
#
# env: KDIR (Debian 6.1 headers), BOOT_TIMEOUT (per boot, default 150 s),
#      BOOT_ROUNDS (load/unload rounds of boot 1, default 8)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$AMD_GA_ROOT/scripts/initramfs/host-lib.sh"

timeout_s=${BOOT_TIMEOUT:-150}
rounds=${BOOT_ROUNDS:-8}
failed=0


# Lines of one round (N) of a serial log, timestamps stripped.
# Under pipefail, never end a pipeline with a reader that quits early
# (grep -q, grep -m, head): the writer then dies of SIGPIPE and the whole
# pipeline reads as "no match". Take the lines into a variable first and
# search that with a here-string.
round_lines() {
	awk -v r="$2" '/^AMD_GA_ROUND / { cur = $2 } cur == r' "$1" |
		sed 's/^\[ *[0-9.]*\] //'
}

missing=$(guest_tools_missing)
if [ -n "$missing" ]; then
	log "boot-test: missing $missing; installing with scripts/deps.sh"
	"$AMD_GA_ROOT/scripts/deps.sh" >&2 || { result boot-prepare "scripts/deps.sh failed"; exit 1; }
fi
run=$(guest_run_dir boot-test)
if ! (guest_prepare "$run" && echo "$GUEST_KERNEL $GUEST_MODULES" > "$run/prepared") >&2; then
	result boot-prepare "module build, kernel image or initramfs failed (see above)"
	exit 1
fi
read -r kernel modules < "$run/prepared"
initrd=$run/initramfs.cpio
demo_ko=0
case $modules in *amd_ga_demo.ko*) demo_ko=1 ;; esac

# --- boot 1: amd_iommu=off, amd-ga owns the IOMMU ---------------------
log1=$run/serial-owned.log
log "boot-test: boot 1 of 2 (amd_iommu=off: load and unload $rounds times)"
rc1=0
"$AMD_GA_ROOT/scripts/qemu-run.sh" --timeout "$timeout_s" \
	--append "amdga_cycles=$((rounds - 1))" \
	"$kernel" "$initrd" "$log1" >&2 || rc1=$?

why=
grep -q '^AMD_GA_INIT' "$log1" || why="the guest never ran /init"
case $rc1 in
124) why="${why:+$why; }no exit marker within $timeout_s s" ;;
125|126) why="${why:+$why; }the guest or QEMU stopped early (status $rc1)" ;;
esac
[ -z "$why" ] || why="$why (log: $log1)"
result boot-guest-runs "$why"

# The IOMMU is found in every round.
why=
for r in $(seq 1 "$rounds"); do
	lines=$(round_lines "$log1" $r)
	grep -q '^amd-ga: .*AMD IOMMU at .*registers at' <<<"$lines" ||
		why="${why:+$why; }round $r: amd_ga.ko did not report the IOMMU"
done
result boot-iommu-found "$why"

# The features line decodes the EFR correctly: each name is printed
# exactly when its bit is set.
why=
round1=$(round_lines "$log1" 1)
fline=$(grep -a -m1 '^amd-ga: .*EFR 0x' <<<"$round1" || true)
if [ -z "$fline" ]; then
	why="no 'EFR 0x...' line from amd_ga.ko"
else
	efr=$(echo "$fline" | grep -o 'EFR 0x[0-9a-f]*' | cut -d' ' -f2)
	feats=" ${fline##*: } "
	for nb in PreF:0 PPR:1 XT:2 NX:3 GT:4 IA:6 GA:7 HE:8 PC:9; do
		n=${nb%:*} b=${nb#*:}
		case $feats in *" $n "*) has=1 ;; *) has=0 ;; esac
		[ "$has" = $((efr >> b & 1)) ] ||
			why="${why:+$why; }EFR $efr bit $b is $((efr >> b & 1)) but '$n' printed=$has"
	done
	case $feats in *"GAMSup=$((efr >> 21 & 7)) "*) ;;
	*) why="${why:+$why; }GAMSup does not match EFR $efr" ;;
	esac
	grep -q '^amd-ga: .*guest mode' <<<"$round1" ||
		why="${why:+$why; }no line saying what guest mode can do here"
fi
[ -z "$why" ] && log "boot-test: features: ${fline#amd-ga: }"
result boot-iommu-features "$why"

# Load and unload, every round: every step as expected, nothing left behind.
why=
bad=$(grep -a '^AMD_GA_STEP ' "$log1" | grep -v 'as-expected$' || true)
[ -z "$bad" ] || why="steps that went wrong:"$'\n'"$bad"
nload=$(grep -c '^AMD_GA_STEP insmod-amd_ga rc=0 ' "$log1")
ngone=$(grep -c '^AMD_GA_STEP gone rc=0 ' "$log1")
[ "$nload" = "$rounds" ] && [ "$ngone" = "$rounds" ] ||
	why="${why:+$why$'\n'}amd_ga.ko loaded $nload times and left nothing behind $ngone times, want $rounds and $rounds"
if [ $demo_ko = 1 ]; then
	n=$(grep -c '^AMD_GA_STEP insmod-amd_ga_demo rc=0 ' "$log1")
	[ "$n" = "$rounds" ] || why="${why:+$why$'\n'}amd_ga_demo.ko loaded $n times, want $rounds"
fi
[ "$rc1" = 0 ] || why="${why:+$why$'\n'}guest exit status $rc1"
result boot-load-unload-reload "$why"

issues=$(guest_kernel_issues "$log1")
result boot-kernel-log-clean "${issues:+kernel trouble after /init:$'\n'$issues}"

# Every scenario of the demo module passes, in every round.
if [ $demo_ko = 1 ]; then
	why=
	for r in $(seq 1 "$rounds"); do
		lines=$(round_lines "$log1" $r)
		nres=$(echo "$lines" | grep -c '^amd-ga-demo: RESULT ')
		fails=$(echo "$lines" | grep '^amd-ga-demo: RESULT ' | grep -v '^amd-ga-demo: RESULT [^ ]* PASS ' || true)
		summ=$(grep -m1 '^amd-ga-demo: SUMMARY ' <<<"$lines" || true)
		[ "$nres" -gt 0 ] || why="${why:+$why$'\n'}round $r: no RESULT line"
		[ -z "$fails" ] || why="${why:+$why$'\n'}round $r:"$'\n'"$fails"
		case $summ in
		*" 0 failed"*) ;;
		"") why="${why:+$why$'\n'}round $r: no SUMMARY line" ;;
		*) why="${why:+$why$'\n'}round $r: $summ" ;;
		esac
	done
	result boot-demo-scenarios "$why"
elif guest_demo_expected; then
	result boot-demo-scenarios "amd_ga_demo is in the Makefile but was not built"
else
	log "boot-test: no amd_ga_demo.ko in this tree yet: no scenario check"
fi

# --- boot 2: the built-in AMD IOMMU driver owns the IOMMU -------------
log2=$run/serial-busy.log
log "boot-test: boot 2 of 2 (no amd_iommu=off: amd_ga.ko must refuse)"
rc2=0
"$AMD_GA_ROOT/scripts/qemu-run.sh" --timeout "$timeout_s" \
	--linux-iommu --append amdga_mode=busy \
	"$kernel" "$initrd" "$log2" >&2 || rc2=$?

why=
owner=$(grep -a -m1 '^AMD_GA_IOMEM ' "$log2" | sed -n 's/.* : //p')
msgs=$(round_lines "$log2" 1 | grep '^amd-ga: ' || true)
nmsg=$(echo "$msgs" | grep -c . || true)
if ! grep -q '^AMD_GA_EXIT' "$log2"; then
	why="the guest did not finish (status $rc2, log $log2)"
elif [ -z "$owner" ] || [ "$owner" = amd-ga ]; then
	why="precondition: the IOMMU's MMIO window is not owned by another driver ('${owner:-unclaimed}')"
elif ! grep -q '^AMD_GA_STEP insmod-amd_ga-refused rc=[1-9].* as-expected$' "$log2"; then
	why="insmod amd_ga.ko did not fail although $owner owns the IOMMU"
elif [ "$nmsg" != 1 ]; then
	why="want exactly one amd-ga message, got $nmsg:"$'\n'"$msgs"
else
	rest=${msgs//amd_iommu=off/}
	case $msgs in *amd_iommu=off*) ;; *) why="the message does not give the way out (amd_iommu=off): $msgs" ;; esac
	case $rest in *"$owner"*) ;; *) why="${why:+$why; }the message does not name the owner '$owner': $msgs" ;; esac
fi
issues=$(guest_kernel_issues "$log2")
[ -z "$issues" ] || why="${why:+$why$'\n'}kernel trouble after /init:"$'\n'"$issues"
[ -z "$why" ] && log "boot-test: refusal: ${msgs#amd-ga: }"
result boot-owned-elsewhere-refused "$why"

log "boot-test: $failed check(s) failed (logs: $log1, $log2)"
[ $failed = 0 ]
