/**
 * Issue 23, finding 1: tenants cannot reach each other's AWS resources. With API keys a tenant's
 * run calls AWS with its own credentials unless the operator lists it in
 * AWS_SERVICE_IDENTITY_TENANTS (refused up front, and by the worker), and ownership is per tenant:
 * node ids and `mgraph:deploy-id` carry the tenant, so tenant B, even on the same AWS identity and
 * with tenant A's deployment and resource ids, can neither read A's resources in a live plan, nor
 * adopt, change or delete them, nor find them by tag scan. moto_server, a real worker and API.
 */
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { startDeployment } from '../../src/client/start-deployment';
import { config, deploymentInput } from '../../support/deployments';
import { uniqueId } from '../../support/temporal';
import { API_KEYS, KEYS } from '../api/helpers/app';
import { finished, waitForRun } from '../api/helpers/runs';
import { useAwsApi } from './helpers/aws-api';

// tenant-a and tenant-b may both use the service's identity (one moto account): ownership alone must keep them apart.
const aws = useAwsApi({ keys: API_KEYS, serviceAwsTenants: ['tenant-a', 'tenant-b'] });

const SECRET_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::tenant-a-private/*' }],
};

interface Variant {
  readonly operation?: 'delete';
  readonly inline?: Record<string, unknown>;
  readonly onFailure?: 'halt' | 'rollback';
}

/** Tenant A's deployment: a role with an inline policy, and a bucket. */
function billing(deploymentId: string, names: { role: string; bucket: string }, variant: Variant = {}) {
  const op = variant.operation ? { operation: variant.operation } : {};
  return {
    ...config({}, { on_failure: variant.onFailure ?? 'halt' }, deploymentId),
    targets: [{ provider: 'aws', regions: ['us-east-1'] }],
    resources: {
      role: {
        type: 'aws:iam:role',
        properties: { role_name: names.role, inline_policies: variant.inline ?? { secret: SECRET_POLICY } },
        ...op,
      },
      bucket: { type: 'aws:s3:bucket', properties: { bucket_name: names.bucket }, ...op },
    },
  };
}

const iam = () => aws.bed.clients.forRegion('us-east-1', null).iam;

describe("tenant B with tenant A's ids, on the same AWS identity", () => {
  const id = uniqueId('billing');
  const names = { role: uniqueId('billing-role'), bucket: uniqueId('billing-bucket') };

  beforeAll(async () => {
    const applied = await aws.api.post(
      '/deploy/apply',
      { config: billing(id, names), wait: 60 },
      { key: KEYS.aOperate },
    );
    expect([applied.status, applied.body.status]).toEqual([200, 'completed']);
  });

  it("reads nothing of A's resources in a live plan: they are another's, taken, and no diff shows their content", async () => {
    const plan = await aws.api.post('/deploy/plan', { config: billing(id, names), live: true }, { key: KEYS.bOperate });
    expect(plan.status).toBe(200);
    const role = plan.body.nodes.find((n: { resource_id: string }) => n.resource_id === 'role');
    expect(role.warnings.join(' ')).toMatch(/already exists and is not managed by this node/);
    expect(JSON.stringify(plan.body)).not.toContain('tenant-a-private');
  });

  it("neither adopts nor changes A's role when applying the same ids", async () => {
    const changed = billing(id, names, { inline: {} });
    const run = await aws.api.post('/deploy/apply', { config: changed, wait: 60 }, { key: KEYS.bOperate });
    expect(run.body).toMatchObject({ success: false, failed_operation: { error_type: 'conflict' } });
    await aws.api.post('/deploy/abort', { deployment_id: id, reason: 'test' }, { key: KEYS.bOperate });
    const policy = await iam().send(new GetRolePolicyCommand({ RoleName: names.role, PolicyName: 'secret' }));
    expect(decodeURIComponent(policy.PolicyDocument ?? '')).toContain('tenant-a-private');
  });

  it("does not delete A's role or bucket with operation delete, or find them by tag scan", async () => {
    const run = await aws.api.post(
      '/deploy/apply',
      { config: billing(id, names, { operation: 'delete' }), wait: 60 },
      { key: KEYS.bAdmin },
    );
    expect(run.body).toMatchObject({ success: false, failed_operation: { error_type: 'conflict' } });
    await aws.api.post('/deploy/abort', { deployment_id: id, reason: 'test' }, { key: KEYS.bAdmin });
    await expect(iam().send(new GetRoleCommand({ RoleName: names.role }))).resolves.toMatchObject({
      Role: { RoleName: names.role },
    });

    const scan = await aws.api.post(
      '/deploy/destroy',
      { deployment_id: id, scan: { regions: ['us-east-1'] } },
      { key: KEYS.bAdmin },
    );
    expect([scan.status, scan.body.error.message]).toEqual([
      404,
      `resources tagged mgraph:deploy-id=tenant-b.${id} in us-east-1 and IAM (or GitHub resources its last apply recorded) not found`,
    ]);
    const mine = await aws.api.post(
      '/deploy/destroy',
      { deployment_id: id, scan: { regions: ['us-east-1'] } },
      { key: KEYS.aAdmin },
    );
    expect((await waitForRun(aws.api, mine.body.status_url as string, finished, KEYS.aRead)).status).toBe('completed');
    await expect(iam().send(new GetRoleCommand({ RoleName: names.role }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
    });
  });
});

describe('the service identity', () => {
  it('is refused up front to a tenant the operator did not list: apply, schedule and tag scan name credentials.aws', async () => {
    const api = aws.apiWith({ serviceAwsTenants: ['tenant-a'] });
    const own = uniqueId('own');
    const cfg = billing(own, { role: uniqueId('r'), bucket: uniqueId('b') });
    const refusals = [
      await api.post('/deploy/apply', { config: cfg }, { key: KEYS.bOperate }),
      await api.post('/schedules', { config: cfg, interval: '1h', paused: true }, { key: KEYS.bAdmin }),
      await api.post('/deploy/destroy', { deployment_id: own, scan: { regions: ['us-east-1'] } }, { key: KEYS.bAdmin }),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(400);
      expect(refused.body.error.details.issues[0]).toMatchObject({
        path: 'credentials.aws',
        message: expect.stringContaining('runs of tenant tenant-b call AWS with their own credentials'),
      });
    }
    expect((await api.post('/deploy/apply', { config: cfg, wait: 60 }, { key: KEYS.aOperate })).body.status).toBe(
      'completed',
    );
  });

  it('is refused by the worker too: a run of an unlisted tenant started around the API fails its AWS nodes', async () => {
    const cfg = billing(uniqueId('around'), { role: uniqueId('r'), bucket: uniqueId('b') }, { onFailure: 'rollback' });
    const input = deploymentInput(cfg, { tenant: 'tenant-c' });
    const { workflowId, runId } = await startDeployment(aws.client, { input, taskQueue: aws.worker.taskQueue });
    const status = (await aws.client.workflow.getHandle(workflowId, runId).result()) as {
      nodes: { error_type: string | null; error: string | null }[];
    };
    expect(status.nodes.map((n) => n.error_type)).toContain('invalid_input');
    expect(status.nodes.map((n) => n.error).join(' ')).toContain(
      'credentials.aws is required: runs of tenant tenant-c',
    );
  });
});
