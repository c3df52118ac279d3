/**
 * The record a dev server leaves in DATA_DIR, read by the next start (leftover-dev-server.ts), with
 * stand-in processes: a recorded server whose owner is gone is stopped (its whole process group),
 * one whose owner runs is refused, and a record of a process that is gone or is now another
 * program is dropped without touching anything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DevServerInUseError,
  stopLeftoverDevServer,
  writeDevServerRecord,
} from '../../src/runtime/leftover-dev-server';

let dir: string;
let file: string;
const started: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'leftover-test-'));
  file = join(dir, 'temporal-server.json');
});
afterEach(() => {
  for (const child of started.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const SLEEP = ['sleep', '300'] as const;
const COMMAND = SLEEP.join(' ');

/** A stand-in server (`sleep`), leading its own process group as the dev server does. */
function standIn(): ChildProcess & { pid: number } {
  const child = spawn(SLEEP[0], [SLEEP[1]], { detached: true, stdio: 'ignore' });
  started.push(child);
  if (child.pid === undefined) throw new Error('could not start sleep');
  return child as ChildProcess & { pid: number };
}

const exited = (child: ChildProcess): Promise<unknown> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', resolve));

describe('stopLeftoverDevServer', () => {
  it('finds nothing without a record', async () => {
    await expect(stopLeftoverDevServer(file)).resolves.toBeNull();
  });

  it('stops a recorded server whose owner is gone, and drops the record', async () => {
    const server = standIn();
    writeDevServerRecord(file, { pid: server.pid, command: COMMAND, owner: 999_999_999 });
    const said = await stopLeftoverDevServer(file);
    expect(said).toContain(`stopped the Temporal dev server (pid ${server.pid}) that an earlier start left running`);
    await exited(server);
    expect(server.signalCode).toBe('SIGTERM');
    expect(existsSync(file)).toBe(false);
  });

  it('refuses to start beside the start that still runs the recorded server', async () => {
    const server = standIn();
    writeDevServerRecord(file, { pid: server.pid, command: COMMAND, owner: process.pid });
    const refused = stopLeftoverDevServer(file);
    await expect(refused).rejects.toThrow(DevServerInUseError);
    await expect(refused).rejects.toThrow(`another start (pid ${process.pid}) runs the Temporal dev server`);
    expect(server.exitCode === null && server.signalCode === null).toBe(true);
    expect(existsSync(file)).toBe(true);
  });

  it('drops a record whose pid now runs another program, leaving that program alone', async () => {
    const other = standIn();
    writeDevServerRecord(file, {
      pid: other.pid,
      command: 'temporal server start-dev --port 7233',
      owner: 999_999_999,
    });
    await expect(stopLeftoverDevServer(file)).resolves.toBeNull();
    expect(other.exitCode === null && other.signalCode === null).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('drops a record of a process that is gone', async () => {
    const gone = standIn();
    gone.kill('SIGKILL');
    await exited(gone);
    writeDevServerRecord(file, { pid: gone.pid, command: COMMAND, owner: 999_999_999 });
    await expect(stopLeftoverDevServer(file)).resolves.toBeNull();
    expect(existsSync(file)).toBe(false);
  });
});
