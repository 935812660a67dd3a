// Tokenisation for the LLM encoder: a Hugging Face `tokenizer.json` (+ `tokenizer_config.json`)
// loaded offline with @huggingface/tokenizers, giving token ids WITH UTF-16 character offsets into
// the original text.
//
// The library does not expose offsets, so they are derived: every token is turned back into the
// bytes of (normalised) text it stands for — byte-level BPE characters (`Ġ` = space …) through the
// GPT-2 byte↔unicode table, sentencepiece pieces with `▁` = space and `<0xNN>` byte-fallback
// tokens, added tokens as their literal content — and those bytes are aligned greedily against the
// UTF-8 bytes of the original text. Bytes the normaliser inserted (sentencepiece's prepended `▁`)
// cover nothing; text the normaliser dropped is skipped; a token that holds part of a multi-byte
// character covers the whole character. Case-only differences (lower-casing normalisers) align.
//
// BOS: never added by the library (encode runs with add_special_tokens: false); `withBos` prepends
// it once, when tokenizer_config.json's `add_bos_token` says so or, without that key, when the
// tokenizer.json post-processor's single-sequence template starts with a special token (Llama 3's
// `<|begin_of_text|>`, Llama 2's `<s>`). A text that already starts with the BOS token gets none.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';

/** Token ids of a text (no BOS) with [start, end) UTF-16 offsets into that text. */
export interface TokenizedText {
  ids: number[];
  /** Token strings as in the vocabulary (for display). */
  tokens: string[];
  /** Per token: [start, end) into the text; start === end for a token that covers no character. */
  offsets: Array<[number, number]>;
}

export class TokenizerError extends Error {}

type Style = 'byte-level' | 'sentencepiece' | 'plain';

/** GPT-2's bytes_to_unicode table: a printable stand-in character for each of the 256 bytes. */
export function byteToUnicode(): Map<number, string> {
  const bs: number[] = [];
  for (let i = 33; i <= 126; i++) bs.push(i);
  for (let i = 161; i <= 172; i++) bs.push(i);
  for (let i = 174; i <= 255; i++) bs.push(i);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) if (!bs.includes(b)) { bs.push(b); cs.push(256 + n++); }
  return new Map(bs.map((b, i) => [b, String.fromCodePoint(cs[i])]));
}

let UNICODE_TO_BYTE: Map<string, number> | undefined;
function unicodeToByte(): Map<string, number> {
  UNICODE_TO_BYTE ??= new Map([...byteToUnicode()].map(([b, c]) => [c, b]));
  return UNICODE_TO_BYTE;
}

function hasType(node: unknown, type: string): boolean {
  if (!node || typeof node !== 'object') return false;
  const o = node as Record<string, unknown>;
  if (o.type === type) return true;
  for (const key of ['decoders', 'pretokenizers', 'normalizers', 'processors']) {
    const list = o[key];
    if (Array.isArray(list) && list.some((x) => hasType(x, type))) return true;
  }
  return false;
}

function mentionsMetaspace(node: unknown): boolean {
  return hasType(node, 'Metaspace') || JSON.stringify(node ?? null).includes('▁');
}

/** The special token the single-sequence template starts with, if any. */
function templateStartToken(post: unknown): string | undefined {
  if (!post || typeof post !== 'object') return undefined;
  const o = post as Record<string, unknown>;
  if (o.type === 'TemplateProcessing' && Array.isArray(o.single)) {
    const first = o.single[0] as { SpecialToken?: { id?: string } } | undefined;
    return first?.SpecialToken?.id;
  }
  if (o.type === 'Sequence' && Array.isArray(o.processors)) {
    for (const p of o.processors) { const t = templateStartToken(p); if (t) return t; }
  }
  if ((o.type === 'BertProcessing' || o.type === 'RobertaProcessing') && Array.isArray(o.cls)) return String(o.cls[0]);
  return undefined;
}

function tokenContent(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { content?: unknown }).content === 'string') return (value as { content: string }).content;
  return undefined;
}

const utf8 = new TextEncoder();

function isSpaceByte(b: number): boolean { return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d; }
function foldCase(b: number): number { return b >= 0x41 && b <= 0x5a ? b + 32 : b; }

export interface LoadTokenizerOptions {
  /** The model config's bos_token_id: used when tokenizer_config.json names no BOS token. */
  bosTokenId?: number | null;
  /**
   * Rows of the model's embedding table (config.json vocab_size). A tokenizer whose vocabulary or
   * output reaches past it belongs to another model: refused with a TokenizerError instead of an
   * out-of-bounds Gather deep inside onnxruntime.
   */
  vocabSize?: number;
}

/** The largest id of a tokenizer.json model's own vocabulary (added tokens aside). */
function largestVocabularyId(model: Record<string, unknown> | undefined): number {
  const vocab = model?.vocab;
  if (Array.isArray(vocab)) return vocab.length - 1;
  let largest = -1;
  if (vocab && typeof vocab === 'object') for (const id of Object.values(vocab)) if (typeof id === 'number' && id > largest) largest = id;
  return largest;
}

