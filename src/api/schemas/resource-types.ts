/** GET /resource-types and GET /resource-types/{type}: the registered resource types and what each can do. */
import { z } from 'zod';

export const resourceTypeSchema = z
  .object({
    type: z.string().meta({ description: 'The name a config gives as a resource\'s "type"', example: 'aws:iam:role' }),
    provider: z.string().meta({ description: 'core, aws, github or slack', example: 'aws' }),
    description: z.string(),
    regional: z.boolean().meta({ description: 'One node per target region (the AWS regions of `targets`)' }),
    properties_schema: z.record(z.string(), z.unknown()).meta({
      description:
        'JSON Schema (2020-12) of its `properties`, generated from the zod schema the validator checks them with',
    }),
    outputs: z.record(z.string(), z.unknown()).nullable().meta({
      description:
        'JSON Schema of the outputs its apply returns: the names a "resource.output" reference can use (a node with `operation: delete` outputs `{"deleted": true}` instead); null when the type declares none',
    }),
    reversible: z.boolean().meta({
      description:
        'False when the type says an apply of it may not be undone by a rollback (a plan then names the node in `irreversible`; for some types only with some properties, e.g. github:action:trigger without cancel_on_rollback). True when it declares no such case: a rollback undoes its apply unless live state prevents it (aws:s3:object overwriting in an unversioned bucket: its plan warns). A node with `operation: delete` is never undone',
    }),
    supports: z
      .object({
        plan: z.boolean(),
        verify: z.boolean(),
        destroy: z.boolean(),
        tag_scan: z.boolean().meta({
          description:
            'POST /deploy/destroy with `scan` finds its resources: by their mgraph tags, without run history (AWS), or by the names the last apply recorded (GitHub)',
        }),
      })
      .meta({ description: 'The operations it implements besides apply and compensate' }),
  })
  .meta({ id: 'ResourceType' });

export const resourceTypesResponseSchema = z
  .object({ resource_types: z.array(resourceTypeSchema).meta({ description: 'Every registered type' }) })
  .meta({ id: 'ResourceTypes' });

export const resourceTypeParamsSchema = z.object({
  type: z.string().max(200).meta({ description: 'A type name, e.g. aws:iam:role' }),
});
