/**
 * A Gantt chart of the nodes that started: when each began and how long it ran, against the run's
 * span. Each bar is placed in seconds and scaled by the span through a CSS variable, so as the run
 * goes on only the rows of running nodes re-render.
 */
import { memo, type CSSProperties, type ReactNode } from 'react';
import { between, seconds } from './format';
import { nodeLabel } from '../../../../src/model/node-names';
import type { NodeState } from '../../../../src/model/run-types';

const Row = memo(function Row({
  id,
  name,
  status,
  offset,
  length,
  done,
  onSelect,
}: {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly offset: number;
  readonly length: number;
  readonly done: boolean;
  readonly onSelect: (id: string) => void;
}): ReactNode {
  const bar = { '--offset': offset, '--length': length } as CSSProperties;
  return (
    <li>
      <button type="button" className="link timeline-name" onClick={() => onSelect(id)}>
        {name}
      </button>
      <span className="timeline-track">
        <span className={`timeline-bar node-${status}`} style={bar} />
      </span>
      <span className="timeline-time">
        +{seconds(offset)}, {seconds(length)}
        {done ? '' : ' so far'}
      </span>
    </li>
  );
});

export const Timeline = memo(function Timeline({
  nodes,
  startedAt,
  completedAt,
  onSelect,
}: {
  readonly nodes: readonly NodeState[];
  readonly startedAt: string;
  readonly completedAt: string | null;
  readonly onSelect: (id: string) => void;
}): ReactNode {
  const now = Date.now();
  // In the order they started (a Gantt chart reads top to bottom), ties by name.
  const started = nodes
    .filter((n): n is NodeState & { started_at: string } => n.started_at !== null)
    .sort((a, b) => a.started_at.localeCompare(b.started_at) || a.resource_id.localeCompare(b.resource_id));
  if (started.length === 0) return <p className="muted">No node has started yet.</p>;
  const span = Math.max(
    between(startedAt, completedAt, now),
    ...started.map((n) => between(startedAt, n.completed_at, now)),
    0.001,
  );
  // Rounded to a tenth of a second: a finished node's row then keeps equal props from one status to the next.
  const tenth = (s: number): number => Math.round(Math.max(0, s) * 10) / 10;
  return (
    <ol
      className="timeline"
      aria-label="Timeline of node start and finish"
      style={{ '--span': tenth(span) || 0.1 } as CSSProperties}
    >
      {started.map((node) => (
        <Row
          key={node.node_id}
          id={node.node_id}
          name={nodeLabel(node)}
          status={node.status}
          offset={tenth(between(startedAt, node.started_at, now))}
          length={tenth(between(node.started_at, node.completed_at, now))}
          done={node.completed_at !== null}
          onSelect={onSelect}
        />
      ))}
    </ol>
  );
});
