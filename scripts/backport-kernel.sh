#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the kernel of make backport-boot: Debian's linux-source-6.1 with the
# amd-ga backport series applied (scripts/backport-series.sh), configured
# with x86_64_defconfig plus scripts/backport/6.1.config, bzImage and
# modules, compiled through ccache.
#
# Re-runs are incremental. Every run builds a fresh staging copy (the
# extracted source tree hard-linked, never written: every file a step
# changes is replaced, not written in place) with the series applied, then
# rsyncs it by content into a persistent tree under the cache: unchanged
# files keep their mtimes, so kbuild rebuilds only what the series changed.
#
# Prints "PASS <name>" or "FAIL <name>" for backport-prepare,
# backport-config and backport-build; logs under $BACKPORT_DIR/logs.
#
# usage: scripts/backport-kernel.sh
# env: BACKPORT_NO_SERIES=1  the plain tree plus scripts/overlay.sh instead
#                            of the series (also when there is no
#                            scripts/backport-series.sh yet): amd-ga built
#                            in, the built-in driver not glued to it
#      BACKPORT_KVER         6.1 (default) or 6.12: which Debian
#                            linux-source and series (6.12's source is
#                            fetched from trixie, scripts/fetch-kernels.sh)
#      BACKPORT_DIR          default $AMD_GA_CACHE/backport-$BACKPORT_KVER
#      BACKPORT_JOBS         make -j (default: nproc)
# out: $BACKPORT_DIR/build/arch/x86/boot/bzImage, the modules under
#      $BACKPORT_DIR/modroot/lib/modules/<release>/, and
#      $BACKPORT_DIR/build-info (mode=series|overlay, release=, patches=)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# BACKPORT_KVER=6.12: trixie's linux-source-6.12 and its series instead.
KVER=${BACKPORT_KVER:-6.1}
BP=${BACKPORT_DIR:-$AMD_GA_CACHE/backport-$KVER}
SRC=$BP/src
BUILD=$BP/build
STAGE=$BP/staging
SERIES=$BP/series
MODROOT=$BP/modroot
LOGS=$BP/logs
FRAGMENT=$AMD_GA_ROOT/scripts/backport/6.1.config
jobs=${BACKPORT_JOBS:-$(nproc)}


mkdir -p "$BP" "$LOGS" || { result backport-prepare "cannot create $BP"; exit 1; }
# One build at a time in this directory (a second make check, make demo).
exec 9> "$BP/lock"
if ! flock -n 9; then
	log "backport: another build holds $BP/lock; waiting"
	flock 9
fi

command -v ccache >/dev/null || {
	result backport-prepare "ccache not found: run 'make deps'"
	exit 1
}
if [ "$KVER" = 6.1 ]; then
	(ensure_ksrc_61_pristine) || { result backport-prepare "no linux-source-6.1 tree"; exit 1; }
	PRISTINE=$KSRC_61_PRISTINE
else
	PRISTINE=$("$AMD_GA_ROOT/scripts/fetch-kernels.sh" --pristine-src "$KVER") || {
		result backport-prepare "no linux-source-$KVER tree"
		exit 1
	}
fi
v=$(sed -n 's/^VERSION = //p; s/^PATCHLEVEL = //p' "$PRISTINE/Makefile" | paste -sd.)
[ "$v" = "$KVER" ] || {
	result backport-prepare "$PRISTINE is Linux $v, not $KVER"
	exit 1
}

mode=series
if [ "${BACKPORT_NO_SERIES:-0}" = 1 ]; then
	mode=overlay
elif [ ! -x "$AMD_GA_ROOT/scripts/backport-series.sh" ]; then
	log "backport: no scripts/backport-series.sh yet: plain tree plus overlay"
	mode=overlay
fi

# The hook files scripts/overlay.sh appends to (overlay mode).
OVERLAY_HOOKS="drivers/iommu/Kconfig drivers/iommu/Makefile samples/Kconfig samples/Makefile"

# Give PATH (relative to the staging tree) an inode of its own before
# something writes it, so that the pristine tree cannot be written through
# a hard link whatever the writer does.
unshare_file() {
	local f=$STAGE/$1

	[ -f "$f" ] && [ ! -L "$f" ] || return 0
	[ "$(stat -c %h "$f")" -gt 1 ] || return 0
	cp -p "$f" "$f.unshare.$$" && mv -f "$f.unshare.$$" "$f"
}

