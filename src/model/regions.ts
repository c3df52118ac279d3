/** Which regions a resource's nodes live in: one node per target region for regional types, one region-less node otherwise. */
import type { CatalogEntry } from './catalog';

export interface RegionSource {
  readonly targets?:
    | readonly { readonly provider: string; readonly regions?: readonly string[] | undefined }[]
    | undefined;
  readonly credentials?: { readonly aws?: { readonly region?: string | undefined } | undefined } | undefined;
}

/** The deployment's AWS regions: those of its aws targets, else the AWS credentials' region. */
export function awsRegions(config: RegionSource): string[] {
  const fromTargets = [
    ...new Set((config.targets ?? []).filter((t) => t.provider === 'aws').flatMap((t) => t.regions ?? [])),
  ];
  if (fromTargets.length > 0) return fromTargets;
  const fallback = config.credentials?.aws?.region;
  return fallback ? [fallback] : [];
}

export function regionsOf(
  entry: Pick<CatalogEntry, 'regional'>,
  pinned: string | undefined,
  config: RegionSource,
): (string | null)[] {
  if (!entry.regional) return [null];
  return pinned ? [pinned] : awsRegions(config);
}
