"""Helpers shared by the typed-search sets' tools (set2/, set3/, …): note loading, excluded
regions (fenced code, inline code, URLs), whole-word case-insensitive search, UTF-16 offsets.
`root` is a set's folder (the one holding notes/, queries.tsv and gold.jsonl)."""
import os, re, json

URL_RE = re.compile(r"https?://\S+")
INLINE_RE = re.compile(r"`[^`\n]*`")


def load_notes(root):
    notes = os.path.join(root, "notes")
    out = {}
    for fn in sorted(os.listdir(notes)):
        with open(os.path.join(notes, fn), encoding="utf-8") as f:
            out[fn] = f.read().split("\n")
    return out


def excluded_spans(lines):
    """dict line_no -> list of (start, end) codepoint spans that are code or URL."""
    ex = {}
    in_fence = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            ex.setdefault(i, []).append((0, len(line)))
            in_fence = not in_fence
            continue
        if in_fence:
            ex.setdefault(i, []).append((0, len(line)))
            continue
        for rx in (URL_RE, INLINE_RE):
            for m in rx.finditer(line):
                ex.setdefault(i, []).append((m.start(), m.end()))
    return ex


def is_word(c):
    return c.isalnum() or c == "_"


def find_whole(line, text, exact=False):
    """codepoint (start, end) of whole-word occurrences, case-insensitive unless `exact`."""
    res = []
    low, t = (line, text) if exact else (line.lower(), text.lower())
    i = low.find(t)
    while i >= 0:
        j = i + len(t)
        ok_l = i == 0 or not is_word(line[i - 1]) or not is_word(text[0])
        ok_r = j == len(line) or not is_word(line[j]) or not is_word(text[-1])
        if ok_l and ok_r:
            res.append((i, j))
        i = low.find(t, i + 1)
    return res


def u16(line, cp):
    return len(line[:cp].encode("utf-16-le")) // 2


def cp_from_u16(line, off):
    n = 0
    for k, ch in enumerate(line):
        if n == off:
            return k
        n += 2 if ord(ch) > 0xFFFF else 1
    if n == off:
        return len(line)
    raise ValueError("offset %d not on a code point boundary" % off)


def in_spans(s, e, spans):
    return any(s < b and a < e for a, b in spans)


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]
