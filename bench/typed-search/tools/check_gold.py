#!/usr/bin/env python3
"""Checker for the typed-search evaluation set (self-contained, stdlib only).

  python3 tools/check_gold.py            # verify; exit 1 on any problem
  python3 tools/check_gold.py --show q01 # also print q01's mentions in context
  python3 tools/check_gold.py --counts   # print the per-query count table only

Checks
 1. queries.tsv well-formed; every gold line has the required fields, a known
    query id, an existing file and line, and text == the UTF-16 slice
    [start, end) of that line (0-based line, UTF-16 code units, end exclusive).
 2. no duplicate / overlapping gold spans within a query; gold spans are whole
    words and not inside fenced code, inline code or URLs.
 3. every query has >= 6 mentions (non-doubtful) in >= 3 different files.
 4. omission sweep: for each query and each distinct gold text, every
    whole-word occurrence in the notes (case-insensitive; case-sensitive for
    texts of <= 3 characters or all-caps texts), outside code/URLs, must
    overlap a gold span of that query or be listed in tools/non_mentions.jsonl
    (reviewed distractors; overlap counts). Anything else is reported as a possible omission.
"""
import argparse
import json
import os
import re
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
URL_RE = re.compile(r'https?://\S+')
INLINE_RE = re.compile(r'`[^`\n]+`')


def u16_units(s):
    return len(s.encode('utf-16-le')) // 2


def u16_slice(line, start, end):
    return line.encode('utf-16-le')[2 * start:2 * end].decode('utf-16-le', errors='replace')


def load_notes():
    d = os.path.join(ROOT, 'notes')
    out = {}
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), encoding='utf-8', newline='') as fh:
            out[name] = fh.read().split('\n')
    return out


def blocked_ranges(lines):
    """Per line: list of (u16_start, u16_end) ranges that are code or URL."""
    res = []
    fence = False
    for line in lines:
        if line.lstrip().startswith('```'):
            fence = not fence
            res.append([(0, u16_units(line))])
            continue
        if fence:
            res.append([(0, u16_units(line))])
            continue
        rs = []
        for rx in (INLINE_RE, URL_RE):
            for m in rx.finditer(line):
                rs.append((u16_units(line[:m.start()]), u16_units(line[:m.end()])))
        res.append(rs)
    return res


def wordch(c):
    return c.isalnum() or c == '_'


