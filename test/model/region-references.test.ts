/**
 * Issue 13, seed 001 §9: the example configuration of §9.2, read from the seed itself, builds into
 * a graph whose unqualified references resolve per region: from a regional node to the node in its
 * own region, from a region-less one (the GitHub secret) to the first region listed, with a plan
 * warning naming it and how to select another. An AWS target without regions deploys to the
 * credentials' region, else us-east-1 (§9.1).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSpecGraph } from '../../src/model/build-graph';
import type { ResourceCatalog } from '../../src/model/catalog';
import type { SpecGraph, SpecNode } from '../../src/model/graph-types';
import { regionChoiceWarnings, resolveReferences } from '../../src/model/references';
import { awsRegions } from '../../src/model/regions';
import { validateConfig } from '../../src/model/validate-config';
import { registry } from '../../src/resources/registry';
import { catalog } from './catalog';

const SEEDS = join(__dirname, '..', '..', '..', 'shared', 'seeds');

/** The JSON block under "### 9.2" of seed 001. */
function seedExample(): string {
  const seed = readdirSync(SEEDS).find((file) => file.startsWith('001_'));
  if (!seed) throw new Error(`no seed 001 in ${SEEDS}`);
  const block = /^### 9\.2[^\n]*\n+```json\n([\s\S]*?)\n```/m.exec(readFileSync(join(SEEDS, seed), 'utf8'));
  if (!block?.[1]) throw new Error('seed 001 has no JSON block under "### 9.2"');
  return block[1];
}

/**
 * The seed's example as JSON: it elides the trust policy (`{...}`), given here as Lambda's (the
 * type's default), and its sealed values are placeholders, given as base64 (only their shape is
 * checked before a run opens them).
 */
const LAMBDA_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
type Example = Record<string, unknown> & { resources: Record<string, { references: Record<string, string> }> };
const example = (): Example =>
  JSON.parse(
    seedExample()
      .replace('{...}', JSON.stringify(LAMBDA_TRUST))
      .replaceAll('"base64-nacl-encrypted..."', '"c2VhbGVkIGJveA=="'),
  ) as Example;

/** The seed's example with its secret's reference and its targets replaced. */
function variant(valueFrom: string, regions: readonly string[]): Example {
  const config = example();
  Object.assign(config.resources['lambda-arn-secret']?.references ?? {}, { value_from: valueFrom });
  return { ...config, targets: [{ provider: 'aws', regions }] };
}

/** The config, validated and built into its graph. */
function built(input: Record<string, unknown>, types: ResourceCatalog = registry): SpecGraph {
  const result = validateConfig(input, types);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return buildSpecGraph(result.config, types, null);
}

const nodeOf = (graph: SpecGraph, resource: string, region: string | null = null): SpecNode => {
  const node = graph.nodes.find((n) => n.resource_id === resource && n.region === region);
  if (!node) throw new Error(`no node of ${resource} in ${String(region)}`);
  return node;
};

/** Every node's outputs: an ARN naming its resource and region. */
const arnOf = (graph: SpecGraph) => (nodeId: string) => {
  const node = graph.nodes.find((n) => n.node_id === nodeId);
  return node && { arn: `arn:${node.resource_id}:${node.region ?? 'global'}` };
};

