/**
 * What the validator and graph builder need to know of each resource type. `ResourceType`
 * (src/resources) satisfies it; the API passes the registry. src/model never imports src/resources.
 */
import type { z } from 'zod';

export interface CatalogEntry {
  /** Regional types become one node per target region. */
  readonly regional: boolean;
  readonly properties: z.ZodType;
  /** A name that must be unique within the deployment (per region for regional types). */
  physicalName?(properties: never, region: string | null): string | null;
}

export type ResourceCatalog = ReadonlyMap<string, CatalogEntry>;
