/**
 * The CLI as a process (bin/deployctl.mjs, as `npx deployctl` runs it), against a real gateway
 * listening on a local port that tests can restart on the same port, with a real Temporal worker.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import type { OperationDeps } from '../../../src/activities/operation-context';
import { useTemporal, type TemporalFixture } from '../../../support/temporal';
import { testApi } from '../../api/helpers/app';
import type { Http } from '../../api/helpers/http';
import { recordsSettled } from '../../helpers/records-settled';

const BIN = join(__dirname, '../../../bin/deployctl.mjs');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCli {
  /** Resolves once stdout holds `text`. */
  printed(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Writes to its standard input (on a terminal: as typed). */
  type(text: string): void;
  readonly done: Promise<CliResult>;
}

const cliEnv = (env: Record<string, string>) => ({
  ...process.env,
  NO_COLOR: '1',
  HOME: join(tmpdir(), 'deployctl-no-home'),
  ...env,
});

function watchCli(child: ChildProcessWithoutNullStreams): RunningCli {
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    waiters.forEach((check) => check());
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return {
    done,
    type: (text) => child.stdin.write(text),
    printed: (text, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${String(text)} in:\n${stdout}\nstderr:\n${stderr}`)),
          timeoutMs,
        );
        const check = () => {
          if (typeof text === 'string' ? stdout.includes(text) : text.test(stdout)) {
            clearTimeout(timer);
            resolve();
          }
        };
        waiters.push(check);
        check();
      }),
  };
}

export function startCli(args: readonly string[], env: Record<string, string> = {}, stdin?: string): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], { env: cliEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(stdin ?? '');
  return watchCli(child);
}

/**
 * The CLI on a terminal: a pseudo-terminal of 120 columns from util-linux `script`, whose stdout
 * carries what the terminal shows (stdout and stderr) and whose stdin is typed on the keyboard.
 * `exec`: without it /bin/sh (dash, where SHELL is unset, as on CI) stays in between and dies of
 * the terminal's signals.
 */
export function startCliOnTerminal(args: readonly string[], env: Record<string, string> = {}): RunningCli {
  const command = [process.execPath, BIN, ...args].map((arg) => JSON.stringify(arg)).join(' ');
  const child = spawn('script', ['-qfec', `stty cols 120 rows 40; exec ${command}`, '/dev/null'], {
    env: { TERM: 'xterm-256color', ...cliEnv(env) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return watchCli(child);
}

export const runCli = (args: readonly string[], env: Record<string, string> = {}, stdin?: string) =>
  startCli(args, env, stdin).done;

/** The gateway on a local port; `restart` closes it (dropping open streams) and listens on the same port again. */
export class Gateway {
  private server: Server | undefined;
  private port = 0;

  constructor(private readonly app: Express) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    const server = this.app.listen(this.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }

  async restart(downForMs: number): Promise<void> {
    await this.close();
    await new Promise((resolve) => setTimeout(resolve, downForMs));
    await this.listen();
  }
}

export interface CliBed {
  readonly temporal: TemporalFixture;
  readonly gateway: Gateway;
  /** Runs the CLI against the gateway (DEPLOY_URL). */
  cli(args: readonly string[], stdin?: string): Promise<CliResult>;
  start(args: readonly string[], env?: Record<string, string>): RunningCli;
  /** Starts the CLI on a pseudo-terminal (startCliOnTerminal). */
  onTerminal(args: readonly string[], env?: Record<string, string>): RunningCli;
  /** The API in the test's process (waitForRun takes it). */
  readonly api: Http;
  /** GET of the API, its JSON body. */
  get<T = Record<string, unknown>>(path: string): Promise<T>;
  /** Writes a config to a file of the test's folder; its path. */
  file(name: string, content: unknown): Promise<string>;
}

/** For a test file: a worker, the real API on a local port, a folder for config files. */
export function useCliBed(operations?: OperationDeps): CliBed {
  let gateway: Gateway | undefined;
  let api: Http | undefined;
  let dir = '';
  const since = new Date();
  // Declared before useTemporal's: jest runs afterAll hooks in declaration order, and the gateway
  // must settle and close while the worker and client still run.
  afterAll(async () => {
    if (api) await recordsSettled(api, since);
    await gateway?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const temporal = useTemporal(operations ? { deps: operations } : {});
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deployctl-'));
    api = testApi({
      client: temporal.client,
      taskQueue: temporal.worker.taskQueue,
      ...(operations ? { operations } : {}),
    });
    gateway = new Gateway(api.app);
    await gateway.listen();
  });
  const env = () => ({ DEPLOY_URL: (gateway as Gateway).url });
  return {
    temporal,
    get gateway() {
      return gateway as Gateway;
    },
    cli: (args, stdin) => runCli(args, env(), stdin),
    start: (args, extra = {}) => startCli(args, { ...env(), ...extra }),
    onTerminal: (args, extra = {}) => startCliOnTerminal(args, { ...env(), ...extra }),
    get api() {
      return api as Http;
    },
    get: async <T>(path: string) => (await (api as Http).get(path)).body as T,
    async file(name, content) {
      const path = join(dir, name);
      await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
      return path;
    },
  };
}
