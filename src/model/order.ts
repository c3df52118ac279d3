/**
 * Ordering facts of a graph, all O(V + E) and iterative (no recursion: 10,000+ node graphs). orderGraph and the
 * validator's acyclic check walk a compact adjacency over indexes (`compact`): a run builds its order at the start of
 * every execution, and over string-keyed maps that took 30–80 ms at 10,000 nodes, 12–16 ms over indexes.
 *
 * orderGraph (Kahn):
 *   indegree[n] ← number of edges into n
 *   queue ← nodes with indegree 0, sorted by id              (ties by id: deterministic)
 *   while queue not empty:
 *     n ← shift(queue); append n to order
 *     for each edge n → s:                                   (in edge order)
 *       level[s] ← max(level[s], level[n] + 1)               (level = longest path from a source)
 *       indegree[s] ← indegree[s] − 1; if 0: push s to queue
 *   if |order| < |V|: the rest holds a cycle → GraphCycleError with one cycle's path
 *   parallel_groups[k] ← nodes of level k, sorted by id
 *   for n in reverse(order): priority[n] ← 1 + max(priority[s] for n → s, 0)
 *                                                            (longest path to a sink, in nodes)
 *
 * findCycles (for the validator):
 *   strongly connected components by Tarjan's algorithm with an explicit stack;
 *   for each component with more than one node, or one node with an edge to itself:
 *     s ← its smallest id; breadth-first search from s inside the component until an edge
 *     returns to s; report that path (a shortest cycle through s), s repeated at the end.
 *   One cycle per component: every node on some cycle belongs to exactly one reported component.
 */
import { GraphCycleError } from './errors';
import type { GraphOrder, SpecEdge, SpecGraph } from './graph-types';

type Edge = Pick<SpecEdge, 'from' | 'to'>;

/** Successors of each id, keeping only edges between known ids. */
function adjacency(ids: readonly string[], edges: readonly Edge[]): Map<string, string[]> {
  const next = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const edge of edges) if (next.has(edge.to)) next.get(edge.from)?.push(edge.to);
  return next;
}

export function orderGraph(graph: Pick<SpecGraph, 'nodes' | 'edges'>): GraphOrder {
  const ids = graph.nodes.map((node) => node.node_id);
  const { indegree, first, targets } = compact(ids, graph.edges);
  const left = indegree.slice();
  const level = new Int32Array(ids.length);
  const queue = [...left.keys()].filter((i) => left[i] === 0).sort((a, b) => byId(ids[a], ids[b]));
  for (let head = 0; head < queue.length; head += 1) {
    const at = queue[head] as number;
    for (let k = first[at] as number; k < (first[at + 1] as number); k += 1) {
      const to = targets[k] as number;
      level[to] = Math.max(level[to] as number, (level[at] as number) + 1);
      if ((left[to] = (left[to] as number) - 1) === 0) queue.push(to);
    }
  }
  if (queue.length !== ids.length) {
    const [cycle] = findCycles(
      ids.filter((_, i) => (left[i] as number) > 0),
      graph.edges,
    );
    throw new GraphCycleError(cycle ?? []);
  }
  const groups: string[][] = [];
  for (const at of queue) (groups[level[at] as number] ??= []).push(ids[at] as string);
  const longest = new Int32Array(ids.length);
  const priority: Record<string, number> = {};
  for (let i = queue.length - 1; i >= 0; i -= 1) {
    const at = queue[i] as number;
    let below = 0;
    for (let k = first[at] as number; k < (first[at + 1] as number); k += 1)
      below = Math.max(below, longest[targets[k] as number] as number);
    longest[at] = below + 1;
    priority[ids[at] as string] = below + 1;
  }
  return {
    order: queue.map((at) => ids[at] as string),
    parallel_groups: groups.map((group) => group.sort()),
    priority,
  };
}

/** The order `Array.prototype.sort` gives strings by default (UTF-16 code units), as a comparator. */
const byId = (a: string | undefined, b: string | undefined): number => ((a as string) < (b as string) ? -1 : 1);

