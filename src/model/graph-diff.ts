/**
 * Two spec graphs of one deployment compared node by node (same node id): what the last apply
 * deployed against what a config would deploy now. A node not in the applied graph is new
 * (`create`); one whose type, operation, properties, references, tags, point of no return and
 * incoming edges are all equal is `no-op`; any other is `update`, with each difference as a path
 * (`properties.duration_ms`, `references.role`, `depends_on`) and its before and after values.
 * Applied nodes missing from the new graph are `removed`. Pure: no I/O.
 */
import type { SpecEdge, SpecGraph, SpecNode } from './graph-types';

export interface GraphChange {
  readonly path: string;
  /** undefined: absent before (or after). */
  readonly before: unknown;
  readonly after: unknown;
}

export interface NodeComparison {
  readonly action: 'create' | 'update' | 'no-op';
  readonly changes: readonly GraphChange[];
}

export interface GraphComparison {
  /** Every node of the new graph, by node id. */
  readonly nodes: Readonly<Record<string, NodeComparison>>;
  /** The applied graph's nodes the new one lacks, in the applied graph's order. */
  readonly removed: readonly SpecNode[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Leaf by leaf differences of two values under `path` (objects by key, anything else as a whole). */
export function valueChanges(before: unknown, after: unknown, path: string): GraphChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => valueChanges(before[key], after[key], `${path}.${key}`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

/** A node's incoming edges as the plan names them (`depends_on`), in a stable order. */
const dependsOn = (edges: readonly SpecEdge[] | undefined): { node_id: string; kind: string }[] =>
  (edges ?? [])
    .map((edge) => ({ node_id: edge.from, kind: edge.kind }))
    .sort((a, b) => a.node_id.localeCompare(b.node_id) || a.kind.localeCompare(b.kind));

/** A node's references by key, as written (resource, region and output: what they point at). */
const references = (node: SpecNode): Record<string, string> =>
  Object.fromEntries(Object.entries(node.references).map(([key, ref]) => [key, ref.raw]));

function incoming(graph: SpecGraph): Map<string, SpecEdge[]> {
  const into = new Map<string, SpecEdge[]>();
  for (const edge of graph.edges) {
    const list = into.get(edge.to);
    if (list) list.push(edge);
    else into.set(edge.to, [edge]);
  }
  return into;
}

/** What differs in one node between its applied and its new spec. */
function nodeChanges(
  before: SpecNode,
  after: SpecNode,
  edgesBefore: SpecEdge[] | undefined,
  edgesAfter: SpecEdge[] | undefined,
): GraphChange[] {
  const whole = (path: string, a: unknown, b: unknown): GraphChange[] =>
    JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path, before: a, after: b }];
  return [
    ...whole('type', before.type, after.type),
    ...whole('operation', before.operation, after.operation),
    ...valueChanges(before.properties, after.properties, 'properties'),
    ...valueChanges(references(before), references(after), 'references'),
    ...valueChanges(before.tags, after.tags, 'tags'),
    ...whole('point_of_no_return', before.point_of_no_return ?? false, after.point_of_no_return ?? false),
    ...whole('depends_on', dependsOn(edgesBefore), dependsOn(edgesAfter)),
  ];
}

export function compareGraphs(applied: SpecGraph, next: SpecGraph): GraphComparison {
  const appliedById = new Map(applied.nodes.map((node) => [node.node_id, node]));
  const intoApplied = incoming(applied);
  const intoNext = incoming(next);
  const nodes: Record<string, NodeComparison> = {};
  for (const node of next.nodes) {
    const before = appliedById.get(node.node_id);
    if (!before) {
      nodes[node.node_id] = { action: 'create', changes: [] };
      continue;
    }
    const changes = nodeChanges(before, node, intoApplied.get(node.node_id), intoNext.get(node.node_id));
    nodes[node.node_id] = { action: changes.length > 0 ? 'update' : 'no-op', changes };
  }
  const kept = new Set(next.nodes.map((node) => node.node_id));
  return { nodes, removed: applied.nodes.filter((node) => !kept.has(node.node_id)) };
}
