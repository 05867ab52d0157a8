# SPDX-License-Identifier: GPL-2.0-only
#
# Shared by the benchmark scripts (sourced after lib.sh): build the
# modules out of tree in a copy, and lay out a busybox initramfs that
# loads them in Debian's kernel under QEMU. Needs KDIR.

# bench_build W: the modules, built in W/src so the work tree stays clean.
bench_build() {
	local w=$1
	rsync -a --delete --exclude .git "$AMD_GA_ROOT/" "$w/src/"
	DEBIAN_KERNEL_NO_CC_VERSION_CHECK=1 make -s -C "$KDIR" M="$w/src" modules \
		>"$w/build.log" 2>&1 ||
		{ cat "$w/build.log" >&2; die "module build failed"; }
}

# bench_rootfs RD W MODULE...: busybox and W/src's MODULE.ko files in RD;
# the caller writes RD/init.
bench_rootfs() {
	local rd=$1 w=$2 a m
	shift 2
	rm -rf "$rd" && mkdir -p "$rd"/{bin,proc,sys,dev}
	cp "$(command -v busybox)" "$rd/bin/busybox"
	for a in sh mount insmod dmesg grep poweroff sleep cat; do
		ln -s busybox "$rd/bin/$a"
	done
	for m in "$@"; do
		cp "$(find "$w/src/drivers" "$w/src/samples" -name "$m.ko" | head -n 1)" "$rd/"
	done
}