/** The first [token, id] of a tokenizer.json model's vocabulary whose id is not a non-negative integer. */
function firstInvalidVocabularyId(model: Record<string, unknown> | undefined): [string, unknown] | undefined {
  const vocab = model?.vocab;
  if (!vocab || typeof vocab !== 'object' || Array.isArray(vocab)) return undefined; // unigram: ids are positions
  return Object.entries(vocab).find(([, id]) => !Number.isSafeInteger(id) || (id as number) < 0);
}

export class LlmTokenizer {
  /** BOS id prepended by withBos, or null when this model takes none. */
  readonly bosTokenId: number | null;
  private readonly style: Style;
  private readonly added: Map<number, string>;
  private readonly vocabSize: number | undefined;

  private constructor(private readonly path: string, private readonly tokenizer: Tokenizer, json: Record<string, unknown>, config: Record<string, unknown>, options: LoadTokenizerOptions) {
    const model = json.model as Record<string, unknown> | undefined;
    this.style = hasType(json.decoder, 'ByteLevel') || hasType(json.pre_tokenizer, 'ByteLevel') ? 'byte-level'
      : (mentionsMetaspace(json.normalizer) || mentionsMetaspace(json.pre_tokenizer) || mentionsMetaspace(json.decoder) || model?.byte_fallback === true) ? 'sentencepiece'
        : 'plain';
    this.added = new Map();
    for (const t of (json.added_tokens ?? []) as Array<{ id: number; content: string }>) this.added.set(t.id, t.content);
    this.vocabSize = options.vocabSize;
    const bosName = tokenContent(config.bos_token);
    let bosId: number | null = bosName !== undefined ? tokenizer.token_to_id(bosName) ?? null : null;
    if (bosId === null && options.bosTokenId !== undefined && options.bosTokenId !== null) bosId = options.bosTokenId;
    const templateStart = templateStartToken(json.post_processor);
    const addBos = typeof config.add_bos_token === 'boolean'
      ? config.add_bos_token
      : templateStart !== undefined && (bosName === undefined || templateStart === bosName);
    if (addBos && bosId === null && templateStart !== undefined) bosId = tokenizer.token_to_id(templateStart) ?? null;
    this.bosTokenId = addBos ? bosId : null;
  }

  /**
   * Loads `<dir>/tokenizer.json` (required) and `<dir>/tokenizer_config.json` (optional).
   * Throws a TokenizerError naming the folder when the tokenizer is missing or unreadable.
   */
  static load(dir: string, options: LoadTokenizerOptions = {}): LlmTokenizer {
    const path = join(dir, 'tokenizer.json');
    if (!existsSync(path)) {
      throw new TokenizerError(`no tokenizer.json in ${dir}: the LLM encoder needs the model's Hugging Face tokenizer (copy tokenizer.json and tokenizer_config.json into that folder)`);
    }
    let json: Record<string, unknown>;
    try { json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>; } catch (e) {
      throw new TokenizerError(`${path}: not valid JSON (${(e as Error).message})`);
    }
    const configPath = join(dir, 'tokenizer_config.json');
    let config: Record<string, unknown> = {};
    if (existsSync(configPath)) {
      try { config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>; } catch (e) {
        throw new TokenizerError(`${configPath}: not valid JSON (${(e as Error).message})`);
      }
    }
    let tokenizer: Tokenizer;
    try { tokenizer = new Tokenizer(json, config); } catch (e) {
      throw new TokenizerError(`${path}: unsupported tokenizer (${(e as Error).message})`);
    }
    const largest = largestVocabularyId(json.model as Record<string, unknown> | undefined);
    if (options.vocabSize !== undefined && largest >= options.vocabSize) {
      throw new TokenizerError(
        `${path}: its vocabulary has ids up to ${largest}, but the model's embedding table has ${options.vocabSize} rows ` +
        '(config.json vocab_size): this tokenizer belongs to another model — put the checkpoint\'s own tokenizer.json beside its weights',
      );
    }
    const badId = firstInvalidVocabularyId(json.model as Record<string, unknown> | undefined);
    if (badId) {
      throw new TokenizerError(`${path}: token ${JSON.stringify(badId[0])} has id ${JSON.stringify(badId[1])} in the vocabulary, not a non-negative integer: `
        + 'the file is corrupt; put the checkpoint\'s own tokenizer.json beside its weights');
    }
    return new LlmTokenizer(path, tokenizer, json, config, options);
  }

