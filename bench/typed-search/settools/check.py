"""Checker of a typed-search evaluation set (called by each set's tools/check.py).
1. every gold line: file exists, slice (UTF-16 offsets) == text, not inside code/URL, no duplicates
2. every query in queries.tsv has >= min_sure non-doubtful gold mentions in >= 3 files
3. lists every whole-word (case-insensitive) occurrence of a gold text of query q, outside code/URLs,
   that neither overlaps a gold span of q nor is recorded in tools/non_mentions.jsonl for q.
Exit status 1 if anything is reported."""
import os, collections
from common import *

def check(root, min_sure):
    notes = load_notes(root)
    exsp = {fn: excluded_spans(ls) for fn, ls in notes.items()}
    queries = {}
    with open(os.path.join(root, "queries.tsv"), encoding="utf-8") as f:
        for l in f:
            if l.strip():
                qid, q = l.rstrip("\n").split("\t")
                queries[qid] = q
    gold = read_jsonl(os.path.join(root, "gold.jsonl"))
    non = read_jsonl(os.path.join(root, "tools", "non_mentions.jsonl"))
    problems = 0
    seen = set()
    spans = collections.defaultdict(list)  # (q, file, line) -> [(cpstart, cpend)]
    for g in gold:
        key = (g["query"], g["file"], g["line"], g["start"], g["end"])
        if key in seen:
            print("DUPLICATE", g); problems += 1
        seen.add(key)
        if g["query"] not in queries:
            print("UNKNOWN QUERY", g); problems += 1
        if g["file"] not in notes:
            print("MISSING FILE", g); problems += 1; continue
        line = notes[g["file"]][g["line"]]
        try:
            s, e = cp_from_u16(line, g["start"]), cp_from_u16(line, g["end"])
        except ValueError as err:
            print("BAD OFFSET", g, err); problems += 1; continue
        if line[s:e] != g["text"]:
            print("SLICE MISMATCH", g, repr(line[s:e])); problems += 1
        if in_spans(s, e, exsp[g["file"]].get(g["line"], [])):
            print("GOLD IN CODE/URL", g); problems += 1
        spans[(g["query"], g["file"], g["line"])].append((s, e))
    for n in non:
        line = notes[n["file"]][n["line"]]
        s, e = cp_from_u16(line, n["start"]), cp_from_u16(line, n["end"])
        if line[s:e] != n["text"] or not n.get("reason"):
            print("BAD NON-MENTION", n); problems += 1
    nonkeys = {(n["query"], n["file"], n["line"], n["start"]) for n in non}
    # counts
    print("%-4s %-26s %5s %5s %5s" % ("id", "query", "gold", "files", "doubt"))
    for qid, q in queries.items():
        gs = [g for g in gold if g["query"] == qid]
        nf = len({g["file"] for g in gs})
        nd = sum(1 for g in gs if g.get("doubtful"))
        flag = "" if len(gs) - nd >= min_sure and nf >= 3 else "  <-- too few"
        if flag:
            problems += 1
        print("%-4s %-26s %5d %5d %5d%s" % (qid, q, len(gs), nf, nd, flag))
    # omissions
    texts = collections.defaultdict(set)
    for g in gold:
        texts[g["query"]].add(g["text"].lower())
    for qid in queries:
        for fn, lines in notes.items():
            for li, line in enumerate(lines):
                for t in sorted(texts[qid]):
                    for s, e in find_whole(line, t):
                        if in_spans(s, e, exsp[fn].get(li, [])):
                            continue
                        if in_spans(s, e, spans.get((qid, fn, li), [])):
                            continue
                        if (qid, fn, li, u16(line, s)) in nonkeys:
                            continue
                        print("UNREVIEWED %s %s:%d:%d %r | %s" % (qid, fn, li, u16(line, s), line[s:e], line.strip()[:90]))
                        problems += 1
    print("problems:", problems)
    return 1 if problems else 0
