/**
 * The resource types of the deployed step packages, as this process sees them now: each package's
 * current version (a failed redeploy leaves the one before current), loaded once per content hash. The store is looked at again when its
 * index changed (checked at most every CHECK_MS, or at once when asked to: a type not known yet is
 * loaded on first use, so correctness never waits for a notification).
 */
import { definedTypes, evaluatePackage } from './package-loader';
import { packageStore, type PackageRecord } from './package-store';
import { packagedType, unloadableType, type PackageOrigin, type PackagedResourceType } from './packaged-type';

const CHECK_MS = 250;

const byHash = new Map<string, readonly PackagedResourceType[]>();
let seen: { stamp: string; checkedAt: number; types: ReadonlyMap<string, PackagedResourceType> } | undefined;
let generation = 0;

function versionTypes(record: PackageRecord, hash: string): readonly PackagedResourceType[] {
  const cached = byHash.get(hash);
  if (cached) return cached;
  const info = record.versions.find((v) => v.hash === hash);
  const origin: PackageOrigin = { name: record.name, version: info?.version ?? 0, hash };
  let types: readonly PackagedResourceType[];
  try {
    types = definedTypes(evaluatePackage(packageStore().readVersion(hash))).map((t) => packagedType(t, origin));
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    types = (info?.types ?? []).map((type) => unloadableType(type, origin, why));
  }
  byHash.set(hash, types);
  return types;
}

/** The packaged types by name; `fresh` looks at the store now (a type was not found). */
export function packagedTypes(fresh = false): ReadonlyMap<string, PackagedResourceType> {
  const now = Date.now();
  if (seen && !fresh && now - seen.checkedAt < CHECK_MS) return seen.types;
  const stamp = packageStore().stamp();
  if (seen?.stamp === stamp) {
    seen = { ...seen, checkedAt: now };
    return seen.types;
  }
  const types = new Map<string, PackagedResourceType>();
  for (const record of packageStore().records().values())
    if (record.current) for (const type of versionTypes(record, record.current)) types.set(type.type, type);
  seen = { stamp, checkedAt: now, types };
  generation += 1;
  return types;
}

/**
 * The type `type` of the package version a run's graph pinned (`hash`), loaded from the store if
 * this process has not loaded it yet; null when the store does not hold that version.
 */
export function packagedTypeAt(name: string, hash: string, type: string): PackagedResourceType | null {
  // A version loaded once is kept: a pinned node's every operation must not read the store's index.
  const cached = byHash.get(hash);
  const record = cached ? null : packageStore().record(name);
  const types = cached ?? (record ? versionTypes(record, hash) : []);
  return types.find((t) => t.type === type) ?? null;
}

/** Changes whenever the set of packaged types does: caches of what the types describe key on it. */
export function packagedTypesGeneration(): number {
  packagedTypes();
  return generation;
}
