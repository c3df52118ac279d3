/**
 * What the tag scans of AWS types share: the ARNs (and tags) of one region's resources of one
 * kind tagged `mgraph:deploy-id = <deployment>`, from the Resource Groups Tagging API. IAM is not
 * in that API: IAM types list their own resources and read their tags.
 */
import { paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import type { OperationContext } from '../resource-type';
import { aws } from './errors';
import { awsClients } from './session';
import { DEPLOY_ID_TAG, tagMap, type Tags } from './tags';

export interface TaggedArn {
  readonly arn: string;
  readonly tags: Tags;
}

/** `kind` is the API's resource type filter, `service[:type]`: `lambda:function`, `s3`. */
export async function taggedArns(
  ctx: OperationContext,
  region: string,
  deploymentId: string,
  kind: string,
): Promise<TaggedArn[]> {
  const { tagging } = await awsClients(ctx, region);
  const found: TaggedArn[] = [];
  await aws(
    { action: `scan for ${kind} tagged ${DEPLOY_ID_TAG}=${deploymentId}`, target: `region ${region}` },
    async () => {
      const pages = paginateGetResources(
        { client: tagging },
        { TagFilters: [{ Key: DEPLOY_ID_TAG, Values: [deploymentId] }], ResourceTypeFilters: [kind] },
      );
      for await (const page of pages) {
        for (const mapping of page.ResourceTagMappingList ?? []) {
          if (mapping.ResourceARN) found.push({ arn: mapping.ResourceARN, tags: tagMap(mapping.Tags) });
        }
      }
    },
  );
  return found;
}
