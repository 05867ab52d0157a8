#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Check MAINTAINERS with the kernel's own scripts/get_maintainer.pl:
#  1. its self-test finds no section without status, mail or files and no
#     F: pattern that matches nothing;
#  2. every file of this repository resolves to the amd-ga entry
#     (maintainer and list);
#  3. if KSRC holds an overlaid kernel tree (scripts/overlay.sh), the entry
#     appended to the kernel's MAINTAINERS resolves the overlaid files to
#     amd-ga and leaves the built-in AMD IOMMU driver to its own entry.
#
# usage: scripts/get-maintainer-check.sh
# env:   GET_MAINTAINER (path to get_maintainer.pl), KSRC (kernel tree,
#        default the 6.1 source tree)
# Prints "PASS get_maintainer" or "FAIL get_maintainer: ..."; exits
# non-zero on FAIL.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

KSRC=${KSRC:-$KSRC_61}
gm=${GET_MAINTAINER:-$KSRC/scripts/get_maintainer.pl}
fail() { echo "FAIL get_maintainer: $*"; exit 1; }
[ -f "$gm" ] || fail "$gm not found (set GET_MAINTAINER or run 'make deps')"

cd "$AMD_GA_ROOT" || exit 1
[ -f MAINTAINERS ] || fail "no MAINTAINERS file"
entry_mail=$(sed -n 's/^M:[[:space:]]*//p' MAINTAINERS | head -n 1)
entry_list=$(sed -n 's/^L:[[:space:]]*//p' MAINTAINERS | head -n 1)
[ -n "$entry_mail" ] && [ -n "$entry_list" ] || fail "entry lacks M: or L:"

gm_opts=(--nogit --nogit-fallback --norolestats --nokeywords)
errors=0

# 1. The kernel's self-test, against the files git knows.
if git rev-parse --git-dir >/dev/null 2>&1; then
	st=$(perl "$gm" --self-test=sections,patterns 2>&1)
	if [ -n "$st" ]; then
		printf '%s\n' "$st"
		errors=$((errors + 1))
	fi
fi

# 2. Every file of the repository.
if git rev-parse --git-dir >/dev/null 2>&1; then
	mapfile -t files < <(git ls-files)
else
	mapfile -t files < <(find . -type f ! -path './.git/*' | sed 's@^\./@@' | sort)
fi
checked=0
for f in "${files[@]}"; do
	[ -f "$f" ] || continue
	out=$(perl "$gm" --no-tree --mpath MAINTAINERS "${gm_opts[@]}" \
		-f "$f" 2>/dev/null)
	if ! grep -qF "$entry_mail" <<<"$out" ||
	   ! grep -qF "$entry_list" <<<"$out"; then
		echo "not resolved to amd-ga: $f"
		errors=$((errors + 1))
	fi
	checked=$((checked + 1))
done
[ "$checked" -gt 0 ] || fail "no files to check"

# 3. In an overlaid kernel tree: the entry as a backport would add it,
# without the patterns that name this repository's own top-level files.
intree=0
if [ -f "$KSRC/MAINTAINERS" ] && [ -d "$KSRC/drivers/iommu/amd-ga" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	cp "$KSRC/MAINTAINERS" "$tmp/MAINTAINERS"
	{
		echo
		sed -n '/^AMD IOMMU GA LOG/,/^$/p' MAINTAINERS |
			awk '!/^F:/ || /^F:[[:space:]]*(Documentation|drivers|include)\//'
	} > "$tmp/amd-ga"
	mapfile -t kfiles < <(cd "$KSRC" &&
		find drivers/iommu/amd-ga -name '*.[ch]' | sort;
		ls include/linux/amd-ga*.h 2>/dev/null)
	for f in "${kfiles[@]}"; do
		out=$(cd "$KSRC" && perl "$gm" --mpath "$tmp" "${gm_opts[@]}" \
			-f "$f" 2>/dev/null)
		if ! grep -qF "$entry_mail" <<<"$out"; then
			echo "not resolved to amd-ga in $KSRC: $f"
			errors=$((errors + 1))
		fi
		intree=$((intree + 1))
	done
	# Negative control: the built-in driver is not ours.
	out=$(cd "$KSRC" && perl "$gm" --mpath "$tmp" "${gm_opts[@]}" \
		-f drivers/iommu/amd/iommu.c 2>/dev/null)
	if grep -qF "$entry_mail" <<<"$out"; then
		echo "drivers/iommu/amd/iommu.c wrongly resolves to amd-ga"
		errors=$((errors + 1))
	fi
fi

if [ "$errors" -ne 0 ]; then
	fail "$errors problem(s)"
fi
msg="$checked files"
[ "$intree" -gt 0 ] && msg="$msg, $intree in the overlaid tree $KSRC"
log "get_maintainer: $msg resolve to $entry_mail"
echo "PASS get_maintainer"
