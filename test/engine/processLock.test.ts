import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { lockHolderRunning, ownLockRecord, parseLockRecord, processLife } from '../../server/src/engine/processLock.ts';

const linux = process.platform === 'linux';

async function killed(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
}

test('lock records: a bare pid (older locks) or a pid and its life; anything else names no holder', () => {
  assert.deepEqual(parseLockRecord('4242'), { pid: 4242 });
  assert.deepEqual(parseLockRecord('4242 start=123456 boot=0f3c-aa pidns=4026531836 host=laptop\n'),
    { pid: 4242, life: { start: '123456', boot: '0f3c-aa', pidNamespace: '4026531836', host: 'laptop' } });
  assert.deepEqual(parseLockRecord('4242 start=123456 later=field'), { pid: 4242 }, 'an incomplete life: the pid alone');
  for (const text of ['', '  ', 'garbage', '0', '-5', '12 a b', '12abc', '1e3', '12 =x']) {
    assert.equal(parseLockRecord(text), undefined, JSON.stringify(text));
  }
});

test('this process\'s own record names it, running', () => {
  const own = parseLockRecord(ownLockRecord());
  assert.equal(own?.pid, process.pid);
  if (linux) assert.deepEqual(own?.life, processLife(process.pid), 'on Linux the record carries the life');
  assert.ok(lockHolderRunning(own!));
});

test('a lock whose pid now names a later process, or that was written before a reboot, is stale; its writer still holds it', { skip: linux ? false : 'process lives are read from /proc (Linux only)' }, async () => {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  const pid = child.pid!;
  try {
    const life = processLife(pid)!;
    assert.ok(life, 'the child\'s life');
    assert.deepEqual(processLife(pid), life, 'the same process, the same life');
    assert.notEqual(life.start, undefined);
    assert.ok(lockHolderRunning({ pid, life }), 'the writer runs');
    assert.ok(lockHolderRunning({ pid }), 'a bare pid is judged by the pid alone');
    assert.ok(!lockHolderRunning({ pid, life: { ...life, start: String(Number(life.start) - 1) } }), 'an earlier process with this pid');
    assert.ok(!lockHolderRunning({ pid, life: { ...life, boot: 'an-earlier-boot' } }), 'written before this machine rebooted');
    // Another host (a network drive) or pid namespace (a container): only the pid tells.
    const wrongStart = String(Number(life.start) - 1);
    assert.ok(lockHolderRunning({ pid, life: { ...life, start: wrongStart, host: 'another-host', boot: 'its-boot' } }));
    assert.ok(lockHolderRunning({ pid, life: { ...life, start: wrongStart, pidNamespace: '1' } }));
  } finally { await killed(child); }
  assert.ok(!lockHolderRunning({ pid }), 'a dead pid holds nothing');
  assert.ok(!lockHolderRunning({ pid, life: { ...processLife(process.pid)!, start: '1' } }), 'nor a dead pid with its life');
});
