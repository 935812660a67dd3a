// Temporary folders for tests that are removed when the test process exits (pass or fail), so
// running the suite leaves nothing behind in the system temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];
let hooked = false;

/** A new empty folder `<tmpdir>/<prefix>XXXXXX`, deleted with its contents at process exit. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const d of created) {
        try { rmSync(d, { recursive: true, force: true }); } catch { /* a folder a test made unreadable: leave it */ }
      }
    });
  }
  return dir;
}
