/**
 * The tag scan of `aws:lambda:layer`, which a destroy by scan starts from: layers take no tags, so
 * it lists the region's layers and reads the markers that end their versions' descriptions,
 * finding per node of the deployment its newest version, with tags synthesized from the marker.
 */
import { type LambdaClient, paginateListLayers } from '@aws-sdk/client-lambda';
import type { FoundResource } from '../resource-type';
import { aws } from './errors';
import { foundCode } from './lambda-code';
import { listVersions, type Marker, type VersionState } from './lambda-layer-versions';
import { DEPLOY_ID_TAG, NODE_ID_TAG } from './tags';

/**
 * A scan's finds in one layer: per node whose marker names the deployment, its newest version (a
 * scan graph takes one resource per node, and destroy deletes all of that node's versions). Layers
 * take no tags: the tags given are synthesized from the marker, `mgraph:node-id` and `mgraph:deploy-id`.
 */
function foundIn(
  layerName: string,
  versions: readonly VersionState[],
  deploymentId: string,
  region: string,
): FoundResource[] {
  const newest = new Map<string, VersionState & { marker: Marker }>();
  for (const v of versions) {
    if (v.marker?.deploy === deploymentId && !newest.has(v.marker.node))
      newest.set(v.marker.node, { ...v, marker: v.marker });
  }
  return [...newest.values()].map((v) => ({
    type: 'aws:lambda:layer',
    arn: v.version_arn,
    region,
    tags: { [NODE_ID_TAG]: v.marker.node, [DEPLOY_ID_TAG]: v.marker.deploy },
    properties: { layer_name: layerName, compatible_runtimes: v.compatible_runtimes, ...foundCode(v.marker.code) },
  }));
}

export async function findLayers(lambda: LambdaClient, deploymentId: string, region: string): Promise<FoundResource[]> {
  const at = { action: `scan the layers for ${DEPLOY_ID_TAG}=${deploymentId} markers`, target: `region ${region}` };
  const names: string[] = [];
  await aws(at, async () => {
    for await (const page of paginateListLayers({ client: lambda }, {}))
      names.push(...(page.Layers ?? []).flatMap((l) => (l.LayerName ? [l.LayerName] : [])));
  });
  const found = await Promise.all(
    names.map(async (name) => foundIn(name, await listVersions(lambda, name, at), deploymentId, region)),
  );
  return found.flat();
}
