// CRC-32 of the store's snapshot files, recorded in the manifest when a snapshot is written and
// checked when it is read: hnswlib follows the links in its file without checking them, so a
// damaged graph would crash the process on its first search instead of reading as corrupt, and
// damaged vectors would silently give wrong results. Node's zlib.crc32 (20.15+) is hardware-
// assisted; where it is missing, nothing is recorded or checked.
import { open } from 'node:fs/promises';
import * as zlib from 'node:zlib';

type Crc32 = (data: string | Uint8Array, value?: number) => number;
const crc32 = (zlib as unknown as { crc32?: Crc32 }).crc32;

/** Whether checksums can be computed here. */
export const checksumsAvailable = typeof crc32 === 'function';

/** Checksum of bytes or text (as UTF-8), continuing from `previous`; undefined without zlib.crc32. */
export function checksumOf(data: string | Uint8Array, previous = 0): number | undefined {
  return crc32 ? crc32(data, previous) : undefined;
}

/** Checksum of a file, read in chunks off the event loop. */
export async function fileChecksum(path: string): Promise<number | undefined> {
  if (!crc32) return undefined;
  const file = await open(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(4 << 20);
    let value = 0;
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return value;
      value = crc32(chunk.subarray(0, bytesRead), value);
    }
  } finally {
    await file.close();
  }
}
