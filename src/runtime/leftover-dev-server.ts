/**
 * A Temporal dev server that outlived its `npm start`. main.ts runs the server in its own process
 * group, so that a terminal's Ctrl-C reaches main.ts alone and it can stop things in order; the
 * price is that a hard kill of main.ts (SIGKILL, the OOM killer, a crash) leaves the server
 * running, holding its ports and the SQLite file. So while it runs, the server's pid, command line
 * and owner are recorded in a file (dev-server.ts writes it), and the next start reads it: a server
 * whose owner is gone is stopped, one whose owner still runs is not shared (two servers on one
 * SQLite file would corrupt it).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

export interface DevServerRecord {
  /** The server's pid, the leader of its own process group. */
  readonly pid: number;
  /** Its command line as `ps` shows it (arguments joined by spaces), so a reused pid is not taken for it. */
  readonly command: string;
  /** The process that started it. */
  readonly owner: number;
}

export class DevServerInUseError extends Error {
  override readonly name = 'DevServerInUseError';
}

const STOP_WAIT_MS = 5_000;
/** Without headers: parent pid, state (Z: zombie), command line. */
const PS_COLUMNS = ['-o', 'ppid=', '-o', 'stat=', '-o', 'args='];

export function writeDevServerRecord(file: string, record: DevServerRecord): void {
  writeFileSync(file, `${JSON.stringify(record)}\n`);
}

export function removeDevServerRecord(file: string): void {
  rmSync(file, { force: true });
}

function readRecord(file: string): DevServerRecord | null {
  if (!existsSync(file)) return null;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevServerRecord>;
    const { pid, command, owner } = parsed;
    return Number.isInteger(pid) && Number.isInteger(owner) && typeof command === 'string'
      ? { pid: pid as number, command, owner: owner as number }
      : null;
  } catch {
    return null;
  }
}

/**
 * A live process's parent and command line; null when it is gone or a zombie, or when `ps` cannot
 * tell (then a server still holding the port is reported by startDevServer's port check).
 */
async function processInfo(pid: number): Promise<{ ppid: number; command: string } | null> {
  try {
    const { stdout } = await promisify(execFile)('ps', ['-ww', ...PS_COLUMNS, '-p', String(pid)]);
    const match = /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(stdout.trimEnd());
    if (!match || match[2]?.startsWith('Z')) return null;
    return { ppid: Number(match[1]), command: match[3] ?? '' };
  } catch {
    return null;
  }
}

/**
 * Before a start: stops the dev server recorded in `file` if the start that ran it is gone, and
 * says so (null when nothing was left). Throws DevServerInUseError when that start still runs.
 */
export async function stopLeftoverDevServer(file: string): Promise<string | null> {
  const record = readRecord(file);
  if (!record) return null;
  const info = await processInfo(record.pid);
  if (info?.command !== record.command) {
    removeDevServerRecord(file);
    return null;
  }
  if (info.ppid === record.owner)
    throw new DevServerInUseError(
      `another start (pid ${record.owner}) runs the Temporal dev server recorded in ${file} (pid ${record.pid}): ` +
        'stop that one first, or give this one a DATA_DIR of its own',
    );
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    try {
      process.kill(-record.pid, signal);
    } catch {
      // The group is already gone.
    }
    const deadline = Date.now() + STOP_WAIT_MS;
    while ((await processInfo(record.pid)) && Date.now() < deadline) await sleep(100);
    if (!(await processInfo(record.pid))) {
      removeDevServerRecord(file);
      return `stopped the Temporal dev server (pid ${record.pid}) that an earlier start left running when it was killed (it held the ports and the SQLite file)`;
    }
  }
  throw new DevServerInUseError(
    `the Temporal dev server (pid ${record.pid}) an earlier start left running does not stop; kill it by hand`,
  );
}
