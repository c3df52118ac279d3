/**
 * `aws:iam:policy:attach`: one managed policy attached to one IAM role (IAM is global: not
 * regional). The role is `role_name` or the `role` reference (an `aws:iam:role`'s ARN, or its
 * name); the policy is `policy_arn` or the `policy` reference (an `aws:iam:policy`'s ARN). Where a
 * reference has not resolved, verify, compensate and destroy name the attachment from the last
 * apply's outputs (or undo); a plan (a dry run has no references) plans a create and says which
 * reference it waits for; a destroy with neither has nothing to detach.
 *
 * An attachment cannot carry tags, so it has no `findTagged`: a tag scan's destroy of the role or
 * of the policy detaches it anyway. Without tags, ownership is what the run saw before its apply:
 * `prepare` reads whether it was attached, the workflow's history keeps that, and an apply retried
 * after a crash (or by an operator) that finds it attached knows whether this run attached it, so
 * compensate detaches exactly what this run attached. Without that read (a run started before
 * it existed), an attachment found in place is this run's only if the role or the policy was
 * created by this very run (their `mgraph:created-by` tag).
 * So it does not fit owned.ts's skeleton of a tagged type: nothing to check an owner's tag on,
 * and nothing to update (an attachment is there or not).
 */
import {
  AttachRolePolicyCommand,
  DetachRolePolicyCommand,
  type IAMClient,
  ListPolicyTagsCommand,
  ListRoleTagsCommand,
  paginateListAttachedRolePolicies,
} from '@aws-sdk/client-iam';
import { z } from 'zod';
import { OperationError } from '../../providers/operation-error';
import type { NodeTarget, OperationContext, ResourceType } from '../resource-type';
import { createPlan, MISSING, updatePlan } from './drift';
import { aws, type AwsCall, awsOrNull } from './errors';
import { managedPolicyArn, roleName, roleNameFromArn } from './iam-names';
import { awsClients, regionOf } from './session';
import { createdByThisRun, runKeyOf, tagMap } from './tags';

const properties = z
  .object({
    /** The role; else the `role` reference. */
    role_name: roleName.optional(),
    /** The managed policy; else the `policy` reference. */
    policy_arn: managedPolicyArn.optional(),
  })
  .strict();

export type IamPolicyAttachProperties = z.output<typeof properties>;
type Target = NodeTarget<IamPolicyAttachProperties>;

interface Attachment {
  readonly role_name: string;
  readonly policy_arn: string;
}

/** Each side: its property, the reference that can stand for it, and how a resolved value becomes it. */
const SIDES = {
  role_name: { ref: 'role', read: (v: string): string | null => roleNameFromArn(v) },
  policy_arn: { ref: 'policy', read: (v: string): string | null => (managedPolicyArn.safeParse(v).success ? v : null) },
} as const;
type Side = keyof typeof SIDES;

const where = (target: Target): string => `resources.${target.node.resource_id}`;

/** One side from its property, else its resolved reference, else what the last apply recorded. */
function sideOf(target: Target, side: Side, saved: Record<string, unknown> | null): string | null {
  const given = target.properties[side];
  if (given !== undefined) return given;
  const { ref, read } = SIDES[side];
  const value = target.refs[ref];
  if (value === undefined || value === null) return typeof saved?.[side] === 'string' ? saved[side] : null;
  const parsed = typeof value === 'string' ? read(value) : null;
  if (parsed === null)
    throw new OperationError(
      'invalid_input',
      `${where(target)}.references.${ref} resolved to ${JSON.stringify(value)}, which is not a ${side === 'role_name' ? 'role ARN or name' : 'managed policy ARN'}`,
      { retryable: false },
    );
  return parsed;
}

function attachmentOf(target: Target, saved: Record<string, unknown> | null): Attachment | null {
  const [role_name, policy_arn] = [sideOf(target, 'role_name', saved), sideOf(target, 'policy_arn', saved)];
  return role_name === null || policy_arn === null ? null : { role_name, policy_arn };
}

/**
 * Why the attachment cannot be named: `error` when nothing gives a side (a config error), else
 * `pending`, the declared references that have not resolved (their resources have not been applied).
 */
function unnamed(
  target: Target,
  saved: Record<string, unknown> | null,
): { readonly error: string | null; readonly pending: string } {
  const missing = (Object.keys(SIDES) as Side[]).filter((side) => sideOf(target, side, saved) === null);
  const undeclared = missing.filter((side) => target.node.references[SIDES[side].ref] === undefined);
  const pending = missing.flatMap((side) => {
    const ref = target.node.references[SIDES[side].ref];
    return ref
      ? [`references.${SIDES[side].ref} ("${ref.raw}") is known once ${ref.resource_id} has been applied`]
      : [];
  });
  return {
    error:
      undeclared.length === 0
        ? null
        : undeclared.map((side) => `give properties.${side} or references.${SIDES[side].ref}`).join('; '),
    pending: pending.join('; '),
  };
}

