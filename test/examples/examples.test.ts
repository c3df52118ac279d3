/**
 * examples/ stays runnable: every config in it passes the validator users' requests go through and
 * is listed in examples/README.md (README.md shows one as it is). The ones at its top level need no
 * credentials: each plans and applies to completion through the API, on a real Temporal server and
 * worker, continued as examples/README.md says: an approval gate by name, pause edges run-wide.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig } from '../../src/model/validate-config';
import { registry } from '../../src/resources/registry';
import { uniqueId, useTemporal } from '../../support/temporal';
import { testApi } from '../api/helpers/app';
import type { Http } from '../api/helpers/http';
import { jsonDocuments } from '../docs/helpers/doc-configs';
import { finished, waitForRun, type RunView } from '../api/helpers/runs';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

/** Paths relative to examples/ of every JSON file in it. */
const files = readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.json'))
  .sort();
const credentialFree = files.filter((file) => !file.includes('/'));

interface Config {
  deployment_id: string;
  resources: Record<string, { type: string }>;
}
const read = (file: string): Config => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Config;

it('has examples with and without credentials', () => {
  expect(credentialFree.length).toBeGreaterThanOrEqual(3);
  expect(files.length).toBeGreaterThan(credentialFree.length);
});

it('README.md shows examples/approval.json as it is', () => {
  expect(jsonDocuments(readFileSync(join(EXAMPLES, '..', 'README.md'), 'utf8'))).toContainEqual(read('approval.json'));
});

describe.each(files)('examples/%s', (file) => {
  it('is valid and listed in examples/README.md', () => {
    const result = validateConfig(read(file), registry);
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(readFileSync(join(EXAMPLES, 'README.md'), 'utf8')).toContain(`(${file})`);
  });
});

const temporal = useTemporal();
let api: Http;
beforeAll(() => {
  api = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue });
});

/** Continues a paused run as examples/README.md says. */
async function continueAsDocumented(config: Config, run: RunView): Promise<void> {
  const waiting = run.nodes.filter((node) => run.waiting_for?.node_ids.includes(node.node_id));
  const gates = waiting.filter((node) => config.resources[node.resource_id]?.type === 'core:approval');
  const requests = gates.length
    ? gates.map((gate) => ({ deployment_id: config.deployment_id, node_id: gate.resource_id }))
    : [{ deployment_id: config.deployment_id }];
  for (const request of requests) expect((await api.post('/deploy/continue', request)).status).toBe(200);
}

describe.each(credentialFree)('examples/%s, with no credentials', (file) => {
  it('plans, and applies to completion', async () => {
    // A deployment id of its own, so that reruns and other test files do not meet it.
    const config = { ...read(file), deployment_id: uniqueId(read(file).deployment_id) };
    const plan = await api.post('/deploy/plan', { config });
    expect([plan.status, plan.body.success]).toEqual([200, true]);
    const applied = await api.post('/deploy/apply', { config });
    expect(applied.status).toBe(202);
    const status = `/deploy/status/${config.deployment_id}`;
    const settled = (r: RunView): boolean => finished(r) || r.status === 'paused';
    let run = await waitForRun(api, status, settled);
    for (let pauses = 0; run.status === 'paused' && pauses < 10; pauses += 1) {
      const released = JSON.stringify(run.waiting_for);
      await continueAsDocumented(config, run);
      run = await waitForRun(api, status, (r) => settled(r) && JSON.stringify(r.waiting_for) !== released);
    }
    expect(run.status).toBe('completed');
    expect(run.nodes.map((node) => `${node.resource_id} ${node.status}`).sort()).toEqual(
      Object.keys(config.resources)
        .sort()
        .map((id) => `${id} completed`),
    );
  });
});
