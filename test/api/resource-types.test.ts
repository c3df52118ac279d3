/**
 * GET /resource-types and GET /resource-types/{type}: exactly the registry's types, each with what
 * its type object says (provider, description, properties schema, capabilities) and its documented
 * outputs. Every response is checked against /openapi.json by the test client.
 */
import { jsonSchemaOf } from '../../src/api/schemas/components';
import { OUTPUTS } from '../../src/resources/outputs';
import { registry } from '../../src/resources/registry';
import { API_KEYS, KEYS, testApi, unreachableClient } from './helpers/app';

interface Described {
  readonly type: string;
  readonly provider: string;
  readonly description: string;
  readonly regional: boolean;
  readonly properties_schema: Record<string, unknown>;
  readonly outputs: { properties?: Record<string, unknown> } | null;
  readonly reversible: boolean;
  readonly supports: Record<'plan' | 'verify' | 'destroy' | 'tag_scan', boolean>;
}

const api = testApi({ client: unreachableClient() });

async function listed(): Promise<Described[]> {
  const response = await api.get('/resource-types');
  expect(response.status).toBe(200);
  return (response.body as { resource_types: Described[] }).resource_types;
}

it("lists exactly the registered types, in the registry's order", async () => {
  expect((await listed()).map((t) => t.type)).toEqual([...registry.keys()]);
});

it('describes each type as its type object says', async () => {
  for (const described of await listed()) {
    const type = registry.get(described.type);
    if (!type) throw new Error(`${described.type} is not registered`);
    const outputs = OUTPUTS[type.type];
    expect(described).toEqual({
      type: type.type,
      provider: type.provider,
      description: type.description,
      regional: type.regional,
      properties_schema: jsonSchemaOf(type.properties),
      outputs: outputs ? jsonSchemaOf(outputs) : null,
      reversible: type.irreversible === undefined,
      supports: {
        plan: true,
        verify: true,
        destroy: true,
        tag_scan: type.findTagged !== undefined || type.findRecorded !== undefined,
      },
    });
  }
});

it('tells types a tag scan finds and irreversible ones apart', async () => {
  const byName = new Map((await listed()).map((t) => [t.type, t]));
  expect(byName.get('aws:iam:role')).toMatchObject({ provider: 'aws', reversible: true, supports: { tag_scan: true } });
  expect(byName.get('aws:iam:policy:attach')?.supports.tag_scan).toBe(false);
  expect(byName.get('slack:message')).toMatchObject({ reversible: false, supports: { tag_scan: false } });
  expect(byName.get('github:secret:repo')?.supports.tag_scan).toBe(true);
  expect(Object.keys(byName.get('aws:iam:role')?.outputs?.properties ?? {})).toEqual([
    'arn',
    'name',
    'role_id',
    'path',
  ]);
});

it('answers one type by name, and a 404 naming an unknown one', async () => {
  const all = await listed();
  const one = await api.get('/resource-types/aws:lambda:function');
  expect(one.status).toBe(200);
  expect(one.body).toEqual(all.find((t) => t.type === 'aws:lambda:function'));
  expect((await api.get('/resource-types/aws%3Alambda%3Afunction')).body).toEqual(one.body);
  const unknown = await api.get('/resource-types/aws:lambda:nothing');
  expect(unknown.status).toBe(404);
  expect(unknown.body).toMatchObject({
    error: { type: 'not_found', message: 'resource type "aws:lambda:nothing" not found' },
  });
});

it('needs a key with API_KEYS (role read), as GET /schemas/deployment.json does', async () => {
  const keyed = testApi({ client: unreachableClient(), keys: API_KEYS });
  expect((await keyed.get('/resource-types')).status).toBe(401);
  expect((await keyed.get('/resource-types/core:delay')).status).toBe(401);
  expect((await keyed.get('/resource-types', { key: KEYS.aRead })).status).toBe(200);
  const paths = (await keyed.openApi()).document['paths'] as Record<string, Record<string, Record<string, unknown>>>;
  expect(paths['/resource-types']?.['get']?.['x-required-role']).toBe('read');
  expect(paths['/resource-types/{type}']?.['get']?.['x-required-role']).toBe('read');
});
