/**
 * What became of an applied template: its run's status (GET /deploy/status/{id}?run_id=…),
 * followed until the run finishes or waits for a decision. Success lists the outputs and links
 * every `run_url` (seed 003: the GitHub Actions run its dispatch started); failure shows each
 * failed node's message as the service gave it ("Pod acme/prod already exists."), titled by its
 * seed 003 error name.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { isFinished, type RunStatus } from '../../../../src/model/run-types';
import { get, q } from '../../api/client';
import { ErrorNotice } from '../../shell/error-notice';
import { words } from '../../shell/format';
import { href } from '../../shell/route';

export interface StartedRun {
  readonly deployment_id: string;
  readonly run_id: string;
}

const POLL_MS = 1_000;
/** Whether nothing happens in the run without a person: it finished, or halted for a decision. */
const settled = (phase: string): boolean => isFinished(phase) || phase === 'awaiting_decision';

/** Seed 003's error page titles, by error name. */
const TITLES: Readonly<Record<string, string>> = {
  conflict: 'Already exists',
  not_found: 'Not found',
  forbidden: 'Permission denied',
  validation: 'Invalid input',
  rate_limited: 'GitHub rate limit reached',
  api_error: 'GitHub API error',
  service_unavailable: 'Service unavailable',
  server_error: 'Deployment failed',
};

function useRunStatus(run: StartedRun): { status: RunStatus | null; error: unknown } {
  const [state, setState] = useState<{ status: RunStatus | null; error: unknown }>({ status: null, error: null });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const look = (): void => {
      get<RunStatus>(`/deploy/status/${q(run.deployment_id)}?run_id=${q(run.run_id)}`).then(
        (status) => {
          if (stopped) return;
          setState({ status, error: null });
          if (!settled(status.status)) timer = setTimeout(look, POLL_MS);
        },
        (error: unknown) => {
          if (stopped) return;
          setState((s) => ({ ...s, error }));
          timer = setTimeout(look, POLL_MS);
        },
      );
    };
    look();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [run.deployment_id, run.run_id]);
  return state;
}

const shown = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

export function RunOutcome({ run }: { readonly run: StartedRun }): ReactNode {
  const { status, error } = useRunStatus(run);
  const runLink = (
    <a href={href(['runs', run.deployment_id], { run_id: run.run_id })}>Watch the run {run.deployment_id}</a>
  );
  if (!status || !settled(status.status))
    return (
      <section className="card" aria-labelledby="outcome-title">
        <h2 id="outcome-title">Applying…</h2>
        <p role="status">
          The run is {status?.status ?? 'starting'}. {runLink}
        </p>
        <ErrorNotice error={error} title="Its status could not be read" />
      </section>
    );
  if (status.status === 'completed') {
    const outputs = status.nodes.filter((n) => n.outputs && Object.keys(n.outputs).length > 0);
    const links = outputs.flatMap((n) => (typeof n.outputs?.['run_url'] === 'string' ? [n.outputs['run_url']] : []));
    return (
      <section className="card template-success" aria-labelledby="outcome-title">
        <h2 id="outcome-title">Deployment started</h2>
        {links.map((url) => (
          <p key={url}>
            <a href={url} target="_blank" rel="noreferrer">
              GitHub Actions run
            </a>{' '}
            <span className="muted">{url}</span>
          </p>
        ))}
        <p>{runLink}</p>
        <dl className="template-outputs">
          {outputs.flatMap((n) =>
            Object.entries(n.outputs ?? {}).map(([key, value]) => (
              <div key={`${n.node_id}.${key}`}>
                <dt>
                  {n.resource_id}.{key}
                </dt>
                <dd>{shown(value)}</dd>
              </div>
            )),
          )}
        </dl>
      </section>
    );
  }
  const failed = status.nodes.filter((n) => n.error);
  return (
    <section className="error template-failure" role="alert" aria-labelledby="outcome-title">
      <h2 id="outcome-title">{TITLES[failed[0]?.error_name ?? ''] ?? 'Deployment failed'}</h2>
      {failed.map((n) => (
        <p key={n.node_id}>
          <strong>{n.resource_id}:</strong> {n.error}
        </p>
      ))}
      <p>
        The run ended {words(status.status)}. {runLink}
      </p>
    </section>
  );
}
