// Mention → token mapping for the LLM encoder. A mention's vector is the value vector at its LAST
// sub-token (the last token whose character range overlaps the mention's span), computed with the
// mention inside its sentence, BOS in front (paper: arXiv 2509.04011).
//
// Sentences longer than the context are cut into overlapping windows of at most `maxTokens`
// positions (BOS included). The model is causal, so a token's value depends only on the tokens
// before it: each mention takes its value from the EARLIEST window that contains its last token,
// which is the window giving it the most left context. With stride = capacity − overlap, every
// mention past the first window sees at least `overlap` tokens of left context. Nothing is
// truncated: every mention gets a window; windows holding no mention's last token are not run.
import type { OffsetSpan } from '../types.ts';

/**
 * Index of the last token whose [start, end) overlaps `span`. Zero-width tokens never overlap.
 * An empty or token-less span (only whitespace) falls back to the last token starting before the
 * span's end (0 when there is none). -1 only for a sentence with no tokens.
 */
export function lastTokenOf(offsets: ReadonlyArray<readonly [number, number]>, span: OffsetSpan): number {
  let fallback = -1;
  for (let i = offsets.length - 1; i >= 0; i--) {
    const [s, e] = offsets[i];
    if (e <= s) continue;
    if (s < span.end && e > span.start) return i;
    if (fallback < 0 && s < Math.max(span.end, span.start + 1)) fallback = i;
  }
  return fallback >= 0 ? fallback : (offsets.length ? 0 : -1);
}

export interface TokenWindow {
  /** [start, end) into the sentence's content tokens (BOS not counted). */
  start: number;
  end: number;
}

export interface WindowPlan {
  windows: TokenWindow[];
  /** Per requested token: which window it is read from and its position in that window's input (BOS included). */
  positions: Array<{ window: number; position: number }>;
}

export interface WindowOptions {
  /** Positions per model input, BOS included. */
  maxTokens: number;
  /** Tokens shared by consecutive windows (default: half a window). */
  overlap?: number;
  /** 1 when a BOS token is prepended to every window, else 0. */
  bosLength: number;
}

/** Plans the windows for a sentence of `count` content tokens and the given last-token indices. */
export function planWindows(count: number, lastTokens: number[], options: WindowOptions): WindowPlan {
  const capacity = options.maxTokens - options.bosLength;
  if (capacity < 2) throw new Error(`maxTokens ${options.maxTokens} is too small for windowing`);
  const overlap = Math.min(Math.max(0, options.overlap ?? Math.floor(capacity / 2)), capacity - 1);
  const stride = capacity - overlap;
  const byStart = new Map<number, number>();
  const windows: TokenWindow[] = [];
  const positions = lastTokens.map((t) => {
    if (t < 0 || t >= count) throw new Error(`token index ${t} outside a sentence of ${count} tokens`);
    const k = count <= capacity ? 0 : Math.max(0, Math.ceil((t - capacity + 1) / stride));
    const start = k * stride;
    let w = byStart.get(start);
    if (w === undefined) {
      w = windows.length;
      byStart.set(start, w);
      windows.push({ start, end: Math.min(count, start + capacity) });
    }
    return { window: w, position: options.bosLength + (t - start) };
  });
  return { windows, positions };
}