  /** Ids and offsets of `text` without special tokens around it. */
  encode(text: string): TokenizedText {
    if (!text) return { ids: [], tokens: [], offsets: [] };
    const enc = this.tokenizer.encode(text, { add_special_tokens: false });
    const ids: number[] = enc.ids.map(Number);
    const tokens = enc.tokens.map(String);
    // Ids become BigInt model inputs (a fraction or NaN throws there) and embedding rows.
    const invalid = ids.findIndex((id) => !Number.isSafeInteger(id) || id < 0);
    if (invalid >= 0) {
      throw new TokenizerError(`${this.path}: token ${JSON.stringify(tokens[invalid])} has id ${ids[invalid]}, not a non-negative integer: `
        + 'the tokenizer is corrupt; put the checkpoint\'s own tokenizer.json beside its weights');
    }
    if (this.vocabSize !== undefined) {
      const i = ids.findIndex((id: number) => id >= this.vocabSize!);
      if (i >= 0) {
        throw new TokenizerError(
          `token ${JSON.stringify(tokens[i])} has id ${ids[i]}, past the model's ${this.vocabSize}-row embedding table ` +
          '(config.json vocab_size): the tokenizer does not match the weights',
        );
      }
    }
    return { ids, tokens, offsets: this.align(text, ids, tokens) };
  }

  /** `ids` with the BOS token in front when the model takes one (never twice). */
  withBos(ids: number[]): number[] {
    if (this.bosTokenId === null || ids[0] === this.bosTokenId) return ids.slice();
    return [this.bosTokenId, ...ids];
  }

  /** Number of positions withBos adds in front of a text's tokens (0 or 1). */
  get bosLength(): number { return this.bosTokenId === null ? 0 : 1; }

  tokenString(id: number): string { return this.tokenizer.id_to_token(id) ?? this.added.get(id) ?? `<${id}>`; }

  decode(ids: number[]): string { return this.tokenizer.decode(ids, { skip_special_tokens: false }); }

  /** The bytes of (normalised) text a token stands for. */
  private tokenBytes(id: number, token: string): number[] {
    const added = this.added.get(id);
    if (added !== undefined) return [...utf8.encode(added)];
    if (this.style === 'byte-level') {
      const table = unicodeToByte();
      const out: number[] = [];
      for (const ch of token) {
        const b = table.get(ch);
        if (b !== undefined) out.push(b); else out.push(...utf8.encode(ch));
      }
      return out;
    }
    if (this.style === 'sentencepiece') {
      const m = /^<0x([0-9A-Fa-f]{2})>$/.exec(token);
      if (m) return [parseInt(m[1], 16)];
      return [...utf8.encode(token.replace(/▁/g, ' '))];
    }
    return [...utf8.encode(token.startsWith('##') ? token.slice(2) : token)];
  }

  private align(text: string, ids: number[], tokens: string[]): Array<[number, number]> {
    // UTF-8 bytes of the text, with each byte's character [start, end) in UTF-16 units.
    const bytes: number[] = [];
    const charStart: number[] = [];
    const charEnd: number[] = [];
    for (let i = 0; i < text.length;) {
      const cp = text.codePointAt(i)!;
      const units = cp > 0xffff ? 2 : 1;
      for (const b of utf8.encode(String.fromCodePoint(cp))) { bytes.push(b); charStart.push(i); charEnd.push(i + units); }
      i += units;
    }
    const n = bytes.length;
    const offsets: Array<[number, number]> = [];
    let p = 0;
    for (let t = 0; t < ids.length; t++) {
      const tb = this.tokenBytes(ids[t], tokens[t]);
      let first = -1; let last = -1;
      for (const b of tb) {
        // Text the normaliser dropped (e.g. stripped whitespace): skip it.
        while (p < n && isSpaceByte(bytes[p]) && !isSpaceByte(b) && foldCase(bytes[p]) !== foldCase(b)) p++;
        if (p < n && foldCase(bytes[p]) === foldCase(b)) {
          if (first < 0) first = p;
          last = p++;
        } else if (b === 0x20 && this.style === 'sentencepiece' && bytes[p] === 0xe2 && bytes[p + 1] === 0x96 && bytes[p + 2] === 0x81) {
          if (first < 0) first = p; // a literal ▁ in the text
          last = p + 2;
          p += 3;
        } else if (b === 0x20) {
          continue; // a space the normaliser inserted (sentencepiece's prepended ▁)
        } else if (p < n) {
          // The normaliser changed the text (NFC, lower-casing…): resynchronise on the byte within
          // a few bytes ahead when there is one, else substitute byte for byte.
          let k = 1;
          while (k <= 4 && p + k < n && foldCase(bytes[p + k]) !== foldCase(b)) k++;
          if (k > 4 || p + k >= n) k = 0;
          if (first < 0) first = p;
          last = p + k;
          p += k + 1;
        }
      }
      if (first < 0) {
        const at = p < n ? charStart[p] : text.length;
        offsets.push([at, at]);
      } else {
        offsets.push([charStart[first], charEnd[last]]);
      }
    }
    return offsets;
  }
}
