/**
 * `aws:iam:policy`: a customer-managed IAM policy (global, so not regional): its document, tagged
 * and adopted by tag. A changed document becomes a new default version (IAM keeps at most five:
 * at five, the oldest non-default one is deleted first, and compensate cannot bring that one
 * back); compensate makes the previous default version the default again and deletes the version
 * its apply created. Path and description cannot change once the policy exists: a plan warns.
 * Attachments are `aws:iam:policy:attach`'s (or a role's `managed_policies`); a destroy detaches
 * the policy from every role, user and group, since the policy is ours, before deleting it.
 * IAM has no lookup by name without the account id, so the policy is found among the local ones.
 */
import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  type IAMClient,
  ListPolicyTagsCommand,
  paginateListEntitiesForPolicy,
  paginateListPolicies,
  paginateListPolicyVersions,
  type Policy,
  type PolicyVersion,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
  UntagPolicyCommand,
} from '@aws-sdk/client-iam';
import { z } from 'zod';
import type { DriftItem } from '../../model/run-types';
import type { FoundResource, NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { fieldDrift, MISSING, sameValue, updatePlan } from './drift';
import { type Applied, applyOwned, compensateOwned, destroyOwned, planOwned, type Update } from './owned';
import { aws, type AwsCall, awsError, awsOrNull } from './errors';
import { iamPath } from './iam-names';
import { policyDocumentSchema, readPolicyDocument, writePolicyDocument } from './policy-document';
import { awsClients, regionOf } from './session';
import {
  creationTags,
  DEPLOY_ID_TAG,
  previousTagValues,
  restoreTags,
  tagDrift,
  tagList,
  tagMap,
  tagsToSet,
  type Tags,
} from './tags';
import type { Undo } from './undo-journal';

/** How many versions IAM keeps of a managed policy. */
const MAX_VERSIONS = 5;

const properties = z
  .object({
    policy_name: z.string().regex(/^[\w+=,.@-]{1,128}$/, 'must be 1-128 letters, digits or +=,.@_-'),
    path: iamPath,
    description: z.string().max(1000).default(''),
    document: policyDocumentSchema,
  })
  .strict();

export type IamPolicyProperties = z.output<typeof properties>;
type Target = NodeTarget<IamPolicyProperties>;

interface PolicyState {
  readonly arn: string;
  readonly name: string;
  readonly policy_id: string;
  readonly path: string;
  readonly description: string;
  readonly default_version: string;
  readonly document: unknown;
  readonly tags: Tags;
}

const label = (target: Target): string => `IAM policy ${target.properties.policy_name}`;
const call = (target: Target, action: string): AwsCall => ({ action, target: label(target) });

/** The account's customer-managed policies (names are unique in an account, whatever the path). */
async function localPolicies(iam: IAMClient, scan: AwsCall): Promise<Policy[]> {
  const all: Policy[] = [];
  await aws(scan, async () => {
    for await (const page of paginateListPolicies({ client: iam }, { Scope: 'Local' }))
      all.push(...(page.Policies ?? []));
  });
  return all;
}

/** A policy by ARN with its default version's document; null when it is gone. */
async function describe(iam: IAMClient, PolicyArn: string, name: string): Promise<PolicyState | null> {
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

async function readPolicy(iam: IAMClient, target: Target): Promise<PolicyState | null> {
  const wanted = target.properties.policy_name.toLowerCase();
  const found = (await localPolicies(iam, call(target, 'look the policy up'))).find(
    (p) => p.PolicyName?.toLowerCase() === wanted,
  );
  return found?.Arn ? describe(iam, found.Arn, target.properties.policy_name) : null;
}

const policyDrift = (state: PolicyState, target: Target): DriftItem[] => [
  ...fieldDrift({ document: target.properties.document }, state as unknown as Record<string, unknown>),
  ...tagDrift(state.tags, target),
];

function createOnlyWarnings(state: PolicyState, target: Target): string[] {
  const p = target.properties;
  return (['path', 'description'] as const)
    .filter((key) => state[key] !== p[key])
    .map(
      (key) =>
        `${label(target)} has ${key} ${JSON.stringify(state[key])}, not ${JSON.stringify(p[key])}: a policy's ${key} cannot change without recreating it`,
    );
}

const outputsOf = (
  state: { arn: string; policy_id: string; default_version: string },
  target: Target,
): Record<string, unknown> => ({
  arn: state.arn,
  name: target.properties.policy_name,
  policy_id: state.policy_id,
  default_version: state.default_version,
});

/** Creates the policy; null when one of that name appeared meanwhile (adopt or refuse it). */
async function create(iam: IAMClient, target: Target): Promise<Applied | null> {
  const p = target.properties;
  try {
    const { Policy: created } = await iam.send(
      new CreatePolicyCommand({
        PolicyName: p.policy_name,
        Path: p.path,
        PolicyDocument: writePolicyDocument(p.document),
        Tags: tagList(creationTags(target)),
        ...(p.description === '' ? {} : { Description: p.description }),
      }),
    );
    return {
      outputs: outputsOf(
        {
          arn: created?.Arn ?? '',
          policy_id: created?.PolicyId ?? '',
          default_version: created?.DefaultVersionId ?? 'v1',
        },
        target,
      ),
    };
  } catch (err) {
    if ((err as { name?: unknown }).name === 'EntityAlreadyExistsException') return null;
    throw awsError(err, call(target, 'create the policy'));
  }
}

async function listVersions(iam: IAMClient, target: Target, PolicyArn: string): Promise<PolicyVersion[]> {
  const versions: PolicyVersion[] = [];
  await aws(call(target, 'list its versions'), async () => {
    for await (const page of paginateListPolicyVersions({ client: iam }, { PolicyArn }))
      versions.push(...(page.Versions ?? []));
  });
  return versions;
}

const versionNumber = (v: PolicyVersion): number => Number((v.VersionId ?? '').replace(/^v/, ''));

async function deleteVersion(iam: IAMClient, target: Target, PolicyArn: string, VersionId: string): Promise<void> {
  await awsOrNull(call(target, `delete its version ${VersionId}`), () =>
    iam.send(new DeletePolicyVersionCommand({ PolicyArn, VersionId })),
  );
}

/** Makes the desired document the default version, making room first; returns the new version's id. */
async function putVersion(iam: IAMClient, target: Target, PolicyArn: string): Promise<string> {
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

/**
 * The version an earlier attempt of this apply created and made the default before it died (the
 * journal holds the default before it, not the version IAM created): the default now, when it is another.
 */
function createdEarlier(carried: Undo | null, state: PolicyState): Undo {
  const before = carried?.['previous_version'];
  return typeof before === 'string' && before !== state.default_version
    ? { created_version: state.default_version }
    : {};
}

/**
 * Brings a policy of ours to the desired state; its undo, what it changes: the previous default
 * version and tags, recorded before the first change (owned.ts), the created version once IAM has named it.
 */
function update(iam: IAMClient, target: Target, state: PolicyState, carried: Undo | null): Update {
  const PolicyArn = state.arn;
  const newDocument = !sameValue(target.properties.document, state.document);
  const tags = tagsToSet(state.tags, target);
  return {
    undo: {
      ...(newDocument ? { previous_version: state.default_version } : createdEarlier(carried, state)),
      tags_previous: previousTagValues(state.tags, tags),
    },
    async change(journal) {
      let defaultVersion = state.default_version;
      let undo: Undo | undefined;
      if (newDocument) {
        defaultVersion = await putVersion(iam, target, PolicyArn);
        undo = journal.record({ created_version: defaultVersion });
      }
      if (Object.keys(tags).length > 0)
        await aws(call(target, 'tag the policy'), () =>
          iam.send(new TagPolicyCommand({ PolicyArn, Tags: tagList(tags) })),
        );
      return { outputs: outputsOf({ ...state, default_version: defaultVersion }, target), undo };
    },
  };
}

/** Restores what `update` changed: the previous default version, then its tags. */
async function restore(
  iam: IAMClient,
  target: Target,
  PolicyArn: string,
  undo: Record<string, unknown>,
): Promise<void> {
  const [previous, created] = [undo['previous_version'], undo['created_version']];
  if (typeof previous === 'string') {
    await aws(call(target, `make version ${previous} the default again`), () =>
      iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn, VersionId: previous })),
    );
  }
  if (typeof created === 'string') await deleteVersion(iam, target, PolicyArn, created);
  const tags = restoreTags(undo['tags_previous']);
  if (Object.keys(tags.set).length > 0)
    await aws(call(target, 'restore its tags'), () =>
      iam.send(new TagPolicyCommand({ PolicyArn, Tags: tagList(tags.set) })),
    );
  if (tags.remove.length > 0)
    await aws(call(target, 'remove added tags'), () =>
      iam.send(new UntagPolicyCommand({ PolicyArn, TagKeys: tags.remove })),
    );
}

