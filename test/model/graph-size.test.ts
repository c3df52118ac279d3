/**
 * Issue 23 finding 6: a config's graph is limited after region expansion (nodes, edges, regions),
 * counted from the config before any graph is built and exactly as buildSpecGraph builds it, and
 * refused with one issue naming the count and the limit. Graph ids stay what they were.
 */
import fc from 'fast-check';
import { buildSpecGraph, graphIdOf } from '../../src/model/build-graph';
import type { SpecEdge, SpecNode } from '../../src/model/graph-types';
import { canonicalJson, shortHash } from '../../src/model/hash';
import { graphSize } from '../../src/model/regions';
import {
  MAX_EDGES,
  MAX_NODES,
  MAX_REGIONS,
  validateConfig,
  type ValidationIssue,
} from '../../src/model/validate-config';
import { catalog } from './catalog';
import { RUNS } from './runs';

const REGIONS = [
  ...['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'af-south-1'],
  ...['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'eu-south-1', 'me-south-1'],
  ...['ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2'],
];

/** `count` regional resources, each depending on the one before, in every one of `regions`. */
function chained(count: number, regions: readonly string[] = REGIONS): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < count; i += 1)
    resources[`b${i}`] = {
      type: 'test:regional',
      properties: { name: `b${i}` },
      ...(i > 0 ? { depends_on: [`b${i - 1}`] } : {}),
    };
  return { deployment_id: 'big', targets: [{ provider: 'aws', regions }], resources };
}

/** `count` region-less resources, each depending on the `fan` before it. */
function fanned(count: number, fan: number): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < count; i += 1)
    resources[`n${i}`] = {
      type: 'core:delay',
      depends_on: Array.from({ length: Math.min(i, fan) }, (_, k) => `n${i - k - 1}`),
    };
  return { deployment_id: 'wide', resources };
}

const errorsOf = (input: unknown): ValidationIssue[] => {
  const result = validateConfig(input, catalog);
  if (result.ok) throw new Error('expected the config to be refused');
  return result.errors;
};

function built(input: unknown) {
  const result = validateConfig(input, catalog);
  if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
  return buildSpecGraph(result.config, catalog, null);
}

