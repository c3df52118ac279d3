/**
 * settings.limits through the API: a plan shows each limit with the nodes it bounds (and warns of
 * one that bounds none), and a limit keyed by neither a provider nor a type, or out of range, is a
 * 400 naming its field before anything runs. A real Temporal server and worker.
 */
import { config, delay } from '../../support/deployments';
import { useTemporal } from '../../support/temporal';
import { testApi } from './helpers/app';
import type { Http } from './helpers/http';

const temporal = useTemporal();
let api: Http;
beforeAll(() => {
  api = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue });
});

const resources = {
  a: delay(),
  b: delay({}, { depends_on: ['a'] }),
  soak: { type: 'core:wait', properties: { duration: '1s' } },
};

it('shows max_parallel and each limit with the number of nodes it bounds', async () => {
  const limits = { 'core:delay': 1, core: 2, github: 2 };
  const plan = await api.post('/deploy/plan', { config: config(resources, { max_parallel: 4, limits }) });
  expect(plan.status).toBe(200);
  expect(plan.body.concurrency).toEqual({
    max_parallel: 4,
    limits: [
      { key: 'core:delay', limit: 1, nodes: 2 },
      { key: 'core', limit: 2, nodes: 3 },
      { key: 'github', limit: 2, nodes: 0 },
    ],
  });
  expect(plan.body.warnings).toContain('settings.limits.github bounds no node of this deployment');

  const none = await api.post('/deploy/plan', { config: config(resources) });
  expect(none.body.concurrency).toEqual({ max_parallel: 10, limits: [] });
});

it.each([
  [{ gitlab: 2 }, 'settings.limits.gitlab', /neither a provider \(aws, core, github, slack\) nor a resource type/],
  [{ 'aws:iam:rol': 2 }, 'settings.limits.aws:iam:rol', /neither a provider/],
  [{ github: 0 }, 'settings.limits.github', /limits must be a whole number between 1 and 1000/],
  [{ github: 1.5 }, 'settings.limits.github', /whole number/],
])('refuses limits %j with a 400 naming %s, and starts nothing', async (limits, field, message) => {
  const cfg = config(resources, { limits });
  for (const path of ['/deploy/plan', '/deploy/apply']) {
    const answer = await api.post(path, { config: cfg });
    expect(answer.status).toBe(400);
    const problems = (answer.body as { error: { details: { issues: { path: string; message: string }[] } } }).error
      .details.issues;
    expect(problems).toContainEqual({ path: `config.${field}`, message: expect.stringMatching(message) });
  }
  const listed = await api.get(`/deploy/status/${cfg['deployment_id'] as string}`);
  expect(listed.status).toBe(404);
});
