/**
 * GET /schemas/deployment.json for editors: each resource is a union discriminated by `type`, one
 * branch per registered type with that type's own properties. Checked with a real JSON Schema
 * validator (ajv, 2020-12) against every config the docs show, and against wrong ones.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { z } from 'zod';
import { jsonSchemaOf } from '../../src/api/schemas/components';
import { deploymentConfigSchema } from '../../src/model/config-schema';
import { registry } from '../../src/resources/registry';
import { configsIn, docFiles, jsonDocuments, read } from '../docs/helpers/doc-configs';
import { testApi, unreachableClient } from './helpers/app';

type Json = Record<string, unknown>;

const api = testApi({ client: unreachableClient() });
let schema: Json;
let validate: ValidateFunction;

beforeAll(async () => {
  const response = await api.get('/schemas/deployment.json');
  expect(response.status).toBe(200);
  schema = response.body as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  validate = ajv.compile(schema);
});

const errorsOf = (config: unknown): string[] =>
  validate(config) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);

/** The branches of `resources.<id>`, by the `type` each one admits. */
function branches(): Map<string, Json> {
  const resources = (schema['properties'] as Record<string, Json>)['resources'] as Json;
  const union = (resources['additionalProperties'] as Json)['anyOf'] as Json[];
  return new Map(
    union.map((branch) => [
      ((branch['properties'] as Record<string, Json>)['type'] as Json)['const'] as string,
      branch,
    ]),
  );
}

const role = (properties: Json): Json => ({
  deployment_id: 'roles',
  resources: { role: { type: 'aws:iam:role', properties: { role_name: 'app-role', ...properties } } },
});

const docConfigs = docFiles.flatMap((file) =>
  jsonDocuments(read(file))
    .flatMap(configsIn)
    .map((config, i) => [file, i, config] as const),
);

it('finds the configs the docs show', () => {
  expect(docConfigs.length).toBeGreaterThan(10);
});

it.each(docConfigs)('accepts %s config #%i', (_file, _i, config) => {
  expect(errorsOf(config)).toEqual([]);
});

it('has one branch per registered type, discriminated by a const type', () => {
  expect([...branches().keys()]).toEqual([...registry.keys()]);
  for (const branch of branches().values()) expect(branch['required']).toContain('type');
});

it.each([...registry.keys()])("lists %s's own property names under its branch", (name) => {
  const type = registry.get(name);
  const branch = branches().get(name);
  const properties = (branch?.['properties'] as Record<string, Json>)['properties'];
  expect(type?.properties).toBeInstanceOf(z.ZodObject);
  expect(Object.keys((properties?.['properties'] ?? {}) as Json).sort()).toEqual(
    Object.keys((type?.properties as z.ZodObject).shape).sort(),
  );
  expect(properties?.['additionalProperties']).toBe(false);
});

it("rejects a property of the wrong type for the resource's type, and accepts it right", () => {
  expect(errorsOf(role({ assume_role_policy: 42 }))).not.toEqual([]);
  expect(errorsOf(role({ max_session_duration: 'an hour' }))).not.toEqual([]);
  expect(errorsOf(role({ assume_role_policy: { Statement: [{ Effect: 'Allow' }] } }))).toEqual([]);
});

it('rejects an unknown type, a property of another type, and required properties left out', () => {
  const config = (resource: Json): Json => ({ deployment_id: 'bad', resources: { r: resource } });
  expect(errorsOf(config({ type: 'aws:iam:nothing' }))).not.toEqual([]);
  expect(errorsOf(config({ type: 'core:delay', properties: { role_name: 'r' } }))).not.toEqual([]);
  expect(errorsOf(config({ type: 'aws:iam:role' }))).not.toEqual([]);
  expect(errorsOf(config({ type: 'core:delay' }))).toEqual([]);
});

it('offers region only to regional types, as the validator does', () => {
  const pinned = (type: string, properties: Json): Json => ({
    deployment_id: 'pin',
    resources: { r: { type, region: 'us-east-1', properties } },
  });
  expect(errorsOf(pinned('core:delay', {}))).not.toEqual([]);
  expect(errorsOf(pinned('aws:s3:bucket', { name: 'data' }))).toEqual([]);
});

it('names each type and its outputs where an editor shows them', () => {
  const type = (branches().get('aws:iam:role')?.['properties'] as Record<string, Json>)['type'] ?? {};
  expect(type['description']).toContain(registry.get('aws:iam:role')?.description);
  expect(type['description']).toContain('Outputs: arn, name, role_id, path.');
});

it('keeps the rest of the config schema as it was', () => {
  const untyped = jsonSchemaOf(deploymentConfigSchema);
  const { resources: _typed, ...rest } = schema['properties'] as Json;
  const { resources: _untyped, ...before } = untyped['properties'] as Json;
  expect(rest).toEqual(before);
  expect(schema['required']).toEqual(untyped['required']);
  expect(schema['additionalProperties']).toBe(false);
  expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
});
