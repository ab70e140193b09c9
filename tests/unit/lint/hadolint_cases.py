#!/usr/bin/env python3
"""Regenerate tests/unit/lint/cases/hadolint.cases from Hadolint's own rule
specs, to track Hadolint's current rules:

    python3 tests/unit/lint/hadolint_cases.py HADOLINT_CHECKOUT > tests/unit/lint/cases/hadolint.cases

It reads the passing and failing Dockerfile snippets of
test/Hadolint/Rule/DL*Spec.hs (ruleCatches / ruleCatchesNot and their
onBuild forms, which wrap each RUN in ONBUILD) and writes one case each:
`expect DLnnnn` or `reject DLnnnn`, checked against the finding that lists
that peer id. A snippet with no FROM gets `FROM base:1` first (Hadolint
lints instructions without a stage; bulwark's rules look at stages).
Specs that need a configuration (DL3026's registries, the label schema of
DL3049-DL3058) are left out. The differences bulwark keeps on purpose are
in DIVERGES: their cases assert bulwark's verdict, with the reason, and
docs/rules/dockerfile.md lists them; a new difference fails the unit test
until it is fixed or listed there too."""
import json
import os
import re
import sys

# "SpecFile:line" of the ruleCatches call -> why bulwark differs
DIVERGES = {
    'DL3002:77': 'only the final image\'s user matters: a build stage that ends as root is not shipped',
    'DL3009:132': 'a cache mount over /var/lib/apt keeps the lists out of the layer; the .deb cache is not this rule\'s concern',
    'DL3009:133': 'a cache mount over /var/lib/apt keeps the lists out of the layer; the .deb cache is not this rule\'s concern',
    'DL3020:14': 'ADD does not decompress a plain .gz/.bz2/.xz file (only tar archives): COPY serves',
    'DL3020:15': 'ADD does not decompress a plain .gz/.bz2/.xz file (only tar archives): COPY serves',
    'DL3020:16': 'ADD does not decompress a plain .gz/.bz2/.xz file (only tar archives): COPY serves',
    'DL3022:33': 'COPY --from=0 inside stage 0 names its own stage: reported as BW-DF-011 (DL3023)',
    'DL3025:46': 'a HEALTHCHECK command in shell form is no PID 1 and gets no signals: the exec-form reason does not apply',
    'DL3038:15': 'microdnf never asks (its -y does nothing)',
    'DL3038:17': 'microdnf never asks (its -y does nothing)',
    'DL3048:21': 'a key with $ is expanded by BuildKit: judged by its value, not as written',
    'DL3057:19': 'a FROM scratch final image has nothing to run a health check with unless the build adds it',
    'DL3057:73': 'a FROM scratch final image has nothing to run a health check with unless the build adds it',
    'DL4006:84': 'dash and BusyBox sh support -o pipefail (POSIX.1-2024)',
}

CALL = re.compile(r'\b(ruleCatches|ruleCatchesNot|onBuildRuleCatches|onBuildRuleCatchesNot)\s+')

def hs_string(s, i):
    """Parse a Haskell string literal at s[i] == '"'; return (value, end)."""
    assert s[i] == '"'
    i += 1; out = []
    while True:
        ch = s[i]
        if ch == '"':
            return ''.join(out), i + 1
        if ch == '\\':
            nx = s[i + 1]
            if nx in ' \n\t':  # string gap
                j = s.index('\\', i + 1)
                i = j + 1; continue
            m = {'n': '\n', 't': '\t', '"': '"', '\\': '\\', "'": "'", '&': ''}
            if nx in m:
                out.append(m[nx]); i += 2; continue
            mm = re.match(r'\d+', s[i + 1:])
            if mm:
                out.append(chr(int(mm.group()))); i += 1 + len(mm.group()); continue
            raise ValueError('escape %r' % s[i:i+5])
        out.append(ch); i += 1

def skip_ws(s, i):
    while i < len(s) and s[i] in ' \t\n':
        i += 1
    # line comments
    if s.startswith('--', i):
        j = s.find('\n', i); return skip_ws(s, j)
    return i

def parse_expr(s, i, defs_src, pos):
    """Parse a dockerfile expression at i; return (text, end) or (None, end)."""
    i = skip_ws(s, i)
    if s.startswith('$', i):
        i = skip_ws(s, i + 1)
    paren = False
    if s[i] == '(':
        paren = True; i = skip_ws(s, i + 1)
    unl = False
    if s.startswith('Text.unlines', i):
        unl = True; i = skip_ws(s, i + len('Text.unlines'))
        if s.startswith('$', i): i = skip_ws(s, i + 1)
    if s[i] == '"':
        v, i = hs_string(s, i)
        return v, i
    if s[i] == '[':
        items = []; i += 1
        while True:
            i = skip_ws(s, i)
            if s[i] == ']': i += 1; break
            if s[i] == ',': i += 1; continue
            if s[i] == '"':
                v, i = hs_string(s, i); items.append(v); continue
            return None, i
        return ''.join(x + '\n' for x in items), i
    m = re.match(r"[A-Za-z_][A-Za-z0-9_']*", s[i:])
    if m:
        name = m.group(); end = i + len(name)
        # nearest definition above
        best = None
        for d in re.finditer(r'\b' + re.escape(name) + r'\s*=(?!=)', s[:pos]):
            best = d
        if not best:
            return None, end
        v, _ = parse_expr(s, best.end(), s, best.start())
        if v is None:
            return None, end
        if unl and not v.endswith('\n'):
            pass
        return v, end
    return None, i