describe('graph size limits', () => {
  it('refuses the config of finding 6 (2,000 chained resources in 20 regions) with one issue: its node count and the limit', () => {
    expect(errorsOf(chained(2_000))).toEqual([
      {
        path: 'resources',
        resource_id: null,
        message:
          'the config expands to 40,000 nodes (2,000 resources, the regional ones in 20 AWS regions): the limit is 10,000 nodes',
      },
    ]);
  });

  it('accepts MAX_NODES nodes after region expansion and refuses one more', () => {
    const graph = built(chained(MAX_NODES / REGIONS.length));
    expect([graph.nodes.length, graph.edges.length]).toEqual([MAX_NODES, MAX_NODES - REGIONS.length]);
    const oneMore = chained(MAX_NODES / REGIONS.length);
    (oneMore['resources'] as Record<string, unknown>)['extra'] = { type: 'core:delay' };
    expect(errorsOf(oneMore).map((e) => e.message)).toEqual([
      'the config expands to 10,001 nodes (501 resources, the regional ones in 20 AWS regions): the limit is 10,000 nodes',
    ]);
    expect(errorsOf(fanned(MAX_NODES + 1, 1)).map((e) => e.message)).toEqual([
      'the config expands to 10,001 nodes (one per resource): the limit is 10,000 nodes',
    ]);
  });

  it('accepts a config just under both limits and builds all of it', () => {
    const graph = built(fanned(MAX_NODES, MAX_EDGES / MAX_NODES));
    expect([graph.nodes.length, graph.edges.length]).toEqual([MAX_NODES, MAX_EDGES - 15]);
  });

  it('refuses more than MAX_EDGES edges, counted per region', () => {
    expect(errorsOf(fanned(1_000, 60)).map((e) => e.message)).toEqual([
      'the config expands to 58,170 edges (depends_on and references between nodes, per region): the limit is 50,000 edges',
    ]);
    // Each region-less resource depends on every node of 250 resources in 20 regions: 5,000 edges each.
    const config = chained(250);
    const resources = config['resources'] as Record<string, { depends_on?: string[] }>;
    for (const b of Object.values(resources)) delete b.depends_on;
    for (let i = 0; i < 11; i += 1)
      resources[`gate${i}`] = {
        type: 'core:delay',
        depends_on: Object.keys(resources).filter((k) => k[0] === 'b'),
      } as never;
    expect(errorsOf(config)).toEqual([
      {
        path: 'resources',
        resource_id: null,
        message:
          'the config expands to 55,000 edges (depends_on and references between nodes, per region): the limit is 50,000 edges',
      },
    ]);
  });

  it('refuses more than MAX_REGIONS regions before anything else, whichever target lists them', () => {
    const regions = [...REGIONS, 'us-gov-west-1'];
    expect(errorsOf({ ...chained(3, regions), deployment_id: 'Not Valid' })).toEqual([
      { path: 'targets', resource_id: null, message: `21 AWS regions: the limit is ${MAX_REGIONS}` },
    ]);
    const many = Array.from({ length: 5_000 }, (_, i) => `xx-region-${i}`);
    expect(errorsOf({ ...fanned(2, 1), targets: [{ provider: 'github', regions: many }] })).toEqual([
      { path: 'targets', resource_id: null, message: `5,000 AWS regions: the limit is ${MAX_REGIONS}` },
    ]);
  });

  it('counts exactly the nodes and edges buildSpecGraph builds, selectors, pins and duplicates included', () => {
    const resourceArb = (i: number) =>
      fc.record({
        regional: fc.boolean(),
        pin: fc.option(fc.nat(2), { nil: undefined }),
        deps: fc.array(fc.tuple(fc.nat(Math.max(0, i - 1)), fc.constantFrom('dependency', 'pause', 'end')), {
          maxLength: i === 0 ? 0 : 4,
        }),
        refs: fc.array(fc.tuple(fc.nat(Math.max(0, i - 1)), fc.option(fc.nat(2), { nil: null })), {
          maxLength: i === 0 ? 0 : 3,
        }),
      });
    const configArb = fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 12 }))
      .chain(([regions, count]) =>
        fc.tuple(
          fc.constant(REGIONS.slice(0, regions)),
          fc.tuple(...Array.from({ length: count }, (_, i) => resourceArb(i))),
        ),
      );
    fc.assert(
      fc.property(configArb, ([regions, specs]) => {
        const resources: Record<string, unknown> = {};
        specs.forEach((spec, i) => {
          resources[`r${i}`] = {
            type: spec.regional ? 'test:regional' : 'core:delay',
            ...(spec.regional ? { properties: { name: `r${i}` } } : {}),
            ...(spec.regional && spec.pin !== undefined ? { region: regions[spec.pin % regions.length] } : {}),
            depends_on: spec.deps.map(([to, edge]) => ({ resource: `r${to}`, edge })),
            references: Object.fromEntries(
              spec.refs.map(([to, region], k) => [
                `ref${k}`,
                region === null ? `r${to}.out` : `r${to}[${regions[region % regions.length] as string}].out`,
              ]),
            ),
          };
        });
        const config = { deployment_id: 'count', targets: [{ provider: 'aws', regions }], resources };
        const result = validateConfig(config, catalog);
        fc.pre(result.ok);
        const graph = built(config);
        expect(graphSize(resources, catalog, config, Infinity)).toEqual({
          nodes: graph.nodes.length,
          edges: graph.edges.length,
        });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('graph ids', () => {
  it('keeps the graph ids configs had before', () => {
    const regional = {
      deployment_id: 'ids',
      version: 'v7',
      targets: [{ provider: 'aws', regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'] }],
      resources: {
        role: { type: 'test:global-name', properties: { name: 'role' }, region: 'eu-west-1', tags: { team: 'é"\\' } },
        fn: {
          type: 'test:regional',
          properties: { name: 'fn', size: 3 },
          references: { role: 'role', z: 'role.arn' },
          depends_on: [{ resource: 'role', edge: 'pause' }],
        },
        secret: { type: 'core:delay', references: { value: 'fn[us-east-1].arn' }, depends_on: ['fn'] },
        stop: {
          type: 'core:delay',
          properties: { duration_ms: 5, outputs: { '10': 'a', '9': 'b', nested: { y: [1, null, { b: 2, a: 1 }] } } },
          depends_on: [{ resource: 'secret', edge: 'end' }],
        },
      },
    };
    expect(built(regional).graph_id).toBe('7196afe3c9bb8595');
    expect(built(fanned(50, 3)).graph_id).toBe('a4bd5ccf02356dd4');
    expect(built(chained(4, REGIONS.slice(0, 5))).graph_id).toBe('b827e994e413011c');
  });

  it('hashes the canonical JSON of any graph, odd records included', () => {
    const node = built(fanned(3, 1)).nodes[0] as SpecNode;
    const edge: SpecEdge = { from: 'a', to: 'b', kind: 'dependency' };
    const odd: [SpecNode[], SpecEdge[]][] = [
      [[{ ...node, extra: 1 } as SpecNode, node], [edge]],
      [[{ ...node, tags: undefined } as unknown as SpecNode], [{ ...edge, note: 'x' } as SpecEdge]],
      [[node], [{ ...edge, kind: undefined } as unknown as SpecEdge, { to: 'c', from: 'b', kind: 'end' }]],
    ];
    for (const [nodes, edges] of odd) {
      const sorted = [...nodes].sort((a, b) => (a.node_id < b.node_id ? -1 : 1));
      const expected = shortHash(canonicalJson({ deployment_id: 'd', version: 'v', nodes: sorted, edges }), 16);
      expect(graphIdOf('d', 'v', nodes, edges)).toBe(expected);
    }
  });
});
