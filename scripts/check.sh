#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check: every test of the project, on a fresh Debian bookworm machine
# too (it installs what is missing). Each check prints "PASS <name>" or
# "FAIL <name>"; KUnit cases count one each. The last line sums them:
# "N passed, N failed".
#
# env: CHECK_ONLY="build kunit ..." runs a subset (names as in STEPS);
#      CHECK_BUDGET_MIN (default 85): the minutes the last two steps, the
#      backport on 6.12 and KUnit on 7.2, must end within (CI stops make
#      check at 90).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

STEPS="deps build layers sparse checkpatch kernel-doc kunit boot backport-series backport-boot backport-bisect backport-nested matrix kvm-amd dkms backport-6.12 kunit-7.2"
CHECK_ONLY=${CHECK_ONLY:-$STEPS}
LOGDIR=${CHECK_LOGDIR:-$AMD_GA_CACHE/check-logs}
mkdir -p "$LOGDIR"
passed=0
failed=0
skipped=0
t_start=$(date +%s)

# What a kernel splat starts with (lib.sh); the KUnit scripts below count
# splats as checks of their own here, so kunit.sh need not fail on them.
export KERNEL_SPLATS KUNIT_SPLATS_COUNTED=1

pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
want() { case " $CHECK_ONLY " in *" $1 "*) return 0 ;; esac; return 1; }

# Run a script that prints PASS/FAIL lines itself; count them. A script that
# fails without saying what failed counts as one failure.
run_counted() {
	local name=$1 log=$LOGDIR/$1.log rc
	shift
	log "check: $name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	count_log "$name" "$log" "$rc"
}

# Count the PASS/FAIL lines of a step's log; a step that exits non-zero
# without a FAIL line, or passes without any line, counts once.
count_log() {
	local name=$1 log=$2 rc=$3 p f
	p=$(grep -c '^PASS ' "$log" || true)
	f=$(grep -c '^FAIL ' "$log" || true)
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		fail "$name (exit $rc, see $log)"
	elif [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		pass "$name"
	fi
}

# Run a build; it passes when it succeeds and prints no compiler or sparse
# warning about our sources.
run_build() {
	local name=$1 log=$LOGDIR/$1.log rc
	shift
	log "check: $name"
	"$@" > "$log" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ]; then
		tail -n 30 "$log"
		fail "$name (exit $rc, see $log)"
	elif warns=$(grep -E "(warning|error):" "$log" | grep -v "^Skipping BTF") &&
	     [ -n "$warns" ]; then
		sed -n 1,20p <<<"$warns"
		fail "$name (warnings, see $log)"
	else
		pass "$name"
	fi
}

if want deps; then
	if "$AMD_GA_ROOT/scripts/deps.sh" > "$LOGDIR/deps.log" 2>&1; then
		pass deps
	else
		tail -n 20 "$LOGDIR/deps.log"
		fail "deps (see $LOGDIR/deps.log)"
	fi
fi

KDIR=${KDIR:-$(default_kdir)}
export KDIR DEBIAN_KERNEL_NO_CC_VERSION_CHECK=1

if want build; then
	make -s -C "$AMD_GA_ROOT" clean > /dev/null 2>&1
	run_build build-W1 make -C "$KDIR" M="$AMD_GA_ROOT" W=1 modules
fi
want layers && run_counted layers "$AMD_GA_ROOT/scripts/layer-check.sh"
if want sparse; then
	make -s -C "$AMD_GA_ROOT" clean > /dev/null 2>&1
	run_build sparse-C2 make -C "$KDIR" M="$AMD_GA_ROOT" C=2 modules
fi
want checkpatch && run_counted checkpatch "$AMD_GA_ROOT/scripts/checkpatch.sh"
if want kernel-doc && [ -x "$AMD_GA_ROOT/scripts/kernel-doc.sh" ]; then
	run_counted kernel-doc "$AMD_GA_ROOT/scripts/kernel-doc.sh"
fi

