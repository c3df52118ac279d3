/**
 * How `aws:iam:role` roles go away: the delete of a destroy or of a compensation that undoes a
 * create (managed policies detached, inline policies deleted, instance profiles left, then the
 * role), and the tag scan a destroy by scan starts from (IAM is global and not in the tagging
 * API, so it lists the roles and reads their tags).
 */
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  type IAMClient,
  ListRoleTagsCommand,
  paginateListInstanceProfilesForRole,
  paginateListRoles,
  RemoveRoleFromInstanceProfileCommand,
} from '@aws-sdk/client-iam';
import type { FoundResource, NodeTarget } from '../resource-type';
import { aws, awsOrNull } from './errors';
import { call, type IamRoleProperties, type RoleState } from './iam-role-state';
import { DEPLOY_ID_TAG, tagMap } from './tags';

type Target = NodeTarget<IamRoleProperties>;

/** Detaches, deletes inline policies, leaves instance profiles, then deletes the role. Absent: done. */
export async function deleteRole(iam: IAMClient, target: Target, state: RoleState): Promise<void> {
  const RoleName = target.properties.role_name;
  for (const PolicyArn of state.managed_policies) {
    await awsOrNull(call(target, `detach ${PolicyArn}`), () =>
      iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn })),
    );
  }
  for (const PolicyName of Object.keys(state.inline_policies)) {
    await awsOrNull(call(target, `delete inline policy ${PolicyName}`), () =>
      iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName })),
    );
  }
  await aws(call(target, 'leave its instance profiles'), async () => {
    for await (const page of paginateListInstanceProfilesForRole({ client: iam }, { RoleName })) {
      for (const profile of page.InstanceProfiles ?? []) {
        await iam.send(
          new RemoveRoleFromInstanceProfileCommand({ RoleName, InstanceProfileName: profile.InstanceProfileName }),
        );
      }
    }
  });
  await awsOrNull(call(target, 'delete the role'), () => iam.send(new DeleteRoleCommand({ RoleName })));
}

/** A tag scan of IAM (global, not in the tagging API): every role whose tags name the deployment. */
export async function findRoles(iam: IAMClient, deploymentId: string): Promise<FoundResource[]> {
  const found: FoundResource[] = [];
  await aws({ action: `scan for roles tagged ${DEPLOY_ID_TAG}=${deploymentId}`, target: 'IAM' }, async () => {
    for await (const page of paginateListRoles({ client: iam }, {})) {
      for (const role of page.Roles ?? []) {
        const tags = tagMap((await iam.send(new ListRoleTagsCommand({ RoleName: role.RoleName }))).Tags);
        if (tags[DEPLOY_ID_TAG] !== deploymentId) continue;
        found.push({
          type: 'aws:iam:role',
          arn: role.Arn ?? '',
          region: null,
          tags,
          properties: { role_name: role.RoleName, path: role.Path ?? '/' },
        });
      }
    }
  });
  return found;
}
