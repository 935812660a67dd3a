// Who holds a lock file. A lock names its holder's pid and, on Linux, that process's life: its
// start time, the kernel boot and pid namespace it ran in, and the host. A lock left behind by a
// crash then reads as stale even when its pid now belongs to another live process (pids are
// reused, after a reboot most of all). Where the lock came from another host or pid namespace
// (a network drive, a container), or names a bare pid (older versions, other systems), the pid is
// all there is to judge by, as before.

import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** Where and when a process started; two processes with one pid never share all of it. */
export interface ProcessLife {
  readonly host: string;
  readonly boot: string;
  readonly pidNamespace: string;
  /** Start time in clock ticks since boot (/proc/<pid>/stat, field 22). */
  readonly start: string;
}

export interface LockHolder {
  readonly pid: number;
  /** Absent in a lock of a bare pid. */
  readonly life?: ProcessLife;
}

type Machine = Omit<ProcessLife, 'start'>;
let machine: Machine | null | undefined;

/** This process's host, boot and pid namespace; null off Linux or where /proc does not tell. */
function thisMachine(): Machine | null {
  if (machine !== undefined) return machine;
  machine = null;
  if (process.platform !== 'linux') return machine;
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const pidNamespace = /^pid:\[(\d+)\]$/.exec(readlinkSync('/proc/self/ns/pid'))?.[1];
    const host = hostname();
    if (/^[\w-]+$/.test(boot) && pidNamespace && /^\S+$/.test(host)) machine = { host, boot, pidNamespace };
  } catch { /* /proc hidden or unlike Linux's */ }
  return machine;
}

/** Start ticks of `pid` in this pid namespace; undefined where the system does not tell. */
function startTicks(pid: number): string | undefined {
  try {
    // Field 22 counts from after the parenthesised command name, which may itself hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return ticks && /^\d+$/.test(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** The life of process `pid` as seen from here; undefined off Linux or for no such process. */
export function processLife(pid: number): ProcessLife | undefined {
  const here = thisMachine();
  const start = here && Number.isInteger(pid) && pid > 0 ? startTicks(pid) : undefined;
  return here && start ? { ...here, start } : undefined;
}

/** What this process writes into a lock it takes: "<pid> start=… boot=… pidns=… host=…". */
export function ownLockRecord(): string {
  const life = processLife(process.pid);
  return life ? `${process.pid} start=${life.start} boot=${life.boot} pidns=${life.pidNamespace} host=${life.host}` : String(process.pid);
}

/** The holder a lock file's text names; undefined when it names none (empty, or still being written). */
export function parseLockRecord(text: string): LockHolder | undefined {
  const [first, ...rest] = text.trim().split(/\s+/);
  if (!first || !/^\d+$/.test(first)) return undefined;
  const pid = Number(first);
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  const fields = new Map<string, string>();
  for (const field of rest) {
    const eq = field.indexOf('=');
    if (eq <= 0) return undefined;
    fields.set(field.slice(0, eq), field.slice(eq + 1));
  }
  const [start, boot, pidNamespace, host] = ['start', 'boot', 'pidns', 'host'].map((k) => fields.get(k));
  return start && boot && pidNamespace && host ? { pid, life: { start, boot, pidNamespace, host } } : { pid };
}

/**
 * Whether the process that wrote the lock still runs. With its life recorded on this host: not
 * after a reboot, and not when its pid now names a process that started at another time.
 */
export function lockHolderRunning(holder: LockHolder): boolean {
  const life = holder.life;
  const here = thisMachine();
  if (!life || !here || life.host !== here.host) return pidAlive(holder.pid);
  if (life.boot !== here.boot) return false;
  if (life.pidNamespace !== here.pidNamespace) return pidAlive(holder.pid);
  if (!pidAlive(holder.pid)) return false;
  const now = startTicks(holder.pid);
  return now === undefined || now === life.start;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What process `pid` is, where /proc tells: "the language server (an editor window)", "`ner-retriever
 * watch`", … for this product's processes; undefined for anything else or where it cannot be seen.
 */
export function describeHolder(pid: number): string | undefined {
  let args: string[];
  try { args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean); } catch { return undefined; }
  const script = args.findIndex((a) => /(?:^|[/\\])(?:server\.mjs|cli\.mjs|ner-retriever)$/.test(a));
  if (script < 0) return undefined;
  if (/server\.mjs$/.test(args[script])) return 'the language server (an editor window on this folder)';
  const command = args.slice(script + 1).find((a) => !a.startsWith('-'));
  return command ? `\`ner-retriever ${command}\`` : '`ner-retriever`';
}
