/**
 * A run's status, kept current: loaded once, then, while the run is unfinished, each event of its
 * stream applied as it arrives (a node's new status, the run's new phase: live-events.ts) and the
 * whole status re-read (at most every REFRESH_MS, trailing) for the rest, and at least every
 * FALLBACK_MS whatever the stream does; re-read on demand after a control. Each change replaces
 * the status, so the graph's layout (keyed on its shape) is kept and only the changed nodes re-render.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { get, q } from '../../api/client';
import { followRun } from '../../api/events';
import { isFinished } from '../../../../src/model/run-types';
import { withEvent } from './live-events';
import type { RunStatus } from './run-types';

const REFRESH_MS = 1_000;
const FALLBACK_MS = 5_000;

export interface LiveRun {
  readonly status: RunStatus | undefined;
  readonly error: unknown;
  /** Why the event stream stopped, when the server refused it. */
  readonly streamError: string | null;
  readonly reload: () => void;
}

export function useRunStatus(id: string, runId: string | undefined): LiveRun {
  const [status, setStatus] = useState<RunStatus>();
  const [error, setError] = useState<unknown>();
  const [streamError, setStreamError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const again = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const load = useCallback(async (): Promise<void> => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    try {
      const path = `/deploy/status/${q(id)}${runId ? `?run_id=${q(runId)}` : ''}`;
      setStatus(await get<RunStatus>(path));
      setError(undefined);
    } catch (err) {
      setError(err);
    } finally {
      inFlight.current = false;
      if (again.current) {
        again.current = false;
        void load();
      }
    }
  }, [id, runId]);

  const throttled = useCallback(() => {
    timer.current ??= setTimeout(() => {
      timer.current = undefined;
      void load();
    }, REFRESH_MS);
  }, [load]);

  useEffect(() => {
    setStatus(undefined);
    void load();
  }, [load]);

  const finished = status === undefined || isFinished(status.status);
  useEffect(() => {
    if (finished) return;
    const abort = new AbortController();
    void followRun(
      id,
      (event) => {
        if (event.event === 'error') setStreamError((event.data as { message?: string }).message ?? 'refused');
        // The end: read at once (the stream, and with it the throttle's timer, stop as the page sees it).
        else if (event.event === 'run_finished') void load();
        else {
          setStatus((run) => run && withEvent(run, event));
          throttled();
        }
      },
      abort.signal,
      runId,
    );
    return () => {
      abort.abort();
      clearTimeout(timer.current);
      timer.current = undefined;
    };
  }, [id, runId, finished, throttled, load]);

  // A floor under the stream: while the run is unfinished the status is re-read every FALLBACK_MS
  // even when no event comes (a long run's page was seen stuck at 970 of 1,000 nodes after the end).
  useEffect(() => {
    if (finished) return;
    const every = setInterval(() => void load(), FALLBACK_MS);
    return () => clearInterval(every);
  }, [finished, load]);

  return { status, error, streamError, reload: useCallback(() => void load(), [load]) };
}