def occurrences(line, text, case_sensitive):
    """Whole-word occurrences as (u16_start, u16_end)."""
    hay = line if case_sensitive else line.lower()
    nee = text if case_sensitive else text.lower()
    if len(hay) != len(line) or len(nee) != len(text):
        hay, nee = line, text
    out = []
    i = hay.find(nee)
    while i != -1:
        j = i + len(nee)
        ok_l = i == 0 or not (wordch(line[i - 1]) and wordch(line[i]))
        ok_r = j >= len(line) or not (wordch(line[j]) and wordch(line[j - 1]))
        if ok_l and ok_r:
            out.append((u16_units(line[:i]), u16_units(line[:j])))
        i = hay.find(nee, i + 1)
    return out


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--show', action='append', default=[])
    ap.add_argument('--counts', action='store_true')
    args = ap.parse_args()

    problems = []
    notes = load_notes()
    blocked = {f: blocked_ranges(ls) for f, ls in notes.items()}

    queries = {}
    with open(os.path.join(ROOT, 'queries.tsv'), encoding='utf-8') as fh:
        for n, raw in enumerate(fh):
            raw = raw.rstrip('\n')
            parts = raw.split('\t')
            if len(parts) != 2 or not parts[0] or not parts[1].strip():
                problems.append(f'queries.tsv line {n}: malformed {raw!r}')
                continue
            if parts[0] in queries:
                problems.append(f'queries.tsv: duplicate id {parts[0]}')
            queries[parts[0]] = parts[1]

    gold = []
    seen_texts = defaultdict(set)  # texts of every parsed record, even ones failing checks
    with open(os.path.join(ROOT, 'gold.jsonl'), encoding='utf-8') as fh:
        for n, raw in enumerate(fh):
            if not raw.strip():
                continue
            try:
                g = json.loads(raw)
            except json.JSONDecodeError as e:
                problems.append(f'gold.jsonl line {n}: bad JSON ({e})')
                continue
            missing = [k for k in ('query', 'file', 'line', 'start', 'end', 'text') if k not in g]
            if missing:
                problems.append(f'gold.jsonl line {n}: missing {missing}')
                continue
            seen_texts[g['query']].add(g['text'])
            if g['query'] not in queries:
                problems.append(f'gold.jsonl line {n}: unknown query {g["query"]}')
            if g['file'] not in notes:
                problems.append(f'gold.jsonl line {n}: unknown file {g["file"]}')
                continue
            lines = notes[g['file']]
            if not (0 <= g['line'] < len(lines)):
                problems.append(f'gold.jsonl line {n}: line {g["line"]} out of range')
                continue
            line = lines[g['line']]
            if not (0 <= g['start'] < g['end'] <= u16_units(line)):
                problems.append(f'gold.jsonl line {n}: bad offsets {g["start"]}-{g["end"]}')
                continue
            sl = u16_slice(line, g['start'], g['end'])
            if sl != g['text']:
                problems.append(f'gold.jsonl line {n}: text {g["text"]!r} != slice {sl!r}')
            # whole word?
            if (g['start'], g['end']) not in occurrences(line, g['text'], True):
                problems.append(f'gold.jsonl line {n}: {g["text"]!r} is not a whole word at {g["file"]}:{g["line"]}')
            for r in blocked[g['file']][g['line']]:
                if overlaps(r, (g['start'], g['end'])):
                    problems.append(f'gold.jsonl line {n}: {g["text"]!r} inside code/URL')
            gold.append(g)

    # duplicates / overlaps
    by_qfl = defaultdict(list)
    for g in gold:
        by_qfl[(g['query'], g['file'], g['line'])].append((g['start'], g['end'], g['text']))
    for key, spans in by_qfl.items():
        spans.sort()
        for a, b in zip(spans, spans[1:]):
            if overlaps(a, b):
                problems.append(f'overlapping/duplicate gold spans {key}: {a} {b}')

    # counts
    print(f'{"id":4} {"query":24} {"gold":>5} {"sure":>5} {"doubt":>5} {"files":>5}')
    total = 0
    for q, qt in queries.items():
        gs = [g for g in gold if g['query'] == q]
        sure = [g for g in gs if not g.get('doubtful')]
        files = {g['file'] for g in sure}
        total += len(gs)
        print(f'{q:4} {qt:24} {len(gs):5} {len(sure):5} {len(gs) - len(sure):5} {len(files):5}')
        if len(sure) < 6 or len(files) < 3:
            problems.append(f'{q} ({qt}): only {len(sure)} non-doubtful mentions in {len(files)} files')
    print(f'total gold mentions: {total}')
    if args.counts:
        return

    # omission sweep
    reviewed = defaultdict(list)
    nm_path = os.path.join(HERE, 'non_mentions.jsonl')
    if os.path.exists(nm_path):
        with open(nm_path, encoding='utf-8') as fh:
            for raw in fh:
                if raw.strip():
                    r = json.loads(raw)
                    line = notes[r['file']][r['line']]
                    if u16_slice(line, r['start'], r['end']) != r['text']:
                        problems.append(f'non_mentions: stale entry {r}')
                    reviewed[(r['query'], r['file'], r['line'])].append((r['start'], r['end']))
    spans = defaultdict(list)
    for g in gold:
        spans[(g['query'], g['file'], g['line'])].append((g['start'], g['end']))
    omissions = 0
    for q in queries:
        texts = sorted(seen_texts[q])
        for t in texts:
            cs = len(t) <= 3 or t.isupper()
            for f, lines in notes.items():
                for ln, line in enumerate(lines):
                    for occ in occurrences(line, t, cs):
                        if any(overlaps(occ, r) for r in blocked[f][ln]):
                            continue
                        if any(overlaps(occ, s) for s in spans[(q, f, ln)]):
                            continue
                        if any(overlaps(occ, s) for s in reviewed[(q, f, ln)]):
                            continue
                        omissions += 1
                        problems.append(f'possible omission {q} ({queries[q]}): {f}:{ln} '
                                        f'[{occ[0]},{occ[1]}) {u16_slice(line, *occ)!r} | {line.strip()[:110]}')

    for q in args.show:
        print(f'--- {q} {queries.get(q)}')
        for g in gold:
            if g['query'] == q:
                line = notes[g['file']][g['line']]
                mark = ' (doubtful)' if g.get('doubtful') else ''
                print(f'{g["file"]}:{g["line"]} {g["text"]!r}{mark} | {line.strip()[:120]}')

    if problems:
        print(f'\n{len(problems)} problem(s):')
        for p in problems:
            print('  ' + p)
        sys.exit(1)
    print('OK: all checks passed')


if __name__ == '__main__':
    main()
