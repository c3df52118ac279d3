import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { awsIamRole } from '../../src/resources/aws/iam-role';
import { OperationError } from '../../src/providers/operation-error';
import { useAwsBed } from './helpers/aws-bed';

const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const INLINE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };

const bed = useAwsBed();

const iam = () => bed.clients.forRegion('us-east-1', null).iam;
const props = (extra: Record<string, unknown> = {}) => ({
  role_name: 'my-app-lambda-role',
  managed_policies: [BASIC],
  inline_policies: { read: INLINE },
  ...extra,
});

describe('aws:iam:role', () => {
  it('creates the role with its trust policy, policies and the four tags, then plans no-op', async () => {
    const ctx = bed.ctx();
    const target = bed.target(awsIamRole, props(), { tags: { team: 'payments' } });
    await expect(awsIamRole.plan(ctx, target)).resolves.toEqual({
      action: 'create',
      diff: [{ property: 'exists', desired: true, actual: false }],
      warnings: [],
    });

    const applied = await awsIamRole.apply(ctx, target);
    expect(applied).toEqual({
      outputs: {
        arn: 'arn:aws:iam::123456789012:role/my-app-lambda-role',
        name: 'my-app-lambda-role',
        role_id: expect.any(String),
        path: '/',
      },
      undo: { created: true },
    });
    const role = (await iam().send(new GetRoleCommand({ RoleName: 'my-app-lambda-role' }))).Role;
    expect(Object.fromEntries((role?.Tags ?? []).map((t) => [t.Key, t.Value]))).toEqual({
      'mgraph:node-id': target.node.node_id,
      'mgraph:graph-id': 'graph-1',
      'mgraph:deploy-id': 'test-deploy',
      'mgraph:resource-id': 'node',
      team: 'payments',
    });
    expect(JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? ''))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    const attached = await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: 'my-app-lambda-role' }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([BASIC]);
    expect((await iam().send(new ListRolePoliciesCommand({ RoleName: 'my-app-lambda-role' }))).PolicyNames).toEqual([
      'read',
    ]);

    await expect(awsIamRole.plan(ctx, target)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
    await expect(awsIamRole.verify(ctx, target, applied.outputs)).resolves.toEqual({ drift: [] });
  });

  it('plans exactly the changed properties as an update, applies them, and compensation restores the previous state', async () => {
    const ctx = bed.ctx();
    await awsIamRole.apply(ctx, bed.target(awsIamRole, props()));
    const changed = bed.target(
      awsIamRole,
      props({ description: 'v2', managed_policies: [BASIC, READ_ONLY], inline_policies: {} }),
      { graph_id: 'graph-2' },
    );

    const plan = await awsIamRole.plan(ctx, changed);
    expect(plan.action).toBe('update');
    expect(plan.diff).toEqual([
      { property: 'description', desired: 'v2', actual: '' },
      { property: 'inline_policies', desired: {}, actual: { read: INLINE } },
      { property: 'managed_policies', desired: [READ_ONLY, BASIC], actual: [BASIC] },
    ]);

    const applied = await awsIamRole.apply(ctx, changed);
    expect(applied.undo).toEqual({
      created: false,
      description: '',
      max_session_duration: 3600,
      managed_attached: [READ_ONLY],
      inline_previous: { read: INLINE },
      tags_previous: { 'mgraph:graph-id': 'graph-1' },
    });
    await expect(awsIamRole.plan(ctx, changed)).resolves.toMatchObject({ action: 'no-op' });

    await expect(awsIamRole.compensate(ctx, changed, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(awsIamRole.plan(ctx, bed.target(awsIamRole, props()))).resolves.toEqual({
      action: 'no-op',
      diff: [],
      warnings: [],
    });
  });

  it('returns on the retry of an update whose first attempt died after its changes the undo an uninterrupted apply returns, and compensation with it restores the role', async () => {
    const ctx = bed.ctx();
    await awsIamRole.apply(ctx, bed.target(awsIamRole, props()));
    const changed = bed.target(
      awsIamRole,
      props({ description: 'v2', managed_policies: [BASIC, READ_ONLY], inline_policies: {} }),
      { graph_id: 'graph-2' },
    );
    const beats: unknown[] = [];
    await awsIamRole.apply(
      {
        ...ctx,
        heartbeat: (details) => {
          beats.push(details);
        },
      },
      changed,
    ); // its changes are made, its result dies with the worker
    await expect(awsIamRole.plan(ctx, changed)).resolves.toMatchObject({ action: 'no-op' });

    const retried = await awsIamRole.apply({ ...ctx, attempt: 2, lastHeartbeat: beats.at(-1) }, changed);
    expect(retried.undo).toEqual({
      created: false,
      description: '',
      max_session_duration: 3600,
      managed_attached: [READ_ONLY],
      inline_previous: { read: INLINE },
      tags_previous: { 'mgraph:graph-id': 'graph-1' },
    });
    await expect(awsIamRole.compensate(ctx, changed, retried.undo)).resolves.toEqual({ outcome: 'compensated' });
    const attached = await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: 'my-app-lambda-role' }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([BASIC]);
    const role = (await iam().send(new GetRoleCommand({ RoleName: 'my-app-lambda-role' }))).Role;
    expect(role?.Tags).toContainEqual({ Key: 'mgraph:graph-id', Value: 'graph-1' });
    await expect(awsIamRole.plan(ctx, bed.target(awsIamRole, props()))).resolves.toEqual({
      action: 'no-op',
      diff: [],
      warnings: [],
    });
  });

  it('adopts its own tagged role on a repeated apply: one role, and a crash-retried apply of the same run still owns the create', async () => {
    const ctx = bed.ctx();
    const target = bed.target(awsIamRole, props(), { refs: { $run_key: 'run-1' } });
    await awsIamRole.apply(ctx, target);
    const again = await awsIamRole.apply(bed.ctx({ attempt: 2 }), target);
    expect(again.undo).toEqual({ created: true });
    const later = await awsIamRole.apply(ctx, bed.target(awsIamRole, props(), { refs: { $run_key: 'run-2' } }));
    expect(later.undo).toMatchObject({ created: false });
    const roles = await iam().send(new ListRolesCommand({}));
    expect(roles.Roles?.filter((r) => r.RoleName === 'my-app-lambda-role')).toHaveLength(1);
  });

  it('refuses a role of the same name that is not ours, naming it, in apply, compensate and destroy', async () => {
    await iam().send(
      new CreateRoleCommand({ RoleName: 'my-app-lambda-role', AssumeRolePolicyDocument: JSON.stringify(INLINE) }),
    );
    const ctx = bed.ctx();
    const target = bed.target(awsIamRole, props());
    const plan = await awsIamRole.plan(ctx, target);
    expect(plan.warnings).toEqual([
      expect.stringContaining(
        'IAM role my-app-lambda-role already exists and is not managed by this node (it has no mgraph:node-id tag)',
      ),
    ]);
    const refused = awsIamRole.apply(ctx, target);
    await expect(refused).rejects.toThrow(OperationError);
    await expect(refused).rejects.toMatchObject({
      type: 'conflict',
      retryable: false,
      message: expect.stringContaining('IAM role my-app-lambda-role already exists'),
    });
    await expect(awsIamRole.destroy(ctx, target, null)).rejects.toMatchObject({ type: 'conflict' });
    await expect(iam().send(new GetRoleCommand({ RoleName: 'my-app-lambda-role' }))).resolves.toBeDefined();

    const otherNode = bed.target(awsIamRole, props(), { resource_id: 'other' });
    await iam().send(new DeleteRoleCommand({ RoleName: 'my-app-lambda-role' }));
    await awsIamRole.apply(ctx, otherNode);
    await expect(awsIamRole.apply(ctx, target)).rejects.toMatchObject({
      type: 'conflict',
      message: expect.stringContaining(
        `it belongs to node ${otherNode.node.node_id} of deployment test-deploy (resource other)`,
      ),
    });
  });

  it('reports drift per property and a missing role, and apply repairs both', async () => {
    const ctx = bed.ctx();
    const target = bed.target(awsIamRole, props());
    const applied = await awsIamRole.apply(ctx, target);
    await iam().send(new DetachRolePolicyCommand({ RoleName: 'my-app-lambda-role', PolicyArn: BASIC }));
    await expect(awsIamRole.verify(ctx, target, applied.outputs)).resolves.toEqual({
      drift: [{ property: 'managed_policies', desired: [BASIC], actual: [] }],
    });
    await awsIamRole.apply(ctx, target);
    await expect(awsIamRole.verify(ctx, target, applied.outputs)).resolves.toEqual({ drift: [] });

    await awsIamRole.destroy(ctx, target, applied.outputs);
    await expect(awsIamRole.verify(ctx, target, applied.outputs)).resolves.toEqual({
      drift: [{ property: 'exists', desired: true, actual: false }],
    });
    await expect(awsIamRole.apply(ctx, target)).resolves.toMatchObject({ undo: { created: true } });
  });

  it('destroys a role with attached and inline policies, and compensating a create deletes it', async () => {
    const ctx = bed.ctx();
    const target = bed.target(awsIamRole, props());
    const applied = await awsIamRole.apply(ctx, target);
    await expect(awsIamRole.compensate(ctx, target, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(iam().send(new GetRoleCommand({ RoleName: 'my-app-lambda-role' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
    });
    await expect(awsIamRole.compensate(ctx, target, applied.undo)).resolves.toEqual({
      outcome: 'compensated (already gone)',
    });
    await awsIamRole.apply(ctx, target);
    await awsIamRole.destroy(ctx, target, null);
    await awsIamRole.destroy(ctx, target, null);
    await expect(awsIamRole.verify(ctx, target, null)).resolves.toEqual({
      drift: [{ property: 'exists', desired: true, actual: false }],
    });
  });
});
