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
  type IAMClient,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
  UntagPolicyCommand,
} from '@aws-sdk/client-iam';
import type { NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { MISSING, sameValue, updatePlan } from './drift';
import { type Applied, applyOwned, compensateOwned, destroyOwned, planOwned, prepareOwned, type Update } from './owned';
import { aws, awsError } from './errors';
import { deletePolicy, findPolicies } from './iam-policy-destroy';
import {
  call,
  createOnlyWarnings,
  iamPolicyProperties,
  type IamPolicyProperties,
  label,
  outputsOf,
  policyDrift,
  type PolicyState,
  readPolicy,
} from './iam-policy-state';
import { deleteVersion, putVersion } from './iam-policy-versions';
import { writePolicyDocument } from './policy-document';
import { awsClients, regionOf } from './session';
import { creationTags, previousTagValues, restoreTags, tagList, tagsToSet } from './tags';
import type { Undo } from './undo-journal';

export type { IamPolicyProperties };
type Target = NodeTarget<IamPolicyProperties>;

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

const iamOf = async (ctx: OperationContext, target: Target): Promise<IAMClient> =>
  (await awsClients(ctx, regionOf(ctx, target))).iam;

export const awsIamPolicy: ResourceType<IamPolicyProperties> = {
  type: 'aws:iam:policy',
  provider: 'aws',
  description:
    'A customer-managed IAM policy: its document (a change is a new default version); tagged, adopted by tag',
  regional: false,
  properties: iamPolicyProperties,
  physicalName: (p) => `iam-policy:${p.policy_name.toLowerCase()}`,

  async plan(ctx, target) {
    const state = await readPolicy(await iamOf(ctx, target), target);
    return planOwned({ state, target, label: label(target) }, (s) =>
      updatePlan(policyDrift(s, target), createOnlyWarnings(s, target)),
    );
  },

  async prepare(ctx, target) {
    const iam = await iamOf(ctx, target);
    return prepareOwned(target, {
      read: () => readPolicy(iam, target),
      update: (state, carried) => update(iam, target, state, carried),
    });
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
