/**
 * A small fixed pool of worker threads for the CPU-heavy part of requests that carry large
 * configs (JSON, validation, graph, plan), so the event loop keeps answering every other request
 * (GET /health among them) meanwhile. One job per thread at a time; threads start on first use
 * and stop after OFFLOAD_IDLE_MS idle; jobs wait in a bounded queue, and one more is a 429 `busy`.
 * A thread that dies fails its job (a 500) and the next job starts another. An idle thread does
 * not keep the process alive. From source (npm start, jest) a thread loads TypeScript through
 * tsx's require hook; built (npm run build), it is plain JS.
 */
import { extname, join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { ApiError } from '../errors/api-errors';
import type { JobKind, JobMessage, Jobs } from './jobs';
import { OFFLOAD_IDLE_MS, OFFLOAD_MAX_QUEUED, OFFLOAD_THREADS } from './settings';

const ENTRY = join(__dirname, `thread${extname(__filename)}`);
const WORKER_OPTIONS: WorkerOptions =
  extname(__filename) === '.ts' ? { execArgv: ['--require', require.resolve('tsx/cjs')] } : {};

export interface PoolOptions {
  readonly threads: number;
  readonly maxQueued: number;
  readonly idleMs: number;
}

interface Pending {
  readonly message: JobMessage;
  readonly transfer: ArrayBuffer[];
  resolve(answer: unknown): void;
  reject(err: Error): void;
}

type ThreadReply = { readonly answer: unknown } | { readonly error: string };

export class OffloadPool {
  private readonly workers = new Set<Worker>();
  private readonly idle = new Map<Worker, NodeJS.Timeout>();
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];

  constructor(private readonly options: PoolOptions) {}

  /** Runs a job on a thread; `transfer` moves those buffers to it instead of copying them. */
  run<K extends JobKind>(kind: K, input: Jobs[K]['input'], transfer: ArrayBuffer[] = []): Promise<Jobs[K]['answer']> {
    if (this.queue.length >= this.options.maxQueued) {
      const waiting = `${this.queue.length} large request bodies wait to be read already`;
      return Promise.reject(new ApiError(429, 'busy', `${waiting}: retry in a second`, null, { 'Retry-After': '1' }));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ message: { kind, input }, transfer, resolve: resolve as (answer: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Stops every thread (tests; a served process just exits). */
  async close(): Promise<void> {
    await Promise.all([...this.workers].map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    for (let next = this.queue[0]; next !== undefined; next = this.queue[0]) {
      const worker = this.idleThread() ?? this.newThread();
      if (!worker) return;
      this.queue.shift();
      this.busy.set(worker, next);
      worker.ref();
      worker.postMessage(next.message, next.transfer);
    }
  }

  private idleThread(): Worker | undefined {
    const [worker, timer] = this.idle.entries().next().value ?? [];
    if (!worker) return undefined;
    clearTimeout(timer);
    this.idle.delete(worker);
    return worker;
  }

  private newThread(): Worker | undefined {
    if (this.workers.size >= this.options.threads) return undefined;
    const worker = new Worker(ENTRY, WORKER_OPTIONS);
    this.workers.add(worker);
    worker.on('message', (reply: ThreadReply) => {
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      worker.unref();
      this.idle.set(worker, setTimeout(() => this.retire(worker), this.options.idleMs).unref());
      if ('answer' in reply) pending?.resolve(reply.answer);
      else pending?.reject(new Error(`offload job failed: ${reply.error}`));
      this.dispatch();
    });
    worker.on('error', (err) => this.lost(worker, err));
    worker.on('exit', (code) => this.lost(worker, new Error(`offload thread exited with code ${code}`)));
    return worker;
  }

  /** Stops an idle thread (its exit, in `lost`, makes room for a new one). */
  private retire(worker: Worker): void {
    this.idle.delete(worker);
    void worker.terminate();
  }

  /** A thread died or stopped: its job, if any, fails, and queued jobs go on (on a new thread). */
  private lost(worker: Worker, err: Error): void {
    this.busy.get(worker)?.reject(err);
    this.busy.delete(worker);
    clearTimeout(this.idle.get(worker));
    this.idle.delete(worker);
    this.workers.delete(worker);
    this.dispatch();
  }
}

let shared: OffloadPool | undefined;

/** The process's pool. */
export const offloadPool = (): OffloadPool =>
  (shared ??= new OffloadPool({ threads: OFFLOAD_THREADS, maxQueued: OFFLOAD_MAX_QUEUED, idleMs: OFFLOAD_IDLE_MS }));
