/**
 * GET /resource-types and GET /resource-types/{type}: every registered type with its provider,
 * description, properties schema, outputs and capabilities, read from the type objects of the
 * registry (with their documented outputs, src/resources/outputs.ts). Role read, as
 * GET /schemas/deployment.json, which describes the same types.
 */
import type { z } from 'zod';
import { documentedTypes, documentedTypesGeneration, type DocumentedType } from '../../resources/outputs';
import { NotFoundError } from '../errors/api-errors';
import { defineOperation, type Operation } from '../openapi/operation';
import { jsonSchemaOf } from '../schemas/components';
import { resourceTypeParamsSchema, resourceTypeSchema, resourceTypesResponseSchema } from '../schemas/resource-types';

type ResourceTypeInfo = z.output<typeof resourceTypeSchema>;

const describe = (type: DocumentedType): ResourceTypeInfo => ({
  type: type.type,
  provider: type.provider,
  description: type.description,
  regional: type.regional,
  properties_schema: jsonSchemaOf(type.properties),
  outputs: type.outputs ? jsonSchemaOf(type.outputs) : null,
  reversible: type.irreversible === undefined,
  supports: {
    plan: typeof type.plan === 'function',
    verify: typeof type.verify === 'function',
    destroy: typeof type.destroy === 'function',
    tag_scan: type.findTagged !== undefined || type.findRecorded !== undefined,
  },
});

export function resourceTypeOperations(): Operation[] {
  let described: { readonly generation: number; readonly types: ReadonlyMap<string, ResourceTypeInfo> } | undefined;
  const all = (): ReadonlyMap<string, ResourceTypeInfo> => {
    const generation = documentedTypesGeneration();
    if (described?.generation !== generation)
      described = {
        generation,
        types: new Map([...documentedTypes()].map(([name, type]) => [name, describe(type)])),
      };
    return described.types;
  };
  return [
    defineOperation({
      method: 'get',
      path: '/resource-types',
      summary: 'Every resource type a config can use, with its properties schema, outputs and capabilities',
      tag: 'docs',
      access: 'read',
      responses: { 200: { description: 'The registered resource types', schema: resourceTypesResponseSchema } },
      handle: () => Promise.resolve({ status: 200, body: { resource_types: [...all().values()] } }),
    }),
    defineOperation({
      method: 'get',
      path: '/resource-types/{type}',
      summary: 'One resource type, by name',
      tag: 'docs',
      access: 'read',
      params: resourceTypeParamsSchema,
      responses: { 200: { description: 'The resource type', schema: resourceTypeSchema } },
      errors: [404],
      handle({ params }) {
        const found = all().get(params.type);
        if (!found) throw new NotFoundError(`resource type "${params.type}"`);
        return Promise.resolve({ status: 200, body: found });
      },
    }),
  ];
}
