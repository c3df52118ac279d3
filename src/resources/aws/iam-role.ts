/**
 * `aws:iam:role`: an IAM role with its trust policy, managed policies (at least these: attachments
 * made by `aws:iam:policy:attach` or by hand are left alone) and inline policies (exactly these).
 * IAM is global, so the type is not regional: one node, called in the credentials' region.
 */
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  type IAMClient,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import type { NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { MISSING, sameValue, updatePlan } from './drift';
import { applyOwned, compensateOwned, destroyOwned, planOwned, prepareOwned, type Update } from './owned';
import { aws, awsError, awsOrNull } from './errors';
import { deleteRole, findRoles } from './iam-role-destroy';
import {
  call,
  iamRoleProperties,
  type IamRoleProperties,
  label,
  missingManaged,
  outputsOf,
  pathWarning,
  readRole,
  roleDrift,
  type RoleState,
} from './iam-role-state';
import { writePolicyDocument } from './policy-document';
import { awsClients, regionOf } from './session';
import { creationTags, previousTagValues, restoreTags, tagList, tagsToSet } from './tags';
import type { UndoShape } from './undo-journal';

export type { IamRoleProperties };
type Target = NodeTarget<IamRoleProperties>;

/** The inline policies `syncInline` changes (those that differ, then those not wanted), with their previous documents (null: absent). */
function inlinePrevious(target: Target, current: Record<string, unknown>): Record<string, unknown> {
  const wanted = target.properties.inline_policies;
  const differing = Object.keys(wanted).filter((name) => !sameValue(wanted[name], current[name] ?? null));
  const unwanted = Object.keys(current).filter((name) => !(name in wanted));
  return Object.fromEntries([...differing, ...unwanted].map((name) => [name, current[name] ?? null]));
}

/** Puts the inline policies that differ and deletes the ones not wanted. */
async function syncInline(iam: IAMClient, target: Target, current: Record<string, unknown>): Promise<void> {
  const RoleName = target.properties.role_name;
  for (const PolicyName of Object.keys(inlinePrevious(target, current))) {
    const doc = target.properties.inline_policies[PolicyName];
    await (doc === undefined
      ? aws(call(target, `delete inline policy ${PolicyName}`), () =>
          iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName })),
        )
      : aws(call(target, `put inline policy ${PolicyName}`), () =>
          iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument: writePolicyDocument(doc) })),
        ));
  }
}

async function attach(iam: IAMClient, target: Target, arns: readonly string[]): Promise<void> {
  for (const PolicyArn of arns) {
    await aws(call(target, `attach ${PolicyArn}`), () =>
      iam.send(new AttachRolePolicyCommand({ RoleName: target.properties.role_name, PolicyArn })),
    );
  }
}

/** Creates the role with its policies; false when a role of that name appeared meanwhile (adopt or refuse it). */
async function create(iam: IAMClient, target: Target): Promise<boolean> {
  const p = target.properties;
  try {
    await iam.send(
      new CreateRoleCommand({
        RoleName: p.role_name,
        Path: p.path,
        Description: p.description,
        MaxSessionDuration: p.max_session_duration,
        AssumeRolePolicyDocument: writePolicyDocument(p.assume_role_policy),
        Tags: tagList(creationTags(target)),
      }),
    );
  } catch (err) {
    if ((err as { name?: unknown }).name === 'EntityAlreadyExistsException') return false;
    throw awsError(err, call(target, 'create the role'));
  }
  await attach(iam, target, p.managed_policies);
  await syncInline(iam, target, {});
  return true;
}

/** How this type's undo merges across attempts (undo-journal.ts): policies attached by the run, inline documents by name. */
const UNDO_SHAPE: UndoShape = { managed_attached: 'list', inline_previous: 'map' };

/** Brings a role of ours to the desired state; its undo, what it changes, is computed from `state` and recorded before the change (owned.ts). */
function update(iam: IAMClient, target: Target, state: RoleState): Update {
  const p = target.properties;
  const RoleName = p.role_name;
  const trust = !sameValue(p.assume_role_policy, state.assume_role_policy);
  const settings = p.description !== state.description || p.max_session_duration !== state.max_session_duration;
  const attached = missingManaged(state, target);
  const tags = tagsToSet(state.tags, target);
  const undo = {
    ...(trust ? { assume_role_policy: state.assume_role_policy } : {}),
    ...(settings ? { description: state.description, max_session_duration: state.max_session_duration } : {}),
    managed_attached: attached,
    inline_previous: inlinePrevious(target, state.inline_policies),
    tags_previous: previousTagValues(state.tags, tags),
  };
  return {
    undo,
    shape: UNDO_SHAPE,
    async change() {
      if (trust) {
        await aws(call(target, 'update the trust policy'), () =>
          iam.send(
            new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: writePolicyDocument(p.assume_role_policy) }),
          ),
        );
      }
      if (settings) {
        await aws(call(target, 'update the role'), () =>
          iam.send(
            new UpdateRoleCommand({ RoleName, Description: p.description, MaxSessionDuration: p.max_session_duration }),
          ),
        );
      }
      await attach(iam, target, attached);
      await syncInline(iam, target, state.inline_policies);
      if (Object.keys(tags).length > 0)
        await aws(call(target, 'tag the role'), () => iam.send(new TagRoleCommand({ RoleName, Tags: tagList(tags) })));
      return { outputs: outputsOf(state, target) };
    },
  };
}

