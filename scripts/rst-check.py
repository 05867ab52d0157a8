#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Check reStructuredText the way "make htmldocs" would read it, without
# Sphinx: parse each file with docutils, expand every ".. kernel-doc::"
# directive by running the kernel's scripts/kernel-doc -rst on the named
# source file (as the kernel's Sphinx extension does) and parse that
# output too. Sphinx-only directives and roles (toctree, c:function,
# :c:func:, ...) are accepted as stubs; everything else docutils reports
# (malformed tables, bad indentation, unknown directives, broken
# references) is an error.
#
# usage: scripts/rst-check.py KERNEL_DOC FILE.rst...
# Run from the top of the tree: kernel-doc paths are relative to it.
# Prints each problem and exits 1 if there was any.
import subprocess
import sys

import docutils.core
from docutils import nodes
from docutils.parsers.rst import Directive, directives, roles
from docutils.statemachine import ViewList

KERNEL_DOC = sys.argv[1]
with open(KERNEL_DOC) as f:
    # Perl up to 6.12, Python from 6.13 on.
    INTERP = 'python3' if 'python' in f.readline() else 'perl'
problems = 0


class Stream:
    """Where docutils writes its system messages."""

    def write(self, text):
        global problems
        if text.strip():
            problems += 1
            sys.stdout.write(text)


class Stub(Directive):
    """A Sphinx directive docutils does not know: check its body only."""

    required_arguments = 0
    optional_arguments = 100
    final_argument_whitespace = True
    has_content = True
    option_spec = None

    def run(self):
        node = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class TocTree(Directive):
    """Sphinx's toctree: its body is a list of document names."""

    has_content = True
    option_spec = {k: directives.unchanged for k in
                   ('maxdepth', 'glob', 'hidden', 'caption', 'numbered',
                    'titlesonly', 'name', 'includehidden')}

    def run(self):
        return []


class KernelDoc(Directive):
    """Expand like Documentation/sphinx/kerneldoc.py does."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {k: directives.unchanged for k in
                   ('export', 'internal', 'identifiers', 'no-identifiers',
                    'functions', 'doc')}

    def run(self):
        global problems
        path = self.arguments[0]
        cmd = [INTERP, KERNEL_DOC, '-rst', '-sphinx-version', '3.0', '-enable-lineno']
        opts = self.options
        if 'export' in opts:
            cmd += ['-export'] + [a for f in opts['export'].split()
                                  for a in ('-export-file', f)]
        elif 'internal' in opts:
            cmd += ['-internal'] + [a for f in opts['internal'].split()
                                    for a in ('-export-file', f)]
        elif 'doc' in opts:
            cmd += ['-function', opts['doc']]
        for key in ('functions', 'identifiers'):
            for name in opts.get(key, '').split():
                cmd += ['-function', name]
        cmd.append(path)
        res = subprocess.run(cmd, capture_output=True, text=True)
        for line in res.stderr.splitlines():
            if 'warning:' in line or 'error:' in line or 'Error' in line:
                problems += 1
                print(line)
        if res.returncode != 0 and not res.stdout:
            problems += 1
            print('%s: kernel-doc failed (%d)' % (path, res.returncode))
            return []
        lines = ViewList()
        for i, line in enumerate(res.stdout.splitlines()):
            if line.startswith('.. LINENO '):
                continue
            lines.append(line, path, i)
        node = nodes.section()
        node.document = self.state.document
        self.state.nested_parse(lines, 0, node, match_titles=1)
        return node.children


def stub_role(name, rawtext, text, lineno, inliner, options=None,
              content=None):
    return [nodes.literal(rawtext, text)], []


directives.register_directive('kernel-doc', KernelDoc)
directives.register_directive('toctree', TocTree)
for d in ('c:function', 'c:struct', 'c:union', 'c:enum', 'c:enumerator',
          'c:type', 'c:macro', 'c:var', 'c:member', 'c:namespace',
          'c:namespace-push', 'c:namespace-pop', 'only', 'kernel-abi',
          'kernel-feat', 'kernel-include', 'flat-table', 'cdomain'):
    directives.register_directive(d, Stub)
for r in ('c:func', 'c:type', 'c:macro', 'c:struct', 'c:union', 'c:enum',
          'c:member', 'c:data', 'c:expr', 'c:texpr', 'ref', 'doc',
          'manpage', 'menuselection', 'kbd', 'file', 'envvar', 'option'):
    roles.register_local_role(r, stub_role)

for rst in sys.argv[2:]:
    with open(rst) as f:
        docutils.core.publish_doctree(
            f.read(), source_path=rst,
            settings_overrides={'report_level': 2, 'halt_level': 5,
                                'warning_stream': Stream()})

sys.exit(1 if problems else 0)
