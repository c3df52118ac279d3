/**
 * The embedded Temporal dev server (`temporal server start-dev`) as a child process: bound to
 * 127.0.0.1, with the workflow's search attributes registered at launch, the server settings a run's
 * step latency needs (server-tuning.ts), SQLite persistence when
 * a file is given, and the Web UI unless headless. Resolves once a gRPC client can reach the
 * namespace; a server that exits first is reported with the start and the end of its output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../workflows/messages';
import { acceptsTcp, freePort } from './free-port';
import { removeDevServerRecord, writeDevServerRecord } from './leftover-dev-server';
import { dynamicConfigFlags, SERVER_TUNING } from './server-tuning';

export interface DevServerOptions {
  readonly cliPath: string;
  /** gRPC port; 0 or omitted picks a free one. */
  readonly port?: number | undefined;
  /** Web UI port; null runs headless; 0 or omitted picks a free one. */
  readonly uiPort?: number | null | undefined;
  /** SQLite file for state that survives a restart; omitted or null keeps it in memory. */
  readonly dbFile?: string | null | undefined;
  /** Created at launch besides `default`. */
  readonly namespace?: string | undefined;
  /** Dynamic config values; default SERVER_TUNING (the bench passes Temporal's defaults to show what they cost). */
  readonly dynamicConfig?: Readonly<Record<string, number | boolean>> | undefined;
  /**
   * Server stdout/stderr are appended here, by the server itself: with no pipe to this process, a
   * server that outlives a hard kill of it is not killed by its next write (SIGPIPE) but stays for
   * the next start to stop (leftover-dev-server.ts).
   */
  readonly logFile?: string | undefined;
  /** How long to wait for the server to answer (default 60 s). */
  readonly startTimeoutMs?: number | undefined;
  /**
   * Run the server in its own process group so a terminal Ctrl-C does not reach it and the caller
   * can stop things in order (main.ts). It is still killed when this process exits normally; for a
   * hard kill, it is recorded in `recordFile` while it runs (see leftover-dev-server.ts).
   */
  readonly ownProcessGroup?: { readonly recordFile: string } | undefined;
}

export interface DevServer {
  /** `127.0.0.1:PORT` */
  readonly address: string;
  readonly uiUrl: string | null;
  /** The server's process id (the bench reads its CPU time). */
  readonly pid: number | undefined;
  /** Settles when the process ends, telling how (`code 0`, `signal SIGTERM`, …). */
  readonly exited: Promise<string>;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. Idempotent. */
  stop(): Promise<void>;
}

export class DevServerStartError extends Error {
  override readonly name = 'DevServerStartError';
}

const HOST = '127.0.0.1';
const STOP_GRACE_MS = 5_000;
/** A failed start shows this much of the output's start (a Go panic's reason) and end (its last words). */
const HEAD_BYTES = 1_500;
const TAIL_BYTES = 3_000;

/** Starts on ports of our choosing this many times at most: another process may bind one between the pick and the start. */
const PICKED_PORT_STARTS = 3;

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const picksPorts = !options.port && !options.uiPort; // a null uiPort is headless: no port at all
  for (let start = 1; ; start += 1) {
    try {
      return await startOnce(options);
    } catch (err) {
      const portTaken = err instanceof DevServerStartError && /address already in use/.test(err.message);
      if (!(picksPorts && portTaken && start < PICKED_PORT_STARTS)) throw err;
    }
  }
}

