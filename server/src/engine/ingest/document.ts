// Turns a decoded file into an IngestedDocument: paragraphs (units of re-embedding) with sentences.
// A namespace import: `hash` is missing before Node 20.12, where a named import would not link.
import * as crypto from 'node:crypto';
import { extname, basename } from 'node:path';
import type { DocumentKind, IngestedDocument, OffsetSpan, Paragraph, Sentence } from '../types.ts';
import { proseBlocks, type ProseBlock, type ProseBlocks } from './markdown.ts';
import { plainTextProse } from './plainTextMarkup.ts';
import { documentCaseEvidence } from './positionalCapitals.ts';
import { splitParagraphs, splitSentences } from './sentences.ts';

/** Bumped whenever masking/splitting changes, so stored paragraph hashes stop matching. */
export const INGEST_FORMAT_VERSION = 'ingest-v10';

export type { DocumentKind };

const MARKDOWN_EXT = new Set(['.md', '.markdown', '.mdx', '.mdown', '.mkd']);
const PLAINTEXT_EXT = new Set(['.txt', '.text', '.rst', '.pod', '.org']);

/** Kind of document for a path by extension; files without extension are plain text. */
export function documentKind(path: string): DocumentKind | undefined {
  const ext = extname(path).toLowerCase();
  if (MARKDOWN_EXT.has(ext)) return 'markdown';
  if (PLAINTEXT_EXT.has(ext)) return 'plaintext';
  if (ext === '') return basename(path).startsWith('.') ? undefined : 'plaintext';
  return undefined;
}

/** Node's one-shot digest (`crypto.hash`, Node ≥ 20.12), where this runtime has it. */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;

/**
 * Hash of a paragraph's prose (masked) text: equal prose ⇒ equal hash wherever it sits. A
 * heading hashes differently from a paragraph of the same words (its spans are detected
 * differently), and so does a paragraph whose capitalised words the rest of its document shows
 * to be ordinary ones (`positional`), or whose document writes names with capitals (`cased`), or
 * whose lower-case words the document capitalises as names (`lowerNames`; all three in
 * positionalCapitals.ts); other paragraphs keep the hashes they always had.
 */
export function paragraphHash(prose: string, heading = false, positional?: readonly string[], cased = false, lowerNames?: readonly string[]): string {
  // The same digest as hashing the parts one after another; the one-shot hash (Node ≥ 20.12) is
  // ≈ 6× faster than a Hash object per paragraph, and documents have hundreds of thousands.
  const input = `${INGEST_FORMAT_VERSION}\0${prose}${heading ? '\0heading' : ''}${positional?.length ? `\0positional ${positional.join(' ')}` : ''}${cased ? '\0cased' : ''}${lowerNames?.length ? `\0lower names ${lowerNames.join(' ')}` : ''}`;
  return oneShotHash ? oneShotHash('sha1', input) : crypto.createHash('sha1').update(input).digest('hex');
}

/**
 * The prose view of a document: same length as `text`, non-prose blanked. An editor's buffer may
 * keep a file's byte-order mark (a file's is stripped when decoded): the mark is no text, so the
 * rest reads as the file does (front matter, a fence or code on the first line), and the mark is
 * blanked in the view, which keeps the buffer's offsets.
 */
export function proseOf(text: string, kind: DocumentKind): { masked: string; blocks: ProseBlock[] } {
  if (startsWithByteOrderMark(text)) return afterByteOrderMark(proseOf(text.slice(1), kind));
  if (kind === 'markdown') return proseBlocks(text);
  if (kind === 'plaintext') return plainTextProse(text);
  return { masked: text, blocks: splitParagraphs(text) };
}

export const startsWithByteOrderMark = (text: string) => text.charCodeAt(0) === 0xfeff;

/** The view of the text after a byte-order mark, as the view of the whole text. */
function afterByteOrderMark(rest: { masked: string; blocks: ProseBlock[] }): { masked: string; blocks: ProseBlock[] } {
  return { masked: ' ' + rest.masked, blocks: rest.blocks.map((b) => ({ ...b, start: b.start + 1, end: b.end + 1 })) };
}

/** `prose`: the document's prose view when the caller already has it (incremental re-parsing). */
export function ingestText(path: string, text: string, kind: DocumentKind, prose?: ProseBlocks): IngestedDocument {
  const { masked, blocks } = prose ?? proseOf(text, kind);
  const { cased, positional, lowerCaseNames } = documentCaseEvidence(masked, blocks);
  const paragraphs: Paragraph[] = [];
  blocks.forEach((block, b) => {
    const blockText = masked.slice(block.start, block.end);
    if (!/\S/.test(blockText)) return;
    // Sentences are split on first use: re-indexing an edited file only needs them for the
    // paragraphs whose hash changed (a third of ingest time on a 1 MB file).
    let sentences: Sentence[] | undefined;
    const words = positional[b];
    const lowerNames = lowerCaseNames[b];
    paragraphs.push({
      start: block.start, end: block.end, hash: paragraphHash(blockText, block.heading, words, cased, lowerNames),
      ...(block.heading ? { heading: true } : {}), ...(words ? { positionalCapitals: words } : {}), ...(cased ? { casedDocument: true } : {}),
      ...(lowerNames ? { namesInLowerCase: lowerNames } : {}),
      get sentences() { return (sentences ??= splitSentences(masked, block)); },
    });
  });
  return { path, text, paragraphs };
}
