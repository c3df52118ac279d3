/** One node in detail: what it is, how it ran, what it produced or why it failed, its logs, and its controls. */
import { useEffect, useRef, type ReactNode } from 'react';
import { ErrorNotice } from '../../shell/error-notice';
import { useSession } from '../../shell/session';
import { clock, seconds } from './format';
import { NodeLogs } from './node-logs';
import { nodeLabel } from '../../../../src/model/node-names';
import { isFinished, type NodeState, type NodeWait } from '../../../../src/model/run-types';
import type { RunStatus } from './run-types';
import type { Decider } from './use-decision';

const json = (value: unknown): string => JSON.stringify(value, null, 2);

function NodeControls({
  node,
  wait,
  live,
  decider,
}: {
  readonly node: NodeState;
  readonly wait: NodeWait | undefined;
  /** The run is unfinished: a pending node can still take a breakpoint. */
  readonly live: boolean;
  readonly decider: Decider;
}): ReactNode {
  const { decide, busy } = decider;
  const name = nodeLabel(node);
  return (
    <div className="toolbar">
      {live && node.status === 'pending' && (
        <button type="button" disabled={busy} onClick={() => decide('breakpoint', { node_id: node.node_id })}>
          Pause before this node
        </button>
      )}
      {wait && (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() =>
            wait.reason === 'approval'
              ? decide('continue', { node_id: name }, `Approve ${name}? What depends on it will run.`)
              : decide('continue', { node_id: name })
          }
        >
          {wait.reason === 'approval' ? `Approve ${name}` : `Continue ${name}`}
        </button>
      )}
      {node.status === 'failed' && (
        <>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => decide('retry', { node_ids: [name] })}
          >
            Retry {name}
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() => decide('skip', { node_ids: [name] }, `Skip ${name}? Its dependents may then run.`)}
          >
            Skip {name}
          </button>
        </>
      )}
    </div>
  );
}

function Fact({ term, children }: { readonly term: string; readonly children: ReactNode }): ReactNode {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function NodePanel({
  node,
  run,
  pointOfNoReturn,
  decider,
  onClose,
}: {
  readonly node: NodeState;
  readonly run: RunStatus;
  readonly pointOfNoReturn: boolean;
  readonly decider: Decider;
  readonly onClose: () => void;
}): ReactNode {
  const operator = useSession().can('operate');
  const wait = run.waiting_for?.waits?.find((w) => w.node_id === node.node_id);
  const name = nodeLabel(node);
  const heading = useRef<HTMLHeadingElement>(null);
  // A newly selected node's panel takes the focus, so a keyboard user lands in it.
  useEffect(() => heading.current?.focus(), [node.node_id]);
  return (
    <section
      className="card node-panel"
      aria-labelledby="node-title"
      onKeyDown={(event) => event.key === 'Escape' && onClose()}
    >
      <div className="node-panel-head">
        <h2 id="node-title" ref={heading} tabIndex={-1}>
          {name} <span className={`status status-${node.status}`}>{node.status}</span>
        </h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {node.error && (
        <p className="error" role="alert">
          <strong>{node.error_name ?? node.error_type ?? 'error'}:</strong> {node.error}
          {node.error_type && node.error_name && <span className="muted"> ({node.error_type})</span>}
        </p>
      )}
      {wait && <p className="notice">Waits for a continue: {wait.reason.replace('_', ' ')}.</p>}
      {node.waiting_on && <p className="notice">Waiting on {node.waiting_on}.</p>}
      {pointOfNoReturn && (
        <p className="notice">
          <strong>Irreversible:</strong> point of no return: once it completes, the run cannot be rolled back past it.
        </p>
      )}
      {operator && <NodeControls node={node} wait={wait} live={!isFinished(run.status)} decider={decider} />}
      {operator && <ErrorNotice error={decider.error} title="Refused" />}
      <dl className="node-facts">
        <Fact term="Type">{node.type}</Fact>
        <Fact term="Region">{node.region ?? '—'}</Fact>
        {node.aws_account !== undefined && <Fact term="AWS account">{node.aws_account}</Fact>}
        <Fact term="Action">{node.action ?? '—'}</Fact>
        <Fact term="Attempts">{node.attempts}</Fact>
        <Fact term="Started">{clock(node.started_at)}</Fact>
        <Fact term="Finished">{clock(node.completed_at)}</Fact>
        <Fact term="Duration">{node.duration_seconds === null ? '—' : seconds(node.duration_seconds)}</Fact>
        <Fact term="Compensation">{node.compensation ?? '—'}</Fact>
        <Fact term="Node id">
          <code>{node.node_id}</code>
        </Fact>
      </dl>
      {node.outputs && Object.keys(node.outputs).length > 0 && (
        <>
          <h3>Outputs</h3>
          <pre tabIndex={0} aria-label="Outputs">
            {json(node.outputs)}
          </pre>
        </>
      )}
      {node.drift && node.drift.length > 0 && (
        <>
          <h3>Drift</h3>
          <ul>
            {node.drift.map((d) => (
              <li key={d.property}>
                <code>{d.property}</code>: wanted <code>{json(d.desired)}</code>, found <code>{json(d.actual)}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Log</h3>
      <NodeLogs
        deploymentId={run.deployment_id}
        runId={run.run_id}
        nodeId={node.node_id}
        version={`${node.status}:${node.attempts}`}
      />
      <p>
        <a href={run.web_ui_url} target="_blank" rel="noreferrer">
          This run in the Temporal Web UI
        </a>
      </p>
    </section>
  );
}
