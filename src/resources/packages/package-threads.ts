/**
 * Step-package operations run on a thread of their package version's own (package-thread.ts), so
 * a package's code cannot stall the worker: a thread that leaves its pings unanswered for
 * PACKAGE_BLOCK_LIMIT_MS (a busy loop) is stopped, and the operations it was running fail their
 * nodes, saying so; the next operation of that version starts a new thread. Log lines and
 * heartbeats come back to the operation's context; the context's abort is passed on. A thread
 * with nothing to do for IDLE_MS stops, and none keeps the process alive.
 */
import { extname, join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { loadEnv } from '../../config/env';
import { OperationError, type ErrorType } from '../../providers/operation-error';
import type { PackageTarget } from '../../sdk';
import type { OperationContext } from '../resource-type';
import { packageStore } from './package-store';
import type { FromThread, PackageOperation, ThreadError, ToThread } from './package-thread-messages';
import type { PackageOrigin } from './packaged-type';

const ENTRY = join(__dirname, `package-thread${extname(__filename)}`);
const WORKER_OPTIONS: WorkerOptions =
  extname(__filename) === '.ts' ? { execArgv: ['--require', require.resolve('tsx/cjs')] } : {};
const PING_MS = 500;
const IDLE_MS = 60_000;

interface Call {
  readonly ctx: OperationContext;
  readonly type: string;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

const fromThread = (error: ThreadError): Error =>
  error.operationError
    ? new OperationError(error.operationError.type as ErrorType, error.message, {
        retryable: error.operationError.retryable,
        ...(error.operationError.retryAfterMs === undefined ? {} : { retryAfterMs: error.operationError.retryAfterMs }),
      })
    : new Error(error.message);

class PackageThread {
  private readonly worker: Worker;
  private readonly calls = new Map<number, Call>();
  private nextId = 1;
  private answeredAt = Date.now();
  /** Its pings count once it has loaded the version (starting a thread under load takes a while). */
  private ready = false;
  private readonly pinger: NodeJS.Timeout;
  private idleTimer: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(
    private readonly origin: PackageOrigin,
    private readonly blockLimitMs: number,
    private readonly onEnd: () => void,
  ) {
    this.worker = new Worker(ENTRY, { ...WORKER_OPTIONS, workerData: { dir: packageStore().dir, hash: origin.hash } });
    this.worker.on('message', (message: FromThread) => this.receive(message));
    this.worker.on('error', (err) =>
      this.end(new Error(`package "${origin.name}" failed on its thread: ${err.message}`)),
    );
    this.worker.on('exit', (code) => this.end(new Error(`package "${origin.name}"'s thread exited (code ${code})`)));
    // After the listeners: adding a 'message' listener refs the thread again.
    this.worker.unref();
    this.pinger = setInterval(() => this.ping(), PING_MS).unref();
  }

  run(
    type: string,
    operation: PackageOperation,
    ctx: OperationContext,
    target: PackageTarget<unknown>,
    extra: unknown,
  ): Promise<unknown> {
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    if (this.calls.size === 0) this.answeredAt = Date.now();
    return new Promise((resolve, reject) => {
      this.calls.set(id, { ctx, type, resolve, reject });
      const cancel = (): void => this.post({ kind: 'cancel', id });
      ctx.signal.addEventListener('abort', cancel, { once: true });
      this.post({ kind: 'call', id, type, operation, target, extra, attempt: ctx.attempt });
    });
  }

  private post(message: ToThread): void {
    if (!this.ended) this.worker.postMessage(message);
  }

  private receive(message: FromThread): void {
    this.answeredAt = Date.now();
    if (message.kind === 'ready') this.ready = true;
    if (message.kind === 'pong' || message.kind === 'ready') return;
    const call = this.calls.get(message.id);
    if (!call) return;
    if (message.kind === 'log') call.ctx.log(message.message);
    else if (message.kind === 'heartbeat') call.ctx.heartbeat(message.details);
    else {
      this.calls.delete(message.id);
      if (message.kind === 'done') call.resolve(message.value);
      else call.reject(fromThread(message.error));
      if (this.calls.size === 0) this.idleTimer = setTimeout(() => this.stop(new Error('idle')), IDLE_MS).unref();
    }
  }

  private ping(): void {
    if (this.calls.size === 0 || !this.ready) return;
    if (Date.now() - this.answeredAt <= this.blockLimitMs) return this.post({ kind: 'ping' });
    const { name, version } = this.origin;
    const types = [...new Set([...this.calls.values()].map((c) => c.type))].join(', ');
    this.stop(
      new OperationError(
        'operation_failed',
        `${types} (package "${name}" version ${version}): its code kept its thread busy for more than ` +
          `${this.blockLimitMs / 1000} s without yielding (a busy loop?); the thread was stopped`,
        { retryable: false },
      ),
    );
  }

  /** Ends it here first (no call is posted to a thread that is going), then stops the thread. */
  private stop(err: Error): void {
    this.end(err);
    void this.worker.terminate();
  }

  private end(err: Error): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.pinger);
    clearTimeout(this.idleTimer);
    for (const call of this.calls.values()) call.reject(err);
    this.calls.clear();
    this.onEnd();
  }
}

const threads = new Map<string, PackageThread>();

/** Runs one operation of a packaged type on its version's thread (started if there is none). */
export function runOnThread(
  origin: PackageOrigin,
  type: string,
  operation: PackageOperation,
  ctx: OperationContext,
  target: PackageTarget<unknown>,
  extra: unknown = null,
): Promise<unknown> {
  let thread = threads.get(origin.hash);
  if (!thread) {
    const created: PackageThread = new PackageThread(origin, loadEnv().PACKAGE_BLOCK_LIMIT_MS, () => {
      if (threads.get(origin.hash) === created) threads.delete(origin.hash);
    });
    threads.set(origin.hash, created);
    thread = created;
  }
  return thread.run(type, operation, ctx, target, extra);
}
