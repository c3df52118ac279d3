import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DetachRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { awsIamPolicy } from '../../src/resources/aws/iam-policy';
import { awsIamPolicyAttach } from '../../src/resources/aws/iam-policy-attach';
import { awsIamRole } from '../../src/resources/aws/iam-role';
import type { NodeTarget } from '../../src/resources/resource-type';
import { useAwsBed, type TargetOptions } from './helpers/aws-bed';

const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/app-role';
const DOC = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
const TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const MISSING = { property: 'exists', desired: true, actual: false };

const bed = useAwsBed();

const iam = () => bed.clients.forRegion('us-east-1', null).iam;
const createRole = () =>
  iam().send(new CreateRoleCommand({ RoleName: 'app-role', AssumeRolePolicyDocument: JSON.stringify(TRUST) }));
const attached = async () =>
  ((await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: 'app-role' }))).AttachedPolicies ?? []).map(
    (p) => p.PolicyArn,
  );
const byName = (options: TargetOptions = {}) =>
  bed.target(awsIamPolicyAttach, { role_name: 'app-role', policy_arn: READ_ONLY }, options);

/** A target whose config declares references (the bed's targets declare none). */
function withReferences(target: NodeTarget<unknown>, names: Record<string, string>): NodeTarget<never> {
  const references = Object.fromEntries(
    Object.entries(names).map(([name, resource]) => [
      name,
      { raw: resource, node_id: `${resource}-node`, resource_id: resource, region: null, output: null },
    ]),
  );
  return { ...target, node: { ...target.node, references } } as NodeTarget<never>;
}

