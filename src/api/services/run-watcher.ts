/**
 * One poller per run, shared by every event stream of that run in this API process (issue 23
 * finding 10): however many streams follow a run, it costs one describe and one status query per
 * poll. A run's poller starts with its first subscriber and hands each state it reads to every
 * subscriber (one that joins late gets the latest state at once); it stops when its last subscriber
 * leaves, when the run ends, or when a poll fails (the error goes to every subscriber, like the
 * run's end). Pollers are keyed by workflow id and run id, and the route subscribes only after
 * findRun authorized the caller for that run, so a subscriber receives that run's states and no other.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isFinished, type RunStatus } from '../../model/run-types';
import type { ApiContext } from '../context';
import type { RunRef } from './run-lookup';
import { readStatus } from './run-state';

/** What one poll found: the run's state and Temporal's status of its execution, or why the poll failed. */
export type RunUpdate =
  | {
      readonly status: RunStatus;
      /** Temporal's status of the execution: RUNNING, COMPLETED, TERMINATED, … */
      readonly execution: string;
      /** The run ended (its phase is final, or Temporal ended the execution): no update follows. */
      readonly ended: boolean;
    }
  | { readonly error: Error };

export type RunListener = (update: RunUpdate) => void;

class RunPoller {
  private readonly listeners = new Set<RunListener>();
  private readonly stopped = new AbortController();
  private latest: RunUpdate | undefined;

  constructor(
    private readonly ctx: ApiContext,
    private readonly ref: RunRef,
    private readonly pollMs: number,
    private readonly onStop: () => void,
  ) {}

  add(listener: RunListener): () => void {
    this.listeners.add(listener);
    if (this.latest) listener(this.latest);
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.stop();
    };
  }

  async run(): Promise<void> {
    while (!this.stopped.signal.aborted) {
      const update = await this.poll();
      if (this.stopped.signal.aborted) return; // every subscriber left while the poll was in flight
      this.latest = update;
      if ('error' in update || update.ended) this.stop();
      for (const listener of [...this.listeners]) listener(update);
      await sleep(this.pollMs, undefined, { signal: this.stopped.signal }).catch(() => undefined);
    }
  }

  /** Re-reads the execution each time: a run Temporal ended (terminate, timeout) ends its subscribers too. */
  private async poll(): Promise<RunUpdate> {
    try {
      const info = await this.ctx.client().workflow.getHandle(this.ref.workflowId, this.ref.runId).describe();
      const status = await readStatus(this.ctx, { ...this.ref, info });
      const execution = info.status.name;
      return { status, execution, ended: isFinished(status.status) || execution !== 'RUNNING' };
    } catch (error) {
      return { error: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  private stop(): void {
    if (this.stopped.signal.aborted) return;
    this.stopped.abort();
    this.onStop();
  }
}

/** The pollers of the runs that have subscribers now, at most one per run. */
export class RunWatchers {
  private readonly pollers = new Map<string, RunPoller>();

  constructor(
    private readonly ctx: ApiContext,
    private readonly pollMs: number,
  ) {}

  /**
   * Calls `listener` with the run's latest state at once when its poller already has one, then with
   * every state read until an ended one or an error (the last call). `ref` comes from findRun for
   * the caller. The returned function unsubscribes; the last subscriber leaving stops the poller.
   */
  watch(ref: RunRef, listener: RunListener): () => void {
    const key = JSON.stringify([ref.workflowId, ref.runId]);
    let poller = this.pollers.get(key);
    if (!poller) {
      poller = new RunPoller(this.ctx, ref, this.pollMs, () => this.pollers.delete(key));
      this.pollers.set(key, poller);
      void poller.run();
    }
    return poller.add(listener);
  }
}
