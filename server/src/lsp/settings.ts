// The `nerRetriever` settings section: validation (bad values fall back to the defaults, with a
// warning) and a per-resource cache cleared on workspace/didChangeConfiguration.
import { DEFAULT_TYPE_LABELS, DEFAULT_TYPE_LABEL_THRESHOLD } from '../engine/typeLabels.ts';
import type { FileFilter } from '../engine/ingest/workspace.ts';
import type { Logger } from '../engine/types.ts';
import type { NerSettings } from '../protocol.ts';

export interface ResolvedSettings {
  typeLabels: string[];
  typeLabelThreshold: number;
  maxFileSize?: number;
  include?: string[];
  exclude?: string[];
  searchLimit: number;
  /** "static" or an LLM model id / checkpoint folder (read, not yet acted on by the server). */
  encoder: string;
  device: NonNullable<NerSettings['device']>;
  layer?: number;
}

export const DEFAULT_SEARCH_LIMIT = 50;
const DEVICES: ReadonlyArray<ResolvedSettings['device']> = ['auto', 'cpu', 'cuda', 'dml', 'coreml'];

const stringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Validates a `nerRetriever` section (any shape); invalid entries are dropped with a warning. */
export function readSettings(raw: unknown, logger?: Logger): ResolvedSettings {
  const out: ResolvedSettings = { typeLabels: [...DEFAULT_TYPE_LABELS], typeLabelThreshold: DEFAULT_TYPE_LABEL_THRESHOLD, searchLimit: DEFAULT_SEARCH_LIMIT, encoder: 'static', device: 'auto' };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  const s = raw as Record<keyof NerSettings, unknown>;
  const bad = (key: string) => logger?.warn(`Ignoring invalid setting nerRetriever.${key}: ${JSON.stringify(s[key as keyof NerSettings])}`);
  if (s.typeLabels !== undefined && s.typeLabels !== null) {
    if (stringArray(s.typeLabels)) out.typeLabels = s.typeLabels.map((l) => l.trim()).filter((l) => l.length > 0);
    else bad('typeLabels');
  }
  if (s.typeLabelThreshold !== undefined && s.typeLabelThreshold !== null) {
    // A cosine score: outside -1..1 it would show every label or none.
    if (typeof s.typeLabelThreshold === 'number' && s.typeLabelThreshold >= -1 && s.typeLabelThreshold <= 1) out.typeLabelThreshold = s.typeLabelThreshold;
    else bad('typeLabelThreshold');
  }
  if (s.maxFileSize !== undefined && s.maxFileSize !== null) {
    // Bytes, at least 1 (0.5 rounded down to 0 skipped every file).
    if (typeof s.maxFileSize === 'number' && Number.isFinite(s.maxFileSize) && s.maxFileSize >= 1) out.maxFileSize = Math.floor(s.maxFileSize);
    else bad('maxFileSize');
  }
  for (const key of ['include', 'exclude'] as const) {
    if (s[key] === undefined || s[key] === null) continue;
    if (stringArray(s[key])) out[key] = (s[key] as string[]).filter((g) => g.trim().length > 0);
    else bad(key);
  }
  if (s.searchLimit !== undefined && s.searchLimit !== null) {
    if (Number.isInteger(s.searchLimit) && (s.searchLimit as number) >= 1 && (s.searchLimit as number) <= 1000) out.searchLimit = s.searchLimit as number;
    else bad('searchLimit');
  }
  if (s.typeLabelsEnabled !== undefined && s.typeLabelsEnabled !== null) {
    if (typeof s.typeLabelsEnabled === 'boolean') { if (!s.typeLabelsEnabled) out.typeLabels = []; }
    else bad('typeLabelsEnabled');
  }
  if (s.encoder !== undefined && s.encoder !== null) {
    if (typeof s.encoder === 'string' && s.encoder.trim()) out.encoder = s.encoder.trim();
    else bad('encoder');
  }
  if (s.device !== undefined && s.device !== null) {
    if (typeof s.device === 'string' && DEVICES.includes(s.device as ResolvedSettings['device'])) out.device = s.device as ResolvedSettings['device'];
    else bad('device');
  }
  if (s.layer !== undefined && s.layer !== null) {
    if (Number.isInteger(s.layer) && (s.layer as number) >= 0) out.layer = s.layer as number;
    else bad('layer');
  }
  return out;
}

/** The engine's file filter from the settings. */
export function filterOf(s: ResolvedSettings): FileFilter | undefined {
  if (s.maxFileSize === undefined && !s.include?.length && !s.exclude?.length) return undefined;
  return { maxFileSize: s.maxFileSize, include: s.include?.length ? s.include : undefined, exclude: s.exclude?.length ? s.exclude : undefined };
}

/** Settings per resource URI (`undefined`: window scope); `pushed` holds settings a client pushed without `workspace/configuration`. */
export class SettingsCache {
  private readonly byUri = new Map<string, ResolvedSettings>();
  private window: ResolvedSettings | undefined;
  pushed: ResolvedSettings | undefined;

  get(uri: string | undefined): ResolvedSettings | undefined { return uri === undefined ? this.window : this.byUri.get(uri); }
  set(uri: string | undefined, value: ResolvedSettings): void {
    if (uri === undefined) this.window = value;
    else {
      if (this.byUri.size > 500) this.byUri.clear();
      this.byUri.set(uri, value);
    }
  }
  clear(): void { this.byUri.clear(); this.window = undefined; }
}
