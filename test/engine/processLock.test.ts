import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { lockHolderRunning, ownLockRecord, parseLockRecord, processStart } from '../../server/src/engine/processLock.ts';

const linux = process.platform === 'linux';

function sleeper(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
}

async function killed(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
}

test('lock records: a bare pid (older locks) or a pid and start; anything else names no holder', () => {
  assert.deepEqual(parseLockRecord('4242'), { pid: 4242 });
  assert.deepEqual(parseLockRecord('4242 0f3c-boot:123456\n'), { pid: 4242, start: '0f3c-boot:123456' });
  for (const text of ['', '  ', 'garbage', '0', '-5', '12 a b', '12abc', '1e3']) {
    assert.equal(parseLockRecord(text), undefined, JSON.stringify(text));
  }
});

test('this process\'s own record names it, running', () => {
  const own = parseLockRecord(ownLockRecord());
  assert.equal(own?.pid, process.pid);
  if (linux) assert.ok(own?.start, 'on Linux the record carries the start');
  assert.ok(lockHolderRunning(own!));
});

test('a lock whose pid now belongs to a later process is stale; the writer itself still holds it', { skip: linux ? false : 'process start times are read from /proc (Linux only)' }, async () => {
  const child = sleeper();
  try {
    const start = processStart(child.pid!);
    assert.match(start ?? '', /^\S+:\d+$/);
    assert.equal(processStart(child.pid!), start, 'the same process, the same start');
    assert.notEqual(start, processStart(process.pid));
    assert.ok(lockHolderRunning({ pid: child.pid!, start }), 'the writer runs');
    assert.ok(lockHolderRunning({ pid: child.pid! }), 'a bare pid is judged by the pid alone');
    // The pid reused by another process (after a crash and a reboot, say): its start differs.
    const [boot, ticks] = start!.split(':');
    assert.ok(!lockHolderRunning({ pid: child.pid!, start: `${boot}:${Number(ticks) - 1}` }), 'an earlier process with this pid');
    assert.ok(!lockHolderRunning({ pid: child.pid!, start: `another-boot:${ticks}` }), 'the same pid in another boot');
  } finally { await killed(child); }
  assert.ok(!lockHolderRunning({ pid: child.pid! }), 'a dead pid holds nothing');
});
