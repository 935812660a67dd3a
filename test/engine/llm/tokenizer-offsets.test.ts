// Tokenizer offsets (derived from token bytes) on a Llama-3-style byte-level BPE and a
// Llama-2-style sentencepiece tokenizer.json; mention → last sub-token; windowing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { LlmTokenizer, TokenizerError } from '../../../server/src/engine/llm/tokenizer.ts';
import { lastTokenOf, planWindows } from '../../../server/src/engine/llm/mentionTokens.ts';
import { scratchDir } from '../../helpers/scratchDir.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'tokenizers');
const byteLevel = LlmTokenizer.load(join(FIXTURES, 'byte-level'));
const sentencepiece = LlmTokenizer.load(join(FIXTURES, 'sentencepiece'));

const SENTENCES = [
  'The Danube flows through Vienna and Budapest.',
  ' Zürich, 北京 and 😀 rivers  — the Thames!',
  'Ünïcödé at the end: Kraków',
  'tabs\tand\nnewlines  double  spaces ',
  '<|begin_of_text|>The <s> literal specials',
];

/** Every token's text is its offsets' slice; offsets are monotone and cover the text's non-space characters. */
function checkCoverage(tok: LlmTokenizer, text: string): void {
  const enc = tok.encode(text);
  assert.equal(enc.ids.length, enc.offsets.length);
  let prevEnd = 0;
  const covered = new Array(text.length).fill(false);
  for (const [s, e] of enc.offsets) {
    assert.ok(s >= 0 && e <= text.length && s <= e, `offset [${s},${e}) in ${JSON.stringify(text)}`);
    assert.ok(s >= prevEnd - 2, `offsets go forward in ${JSON.stringify(text)}: ${JSON.stringify(enc.offsets)}`); // a split character may be shared
    prevEnd = Math.max(prevEnd, e);
    for (let i = s; i < e; i++) covered[i] = true;
  }
  for (let i = 0; i < text.length; i++) {
    if (!/\s/.test(text[i])) assert.ok(covered[i], `character ${i} (${JSON.stringify(text[i])}) of ${JSON.stringify(text)} covered`);
  }
  // The decoded tokens reproduce the text (the library's own round trip).
  const squash = (x: string) => x.replace(/\s+/g, ' ').trim();
  assert.equal(squash(tok.decode(enc.ids)), squash(text));
}

test('byte-level BPE: offsets cover the text, BOS is <|begin_of_text|> once', () => {
  for (const s of SENTENCES) checkCoverage(byteLevel, s);
  const enc = byteLevel.encode('The Danube flows');
  assert.deepEqual(enc.tokens.slice(0, 2), ['The', 'Ġ']);
  assert.deepEqual(enc.offsets.slice(-1), [[10, 16]]); // 'Ġflows' covers ' flows'
  const bos = byteLevel.tokenString(byteLevel.bosTokenId!);
  assert.equal(bos, '<|begin_of_text|>');
  assert.equal(byteLevel.withBos(enc.ids)[0], byteLevel.bosTokenId);
  assert.equal(byteLevel.withBos(enc.ids).length, enc.ids.length + 1);
  // A text that already starts with BOS never gets a second one.
  const lit = byteLevel.encode('<|begin_of_text|>The');
  assert.equal(lit.ids[0], byteLevel.bosTokenId);
  assert.equal(byteLevel.withBos(lit.ids).filter((id) => id === byteLevel.bosTokenId).length, 1);
  assert.deepEqual(lit.offsets[0], [0, 17]);
});

test('byte-level BPE: a character split over several byte tokens is covered by each of them', () => {
  const text = 'a 😀b';
  const enc = byteLevel.encode(text);
  const emoji = enc.offsets.map((o, i) => [o, i] as const).filter(([o]) => o[0] <= 2 && o[1] >= 4);
  assert.ok(emoji.length >= 2, `emoji split into byte tokens: ${JSON.stringify(enc.tokens)} ${JSON.stringify(enc.offsets)}`);
  assert.equal(lastTokenOf(enc.offsets, { start: 2, end: 4 }), emoji[emoji.length - 1][1]);
});

test('sentencepiece BPE: ▁ and <0xNN> byte fallback map back to the original characters; <s> from tokenizer_config', () => {
  for (const s of SENTENCES) checkCoverage(sentencepiece, s);
  const enc = sentencepiece.encode('The Danube flows');
  assert.deepEqual(enc.tokens, ['▁The', '▁Danube', '▁flows']);
  // The prepended ▁ of the first token covers nothing; later ▁ cover the real space.
  assert.deepEqual(enc.offsets, [[0, 3], [3, 10], [10, 16]]);
  assert.equal(sentencepiece.bosTokenId, 1);
  assert.deepEqual(sentencepiece.withBos(enc.ids).slice(0, 1), [1]);
  const cjk = sentencepiece.encode('a 北京');
  const bytes = cjk.tokens.filter((t) => /^<0x/.test(t));
  assert.equal(bytes.length, 6);
  assert.deepEqual(cjk.offsets.slice(-3), [[3, 4], [3, 4], [3, 4]]);
});

