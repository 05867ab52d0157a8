#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The compile matrix: build the out-of-tree modules (amd_ga.ko and
# whatever else Kbuild builds, e.g. amd_ga_demo.ko) against every kernel
# the project promises, with W=1 and sparse (C=2), each in its own copy
# of the tree so the builds stay incremental and never mix objects.
#
# Each kernel is built twice: "probed" with the compile-probe header of
# scripts/compat-probe.sh (how the module ships), and "defaults" without
# it (what compat.h falls back to, as in an in-tree overlay build).
#
# A build passes when it succeeds with no warning from the compiler,
# sparse or modpost. One line per build for make check:
#   PASS matrix-<kernel>-<config>      or   FAIL matrix-<kernel>-<config> (why)
# then a table; the exit status is non-zero if any build failed.
#
# usage: scripts/matrix.sh [TARGET...]   (default: all of fetch-kernels.sh)
# env:   MATRIX_OUT (build copies, default under $AMD_GA_CACHE/matrix),
#        MATRIX_DEFAULTS=0 skips the builds without probes, JOBS (default 2)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

JOBS=${JOBS:-2}
FETCH=$AMD_GA_ROOT/scripts/fetch-kernels.sh
export DEBIAN_KERNEL_NO_CC_VERSION_CHECK=1
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

# One copy per worktree, so two checkouts never share build products.
key=$(basename "$AMD_GA_ROOT")-$(printf %s "$AMD_GA_ROOT" | md5sum | cut -c1-8)
MATRIX_OUT=${MATRIX_OUT:-$AMD_GA_CACHE/matrix/$key}

targets=${*:-$("$FETCH" --list)}
rows=()
failed=0

# Copy the working tree (sources only; uncommitted changes included),
# keeping the copy's build products so that warm builds are incremental.
sync_tree() {
	mkdir -p "$1"
	rsync -a --delete \
		--exclude=/.git --exclude=/build/ --exclude=/.compat/ \
		--filter='P *.o' --filter='P *.ko' --filter='P *.mod' \
		--filter='P *.mod.c' --filter='P .*.cmd' --filter='P *.a' \
		--filter='P modules.order' --filter='P Module.symvers' \
		--filter='P /.compat/' \
		"$AMD_GA_ROOT/" "$1/"
}

# Kernels from 6.15 on refuse a sparse that lacks __typeof_unqual__.
sparse_for() {
	local srctree=$1
	if [ -f "$srctree/scripts/checker-valid.sh" ] &&
	   [ "$(sh "$srctree/scripts/checker-valid.sh" sparse -m64 2>/dev/null)" != 1 ]; then
		"$FETCH" --sparse
	else
		command -v sparse
	fi
}

# result NAME KERNEL CONFIG RESULT WARNINGS PROBES SECONDS [WHY]
result() {
	local name=matrix-$2-$3
	if [ "$4" = PASS ]; then
		echo "PASS $name"
	else
		echo "FAIL $name${8:+ ($8)}"
		failed=$((failed + 1))
	fi
	rows+=("$(printf '%-24s %-17s %-6s %8s %7s %5ss  %s' \
		"$1" "$3" "$4" "$5" "$6" "$7" "${8:-}")")
}

build_one() {
	local target=$1 variant=$2 kdir=$3 series=$4 flavour=$5
	local config=$flavour out log krel srctree sparse t0 rc warns probes why mods differ
	[ "$variant" = defaults ] && config=$flavour-defaults
	out=$MATRIX_OUT/$target-$variant
	log=$out.log
	krel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$kdir/include/generated/utsrelease.h")
	srctree=$kdir
	[ -e "$kdir/source" ] && srctree=$(readlink -f "$kdir/source")
	t0=$SECONDS
	sync_tree "$out"
	probes=-
	: > "$log"
	if [ "$variant" = probed ]; then
		if ! JOBS=$JOBS "$out/scripts/compat-probe.sh" "$kdir" >> "$log" 2>&1; then
			result "$krel" "$series" "$config" FAIL - - $((SECONDS - t0)) "probes; see $log"
			return
		fi
		probes=$(grep -c '^#define AMD_GA_HAVE' "$out/.compat/$krel/amd-ga-probes.h")/$(grep -c 'AMD_GA_HAVE' "$out/.compat/$krel/amd-ga-probes.h")
	else
		rm -rf "$out/.compat"
	fi
	sparse=$(sparse_for "$srctree")
	make -C "$kdir" M="$out" W=1 C=2 CHECK="$sparse" -j"$JOBS" modules \
		>> "$log" 2>&1
	rc=$?
	warns=$(grep -cE '(warning|error):|WARNING:|ERROR:' "$log")
	mods=$(sed 's|.*/||; s|\.o$|.ko|' "$out/modules.order" 2>/dev/null | sort | tr '\n' ' ')
	why=
	# Where compat.h's in-tree defaults disagree with the probes: "-X" is
	# a default that claims what this kernel lacks, "+X" a feature the
	# defaults do not assume (e.g. a stable backport).
	differ=$MATRIX_OUT/$target-probed/.compat/$krel/defaults-differ
	if [ "$variant" = defaults ] && [ -s "$differ" ]; then
		mods="defaults vs probes: $(tr '\n' ' ' < "$differ")"
		grep -q '^-' "$differ" &&
			why="compat.h defaults claim what $krel lacks: $(grep '^-' "$differ" | tr '\n' ' ')"
	fi
	if [ $rc -ne 0 ]; then
		why="build failed; see $log"
	elif [ "$warns" -ne 0 ]; then
		why="$warns warnings; see $log"
	elif [ ! -f "$out/drivers/iommu/amd-ga/amd_ga.ko" ]; then
		why="no amd_ga.ko"
	fi
	result "$krel" "$series" "$config" "$([ -z "$why" ] && echo PASS || echo FAIL)" \
		"$warns" "$probes" $((SECONDS - t0)) "${why:-$mods}"
}

for t in $targets; do
	series=${t%-rt}
	flavour=amd64
	[ "$t" != "$series" ] && flavour=rt-amd64
	t0=$SECONDS
	if ! JOBS=$JOBS "$FETCH" "$t" >&2; then
		result "?" "$series" "$flavour" FAIL - - 0 "cannot fetch or prepare $t"
		continue
	fi
	[ $((SECONDS - t0)) -gt 5 ] && log "$t fetched and prepared in $((SECONDS - t0)) s"
	kdir=$("$FETCH" --kdir "$t")
	build_one "$t" probed "$kdir" "$series" "$flavour"
	[ "${MATRIX_DEFAULTS:-1}" = 0 ] ||
		build_one "$t" defaults "$kdir" "$series" "$flavour"
done

echo
printf '%-24s %-17s %-6s %8s %7s %6s  %s\n' kernel config result warnings probes time notes
for r in "${rows[@]}"; do echo "$r"; done
echo
[ $failed -eq 0 ] || { echo "matrix: $failed build(s) failed"; exit 1; }
echo "matrix: ${#rows[@]} builds passed"
