/**
 * A worker in its own OS process (`src/main-worker.ts`), so a test can kill it like a crash
 * (SIGKILL: no shutdown, no goodbye) and start another.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

export interface WorkerProcess {
  readonly pid: number;
  /** Resolves once the worker says it is polling. */
  readonly ready: Promise<void>;
  /** Everything the worker printed so far (stdout and stderr). */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main-worker.ts')], {
    cwd: ROOT,
    env: { ...process.env, WORKFLOW_BUNDLE_PATH: process.env['TEST_WORKFLOW_BUNDLE'] ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker polling')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before polling:\n${output.slice(-2_000)}`)));
  });
  return {
    pid: child.pid as number,
    ready,
    output: () => output,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
