// Locates files shipped under the repository's / package's `models/` folder, from source (tsx)
// or from an esbuild bundle in dist/: walk up from this module until `models/<relative>` exists.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of `models/<relative>`; `envOverride` names an env var holding a full path. */
export function findModelFile(relative: string, envOverride?: string): string {
  const fromEnv = envOverride ? process.env[envOverride] : undefined;
  if (fromEnv) return resolve(fromEnv);
  const modelsRoot = process.env.NER_RETRIEVER_MODELS_DIR;
  if (modelsRoot && existsSync(join(modelsRoot, relative))) return resolve(modelsRoot, relative);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'models', relative);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`model file models/${relative} not found (reinstall the package${envOverride ? `, or set ${envOverride}` : ''})`);
}

/**
 * A shipped model file that its loader checks itself: under $NER_RETRIEVER_MODELS_DIR when set
 * (even if absent there), else found like findModelFile; when missing, the path it was expected at,
 * so the loader's error names it.
 */
export function expectedModelFile(relative: string): string {
  if (process.env.NER_RETRIEVER_MODELS_DIR) return resolve(process.env.NER_RETRIEVER_MODELS_DIR, relative);
  try {
    return findModelFile(relative);
  } catch {
    return resolve(process.cwd(), 'models', relative);
  }
}