# Files of the pristine tree a step could write: the series' targets and
# the overlay's hooks. Their checksums before and after prove it intact.
guarded_files() {
	{
		echo "$OVERLAY_HOOKS" | tr ' ' '\n'
		[ -s "$SERIES/series" ] &&
			sed -n 's#^--- a/##p; s#^+++ b/##p' "$SERIES"/*.patch
	} | sed 's/[[:space:]].*//' | sort -u
}
pristine_sums() {
	guarded_files | (cd "$PRISTINE" && while read -r f; do
		[ -f "$f" ] && md5sum "$f"
	done)
}

# --- 1. staging copy, series, persistent tree -------------------------
t0=$SECONDS
prep_log=$LOGS/prepare.log
prepare() {
	local p

	rm -rf "$STAGE" "$SERIES"
	mkdir -p "$SERIES"
	cp -al "$PRISTINE" "$STAGE" || return 1
	if [ $mode = series ]; then
		log "backport: generating the series"
		"$AMD_GA_ROOT/scripts/backport-series.sh" "$STAGE" "$SERIES" ||
			{ echo "scripts/backport-series.sh failed"; return 1; }
		[ -s "$SERIES/series" ] || { echo "no $SERIES/series"; return 1; }
	fi
	pristine_sums > "$BP/pristine.md5"
	if [ $mode = series ]; then
		while read -r p; do
			case $p in ''|'#'*) continue ;; esac
			p=${p%% *}
			guarded_files_of "$SERIES/$p" | while read -r f; do
				unshare_file "$f"
			done
			echo "applying $p"
			patch -p1 -s --no-backup-if-mismatch -d "$STAGE" < "$SERIES/$p" ||
				{ echo "$p does not apply"; return 1; }
		done < "$SERIES/series"
		echo "applied $(grep -cv '^\(#\|$\)' "$SERIES/series") patches"
	else
		for f in $OVERLAY_HOOKS; do unshare_file "$f"; done
		"$AMD_GA_ROOT/scripts/overlay.sh" "$STAGE" || return 1
	fi
	# Stray patch output would be copied into the build tree.
	p=$(find "$STAGE" \( -name '*.rej' -o -name '*.orig' \) -newer "$BP/pristine.md5" -print -quit)
	[ -z "$p" ] || { echo "left by patch: $p"; return 1; }
	if ! (cd "$PRISTINE" && md5sum --quiet -c "$BP/pristine.md5"); then
		echo "the pristine tree $PRISTINE was written through the staging copy"
		return 1
	fi
	# By content, no -t: a changed file gets a fresh mtime, an unchanged
	# one keeps its old one (and its objects stay valid).
	mkdir -p "$SRC"
	rsync -rlpc --delete "$STAGE/" "$SRC/" || return 1
	rm -rf "$STAGE"
}
guarded_files_of() {
	sed -n 's#^--- a/##p; s#^+++ b/##p' "$1" | sed 's/[[:space:]].*//' | sort -u
}

log "backport: preparing the $mode tree in $SRC"
if prepare > "$prep_log" 2>&1; then
	result backport-prepare ""
else
	result backport-prepare "$(tail -n 20 "$prep_log")"
	exit 1
fi
npatch=0
[ $mode = series ] && npatch=$(grep -cv '^\(#\|$\)' "$SERIES/series")
log "backport: tree ready ($mode, $npatch patches) in $((SECONDS - t0)) s"

# --- 2. configuration ---------------------------------------------------
ccache_env
# The same CC on every run: kbuild rebuilds everything when it changes.
kmake() {
	make -C "$SRC" O="$BUILD" CC="ccache gcc" -j"$jobs" "$@"
}

# The fragment's wishes as "SYMBOL=value" lines, "n" for "is not set".
wanted() {
	sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1=\2/p;
		s/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1=n/p' "$FRAGMENT"
}

cfg_log=$LOGS/config.log
configure() {
	local line sym val got missing=

	mkdir -p "$BUILD"
	# Into .config.new, so that an unchanged configuration leaves .config
	# (and its mtime, which kbuild compares) alone.
	kmake KCONFIG_CONFIG=.config.new x86_64_defconfig || return 1
	while IFS= read -r line; do
		sym=${line%%=*} val=${line#*=}
		case $val in
		y) "$SRC/scripts/config" --file "$BUILD/.config.new" --enable "$sym" ;;
		m) "$SRC/scripts/config" --file "$BUILD/.config.new" --module "$sym" ;;
		n) "$SRC/scripts/config" --file "$BUILD/.config.new" --disable "$sym" ;;
		*) "$SRC/scripts/config" --file "$BUILD/.config.new" --set-val "$sym" "$val" ;;
		esac
	done < <(wanted)
	kmake KCONFIG_CONFIG=.config.new olddefconfig || return 1
	while IFS= read -r line; do
		sym=${line%%=*} val=${line#*=}
		got=$(sed -n "s/^$sym=//p" "$BUILD/.config.new")
		[ -n "$got" ] || got=n
		[ "$got" = "$val" ] ||
			missing="$missing"$'\n'"$sym=$val in the fragment, $got in .config"
	done < <(wanted)
	if [ -n "$missing" ]; then
		echo "olddefconfig dropped (a dependency is missing):$missing"
		return 1
	fi
	if cmp -s "$BUILD/.config.new" "$BUILD/.config"; then
		rm -f "$BUILD/.config.new"
	else
		mv -f "$BUILD/.config.new" "$BUILD/.config"
	fi
}
if configure > "$cfg_log" 2>&1; then
	result backport-config ""
else
	result backport-config "$(grep -A100 'olddefconfig dropped' "$cfg_log" || tail -n 20 "$cfg_log")"
	exit 1
fi

# --- 3. build -----------------------------------------------------------
t1=$SECONDS
build_log=$LOGS/build.log
build() {
	local rel

	kmake bzImage modules || return 1
	rel=$(cat "$BUILD/include/config/kernel.release") || return 1
	rm -rf "$MODROOT"
	kmake INSTALL_MOD_PATH="$MODROOT" INSTALL_MOD_STRIP=1 modules_install || return 1
	printf 'mode=%s\nrelease=%s\npatches=%s\n' "$mode" "$rel" "$npatch" > "$BP/build-info"
}
log "backport: building bzImage and modules (-j$jobs, log $build_log)"
ccache -z > /dev/null 2>&1
if build > "$build_log" 2>&1; then
	hits=$(ccache -s 2>/dev/null | grep -iE '^ *(cache )?hit(s)?|Hits:' | head -n 1 | tr -s ' ')
	log "backport: built in $((SECONDS - t1)) s (ccache:${hits:- n/a})"
	result backport-build ""
else
	result backport-build "$(grep -E 'error|Error' "$build_log" | head -n 20; tail -n 10 "$build_log")"
	exit 1
fi
