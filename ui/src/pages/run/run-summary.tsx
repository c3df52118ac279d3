/** What the run is doing: its phase, elapsed time, nodes per status, and which nodes wait and why. */
import { useEffect, useState, type ReactNode } from 'react';
import { href } from '../../shell/route';
import { between, clock, seconds } from './format';
import { nodeLabel } from '../../../../src/model/node-names';
import type { NodeState, NodeStatus, WaitReason } from '../../../../src/model/run-types';
import type { RunStatus } from './run-types';

const ORDER: readonly NodeStatus[] = [
  'pending',
  'running',
  'paused',
  'completed',
  'failed',
  'blocked',
  'skipped',
  'compensating',
  'compensated',
];

const WHY: Readonly<Record<WaitReason, string>> = {
  approval: 'approval gate',
  pause_edge: 'pause edge',
  breakpoint: 'breakpoint',
  step: 'STEP mode',
};

interface SummaryProps {
  readonly run: RunStatus;
  readonly byId: ReadonlyMap<string, NodeState>;
  readonly onSelect: (id: string) => void;
}

function Waits({ run, byId, onSelect }: SummaryProps): ReactNode {
  const waiting = run.waiting_for;
  if (!waiting) return null;
  const pick = (id: string, text: string): ReactNode => (
    <button type="button" className="link" onClick={() => onSelect(id)}>
      {text}
    </button>
  );
  if (waiting.kind === 'decision')
    return (
      <div className="notice" role="status">
        <strong>Waiting for a decision</strong> (retry, skip, roll back or abort)
        {waiting.deadline && <> until {clock(waiting.deadline)}</>}, after a failure of:
        <ul>
          {waiting.node_ids.map((id) => {
            const node = byId.get(id);
            return (
              <li key={id}>
                {pick(id, node ? nodeLabel(node) : id)}
                {node?.error && <span className="muted"> {node.error}</span>}
              </li>
            );
          })}
        </ul>
      </div>
    );
  return (
    <div className="notice" role="status">
      <strong>Waiting for a continue:</strong>
      <ul>
        {(waiting.waits ?? []).map((wait) => (
          <li key={wait.node_id}>
            {pick(wait.node_id, nodeLabel(wait))}: {WHY[wait.reason]}
            {wait.deadline && <> (until {clock(wait.deadline)})</>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The run's elapsed time, ticking each second until it has finished. */
function Elapsed({ from, to }: { readonly from: string; readonly to: string | null }): ReactNode {
  const [, tick] = useState(0);
  useEffect(() => {
    if (to) return;
    const timer = setInterval(() => tick((n) => n + 1), 1_000);
    return () => clearInterval(timer);
  }, [to]);
  return seconds(between(from, to));
}

export function RunSummary({ run, byId, onSelect }: SummaryProps): ReactNode {
  return (
    <section aria-labelledby="summary-title">
      <h2 id="summary-title" className="visually-hidden">
        Summary
      </h2>
      <dl className="run-facts">
        <div>
          <dt>Status</dt>
          <dd>
            <span className={`status status-${run.status}`} data-testid="run-status">
              {run.status.replace(/_/g, ' ')}
            </span>
          </dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{run.version}</dd>
        </div>
        <div>
          <dt>Action · mode</dt>
          <dd>
            {run.action} · {run.mode}
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{clock(run.started_at)}</dd>
        </div>
        <div>
          <dt>Elapsed</dt>
          <dd>
            <Elapsed from={run.started_at} to={run.completed_at} />
          </dd>
        </div>
        <div>
          <dt>Links</dt>
          <dd>
            <a href={run.web_ui_url} target="_blank" rel="noreferrer">
              Temporal Web UI
            </a>{' '}
            · <a href={href(['deployments', run.deployment_id, 'history'])}>History</a>
          </dd>
        </div>
      </dl>
      <ul className="run-counts" aria-label="Nodes per status">
        {ORDER.filter((s) => (run.counts[s] ?? 0) > 0).map((s) => (
          <li key={s}>
            <span className={`status status-${s}`}>{s}</span> {run.counts[s]}
          </li>
        ))}
      </ul>
      {run.last_rejected && (
        <p className="error">
          The run refused {run.last_rejected.control} at {clock(run.last_rejected.at)}: {run.last_rejected.reason}
        </p>
      )}
      <Waits run={run} byId={byId} onSelect={onSelect} />
    </section>
  );
}
