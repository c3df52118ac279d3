/**
 * `aws:iam:role`: an IAM role with its trust policy, managed policies (at least these: attachments
 * made by `aws:iam:policy:attach` or by hand are left alone) and inline policies (exactly these).
 * IAM is global, so the type is not regional: one node, called in the credentials' region.
 */
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  type IAMClient,
  ListRoleTagsCommand,
  paginateListAttachedRolePolicies,
  paginateListInstanceProfilesForRole,
  paginateListRolePolicies,
  paginateListRoles,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { z } from 'zod';
import type { DriftItem } from '../../model/run-types';
import type { FoundResource, NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { fieldDrift, MISSING, sameValue, updatePlan } from './drift';
import { applyOwned, compensateOwned, destroyOwned, planOwned, type Update } from './owned';
import { aws, awsError, awsOrNull } from './errors';
import { iamPath, managedPolicyArn, roleName } from './iam-names';
import { policyDocumentSchema, readPolicyDocument, writePolicyDocument, type PolicyDocument } from './policy-document';
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
import type { UndoShape } from './undo-journal';

const LAMBDA_TRUST: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

const properties = z
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

export type IamRoleProperties = z.output<typeof properties>;
type Target = NodeTarget<IamRoleProperties>;

interface RoleState {
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

const label = (target: Target): string => `IAM role ${target.properties.role_name}`;
const call = (target: Target, action: string) => ({ action, target: label(target) });

async function readRole(iam: IAMClient, target: Target): Promise<RoleState | null> {
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

const missingManaged = (state: RoleState, target: Target): string[] =>
  target.properties.managed_policies.filter((arn) => !state.managed_policies.includes(arn));

function roleDrift(state: RoleState, target: Target): DriftItem[] {
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

const pathWarning = (state: RoleState, target: Target): string[] =>
  state.path === target.properties.path
    ? []
    : [
        `${label(target)} has path ${state.path}, not ${target.properties.path}: a path cannot change without recreating the role`,
      ];

const outputsOf = (state: { arn: string; role_id: string }, target: Target): Record<string, unknown> => ({
  arn: state.arn,
  name: target.properties.role_name,
  role_id: state.role_id,
  path: target.properties.path,
});

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

/** Detaches, deletes inline policies, leaves instance profiles, then deletes the role. Absent: done. */
async function deleteRole(iam: IAMClient, target: Target, state: RoleState): Promise<void> {
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
async function findRoles(iam: IAMClient, deploymentId: string): Promise<FoundResource[]> {
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

const iamOf = async (ctx: OperationContext, target: Target): Promise<IAMClient> =>
  (await awsClients(ctx, regionOf(ctx, target))).iam;

export const awsIamRole: ResourceType<IamRoleProperties> = {
  type: 'aws:iam:role',
  provider: 'aws',
  description:
    'An IAM role: trust policy, managed policies (at least these) and inline policies (exactly these); tagged, adopted by tag',
  regional: false,
  properties,
  physicalName: (p) => `iam-role:${p.role_name.toLowerCase()}`,

  async plan(ctx, target) {
    const state = await readRole(await iamOf(ctx, target), target);
    return planOwned({ state, target, label: label(target) }, (s) =>
      updatePlan(roleDrift(s, target), pathWarning(s, target)),
    );
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
