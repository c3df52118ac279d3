/** A catalog for spec tests: the built-in core types plus fake regional types with per-region and global physical names. */
import { z } from 'zod';
import { coreApproval } from '../../src/resources/core/approval';
import { coreDelay } from '../../src/resources/core/delay';
import type { CatalogEntry, ResourceCatalog } from '../../src/model/catalog';

const regionalThing: CatalogEntry = {
  regional: true,
  properties: z.object({ name: z.string(), size: z.number().int().positive().default(1) }).strict(),
  physicalName: (p: { name: string }, region: string | null) => `${p.name} in ${region ?? ''}`,
};

/** A regional type whose names are global (as S3 bucket names are). */
const globalNamed: CatalogEntry = { ...regionalThing, physicalName: (p: { name: string }) => p.name };

export const catalog: ResourceCatalog = new Map<string, CatalogEntry>([
  ['core:delay', coreDelay as unknown as CatalogEntry],
  ['core:approval', coreApproval as unknown as CatalogEntry],
  ['test:regional', regionalThing],
  ['test:global-name', globalNamed],
]);
