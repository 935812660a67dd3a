"""Checker of a typed-search evaluation set, shared by the sets (each set's tools/check.py calls
check() with its folder; Python 3, standard library only).
1. every gold line: required fields, known query, file and line exist, slice (UTF-16 offsets) == text,
   span is whole-word, not inside code/URL; no duplicate or overlapping spans within a query
2. every query in queries.tsv has >= min_sure non-doubtful gold mentions in >= 3 files
3. omission sweep: every whole-word occurrence of a gold text of query q, outside code/URLs, must
   overlap a gold span of q or be recorded in tools/non_mentions.jsonl for q. The match ignores case,
   except for texts of 3 characters or fewer and texts in capitals ("WHO" is not "who"), as
   ANNOTATION.md says.
Exit status 1 if anything is reported.  --show qNN lists a query's gold mentions in context."""
import os, sys, collections
from common import *

MIN_FILES = 3
FIELDS = ("query", "file", "line", "start", "end", "text")


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
    if len(sys.argv) > 2 and sys.argv[1] == "--show":
        for g in gold:
            if g["query"] == sys.argv[2]:
                line = notes[g["file"]][g["line"]]
                s = cp_from_u16(line, g["start"])
                print("%s%-32s %3d %-28s | %s" % ("?" if g.get("doubtful") else " ", g["file"], g["line"], g["text"],
                                                  line[max(0, s - 40):s + 60]))
        return 0
    problems = 0
    spans = collections.defaultdict(list)  # (q, file, line) -> [(cpstart, cpend)]
    for g in gold:
        if any(k not in g for k in FIELDS) or not isinstance(g["line"], int) or not isinstance(g["start"], int) \
                or not isinstance(g["end"], int) or g["start"] >= g["end"]:
            print("BAD FIELDS", g); problems += 1; continue
        if "doubtful" in g and g["doubtful"] is not True:
            print("BAD DOUBTFUL FLAG", g); problems += 1
        if g["query"] not in queries:
            print("UNKNOWN QUERY", g); problems += 1
        if g["file"] not in notes or not (0 <= g["line"] < len(notes[g["file"]])):
            print("MISSING FILE/LINE", g); problems += 1; continue
        line = notes[g["file"]][g["line"]]
        try:
            s, e = cp_from_u16(line, g["start"]), cp_from_u16(line, g["end"])
        except ValueError as err:
            print("BAD OFFSET", g, err); problems += 1; continue
        if line[s:e] != g["text"]:
            print("SLICE MISMATCH", g, repr(line[s:e])); problems += 1
        if (s > 0 and is_word(line[s - 1]) and is_word(line[s])) or (e < len(line) and is_word(line[e]) and is_word(line[e - 1])):
            print("NOT WHOLE WORD", g); problems += 1
        if in_spans(s, e, exsp[g["file"]].get(g["line"], [])):
            print("GOLD IN CODE/URL", g); problems += 1
        for a, b in spans[(g["query"], g["file"], g["line"])]:
            if a < e and s < b:
                print("DUPLICATE/OVERLAP", g); problems += 1
        spans[(g["query"], g["file"], g["line"])].append((s, e))
    for n in non:
        line = notes[n["file"]][n["line"]]
        s, e = cp_from_u16(line, n["start"]), cp_from_u16(line, n["end"])
        if line[s:e] != n["text"] or not n.get("reason"):
            print("BAD NON-MENTION", n); problems += 1
        if in_spans(s, e, spans.get((n["query"], n["file"], n["line"]), [])):
            print("NON-MENTION OVERLAPS GOLD", n); problems += 1
    nonkeys = {(n["query"], n["file"], n["line"], n["start"]) for n in non}
    print("%-4s %-26s %5s %5s %5s %5s" % ("id", "query", "gold", "sure", "doubt", "files"))
    tot = [0, 0, 0]
    for qid, q in queries.items():
        gs = [g for g in gold if g["query"] == qid]
        sure = [g for g in gs if not g.get("doubtful")]
        nf = len({g["file"] for g in sure})
        flag = "" if len(sure) >= min_sure and nf >= MIN_FILES else "  <-- too few"
        if flag:
            problems += 1
        tot[0] += len(gs); tot[1] += len(sure); tot[2] += len(gs) - len(sure)
        print("%-4s %-26s %5d %5d %5d %5d%s" % (qid, q, len(gs), len(sure), len(gs) - len(sure), nf, flag))
    print("%-4s %-26s %5d %5d %5d" % ("", "total", tot[0], tot[1], tot[2]))
    texts = collections.defaultdict(set)
    for g in gold:
        t = g["text"]
        exact = len(t) <= 3 or (t.upper() == t and t.lower() != t)
        texts[g["query"]].add((t, True) if exact else (t.lower(), False))
    for qid in queries:
        for fn, lines in notes.items():
            for li, line in enumerate(lines):
                for t, exact in sorted(texts[qid]):
                    for s, e in find_whole(line, t, exact):
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

