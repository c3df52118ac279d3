/**
 * A process of the local cluster (PostgreSQL, the Temporal server, a worker, an API instance):
 * started in its own process group, so a terminal's Ctrl-C reaches only `npm run cluster`, which
 * then stops them in order; its output appended to a log file or handed over line by line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, openSync } from 'node:fs';

export interface ChildOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly cwd?: string | undefined;
  /** Run as this user (PostgreSQL refuses to run as root). */
  readonly user?: { readonly uid: number; readonly gid: number } | undefined;
  /** Output appended here; otherwise each line goes to `onLine`. */
  readonly logFile?: string | undefined;
  readonly onLine?: ((line: string) => void) | undefined;
}

export interface Child {
  readonly name: string;
  readonly pid: number;
  /** The log file, and its size when this process started (what it writes is after that). */
  readonly log: { readonly file: string; readonly from: number } | null;
  /** Settles when the process ends, telling how (`code 0`, `signal SIGKILL`, …). */
  readonly exited: Promise<string>;
  running(): boolean;
  /** `signal` (SIGTERM by default), then SIGKILL after `graceMs`; resolves when it is gone. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const DEFAULT_GRACE_MS = 20_000;

export function startChild(options: ChildOptions): Child {
  const fd = options.logFile ? openSync(options.logFile, 'a') : null;
  const log = options.logFile && fd !== null ? { file: options.logFile, from: fstatSync(fd).size } : null;
  const child: ChildProcess = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'],
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
  });
  if (fd !== null) closeSync(fd);
  if (fd === null && options.onLine) forwardLines(child, options.onLine);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`));
    child.once('error', (err) => resolve(`failed to start: ${err.message}`));
  });
  const running = (): boolean => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  return {
    name: options.name,
    pid: child.pid ?? -1,
    log,
    exited,
    running,
    async stop(signal = 'SIGTERM', graceMs = DEFAULT_GRACE_MS) {
      if (!running()) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

function forwardLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    stream?.on('end', () => pending && onLine(pending));
  }
}