async function startOnce(options: DevServerOptions): Promise<DevServer> {
  const port = options.port || (await freePort());
  const uiPort = options.uiPort === null ? null : options.uiPort || (await freePort());
  const namespace = options.namespace ?? 'default';
  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(port), '--log-level', 'warn'];
  args.push(...(uiPort === null ? ['--headless'] : ['--ui-port', String(uiPort), '--ui-disable-news-fetch']));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (namespace !== 'default') args.push('--namespace', namespace);
  for (const name of Object.values(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=Keyword`);
  args.push(...dynamicConfigFlags(options.dynamicConfig ?? SERVER_TUNING));
  for (const [what, taken, variable] of [
    ['gRPC', options.port, 'TEMPORAL_PORT'],
    ['Web UI', options.uiPort, 'TEMPORAL_UI_PORT'],
  ] as const)
    if (taken && (await acceptsTcp(HOST, taken)))
      throw new DevServerStartError(
        `the Temporal dev server's ${what} port ${HOST}:${taken} is in use by another program: ` +
          `stop it, or choose another port (${variable} for npm start)`,
      );

  const group = options.ownProcessGroup;
  const output = captureOutput(options.logFile);
  const child = spawn(options.cliPath, args, { stdio: ['ignore', ...output.stdio], detached: group !== undefined });
  output.spawned(child);
  if (group && child.pid)
    writeDevServerRecord(group.recordFile, {
      pid: child.pid,
      command: [options.cliPath, ...args].join(' '),
      owner: process.pid,
    });
  const forget = (): void => {
    if (group) removeDevServerRecord(group.recordFile);
  };
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${String(code)}`));
    child.once('error', (err) => resolve(`spawn error: ${err.message}`));
  });
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    forget();
  };
  process.once('exit', killOnExit);

  const address = `${HOST}:${port}`;
  const stop = once(async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    forget();
  });

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  const giveUp = new AbortController();
  const outcome = await Promise.race([
    waitUntilServing(address, namespace, deadline, giveUp.signal).then(() => ({ ok: true as const })),
    exited.then((how) => ({ ok: false as const, why: `exited (${how}) before it was ready` })),
  ]).catch((err: unknown) => ({ ok: false as const, why: err instanceof Error ? err.message : String(err) }));
  giveUp.abort();
  if (!outcome.ok) {
    await stop();
    const said = output.excerpt().trim();
    throw new DevServerStartError(
      `Temporal dev server (${options.cliPath}) on ${address} ${outcome.why}` + (said ? `; its output:\n${said}` : ''),
    );
  }
  return { address, uiUrl: uiPort === null ? null : `http://${HOST}:${uiPort}`, pid: child.pid, exited, stop };
}

/**
 * Polls until the port accepts TCP (cheap and cancellable), then until a gRPC client reaches the
 * namespace; throws at the deadline. gRPC is only tried against a listening port because an
 * unanswered connect attempt keeps its timer alive for the whole connect timeout.
 */
async function waitUntilServing(
  address: string,
  namespace: string,
  deadline: number,
  signal: AbortSignal,
): Promise<void> {
  const [host = HOST, port = ''] = address.split(':');
  let lastError = 'no attempt';
  while (Date.now() < deadline && !signal.aborted) {
    if (await acceptsTcp(host, Number(port))) {
      try {
        const connection = await Connection.connect({ address, connectTimeout: 2_000 });
        try {
          await connection.workflowService.describeNamespace({ namespace });
          return;
        } finally {
          await connection.close();
        }
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
      }
    } else {
      lastError = `nothing listens on ${address}`;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`did not answer in time (last error: ${lastError})`);
}

interface CapturedOutput {
  /** The server's stdout and stderr: the log file's descriptor, or pipes. */
  readonly stdio: readonly ['pipe', 'pipe'] | readonly [number, number];
  /** Called once the server runs: closes this process's copy of the descriptor, or starts reading the pipes. */
  spawned(child: ChildProcess): void;
  /** The first and last few KB the server wrote, for error messages. */
  excerpt(): string;
}

/** The server's output: written to the log file by the server itself when there is one, else kept from pipes. */
function captureOutput(logFile: string | undefined): CapturedOutput {
  if (logFile) {
    const fd = openSync(logFile, 'a');
    const start = statSync(logFile).size;
    return {
      stdio: [fd, fd],
      spawned: () => closeSync(fd),
      excerpt: () => readExcerpt(logFile, start),
    };
  }
  let head = '';
  let tail = '';
  let skipped = false;
  const onData = (chunk: Buffer): void => {
    let text = chunk.toString('utf8');
    if (head.length < HEAD_BYTES) {
      const room = HEAD_BYTES - head.length;
      head += text.slice(0, room);
      text = text.slice(room);
    }
    const kept = tail + text;
    if (kept.length > TAIL_BYTES) skipped = true;
    tail = kept.slice(-TAIL_BYTES);
  };
  return {
    stdio: ['pipe', 'pipe'],
    spawned: (child) => {
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
    },
    excerpt: () => head + (skipped ? '\n[…]\n' : '') + tail,
  };
}

/** What the file gained after offset `start`: its first HEAD_BYTES and last TAIL_BYTES. */
function readExcerpt(file: string, start: number): string {
  const fd = openSync(file, 'r');
  const read = (from: number, to: number): string => {
    const buffer = Buffer.alloc(Math.max(0, to - from));
    readSync(fd, buffer, 0, buffer.length, from);
    return buffer.toString('utf8');
  };
  try {
    const end = statSync(file).size;
    const headEnd = Math.min(end, start + HEAD_BYTES);
    const tailStart = Math.max(headEnd, end - TAIL_BYTES);
    return read(start, headEnd) + (tailStart > headEnd ? '\n[…]\n' : '') + read(tailStart, end);
  } finally {
    closeSync(fd);
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
