/**
 * Issue 22, the wrong AWS account: a config whose credentials.aws.account_id names another account
 * than the one its credentials act in (STS GetCallerIdentity, on moto_server: 123456789012) never
 * touches AWS: its live plan shows the refusal on each AWS node, and its run fails them at once,
 * naming both accounts, before anything is created. The right account deploys as before. Either
 * way, and without account_id too, the run's status names the account each AWS node acted in. A
 * real worker and API over REST.
 */
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { uniqueId } from '../../support/temporal';
import { useAwsApi } from './helpers/aws-api';

const MOTO_ACCOUNT = '123456789012';
const aws = useAwsApi();

async function deployment(accountId?: string) {
  const id = uniqueId('account');
  return {
    id,
    config: {
      deployment_id: id,
      targets: [{ provider: 'aws', regions: ['us-east-1'] }],
      settings: { on_failure: 'rollback' },
      credentials: {
        aws: {
          access_key_id: 'AKIAIOSFODNN7EXAMPLE',
          encrypted_secret_access_key: await aws.bed.seal('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'),
          ...(accountId === undefined ? {} : { account_id: accountId }),
        },
      },
      resources: {
        role: { type: 'aws:iam:role', properties: { role_name: `${id}-role` } },
        bucket: { type: 'aws:s3:bucket', properties: { bucket_name: `${id}-bucket` } },
        soak: { type: 'core:delay', properties: { duration_ms: 1 }, depends_on: ['bucket'] },
      },
    },
  };
}

const clients = () => aws.bed.clients.forRegion('us-east-1', null);
const exists = (send: Promise<unknown>) =>
  send.then(
    () => true,
    () => false,
  );

interface NodeView {
  readonly resource_id: string;
  readonly status: string;
  readonly error_type: string | null;
  readonly error: string | null;
  readonly attempts: number;
  readonly live_error?: { type: string; message: string } | null;
  readonly aws_account?: string;
}

it('refuses credentials of another account in the live plan and the run, creating nothing', async () => {
  const { id, config } = await deployment('111111111111');
  const refusal = `credentials.aws.account_id is 111111111111 but the credentials act in account ${MOTO_ACCOUNT}: nothing was called there`;

  const plan = await aws.api.post('/deploy/plan', { config, live: true });
  expect(plan.status).toBe(200);
  const planned = (plan.body as { nodes: NodeView[] }).nodes.map((n) => [n.resource_id, n.live_error]);
  expect(planned.sort()).toEqual([
    ['bucket', { type: 'permission', message: refusal }],
    ['role', { type: 'permission', message: refusal }],
    ['soak', null],
  ]);

  const run = await aws.api.post('/deploy/apply', { config, wait: 60 });
  expect([run.status, run.body.status]).toEqual([200, 'rolled_back']);
  const nodes = ((await aws.api.get(`/deploy/status/${id}`)).body as { nodes: NodeView[] }).nodes;
  for (const node of nodes.filter((n) => n.status === 'failed'))
    expect(node).toMatchObject({ error_type: 'permission', error: refusal, attempts: 1 });
  expect(nodes.some((n) => n.status === 'failed')).toBe(true);
  expect(await exists(clients().s3.send(new HeadBucketCommand({ Bucket: `${id}-bucket` })))).toBe(false);
  expect(await exists(clients().iam.send(new GetRoleCommand({ RoleName: `${id}-role` })))).toBe(false);
});

it('deploys when the credentials act in the account the config names', async () => {
  const { id, config } = await deployment(MOTO_ACCOUNT);
  const run = await aws.api.post('/deploy/apply', { config, wait: 60 });
  expect([run.status, run.body.status]).toEqual([200, 'completed']);
  expect(await exists(clients().s3.send(new HeadBucketCommand({ Bucket: `${id}-bucket` })))).toBe(true);
  expect(await exists(clients().iam.send(new GetRoleCommand({ RoleName: `${id}-role` })))).toBe(true);
});

it.each([
  ['names no account_id', undefined],
  ['names the account', MOTO_ACCOUNT],
])('shows in the run status which account each AWS node acted in when the config %s', async (_, accountId) => {
  const { id, config } = await deployment(accountId);
  const run = await aws.api.post('/deploy/apply', { config, wait: 60 });
  expect([run.status, run.body.status]).toEqual([200, 'completed']);
  const status = (await aws.api.get(`/deploy/status/${id}`)).body as { nodes: NodeView[]; aws_accounts: string[] };
  expect(status.aws_accounts).toEqual([MOTO_ACCOUNT]);
  const accounts = Object.fromEntries(status.nodes.map((n) => [n.resource_id, n.aws_account ?? null]));
  expect(accounts).toEqual({ role: MOTO_ACCOUNT, bucket: MOTO_ACCOUNT, soak: null });
});
