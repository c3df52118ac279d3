/**
 * GET /deploy/list, kept fresh: the pages loaded so far (page_token after page_token) are re-read
 * every POLL_MS while the page is open, so statuses change live and new deployments appear.
 * The list's record of an unfinished run says `running` until it ends, so each unfinished run's
 * phase (paused, awaiting decision, rolling back) is read from GET /deploy/status, and a filter on
 * one of those phases lists the unfinished runs, then keeps those in that phase.
 */
import { useCallback, useEffect, useState } from 'react';
import { ACTIVE_PHASES } from '../../../../src/model/run-types';
import { get, q } from '../../api/client';
import type { RunSummary } from '../../shell/run-summary';

const POLL_MS = 3_000;
const ACTIVE: ReadonlySet<string> = new Set(ACTIVE_PHASES);
/** At most this many unfinished runs get their live phase per refresh (the rest show the list's own). */
const LIVE_CAP = 50;

interface ListPage {
  readonly deployments: RunSummary[];
  readonly next_page_token: string | null;
}

export interface DeploymentList {
  readonly deployments: readonly RunSummary[] | undefined;
  readonly error: unknown;
  readonly more: boolean;
  readonly loadMore: () => void;
}

/** Each unfinished run with its phase now (the run's status query), else as the list has it. */
async function withLivePhases(rows: readonly RunSummary[]): Promise<RunSummary[]> {
  const live = rows.filter((row) => ACTIVE.has(row.status)).slice(0, LIVE_CAP);
  const phases = new Map(
    await Promise.all(
      live.map(async (row) => {
        const path = `/deploy/status/${q(row.deployment_id)}?run_id=${q(row.run_id)}`;
        const phase = await get<{ status: string }>(path).then(
          (run) => run.status,
          () => row.status,
        );
        return [row.run_id, phase] as const;
      }),
    ),
  );
  return rows.map((row) => ({ ...row, status: phases.get(row.run_id) ?? row.status }));
}

/**
 * The list's pages for `status`. Without a filter on an unfinished phase, `shown` (when given) gets
 * the rows as the list has them first, so a first load never waits on the status reads of busy runs.
 */
async function readPages(
  status: string,
  pages: number,
  shown?: (rows: RunSummary[], more: boolean) => void,
): Promise<{ rows: RunSummary[]; more: boolean }> {
  const rows: RunSummary[] = [];
  const listed = ACTIVE.has(status) ? 'running' : status;
  let token: string | null = null;
  for (let page = 0; page < pages; page++) {
    const query = [listed && `status=${q(listed)}`, token && `page_token=${q(token)}`].filter(Boolean).join('&');
    const answer: ListPage = await get<ListPage>(`/deploy/list${query ? `?${query}` : ''}`);
    rows.push(...answer.deployments);
    token = answer.next_page_token;
    if (token === null) break;
  }
  if (!ACTIVE.has(status)) shown?.(rows, token !== null);
  const live = await withLivePhases(rows);
  return { rows: status ? live.filter((row) => row.status === status) : live, more: token !== null };
}

export function useDeploymentList(status: string): DeploymentList {
  // How many pages to read: more after `loadMore`, back to one when the status filter changes.
  const [loaded, setLoaded] = useState({ status, pages: 1 });
  const pages = loaded.status === status ? loaded.pages : 1;
  // Rows are kept with the filter they were read for, so a new filter never shows the old one's rows.
  const [state, setState] = useState<{ status: string; rows?: RunSummary[]; more: boolean; error: unknown }>({
    status,
    more: false,
    error: undefined,
  });
  useEffect(() => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let first = true;
    const poll = (): void => {
      // Only the first load shows the list's own statuses early: later ones keep the live phases on screen.
      const show = (rows: RunSummary[], more: boolean): void => {
        if (current) setState({ status, rows, more, error: undefined });
      };
      readPages(status, pages, first ? show : undefined)
        .then(
          ({ rows, more }) => current && setState({ status, rows, more, error: undefined }),
          (error: unknown) =>
            current && setState((s) => ({ ...s, rows: s.status === status ? s.rows : undefined, status, error })),
        )
        .finally(() => {
          first = false;
          if (current) timer = setTimeout(poll, POLL_MS);
        });
    };
    poll();
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [status, pages]);
  return {
    deployments: state.status === status ? state.rows : undefined,
    error: state.error,
    more: state.status === status && state.more,
    loadMore: useCallback(() => setLoaded({ status, pages: pages + 1 }), [status, pages]),
  };
}
