import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  UntagPolicyCommand,
} from '@aws-sdk/client-iam';
import { awsIamPolicy } from '../../src/resources/aws/iam-policy';
import { OperationError } from '../../src/providers/operation-error';
import { useAwsBed } from './helpers/aws-bed';

const ARN = 'arn:aws:iam::123456789012:policy/my-app-read';
const doc = (action: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
});
const TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

const bed = useAwsBed();

const iam = () => bed.clients.forRegion('us-east-1', null).iam;
const props = (extra: Record<string, unknown> = {}) => ({
  policy_name: 'my-app-read',
  document: doc('s3:GetObject'),
  ...extra,
});
const versions = async () => {
  const listed = (await iam().send(new ListPolicyVersionsCommand({ PolicyArn: ARN }))).Versions ?? [];
  return listed.map((v) => `${v.VersionId ?? ''}${v.IsDefaultVersion === true ? '*' : ''}`).sort();
};
const defaultDocument = async () => {
  const policy = (await iam().send(new GetPolicyCommand({ PolicyArn: ARN }))).Policy;
  const version = await iam().send(
    new GetPolicyVersionCommand({ PolicyArn: ARN, VersionId: policy?.DefaultVersionId }),
  );
  return JSON.parse(decodeURIComponent(version.PolicyVersion?.Document ?? '')) as unknown;
};
const exists = async () =>
  ((await iam().send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? []).some((p) => p.Arn === ARN);

describe('aws:iam:policy', () => {
  it('creates the policy with its document and the four tags, then plans no-op and verifies without drift', async () => {
    const ctx = bed.ctx();
    const target = bed.target(awsIamPolicy, props({ description: 'reads objects' }), { tags: { team: 'payments' } });
    await expect(awsIamPolicy.plan(ctx, target)).resolves.toEqual({
      action: 'create',
      diff: [{ property: 'exists', desired: true, actual: false }],
      warnings: [],
    });

    const applied = await awsIamPolicy.apply(ctx, target);
    expect(applied).toEqual({
      outputs: { arn: ARN, name: 'my-app-read', policy_id: expect.any(String), default_version: 'v1' },
      undo: { created: true },
    });
    const policy = (await iam().send(new GetPolicyCommand({ PolicyArn: ARN }))).Policy;
    expect(policy?.Description).toBe('reads objects');
    expect(Object.fromEntries((policy?.Tags ?? []).map((t) => [t.Key, t.Value]))).toEqual({
      'mgraph:node-id': target.node.node_id,
      'mgraph:graph-id': 'graph-1',
      'mgraph:deploy-id': 'test-deploy',
      'mgraph:resource-id': 'node',
      team: 'payments',
    });
    await expect(defaultDocument()).resolves.toEqual(doc('s3:GetObject'));

    await expect(awsIamPolicy.plan(ctx, target)).resolves.toEqual({ action: 'no-op', diff: [], warnings: [] });
    await expect(awsIamPolicy.verify(ctx, target, applied.outputs)).resolves.toEqual({ drift: [] });
  });

  it('plans a changed document as an update, applies it as a new default version, and compensation restores the previous one', async () => {
    const ctx = bed.ctx();
    await awsIamPolicy.apply(ctx, bed.target(awsIamPolicy, props()));
    const changed = bed.target(awsIamPolicy, props({ document: doc('s3:PutObject') }), { graph_id: 'graph-2' });

    await expect(awsIamPolicy.plan(ctx, changed)).resolves.toEqual({
      action: 'update',
      diff: [{ property: 'document', desired: doc('s3:PutObject'), actual: doc('s3:GetObject') }],
      warnings: [],
    });
    const applied = await awsIamPolicy.apply(ctx, changed);
    expect(applied).toEqual({
      outputs: { arn: ARN, name: 'my-app-read', policy_id: expect.any(String), default_version: 'v2' },
      undo: {
        created: false,
        previous_version: 'v1',
        created_version: 'v2',
        tags_previous: { 'mgraph:graph-id': 'graph-1' },
      },
    });
    await expect(versions()).resolves.toEqual(['v1', 'v2*']);
    await expect(awsIamPolicy.plan(ctx, changed)).resolves.toMatchObject({ action: 'no-op' });

    await expect(awsIamPolicy.compensate(ctx, changed, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(versions()).resolves.toEqual(['v1*']);
    await expect(awsIamPolicy.plan(ctx, bed.target(awsIamPolicy, props()))).resolves.toEqual({
      action: 'no-op',
      diff: [],
      warnings: [],
    });
  });

  it('returns on the retry of an update whose first attempt died after its changes the undo an uninterrupted apply returns, even from the heartbeat before the new version, and compensation with it restores the policy', async () => {
    const ctx = bed.ctx();
    await awsIamPolicy.apply(ctx, bed.target(awsIamPolicy, props()));
    const changed = bed.target(awsIamPolicy, props({ document: doc('s3:PutObject') }), { graph_id: 'graph-2' });
    const beats: unknown[] = [];
    await awsIamPolicy.apply(
      {
        ...ctx,
        heartbeat: (details) => {
          beats.push(details);
        },
      },
      changed,
    ); // its changes are made, its result dies with the worker
    await expect(versions()).resolves.toEqual(['v1', 'v2*']);

    const uninterrupted = {
      created: false,
      previous_version: 'v1',
      created_version: 'v2',
      tags_previous: { 'mgraph:graph-id': 'graph-1' },
    };
    const retried = await awsIamPolicy.apply({ ...ctx, attempt: 2, lastHeartbeat: beats.at(-1) }, changed);
    expect(retried).toEqual({
      outputs: { arn: ARN, name: 'my-app-read', policy_id: expect.any(String), default_version: 'v2' },
      undo: uninterrupted,
    });
    // A heartbeat is sent without an answer: the server may hold only the one recorded before IAM named the version.
    await expect(awsIamPolicy.apply({ ...ctx, attempt: 2, lastHeartbeat: beats[0] }, changed)).resolves.toMatchObject({
      undo: uninterrupted,
    });
    await expect(versions()).resolves.toEqual(['v1', 'v2*']);

    await expect(awsIamPolicy.compensate(ctx, changed, retried.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(versions()).resolves.toEqual(['v1*']);
    const policy = (await iam().send(new GetPolicyCommand({ PolicyArn: ARN }))).Policy;
    expect(policy?.Tags).toContainEqual({ Key: 'mgraph:graph-id', Value: 'graph-1' });
    await expect(awsIamPolicy.plan(ctx, bed.target(awsIamPolicy, props()))).resolves.toEqual({
      action: 'no-op',
      diff: [],
      warnings: [],
    });
  });

  it('deletes the oldest non-default version before a sixth, and compensation sets the fifth back as default', async () => {
    const ctx = bed.ctx();
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:DeleteObject', 's3:GetBucketTagging']) {
      await awsIamPolicy.apply(ctx, bed.target(awsIamPolicy, props({ document: doc(action) })));
    }
    await expect(versions()).resolves.toEqual(['v1', 'v2', 'v3', 'v4', 'v5*']);

    const sixth = bed.target(awsIamPolicy, props({ document: doc('s3:GetBucketPolicy') }));
    const applied = await awsIamPolicy.apply(ctx, sixth);
    expect(applied.undo).toMatchObject({ previous_version: 'v5', created_version: 'v6' });
    await expect(versions()).resolves.toEqual(['v2', 'v3', 'v4', 'v5', 'v6*']);

    await awsIamPolicy.compensate(ctx, sixth, applied.undo);
    await expect(versions()).resolves.toEqual(['v2', 'v3', 'v4', 'v5*']);
    await expect(defaultDocument()).resolves.toEqual(doc('s3:GetBucketTagging'));
  });

  it('warns that a changed path or description cannot be applied without recreating the policy', async () => {
    const ctx = bed.ctx();
    await awsIamPolicy.apply(ctx, bed.target(awsIamPolicy, props()));
    await expect(
      awsIamPolicy.plan(ctx, bed.target(awsIamPolicy, props({ path: '/app/', description: 'v2' }))),
    ).resolves.toEqual({
      action: 'no-op',
      diff: [],
      warnings: [
        'IAM policy my-app-read has path "/", not "/app/": a policy\'s path cannot change without recreating it',
        'IAM policy my-app-read has description "", not "v2": a policy\'s description cannot change without recreating it',
      ],
    });
  });

  it('adopts its own tagged policy on a repeated apply: one policy, and a crash-retried apply of the same run still owns the create', async () => {
    const ctx = bed.ctx();
    const target = bed.target(awsIamPolicy, props(), { refs: { $run_key: 'run-1' } });
    await awsIamPolicy.apply(ctx, target);
    await expect(awsIamPolicy.apply(bed.ctx({ attempt: 2 }), target)).resolves.toEqual({
      outputs: { arn: ARN, name: 'my-app-read', policy_id: expect.any(String), default_version: 'v1' },
      undo: { created: true },
    });
    const later = await awsIamPolicy.apply(ctx, bed.target(awsIamPolicy, props(), { refs: { $run_key: 'run-2' } }));
    expect(later.undo).toEqual({ created: false, tags_previous: {} });
    const policies = (await iam().send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? [];
    expect(policies.filter((p) => p.PolicyName === 'my-app-read')).toHaveLength(1);
    await expect(versions()).resolves.toEqual(['v1*']);
  });

  it('refuses a policy of the same name that is not ours, naming it, in plan, apply, compensate and destroy', async () => {
    await iam().send(
      new CreatePolicyCommand({ PolicyName: 'my-app-read', PolicyDocument: JSON.stringify(doc('s3:GetObject')) }),
    );
    const ctx = bed.ctx();
    const target = bed.target(awsIamPolicy, props());
    const plan = await awsIamPolicy.plan(ctx, target);
    expect(plan).toMatchObject({
      action: 'create',
      warnings: [
        expect.stringContaining(
          'IAM policy my-app-read already exists and is not managed by this node (it has no mgraph:node-id tag)',
        ),
      ],
    });
    const refused = awsIamPolicy.apply(ctx, target);
    await expect(refused).rejects.toThrow(OperationError);
    await expect(refused).rejects.toMatchObject({
      type: 'conflict',
      retryable: false,
      message: expect.stringContaining('IAM policy my-app-read already exists'),
    });
    await expect(awsIamPolicy.compensate(ctx, target, { created: true })).rejects.toMatchObject({ type: 'conflict' });
    await expect(awsIamPolicy.destroy(ctx, target, null)).rejects.toMatchObject({ type: 'conflict' });
    await expect(exists()).resolves.toBe(true);
  });

  it('reports document and tag drift after out-of-band changes, a missing policy, and apply repairs them', async () => {
    const ctx = bed.ctx();
    const target = bed.target(awsIamPolicy, props());
    const applied = await awsIamPolicy.apply(ctx, target);
    await iam().send(
      new CreatePolicyVersionCommand({
        PolicyArn: ARN,
        PolicyDocument: JSON.stringify(doc('s3:*')),
        SetAsDefault: true,
      }),
    );
    await iam().send(new UntagPolicyCommand({ PolicyArn: ARN, TagKeys: ['mgraph:resource-id'] }));
    await expect(awsIamPolicy.verify(ctx, target, applied.outputs)).resolves.toEqual({
      drift: [
        { property: 'document', desired: doc('s3:GetObject'), actual: doc('s3:*') },
        { property: 'tags.mgraph:resource-id', desired: 'node', actual: null },
      ],
    });
    await awsIamPolicy.apply(ctx, target);
    await expect(awsIamPolicy.verify(ctx, target, applied.outputs)).resolves.toEqual({ drift: [] });

    await awsIamPolicy.destroy(ctx, target, applied.outputs);
    await expect(awsIamPolicy.verify(ctx, target, applied.outputs)).resolves.toEqual({
      drift: [{ property: 'exists', desired: true, actual: false }],
    });
  });

  it('compensating a create deletes the policy, detaching it first', async () => {
    const ctx = bed.ctx();
    const target = bed.target(awsIamPolicy, props());
    const applied = await awsIamPolicy.apply(ctx, target);
    await iam().send(new CreateRoleCommand({ RoleName: 'app-role', AssumeRolePolicyDocument: JSON.stringify(TRUST) }));
    await iam().send(new AttachRolePolicyCommand({ RoleName: 'app-role', PolicyArn: ARN }));
    await expect(awsIamPolicy.compensate(ctx, target, applied.undo)).resolves.toEqual({ outcome: 'compensated' });
    await expect(exists()).resolves.toBe(false);
    await expect(iam().send(new ListAttachedRolePoliciesCommand({ RoleName: 'app-role' }))).resolves.toMatchObject({
      AttachedPolicies: [],
    });
    await expect(awsIamPolicy.compensate(ctx, target, applied.undo)).resolves.toEqual({
      outcome: 'compensated (already gone)',
    });
  });

  it('destroys a policy attached to a role, a user and a group, with several versions, and is a no-op when it is gone', async () => {
    const ctx = bed.ctx();
    const target = bed.target(awsIamPolicy, props());
    await awsIamPolicy.apply(ctx, target);
    await awsIamPolicy.apply(ctx, bed.target(awsIamPolicy, props({ document: doc('s3:PutObject') })));
    await iam().send(new CreateRoleCommand({ RoleName: 'app-role', AssumeRolePolicyDocument: JSON.stringify(TRUST) }));
    await iam().send(new AttachRolePolicyCommand({ RoleName: 'app-role', PolicyArn: ARN }));
    await iam().send(new CreateUserCommand({ UserName: 'app-user' }));
    await iam().send(new AttachUserPolicyCommand({ UserName: 'app-user', PolicyArn: ARN }));
    await iam().send(new CreateGroupCommand({ GroupName: 'app-group' }));
    await iam().send(new AttachGroupPolicyCommand({ GroupName: 'app-group', PolicyArn: ARN }));

    await awsIamPolicy.destroy(ctx, target, null);
    await expect(exists()).resolves.toBe(false);
    await expect(iam().send(new ListAttachedRolePoliciesCommand({ RoleName: 'app-role' }))).resolves.toMatchObject({
      AttachedPolicies: [],
    });
    await expect(iam().send(new ListAttachedUserPoliciesCommand({ UserName: 'app-user' }))).resolves.toMatchObject({
      AttachedPolicies: [],
    });
    await expect(iam().send(new ListAttachedGroupPoliciesCommand({ GroupName: 'app-group' }))).resolves.toMatchObject({
      AttachedPolicies: [],
    });
    await expect(awsIamPolicy.destroy(ctx, target, null)).resolves.toBeUndefined();
  });

  it("finds its policies by the deployment tag, with properties its destroy accepts, and not another deployment's", async () => {
    const ctx = bed.ctx();
    const target = bed.target(awsIamPolicy, props({ path: '/app/' }), { tags: { team: 'payments' } });
    await awsIamPolicy.apply(ctx, target);
    await awsIamPolicy.apply(
      ctx,
      bed.target(awsIamPolicy, props({ policy_name: 'other-policy' }), { deployment_id: 'other-deploy' }),
    );
    await iam().send(
      new CreatePolicyCommand({ PolicyName: 'untagged', PolicyDocument: JSON.stringify(doc('s3:GetObject')) }),
    );

    const found = await awsIamPolicy.findTagged?.(ctx, 'test-deploy', null);
    expect(found).toEqual([
      {
        type: 'aws:iam:policy',
        arn: 'arn:aws:iam::123456789012:policy/app/my-app-read',
        region: null,
        tags: expect.objectContaining({
          'mgraph:deploy-id': 'test-deploy',
          'mgraph:node-id': target.node.node_id,
          team: 'payments',
        }),
        properties: { policy_name: 'my-app-read', path: '/app/', description: '', document: doc('s3:GetObject') },
      },
    ]);
    const [one] = found ?? [];
    const again = bed.target(awsIamPolicy, one?.properties);
    await awsIamPolicy.destroy(ctx, again, null);
    await expect(awsIamPolicy.findTagged?.(ctx, 'test-deploy', null)).resolves.toEqual([]);
  });
});
