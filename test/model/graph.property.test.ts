/** Properties of graph building and ordering, over random DAGs and random cyclic configs (fast-check). */
import fc from 'fast-check';
import { buildSpecGraph } from '../../src/model/build-graph';
import { orderGraph } from '../../src/model/order';
import { validateConfig } from '../../src/model/validate-config';
import { catalog } from './catalog';
import { RUNS } from './runs';

const dagArb = fc
  .integer({ min: 1, max: 25 })
  .chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 3 })));

function dagConfig(n: number, pairs: [number, number][]) {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < n; i += 1) {
    const deps = [
      ...new Set(pairs.filter(([a, b]) => Math.max(a, b) === i && a !== b).map(([a, b]) => `r${Math.min(a, b)}`)),
    ];
    resources[`r${i}`] = { type: 'core:delay', depends_on: deps };
  }
  return { deployment_id: 'prop', resources };
}

function build(input: unknown) {
  const result = validateConfig(input, catalog);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return buildSpecGraph(result.config, catalog, null);
}

describe('graph ordering', () => {
  it('orders every edge forward, groups by level, and computes the longest remaining path', () => {
    fc.assert(
      fc.property(dagArb, ([n, pairs]) => {
        const graph = build(dagConfig(n, pairs));
        const { order, parallel_groups, priority } = orderGraph(graph);
        const position = new Map(order.map((id, i) => [id, i]));
        const level = new Map(parallel_groups.flatMap((g, l) => g.map((id) => [id, l] as const)));
        expect(order).toHaveLength(graph.nodes.length);
        for (const e of graph.edges) {
          expect(position.get(e.from)).toBeLessThan(position.get(e.to) as number);
          expect(level.get(e.from)).toBeLessThan(level.get(e.to) as number);
        }
        const longest = (id: string): number =>
          1 + Math.max(0, ...graph.edges.filter((e) => e.from === id).map((e) => longest(e.to)));
        for (const node of graph.nodes) expect(priority[node.node_id]).toBe(longest(node.node_id));
      }),
      { numRuns: RUNS },
    );
  });

  it('gives the same config the same node ids and graph id, whatever its key order', () => {
    fc.assert(
      fc.property(dagArb, ([n, pairs]) => {
        const config = dagConfig(n, pairs);
        const reversed = {
          resources: Object.fromEntries(Object.entries(config.resources).reverse()),
          deployment_id: config.deployment_id,
        };
        const a = build(config);
        const b = build(reversed);
        expect(b.graph_id).toBe(a.graph_id);
        expect(b.nodes.map((x) => x.node_id).sort()).toEqual(a.nodes.map((x) => x.node_id).sort());
      }),
      { numRuns: RUNS },
    );
  });
});

describe('cycle detection', () => {
  it('rejects every config with a cycle, reporting a path that is a real cycle of the config', () => {
    const cyclic = dagArb.chain(([n, pairs]) =>
      fc.tuple(fc.constant(n), fc.constant(pairs), fc.nat(n - 1), fc.nat(n - 1)),
    );
    fc.assert(
      fc.property(cyclic, ([n, pairs, x, y]) => {
        const config = dagConfig(n, pairs);
        const [lo, hi] = [Math.min(x, y), Math.max(x, y)];
        // an edge backwards (hi → lo) closes a cycle when lo reaches hi; with lo == hi it is a self-loop
        const resource = config.resources[`r${lo}`] as { depends_on: string[] };
        resource.depends_on = [...resource.depends_on, `r${hi}`];
        const reaches = (from: number, to: number): boolean =>
          from === to || pairs.some(([a, b]) => Math.min(a, b) === from && a !== b && reaches(Math.max(a, b), to));
        const result = validateConfig(config, catalog);
        if (!reaches(lo, hi)) return; // no cycle was closed
        expect(result.ok).toBe(false);
        if (result.ok) return;
        if (lo === hi) {
          expect(result.errors.map((e) => e.message)).toContain(`"r${lo}" cannot depend on itself`);
          return;
        }
        const cycles = result.errors.filter((e) => e.message.startsWith('dependency cycle: '));
        expect(cycles.length).toBeGreaterThan(0);
        for (const c of cycles) {
          const path = c.message.slice('dependency cycle: '.length).split(' → ');
          expect(path[0]).toBe(path[path.length - 1]);
          for (let i = 0; i + 1 < path.length; i += 1) {
            const deps = (config.resources[path[i + 1] as string] as { depends_on: string[] }).depends_on;
            expect(deps).toContain(path[i]);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = validateConfig(value, catalog);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('large graphs', () => {
  it('builds and orders a 10,000-resource config', () => {
    const resources: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i += 1)
      resources[`r${i}`] = { type: 'core:delay', depends_on: i < 100 ? [] : [`r${i - 100}`] };
    const graph = build({ deployment_id: 'big', resources });
    const { order, parallel_groups } = orderGraph(graph);
    expect(order).toHaveLength(10_000);
    expect(parallel_groups).toHaveLength(100);
  });
});

describe('regional expansion', () => {
  it('makes one node per region with edges inside each region, and region-less dependents on every region', () => {
    const graph = build({
      deployment_id: 'multi',
      targets: [{ provider: 'aws', regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'] }],
      resources: {
        role: { type: 'core:delay' },
        fn: { type: 'test:regional', properties: { name: 'f' }, references: { role: 'role' } },
        alias: { type: 'test:regional', properties: { name: 'a' }, depends_on: ['fn'] },
        secret: {
          type: 'core:delay',
          references: { value: 'fn[eu-west-1].arn' },
          depends_on: [{ resource: 'alias', edge: 'pause' }],
        },
      },
    });
    const ids = (r: string) => graph.nodes.filter((n) => n.resource_id === r);
    expect(
      ids('fn')
        .map((n) => n.region)
        .sort(),
    ).toEqual(['ap-northeast-1', 'eu-west-1', 'us-east-1']);
    const edge = (from: string, to: string) => graph.edges.find((e) => e.from === from && e.to === to);
    for (const fn of ids('fn')) {
      const alias = ids('alias').find((a) => a.region === fn.region);
      expect(edge(fn.node_id, alias?.node_id as string)?.kind).toBe('dependency');
      expect(edge(ids('role')[0]?.node_id as string, fn.node_id)).toBeDefined();
      expect(fn.references['role']).toEqual({
        raw: 'role',
        node_id: ids('role')[0]?.node_id,
        resource_id: 'role',
        region: null,
        output: null,
      });
    }
    const secret = ids('secret')[0];
    expect(secret?.references['value']?.node_id).toBe(ids('fn').find((n) => n.region === 'eu-west-1')?.node_id);
    for (const alias of ids('alias')) expect(edge(alias.node_id, secret?.node_id as string)?.kind).toBe('pause');
    expect(
      graph.edges.filter((e) => e.to === secret?.node_id && ids('fn').some((f) => f.node_id === e.from)),
    ).toHaveLength(1);
  });
});
