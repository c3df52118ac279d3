/**
 * The deployment config with one resource shape per type, for editors (GET /schemas/deployment.json):
 * each resource is a union discriminated by `type`, whose branch for a type holds that type's own
 * `properties` schema (required when `{}` is not valid for it), the common resource fields of
 * `resourceSchema`, and `region` only for regional types. Generated from the zod schemas the
 * validator uses; parsing still goes through `deploymentConfigSchema` and `validateConfig`, which
 * also check what a schema cannot (references, cycles, limits, at least one resource).
 */
import { z } from 'zod';
import type { CatalogEntry, ResourceCatalog } from './catalog';
import { deploymentConfigSchema, resourceSchema } from './config-schema';

const REFERENCES =
  'Reference name → "resource" (its arn, id or name output), "resource.output" or "resource[region].output"; each type lists its outputs in its description';

/** What an editor shows for a type: its description, then the outputs other resources can reference. */
function describe(entry: CatalogEntry): string {
  const outputs = entry.outputs;
  const listed = outputs
    ? [`Outputs: ${Object.keys(outputs.shape).join(', ')}`, outputs.description]
    : ['Outputs: not declared'];
  const sentences = [entry.description, ...listed].filter((s): s is string => Boolean(s));
  return sentences.map((s) => `${s.replace(/\.$/, '')}.`).join(' ');
}

function branch(type: string, entry: CatalogEntry) {
  const described = describe(entry);
  const common = entry.regional ? resourceSchema : resourceSchema.omit({ region: true });
  return common
    .extend({
      type: z.literal(type).meta({ description: described }),
      properties: entry.properties.safeParse({}).success ? entry.properties.optional() : entry.properties,
      references: resourceSchema.shape.references.meta({ description: REFERENCES }),
    })
    .meta({ title: type, description: described });
}

/** The config schema whose resources are discriminated by `type` over every type of the catalog. */
export function typedConfigSchema(catalog: ResourceCatalog) {
  const [first, ...rest] = [...catalog].map(([type, entry]) => branch(type, entry));
  if (!first) throw new Error('a catalog without resource types admits no resource');
  return deploymentConfigSchema.extend({
    resources: z.record(deploymentConfigSchema.shape.resources.keyType, z.discriminatedUnion('type', [first, ...rest])),
  });
}
