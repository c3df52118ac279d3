/**
 * The resource types of the deployed step packages, as this process sees them now: each package's
 * current version (a failed redeploy leaves the one before current), loaded once per content hash. The store is looked at again when its
 * index changed (checked at most every CHECK_MS, or at once when asked to: a type not known yet is
 * loaded on first use, so correctness never waits for a notification).
 */
import { definedTypes, evaluatePackage } from './package-loader';
import { packageStore, type LoadedVersion, type PackageRecord } from './package-store';
import { packagedType, unloadableType, type PackageOrigin, type PackagedResourceType } from './packaged-type';

const CHECK_MS = 250;

const byHash = new Map<string, readonly PackagedResourceType[]>();
const loads = new Map<string, LoadedVersion>();
let seen: { stamp: string; checkedAt: number; types: ReadonlyMap<string, PackagedResourceType> } | undefined;
let generation = 0;

/**
 * The types of the version `origin` names, evaluated once per hash. When it cannot be loaded,
 * `declared` (the types its deploy found) become types whose every operation fails saying why.
 */
function versionTypes(origin: PackageOrigin, declared: readonly string[]): readonly PackagedResourceType[] {
  const cached = byHash.get(origin.hash);
  if (cached) return cached;
  let types: readonly PackagedResourceType[];
  try {
    const version = packageStore().readVersion(origin.hash);
    types = definedTypes(evaluatePackage(version)).map((t) => packagedType(t, origin));
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    types = declared.map((type) => unloadableType(type, origin, why));
  }
  byHash.set(origin.hash, types);
  loads.set(origin.hash, { ...origin, loaded_at: new Date().toISOString() });
  return types;
}

const currentTypes = (record: PackageRecord, hash: string): readonly PackagedResourceType[] => {
  const info = record.versions.find((v) => v.hash === hash);
  return versionTypes({ name: record.name, version: info?.version ?? 0, hash }, info?.types ?? []);
};

/** The versions this process has loaded (a failed load counts: its nodes fail saying why), and when. */
export const loadedVersions = (): LoadedVersion[] => [...loads.values()];

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
    if (record.current) for (const type of currentTypes(record, record.current)) types.set(type.type, type);
  seen = { stamp, checkedAt: now, types };
  generation += 1;
  return types;
}

/**
 * The type `type` of the package version a run's graph pinned, from the version file of its hash
 * (the index need not know it: on a fleet, a worker may not have read the index since the
 * deploy); null when this process's store does not hold that version.
 */
export function packagedTypeAt(pinned: PackageOrigin, type: string): PackagedResourceType | null {
  if (!byHash.has(pinned.hash) && !packageStore().hasVersion(pinned.hash)) return null;
  const declared = () =>
    packageStore()
      .record(pinned.name)
      ?.versions.find((v) => v.hash === pinned.hash)?.types ?? [];
  const types = byHash.get(pinned.hash) ?? versionTypes(pinned, [...new Set([type, ...declared()])]);
  return types.find((t) => t.type === type) ?? null;
}

/** Changes whenever the set of packaged types does: caches of what the types describe key on it. */
export function packagedTypesGeneration(): number {
  packagedTypes();
  return generation;
}