function mustName(target: Target, saved: Record<string, unknown> | null): Attachment {
  const attachment = attachmentOf(target, saved);
  if (attachment) return attachment;
  const { error, pending } = unnamed(target, saved);
  throw new OperationError(error === null ? 'reference' : 'invalid_input', `${where(target)}: ${error ?? pending}`, {
    retryable: false,
  });
}

const label = (a: Attachment): string => `attachment of ${a.policy_arn} to IAM role ${a.role_name}`;
const call = (a: Attachment, action: string): AwsCall => ({ action, target: label(a) });

/** Whether the policy is attached to the role; a missing role has nothing attached. */
async function isAttached(iam: IAMClient, a: Attachment): Promise<boolean> {
  const found = await awsOrNull(call(a, "list the role's policies"), async () => {
    for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName: a.role_name })) {
      if ((page.AttachedPolicies ?? []).some((p) => p.PolicyArn === a.policy_arn)) return true;
    }
    return false;
  });
  return found === true;
}

/** An attachment found in place was this run's if the role or the (customer) policy was created by this run. */
async function madeByThisRun(iam: IAMClient, target: Target, a: Attachment): Promise<boolean> {
  if (runKeyOf(target) === null) return false;
  const role = await awsOrNull(call(a, "read the role's tags"), () =>
    iam.send(new ListRoleTagsCommand({ RoleName: a.role_name })),
  );
  if (createdByThisRun(tagMap(role?.Tags), target)) return true;
  if (/^arn:[^:]+:iam::aws:/.test(a.policy_arn)) return false;
  const policy = await awsOrNull(call(a, "read the policy's tags"), () =>
    iam.send(new ListPolicyTagsCommand({ PolicyArn: a.policy_arn })),
  );
  return createdByThisRun(tagMap(policy?.Tags), target);
}

/** Detaches it; false when it was not attached (or the role or policy is gone). */
async function detach(iam: IAMClient, a: Attachment): Promise<boolean> {
  const done = await awsOrNull(call(a, 'detach the policy'), () =>
    iam.send(new DetachRolePolicyCommand({ RoleName: a.role_name, PolicyArn: a.policy_arn })),
  );
  return done !== null;
}

const outputsOf = (a: Attachment): Record<string, unknown> => ({ role_name: a.role_name, policy_arn: a.policy_arn });

const iamOf = async (ctx: OperationContext, target: Target): Promise<IAMClient> =>
  (await awsClients(ctx, regionOf(ctx, target))).iam;

export const awsIamPolicyAttach: ResourceType<IamPolicyAttachProperties> = {
  type: 'aws:iam:policy:attach',
  provider: 'aws',
  description:
    'A managed IAM policy attached to a role (role and policy by name/ARN or by reference); untagged, adopted when already attached',
  regional: false,
  properties,
  physicalName: (p) =>
    p.role_name === undefined || p.policy_arn === undefined
      ? null
      : `iam-policy-attach:${p.role_name.toLowerCase()}:${p.policy_arn}`,

  async plan(ctx, target) {
    const a = attachmentOf(target, null);
    if (!a) {
      const { error, pending } = unnamed(target, null);
      if (error !== null) throw new OperationError('invalid_input', `${where(target)}: ${error}`, { retryable: false });
      return createPlan([pending]);
    }
    return (await isAttached(await iamOf(ctx, target), a)) ? updatePlan([]) : createPlan();
  },

  async prepare(ctx, target) {
    const a = attachmentOf(target, null);
    return a && { attached_before: await isAttached(await iamOf(ctx, target), a) };
  },

  async apply(ctx, target) {
    const iam = await iamOf(ctx, target);
    const a = mustName(target, null);
    if (await isAttached(iam, a)) {
      const before = ctx.prepared?.['attached_before'];
      const ours = typeof before === 'boolean' ? !before : await madeByThisRun(iam, target, a);
      return { outputs: outputsOf(a), undo: { attached: ours, ...outputsOf(a) } };
    }
    await aws(call(a, 'attach the policy'), () =>
      iam.send(new AttachRolePolicyCommand({ RoleName: a.role_name, PolicyArn: a.policy_arn })),
    );
    return { outputs: outputsOf(a), undo: { attached: true, ...outputsOf(a) } };
  },

  async verify(ctx, target, outputs) {
    const a = mustName(target, outputs);
    return { drift: (await isAttached(await iamOf(ctx, target), a)) ? [] : [MISSING] };
  },

  async compensate(ctx, target, undo) {
    if (undo?.['attached'] !== true) return { outcome: 'nothing to undo (the policy was attached before this run)' };
    const detached = await detach(await iamOf(ctx, target), mustName(target, undo));
    return { outcome: detached ? 'compensated' : 'compensated (already detached)' };
  },

  async destroy(ctx, target, outputs) {
    const a = attachmentOf(target, outputs);
    if (!a) {
      const { error, pending } = unnamed(target, outputs);
      ctx.log(`${where(target)}: nothing to detach (${error ?? pending})`);
      return;
    }
    await detach(await iamOf(ctx, target), a);
  },
};