describe('seed 001 §9.2, as written', () => {
  it('builds into one node per region for the Lambda, one for the role and one for the secret', () => {
    const graph = built(example());
    expect(graph.nodes.map((n) => [n.resource_id, n.region])).toEqual([
      ['api-lambda', 'us-east-1'],
      ['api-lambda', 'eu-west-1'],
      ['execution-role', null],
      ['lambda-arn-secret', null],
    ]);
    const secret = nodeOf(graph, 'lambda-arn-secret');
    for (const region of ['us-east-1', 'eu-west-1']) {
      const lambda = nodeOf(graph, 'api-lambda', region);
      expect(lambda.references['role']?.node_id).toBe(nodeOf(graph, 'execution-role').node_id);
      expect(graph.edges).toContainEqual({ from: lambda.node_id, to: secret.node_id, kind: 'dependency' });
    }
  });

  it('resolves the secret\'s "api-lambda.arn" to the Lambda of the first region listed, and each Lambda\'s role to the role', () => {
    const graph = built(example());
    expect(resolveReferences(nodeOf(graph, 'lambda-arn-secret'), arnOf(graph))).toEqual({
      ok: true,
      values: { value_from: 'arn:api-lambda:us-east-1' },
    });
    expect(resolveReferences(nodeOf(graph, 'api-lambda', 'eu-west-1'), arnOf(graph))).toEqual({
      ok: true,
      values: { role: 'arn:execution-role:global' },
    });
  });

  it('warns in the plan which region the secret reads and how to pick another', () => {
    expect(regionChoiceWarnings(built(example()))).toEqual([
      'lambda-arn-secret.references.value_from: "api-lambda.arn" reads api-lambda in us-east-1, the first of its regions (us-east-1, eu-west-1); to read another region, select it: "api-lambda[eu-west-1].arn"',
    ]);
  });

  it('reads the first region as listed: with the targets the other way round, eu-west-1', () => {
    const graph = built(variant('api-lambda', ['eu-west-1', 'us-east-1']));
    expect(resolveReferences(nodeOf(graph, 'lambda-arn-secret'), arnOf(graph))).toEqual({
      ok: true,
      values: { value_from: 'arn:api-lambda:eu-west-1' },
    });
    expect(regionChoiceWarnings(graph)).toEqual([
      'lambda-arn-secret.references.value_from: "api-lambda" reads api-lambda in eu-west-1, the first of its regions (eu-west-1, us-east-1); to read another region, select it: "api-lambda[us-east-1]"',
    ]);
  });

  it('keeps a qualified reference on the region it names, without a warning', () => {
    const graph = built(variant('api-lambda[eu-west-1].arn', ['us-east-1', 'eu-west-1']));
    const secret = nodeOf(graph, 'lambda-arn-secret');
    expect(resolveReferences(secret, arnOf(graph))).toEqual({
      ok: true,
      values: { value_from: 'arn:api-lambda:eu-west-1' },
    });
    expect(regionChoiceWarnings(graph)).toEqual([]);
  });

  it('gives no warning when the Lambda is in one region only', () => {
    const graph = built(variant('api-lambda.arn', ['eu-west-1']));
    expect(resolveReferences(nodeOf(graph, 'lambda-arn-secret'), arnOf(graph))).toEqual({
      ok: true,
      values: { value_from: 'arn:api-lambda:eu-west-1' },
    });
    expect(regionChoiceWarnings(graph)).toEqual([]);
  });
});

describe('unqualified references between regional resources', () => {
  it('read the node in the referencing node’s own region, without a warning', () => {
    const graph = built(
      {
        deployment_id: 'per-region',
        targets: [{ provider: 'aws', regions: ['us-east-1', 'eu-west-1', 'ap-south-1'] }],
        resources: {
          fn: { type: 'test:regional', properties: { name: 'fn' } },
          alias: { type: 'test:regional', properties: { name: 'alias' }, references: { target: 'fn.arn' } },
        },
      },
      catalog,
    );
    for (const region of ['us-east-1', 'eu-west-1', 'ap-south-1'])
      expect(resolveReferences(nodeOf(graph, 'alias', region), arnOf(graph))).toEqual({
        ok: true,
        values: { target: `arn:fn:${region}` },
      });
    expect(regionChoiceWarnings(graph)).toEqual([]);
  });
});

describe('the regions of an AWS target without regions (seed 001 §9.1)', () => {
  const aws = { provider: 'aws' };
  const credentials = (region?: string) => ({ aws: region === undefined ? {} : { region } });

  it("are the credentials' region, else us-east-1", () => {
    expect(awsRegions({ targets: [aws], credentials: credentials('eu-central-1') })).toEqual(['eu-central-1']);
    expect(awsRegions({ targets: [aws], credentials: credentials() })).toEqual(['us-east-1']);
    expect(awsRegions({ targets: [aws] })).toEqual(['us-east-1']);
  });

  it("leave listed regions, and the credentials' region without an aws target, as they were", () => {
    const listed = { provider: 'aws', regions: ['eu-west-1', 'us-east-1'] };
    expect(awsRegions({ targets: [listed], credentials: credentials('eu-central-1') })).toEqual([
      'eu-west-1',
      'us-east-1',
    ]);
    expect(awsRegions({ targets: [{ provider: 'github' }], credentials: credentials('eu-central-1') })).toEqual([
      'eu-central-1',
    ]);
    expect(awsRegions({ targets: [{ provider: 'github' }] })).toEqual([]);
  });

  it('place a regional resource in us-east-1 when nothing names a region', () => {
    const result = validateConfig(
      {
        deployment_id: 'defaults',
        targets: [aws],
        resources: { fn: { type: 'test:regional', properties: { name: 'f' } } },
      },
      catalog,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(buildSpecGraph(result.config, catalog, null).nodes.map((n) => n.region)).toEqual(['us-east-1']);
  });
});