/** Strongly connected components (Tarjan, explicit stack), each as a list of ids. */
function components(ids: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (id: string): void => {
    index.set(id, index.size);
    low.set(id, index.size - 1);
    stack.push(id);
    onStack.add(id);
  };
  for (const root of ids) {
    if (index.has(root)) continue;
    visit(root);
    const frames: { id: string; next: number }[] = [{ id: root, next: 0 }];
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as { id: string; next: number };
      const outs = next.get(frame.id) ?? [];
      if (frame.next < outs.length) {
        const to = outs[frame.next] as string;
        frame.next += 1;
        if (!index.has(to)) {
          visit(to);
          frames.push({ id: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id) ?? 0, index.get(to) ?? 0));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) ?? 0, low.get(frame.id) ?? 0));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const component: string[] = [];
      for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
        onStack.delete(member);
        component.push(member);
        if (member === frame.id) break;
      }
      found.push(component);
    }
  }
  return found;
}

/** A shortest cycle through `start` using only edges inside `members` (start is on a cycle there). */
function cycleThrough(
  start: string,
  members: ReadonlySet<string>,
  next: ReadonlyMap<string, readonly string[]>,
): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head += 1) {
    const id = queue[head] as string;
    for (const to of next.get(id) ?? []) {
      if (to === start) {
        const back = [start];
        for (let at: string | undefined = id; at !== undefined && at !== start; at = parent.get(at)) back.push(at);
        return [...back, start].reverse();
      }
      if (members.has(to) && !parent.has(to)) {
        parent.set(to, id);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

/**
 * The edges between `ids` over indexes: each id's successors are `targets[first[i] .. first[i + 1])`, in edge order
 * (duplicates kept), and `indegree[i]` counts the edges into it; edges naming another id are left out.
 */
function compact(
  ids: readonly string[],
  edges: readonly Edge[],
): { indegree: Int32Array; first: Int32Array; targets: Int32Array } {
  const index = new Map(ids.map((id, i) => [id, i]));
  const [from, to] = [new Int32Array(edges.length).fill(-1), new Int32Array(edges.length)];
  const indegree = new Int32Array(ids.length);
  const first = new Int32Array(ids.length + 1);
  edges.forEach((edge, k) => {
    const [f, t] = [index.get(edge.from), index.get(edge.to)];
    if (f === undefined || t === undefined) return;
    [from[k], to[k]] = [f, t];
    indegree[t] = (indegree[t] as number) + 1;
    first[f + 1] = (first[f + 1] as number) + 1;
  });
  for (let i = 0; i < ids.length; i += 1) first[i + 1] = (first[i + 1] as number) + (first[i] as number);
  const targets = new Int32Array(first[ids.length] as number);
  const filled = first.slice(0, ids.length);
  for (let k = 0; k < edges.length; k += 1) {
    const f = from[k] as number;
    if (f >= 0) targets[(filled[f] = (filled[f] as number) + 1) - 1] = to[k] as number;
  }
  return { indegree, first, targets };
}

/** Whether the edges between `ids` form no cycle: Kahn's algorithm over indexes, the validator's common case. */
function acyclic(ids: readonly string[], edges: readonly Edge[]): boolean {
  const { indegree, first, targets } = compact(ids, edges);
  const queue = [...indegree.keys()].filter((i) => indegree[i] === 0);
  for (let head = 0; head < queue.length; head += 1) {
    const at = queue[head] as number;
    for (let k = first[at] as number; k < (first[at + 1] as number); k += 1) {
      const t = targets[k] as number;
      if ((indegree[t] = (indegree[t] as number) - 1) === 0) queue.push(t);
    }
  }
  return queue.length === ids.length;
}

/**
 * One cycle per group of mutually dependent ids (strongly connected component), each as a path
 * from the group's smallest id back to it: `['a', 'b', 'c', 'a']`. Sorted by that first id.
 */
export function findCycles(ids: readonly string[], edges: readonly Edge[]): string[][] {
  if (acyclic(ids, edges)) return [];
  const next = adjacency(ids, edges);
  return components(ids, next)
    .filter((group) => group.length > 1 || (next.get(group[0] as string) ?? []).includes(group[0] as string))
    .map((group) => cycleThrough([...group].sort()[0] as string, new Set(group), next))
    .sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
}
