# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-only
# Host side of amd-ga's QEMU guest, shared by demo.sh and boot-test.sh:
# pick the 6.1 headers, build the modules, fetch the matching Debian
# kernel image, pack the initramfs, and read the serial log afterwards.
# Source it after scripts/lib.sh; do not run it.

# The Debian 6.1 amd64 headers tree the guest's modules are built against:
# GUEST_KDIR, or KDIR if it is such a tree, else the newest installed.
guest_kdir() {
	local d

	for d in "${GUEST_KDIR:-}" "${KDIR:-}" \
		 "$(debian_61_kdir)"; do
		[ -n "$d" ] && [ -f "$d/Makefile" ] || continue
		case $(basename "$(readlink -f "$d")") in
		linux-headers-6.1.*-amd64) echo "$d"; return 0 ;;
		esac
	done
	return 1
}

# What the guest harness needs and is not there (empty: all present).
guest_tools_missing() {
	local t missing=

	for t in make gcc cpio qemu-system-x86_64 apt-get dpkg-deb readelf; do
		command -v "$t" >/dev/null || missing="$missing $t"
	done
	[ -x /bin/busybox ] || missing="$missing busybox"
	guest_kdir >/dev/null || missing="$missing linux-headers-6.1-amd64"
	echo "${missing# }"
}

# Whether the tree wires in the demo module (then amd_ga_demo.ko must exist).
guest_demo_expected() {
	grep -rqs 'amd_ga_demo' "$AMD_GA_ROOT/samples/amd-ga/Makefile"
}

# guest_built_module NAME: the path of NAME.ko if the last build made it.
guest_built_module() {
	local p

	p=$(grep -m1 -E "(^|/)$1\.ko\$" "$AMD_GA_ROOT/modules.order" 2>/dev/null) || return 0
	case $p in
	/*) echo "$p" ;;
	*) echo "$AMD_GA_ROOT/$p" ;;
	esac
}

# guest_prepare RUN_DIR: build the modules and the initramfs; sets
# GUEST_KDIR, GUEST_KERNEL, GUEST_INITRD and GUEST_MODULES (names).
guest_prepare() {
	local run=$1 blog ko tko demo

	GUEST_KDIR=$(guest_kdir) ||
		die "no linux-headers-6.1.*-amd64 (the guest runs Debian's 6.1 kernel): run 'make deps'"
	mkdir -p "$run"
	blog=$run/build.log
	log "building the modules against $GUEST_KDIR"
	if ! make -C "$AMD_GA_ROOT" KDIR="$GUEST_KDIR" >"$blog" 2>&1; then
		tail -n 40 "$blog" >&2
		die "module build failed (full log: $blog)"
	fi
	# modules.order lists what this build made; a stale .ko is ignored.
	ko=$(guest_built_module amd_ga)
	[ -n "$ko" ] && [ -f "$ko" ] || die "the build made no amd_ga.ko"
	demo=$(guest_built_module amd_ga_demo)
	if [ -z "$demo" ] && guest_demo_expected; then
		die "the Makefile builds amd_ga_demo but no amd_ga_demo.ko was made"
	fi
	# The demo runs on the test-support module (model, scenarios).
	tko=$(guest_built_module amd_ga_test)
	if [ -n "$demo" ] && [ -z "$tko" ]; then
		die "amd_ga_demo.ko was made but not amd_ga_test.ko, which it needs"
	fi
	GUEST_MODULES="amd_ga.ko${demo:+ amd_ga_test.ko amd_ga_demo.ko}"

	log "fetching Debian's kernel image for $(basename "$GUEST_KDIR")"
	GUEST_KERNEL=$(KDIR=$GUEST_KDIR "$AMD_GA_ROOT/scripts/fetch-debian-kernel.sh")
	GUEST_INITRD=$run/initramfs.cpio
	"$AMD_GA_ROOT/scripts/mkinitramfs.sh" "$GUEST_INITRD" "$ko" ${demo:+"$tko" "$demo"}
}

# The run directory of this checkout (several checkouts share the cache).
guest_run_dir() {
	echo "$AMD_GA_CACHE/run/$(echo "$AMD_GA_ROOT" | tr -c 'A-Za-z0-9_.\n-' '-' |
				   sed 's/^-*//')/$1"
}

# Kernel trouble reported after /init started: oops, BUG, WARN, lockdep,
# stalls, sanitizers, panics. Prints the offending lines.
guest_kernel_issues() {
	sed -n '/^AMD_GA_INIT/,$p' "$1" | grep -a -E \
		'Oops|BUG:|WARNING:|kernel BUG|general protection|Call Trace:|Kernel panic|possible (circular|recursive) locking|inconsistent lock state|suspicious RCU usage|lockdep|soft lockup|hard LOCKUP|rcu.*stall|hung_task|blocked for more than|UBSAN:|KASAN:|list_(add|del) corruption|refcount_t:|unreferenced object|double free|page allocation failure|segfault|Unable to handle|unexpected IRQ trap' ||
		true
}
