/**
 * What an `aws:iam:role` is declared as and read as: its property schema (the trust policy
 * defaults to Lambda's), the role's state as IAM reports it (its managed and inline policies
 * included), the drift a plan or verify shows between them, the path warning a plan gives, and
 * the outputs an apply returns. The role's writes are in iam-role.ts, its delete and tag scan in
 * iam-role-destroy.ts.
 */
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  type IAMClient,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
} from '@aws-sdk/client-iam';
import { z } from 'zod';
import type { DriftItem } from '../../model/run-types';
import type { NodeTarget } from '../resource-type';
import { fieldDrift } from './drift';
import { aws, awsOrNull } from './errors';
import { iamPath, managedPolicyArn, roleName } from './iam-names';
import { policyDocumentSchema, readPolicyDocument, type PolicyDocument } from './policy-document';
import { tagDrift, tagMap, type Tags } from './tags';

const LAMBDA_TRUST: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

export const iamRoleProperties = z
  .object({
    role_name: roleName,
    path: iamPath,
    description: z.string().max(1000).default(''),
    /** Who may assume the role; default: Lambda. */
    assume_role_policy: policyDocumentSchema.default(LAMBDA_TRUST),
    managed_policies: z.array(managedPolicyArn).max(20).default([]),
    inline_policies: z.record(z.string().regex(/^[\w+=,.@-]{1,128}$/), policyDocumentSchema).default({}),
    max_session_duration: z.number().int().min(3_600).max(43_200).default(3_600),
  })
  .strict();

export type IamRoleProperties = z.output<typeof iamRoleProperties>;
type Target = NodeTarget<IamRoleProperties>;

export const label = (target: Target): string => `IAM role ${target.properties.role_name}`;
export const call = (target: Target, action: string) => ({ action, target: label(target) });

export interface RoleState {
  readonly arn: string;
  readonly role_id: string;
  readonly path: string;
  readonly tags: Tags;
  readonly assume_role_policy: unknown;
  readonly description: string;
  readonly max_session_duration: number;
  readonly managed_policies: string[];
  readonly inline_policies: Record<string, unknown>;
}

export async function readRole(iam: IAMClient, target: Target): Promise<RoleState | null> {
  const RoleName = target.properties.role_name;
  const got = await awsOrNull(call(target, 'read the role'), () => iam.send(new GetRoleCommand({ RoleName })));
  const role = got?.Role;
  if (!role) return null;
  const managed: string[] = [];
  const inline: Record<string, unknown> = {};
  await aws(call(target, 'list its policies'), async () => {
    for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName })) {
      for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn) managed.push(p.PolicyArn);
    }
    for await (const page of paginateListRolePolicies({ client: iam }, { RoleName })) {
      for (const PolicyName of page.PolicyNames ?? []) {
        const doc = await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
        inline[PolicyName] = readPolicyDocument(doc.PolicyDocument);
      }
    }
  });
  return {
    arn: role.Arn ?? '',
    role_id: role.RoleId ?? '',
    path: role.Path ?? '/',
    tags: tagMap(role.Tags),
    assume_role_policy: readPolicyDocument(role.AssumeRolePolicyDocument),
    description: role.Description ?? '',
    max_session_duration: role.MaxSessionDuration ?? 3_600,
    managed_policies: managed.sort(),
    inline_policies: inline,
  };
}

export const missingManaged = (state: RoleState, target: Target): string[] =>
  target.properties.managed_policies.filter((arn) => !state.managed_policies.includes(arn));

export function roleDrift(state: RoleState, target: Target): DriftItem[] {
  const p = target.properties;
  const drift = fieldDrift(
    {
      assume_role_policy: p.assume_role_policy,
      description: p.description,
      max_session_duration: p.max_session_duration,
      inline_policies: p.inline_policies,
    },
    state as unknown as Record<string, unknown>,
  );
  if (missingManaged(state, target).length > 0)
    drift.push({
      property: 'managed_policies',
      desired: [...p.managed_policies].sort(),
      actual: state.managed_policies,
    });
  return [...drift, ...tagDrift(state.tags, target)];
}

export const pathWarning = (state: RoleState, target: Target): string[] =>
  state.path === target.properties.path
    ? []
    : [
        `${label(target)} has path ${state.path}, not ${target.properties.path}: a path cannot change without recreating the role`,
      ];

export const outputsOf = (state: { arn: string; role_id: string }, target: Target): Record<string, unknown> => ({
  arn: state.arn,
  name: target.properties.role_name,
  role_id: state.role_id,
  path: target.properties.path,
});
