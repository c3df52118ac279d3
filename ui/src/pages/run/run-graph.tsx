/**
 * The run's graph as SVG: nodes colored by status (each a keyboard-focusable button that selects
 * the node), points of no return badged "irreversible", edges styled by kind (dependency solid,
 * pause dashed with a pause mark, end dotted). The layout is computed once per graph (a new
 * graph_id, or new nodes); a status change re-renders only the nodes whose status or selection changed.
 */
import { memo, useMemo, type KeyboardEvent, type ReactNode } from 'react';
import { nodeLabel } from '../../../../src/model/node-names';
import type { NodeState } from '../../../../src/model/run-types';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH, withNodes, type Layout, type Point } from './graph-layout';
import type { RunGraph as Graph } from './run-types';

const GraphNode = memo(function GraphNode({
  id,
  name,
  status,
  at,
  irreversible,
  selected,
  onSelect,
}: {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly at: Point;
  readonly irreversible: boolean;
  readonly selected: boolean;
  readonly onSelect: (id: string) => void;
}): ReactNode {
  const keyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(id);
    }
  };
  return (
    <g
      className={`graph-node node-${status}${selected ? ' selected' : ''}`}
      transform={`translate(${at.x},${at.y})`}
      role="button"
      tabIndex={0}
      aria-label={`${name} ${status}${irreversible ? ' irreversible' : ''}`}
      aria-pressed={selected}
      onClick={() => onSelect(id)}
      onKeyDown={keyDown}
    >
      {irreversible && <title>point of no return</title>}
      <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx={6} />
      {/* A nested svg clips a long name at the box's edge. */}
      <svg width={NODE_WIDTH - 6} height={NODE_HEIGHT}>
        <text>
          <tspan x={10} y={18} className="graph-node-name">
            {name}
          </tspan>{' '}
          <tspan x={10} y={35} className="graph-node-status">
            {status}
          </tspan>
        </text>
      </svg>
      {irreversible && (
        <g className="graph-badge" transform={`translate(${NODE_WIDTH - 84},${NODE_HEIGHT - 19})`}>
          <rect width={78} height={15} rx={7} />
          {/* The leading space keeps the name read as "<name> <status> irreversible". */}
          <text x={39} y={11}>
            {' irreversible'}
          </text>
        </g>
      )}
    </g>
  );
});

/** The middle of an edge's polyline, where a pause edge shows its mark. */
function middle(points: readonly Point[]): Point {
  return points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
}

const Edges = memo(function Edges({ layout }: { readonly layout: Layout }): ReactNode {
  return (
    <g aria-hidden="true">
      {layout.edges.map((edge) => (
        <path
          key={`${edge.from}>${edge.to}`}
          className={`graph-edge edge-${edge.kind}`}
          data-edge-kind={edge.kind}
          d={`M${edge.points.map((p) => `${p.x},${p.y}`).join('L')}`}
          markerEnd="url(#arrow)"
        />
      ))}
      {layout.edges
        .filter((edge) => edge.kind === 'pause')
        .map((edge) => {
          const at = middle(edge.points);
          return <use key={`${edge.from}>${edge.to}`} href="#pause-mark" x={at.x} y={at.y} />;
        })}
    </g>
  );
});

function Legend(): ReactNode {
  return (
    <ul className="graph-legend" aria-label="Legend">
      <li className="legend-dependency">dependency</li>
      <li className="legend-pause">pause edge (waits for a continue)</li>
      <li className="legend-end">end (the run stops after it)</li>
      <li className="legend-irreversible">
        <span className="legend-badge">irreversible</span> point of no return
      </li>
    </ul>
  );
}

export const RunGraph = memo(function RunGraph({
  nodes,
  graph,
  laidOut,
  selected,
  onSelect,
}: {
  readonly nodes: readonly NodeState[];
  readonly graph: Graph | undefined;
  /** The layout of the nodes the graph's edges join (use-run-graph). */
  readonly laidOut: Layout | undefined;
  readonly selected: string | null;
  readonly onSelect: (id: string) => void;
}): ReactNode {
  const ids = nodes.map((n) => n.node_id).join('\n');
  // The graph's own layout with the nodes no edge joins (laid out again only when it has a node the
  // status lacks); again only when the graph or the set of nodes changes, not when statuses do.
  const layout = useMemo(() => {
    const all = ids.split('\n');
    return (laidOut && withNodes(laidOut, all)) ?? (graph && layoutGraph(all, graph.edges));
  }, [graph, laidOut, ids]);
  const irreversible = useMemo(() => new Set(graph?.points_of_no_return), [graph]);
  if (!layout) return <p className="muted">Loading the graph…</p>;
  return (
    <>
      <Legend />
      <div className="graph-scroll">
        <svg
          className="graph"
          width={layout.width}
          height={layout.height}
          role="group"
          aria-label={`Deployment graph, ${nodes.length} nodes`}
        >
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">
              <path d="M0,0L10,5L0,10z" className="graph-arrow" />
            </marker>
            <g id="pause-mark" className="graph-pause-mark">
              <circle r={8} />
              <rect x={-3.5} y={-4} width={2.5} height={8} />
              <rect x={1} y={-4} width={2.5} height={8} />
            </g>
          </defs>
          <Edges layout={layout} />
          {nodes.map((node) => {
            const at = layout.positions.get(node.node_id);
            return (
              at && (
                <GraphNode
                  key={node.node_id}
                  id={node.node_id}
                  name={nodeLabel(node)}
                  status={node.status}
                  at={at}
                  irreversible={irreversible.has(node.node_id)}
                  selected={node.node_id === selected}
                  onSelect={onSelect}
                />
              )
            );
          })}
        </svg>
      </div>
    </>
  );
});
