/** moveGraph on seed 001's example: what a region move applies, verifies, switches and deletes, and in which order. */
import { moveGraph, settledGraph } from '../../src/model/move-graph';
import { registry } from '../../src/resources/registry';
import { buildSpecGraph } from '../../src/model/build-graph';
import type { SpecGraph } from '../../src/model/graph-types';
import { validateConfig } from '../../src/model/validate-config';

const ZIP = 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==';

function seedConfig(regions: string[], arnRegion: string): Record<string, unknown> {
  return {
    deployment_id: 'my-app-prod',
    targets: [{ provider: 'aws', regions }, { provider: 'github' }],
    resources: {
      'execution-role': { type: 'aws:iam:role', properties: { role_name: 'my-app-role' } },
      authorizer: {
        type: 'aws:lambda:function',
        properties: {
          function_name: 'my-app-auth',
          runtime: 'python3.12',
          handler: 'auth.run',
          zip_file: ZIP,
          role_arn: 'arn:aws:iam::123456789012:role/auth',
        },
      },
      'api-lambda': {
        type: 'aws:lambda:function',
        properties: { function_name: 'my-app-api', runtime: 'python3.12', handler: 'app.run', zip_file: ZIP },
        references: { role: 'execution-role' },
        depends_on: ['authorizer'],
      },
      'lambda-arn-secret': {
        type: 'github:secret:repo',
        properties: { owner: 'my-org', repo: 'my-app', secret_name: 'LAMBDA_ARN' },
        references: { value_from: `api-lambda[${arnRegion}].arn` },
        depends_on: [{ resource: 'api-lambda', edge: 'pause' }],
      },
    },
  };
}

function graphOf(config: Record<string, unknown>): SpecGraph {
  const validated = validateConfig(config, registry);
  if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
  return buildSpecGraph(validated.config, registry, null);
}

const label = (graph: SpecGraph, id: string): string => {
  const node = graph.nodes.find((n) => n.node_id === id);
  return node ? `${node.operation === 'delete' ? 'delete ' : ''}${node.resource_id}@${node.region ?? '-'}` : id;
};

describe('moveGraph', () => {
  const old = graphOf(seedConfig(['us-east-1', 'ap-southeast-2'], 'us-east-1'));
  const result = moveGraph(old, { from_region: 'us-east-1', to_region: 'eu-west-1', delete_old: true }, null);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const { graph, move } = result;

  it('once settled, is exactly the graph of the config deployed to the new region with its selector rewritten', () => {
    const expected = graphOf(seedConfig(['eu-west-1', 'ap-southeast-2'], 'eu-west-1'));
    const settled = settledGraph(graph, move);
    expect({ ...settled, nodes: [...settled.nodes].sort((a, b) => a.node_id.localeCompare(b.node_id)) }).toEqual({
      ...expected,
      nodes: [...expected.nodes].sort((a, b) => a.node_id.localeCompare(b.node_id)),
    });
  });

  it('deletes the old region’s nodes under their own node ids, after every applied sink, dependents first', () => {
    const oldLambda = old.nodes.find((n) => n.resource_id === 'api-lambda' && n.region === 'us-east-1');
    expect(move).toEqual({
      from_region: 'us-east-1',
      to_region: 'eu-west-1',
      deleted_node_ids: expect.arrayContaining([oldLambda?.node_id]),
    });
    expect(move.deleted_node_ids.map((id) => label(graph, id)).sort()).toEqual([
      'delete api-lambda@us-east-1',
      'delete authorizer@us-east-1',
    ]);
    const into = (id: string) =>
      graph.edges
        .filter((e) => e.to === id)
        .map((e) => `${label(graph, e.from)} ${e.kind}`)
        .sort();
    const [lambdaDelete, authorizerDelete] = ['api-lambda', 'authorizer'].map(
      (r) => graph.nodes.find((n) => n.resource_id === r && n.operation === 'delete')?.node_id ?? '',
    );
    expect(into(lambdaDelete ?? '')).toEqual(['lambda-arn-secret@- dependency']);
    expect(into(authorizerDelete ?? '')).toEqual(['delete api-lambda@us-east-1 dependency']);
  });

  it('keeps pause edges, so the move pauses where a deploy would', () => {
    const secret = graph.nodes.find((n) => n.resource_id === 'lambda-arn-secret');
    expect(
      graph.edges
        .filter((e) => e.to === secret?.node_id)
        .map((e) => `${label(graph, e.from)} ${e.kind}`)
        .sort(),
    ).toEqual(['api-lambda@ap-southeast-2 pause', 'api-lambda@eu-west-1 pause']);
  });

  it('without delete_old, keeps the old region as it was: the deployment then spans both', () => {
    const copy = moveGraph(old, { from_region: 'us-east-1', to_region: 'eu-west-1', delete_old: false }, null);
    if (!copy.ok) throw new Error('refused');
    expect(copy.move.deleted_node_ids).toEqual([]);
    expect(copy.graph.nodes.map((n) => `${n.operation} ${n.resource_id}@${n.region ?? '-'}`).sort()).toEqual([
      'create api-lambda@ap-southeast-2',
      'create api-lambda@eu-west-1',
      'create api-lambda@us-east-1',
      'create authorizer@ap-southeast-2',
      'create authorizer@eu-west-1',
      'create authorizer@us-east-1',
      'create execution-role@-',
      'create lambda-arn-secret@-',
    ]);
    const oldLambda = old.nodes.find((n) => n.resource_id === 'api-lambda' && n.region === 'us-east-1')?.node_id ?? '';
    expect(copy.graph.edges.filter((e) => e.to === oldLambda)).toEqual(old.edges.filter((e) => e.to === oldLambda));
    expect(copy.graph.edges.filter((e) => e.from === oldLambda)).toEqual([]);
    const secret = copy.graph.nodes.find((n) => n.resource_id === 'lambda-arn-secret');
    expect(secret?.references['value_from']).toMatchObject({ raw: 'api-lambda[eu-west-1].arn', region: 'eu-west-1' });
  });

  it('names the field when the deployment is not in from_region, is already in to_region, or both are the same', () => {
    const problems = (from: string, to: string) => {
      const r = moveGraph(old, { from_region: from, to_region: to, delete_old: true }, null);
      return r.ok ? [] : r.problems;
    };
    expect(problems('eu-central-1', 'eu-west-1')).toEqual([
      {
        path: 'from_region',
        message: 'deployment my-app-prod has no resources in eu-central-1 (its regions: ap-southeast-2, us-east-1)',
      },
    ]);
    expect(problems('us-east-1', 'ap-southeast-2')).toEqual([
      {
        path: 'to_region',
        message: 'deployment my-app-prod is already in ap-southeast-2: a move needs a region it is not in',
      },
    ]);
    expect(problems('us-east-1', 'us-east-1')).toEqual([{ path: 'to_region', message: 'is the same as from_region' }]);
  });
});