test('last sub-token of a mention: single and multi-token mentions, non-ASCII, sentence end', () => {
  for (const tok of [byteLevel, sentencepiece]) {
    const text = 'Marie Curie was born in Warsaw, near Kraków';
    const enc = tok.encode(text);
    const spanOf = (w: string) => ({ start: text.indexOf(w), end: text.indexOf(w) + w.length });
    const lastFor = (w: string) => {
      const i = lastTokenOf(enc.offsets, spanOf(w));
      const [s, e] = enc.offsets[i];
      return { i, s, e };
    };
    // Multi-token mention: its last token ends at the mention's end and every later token starts after it.
    const mc = lastFor('Marie Curie');
    assert.equal(mc.e, spanOf('Marie Curie').end);
    assert.ok(enc.offsets[mc.i + 1][0] >= spanOf('Marie Curie').end);
    // Warsaw is followed by a comma: the comma's token is not the mention's.
    const w = lastFor('Warsaw');
    assert.equal(w.e, spanOf('Warsaw').end);
    // Non-ASCII at the very end of the sentence.
    const k = lastFor('Kraków');
    assert.equal(k.i, enc.ids.length - 1);
    assert.equal(k.e, text.length);
    // A mention ending inside a token still maps to that token.
    const inner = lastTokenOf(enc.offsets, { start: 0, end: 3 });
    assert.ok(enc.offsets[inner][0] < 3 && enc.offsets[inner][1] >= 3);
  }
});

test('windowing: every mention gets a window with its token and maximal left context; nothing dropped', () => {
  const text = Array.from({ length: 60 }, (_, i) => `The river ${i % 2 ? 'Danube' : 'Thames'} flows.`).join(' ');
  const enc = byteLevel.encode(text);
  const n = enc.ids.length;
  assert.ok(n > 200);
  const wanted = [0, 5, 63, 64, 65, 127, 128, 200, n - 1];
  const plan = planWindows(n, wanted, { maxTokens: 64, bosLength: 1, overlap: 16 });
  const capacity = 63;
  const stride = capacity - 16;
  wanted.forEach((t, j) => {
    const { window, position } = plan.positions[j];
    const w = plan.windows[window];
    assert.ok(t >= w.start && t < w.end, `token ${t} inside window [${w.start},${w.end})`);
    assert.ok(w.end - w.start <= capacity);
    assert.equal(position, 1 + t - w.start);
    // Earliest window containing t: the previous window (start − stride) does not contain it.
    if (w.start > 0) assert.ok(t >= w.start - stride + capacity);
    if (t >= capacity) assert.ok(t - w.start >= 16, 'at least `overlap` tokens of left context');
  });
  // Short sentence: one window, everything.
  const short = planWindows(10, [3, 9], { maxTokens: 64, bosLength: 1 });
  assert.deepEqual(short.windows, [{ start: 0, end: 10 }]);
  assert.deepEqual(short.positions.map((p) => p.position), [4, 10]);
});

test('missing or broken tokenizer.json: a clear TokenizerError', () => {
  const dir = scratchDir('ner-tok-');
  assert.throws(() => LlmTokenizer.load(dir), (e: Error) => e instanceof TokenizerError && /no tokenizer\.json in/.test(e.message));
  writeFileSync(join(dir, 'tokenizer.json'), '{not json');
  assert.throws(() => LlmTokenizer.load(dir), /not valid JSON/);
});

test('normalisers that change the text (NFC over decomposed input, a literal ▁): offsets stay aligned', async () => {
  const { readFileSync, mkdirSync } = await import('node:fs');
  const dir = scratchDir('ner-tok-nfc-');
  const json = JSON.parse(readFileSync(join(FIXTURES, 'byte-level', 'tokenizer.json'), 'utf8'));
  json.normalizer = { type: 'NFC' };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json));
  const nfc = LlmTokenizer.load(dir);
  const text = 'Cafe\u0301 near Zu\u0308rich and the river Danube';
  const enc = nfc.encode(text);
  const zurich = { start: text.indexOf('Zu'), end: text.indexOf('rich') + 4 };
  const i = lastTokenOf(enc.offsets, zurich);
  assert.equal(enc.offsets[i][1], zurich.end);
  const danube = { start: text.indexOf('Danube'), end: text.length };
  assert.equal(enc.offsets[lastTokenOf(enc.offsets, danube)][1], text.length);
  assert.equal(lastTokenOf(enc.offsets, danube), enc.ids.length - 1);
  // A literal ▁ in sentencepiece input is covered by the token made of it.
  const sp = sentencepiece.encode('a▁b the river');
  const river = { start: 8, end: 13 };
  assert.equal(sp.offsets[lastTokenOf(sp.offsets, river)][1], 13);
  assert.ok(sp.offsets.some(([s, e]) => s <= 1 && e >= 2), JSON.stringify([sp.tokens, sp.offsets]));
});

test('a tokenizer.json whose ids are not non-negative integers is refused naming the file (ids become BigInt model inputs)', () => {
  const original = JSON.parse(readFileSync(join(FIXTURES, 'sentencepiece', 'tokenizer.json'), 'utf8'));
  const write = (json: unknown) => {
    const dir = scratchDir('ner-tok-ids-');
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json));
    return dir;
  };
  for (const bad of [300.5, 'abc', -7, null]) {
    const json = structuredClone(original);
    json.model.vocab['▁the'] = bad;
    assert.throws(() => LlmTokenizer.load(write(json)),
      (e: Error) => e instanceof TokenizerError && new RegExp(`tokenizer\\.json: token "▁the" has id ${JSON.stringify(bad)} in the vocabulary, not a non-negative integer`).test(e.message));
  }
  // An added token with a fractional id only shows when it is produced.
  const json = structuredClone(original);
  json.added_tokens.push({ id: 7.5, content: '<mark>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const tok = LlmTokenizer.load(write(json));
  assert.deepEqual(tok.encode('a b').ids.every(Number.isInteger), true);
  assert.throws(() => tok.encode('a <mark> b'),
    (e: Error) => e instanceof TokenizerError && /tokenizer\.json: token "<mark>" has id 7\.5, not a non-negative integer: the tokenizer is corrupt/.test(e.message));
});
