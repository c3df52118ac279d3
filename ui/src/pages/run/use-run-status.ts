/**
 * A run's status, kept current: loaded once, then re-read (at most every REFRESH_MS, trailing) when
 * the event stream says something changed, and re-read on demand after a control. The stream is
 * followed while the run is unfinished; each re-read replaces the whole status, so the graph's
 * layout (keyed on its shape) is kept and only the changed nodes re-render.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { get, q } from '../../api/client';
import { followRun } from '../../api/events';
import { FINISHED_PHASES, type RunStatus } from './run-types';

const REFRESH_MS = 400;

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

  const finished = status === undefined || FINISHED_PHASES.has(status.status);
  useEffect(() => {
    if (finished) return;
    const abort = new AbortController();
    void followRun(
      id,
      (event) => {
        if (event.event === 'error') setStreamError((event.data as { message?: string }).message ?? 'refused');
        else throttled();
      },
      abort.signal,
      runId,
    );
    return () => {
      abort.abort();
      clearTimeout(timer.current);
      timer.current = undefined;
    };
  }, [id, runId, finished, throttled]);

  return { status, error, streamError, reload: useCallback(() => void load(), [load]) };
}
