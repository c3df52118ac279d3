/**
 * How `aws:iam:policy` policies go away: the delete of a destroy or of a compensation that undoes
 * a create (detached from every role, user and group, since the policy is ours, its other
 * versions deleted, then the policy), and the tag scan a destroy by scan starts from (IAM is
 * global and not in the tagging API, so it lists the local policies and reads their tags).
 */
import {
  DeletePolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  type IAMClient,
  ListPolicyTagsCommand,
  paginateListEntitiesForPolicy,
} from '@aws-sdk/client-iam';
import type { FoundResource, NodeTarget } from '../resource-type';
import { aws, awsOrNull } from './errors';
import { call, describe, type IamPolicyProperties, localPolicies } from './iam-policy-state';
import { deleteVersion, listVersions } from './iam-policy-versions';
import { DEPLOY_ID_TAG, tagMap } from './tags';

type Target = NodeTarget<IamPolicyProperties>;

/** Detaches it from every role, user and group, deletes its other versions, then the policy. Absent: done. */
export async function deletePolicy(iam: IAMClient, target: Target, PolicyArn: string): Promise<void> {
  const detaches: { what: string; run: () => Promise<unknown> }[] = [];
  await aws(call(target, 'list what it is attached to'), async () => {
    for await (const page of paginateListEntitiesForPolicy({ client: iam }, { PolicyArn })) {
      for (const { RoleName } of page.PolicyRoles ?? [])
        detaches.push({
          what: `role ${RoleName}`,
          run: () => iam.send(new DetachRolePolicyCommand({ PolicyArn, RoleName })),
        });
      for (const { UserName } of page.PolicyUsers ?? [])
        detaches.push({
          what: `user ${UserName}`,
          run: () => iam.send(new DetachUserPolicyCommand({ PolicyArn, UserName })),
        });
      for (const { GroupName } of page.PolicyGroups ?? [])
        detaches.push({
          what: `group ${GroupName}`,
          run: () => iam.send(new DetachGroupPolicyCommand({ PolicyArn, GroupName })),
        });
    }
  });
  for (const detach of detaches) await awsOrNull(call(target, `detach it from ${detach.what}`), detach.run);
  for (const version of await listVersions(iam, target, PolicyArn)) {
    if (version.IsDefaultVersion !== true && version.VersionId)
      await deleteVersion(iam, target, PolicyArn, version.VersionId);
  }
  await awsOrNull(call(target, 'delete the policy'), () => iam.send(new DeletePolicyCommand({ PolicyArn })));
}

/** A tag scan of IAM (global, not in the tagging API): every local policy whose tags name the deployment. */
export async function findPolicies(iam: IAMClient, deploymentId: string): Promise<FoundResource[]> {
  const scan = { action: `scan for policies tagged ${DEPLOY_ID_TAG}=${deploymentId}`, target: 'IAM' };
  const found: FoundResource[] = [];
  for (const policy of await localPolicies(iam, scan)) {
    const PolicyArn = policy.Arn ?? '';
    const tags = tagMap((await aws(scan, () => iam.send(new ListPolicyTagsCommand({ PolicyArn })))).Tags);
    if (tags[DEPLOY_ID_TAG] !== deploymentId) continue;
    const state = await describe(iam, PolicyArn, policy.PolicyName ?? PolicyArn);
    if (!state) continue;
    const props = {
      policy_name: state.name,
      path: state.path,
      description: state.description,
      document: state.document,
    };
    found.push({ type: 'aws:iam:policy', arn: PolicyArn, region: null, tags: state.tags, properties: props });
  }
  return found;
}