describe('aws:iam:policy:attach', () => {
  it('attaches a managed policy to a role by name, then plans no-op and verifies without drift', async () => {
    await createRole();
    const ctx = bed.ctx();
    const target = byName();
    await expect(awsIamPolicyAttach.plan(ctx, target)).resolves.toEqual({
      action: 'create',
      diff: [MISSING],
      warnings: [],
    });
    const applied = await awsIamPolicyAttach.apply(ctx, target);
    expect(applied).toEqual({
      outputs: { role_name: 'app-role', policy_arn: READ_ONLY },
      undo: { attached: true, role_name: 'app-role', policy_arn: READ_ONLY },
    });
    await expect(attached()).resolves.toEqual([READ_ONLY]);
    await expect(awsIamPolicyAttach.plan(ctx, target)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
    await expect(awsIamPolicyAttach.verify(ctx, target, applied.outputs)).resolves.toEqual({ drift: [] });
  });

  it('takes the role and the policy from references to an aws:iam:role and an aws:iam:policy', async () => {
    const ctx = bed.ctx();
    const role = await awsIamRole.apply(
      ctx,
      bed.target(awsIamRole, { role_name: 'app-role' }, { resource_id: 'app-role' }),
    );
    const policy = await awsIamPolicy.apply(
      ctx,
      bed.target(awsIamPolicy, { policy_name: 'app-read', document: DOC }, { resource_id: 'app-read' }),
    );
    const target = bed.target(
      awsIamPolicyAttach,
      {},
      { refs: { role: role.outputs['arn'], policy: policy.outputs['arn'] } },
    );
    const applied = await awsIamPolicyAttach.apply(ctx, target);
    expect(applied.outputs).toEqual({ role_name: 'app-role', policy_arn: 'arn:aws:iam::123456789012:policy/app-read' });
    await expect(attached()).resolves.toEqual(['arn:aws:iam::123456789012:policy/app-read']);
  });

  it('adopts an attachment made before this run, and compensation leaves it attached', async () => {
    await createRole();
    await iam().send(new AttachRolePolicyCommand({ RoleName: 'app-role', PolicyArn: READ_ONLY }));
    const ctx = bed.ctx();
    const target = byName({ refs: { $run_key: 'run-1' } });
    const applied = await awsIamPolicyAttach.apply(ctx, target);
    expect(applied.undo).toEqual({ attached: false, role_name: 'app-role', policy_arn: READ_ONLY });
    await expect(awsIamPolicyAttach.compensate(ctx, target, applied.undo)).resolves.toEqual({
      outcome: 'nothing to undo (the policy was attached before this run)',
    });
    await expect(attached()).resolves.toEqual([READ_ONLY]);
  });

  it('still owns the attachment on an apply retried after a crash when the role or the policy was created by this run', async () => {
    const ctx = bed.ctx();
    const run = { $run_key: 'run-1' };
    await awsIamRole.apply(
      ctx,
      bed.target(awsIamRole, { role_name: 'app-role' }, { resource_id: 'app-role', refs: run }),
    );
    const target = byName({ refs: run });
    await awsIamPolicyAttach.apply(ctx, target);
    const retried = await awsIamPolicyAttach.apply(bed.ctx({ attempt: 2 }), target);
    expect(retried.undo).toEqual({ attached: true, role_name: 'app-role', policy_arn: READ_ONLY });
    await expect(attached()).resolves.toEqual([READ_ONLY]);
    await expect(awsIamPolicyAttach.compensate(ctx, target, retried.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(attached()).resolves.toEqual([]);

    const policy = await awsIamPolicy.apply(
      ctx,
      bed.target(
        awsIamPolicy,
        { policy_name: 'app-read', document: DOC },
        { resource_id: 'app-read', refs: { $run_key: 'run-2' } },
      ),
    );
    const ours = bed.target(
      awsIamPolicyAttach,
      { role_name: 'app-role' },
      { refs: { $run_key: 'run-2', policy: policy.outputs['arn'] } },
    );
    await awsIamPolicyAttach.apply(ctx, ours);
    await expect(awsIamPolicyAttach.apply(bed.ctx({ attempt: 2 }), ours)).resolves.toMatchObject({
      undo: { attached: true },
    });
    const later = bed.target(
      awsIamPolicyAttach,
      { role_name: 'app-role' },
      { refs: { $run_key: 'run-3', policy: policy.outputs['arn'] } },
    );
    await expect(awsIamPolicyAttach.apply(ctx, later)).resolves.toMatchObject({ undo: { attached: false } });
  });

  it('compensating its attach detaches the policy, and says so when it is already detached', async () => {
    await createRole();
    const ctx = bed.ctx();
    const target = byName();
    const applied = await awsIamPolicyAttach.apply(ctx, target);
    await expect(awsIamPolicyAttach.compensate(ctx, target, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(attached()).resolves.toEqual([]);
    await expect(awsIamPolicyAttach.compensate(ctx, target, applied.undo)).resolves.toEqual({
      outcome: 'compensated (already detached)',
    });
  });

  it('reports drift when the policy was detached out of band, and apply attaches it again', async () => {
    await createRole();
    const ctx = bed.ctx();
    const target = byName();
    const applied = await awsIamPolicyAttach.apply(ctx, target);
    await iam().send(new DetachRolePolicyCommand({ RoleName: 'app-role', PolicyArn: READ_ONLY }));
    await expect(awsIamPolicyAttach.verify(ctx, target, applied.outputs)).resolves.toEqual({ drift: [MISSING] });
    await expect(awsIamPolicyAttach.plan(ctx, target)).resolves.toMatchObject({ action: 'create' });
    await awsIamPolicyAttach.apply(ctx, target);
    await expect(awsIamPolicyAttach.verify(ctx, target, applied.outputs)).resolves.toEqual({ drift: [] });
  });

  it('destroys by detaching, from the last outputs when the references are gone, and is a no-op when detached or the role is gone', async () => {
    const ctx = bed.ctx();
    await createRole();
    const applied = await awsIamPolicyAttach.apply(
      ctx,
      bed.target(awsIamPolicyAttach, { policy_arn: READ_ONLY }, { refs: { role: ROLE_ARN } }),
    );
    const unresolved = withReferences(bed.target(awsIamPolicyAttach, { policy_arn: READ_ONLY }), { role: 'app-role' });
    await awsIamPolicyAttach.destroy(ctx, unresolved, applied.outputs);
    await expect(attached()).resolves.toEqual([]);
    await expect(awsIamPolicyAttach.destroy(ctx, unresolved, applied.outputs)).resolves.toBeUndefined();
    await expect(awsIamPolicyAttach.destroy(ctx, byName(), null)).resolves.toBeUndefined();
    await expect(
      awsIamPolicyAttach.destroy(
        ctx,
        bed.target(awsIamPolicyAttach, { role_name: 'no-such-role', policy_arn: READ_ONLY }),
        null,
      ),
    ).resolves.toBeUndefined();
  });

  it('plans a create with a warning while a reference has not resolved, and refuses to apply without a role or policy', async () => {
    const ctx = bed.ctx();
    const pending = withReferences(bed.target(awsIamPolicyAttach, { policy_arn: READ_ONLY }), { role: 'app-role' });
    await expect(awsIamPolicyAttach.plan(ctx, pending)).resolves.toEqual({
      action: 'create',
      diff: [MISSING],
      warnings: ['references.role ("app-role") is known once app-role has been applied'],
    });
    await expect(awsIamPolicyAttach.apply(ctx, pending)).rejects.toMatchObject({ type: 'reference', retryable: false });

    const nameless = bed.target(awsIamPolicyAttach, { policy_arn: READ_ONLY });
    await expect(awsIamPolicyAttach.plan(ctx, nameless)).rejects.toMatchObject({
      type: 'invalid_input',
      message: 'resources.node: give properties.role_name or references.role',
    });
    const wrongRef = bed.target(awsIamPolicyAttach, { role_name: 'app-role' }, { refs: { policy: ROLE_ARN } });
    await expect(awsIamPolicyAttach.apply(ctx, wrongRef)).rejects.toMatchObject({
      type: 'invalid_input',
      message: `resources.node.references.policy resolved to "${ROLE_ARN}", which is not a managed policy ARN`,
    });
  });

  it("passes on AWS's refusal to attach a policy that does not exist, as not found", async () => {
    await createRole();
    const target = bed.target(awsIamPolicyAttach, {
      role_name: 'app-role',
      policy_arn: 'arn:aws:iam::123456789012:policy/absent',
    });
    await expect(awsIamPolicyAttach.apply(bed.ctx(), target)).rejects.toMatchObject({
      type: 'not_found',
      message: expect.stringContaining(
        'attach the policy on attachment of arn:aws:iam::123456789012:policy/absent to IAM role app-role',
      ),
    });
  });
});
