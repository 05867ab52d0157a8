# SPDX-License-Identifier: GPL-2.0-only
#
# kunit.py QEMU configuration: q35 with QEMU's emulated AMD IOMMU (interrupt
# remapping on) and the edu test device, two vCPUs. The KUnit kernel has no
# CONFIG_AMD_IOMMU, so nothing but amd-ga touches the IOMMU.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='x86_64',
			   kconfig='''
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y
CONFIG_PCI=y
CONFIG_PCI_MSI=y''',
			   qemu_arch='x86_64',
			   kernel_path='arch/x86/boot/bzImage',
			   kernel_command_line='console=ttyS0',
			   extra_qemu_params=['-machine', 'q35', '-accel', 'tcg',
					      '-smp', '2',
					      '-device', 'amd-iommu,intremap=on',
					      '-device', 'edu'])
