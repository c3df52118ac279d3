/**
 * Deployment templates over REST against a real Temporal server and worker: the list, a template's
 * input schema, plan and apply with inputs (the built-in approval-release and an operator's own from
 * TEMPLATES_DIR), and the refusals: a bad input or rendered config (400 naming it), an unknown id
 * (404), a role short of operate (403), a broken template file (the API does not start).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTempDirs } from '../../support/temp-dirs';
import { uniqueId, useTemporal } from '../../support/temporal';
import { API_KEYS, KEYS, testApi } from './helpers/app';
import type { Http } from './helpers/http';
import { finished, waitForRun } from './helpers/runs';

const temporal = useTemporal();
const tempDir = useTempDirs();

/** An operator's template: one core:delay whose duration is an input without bounds of its own. */
const soakTemplate = {
  id: 'soak',
  title: 'Soak',
  description: 'Waits, then ends',
  inputs: {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'Deployment id suffix' },
      soak_ms: { type: 'integer', description: 'How long to wait', default: 10 },
    },
    required: ['name'],
  },
  config: {
    deployment_id: 'soak-{{inputs.name}}',
    resources: { soak: { type: 'core:delay', properties: { duration_ms: '{{inputs.soak_ms}}' } } },
  },
};

const folderWith = (files: Record<string, string>): string => {
  const dir = tempDir('templates-');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
};

let api: Http;

beforeAll(() => {
  api = testApi({
    client: temporal.client,
    taskQueue: temporal.worker.taskQueue,
    templatesDir: folderWith({ 'soak.json': JSON.stringify(soakTemplate) }),
  });
});

const issuesOf = (body: { error: { details: { issues: { path: string; message: string }[] } } }) =>
  body.error.details.issues.map((issue) => `${issue.path}: ${issue.message}`);

describe('GET /templates and /templates/{id}', () => {
  it('lists the built-in templates and the operator’s', async () => {
    const response = await api.get('/templates');
    expect(response.status).toBe(200);
    expect(response.body.templates).toEqual([
      expect.objectContaining({ id: 'approval-release', title: 'Build, approve, release', source: 'built-in' }),
      expect.objectContaining({ id: 'provision-instance', source: 'built-in' }),
      expect.objectContaining({ id: 'release-train', title: 'Release train (seed 004)', source: 'built-in' }),
      { id: 'soak', title: 'Soak', description: 'Waits, then ends', source: 'operator' },
    ]);
  });

  it('shows a template’s input schema, for forms, and its config with placeholders', async () => {
    const response = await api.get('/templates/approval-release');
    expect(response.status).toBe(200);
    expect(response.body.inputs).toMatchObject({
      type: 'object',
      required: ['app'],
      additionalProperties: false,
      properties: {
        app: { type: 'string' },
        build_ms: { type: 'integer', default: 1000 },
        on_timeout: { enum: ['fail', 'continue'], default: 'fail' },
      },
    });
    expect(response.body.config.deployment_id).toBe('release-{{inputs.app}}');
  });

  it('answers 404 for an unknown template, whatever the route', async () => {
    for (const [method, path] of [
      ['get', '/templates/nope'],
      ['post', '/templates/nope/plan'],
      ['post', '/templates/nope/apply'],
    ] as const) {
      const response = await api.call(method, path, method === 'post' ? { body: { inputs: {} } } : {});
      expect([response.status, response.body.error.message]).toEqual([404, 'template "nope" not found']);
    }
  });
});

describe('POST /templates/{id}/plan', () => {
  it('renders the inputs (defaults applied) and plans the config as /deploy/plan does', async () => {
    const app = uniqueId('plan');
    const response = await api.post('/templates/approval-release/plan', { inputs: { app, version: 'v2.0.1' } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ deployment_id: `release-${app}`, version: 'v2.0.1', live: false });
    expect(response.body.nodes.map((n: { resource_id: string; type: string }) => [n.resource_id, n.type])).toEqual([
      ['build', 'core:delay'],
      ['approve', 'core:approval'],
      ['release', 'core:delay'],
    ]);
    expect(response.body.warnings).toContain('approve is an approval gate: the run waits there for a continue');
    expect((await api.get(`/deploy/status/release-${app}`)).status).toBe(404);
  });

  it('puts sealed credentials on the rendered config (a plan with credentials reads live) and saves the plan', async () => {
    const response = await api.post('/templates/soak/plan', {
      inputs: { name: uniqueId('cred') },
      credentials: { github: { encrypted_pat: 'c2VhbGVk' } },
      validate_only: false,
    });
    expect(response.status).toBe(200);
    expect(response.body.live).toBe(true);
    expect(response.body.saved_plan.graph_id).toBe(response.body.graph_id);
  });

  it('answers 400 naming each missing, wrong-typed or unknown input', async () => {
    const response = await api.post('/templates/approval-release/plan', {
      inputs: { build_ms: 'soon', on_timeout: 'later', colour: 'red' },
    });
    expect(response.status).toBe(400);
    expect(issuesOf(response.body).sort()).toEqual([
      'inputs.app: is required',
      'inputs.build_ms: must be integer',
      'inputs.colour: is not an input of this template',
      'inputs.on_timeout: must be one of "fail", "continue"',
    ]);
    expect(response.body.validation_errors).toContain('inputs.app: is required');
  });

  it('answers 400 naming the config field when the rendered config is invalid', async () => {
    const response = await api.post('/templates/soak/plan', { inputs: { name: 'x', soak_ms: 10 ** 12 } });
    expect(response.status).toBe(400);
    expect(issuesOf(response.body)).toEqual([
      expect.stringMatching(/^config\.resources\.soak\.properties\.duration_ms: /),
    ]);
  });

  it('refuses a body field it does not know, and inputs that are not an object', async () => {
    const response = await api.post('/templates/soak/plan', { inputs: ['x'], config: {} });
    expect(response.status).toBe(400);
    expect(issuesOf(response.body).map((line) => line.split(':')[0])).toEqual(['inputs', 'config']);
  });
});

