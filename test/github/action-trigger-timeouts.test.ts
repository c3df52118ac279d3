/**
 * Issue 22, waits longer than the node timeout: github:action:trigger waits up to its timeout_ms
 * (1 h by default) inside one attempt. A config without settings.node_timeout gives that node's
 * attempt what it needs (find_timeout_ms + timeout_ms + 5 min), read here from the activity
 * Temporal scheduled; other nodes keep the 10-minute default. A config that sets node_timeout keeps
 * it for every node, and its plan warns of the wait it cuts. Over REST, a real worker and server.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { uniqueId } from '../../support/temporal';
import { finished, waitForRun } from '../api/helpers/runs';
import { useAwsApi } from '../aws/helpers/aws-api';

const aws = useAwsApi({ github: true });

async function triggerConfig(settings: Record<string, unknown>) {
  const id = uniqueId('trigger');
  const account = aws.surrogate.addAccount(uniqueId('org'), { scopes: ['repo', 'workflow'] });
  const repo = aws.surrogate.addRepo(account, 'infra');
  aws.surrogate.addWorkflow(repo, 'deploy.yml', { queued_ms: 10, running_ms: 50 });
  return {
    deployment_id: id,
    targets: [{ provider: 'github' }],
    credentials: { github: { encrypted_pat: await aws.bed.seal(account.token) } },
    settings,
    resources: {
      build: { type: 'core:delay', properties: {} },
      deploy: {
        type: 'github:action:trigger',
        properties: { owner: account.login, repo: 'infra', workflow: 'deploy.yml', wait_for_completion: true },
        depends_on: ['build'],
      },
    },
  };
}

/** Each scheduled activity's summary (`apply deploy · …`) and its start-to-close timeout in ms. */
async function scheduledTimeouts(workflowId: string, runId: string): Promise<Record<string, number>> {
  const history = await aws.client.workflow.getHandle(workflowId, runId).fetchHistory();
  return Object.fromEntries(
    (history.events ?? []).flatMap((event) => {
      const summary = event.userMetadata?.summary;
      const name = summary ? defaultPayloadConverter.fromPayload<string>(summary).split(' · ')[0] : undefined;
      const timeout = event.activityTaskScheduledEventAttributes?.startToCloseTimeout;
      return name?.startsWith('apply ') && timeout ? [[name, Number(timeout.seconds) * 1_000]] : [];
    }),
  );
}

it("gives a waiting trigger's attempt what its wait needs when the config sets no node_timeout", async () => {
  const config = await triggerConfig({});
  const plan = await aws.api.post('/deploy/plan', { config });
  expect((plan.body as { warnings: string[] }).warnings.filter((w) => w.includes('node_timeout'))).toEqual([]);
  const started = await aws.api.post('/deploy/apply', { config });
  expect(started.status).toBe(202);
  const run = await waitForRun(aws.api, started.body.status_url as string, finished);
  expect(run.status).toBe('completed');
  const { workflow_id: workflowId, run_id: runId } = started.body as { workflow_id: string; run_id: string };
  expect(await scheduledTimeouts(workflowId, runId)).toEqual({
    'apply build': 600_000,
    'apply deploy': 60_000 + 3_600_000 + 300_000,
  });
});

it('keeps a node_timeout the config sets, and its plan warns of the wait it cuts', async () => {
  const config = await triggerConfig({ node_timeout: '20m' });
  const plan = await aws.api.post('/deploy/plan', { config });
  expect((plan.body as { warnings: string[] }).warnings.filter((w) => w.includes('node_timeout'))).toEqual([
    'deploy may need 66m in one attempt but settings.node_timeout is 20m: the attempt is cut there and retried; leave node_timeout unset to give it what it needs',
  ]);
  const started = await aws.api.post('/deploy/apply', { config });
  const run = await waitForRun(aws.api, started.body.status_url as string, finished);
  expect(run.status).toBe('completed');
  const { workflow_id: workflowId, run_id: runId } = started.body as { workflow_id: string; run_id: string };
  expect(await scheduledTimeouts(workflowId, runId)).toEqual({ 'apply build': 1_200_000, 'apply deploy': 1_200_000 });
});
