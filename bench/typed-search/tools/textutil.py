"""Shared text helpers: loading notes, masking code/URLs, whole-word search, UTF-16 offsets."""
import os
import re

URL_RE = re.compile(r'https?://\S+')
INLINE_CODE_RE = re.compile(r'`[^`\n]+`')


def load_notes(notes_dir):
    """Return {filename: [line, ...]} with lines split on '\\n' (no terminators)."""
    notes = {}
    for name in sorted(os.listdir(notes_dir)):
        path = os.path.join(notes_dir, name)
        if not os.path.isfile(path):
            continue
        with open(path, encoding='utf-8', newline='') as fh:
            text = fh.read()
        notes[name] = text.split('\n')
    return notes


def searchable_masks(lines):
    """Per line, a list of booleans (per code point): False inside fenced code
    blocks (fence lines included), inline code spans and URLs."""
    masks = []
    in_fence = False
    for line in lines:
        if line.lstrip().startswith('```'):
            masks.append([False] * len(line))
            in_fence = not in_fence
            continue
        if in_fence:
            masks.append([False] * len(line))
            continue
        mask = [True] * len(line)
        for rx in (INLINE_CODE_RE, URL_RE):
            for m in rx.finditer(line):
                for i in range(m.start(), m.end()):
                    mask[i] = False
        masks.append(mask)
    return masks


def is_word_char(ch):
    return ch.isalnum() or ch == '_'


def whole_word_at(line, i, n):
    if i > 0 and is_word_char(line[i - 1]) and is_word_char(line[i]):
        return False
    j = i + n
    if j < len(line) and is_word_char(line[j]) and is_word_char(line[j - 1]):
        return False
    return True


def find_whole_word(line, mask, text, case_sensitive=True):
    """Yield code-point start indices of whole-word occurrences of text in the
    searchable part of line."""
    hay = line if case_sensitive else line.lower()
    needle = text if case_sensitive else text.lower()
    if len(hay) != len(line) or len(needle) != len(text):
        raise ValueError('case folding changed length')
    n = len(needle)
    i = hay.find(needle)
    while i != -1:
        if whole_word_at(line, i, n) and (mask is None or all(mask[i:i + n])):
            yield i
        i = hay.find(needle, i + 1)


def u16(line, cp_index):
    """UTF-16 code-unit offset of a code-point index in line."""
    return len(line[:cp_index].encode('utf-16-le')) // 2


def u16_slice(line, start, end):
    b = line.encode('utf-16-le')
    return b[2 * start:2 * end].decode('utf-16-le')
