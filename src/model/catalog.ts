/**
 * What the validator, the graph builder and the published schemas need to know of each resource
 * type. `ResourceType` (src/resources) satisfies it; the API passes the registry. src/model never
 * imports src/resources.
 */
import type { z } from 'zod';
import type { PackageVersionRef } from './graph-types';

export interface CatalogEntry {
  /** Regional types become one node per target region. */
  readonly regional: boolean;
  readonly properties: z.ZodType;
  /** A name that must be unique within the deployment (per region for regional types). */
  physicalName?(properties: never, region: string | null): string | null;
  /** What it manages, in a sentence: editors show it beside the type name. */
  readonly description?: string;
  /** What its apply returns as outputs: the names a `"resource.output"` reference can use. */
  readonly outputs?: z.ZodObject | null;
  /** A step package's type: the version it comes from (nodes of it record it). */
  readonly package?: PackageVersionRef;
}

export type ResourceCatalog = ReadonlyMap<string, CatalogEntry>;