/** Detaches it from every role, user and group, deletes its other versions, then the policy. Absent: done. */
async function deletePolicy(iam: IAMClient, target: Target, PolicyArn: string): Promise<void> {
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
async function findPolicies(iam: IAMClient, deploymentId: string): Promise<FoundResource[]> {
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

const iamOf = async (ctx: OperationContext, target: Target): Promise<IAMClient> =>
  (await awsClients(ctx, regionOf(ctx, target))).iam;

export const awsIamPolicy: ResourceType<IamPolicyProperties> = {
  type: 'aws:iam:policy',
  provider: 'aws',
  description:
    'A customer-managed IAM policy: its document (a change is a new default version); tagged, adopted by tag',
  regional: false,
  properties,
  physicalName: (p) => `iam-policy:${p.policy_name.toLowerCase()}`,

  async plan(ctx, target) {
    const state = await readPolicy(await iamOf(ctx, target), target);
    return planOwned({ state, target, label: label(target) }, (s) =>
      updatePlan(policyDrift(s, target), createOnlyWarnings(s, target)),
    );
  },

  async apply(ctx, target) {
    const iam = await iamOf(ctx, target);
    return applyOwned(
      ctx,
      { target, label: label(target) },
      {
        read: () => readPolicy(iam, target),
        lag: 'IAM is eventually consistent',
        create: () => create(iam, target),
        update: (state, carried) => update(iam, target, state, carried),
      },
    );
  },

  async verify(ctx, target) {
    const state = await readPolicy(await iamOf(ctx, target), target);
    return { drift: state ? policyDrift(state, target) : [MISSING] };
  },

  async compensate(ctx, target, undo) {
    const iam = await iamOf(ctx, target);
    const state = await readPolicy(iam, target);
    return compensateOwned(
      { state, target, label: label(target), what: 'policy', undo },
      (s) => deletePolicy(iam, target, s.arn),
      (s, u) => restore(iam, target, s.arn, u),
    );
  },

  async destroy(ctx, target) {
    const iam = await iamOf(ctx, target);
    await destroyOwned({ state: await readPolicy(iam, target), target, label: label(target) }, (s) =>
      deletePolicy(iam, target, s.arn),
    );
  },

  async findTagged(ctx, deploymentId) {
    return findPolicies((await awsClients(ctx, regionOf(ctx, null))).iam, deploymentId);
  },
};
