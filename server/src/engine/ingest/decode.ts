// Bytes → text: BOM handling (UTF-8, UTF-16 LE/BE), binary detection, strict UTF-8 validation.
export type DecodeResult = { ok: true; text: string; encoding?: 'utf-8' | 'utf-16le' | 'utf-16be' } | { ok: false; reason: 'binary' | 'invalid-utf8' };

/** How many leading bytes are inspected for NUL bytes. */
export const BINARY_SNIFF_BYTES = 8192;

/**
 * Decodes a file's bytes. A BOM is stripped (offsets then refer to the text without it).
 * UTF-16 is only recognised with a BOM; otherwise NUL bytes in the first 8 KB mean binary,
 * and the rest must be valid UTF-8.
 */
export function decodeText(bytes: Uint8Array): DecodeResult {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const le = bytes[0] === 0xff;
    if ((bytes.length - 2) % 2 !== 0) return { ok: false, reason: 'binary' };
    try {
      const text = new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(2));
      if (text.includes('\0')) return { ok: false, reason: 'binary' };
      return { ok: true, text, encoding: le ? 'utf-16le' : 'utf-16be' };
    } catch {
      return { ok: false, reason: 'binary' };
    }
  }
  let body = bytes;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) body = bytes.subarray(3);
  const sniff = Math.min(body.length, BINARY_SNIFF_BYTES);
  for (let i = 0; i < sniff; i++) if (body[i] === 0) return { ok: false, reason: 'binary' };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { ok: false, reason: 'invalid-utf8' };
  }
}

/**
 * Text whatever its bytes: a UTF-8 or UTF-16 BOM is honoured and stripped, as files' are, and
 * invalid UTF-8 becomes U+FFFD instead of failing the whole text. For inputs read line by line
 * (a .jsonl corpus, a query list), where one bad line must not lose the others, and for previews.
 */
export function decodeLoosely(bytes: Uint8Array): string {
  const strict = decodeText(bytes);
  if (strict.ok) return strict.text;
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bom ? bytes.subarray(3) : bytes);
}