describe('POST /templates/{id}/apply', () => {
  it('starts the rendered run, waits for it at the approval gate, which a continue by name passes', async () => {
    const app = uniqueId('apply');
    const id = `release-${app}`;
    const started = await api.post('/templates/approval-release/apply', {
      inputs: { app, build_ms: 10, release_ms: 10, approval_timeout: '1h' },
      wait: 30,
    });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({
      deployment_id: id,
      workflow_id: `deploy-${id}`,
      action: 'apply',
      status: 'paused',
      next_operation: { resource_id: 'approve' },
    });
    const passed = await api.post('/deploy/continue', { deployment_id: id, node_id: 'approve' });
    expect(passed.status).toBe(200);
    const done = await waitForRun(api, `/deploy/status/${id}`, finished);
    expect(done.status).toBe('completed');
    const build = done.nodes.find((n) => n.resource_id === 'build');
    expect(build?.outputs).toEqual({ artifact: `${app}-v1.zip` });
  });

  it('waits with Prefer: wait=N, and the operator’s template runs to completion', async () => {
    const name = uniqueId('soak');
    const response = await api.post('/templates/soak/apply', { inputs: { name } }, { headers: { Prefer: 'wait=30' } });
    expect([response.status, response.headers['preference-applied']]).toEqual([200, 'wait=30']);
    expect(response.body).toMatchObject({ deployment_id: `soak-${name}`, status: 'completed', success: true });
  });

  it('answers 400 naming the input and starts nothing', async () => {
    const name = uniqueId('bad');
    const response = await api.post('/templates/soak/apply', { inputs: { name, soak_ms: 1.5 } });
    expect(response.status).toBe(400);
    expect(issuesOf(response.body)).toEqual(['inputs.soak_ms: must be integer']);
    expect((await api.post('/templates/soak/apply', { inputs: {} })).body.error.details.issues).toEqual([
      { path: 'inputs.name', message: 'is required' },
    ]);
    expect((await api.get(`/deploy/status/soak-${name}`)).status).toBe(404);
  });
});

describe('with API keys', () => {
  it('plans with a read key, applies only with an operate key', async () => {
    const keyed = testApi({ client: temporal.client, taskQueue: temporal.worker.taskQueue, keys: API_KEYS });
    const body = { inputs: { app: uniqueId('keys') } };
    expect((await keyed.get('/templates', { key: KEYS.aRead })).status).toBe(200);
    expect((await keyed.post('/templates/approval-release/plan', body, { key: KEYS.aRead })).status).toBe(200);
    const refused = await keyed.post('/templates/approval-release/apply', body, { key: KEYS.aRead });
    expect([refused.status, refused.body.error.type]).toEqual([403, 'forbidden']);
  });
});

describe('a broken template file', () => {
  it('stops the API from starting, naming the file and the problem', () => {
    const dir = folderWith({
      'typo.json': JSON.stringify({ ...soakTemplate, id: 'typo', config: { x: '{{inputs.nam}}' } }),
    });
    expect(() => testApi({ client: temporal.client, templatesDir: dir })).toThrow(
      `${join(dir, 'typo.json')}: config.x: placeholder {{inputs.nam}} is unknown: no input "nam" (inputs: name, soak_ms)`,
    );
  });
});

describe('the OpenAPI document', () => {
  it('lists the template routes', async () => {
    const paths = Object.keys((await api.openApi()).document['paths'] as object);
    expect(paths).toEqual(
      expect.arrayContaining(['/templates', '/templates/{id}', '/templates/{id}/plan', '/templates/{id}/apply']),
    );
  });
});
