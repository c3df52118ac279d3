/**
 * A run, live: its graph (colored by status, updated from the event stream), a summary of counts,
 * time and waits, a timeline, the selected node's details, and the operator's controls.
 */
import { useCallback, useDeferredValue, useMemo, useState, type ReactNode } from 'react';
import { ErrorNotice } from '../../shell/error-notice';
import { href } from '../../shell/route';
import { useSession } from '../../shell/session';
import { NodePanel } from './node-panel';
import { RunControls } from './run-controls';
import { RunGraph } from './run-graph';
import { RunSummary } from './run-summary';
import { Timeline } from './timeline';
import { useDecision } from './use-decision';
import { useRunGraph } from './use-run-graph';
import { useRunStatus } from './use-run-status';
import './run.css';

export function RunPage({ id, runId }: { readonly id: string; readonly runId?: string | undefined }): ReactNode {
  const { status: run, error, streamError, reload } = useRunStatus(id, runId);
  const [selected, setSelected] = useState<string | null>(null);
  const decider = useDecision(run?.deployment_id ?? id, runId, reload);
  const operator = useSession().can('operate');
  const nodes = run?.nodes;
  const byId = useMemo(() => new Map((nodes ?? []).map((n) => [n.node_id, n])), [nodes]);
  const select = useCallback((nodeId: string) => setSelected(nodeId), []);
  const node = selected === null ? undefined : byId.get(selected);
  const { graph, laidOut, error: graphError } = useRunGraph(id, runId, run);
  // The timeline follows the graph: drawn after it (a background render React interrupts for it).
  const timeline = useDeferredValue(nodes, undefined);

  return (
    <div className="run-page">
      <p>
        <a href={href(['deployments'])}>← Deployments</a>
      </p>
      <h1>
        Run of {run?.deployment_id ?? id}
        {runId && <span className="muted"> ({runId})</span>}
      </h1>
      <ErrorNotice error={error} title="Status" />
      {streamError && <p className="error">Live updates stopped: {streamError}</p>}
      {!run ? (
        !error && <p className="muted">Loading…</p>
      ) : (
        <>
          <RunSummary run={run} byId={byId} onSelect={select} />
          {operator && <RunControls run={run} decider={decider} />}
          <section aria-labelledby="graph-title" className="run-graph">
            <h2 id="graph-title">Graph</h2>
            <ErrorNotice error={graphError} title="Graph" />
            <RunGraph nodes={run.nodes} graph={graph} laidOut={laidOut} selected={selected} onSelect={select} />
          </section>
          {node && (
            <NodePanel
              node={node}
              run={run}
              pointOfNoReturn={graph?.points_of_no_return.includes(node.node_id) ?? false}
              decider={decider}
              onClose={() => setSelected(null)}
            />
          )}
          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">Timeline</h2>
            {timeline ? (
              <Timeline nodes={timeline} startedAt={run.started_at} completedAt={run.completed_at} onSelect={select} />
            ) : (
              <p className="muted">Loading…</p>
            )}
          </section>
        </>
      )}
    </div>
  );
}
