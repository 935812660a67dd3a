// Who holds a lock file. A lock names its holder as "<pid> <start>", where <start> identifies
// that process's life (on Linux the boot id and the process's start time in clock ticks), so a
// lock left behind by a crash reads as stale even when its pid now belongs to another live
// process: pids are reused, after a reboot most of all. A lock of a bare pid (older versions,
// other systems) is judged by the pid alone.

import { readFileSync } from 'node:fs';

export interface LockHolder {
  readonly pid: number;
  /** The holder's start, as processStart gave it when the lock was written; absent where unknown. */
  readonly start?: string;
}

let bootId: string | null | undefined;

/**
 * An identifier of process `pid`'s life, equal for the same process and different for a later one
 * given the same pid; undefined where the system does not tell (non-Linux, /proc hidden, no such pid).
 */
export function processStart(pid: number): string | undefined {
  if (process.platform !== 'linux' || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (bootId === undefined) {
    try { bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null; } catch { bootId = null; }
  }
  if (bootId === null) return undefined;
  try {
    // Field 22 (starttime) counts from the end of the parenthesised command name, which may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = fields[19];
    return startTicks && /^\d+$/.test(startTicks) ? `${bootId}:${startTicks}` : undefined;
  } catch {
    return undefined;
  }
}

/** What this process writes into a lock it takes. */
export function ownLockRecord(): string {
  const start = processStart(process.pid);
  return start ? `${process.pid} ${start}` : String(process.pid);
}

/** The holder a lock file's text names; undefined when it names none (empty, or being written). */
export function parseLockRecord(text: string): LockHolder | undefined {
  const match = /^\s*(\d+)(?:[ \t]+(\S+))?\s*$/.exec(text);
  if (!match) return undefined;
  const pid = Number(match[1]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return match[2] ? { pid, start: match[2] } : { pid };
}

/**
 * Whether the process that wrote the lock still runs: its pid is alive and, where both the lock and
 * the system say when it started, it is the same process rather than a later one with its pid.
 */
export function lockHolderRunning(holder: LockHolder): boolean {
  if (!pidAlive(holder.pid)) return false;
  if (holder.start === undefined) return true;
  const now = processStart(holder.pid);
  return now === undefined || now === holder.start;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
