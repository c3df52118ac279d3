/**
 * What an `aws:iam:policy` is declared as and read as: its property schema, the policy's state
 * as IAM reports it (its default version's document included), found among the account's local
 * policies by name since IAM has no lookup by name without the account id, the drift a plan or
 * verify shows, the warnings for what cannot change without recreating it, and the outputs an
 * apply returns.
 */
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  type IAMClient,
  paginateListPolicies,
  type Policy,
} from '@aws-sdk/client-iam';
import { z } from 'zod';
import type { DriftItem } from '../../model/run-types';
import type { NodeTarget } from '../resource-type';
import { fieldDrift } from './drift';
import { aws, type AwsCall, awsOrNull } from './errors';
import { iamPath } from './iam-names';
import { policyDocumentSchema, readPolicyDocument } from './policy-document';
import { tagDrift, tagMap, type Tags } from './tags';

export const iamPolicyProperties = z
  .object({
    policy_name: z.string().regex(/^[\w+=,.@-]{1,128}$/, 'must be 1-128 letters, digits or +=,.@_-'),
    path: iamPath,
    description: z.string().max(1000).default(''),
    document: policyDocumentSchema,
  })
  .strict();

export type IamPolicyProperties = z.output<typeof iamPolicyProperties>;
type Target = NodeTarget<IamPolicyProperties>;

export const label = (target: Target): string => `IAM policy ${target.properties.policy_name}`;
export const call = (target: Target, action: string): AwsCall => ({ action, target: label(target) });

export interface PolicyState {
  readonly arn: string;
  readonly name: string;
  readonly policy_id: string;
  readonly path: string;
  readonly description: string;
  readonly default_version: string;
  readonly document: unknown;
  readonly tags: Tags;
}

/** The account's customer-managed policies (names are unique in an account, whatever the path). */
export async function localPolicies(iam: IAMClient, scan: AwsCall): Promise<Policy[]> {
  const all: Policy[] = [];
  await aws(scan, async () => {
    for await (const page of paginateListPolicies({ client: iam }, { Scope: 'Local' }))
      all.push(...(page.Policies ?? []));
  });
  return all;
}

/** A policy by ARN with its default version's document; null when it is gone. */
export async function describe(iam: IAMClient, PolicyArn: string, name: string): Promise<PolicyState | null> {
  const at = (action: string): AwsCall => ({ action, target: `IAM policy ${name}` });
  const policy = (await awsOrNull(at('read the policy'), () => iam.send(new GetPolicyCommand({ PolicyArn }))))?.Policy;
  if (!policy) return null;
  const VersionId = policy.DefaultVersionId ?? '';
  const version = await awsOrNull(at(`read its version ${VersionId}`), () =>
    iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId })),
  );
  if (!version?.PolicyVersion) return null;
  return {
    arn: PolicyArn,
    name: policy.PolicyName ?? name,
    policy_id: policy.PolicyId ?? '',
    path: policy.Path ?? '/',
    description: policy.Description ?? '',
    default_version: VersionId,
    document: readPolicyDocument(version.PolicyVersion.Document),
    tags: tagMap(policy.Tags),
  };
}

export async function readPolicy(iam: IAMClient, target: Target): Promise<PolicyState | null> {
  const wanted = target.properties.policy_name.toLowerCase();
  const found = (await localPolicies(iam, call(target, 'look the policy up'))).find(
    (p) => p.PolicyName?.toLowerCase() === wanted,
  );
  return found?.Arn ? describe(iam, found.Arn, target.properties.policy_name) : null;
}

export const policyDrift = (state: PolicyState, target: Target): DriftItem[] => [
  ...fieldDrift({ document: target.properties.document }, state as unknown as Record<string, unknown>),
  ...tagDrift(state.tags, target),
];

export function createOnlyWarnings(state: PolicyState, target: Target): string[] {
  const p = target.properties;
  return (['path', 'description'] as const)
    .filter((key) => state[key] !== p[key])
    .map(
      (key) =>
        `${label(target)} has ${key} ${JSON.stringify(state[key])}, not ${JSON.stringify(p[key])}: a policy's ${key} cannot change without recreating it`,
    );
}

export const outputsOf = (
  state: { arn: string; policy_id: string; default_version: string },
  target: Target,
): Record<string, unknown> => ({
  arn: state.arn,
  name: target.properties.policy_name,
  policy_id: state.policy_id,
  default_version: state.default_version,
});
