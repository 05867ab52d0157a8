#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# KUnit beyond Debian 6.1: run scripts/kunit.sh (the same overlay, debug
# options and QEMU machine) on a private copy of another kernel's source
# from scripts/fetch-kernels.sh, each with its own build directory, and
# print one "PASS|FAIL|SKIP kunit-<kernel>:<suite>.<case>" line per case.
#
# 5.10 is not offered: its kunit.py runs UML only, and amd-ga's suites
# need x86_64 with PCI under QEMU (kunit.py gained QEMU in 5.11).
#
# usage: scripts/kunit-matrix.sh [TARGET...] [-- kunit.py options]
#        (default target: 7.2)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

targets=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	targets+=("$1")
	shift
done
[ "${1:-}" = -- ] && shift
[ ${#targets[@]} -gt 0 ] || targets=(7.2)
failed=0

for t in "${targets[@]}"; do
	case $t in
	5.10) die "5.10's kunit.py has no QEMU support; 5.10 is compile-only (make matrix)" ;;
	6.1) die "KUnit on 6.1 is make kunit" ;;
	esac
	ksrc=$("$AMD_GA_ROOT/scripts/fetch-kernels.sh" --kunit-src "$t") ||
		{ echo "FAIL kunit-$t (cannot fetch the source)"; failed=1; continue; }
	build=$AMD_GA_CACHE/build-kunit-$t
	json=$build/results.json
	mkdir -p "$build"
	rm -f "$json"
	log "KUnit on $t: $ksrc, build dir $build"
	KSRC=$ksrc KUNIT_BUILD=$build KUNIT_JSON=$json \
		"$AMD_GA_ROOT/scripts/kunit.sh" "$@" > "$build/kunit.log" 2>&1
	rc=$?
	grep -E '^\[..:..:..\] (Testing complete|Elapsed time)' "$build/kunit.log"
	if [ -s "$json" ]; then
		python3 "$AMD_GA_ROOT/scripts/kunit-json-count.py" "$json" "kunit-$t" |
			tee "$build/results.txt"
		grep -q '^FAIL ' "$build/results.txt" && failed=1
		if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$build/results.txt"; then
			echo "FAIL kunit-$t (kunit.py exit $rc, see $build/kunit.log)"
			failed=1
		fi
	else
		tail -n 40 "$build/kunit.log"
		echo "FAIL kunit-$t (no results, exit $rc, see $build/kunit.log)"
		failed=1
	fi
done
exit $failed