/** Restores what `update` changed, from its undo data. */
async function restore(iam: IAMClient, target: Target, undo: Record<string, unknown>): Promise<void> {
  const RoleName = target.properties.role_name;
  if (undo['assume_role_policy'] !== undefined) {
    await aws(call(target, 'restore the trust policy'), () =>
      iam.send(
        new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: JSON.stringify(undo['assume_role_policy']) }),
      ),
    );
  }
  if (typeof undo['description'] === 'string' && typeof undo['max_session_duration'] === 'number') {
    const [Description, MaxSessionDuration] = [undo['description'], undo['max_session_duration']];
    await aws(call(target, 'restore the role settings'), () =>
      iam.send(new UpdateRoleCommand({ RoleName, Description, MaxSessionDuration })),
    );
  }
  for (const PolicyArn of (undo['managed_attached'] as string[] | undefined) ?? []) {
    await awsOrNull(call(target, `detach ${PolicyArn}`), () =>
      iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn })),
    );
  }
  for (const [PolicyName, doc] of Object.entries(
    (undo['inline_previous'] as Record<string, unknown> | undefined) ?? {},
  )) {
    await (doc === null
      ? awsOrNull(call(target, `delete inline policy ${PolicyName}`), () =>
          iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName })),
        )
      : aws(call(target, `restore inline policy ${PolicyName}`), () =>
          iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument: JSON.stringify(doc) })),
        ));
  }
  const tags = restoreTags(undo['tags_previous']);
  if (Object.keys(tags.set).length > 0)
    await aws(call(target, 'restore its tags'), () =>
      iam.send(new TagRoleCommand({ RoleName, Tags: tagList(tags.set) })),
    );
  if (tags.remove.length > 0)
    await aws(call(target, 'remove added tags'), () =>
      iam.send(new UntagRoleCommand({ RoleName, TagKeys: tags.remove })),
    );
}

const iamOf = async (ctx: OperationContext, target: Target): Promise<IAMClient> =>
  (await awsClients(ctx, regionOf(ctx, target))).iam;

export const awsIamRole: ResourceType<IamRoleProperties> = {
  type: 'aws:iam:role',
  provider: 'aws',
  description:
    'An IAM role: trust policy, managed policies (at least these) and inline policies (exactly these); tagged, adopted by tag',
  regional: false,
  properties: iamRoleProperties,
  physicalName: (p) => `iam-role:${p.role_name.toLowerCase()}`,

  async plan(ctx, target) {
    const state = await readRole(await iamOf(ctx, target), target);
    return planOwned({ state, target, label: label(target) }, (s) =>
      updatePlan(roleDrift(s, target), pathWarning(s, target)),
    );
  },

  async prepare(ctx, target) {
    const iam = await iamOf(ctx, target);
    return prepareOwned(target, { read: () => readRole(iam, target), update: (state) => update(iam, target, state) });
  },

  async apply(ctx, target) {
    const iam = await iamOf(ctx, target);
    return applyOwned(
      ctx,
      { target, label: label(target) },
      {
        read: () => readRole(iam, target),
        lag: 'IAM is eventually consistent',
        create: async (readBack) =>
          (await create(iam, target)) ? { outputs: outputsOf(await readBack(), target) } : null,
        update: (state) => update(iam, target, state),
      },
    );
  },

  async verify(ctx, target) {
    const state = await readRole(await iamOf(ctx, target), target);
    return { drift: state ? roleDrift(state, target) : [MISSING] };
  },

  async compensate(ctx, target, undo) {
    const iam = await iamOf(ctx, target);
    const state = await readRole(iam, target);
    return compensateOwned(
      { state, target, label: label(target), what: 'role', undo },
      (s) => deleteRole(iam, target, s),
      (_s, u) => restore(iam, target, u),
    );
  },

  async destroy(ctx, target) {
    const iam = await iamOf(ctx, target);
    await destroyOwned({ state: await readRole(iam, target), target, label: label(target) }, (s) =>
      deleteRole(iam, target, s),
    );
  },

  async findTagged(ctx, deploymentId) {
    return findRoles((await awsClients(ctx, regionOf(ctx, null))).iam, deploymentId);
  },
};
