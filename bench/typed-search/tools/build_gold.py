#!/usr/bin/env python3
"""Build queries.tsv, gold.jsonl and tools/non_mentions.jsonl from spec.py.

Usage: python3 tools/build_gold.py   (run from anywhere)
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from spec import QUERIES, FORMS, OVERRIDES  # noqa: E402
from textutil import load_notes, searchable_masks, find_whole_word, u16  # noqa: E402


def main():
    notes = load_notes(os.path.join(ROOT, 'notes'))
    masks = {f: searchable_masks(lines) for f, lines in notes.items()}
    errors = []

    # 1. candidates from forms: longest-leftmost, non-overlapping per query/line
    gold = {}  # (q, file, line, cp_start, cp_end) -> record
    for q, forms in FORMS.items():
        for f, lines in notes.items():
            for ln, line in enumerate(lines):
                cands = []
                for form in forms:
                    for i in find_whole_word(line, masks[f][ln], form):
                        cands.append((i, i + len(form)))
                cands.sort(key=lambda c: (c[0], -(c[1] - c[0])))
                last_end = -1
                for s, e in cands:
                    if s < last_end:
                        continue
                    last_end = e
                    gold[(q, f, ln, s, e)] = {'doubtful': False}

    # 2. overrides
    non_mentions = []
    for q, f, context, text, action, reason in OVERRIDES:
        if f not in notes:
            errors.append(f'override file missing: {f}')
            continue
        hits = []
        for ln, line in enumerate(notes[f]):
            c = line.find(context)
            while c != -1:
                sub = line[c:c + len(context)]
                for i in find_whole_word(sub, None, text):
                    hits.append((ln, c + i, c + i + len(text)))
                c = line.find(context, c + 1)
        hits = sorted(set(hits))
        if not hits:
            errors.append(f'override matched nothing: {q} {f} {context!r} {text!r}')
            continue
        for ln, s, e in hits:
            key = (q, f, ln, s, e)
            if action == 'exclude':
                gold.pop(key, None)
                line = notes[f][ln]
                non_mentions.append({'query': q, 'file': f, 'line': ln, 'start': u16(line, s),
                                     'end': u16(line, e), 'text': text, 'reason': reason})
            elif action == 'doubtful':
                gold[key] = {'doubtful': True, 'reason': reason}
            elif action == 'include':
                gold[key] = {'doubtful': False}
            else:
                errors.append(f'bad action {action}')

    if errors:
        print('\n'.join(errors))
        sys.exit(1)

    with open(os.path.join(ROOT, 'queries.tsv'), 'w', encoding='utf-8') as fh:
        for q, text in QUERIES.items():
            fh.write(f'{q}\t{text}\n')

    rows = []
    for (q, f, ln, s, e), meta in sorted(gold.items()):
        line = notes[f][ln]
        row = {'query': q, 'file': f, 'line': ln, 'start': u16(line, s), 'end': u16(line, e),
               'text': line[s:e]}
        if meta['doubtful']:
            row['doubtful'] = True
        rows.append(row)
    with open(os.path.join(ROOT, 'gold.jsonl'), 'w', encoding='utf-8') as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + '\n')

    non_mentions.sort(key=lambda r: (r['query'], r['file'], r['line'], r['start']))
    with open(os.path.join(HERE, 'non_mentions.jsonl'), 'w', encoding='utf-8') as fh:
        for row in non_mentions:
            fh.write(json.dumps(row, ensure_ascii=False) + '\n')
    print(f'{len(rows)} gold mentions, {len(non_mentions)} reviewed non-mentions')


if __name__ == '__main__':
    main()
