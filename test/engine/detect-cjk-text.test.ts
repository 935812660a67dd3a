// Chinese, Japanese and Korean text inside spans: cut away, keeping the capitalised Latin names
// (detect/cjkText.ts), in the splitter and in the built-in detector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitAtCjk } from '../../server/src/engine/detect/cjkText.ts';
import { loadDefaultDetector } from '../../server/src/engine/detect/index.ts';
import { TaggerDetector } from '../../server/src/engine/detect/tagger.ts';

const pieces = (s: string) => splitAtCjk(s, [{ start: 0, end: s.length }]).map((x) => s.slice(x.start, x.end));

test('splitAtCjk: a span is cut at CJK text; capitalised Latin pieces stay, with exact offsets', () => {
  assert.deepEqual(pieces('Linuxカーネルの簡単な背景とカーネルを設定'), ['Linux']);
  assert.deepEqual(pieces('ReSTマークアップを使ったドキュメントは Documentation'), ['ReST', 'Documentation']);
  assert.deepEqual(pieces('Steve Oualline著'), ['Steve Oualline']);
  assert.deepEqual(pieces('C言語をよく理解していることは'), ['C']);
  assert.deepEqual(pieces('（V4L2）的说明'), ['V4L2'], 'full-width brackets are trimmed');
  assert.deepEqual(pieces('리눅스 커널 Greg 문서'), ['Greg'], 'Hangul');
  // Nothing capitalised: nothing that can be told from a word.
  assert.deepEqual(pieces('一旦注册'), []);
  assert.deepEqual(pieces('統合テストのための linux-next'), []);
  assert.deepEqual(pieces('第 2 章'), []);
  // Spans without CJK text are left as they are, and the others keep their order around them.
  const s = 'Linus 和 Andrew Morton 在 Portland';
  const spans = [{ start: 0, end: s.indexOf('Andrew') }, ...['Andrew Morton', 'Portland'].map((w) => ({ start: s.indexOf(w), end: s.indexOf(w) + w.length }))];
  assert.deepEqual(splitAtCjk(s, spans).map((x) => s.slice(x.start, x.end)), ['Linus', 'Andrew Morton', 'Portland']);
});

test('the built-in detector gives no span of CJK text, and finds the Latin names in it', () => {
  const detector = loadDefaultDetector();
  const spans = (d: TaggerDetector, s: string) => d.detect(s).map((x) => s.slice(x.start, x.end));
  const japanese = 'Linuxカーネルの簡単な背景とカーネルを設定 するには Linus のメインラインツリーを見てください。';
  const chinese = '一旦注册，页面报告API将开始向驱动报告成批的页面。';
  for (const s of [japanese, chinese]) for (const t of spans(detector, s)) assert.doesNotMatch(t, /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u, t);
  assert.ok(spans(detector, japanese).includes('Linus'));
  // Without the rule the tagger reads CJK runs as names (what the rule is for).
  const off = new TaggerDetector(detector.model, (detector as unknown as { vectors: never }).vectors, { cjkText: false });
  assert.ok([japanese, chinese].some((s) => spans(off, s).some((t) => /\p{Script=Han}/u.test(t))));
  assert.ok(detector.id.includes('DK') && !off.id.includes('DK'), detector.id);
  // English is untouched.
  const english = 'Andrew Morton maintains the tree in Portland.';
  assert.deepEqual(spans(detector, english), spans(off, english));
});
