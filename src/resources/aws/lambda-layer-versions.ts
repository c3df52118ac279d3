/**
 * An `aws:lambda:layer`'s versions as this service writes and reads them. Layer versions take no
 * tags, so each one's description ends with a marker naming its publisher (`[mgraph node=…
 * deploy=… run=<hash of the run key> code=…]`): the marker's limits (which the property schema
 * checks a description against), writing it, reading it back apart from the user's description,
 * and a layer's versions listed newest first, each with its marker and settings.
 */
import { type LambdaClient, type LayerVersionsListItem, paginateListLayerVersions } from '@aws-sdk/client-lambda';
import { shortHash } from '../../model/hash';
import type { NodeTarget } from '../resource-type';
import { awsOrNull, type AwsCall } from './errors';
import { runKeyOf } from './tags';

/** What the marker reads of a layer's properties. */
type Target = NodeTarget<{ readonly description: string }>;

export const DESCRIPTION_MAX = 256;
export const MARKER_START = '[mgraph node=';
const RUN_HASH_LENGTH = 8;
/**
 * The longest marker but for its code: node ids are 12 characters; `deploy=` is the tenant's
 * deployment, `<tenant>.<deployment_id>`, each at most 63 (config/api-keys.ts, model/config-schema.ts).
 */
export const MARKER_MAX = ` ${MARKER_START} deploy= run= code=]`.length + 12 + 63 + 1 + 63 + RUN_HASH_LENGTH;
const MARKER = /^(?:(.*?) )?\[mgraph node=(\S+) deploy=(\S+) run=(\S+) code=(.+)\]$/s;

/** What a version's description says about its publisher. `run` is `-` for a publish outside a run. */
export interface Marker {
  readonly node: string;
  readonly deploy: string;
  readonly run: string;
  readonly code: string;
}

export interface VersionState {
  readonly version: number;
  readonly version_arn: string;
  /** The user's part of the description, without the marker. */
  readonly description: string;
  readonly marker: Marker | null;
  readonly compatible_runtimes: string[];
  readonly compatible_architectures: string[];
  readonly license_info: string;
}

export const runOf = (target: Target): string | null => {
  const run = runKeyOf(target);
  return run === null ? null : shortHash(run, RUN_HASH_LENGTH);
};

export const descriptionOf = (target: Target, code: string): string => {
  const marker = `${MARKER_START}${target.node.node_id} deploy=${target.deployment_id} run=${runOf(target) ?? '-'} code=${code}]`;
  return target.properties.description === '' ? marker : `${target.properties.description} ${marker}`;
};

function readDescription(description: string): { readonly description: string; readonly marker: Marker | null } {
  const m = MARKER.exec(description);
  if (!m?.[2] || !m[3] || !m[4] || !m[5]) return { description, marker: null };
  return { description: m[1] ?? '', marker: { node: m[2], deploy: m[3], run: m[4], code: m[5] } };
}

export const sorted = (list: readonly string[] | undefined): string[] => [...(list ?? [])].sort();

export function stateOf(v: LayerVersionsListItem): VersionState {
  return {
    version: v.Version ?? 0,
    version_arn: v.LayerVersionArn ?? '',
    ...readDescription(v.Description ?? ''),
    compatible_runtimes: sorted(v.CompatibleRuntimes),
    compatible_architectures: sorted(v.CompatibleArchitectures),
    license_info: v.LicenseInfo ?? '',
  };
}

/** Every version of the layer, newest first; none when there is no such layer. */
export async function listVersions(lambda: LambdaClient, layerName: string, at: AwsCall): Promise<VersionState[]> {
  const versions: VersionState[] = [];
  await awsOrNull(at, async () => {
    for await (const page of paginateListLayerVersions({ client: lambda }, { LayerName: layerName }))
      versions.push(...(page.LayerVersions ?? []).map(stateOf));
  });
  return versions.sort((a, b) => b.version - a.version);
}