def rule_code(s, i, pos):
    i = skip_ws(s, i)
    if s[i] == '"':
        return hs_string(s, i)
    m = re.match(r"[A-Za-z_][A-Za-z0-9_']*", s[i:])
    name = m.group()
    best = None
    for d in re.finditer(r'\blet\s+' + re.escape(name) + r'\s*=\s*"', s[:pos]):
        best = d
    if not best:
        for d in re.finditer(r'\b' + re.escape(name) + r'\s*=\s*"', s[:pos]):
            best = d
    if not best:
        return None, i + len(name)
    v, _ = hs_string(s, best.end() - 1)
    return v, i + len(name)

def extract(path):
    s = open(path).read()
    out = []
    its = [(m.start(), m.group(1)) for m in re.finditer(r'\bit\s+"((?:[^"\\]|\\.)*)"', s)]
    for m in CALL.finditer(s):
        pos = m.start()
        desc = ''
        itstart = 0
        for p, d in its:
            if p < pos: desc, itstart = d, p
        block = s[itstart:pos]
        custom = bool(re.search(r'\?config\s*=\s*(?!def\b)', block))
        if not custom:
            # a spec-wide custom config
            pass
        code, j = rule_code(s, m.end(), pos)
        if not code:
            continue
        text, _ = parse_expr(s, j, s, pos)
        if text is None:
            out.append({'rule': code, 'call': m.group(1), 'desc': desc, 'text': None, 'line': s.count('\n', 0, pos) + 1})
            continue
        out.append({'rule': code, 'call': m.group(1), 'desc': desc, 'text': text, 'custom_config': custom,
                    'line': s.count('\n', 0, pos) + 1})
    return out


def cases(root):
    spec_dir = os.path.join(root, 'test', 'Hadolint', 'Rule')
    out = []
    for name in sorted(os.listdir(spec_dir)):
        if re.fullmatch(r'DL\d{4}Spec\.hs', name):
            for c in extract(os.path.join(spec_dir, name)):
                c['file'] = name
                out.append(c)
    return out


def main():
    skip_files = {'DL3026Spec.hs', 'DL3058Spec.hs'} | {'DL30%dSpec.hs' % n for n in range(49, 57)}
    seen = set()
    w = sys.stdout.write
    w('# Generated by tests/unit/lint/hadolint_cases.py from Hadolint\'s rule specs: do not edit.\n')
    for c in cases(sys.argv[1]):
        if c['file'] in skip_files or c.get('custom_config') or c['text'] is None:
            continue
        if not re.fullmatch(r'(DL|SC)\d{4}', c['rule']):
            continue  # a slip in the spec itself
        text = c['text'] if c['text'].endswith('\n') else c['text'] + '\n'
        onbuild = c['call'].startswith('onBuild')
        if onbuild:
            text = ''.join(re.sub(r'^(\s*)RUN\b', r'\1ONBUILD RUN', l) + '\n' for l in text.split('\n')[:-1])
        lines = [l for l in text.split('\n') if l.strip() and not l.strip().startswith('#')]
        i = 0
        while i < len(lines) and lines[i].split()[0].upper() == 'ARG':
            i += 1
        first = lines[i].split()[0].upper() if i < len(lines) else ''
        prefix = 'FROM base:1\n' if first != 'FROM' and c['file'] != 'DL3061Spec.hs' else ''
        verdict = 'reject' if c['call'].endswith('Not') else 'expect'
        body = prefix + text
        key = (c['rule'], verdict, body)
        if key in seen or any(l.startswith('%%') for l in body.split('\n')):
            continue
        seen.add(key)
        where = '%s:%d' % (c['file'][:-7], c['line'])
        desc = re.sub(r'\s+', ' ', c['desc'])[:120]
        w('%%%% case hadolint %s %s%s\n' % (where, 'onbuild: ' if onbuild else '', desc))
        if c['rule'] == 'DL1001':
            w('%% config enable: [DL1001]\n')
        if where in DIVERGES:
            w('%%%% diverges %s %s\n' % (c['rule'], DIVERGES[where]))
            verdict = 'expect' if verdict == 'reject' else 'reject'
        w('%%%% %s %s\n%s' % (verdict, c['rule'], body))


if __name__ == '__main__':
    main()
