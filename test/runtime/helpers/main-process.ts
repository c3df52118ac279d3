/** `npm start`'s process (src/main.ts) for tests: started as package.json starts it, its output collected. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { acceptsTcp } from '../../../src/runtime/free-port';

export const ROOT = join(__dirname, '..', '..', '..');

export interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** The exit code, or 128 + the signal's number. */
  readonly exit: Promise<number | null>;
}

/** Collects a child's stdout and stderr and its exit. */
export function watch(child: ChildProcess): Started {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** `node --import tsx src/main.ts`, what `npm start` runs after its setup. */
export const startMain = (env: Record<string, string>): Started =>
  watch(
    spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );

export async function waitFor(started: Started, pattern: RegExp, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(started.output())) {
    if (started.child.exitCode !== null)
      throw new Error(`main exited (${started.child.exitCode}) before ${pattern}:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} after ${timeoutMs} ms:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** main.ts's line once everything runs. */
export const READY = /^API +http:\/\/\S+/m;

export const listening = (port: number): Promise<boolean> => acceptsTcp('127.0.0.1', port);
