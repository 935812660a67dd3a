// Runs a test stage as its own process group with a deadline, so that one hung test (a server that
// never answers, a child that never exits) fails the stage with a message instead of holding CI until
// its overall limit. Whatever the stage leaves behind (servers, editors) is killed when it ends.
import { spawn } from 'node:child_process';

/**
 * Spawns `command args` detached (a new process group). Resolves with its exit code, or 124 after
 * `deadlineMs`, when the whole group is killed. `onSpawn` gets the child (to read piped output).
 */
export function runGroup(command, args, { deadlineMs, label, onSpawn, ...options }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, detached: true });
    const killGroup = (signal) => { try { process.kill(-child.pid, signal); } catch { /* already gone */ } };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.log(`\n${label}: still running after ${deadlineMs >= 120_000 ? `${Math.round(deadlineMs / 60_000)} min` : `${Math.round(deadlineMs / 1000)} s`}; stopping it (and every process it started)`);
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 5000).unref();
    }, deadlineMs);
    // The group is detached, so Ctrl-C or a kill no longer reaches it by itself: pass them on.
    const onParentExit = () => killGroup('SIGKILL');
    const onSignal = (signal) => { killGroup('SIGKILL'); process.exit(signal === 'SIGINT' ? 130 : 143); };
    process.on('exit', onParentExit);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    onSpawn?.(child);
    // 'exit', not 'close': a leftover holding the stage's stdout would delay 'close' forever.
    child.on('exit', () => { clearTimeout(timer); killGroup('SIGKILL'); });   // leftovers of a finished stage
    child.on('close', (code, signal) => {
      process.off('exit', onParentExit);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(timedOut ? 124 : code ?? (signal ? 1 : 0));
    });
  });
}
