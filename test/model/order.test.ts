/** orderGraph and findCycles on raw graphs: unit cases and fast-check properties against brute force. */
import fc from 'fast-check';
import { GraphCycleError } from '../../src/model/errors';
import { findCycles, orderGraph } from '../../src/model/order';
import { RUNS } from './runs';

type Edge = { from: string; to: string; kind: 'dependency' };
const graphOf = (ids: string[], pairs: [string, string][]) => ({
  nodes: ids.map((node_id) => ({ node_id })) as never,
  edges: pairs.map(([from, to]): Edge => ({ from, to, kind: 'dependency' })),
});

/** Random directed graphs on n0..n(k-1), cycles allowed. */
const graphArb = fc
  .integer({ min: 1, max: 12 })
  .chain((n) =>
    fc.tuple(
      fc.constant(Array.from({ length: n }, (_, i) => `n${i}`)),
      fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 3 }),
    ),
  );
/** Random DAGs: edges only from a lower to a higher index, ids shuffled so the index order is not the id order. */
const dagArb = graphArb
  .chain(([ids, pairs]) => fc.tuple(fc.shuffledSubarray(ids, { minLength: ids.length }), fc.constant(pairs)))
  .map(([ids, pairs]) => ({
    ids,
    edges: pairs.filter(([a, b]) => a < b).map(([a, b]): [string, string] => [ids[a] as string, ids[b] as string]),
  }));

function reach(ids: string[], edges: [string, string][]): (a: string, b: string) => boolean {
  const r = new Map(ids.map((a) => [a, new Set<string>()]));
  for (const [a, b] of edges) r.get(a)?.add(b);
  for (const k of ids) for (const i of ids) if (r.get(i)?.has(k)) for (const j of r.get(k) ?? []) r.get(i)?.add(j);
  return (a, b) => r.get(a)?.has(b) ?? false;
}

describe('orderGraph', () => {
  it('orders a diamond, groups it by level and ranks each node by its longest path to a sink', () => {
    const order = orderGraph(
      graphOf(
        ['d', 'c', 'b', 'a'],
        [
          ['a', 'b'],
          ['a', 'c'],
          ['b', 'd'],
          ['c', 'd'],
          ['a', 'd'],
        ],
      ),
    );
    expect(order).toEqual({
      order: ['a', 'b', 'c', 'd'],
      parallel_groups: [['a'], ['b', 'c'], ['d']],
      priority: { a: 3, b: 2, c: 2, d: 1 },
    });
  });

  it('refuses a cyclic graph with a typed error naming the cycle', () => {
    const run = () =>
      orderGraph(
        graphOf(
          ['a', 'b', 'c', 'z'],
          [
            ['z', 'a'],
            ['a', 'b'],
            ['b', 'c'],
            ['c', 'a'],
          ],
        ),
      );
    expect(run).toThrow(GraphCycleError);
    expect(run).toThrow('the graph has a cycle: a → b → c → a');
  });

  it('respects every edge, levels every node by its longest path from a source, and ranks by the longest path to a sink', () => {
    fc.assert(
      fc.property(dagArb, ({ ids, edges }) => {
        const { order, parallel_groups, priority } = orderGraph(graphOf(ids, edges));
        expect([...order].sort()).toEqual([...ids].sort());
        const position = new Map(order.map((id, i) => [id, i]));
        for (const [a, b] of edges) expect(position.get(a)).toBeLessThan(position.get(b) as number);
        const succ = (id: string) => edges.filter(([a]) => a === id).map(([, b]) => b);
        const pred = (id: string) => edges.filter(([, b]) => b === id).map(([a]) => a);
        const toSink = (id: string): number => 1 + Math.max(0, ...succ(id).map(toSink));
        const fromSource = (id: string): number => Math.max(-1, ...pred(id).map(fromSource)) + 1;
        parallel_groups.forEach((group, level) => {
          expect(group).toEqual([...group].sort());
          for (const id of group) expect(fromSource(id)).toBe(level);
        });
        expect(parallel_groups.flat().sort()).toEqual([...ids].sort());
        for (const id of ids) expect(priority[id]).toBe(toSink(id));
      }),
      { numRuns: RUNS },
    );
  });

  it('orders 20,000 nodes in a chain without running out of stack', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `n${String(i).padStart(5, '0')}`);
    const { order, priority } = orderGraph(
      graphOf(
        ids,
        ids.slice(1).map((id, i) => [ids[i] as string, id]),
      ),
    );
    expect(order).toEqual(ids);
    expect(priority[ids[0] as string]).toBe(20_000);
  });
});

describe('findCycles', () => {
  it('reports one cycle per group of mutually dependent ids, from its smallest id, plus self-loops', () => {
    const cycles = findCycles(
      ['e', 'd', 'c', 'b', 'a', 'x', 's'],
      [
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
        ['c', 'b'],
        ['d', 'e'],
        ['e', 'd'],
        ['c', 'd'],
        ['s', 's'],
        ['x', 'a'],
      ].map(([from, to]) => ({ from: from as string, to: to as string })),
    );
    expect(cycles).toEqual([
      ['a', 'b', 'c', 'a'],
      ['d', 'e', 'd'],
      ['s', 's'],
    ]);
  });

  it('finds nothing in a DAG and ignores edges to unknown ids', () => {
    expect(
      findCycles(
        ['a', 'b'],
        [
          { from: 'a', to: 'b' },
          { from: 'b', to: 'ghost' },
          { from: 'ghost', to: 'a' },
        ],
      ),
    ).toEqual([]);
  });

  it('walks a 20,000-node cycle iteratively', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `n${String(i).padStart(5, '0')}`);
    const edges = ids.map((id, i) => ({ from: id, to: ids[(i + 1) % ids.length] as string }));
    const [cycle] = findCycles(ids, edges);
    expect(cycle).toHaveLength(20_001);
  });

  it('reports real cycles only, exactly one per strongly connected group with a cycle', () => {
    fc.assert(
      fc.property(graphArb, ([ids, pairs]) => {
        const edges = pairs.map(([a, b]): [string, string] => [ids[a] as string, ids[b] as string]);
        const reaches = reach(ids, edges);
        const cycles = findCycles(
          ids,
          edges.map(([from, to]) => ({ from, to })),
        );
        for (const cycle of cycles) {
          expect(cycle[0]).toBe(cycle[cycle.length - 1]);
          expect(new Set(cycle.slice(0, -1)).size).toBe(cycle.length - 1);
          for (let i = 0; i + 1 < cycle.length; i += 1) expect(edges).toContainEqual([cycle[i], cycle[i + 1]]);
        }
        const onCycle = ids.filter((id) => reaches(id, id));
        const groups = new Set(
          onCycle.map((id) =>
            onCycle
              .filter((other) => reaches(id, other) && reaches(other, id))
              .sort()
              .join(','),
          ),
        );
        expect(cycles).toHaveLength(groups.size);
        expect(cycles.map((c) => c[0]).sort()).toEqual([...groups].map((g) => g.split(',')[0]).sort());
      }),
      { numRuns: RUNS },
    );
  });
});
