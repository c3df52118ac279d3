/**
 * The run's graph as SVG: nodes colored by status (each a keyboard-focusable button that selects
 * the node), edges styled by kind. The layout is computed once per graph shape; a status change
 * re-renders only the nodes whose status or selection changed.
 */
import {
  memo,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { edgesOf, layoutGraph, NODE_HEIGHT, NODE_WIDTH, shapeKey, type Layout } from './graph-layout';
import { nodeName, type RunNode } from './run-types';

const STEP_X = NODE_WIDTH + 28;

/**
 * The drawing area's width (0 until measured, before the first paint), so a graph without edges
 * wraps into as many columns as fit and is drawn once, not once at a guess and again.
 */
function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(([entry]) => entry && setWidth(entry.contentRect.width));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

const GraphNode = memo(function GraphNode({
  id,
  name,
  status,
  x,
  y,
  selected,
  onSelect,
}: {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly x: number;
  readonly y: number;
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
      transform={`translate(${x},${y})`}
      role="button"
      tabIndex={0}
      aria-label={`${name} ${status}`}
      aria-pressed={selected}
      onClick={() => onSelect(id)}
      onKeyDown={keyDown}
    >
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
    </g>
  );
});

const Edges = memo(function Edges({ layout }: { readonly layout: Layout }): ReactNode {
  return (
    <g aria-hidden="true">
      {layout.edges.map((edge) => (
        <path
          key={`${edge.from}>${edge.to}`}
          className={`graph-edge edge-${edge.kind}`}
          d={`M${edge.points.map((p) => `${p.x},${p.y}`).join('L')}`}
          markerEnd="url(#arrow)"
        />
      ))}
    </g>
  );
});

export function RunGraph({
  nodes,
  selected,
  onSelect,
}: {
  readonly nodes: readonly RunNode[];
  readonly selected: string | null;
  readonly onSelect: (id: string) => void;
}): ReactNode {
  const [ref, width] = useWidth();
  const edges = useMemo(() => edgesOf(nodes), [nodes]);
  const key = shapeKey(nodes, edges);
  const columns = edges.length === 0 ? Math.max(1, Math.floor(width / STEP_X)) : 0;
  // The layout follows the shape only: `nodes` and `edges` are read through the key.
  const layout = useMemo(() => layoutGraph(nodes, edges, columns), [key, columns]);
  return (
    <>
      {layout.edges.length > 0 ? (
        <ul className="graph-legend" aria-label="Edge kinds">
          <li className="legend-dependency">dependency</li>
          <li className="legend-pause">pause edge</li>
          <li className="legend-end">end</li>
        </ul>
      ) : (
        <p className="muted">Dependencies are not drawn: the run&apos;s status does not list them.</p>
      )}
      <div className="graph-scroll" ref={ref}>
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
          </defs>
          <Edges layout={layout} />
          {width > 0 &&
            nodes.map((node) => {
              const at = layout.positions.get(node.node_id);
              return (
                at && (
                  <GraphNode
                    key={node.node_id}
                    id={node.node_id}
                    name={nodeName(node)}
                    status={node.status}
                    x={at.x}
                    y={at.y}
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
}
