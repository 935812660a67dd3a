// Creating a folder the user chose (a store, a cache), with an error that says why it cannot be.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates `dir` and its missing parents one level at a time, or throws an Error naming `dir` and
 * why (with the system's `code`, and `path` set to `dir`). Not Node's recursive mkdirSync: where
 * mkdir answers ENOENT under a folder that exists (/proc) it retries forever, and on a read-only
 * file system it reports ENOENT, not EROFS.
 */
export function makeFolder(dir: string): void {
  const target = resolve(dir);
  const missing: string[] = [];
  for (let d = target; !existsSync(d); d = dirname(d)) missing.unshift(d);
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      const { code, message } = e as NodeJS.ErrnoException;
      if (code === 'EEXIST') continue; // made meanwhile by another process
      const parent = dirname(d);
      const why = code === 'EROFS' ? `${parent} is on a read-only file system`
        : code === 'EACCES' || code === 'EPERM' ? `no permission to write in ${parent}`
        : code === 'ENOENT' ? `${parent} does not take new folders`
        : code === 'ENOTDIR' ? `${parent} is a file`
        : message;
      throw Object.assign(new Error(`cannot create folder ${target}: ${why} (${code})`), { code, path: target });
    }
  }
}
