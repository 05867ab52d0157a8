#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Edits of the kernel's own files for the generated patches of the
backport series (scripts/backport-series.sh).

  edit.py engine ROOT TREE   the hooks: drivers/iommu/Kconfig "source",
                             drivers/iommu/Makefile "obj-", the MAINTAINERS
                             entry (without samples/amd-ga/)
  edit.py samples ROOT TREE  samples/Kconfig "source", samples/Makefile and
                             samples/amd-ga/ in the MAINTAINERS entry

Each edit finds its anchor in the kernel's file or fails naming it, so a
tree that differs from the supported one stops the series instead of
getting a patch in the wrong place.
"""
import re
import sys


def read(path):
    with open(path) as f:
        return f.read()


def write(path, text):
    with open(path, 'w') as f:
        f.write(text)


def insert_after(text, anchor, new, path):
    i = text.find(anchor)
    if i < 0:
        sys.exit(f'edit.py: {path}: anchor {anchor!r} not found')
    i += len(anchor)
    return text[:i] + new + text[i:]


def insert_after_match(text, pattern, what, new, path):
    """Insert after the first match of a multi-line regex, or fail naming what."""
    m = re.search(pattern, text, re.M)
    if not m:
        sys.exit(f'edit.py: {path}: {what} not found')
    return text[:m.end()] + new + text[m.end():]


def maintainers_entry(root):
    """The project's entry, kept to the paths the engine patch adds."""
    text = read(f'{root}/MAINTAINERS')
    start = text.index('AMD IOMMU GA LOG AND INTERRUPT REMAPPING')
    lines = []
    for line in text[start:].splitlines():
        if not line.strip():
            break
        if line.startswith('F:\t') and not re.match(
                r'F:\t(drivers/iommu/amd-ga/|include/linux/)', line):
            continue
        lines.append(line)
    return '\n'.join(lines) + '\n\n'


def engine(root, tree):
    path = f'{tree}/drivers/iommu/Kconfig'
    write(path, insert_after(read(path), 'source "drivers/iommu/amd/Kconfig"\n',
                             'source "drivers/iommu/amd-ga/Kconfig"\n', path))
    path = f'{tree}/drivers/iommu/Makefile'
    # 6.1: "obj-y += amd/ intel/ arm/", 6.12 adds iommufd/: the whole line.
    write(path, insert_after_match(read(path), r'^obj-y \+= amd/.*\n',
                                   'line "obj-y += amd/ ..."',
                                   'obj-$(CONFIG_AMD_GA) += amd-ga/\n', path))
    path = f'{tree}/MAINTAINERS'
    write(path, insert_after_match(read(path), r'^AMD IOMMU \(AMD-VI\)\n(.+\n)*\n',
                                   'entry "AMD IOMMU (AMD-VI)"',
                                   maintainers_entry(root), path))


def samples(root, tree):
    path = f'{tree}/samples/Kconfig'
    text = read(path)
    i = text.rfind('endif # SAMPLES')
    if i < 0:
        sys.exit(f'edit.py: {path}: "endif # SAMPLES" not found')
    write(path, text[:i] + 'source "samples/amd-ga/Kconfig"\n\n' + text[i:])
    path = f'{tree}/samples/Makefile'
    write(path, read(path).rstrip('\n') + '\nobj-$(CONFIG_AMD_GA_TEST)\t\t+= amd-ga/\n')
    path = f'{tree}/MAINTAINERS'
    write(path, insert_after(read(path), 'F:\tinclude/linux/amd-ga*.h\n',
                             'F:\tsamples/amd-ga/\n', path))


if __name__ == '__main__':
    if len(sys.argv) != 4 or sys.argv[1] not in ('engine', 'samples'):
        sys.exit(__doc__)
    globals()[sys.argv[1]](sys.argv[2], sys.argv[3])
