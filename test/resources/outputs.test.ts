/**
 * The documented outputs (src/resources/outputs.ts) cover exactly the registry's types, and
 * describe what the types' own code returns: each outputs schema, strict, parses what the
 * `outputsOf` functions the AWS types export and the core types' applies build.
 */
import type { z } from 'zod';
import type { NodeTarget, OperationContext } from '../../src/resources/resource-type';
import { OUTPUTS, documentedTypes } from '../../src/resources/outputs';
import { registry, resourceType } from '../../src/resources/registry';
import { outputsOf as roleOutputs } from '../../src/resources/aws/iam-role-state';
import { outputsOf as policyOutputs } from '../../src/resources/aws/iam-policy-state';
import { outputsOf as functionOutputs } from '../../src/resources/aws/lambda-function-state';
import { outputsOf as objectOutputs } from '../../src/resources/aws/s3-object-state';
import type { Place } from '../../src/resources/aws/s3-object-place';

/** A node of `type` with `properties` parsed by the type's own schema. */
function target(
  type: string,
  properties: Record<string, unknown>,
  refs: Record<string, unknown> = {},
): NodeTarget<never> {
  return {
    deployment_id: 'd',
    graph_id: 'g',
    refs,
    properties: resourceType(type).properties.parse(properties) as never,
    node: {
      node_id: 'n1',
      resource_id: 'r',
      type,
      operation: 'create',
      region: null,
      properties,
      references: {},
      tags: {},
    },
  };
}

const ctx = {
  credentials: null,
  clients: {},
  heartbeat: () => undefined,
  signal: new AbortController().signal,
  attempt: 1,
  lastHeartbeat: undefined,
  log: () => undefined,
} as unknown as OperationContext;

const schemaOf = (type: string): z.ZodObject => {
  const schema = OUTPUTS[type];
  if (!schema) throw new Error(`no outputs documented for ${type}`);
  return schema;
};

it('documents the outputs of every registered type, and of nothing else', () => {
  expect(Object.keys(OUTPUTS).sort()).toEqual([...registry.keys()].sort());
  expect([...documentedTypes().keys()]).toEqual([...registry.keys()]);
  for (const [name, type] of documentedTypes()) expect(type.outputs).toBe(OUTPUTS[name]);
});

it.each([
  [
    'aws:iam:role',
    roleOutputs(
      { arn: 'arn:aws:iam::123456789012:role/r', role_id: 'AROA1' },
      target('aws:iam:role', { role_name: 'r' }) as never,
    ),
  ],
  [
    'aws:iam:policy',
    policyOutputs(
      { arn: 'arn:aws:iam::123456789012:policy/p', policy_id: 'ANPA1', default_version: 'v1' },
      target('aws:iam:policy', {
        policy_name: 'p',
        document: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] },
      }) as never,
    ),
  ],
  [
    'aws:lambda:function',
    functionOutputs(
      { arn: 'arn:aws:lambda:us-east-1:123456789012:function:f', version: '$LATEST' },
      target('aws:lambda:function', {
        function_name: 'f',
        runtime: 'nodejs20.x',
        handler: 'i.h',
        zip_file: 'UEs=',
      }) as never,
    ),
  ],
  [
    'aws:s3:object',
    objectOutputs({ bucket: 'b', key: 'k', label: 'b/k' } as Place, 'ab12', { etag: '"e"', version_id: 'v1' }),
  ],
])('%s: what its outputsOf builds is what its outputs schema describes', (type, outputs) => {
  expect(schemaOf(type).safeParse(outputs).error?.issues ?? []).toEqual([]);
});

it('core:delay outputs its outputs property; core:approval how its gate was passed; core:wait how long it waited', async () => {
  const delay = await resourceType('core:delay').apply(ctx, target('core:delay', { outputs: { artifact: 'a.zip' } }));
  expect(delay.outputs).toEqual({ artifact: 'a.zip' });
  expect(schemaOf('core:delay').safeParse({ ...delay.outputs, adopted: true }).success).toBe(true);
  const approval = await resourceType('core:approval').apply(ctx, target('core:approval', {}, { $gate: 'timeout' }));
  expect(schemaOf('core:approval').parse(approval.outputs)).toEqual({ passed_by: 'timeout' });
  const wait = resourceType('core:wait');
  const waiting = await wait.apply(ctx, target('core:wait', { duration: 90_000 }));
  expect(waiting.pending).toMatchObject({ interval_ms: 90_000, jitter: false });
  const waited = await wait.poll?.(ctx, target('core:wait', { duration: 90_000 }), {});
  expect(schemaOf('core:wait').parse(waited?.outputs)).toEqual({ waited_ms: 90_000 });
});
