"""Expands a typed-search set's hand-written judgements (its tools/build_gold.py: SPEC, EXCLUDE,
DOUBTFUL) into gold.jsonl and tools/non_mentions.jsonl; see set3/tools/build_gold.py's docstring."""
import os, json
from common import *


def matches(entry_ctx, line, s, e):
    if entry_ctx is None:
        return True
    k = line.find(entry_ctx)
    while k >= 0:
        if k <= s and e <= k + len(entry_ctx):
            return True
        k = line.find(entry_ctx, k + 1)
    return False


def build(root, SPEC, EXCLUDE, DOUBTFUL, sort_gold=False):
    """Writes gold.jsonl and tools/non_mentions.jsonl of the set at root from its judgements
    (gold in judgement order, or sorted by query, file, line and start: set 4 on)."""
    notes = load_notes(root)
    gold, non = [], []
    used_ex, used_db = set(), set()
    for q, files in SPEC.items():
        for fn, surfaces in files.items():
            lines = notes[fn]
            ex = excluded_spans(lines)
            for li, line in enumerate(lines):
                cands = []
                for t in surfaces:
                    for s, e in find_whole(line, t):
                        if not in_spans(s, e, ex.get(li, [])):
                            cands.append((s, e))
                # keep maximal spans only
                cands = sorted(set(cands), key=lambda x: (x[0], -(x[1] - x[0])))
                keep = [c for c in cands if not any(o != c and o[0] <= c[0] and c[1] <= o[1] for o in cands)]
                for s, e in keep:
                    txt = line[s:e]
                    skip = False
                    for k, (eq, ef, et, ec, er) in enumerate(EXCLUDE):
                        if eq == q and ef == fn and et.lower() == txt.lower() and matches(ec, line, s, e):
                            skip = True; used_ex.add(k)
                    if skip:
                        continue
                    rec = {"query": q, "file": fn, "line": li, "start": u16(line, s), "end": u16(line, e), "text": txt}
                    for k, (dq, df, dt, dc, dr) in enumerate(DOUBTFUL):
                        if dq == q and df == fn and dt.lower() == txt.lower() and matches(dc, line, s, e):
                            rec["doubtful"] = True; rec["note"] = dr; used_db.add(k)
                    gold.append(rec)
    # non-mentions: every occurrence matched by an EXCLUDE entry, in any file
    for k, (eq, ef, et, ec, er) in enumerate(EXCLUDE):
        lines = notes[ef]
        ex = excluded_spans(lines)
        for li, line in enumerate(lines):
            for s, e in find_whole(line, et):
                if not in_spans(s, e, ex.get(li, [])) and matches(ec, line, s, e):
                    non.append({"query": eq, "file": ef, "line": li, "start": u16(line, s), "end": u16(line, e),
                                "text": line[s:e], "reason": er})
                    used_ex.add(k)
    for k, d in enumerate(EXCLUDE):
        if k not in used_ex:
            print("UNUSED EXCLUDE", d)
    for k, d in enumerate(DOUBTFUL):
        if k not in used_db:
            print("UNUSED DOUBTFUL", d)
    if sort_gold:
        gold.sort(key=lambda r: (r["query"], r["file"], r["line"], r["start"]))
    with open(os.path.join(root, "gold.jsonl"), "w", encoding="utf-8") as f:
        for r in gold:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(root, "tools", "non_mentions.jsonl"), "w", encoding="utf-8") as f:
        for r in non:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(len(gold), "gold,", sum(1 for g in gold if g.get("doubtful")), "doubtful,", len(non), "non-mentions")

