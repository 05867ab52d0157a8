#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The documentation checks of make check:
#  - kernel-doc: the kernel's scripts/kernel-doc over every amd-ga source
#    file (the driver, the public headers, the KUnit suites), failing on
#    any warning and on exported functions or header structs without a
#    kernel-doc comment;
#  - rst: Documentation/**/*.rst parsed as make htmldocs reads it, with
#    every kernel-doc directive expanded (scripts/rst-check.py, docutils);
#  - get_maintainer: MAINTAINERS resolves every file of the project
#    (scripts/get-maintainer-check.sh).
#
# The strictest mode the script knows is used: -Wall where it exists
# (6.3 and later), -v on older trees such as 6.1, where -v turns on the
# same extra checks (missing Return: sections, missing descriptions).
#
# usage: scripts/kernel-doc.sh [FILE...]   (FILEs: only kernel-doc, on them)
# env:   KERNEL_DOC (path to scripts/kernel-doc; found in the 6.1 source
#        tree or the installed headers by default)
# Prints "PASS <check>" or "FAIL <check>: ..." per check; exits non-zero
# if any failed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

find_kernel_doc() {
	local c
	for c in ${KERNEL_DOC:-} "$KSRC_61/scripts/kernel-doc" \
		/usr/src/linux-headers-*-common/scripts/kernel-doc; do
		[ -f "$c" ] && { echo "$c"; return 0; }
	done
	return 1
}

kdoc=$(find_kernel_doc) || {
	echo "FAIL kernel-doc: scripts/kernel-doc not found (set KERNEL_DOC or run 'make deps')"
	exit 1
}

# Up to 6.12 scripts/kernel-doc is Perl, from 6.13 on Python.
if head -n 1 "$kdoc" | grep -q python; then
	interp=python3
else
	interp=perl
fi
if grep -q -- '-Wall' "$kdoc"; then
	mode=-Wall
else
	mode=-v
fi

cd "$AMD_GA_ROOT" || exit 1
if [ $# -gt 0 ]; then
	files=("$@")
else
	mapfile -t files < <(find drivers/iommu/amd-ga drivers/iommu/amd-ga/test \
			     samples/amd-ga include/linux kunit \
			     -maxdepth 1 -name '*.[ch]' ! -name '*.mod.c' 2>/dev/null | sort)
fi
[ ${#files[@]} -gt 0 ] || { echo "FAIL kernel-doc: no source files"; exit 1; }

log "kernel-doc $mode on ${#files[@]} files ($kdoc)"
# kernel-doc checks the comments that exist; this finds the ones that do
# not: every exported function (not data) and every struct, union or enum
# defined in a header needs a kernel-doc comment ("name() -" or
# "struct name -").
missing_docs() {
	perl -ne '
		if (/^\s*\*\s+(?:(struct|union|enum)\s+)?(\w+)(?:\(\))?\s+-/) {
			$doc{($1 ? "$1 " : "") . $2} = 1;
		}
		$func{$1} = 1 if /^[a-z_][^;=]*?\b(\w+)\(/;
		if (/^(?:EXPORT_SYMBOL(?:_GPL)?(?:_NS(?:_GPL)?)?|EXPORT_SYMBOL_FOR_AMD_GA_TEST)\((\w+)/ &&
		    $func{$1} && !$doc{$1}) {
			print "$ARGV:$.: warning: exported $1() has no kernel-doc comment\n";
		}
		if ($ARGV =~ /\.h$/ && /^(struct|union|enum)\s+(\w+)\s*\{/ &&
		    !$doc{"$1 $2"}) {
			print "$ARGV:$.: warning: $1 $2 has no kernel-doc comment\n";
		}
		if (eof) { %doc = (); %func = (); close ARGV; }
	' "$@"
}

# -v also prints "info:" lines about what it scans; only warnings and
# errors count.
out=$("$interp" "$kdoc" -none "$mode" "${files[@]}" 2>&1; missing_docs "${files[@]}")
problems=$(printf '%s\n' "$out" | grep -E 'warning:|error:|Error:' || true)
rc=0
if [ -n "$problems" ]; then
	printf '%s\n' "$problems"
	echo "FAIL kernel-doc: $(printf '%s\n' "$problems" | wc -l) problem(s) in ${#files[@]} files"
	rc=1
else
	echo "PASS kernel-doc"
fi
[ $# -gt 0 ] && exit "$rc"

mapfile -t rsts < <(find Documentation -name '*.rst' 2>/dev/null | sort)
if [ ${#rsts[@]} -eq 0 ]; then
	echo "FAIL rst: no Documentation/**/*.rst"
	rc=1
elif ! python3 -c 'import docutils' 2>/dev/null; then
	echo "FAIL rst: python3-docutils is not installed"
	rc=1
elif python3 "$AMD_GA_ROOT/scripts/rst-check.py" "$kdoc" "${rsts[@]}"; then
	echo "PASS rst (${#rsts[@]} files)"
else
	echo "FAIL rst: see the messages above"
	rc=1
fi

"$AMD_GA_ROOT/scripts/get-maintainer-check.sh" || rc=1
exit "$rc"
