#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check that amd-ga's layers point one way.

usage: layer-check.py [--objdir DIR] [--symvers FILE] [ROOT]

Every source file of the driver (drivers/iommu/amd-ga/*.[ch]) has a rank
in LAYERS below; x.c and x.h share one. Three rules, each a PASS or FAIL
line:

  includes  a driver file includes (#include "...") only driver headers of
            a lower rank, or its own header; never a test-support, sample
            or KUnit header. Test support (test/) may include the driver,
            samples and KUnit suites both. A file with no rank fails: a new
            file must be placed in a layer.
  symbols   with --objdir (a directory holding the driver's .o files after
            a build): every amd_ga_* symbol an object uses from another of
            the driver's objects is defined by a lower rank (nm), and the
            components' lifecycle (LIFECYCLE) is called by the instance only.
  exports   with --symvers (the Module.symvers of a build with
            AMD_GA_TEST=n): amd_ga.ko exports exactly the functions that
            include/linux/amd-ga.h declares, all in namespace AMD_GA.

Ranks are distinct numbers, so "lower" is a total order and no cycle can
pass. Documentation/iommu/amd-ga-design.rst explains the layers.
"""
import argparse
import os
import re
import subprocess
import sys

# file stem -> (rank, layer); lower ranks may be used by higher ones.
LAYERS = {
    # layouts, pure codecs and helpers without state of the hardware
    'compat': (1, 'layouts'), 'export': (2, 'layouts'), 'hw': (3, 'layouts'),
    'vapic': (4, 'layouts'), 'irte': (5, 'layouts'), 'gatag': (6, 'layouts'),
    'tag_filter': (7, 'layouts'), 'log': (8, 'layouts'),
    # register access: the instance type, backends, tracepoints
    'iommu': (10, 'registers'), 'regs': (11, 'registers'),
    'mmio': (12, 'registers'), 'trace': (13, 'registers'),
    # components
    'cmdq': (20, 'components'), 'devtab': (21, 'components'),
    'irt': (22, 'components'), 'galog': (23, 'components'),
    # instance
    'debugfs': (30, 'instance'), 'instance': (31, 'instance'),
    'probe': (32, 'instance'), 'host': (33, 'instance'),
    # consumers
    'vcpu': (40, 'consumers'), 'posted': (41, 'consumers'),
    'posted_vcpu': (42, 'consumers'), 'dispatch': (43, 'consumers'),
    'host_posted': (44, 'consumers'),
    # module entry
    'main': (50, 'module'),
}

# A component's start and stop: the instance's to call, no one else's.
LIFECYCLE = re.compile(
    r'^amd_ga_(cmdq_(init|destroy)|devtab_(init|release|flush_stale)|'
    r'galog_(enable|disable))$')
LIFECYCLE_CALLERS = {'instance'}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
DRV = 'drivers/iommu/amd-ga'


def stem(path):
    return os.path.splitext(os.path.basename(path))[0]


class Checker:
    def __init__(self, root):
        self.root = root
        self.errors = {}

    def error(self, rule, msg):
        self.errors.setdefault(rule, []).append(msg)

    def driver_files(self):
        d = os.path.join(self.root, DRV)
        return sorted(f for f in os.listdir(d)
                      if f.endswith(('.c', '.h')) and not f.endswith('.mod.c'))

    def includes(self):
        drv = os.path.join(self.root, DRV)
        test_hdrs = {f for f in os.listdir(os.path.join(drv, 'test'))
                     if f.endswith('.h')}
        for f in self.driver_files():
            s = stem(f)
            if s not in LAYERS:
                self.error('includes', f'{DRV}/{f}: in no layer '
                           '(add it to LAYERS in scripts/layer-check.py)')
                continue
            rank = LAYERS[s][0]
            with open(os.path.join(drv, f), encoding='utf-8') as fh:
                text = fh.read()
            for inc in INCLUDE.findall(text):
                t = stem(inc)
                if inc in test_hdrs:
                    self.error('includes', f'{DRV}/{f} includes "{inc}", '
                               'a test-support header')
                elif t not in LAYERS:
                    self.error('includes', f'{DRV}/{f} includes "{inc}", '
                               'which is in no layer')
                elif t != s and LAYERS[t][0] >= rank:
                    self.error('includes',
                               f'{DRV}/{f} ({LAYERS[s][1]}, rank {rank}) '
                               f'includes "{inc}" ({LAYERS[t][1]}, rank '
                               f'{LAYERS[t][0]}): a layer may use only '
                               'the ones below it')

    def symbols(self, objdir):
        defs, uses = {}, {}
        for s in LAYERS:
            o = os.path.join(objdir, s + '.o')
            if not os.path.exists(o):
                continue
            out = subprocess.run(['nm', o], capture_output=True, text=True,
                                 check=True).stdout
            for line in out.splitlines():
                parts = line.split()
                if len(parts) == 2 and parts[0] == 'U':
                    uses.setdefault(s, set()).add(parts[1])
                elif len(parts) == 3 and parts[1] in 'TDBR':
                    defs[parts[2]] = s
        if not defs:
            self.error('symbols', f'no driver objects in {objdir}: build first')
            return
        for user, syms in sorted(uses.items()):
            for sym in sorted(syms):
                owner = defs.get(sym)
                if owner is None or owner == user:
                    continue
                if LAYERS[owner][0] > LAYERS[user][0]:
                    self.error('symbols',
                               f'{user}.o ({LAYERS[user][1]}) calls {sym} '
                               f'of {owner}.o ({LAYERS[owner][1]}), '
                               'a layer above it')
                if LIFECYCLE.match(sym) and user not in LIFECYCLE_CALLERS:
                    self.error('symbols',
                               f'{user}.o calls {sym}: a component is '
                               'started and stopped by the instance only')

    def exports(self, symvers):
        hdr = os.path.join(self.root, 'include/linux/amd-ga.h')
        with open(hdr, encoding='utf-8') as fh:
            api = set(re.findall(r'\b(amd_ga_\w+)\s*\(', fh.read()))
        got = {}
        with open(symvers, encoding='utf-8') as fh:
            for line in fh:
                f = line.rstrip('\n').split('\t')
                if len(f) >= 4 and f[2].endswith('amd_ga'):
                    got[f[1]] = f[4] if len(f) > 4 else ''
        for sym, ns in sorted(got.items()):
            if sym not in api:
                self.error('exports', f'amd_ga.ko exports {sym}, which '
                           'include/linux/amd-ga.h does not declare')
            elif ns != 'AMD_GA':
                self.error('exports', f'{sym} is exported in namespace '
                           f'"{ns}", not AMD_GA')
        for sym in sorted(api - set(got)):
            self.error('exports', f'{sym} (include/linux/amd-ga.h) is not '
                       'exported')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--objdir')
    ap.add_argument('--symvers')
    ap.add_argument('root', nargs='?',
                    default=os.path.dirname(os.path.dirname(
                        os.path.abspath(__file__))))
    a = ap.parse_args()
    c = Checker(a.root)
    rules = ['includes']
    c.includes()
    if a.objdir:
        rules.append('symbols')
        c.symbols(a.objdir)
    if a.symvers:
        rules.append('exports')
        c.exports(a.symvers)
    for r in rules:
        errs = c.errors.get(r, [])
        for e in errs:
            print(f'  {e}')
        print(f'{"FAIL" if errs else "PASS"} layers-{r}')
    return 1 if c.errors else 0


if __name__ == '__main__':
    sys.exit(main())
