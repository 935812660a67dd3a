import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeText } from '../../server/src/engine/ingest/decode.ts';

const enc = (s: string) => new TextEncoder().encode(s);

test('plain UTF-8 decodes as-is', () => {
  assert.deepEqual(decodeText(enc('Zürich 🚢 Rhine')), { ok: true, text: 'Zürich 🚢 Rhine', encoding: 'utf-8' });
  assert.deepEqual(decodeText(new Uint8Array()), { ok: true, text: '', encoding: 'utf-8' });
});

test('UTF-8 BOM is stripped', () => {
  const r = decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...enc('Rhine')]));
  assert.deepEqual(r, { ok: true, text: 'Rhine', encoding: 'utf-8' });
});

test('NUL bytes in the first 8 KB mean binary; later NULs are not sniffed', () => {
  assert.deepEqual(decodeText(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1])), { ok: false, reason: 'binary' });
  assert.deepEqual(decodeText(enc('abc\0def')), { ok: false, reason: 'binary' });
  const late = new Uint8Array(9000).fill(0x61);
  late[8500] = 0;
  const r = decodeText(late);
  assert.equal(r.ok, true);
});

test('invalid UTF-8 is rejected', () => {
  assert.deepEqual(decodeText(new Uint8Array([0x52, 0x68, 0xff, 0x6e])), { ok: false, reason: 'invalid-utf8' });
  assert.deepEqual(decodeText(new Uint8Array([0x5a, 0xfc, 0x72])), { ok: false, reason: 'invalid-utf8' }); // Latin-1 "Zür"
  assert.deepEqual(decodeText(new Uint8Array([0xe2, 0x82])), { ok: false, reason: 'invalid-utf8' }); // truncated
});

test('UTF-16 LE and BE with BOM', () => {
  const s = 'Zürich 🚢 Rhine';
  const le = [0xff, 0xfe];
  const be = [0xfe, 0xff];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    le.push(c & 0xff, c >> 8);
    be.push(c >> 8, c & 0xff);
  }
  assert.deepEqual(decodeText(new Uint8Array(le)), { ok: true, text: s, encoding: 'utf-16le' });
  assert.deepEqual(decodeText(new Uint8Array(be)), { ok: true, text: s, encoding: 'utf-16be' });
  assert.deepEqual(decodeText(new Uint8Array([0xff, 0xfe, 0x41])), { ok: false, reason: 'binary' }); // odd length
});
