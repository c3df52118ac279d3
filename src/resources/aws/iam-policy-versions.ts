/**
 * A managed policy's versions, as `aws:iam:policy` keeps them: IAM holds at most five, so a new
 * default version (a changed document) first makes room by deleting the oldest non-default one;
 * listing them and deleting one, which compensate and the policy's delete use too.
 */
import {
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  type IAMClient,
  paginateListPolicyVersions,
  type PolicyVersion,
} from '@aws-sdk/client-iam';
import type { NodeTarget } from '../resource-type';
import { aws, awsOrNull } from './errors';
import { call, type IamPolicyProperties } from './iam-policy-state';
import { writePolicyDocument } from './policy-document';

type Target = NodeTarget<IamPolicyProperties>;

/** How many versions IAM keeps of a managed policy. */
const MAX_VERSIONS = 5;

export async function listVersions(iam: IAMClient, target: Target, PolicyArn: string): Promise<PolicyVersion[]> {
  const versions: PolicyVersion[] = [];
  await aws(call(target, 'list its versions'), async () => {
    for await (const page of paginateListPolicyVersions({ client: iam }, { PolicyArn }))
      versions.push(...(page.Versions ?? []));
  });
  return versions;
}

const versionNumber = (v: PolicyVersion): number => Number((v.VersionId ?? '').replace(/^v/, ''));

export async function deleteVersion(
  iam: IAMClient,
  target: Target,
  PolicyArn: string,
  VersionId: string,
): Promise<void> {
  await awsOrNull(call(target, `delete its version ${VersionId}`), () =>
    iam.send(new DeletePolicyVersionCommand({ PolicyArn, VersionId })),
  );
}

/** Makes the desired document the default version, making room first; returns the new version's id. */
export async function putVersion(iam: IAMClient, target: Target, PolicyArn: string): Promise<string> {
  const versions = await listVersions(iam, target, PolicyArn);
  if (versions.length >= MAX_VERSIONS) {
    const [oldest] = versions
      .filter((v) => v.IsDefaultVersion !== true)
      .sort((a, b) => versionNumber(a) - versionNumber(b));
    if (oldest?.VersionId) await deleteVersion(iam, target, PolicyArn, oldest.VersionId);
  }
  const created = await aws(call(target, 'create a new default version'), () =>
    iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn,
        PolicyDocument: writePolicyDocument(target.properties.document),
        SetAsDefault: true,
      }),
    ),
  );
  return created.PolicyVersion?.VersionId ?? '';
}
