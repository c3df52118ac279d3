/** A catalog for spec tests: the built-in core types plus a fake regional type with a physical name. */
import { z } from 'zod';
import { coreApproval } from '../../src/resources/core/approval';
import { coreDelay } from '../../src/resources/core/delay';
import type { CatalogEntry, ResourceCatalog } from '../../src/spec/catalog';

const regionalThing: CatalogEntry = {
  regional: true,
  properties: z.object({ name: z.string(), size: z.number().int().positive().default(1) }).strict(),
  physicalName: (p: { name: string }) => p.name,
};

export const catalog: ResourceCatalog = new Map<string, CatalogEntry>([
  ['core:delay', coreDelay as unknown as CatalogEntry],
  ['core:approval', coreApproval as unknown as CatalogEntry],
  ['test:regional', regionalThing],
]);