if want kunit; then
	json=$LOGDIR/kunit-6.1.json
	rm -f "$json"
	log "check: kunit (Debian 6.1 tree, x86_64 under QEMU)"
	KUNIT_JSON=$json "$AMD_GA_ROOT/scripts/kunit.sh" > "$LOGDIR/kunit.log" 2>&1
	rc=$?
	grep -E '^\[..:..:..\] (Testing complete|=+ |\[(PASSED|FAILED|SKIPPED|CRASHED)\])' \
		"$LOGDIR/kunit.log" | tail -n 200
	if [ -s "$json" ]; then
		counts=$(python3 "$AMD_GA_ROOT/scripts/kunit-json-count.py" "$json" kunit-6.1)
		printf '%s\n' "$counts" | grep -E '^(PASS|FAIL|SKIP) '
		p=$(printf '%s\n' "$counts" | grep -c '^PASS ' || true)
		f=$(printf '%s\n' "$counts" | grep -c '^FAIL ' || true)
		s=$(printf '%s\n' "$counts" | grep -c '^SKIP ' || true)
		passed=$((passed + p))
		failed=$((failed + f))
		skipped=$((skipped + s))
		[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && fail "kunit-6.1 (kunit.py exit $rc, see $LOGDIR/kunit.log)"
	else
		tail -n 40 "$LOGDIR/kunit.log"
		fail "kunit-6.1 (no results, exit $rc, see $LOGDIR/kunit.log)"
	fi
	# Lockdep, KASAN, UBSAN and WARN reports do not fail a KUnit case by
	# themselves: look for them in the raw console of the run.
	console=${KUNIT_BUILD:-$AMD_GA_CACHE/build-kunit-6.1}/test.log
	if [ -s "$console" ]; then
		cp "$console" "$LOGDIR/kunit-6.1-console.log"
		splats=$(grep -nE "$KERNEL_SPLATS" "$console" || true)
		if [ -n "$splats" ]; then
			sed -n 1,20p <<<"$splats"
			fail "kunit-6.1-no-kernel-splats (see $LOGDIR/kunit-6.1-console.log)"
		else
			pass "kunit-6.1-no-kernel-splats"
		fi
	fi
fi

if want boot && [ -x "$AMD_GA_ROOT/scripts/boot-test.sh" ]; then
	run_counted boot "$AMD_GA_ROOT/scripts/boot-test.sh"
fi
# The series itself: generated, checkpatch, changelogs, applies, refuses.
if want backport-series; then
	run_counted backport-series "$AMD_GA_ROOT/scripts/backport-check.sh"
fi
# Debian's 6.1 with the backport series, built and booted twice: about
# 17 minutes cold on two cores (the kernel build), 1-2 minutes warm.
if want backport-boot && [ -x "$AMD_GA_ROOT/scripts/backport-boot.sh" ]; then
	run_counted backport-boot "$AMD_GA_ROOT/scripts/backport-boot.sh"
fi
# Every prefix of the series builds with W=1 and sparse, in that kernel's
# configuration (about 3 minutes, ccache).
if want backport-bisect; then
	run_counted backport-bisect "$AMD_GA_ROOT/scripts/backport-bisect.sh"
fi
# That kernel as L1 with a VFIO-assigned e1000e in an L2 guest (about
# 2 minutes warm): the build backport-boot just ran is not repeated.
if want backport-nested && [ -x "$AMD_GA_ROOT/scripts/backport-nested.sh" ]; then
	skip_build=0
	want backport-boot && skip_build=1
	BACKPORT_SKIP_BUILD=$skip_build run_counted backport-nested "$AMD_GA_ROOT/scripts/backport-nested.sh"
fi
if want matrix && [ -x "$AMD_GA_ROOT/scripts/matrix.sh" ]; then
	run_counted matrix "$AMD_GA_ROOT/scripts/matrix.sh"
fi
if want kvm-amd && [ -x "$AMD_GA_ROOT/scripts/kvm-amd.sh" ]; then
	run_counted kvm-amd "$AMD_GA_ROOT/scripts/kvm-amd.sh"
fi
# DKMS writes /usr/src and /var/lib/dkms: only where make check runs as root.
if want dkms && [ -x "$AMD_GA_ROOT/scripts/dkms.sh" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		run_counted dkms "$AMD_GA_ROOT/scripts/dkms.sh"
	else
		echo "SKIP dkms (not root)"
		skipped=$((skipped + 1))
	fi
fi

# CI stops make check after 90 minutes. The backport on Debian's 6.12
# (series, booted kernel, every prefix, nested guest) and KUnit on 7.2 run
# last, each only when it can still end inside CHECK_BUDGET_MIN (default
# 85) minutes of make check, and under a timeout at that budget. On two
# cores the 6.12 kernel built with an empty compiler cache takes about 20
# minutes (all four steps about 30), a warm run 10; KUnit on 7.2 cold
# (source fetched, nothing built yet) 20-40 minutes, warm about 5. A step
# that cannot fit, or that the budget stops, is reported as skipped with
# the command that runs it alone; its test failures are failures as
# always.
#
# budget_step NAME BUILT_FILE WARM_MIN COLD_MIN CMD...: NAME is also the make
# target that runs it alone; BUILT_FILE exists after a first run (warm).
budget_step() {
	local name=$1 built=$2 warm=$3 cold=$4 budget left need kind rc
	shift 4
	budget=$(( ${CHECK_BUDGET_MIN:-85} * 60 ))
	left=$(( budget - ($(date +%s) - t_start) ))
	if [ -f "$built" ]; then
		need=$(( warm * 60 )) kind=warm
	else
		need=$(( cold * 60 )) kind=cold
	fi
	if [ "$left" -lt "$need" ]; then
		echo "SKIP $name ($((left / 60)) of make check's ${CHECK_BUDGET_MIN:-85} minutes left, a $kind run needs about $((need / 60)): run 'make $name' on its own)"
		skipped=$((skipped + 1))
		return
	fi
	log "check: $name ($kind; at most $((left / 60)) minutes)"
	timeout -k 30 "$left" "$@" 2>&1 | tee "$LOGDIR/$name.log"
	rc=${PIPESTATUS[0]}
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "SKIP $name (stopped at make check's ${CHECK_BUDGET_MIN:-85}-minute budget: run 'make $name' on its own)"
		skipped=$((skipped + 1))
	else
		count_log "$name" "$LOGDIR/$name.log" "$rc"
	fi
}

if want backport-6.12; then
	budget_step backport-6.12 "$AMD_GA_CACHE/backport-6.12/build/vmlinux" 12 32 \
		"$AMD_GA_ROOT/scripts/backport-all.sh" 6.12
fi
if want kunit-7.2 && [ -x "$AMD_GA_ROOT/scripts/kunit-matrix.sh" ]; then
	budget_step kunit-7.2 "$AMD_GA_CACHE/build-kunit-7.2/vmlinux" 10 35 \
		"$AMD_GA_ROOT/scripts/kunit-matrix.sh" 7.2
fi

log "check: done in $(( $(date +%s) - t_start )) s; logs in $LOGDIR"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
