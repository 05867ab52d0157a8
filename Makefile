# SPDX-License-Identifier: GPL-2.0-only
#
# amd-ga: AMD IOMMU interrupt remapping and GA log, out of tree.
# The kbuild part lives in Kbuild; this file is for humans.
#
#   make              build amd_ga.ko against KDIR (compile probes first)
#   make demo         boot a QEMU guest with an emulated AMD IOMMU and run the demo
#   make check        every test: builds, sparse, checkpatch, kernel-doc, KUnit on
#                     6.1 and 7.2, boot test, kernel matrix, kvm-amd
#   make deps         install what the project needs (Debian bookworm)
#   make kunit        KUnit on an overlaid Debian 6.1 tree under QEMU
#   make kunit-7.2    the same on Debian's 7.2 source
#   make checkpatch   checkpatch.pl --strict on every source file
#   make sparse       sparse (C=2) build
#   make kernel-doc   scripts/kernel-doc on every source file
#   make bench        benchmarks (ratios against a baseline of the same run)
#   make matrix       external module against 5.10, 6.1, 6.12, 7.2 and RT
#   make kvm-amd      a kvm-amd module linked against amd_ga.ko's symbols
#   make dkms         install and build through DKMS
#   make backport-series KSRC=<tree> OUT=<dir>
#                     the in-tree backport as numbered patches + quilt series
#                     (Debian's linux-source-6.1 or -6.12 as shipped)
#   make backport KSRC=<tree>   apply that series to the tree
#   make backport-boot  the patched 6.1 kernel booted on QEMU, checked
#   make backport-nested  that kernel as L1 with a VFIO-assigned e1000e in an L2 guest
#   make backport-6.12    all four backport checks on Debian's 6.12 (series, boot, prefixes, nested)
#   make demo-backport  both, as a report of what amd-ga did in those kernels
#   make overlay KSRC=<tree>    copy amd-ga into a tree, no glue (KUnit's way)

KDIR ?= $(shell bash -c '. scripts/lib.sh; default_kdir')
SCRIPTS := $(CURDIR)/scripts

# Debian's kernel Makefile warns when the compiler differs from the one the
# kernel was built with; the module still builds with the same major gcc.
export DEBIAN_KERNEL_NO_CC_VERSION_CHECK := 1

.PHONY: all modules compat clean deps demo check kunit kunit-7.2 checkpatch sparse kernel-doc \
	bench matrix kvm-amd dkms backport backport-series backport-boot backport-nested backport-6.12 demo-backport \
	overlay help

all modules: compat
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# What KDIR offers, by compile probes (.compat/<kernel release>/); reused
# until the kernel tree, its configuration or a probe changes.
compat:
	@test -n "$(KDIR)" || { echo "no kernel headers found: run 'make deps' or set KDIR" >&2; exit 1; }
	@$(SCRIPTS)/compat-probe.sh $(KDIR)

clean:
	rm -rf .compat
	@test -z "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(CURDIR) clean

sparse: compat
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 modules

deps:
	@$(SCRIPTS)/deps.sh

demo:
	@$(SCRIPTS)/demo.sh

check:
	@$(SCRIPTS)/check.sh

kunit:
	@$(SCRIPTS)/kunit.sh

kunit-7.2:
	@$(SCRIPTS)/kunit-matrix.sh 7.2

checkpatch:
	@$(SCRIPTS)/checkpatch.sh

kernel-doc:
	@$(SCRIPTS)/kernel-doc.sh

bench:
	@$(SCRIPTS)/bench.sh
	@$(SCRIPTS)/bench-hotpath.sh

matrix:
	@$(SCRIPTS)/matrix.sh

kvm-amd:
	@$(SCRIPTS)/kvm-amd.sh

dkms:
	@$(SCRIPTS)/dkms.sh

backport-series:
	@test -n "$(KSRC)" -a -n "$(OUT)" || { echo "usage: make backport-series KSRC=<tree> OUT=<dir>" >&2; exit 1; }
	@$(SCRIPTS)/backport-series.sh $(KSRC) $(OUT)

backport:
	@test -n "$(KSRC)" || { echo "usage: make backport KSRC=<tree>" >&2; exit 1; }
	@$(SCRIPTS)/backport-apply.sh $(KSRC)

overlay:
	@test -n "$(KSRC)" || { echo "usage: make overlay KSRC=<tree>" >&2; exit 1; }
	@$(SCRIPTS)/overlay.sh $(KSRC)

backport-boot:
	@$(SCRIPTS)/backport-boot.sh

backport-nested:
	@$(SCRIPTS)/backport-nested.sh

backport-6.12:
	@$(SCRIPTS)/backport-all.sh 6.12

demo-backport:
	@$(SCRIPTS)/demo-backport.sh

help:
	@sed -n '3,28p' Makefile
