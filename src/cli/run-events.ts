/**
 * A run's events as they happen (GET /deploy/events/{id}?run_id=…), across dropped connections: a
 * stream that ends before the run does (a gateway restart, the stream's maximum lifetime, an error
 * event) is opened again, and since a new stream starts from the run's current state, each event
 * is passed on only when it says something new (a node's new status, the run's new phase): none
 * lost, none twice.
 */
import type { ApiClient } from './api-client';
import { ApiCallError, CliError } from './errors';
import { readSse } from './sse';

export interface NodeEventData {
  readonly node_id: string;
  readonly resource_id: string;
  readonly type: string;
  readonly region: string | null;
  readonly status: string;
  readonly attempts: number;
  readonly started_at: string | null;
  readonly completed_at: string | null;
  readonly error: string | null;
  readonly error_type: string | null;
}

export interface WaitingFor {
  readonly kind: 'continue' | 'decision';
  readonly node_ids: readonly string[];
  readonly waits?: readonly { resource_id: string; region: string | null; reason: string }[];
}

export interface PhaseEventData {
  readonly status: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly waiting_for?: WaitingFor | null;
}

export type RunEvent =
  | { readonly event: 'run_status' | 'run_finished'; readonly data: PhaseEventData }
  | { readonly event: `node_${string}`; readonly data: NodeEventData };

export interface RunAddress {
  readonly deploymentId: string;
  readonly runId?: string | undefined;
}

export interface FollowOptions {
  /** Told when the stream dropped and is being opened again. */
  readonly onReconnect?: (reason: string) => void;
  /** How long to keep trying to reach the service after the stream dropped (ms). */
  readonly reconnectForMs?: number;
}

/** Drops the events a fresh stream repeats: a node's status or the run's phase already passed on. */
class NewsFilter {
  private readonly nodes = new Map<string, string>();
  private phase: string | null = null;

  isNew(event: RunEvent): boolean {
    if (event.event === 'run_status' || event.event === 'run_finished') {
      if (event.data.status === this.phase) return false;
      this.phase = event.data.status;
      return true;
    }
    const data = event.data as NodeEventData;
    if (this.nodes.get(data.node_id) === data.status) return false;
    this.nodes.set(data.node_id, data.status);
    return true;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a failure to open the stream may pass (the service restarting, overloaded), not a wrong request. */
const transient = (err: unknown): boolean =>
  err instanceof CliError || (err instanceof ApiCallError && (err.status >= 500 || err.status === 429));

/** Yields the run's new events until it finishes (run_finished is the last). */
export async function* followRun(
  api: ApiClient,
  run: RunAddress,
  options: FollowOptions = {},
): AsyncGenerator<RunEvent> {
  const news = new NewsFilter();
  const reconnectForMs = options.reconnectForMs ?? 120_000;
  let failingSince: number | null = null;
  for (;;) {
    let reason = 'the stream ended before the run';
    try {
      const response = await api.send('GET', `/deploy/events/${encodeURIComponent(run.deploymentId)}`, {
        query: { run_id: run.runId },
      });
      failingSince = null;
      for await (const sse of readSse((response.body ?? []) as AsyncIterable<Uint8Array>)) {
        if (sse.event === 'reconnect') break;
        if (sse.event === 'error') {
          reason = `the stream reported an error: ${sse.data}`;
          break;
        }
        const event = { event: sse.event, data: JSON.parse(sse.data) as unknown } as RunEvent;
        if (!news.isNew(event)) continue;
        yield event;
        if (event.event === 'run_finished') return;
      }
    } catch (err) {
      if (!transient(err) && !(err instanceof TypeError)) throw err;
      failingSince ??= Date.now();
      if (Date.now() - failingSince > reconnectForMs) throw err;
      reason = err instanceof Error ? err.message : String(err);
    }
    options.onReconnect?.(reason);
    await pause(failingSince === null ? 100 : 500);
  }
}
