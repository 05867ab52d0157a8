#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Turn kunit.py's --json results into one "PASS|FAIL|SKIP <prefix>:<path>"
# line per test case. Parameterised cases count once per parameter.
import json
import sys


def walk(node, path, out):
    name = node.get('name', '')
    here = path + [name] if name else path
    for case in node.get('test_cases', []):
        status = case.get('status', 'FAIL').upper()
        verdict = {'PASS': 'PASS', 'SKIP': 'SKIP'}.get(status, 'FAIL')
        out.append((verdict, '.'.join(here[1:] + [case.get('name', '?')])))
    for group in node.get('sub_groups', []):
        walk(group, here, out)


def main():
    path, prefix = sys.argv[1], sys.argv[2]
    with open(path) as f:
        data = json.load(f)
    out = []
    walk(data, [], out)
    if not out:
        print(f'FAIL {prefix}: no test case in {path}')
    for verdict, name in out:
        print(f'{verdict} {prefix}:{name}')


if __name__ == '__main__':
    main()
