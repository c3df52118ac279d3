/**
 * Which regions a resource's nodes live in: one node per target region for regional types, one
 * region-less node otherwise; which nodes of a predecessor a node depends on; and how many nodes
 * and edges a config expands to, counted without building the graph (the validator's limits).
 */
import type { CatalogEntry, ResourceCatalog } from './catalog';
import { parseReference } from './references';

export interface RegionSource {
  readonly targets?:
    | readonly { readonly provider: string; readonly regions?: readonly string[] | undefined }[]
    | undefined;
  readonly credentials?: { readonly aws?: { readonly region?: string | undefined } | undefined } | undefined;
}

/** Where an aws target without regions deploys when the credentials name no region either (seed 001 §9.1). */
export const DEFAULT_AWS_REGION = 'us-east-1';

/**
 * The deployment's AWS regions, in the order listed: those of its aws target (one without regions:
 * the AWS credentials' region, else us-east-1); without an aws target, the credentials' region.
 */
export function awsRegions(config: RegionSource): string[] {
  const fallback = config.credentials?.aws?.region;
  const aws = (config.targets ?? []).filter((t) => t.provider === 'aws');
  const listed = aws.flatMap((t) => t.regions ?? [fallback ?? DEFAULT_AWS_REGION]);
  if (listed.length > 0) return [...new Set(listed)];
  return fallback ? [fallback] : [];
}

/** The same regions as `config`'s, worked out once: regionsOf on it no longer reads every target. */
export const resolvedRegions = (config: RegionSource): RegionSource => ({
  targets: [{ provider: 'aws', regions: awsRegions(config) }],
});

export function regionsOf(
  entry: Pick<CatalogEntry, 'regional'>,
  pinned: string | undefined,
  config: RegionSource,
): (string | null)[] {
  if (!entry.regional) return [null];
  return pinned ? [pinned] : awsRegions(config);
}

/** A resource's nodes (or their regions), and the one in each region. */
export interface RegionIndex<T> {
  readonly all: readonly T[];
  readonly byRegion: ReadonlyMap<string | null, T>;
}

export const indexRegions = <T>(all: readonly T[], regionOf: (item: T) => string | null): RegionIndex<T> => ({
  all,
  byRegion: new Map(all.map((item) => [regionOf(item), item])),
});

/**
 * The nodes of a predecessor that a node in `region` depends on: the one a `[selector]` names;
 * else its only node; else its node in `region`; else (none there) all of them.
 */
export function predecessorsIn<T>(of: RegionIndex<T>, region: string | null, selector: string | null): readonly T[] {
  const picked = of.byRegion.get(selector ?? region);
  if (selector !== null) return picked === undefined ? [] : [picked];
  if (of.all.length === 1 || picked === undefined) return of.all;
  return [picked];
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The regions a raw config's targets and credentials name, read as they are (the schema checks
 * them later): its region source, and how many distinct regions it names (any target's, or the
 * credentials' one).
 */
export function regionsNamed(input: Loose): { readonly source: RegionSource; readonly named: number } {
  const targets = (Array.isArray(input['targets']) ? (input['targets'] as unknown[]) : []).filter(isObject);
  const listed = targets.map((t) => ({
    provider: text(t['provider']) ?? '',
    regions: Array.isArray(t['regions']) ? t['regions'].filter((r): r is string => typeof r === 'string') : undefined,
  }));
  const aws = isObject(input['credentials']) ? input['credentials']['aws'] : undefined;
  const source = { targets: listed, credentials: { aws: { region: isObject(aws) ? text(aws['region']) : undefined } } };
  return { source, named: Math.max(new Set(listed.flatMap((t) => t.regions ?? [])).size, awsRegions(source).length) };
}

/** The resources a raw resource's depends_on and references name (itself left out), into `plain` (without a region selector) and `selected` (name → selectors). */
function namedBy(id: string, resource: Loose, plain: Set<string>, selected: Map<string, Set<string>>): void {
  plain.clear();
  selected.clear();
  const deps = Array.isArray(resource['depends_on']) ? (resource['depends_on'] as unknown[]) : [];
  for (const dep of deps) {
    const name = isObject(dep) ? dep['resource'] : dep;
    if (typeof name === 'string' && name !== id) plain.add(name);
  }
  const references = isObject(resource['references']) ? Object.values(resource['references']) : [];
  for (const raw of references) {
    const ref = typeof raw === 'string' ? parseReference(raw) : null;
    if (!ref || ref.resource === id) continue;
    if (ref.region === null) plain.add(ref.resource);
    else selected.set(ref.resource, (selected.get(ref.resource) ?? new Set()).add(ref.region));
  }
}

type Placed = RegionIndex<string | null>;

/** Edges from the nodes of `of` into the nodes of `mine`: the distinct ones the selectors pick, and the rule's when `plain`. */
function edgesBetween(of: Placed, mine: Placed, plain: boolean, selectors: ReadonlySet<string> | undefined): number {
  let selected = 0;
  for (const s of selectors ?? []) if (of.byRegion.has(s)) selected += 1;
  if (!plain) return selected * mine.all.length;
  let edges = 0;
  for (const region of mine.all) {
    const picked = predecessorsIn(of, region, null);
    const extra = picked.length === 1 && !selectors?.has(picked[0] as string) ? 1 : 0;
    edges += picked.length > 1 ? picked.length : selected + extra;
  }
  return edges;
}

/**
 * The number of nodes and edges buildSpecGraph makes of a config, read from the raw input
 * (tolerating what validation reports otherwise) in time linear in its size: nodes first, and
 * edges only when `maxNodes` allows, as their count costs nodes × predecessors.
 */
export function graphSize(
  resources: Loose,
  catalog: ResourceCatalog,
  source: RegionSource,
  maxNodes: number,
): { readonly nodes: number; readonly edges: number | null } {
  const regions = resolvedRegions(source);
  const shared = new Map<string, Placed>();
  const placed = new Map<string, Placed>();
  let nodes = 0;
  for (const [id, resource] of Object.entries(resources)) {
    if (!isObject(resource)) continue;
    const entry = typeof resource['type'] === 'string' ? catalog.get(resource['type']) : undefined;
    const pinned = text(resource['region']) || undefined;
    const key = !entry?.regional ? 'none' : pinned === undefined ? 'all' : `in:${pinned}`;
    const index = shared.get(key) ?? indexRegions(entry ? regionsOf(entry, pinned, regions) : [null], (r) => r);
    shared.set(key, index);
    placed.set(id, index);
    nodes += index.all.length;
  }
  if (nodes > maxNodes) return { nodes, edges: null };
  let edges = 0;
  const plain = new Set<string>();
  const selected = new Map<string, Set<string>>();
  for (const [id, mine] of placed) {
    namedBy(id, resources[id] as Loose, plain, selected);
    for (const name of plain) {
      const of = placed.get(name);
      if (of) edges += edgesBetween(of, mine, true, selected.get(name));
    }
    for (const [name, selectors] of selected) {
      const of = placed.get(name);
      if (of && !plain.has(name)) edges += edgesBetween(of, mine, false, selectors);
    }
  }
  return { nodes, edges };
}
