/**
 * How `npm start` ends and what the next start finds: one Ctrl-C stops everything in order even
 * when it arrives twice (the terminal signals the whole process group, and npm forwards it); a
 * hard kill leaves the dev server running in its own process group, and the next start stops it
 * and says so (leftover-dev-server.test.ts has the other cases of that record).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/runtime/free-port';
import { listening, READY, ROOT, startMain, waitFor, watch, type Started } from './helpers/main-process';
import { isRunning } from '../../src/runtime/cluster/leftovers';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'main-stop-test-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function environment(): Promise<Record<string, string>> {
  return {
    PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    TASK_QUEUE: 'main-stop-test',
    LOG_LEVEL: 'warn',
    WORKFLOW_BUNDLE_PATH: process.env['TEST_WORKFLOW_BUNDLE'] ?? '',
  };
}

/** Stops a start with SIGTERM (if it still runs) and expects a clean, ordered stop. */
async function stopCleanly(started: Started): Promise<void> {
  started.child.kill('SIGTERM');
  expect(await started.exit).toBe(0);
  expect(started.output()).toMatch(/\nstopped\n/);
}

describe('stopping npm start', () => {
  it('stops in order on one Ctrl-C to `npm start` (SIGINT to its process group), and frees every port', async () => {
    const env = await environment();
    const npm = watch(
      spawn('npm', ['start'], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      }),
    );
    const group = npm.child.pid;
    if (group === undefined) throw new Error(`npm did not start:\n${npm.output()}`);
    try {
      await waitFor(npm, READY, 180_000);
    } finally {
      process.kill(-group, 'SIGINT');
    }
    await npm.exit;
    expect(npm.output()).toMatch(/SIGINT: stopping[\s\S]*\nstopped\n/);
    expect(npm.output()).not.toContain('exiting now');
    for (const port of ['PORT', 'TEMPORAL_PORT', 'TEMPORAL_UI_PORT'])
      expect([port, await listening(Number(env[port]))]).toEqual([port, false]);
  });

  it("takes the same signal delivered twice (the shell execs npm start's script) as one Ctrl-C", async () => {
    const started = startMain(await environment());
    await waitFor(started, READY);
    started.child.kill('SIGINT');
    await waitFor(started, /SIGINT: stopping/);
    started.child.kill('SIGINT');
    expect(await started.exit).toBe(0);
    expect(started.output()).toMatch(/SIGINT: stopping[\s\S]*\nstopped\n/);
    expect(started.output()).not.toContain('exiting now');
  });
});

describe('after a hard kill', () => {
  it('the next start stops the dev server the killed one left running, says so, and starts', async () => {
    const env = await environment();
    const first = startMain(env);
    await waitFor(first, READY);
    const record = JSON.parse(readFileSync(join(dataDir, 'temporal-server.json'), 'utf8')) as { pid: number };
    first.child.kill('SIGKILL');
    await first.exit;
    // Its own process group kept it from the kill: it still holds the port.
    expect(isRunning(record.pid)).toBe(true);
    expect(await listening(Number(env['TEMPORAL_PORT']))).toBe(true);
    // It writes its log itself: a pipe to the killed start would kill it (SIGPIPE) at its next line.
    for (const fd of [1, 2]) expect(readlinkSync(`/proc/${record.pid}/fd/${fd}`)).toBe(join(dataDir, 'temporal.log'));

    const second = startMain(env);
    try {
      await waitFor(second, READY);
      expect(second.output()).toContain(
        `stopped the Temporal dev server (pid ${record.pid}) that an earlier start left running when it was killed`,
      );
      expect(isRunning(record.pid)).toBe(false);
    } finally {
      await stopCleanly(second);
    }
    expect(await listening(Number(env['TEMPORAL_PORT']))).toBe(false);
  });
});
