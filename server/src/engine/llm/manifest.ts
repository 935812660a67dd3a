// LLM model manifests (models/manifests/*.json): which layer and which head go with a base model.
// `--encoder llm:meta-llama/Llama-3.1-8B` resolves through them to layer 17 + the paper head;
// a model without a manifest (or a local checkpoint folder) needs --layer and gets the
// whitening head unless told otherwise.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { findModelFile } from '../modelFiles.ts';
import { sharedDir } from '../types.ts';

export interface PaperHeadSpec {
  kind: 'paper';
  file: string;
  /** Folder name under a models directory (shared dir, cache) holding `file`. */
  folder: string;
  sha256: string;
  inputDim: number;
  outputDim: number;
  source: string;
  sourceFile: string;
  license: string;
  conversion: string;
}

export interface WhiteningHeadSpec { kind: 'whitening'; dimension?: number }

export interface LlmManifest {
  format: 'ner-retriever-llm-manifest';
  version: 1;
  name: string;
  /** Hugging Face repo id of the base model. */
  model: string;
  layer: number;
  kvDim?: number;
  description?: string;
  head: PaperHeadSpec | WhiteningHeadSpec;
}

const MANIFEST_PROBE = join('manifests', 'llama31-8b-l17.json');

/** The shipped manifests folder (models/manifests). */
export function manifestsDir(): string {
  return dirname(findModelFile(MANIFEST_PROBE));
}

export function loadManifests(dir = manifestsDir()): LlmManifest[] {
  const out: LlmManifest[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const file = join(dir, name);
    let m: LlmManifest;
    try { m = JSON.parse(readFileSync(file, 'utf8')) as LlmManifest; } catch (e) {
      throw new Error(`${file}: invalid JSON (${(e as Error).message}); fix or remove it`);
    }
    if (m?.format !== 'ner-retriever-llm-manifest' || m.version !== 1) throw new Error(`${file}: not an LLM model manifest of version 1`);
    // findManifest and the encoder use these without further checks.
    if (typeof m.name !== 'string' || typeof m.model !== 'string' || !Number.isSafeInteger(m.layer) || m.layer < 0 || (m.head?.kind !== 'paper' && m.head?.kind !== 'whitening')) {
      throw new Error(`${file}: an LLM model manifest needs a string name and model, a layer (a non-negative integer) and a head of kind paper or whitening; fix or remove it`);
    }
    out.push(m);
  }
  return out;
}

/** The manifest for a hub id (case-insensitive) or a manifest name, if any. */
export function findManifest(model: string, manifests = loadManifests()): LlmManifest | undefined {
  const key = model.toLowerCase();
  return manifests.find((m) => m.model.toLowerCase() === key || m.name.toLowerCase() === key);
}

export interface ResolveHeadFileOptions { cacheDir?: string }

/** Where a manifest's head file is looked for, in order. */
export function headFileCandidates(spec: PaperHeadSpec, options: ResolveHeadFileOptions = {}): string[] {
  const relative = join('heads', spec.folder, spec.file);
  const out: string[] = [];
  try { out.push(findModelFile(relative)); } catch { /* not shipped */ }
  out.push(resolve(sharedDir(), 'models', spec.folder, spec.file));
  if (options.cacheDir) out.push(resolve(options.cacheDir, relative));
  return out;
}

/**
 * The head file of a paper-head manifest: models/heads/<folder>/ (shipped or
 * $NER_RETRIEVER_MODELS_DIR), then $NER_SHARED_DIR/models/<folder>/, then <cacheDir>/heads/<folder>/.
 * Its SHA-256 must equal the manifest's. A missing file is an error that says where to get it.
 */
export function resolveHeadFile(spec: PaperHeadSpec, options: ResolveHeadFileOptions = {}): string {
  const candidates = headFileCandidates(spec, options);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `projection head ${spec.file} not found (looked in ${candidates.join(', ')}). Download ${spec.sourceFile} from ` +
      `${spec.source} (${spec.license}), convert it: ${spec.conversion} Then put it at ${candidates[candidates.length - 1]}.`,
    );
  }
  const sha = createHash('sha256').update(readFileSync(found)).digest('hex');
  if (sha !== spec.sha256) {
    throw new Error(`${found} has SHA-256 ${sha}, but the manifest expects ${spec.sha256}: a different or corrupted head file`);
  }
  return found;
}
