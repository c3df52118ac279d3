/**
 * Issue 13, acceptance: every JSON example of seed 001 that is a request (§9.2's configuration,
 * Appendix A.1–A.3), read from the seed file itself at test time, sent to the real app with a real
 * worker, AWS on moto_server and GitHub on the surrogate; the requests have exactly the fields of
 * the seed's §13.2 schemas (plan {config, validate_only}, apply {config, mode, graph_id}), of
 * §12.4's continue_execution(graph_id, from_node) and of A.1's verify (verify and destroy
 * {graph_id, credentials}); the answers carry §13.2's response fields and what Appendix A says.
 *
 * The seed's placeholders of sealed values ("base64-nacl-encrypted...") are replaced by values
 * sealed to the worker's service key for the purpose of their field and the tenant of the API key
 * (docs/how-to/credentials.md), and its elisions are filled with the smallest valid content, each
 * by name below (FILLERS_*); everything the seed wrote stays as written. Applies wait for their
 * outcome with `Prefer: wait=N` (the seed's apply is synchronous), so the bodies keep the seed's
 * fields only.
 */
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { sealTo } from '../../src/credentials/sealed-box';
import { envelope, type SealedPurpose } from '../../src/credentials/sealed-envelope';
import { uniqueId } from '../../support/temporal';
import { useAwsApi } from '../aws/helpers/aws-api';
import { eventually } from '../helpers/eventually';
import {
  elisionsOf,
  fillElisions,
  type Fillers,
  onlyBlock,
  parametersOf,
  parseElided,
  placeholdersOf,
  requestsOf,
  schemasOf,
  sealPlaceholders,
  section,
  seedText,
  type SeedRequest,
} from '../helpers/seed-text';
import type { Repository } from '../surrogates/github/state';
import { finished, waitForRun } from './helpers/runs';

jest.setTimeout(240_000);

// ---- the seed ------------------------------------------------------------------------------------

const SEED = seedText('001');
/** §9.2's configuration, elisions and placeholders as the seed writes them. */
const seedConfig = (): Record<string, unknown> =>
  parseElided(onlyBlock(section(SEED, '### 9.2'), 'json')) as Record<string, unknown>;
const SCHEMAS = schemasOf(section(SEED, '### 13.2'));
const appendix = (heading: string): SeedRequest[] => requestsOf(onlyBlock(section(SEED, heading), 'bash'));

/** The field names of a §13.2 schema. */
function fieldsOf(schema: string): string[] {
  const fields = SCHEMAS.get(schema);
  if (!fields) throw new Error(`seed 001 §13.2 has no ${schema}`);
  return fields.map((f) => f.name);
}

/** The request of an appendix block that calls `method path` (the nth, from 0). */
function requestOf(requests: readonly SeedRequest[], method: string, path: string, nth = 0): SeedRequest {
  const found = requests.filter((r) => r.method === method && r.path === path)[nth];
  if (!found) throw new Error(`the seed's block has no request ${method} ${path} (#${nth})`);
  return found;
}

/** What the seed says a request does, as one text. */
const says = (request: SeedRequest): string => request.says.join('\n');

/** A number the seed says, by the words after it ("3 operations"). */
function saidNumber(request: SeedRequest, pattern: RegExp): number {
  const match = pattern.exec(says(request));
  if (!match?.[1]) throw new Error(`the seed no longer says ${String(pattern)}: "${says(request)}"`);
  return Number(match[1]);
}

// ---- the test bed --------------------------------------------------------------------------------

/** A tenant of its own: the seed's deployment ids (my-app-prod) are this file's alone on the shared Temporal server. */
const TENANT = uniqueId('seed001');
const KEY = { operate: `${TENANT}-operate-key`, admin: `${TENANT}-admin-key` };
const aws = useAwsApi({
  github: true,
  keys: [
    { key: KEY.operate, tenant: TENANT, role: 'operate' },
    { key: KEY.admin, tenant: TENANT, role: 'admin' },
  ],
  // A.2's config brings no credentials: the tenant may call AWS as the service (moto) then.
  serviceAwsTenants: [TENANT],
});

const ACCOUNT = '123456789012';
const lambdaArn = (region: string, name: string): string => `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`;
/** An empty zip archive (the end-of-central-directory record alone): the smallest inline code. */
const EMPTY_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]).toString('base64');
/** Lambda's trust policy: §9.2 elides the role's `assume_role_policy` ({...}). */
const LAMBDA_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

let repo: Repository;
let githubToken: string;
beforeAll(async () => {
  // What the seed's examples name on GitHub: the organization my-org and its repository my-app,
  // which a user of the org (the PAT's owner) administers.
  const deployer = aws.surrogate.addAccount('deployer', { scopes: ['repo'] });
  githubToken = deployer.token;
  repo = aws.surrogate.addRepo(aws.surrogate.addOrg('my-org', [deployer]), 'my-app');
  // §9.2's code: code_s3_bucket my-deploy-bucket, code_s3_key my-app/v1.2.3/code.zip.
  await aws.bed.bucket('my-deploy-bucket', { keys: ['my-app/v1.2.3/code.zip'] });
});

/** The plaintext behind each purpose: moto takes any AWS secret key, the surrogate the deployer's PAT. */
const plaintextFor = (purpose: SealedPurpose): string => {
  if (purpose === 'aws_secret_access_key') return 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  if (purpose === 'github_token') return githubToken;
  throw new Error(`seed 001 has no sealed ${purpose}`);
};

/** The seed's placeholders sealed for their field's purpose and this file's tenant (not one seal for all). */
const sealed = async <T>(value: T): Promise<T> =>
  (await sealPlaceholders(value, (purpose) =>
    sealTo(aws.bed.keyring.publicKey, envelope({ tenant: TENANT, purpose }, plaintextFor(purpose))),
  )) as T;

/** A request body with exactly the seed's field names. */
function shaped(fields: readonly string[], body: Record<string, unknown>): Record<string, unknown> {
  expect(Object.keys(body).sort()).toEqual([...fields].sort());
  return body;
}

const WAIT = { prefer: 'wait=120' };
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const functionIn = (region: string, name: string) =>
  aws.bed.clients.forRegion(region, null).lambda.send(new GetFunctionCommand({ FunctionName: name }));

/** GET /deploy/status/{graph_id} once the run of that graph is visible and `until` holds. */
async function statusOfGraph(graphId: string, until: (body: Body) => boolean): Promise<Body> {
  return eventually(
    async () => {
      const response = await aws.api.get(`/deploy/status/${graphId}`, { key: KEY.operate });
      expect(response.status).toBe(200);
      const body = response.body as Body;
      if (!until(body)) throw new Error(`status ${String(body['status'])} of graph ${graphId}`);
      return body;
    },
    60_000,
    200,
  );
}

/** §13.2's status answer: its fields, and what they hold for a run of `graphId`. */
function expectStatusFields(status: Body, graphId: string, deploymentId: string, version: string): void {
  expect(Object.keys(status)).toEqual(expect.arrayContaining(fieldsOf('Schema__Response__Deploy__Status')));
  expect(status).toMatchObject({
    graph_id: graphId,
    deployment_id: deploymentId,
    version,
    created_at: expect.any(String),
    spec_graph_ref: { graph_id: graphId, deployment_id: deploymentId, version },
  });
}

/**
 * Ends the deployment's run if one is still active (a test that failed midway), so the next test
 * starts clean; best effort, so that a cleanup never hides the failure that made it necessary.
 */
async function endActiveRun(deploymentId: string): Promise<void> {
  const abort = await aws.api
    .post('/deploy/abort', { deployment_id: deploymentId, reason: 'test over' }, { key: KEY.operate })
    .catch(() => null);
  if (abort?.status !== 200) return;
  await waitForRun(aws.api, `/deploy/status/${deploymentId}`, finished, KEY.operate).catch(() => undefined);
}

const nodeKey = (n: { resource_id: string; region: string | null }): string => `${n.resource_id}@${n.region ?? '-'}`;

// ---- the seed's request shapes ---------------------------------------------------------------------

describe('seed 001, the request and response shapes it writes', () => {
  it('reads §13.2, §12.4 and Appendix A from the seed file', () => {
    expect(fieldsOf('Schema__Request__Deploy__Plan')).toEqual(['config', 'validate_only']);
    expect(fieldsOf('Schema__Request__Deploy__Apply')).toEqual(['config', 'mode', 'graph_id']);
    expect(fieldsOf('Schema__Response__Deploy__Plan')).toEqual([
      'success',
      'spec_graph_id',
      'operations',
      'parallel_groups',
      'estimated_time',
      'validation_errors',
      'warnings',
    ]);
    expect(parametersOf(section(SEED, '### 12.4'), 'continue_execution')).toEqual(['graph_id', 'from_node']);
    expect(appendix('### A.1').map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /deploy/plan',
      'POST /deploy/apply',
      'POST /deploy/verify',
    ]);
    expect(appendix('### A.2').map((r) => `${r.method} ${r.path}`)).toEqual(['POST /deploy/apply']);
    expect(appendix('### A.3').map((r) => `${r.method} ${r.path}`)).toEqual(['POST /deploy/move']);
    // Every elision and placeholder of the examples, so a seed that gains one fails here until it is filled below.
    expect(elisionsOf(seedConfig())).toEqual(['resources.execution-role.properties.assume_role_policy']);
    expect(placeholdersOf(seedConfig())).toEqual([
      'credentials.aws.encrypted_secret_access_key',
      'credentials.github.encrypted_pat',
    ]);
  });
});

// ---- §9.2, with §13.2's plan, apply (STEP), continue, status, verify and destroy ------------------------

/** §9.2's elisions: the role's trust policy, Lambda's (the type's default too). */
const FILLERS_9_2: Fillers = { 'resources.execution-role.properties.assume_role_policy': () => LAMBDA_TRUST };

describe('seed 001 §9.2, the example configuration', () => {
  afterAll(() => endActiveRun('my-app-prod'));

  it('plans with the region-choice warning, saves the plan, applies it STEP by STEP to the end, verifies and destroys it by graph id', async () => {
    const config = await sealed(fillElisions(seedConfig(), FILLERS_9_2) as Body);
    const deploymentId = config['deployment_id'] as string;
    const version = config['version'] as string;

    // Plan (§13.2): {config, validate_only}; false saves it under its graph id.
    const plan = await aws.api.post(
      '/deploy/plan',
      shaped(fieldsOf('Schema__Request__Deploy__Plan'), { config, validate_only: false }),
      { key: KEY.operate },
    );
    expect(plan.status).toBe(200);
    const planned = plan.body as Body;
    expect(Object.keys(planned)).toEqual(expect.arrayContaining(fieldsOf('Schema__Response__Deploy__Plan')));
    const graphId = planned['spec_graph_id'] as string;
    expect(planned).toMatchObject({
      success: true,
      spec_graph_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      validation_errors: [],
      estimated_time: expect.any(Number),
      saved_plan: { graph_id: graphId },
    });
    expect(planned['estimated_time']).toBeGreaterThan(0);
    expect((planned['operations'] as Body[]).map((o) => `${o['resource']}@${o['region'] ?? '-'}`).sort()).toEqual([
      'api-lambda@eu-west-1',
      'api-lambda@us-east-1',
      'execution-role@-',
      'lambda-arn-secret@-',
    ]);
    // parallel_groups (§13.2: List[List[Obj_Id]]) hold every operation's node once.
    expect((planned['parallel_groups'] as string[][]).flat().sort()).toEqual(
      (planned['operations'] as Body[]).map((o) => o['node'] as string).sort(),
    );
    // §9.2's secret has no region and references the Lambda of two regions: the plan says which it reads.
    expect(planned['warnings']).toContain(
      'lambda-arn-secret.references.value_from: "api-lambda.arn" reads api-lambda in us-east-1, the first of its regions (us-east-1, eu-west-1); to read another region, select it: "api-lambda[eu-west-1].arn"',
    );

    // Apply (§13.2): {config, mode, graph_id}; STEP waits before each operation.
    const applied = await aws.api.post(
      '/deploy/apply',
      shaped(fieldsOf('Schema__Request__Deploy__Apply'), { config, mode: 'STEP', graph_id: graphId }),
      { key: KEY.operate, headers: WAIT },
    );
    expect(applied.status).toBe(200);
    expect(Object.keys(applied.body as Body)).toEqual(
      expect.arrayContaining(fieldsOf('Schema__Response__Deploy__Apply')),
    );
    expect(applied.body).toMatchObject({
      success: true,
      graph_id: graphId,
      cache_id: applied.body.run_id,
      status: 'paused',
      operations_failed: 0,
      failed_operation: null,
      next_operation: { node_id: expect.any(String), status: 'paused' },
    });
    expect(applied.body.operations_completed + applied.body.operations_pending).toBe(4);

    // Continue (§12.4): {graph_id, from_node}, one operation at a time, read back by graph id.
    let next = (applied.body as Body)['next_operation'] as Body | null;
    const stepped: string[] = [];
    for (let step = 0; next !== null && step < 8; step++) {
      const fromNode = next['node_id'] as string;
      const continued = await aws.api.post(
        '/deploy/continue',
        shaped(parametersOf(section(SEED, '### 12.4'), 'continue_execution'), {
          graph_id: graphId,
          from_node: fromNode,
        }),
        { key: KEY.operate },
      );
      expect([continued.status, continued.body.accepted, continued.body.node_ids]).toEqual([200, true, [fromNode]]);
      stepped.push(`${next['resource_id']}@${next['region'] ?? '-'}`);
      const status = await statusOfGraph(
        graphId,
        (s) => s['status'] !== 'running' && !(s['waiting_for']?.node_ids ?? []).includes(fromNode),
      );
      expect(status['status']).not.toBe('failed');
      next =
        status['status'] === 'paused'
          ? ((status['nodes'] as Body[]).find((n) => n['node_id'] === status['waiting_for'].node_ids[0]) ?? null)
          : null;
    }
    expect(stepped.sort()).toEqual([
      'api-lambda@eu-west-1',
      'api-lambda@us-east-1',
      'execution-role@-',
      'lambda-arn-secret@-',
    ]);

    // Status (§13.2) by graph id: the completed run.
    const status = await statusOfGraph(graphId, (s) => s['status'] === 'completed');
    expectStatusFields(status, graphId, deploymentId, version);
    expect(status['completed_at']).toEqual(expect.any(String));
    expect((status['operations'] as Body[]).map((o) => `${nodeKey(o as never)}:${o['status']}`).sort()).toEqual([
      'api-lambda@eu-west-1:completed',
      'api-lambda@us-east-1:completed',
      'execution-role@-:completed',
      'lambda-arn-secret@-:completed',
    ]);
    for (const region of ['us-east-1', 'eu-west-1'])
      await expect(functionIn(region, 'my-app-api')).resolves.toMatchObject({
        Configuration: { FunctionArn: lambdaArn(region, 'my-app-api'), MemorySize: 256, Timeout: 30 },
      });
    // As the warning said: the first region listed.
    expect(aws.surrogate.secretValue(repo, 'LAMBDA_ARN')).toBe(lambdaArn('us-east-1', 'my-app-api'));

    // Verify and destroy: {graph_id, credentials} (A.1's verify), the credentials sealed anew.
    const lifecycle = appendix('### A.1');
    const verifyFields = Object.keys(parseElided(requestOf(lifecycle, 'POST', '/deploy/verify').body ?? '{}') as Body);
    const credentials = await sealed(seedConfig()['credentials']);
    const verify = await aws.api.post('/deploy/verify', shaped(verifyFields, { graph_id: graphId, credentials }), {
      key: KEY.operate,
    });
    expect([verify.status, verify.body.action, verify.body.graph_id]).toEqual([202, 'verify', graphId]);
    const verified = await waitForRun(aws.api, verify.body.status_url as string, finished, KEY.operate);
    expect(verified.status).toBe('completed');
    expect(verified.nodes.map((n) => `${nodeKey(n)}:${n.action ?? ''}`).sort()).toEqual([
      'api-lambda@eu-west-1:in-sync',
      'api-lambda@us-east-1:in-sync',
      'execution-role@-:in-sync',
      'lambda-arn-secret@-:in-sync',
    ]);

    const destroy = await aws.api.post(
      '/deploy/destroy',
      shaped(verifyFields, { graph_id: graphId, credentials: await sealed(seedConfig()['credentials']) }),
      { key: KEY.admin },
    );
    expect([destroy.status, destroy.body.action, destroy.body.graph_id]).toEqual([202, 'destroy', graphId]);
    const destroyed = await waitForRun(aws.api, destroy.body.status_url as string, finished, KEY.admin);
    expect(destroyed.status).toBe('completed');
    expect(destroyed.nodes.every((n) => n.action === 'destroyed')).toBe(true);
    for (const region of ['us-east-1', 'eu-west-1'])
      await expect(functionIn(region, 'my-app-api')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(aws.surrogate.secretValue(repo, 'LAMBDA_ARN')).toBeNull();
  });
});

// ---- Appendix A.1 then A.3 on the same deployment ----------------------------------------------------

describe('seed 001 Appendix A.1 (fresh account Lambda deployment), then A.3 (region migration)', () => {
  const a1 = appendix('### A.1');
  const a3 = appendix('### A.3');
  /** The config A.1's plan sent (sealed), which its apply sends again, and the apply's graph id. */
  let sentConfig: Body | undefined;
  let appliedGraph: string | undefined;
  afterAll(() => endActiveRun('my-app-prod'));

  /**
   * A.1's plan elides the credentials ({...}): §9.2's (its aws and github parts), sealed; and each
   * resource's properties (`...`), filled with the least each type needs, names as §9.2's: the role
   * its role_name (the trust policy is the type's default, Lambda's); the Lambda its name, runtime,
   * handler, inline code (an empty zip) and its role by reference; the secret its repository and
   * name, its value the Lambda's ARN by reference (as §9.2's secret).
   */
  const FILLERS_A1_PLAN: Fillers = {
    'config.credentials': () => seedConfig()['credentials'],
    'config.resources.execution-role': () => ({ properties: { role_name: 'my-app-lambda-role' } }),
    'config.resources.api-lambda': () => ({
      properties: {
        function_name: 'my-app-api',
        runtime: 'python3.12',
        handler: 'lambda_handler.run',
        zip_file: EMPTY_ZIP,
      },
      references: { role: 'execution-role' },
    }),
    'config.resources.deploy-secret': () => ({
      properties: { owner: 'my-org', repo: 'my-app', secret_name: 'DEPLOY_SECRET' },
      references: { value_from: 'api-lambda.arn' },
    }),
  };

  it('1. plans: 3 operations in sequential groups, an estimate, no validation errors', async () => {
    const request = requestOf(a1, 'POST', '/deploy/plan');
    const body = await sealed(fillElisions(parseElided(request.body ?? ''), FILLERS_A1_PLAN) as Body);
    sentConfig = body['config'] as Body;
    const plan = await aws.api.post('/deploy/plan', body, { key: KEY.operate });
    expect(plan.status).toBe(200);
    expect(Object.keys(plan.body as Body)).toEqual(expect.arrayContaining(fieldsOf('Schema__Response__Deploy__Plan')));
    expect(plan.body).toMatchObject({ success: true, validation_errors: [], warnings: expect.any(Array) });

    // "Response shows: 3 operations, 2 sequential groups, ~45 seconds estimated" (the estimate is not pinned).
    const operations = plan.body.operations as Body[];
    expect(operations).toHaveLength(saidNumber(request, /(\d+) operations/));
    expect((plan.body.parallel_groups as string[][]).length).toBeGreaterThanOrEqual(
      saidNumber(request, /(\d+) sequential groups/),
    );
    const group = (resource: string) => operations.find((o) => o['resource'] === resource)?.['group'] as number;
    expect(group('execution-role')).toBeLessThan(group('api-lambda'));
    expect(group('api-lambda')).toBeLessThan(group('deploy-secret'));
    expect(plan.body.estimated_time).toEqual(expect.any(Number));
    expect(plan.body.estimated_time).toBeGreaterThan(0);
    appliedGraph = plan.body.spec_graph_id as string;
  });

  it('2. applies: success, graph_id, outputs with the Lambda ARN', async () => {
    const request = requestOf(a1, 'POST', '/deploy/apply');
    // A.1's apply elides its config ({...}): the one its plan sent.
    const body = fillElisions(parseElided(request.body ?? ''), { config: () => sentConfig }) as Body;
    expect(body).toEqual({ config: sentConfig, mode: 'FULL' });
    const applied = await aws.api.post('/deploy/apply', body, { key: KEY.operate, headers: WAIT });
    expect(applied.status).toBe(200);
    expect(Object.keys(applied.body as Body)).toEqual(
      expect.arrayContaining(fieldsOf('Schema__Response__Deploy__Apply')),
    );
    // "Response shows: success, graph_id, outputs (Lambda ARN, etc.)": the graph the plan showed.
    expect(says(request)).toMatch(/success, graph_id, outputs \(Lambda ARN/);
    expect(applied.body).toMatchObject({
      success: true,
      graph_id: appliedGraph,
      cache_id: applied.body.run_id,
      status: 'completed',
      operations_completed: 3,
      operations_failed: 0,
      operations_pending: 0,
      failed_operation: null,
      next_operation: null,
    });
    expect(Object.values(applied.body.outputs as Record<string, Body>)).toContainEqual(
      expect.objectContaining({ arn: lambdaArn('us-east-1', 'my-app-api') }),
    );
    expect(aws.surrogate.secretValue(repo, 'DEPLOY_SECRET')).toBe(lambdaArn('us-east-1', 'my-app-api'));

    const status = await statusOfGraph(appliedGraph ?? '', (s) => s['status'] === 'completed');
    expectStatusFields(status, appliedGraph ?? '', 'my-app-prod', 'v1');
  });

  it('3. verifies by graph id with credentials: all 3 resources verified', async () => {
    const request = requestOf(a1, 'POST', '/deploy/verify');
    // A.1's verify elides the graph id ("...", the apply's) and the credentials ({...}, those the apply sent).
    const body = fillElisions(parseElided(request.body ?? ''), {
      graph_id: () => appliedGraph,
      credentials: () => sentConfig?.['credentials'],
    }) as Body;
    const verify = await aws.api.post('/deploy/verify', body, { key: KEY.operate });
    expect([verify.status, verify.body.action, verify.body.graph_id, verify.body.success]).toEqual([
      202,
      'verify',
      appliedGraph,
      true,
    ]);
    // "Response shows: all 3 resources verified": the verify run, once finished (the verify answers at once).
    const run = await waitForRun(aws.api, verify.body.status_url as string, finished, KEY.operate);
    expect(run.status).toBe('completed');
    expect(run.nodes).toHaveLength(saidNumber(request, /all (\d+) resources verified/));
    expect(run.nodes.map((n) => `${n.resource_id}:${n.action ?? ''}`).sort()).toEqual([
      'api-lambda:in-sync',
      'deploy-secret:in-sync',
      'execution-role:in-sync',
    ]);
  });

  // A.1's verify "Response shows: all 3 resources verified", as its apply shows the outcome: the
  // product waits on applies only (`wait`, `Prefer: wait=N`); a verify answers 202 at once, every
  // operation pending, and its outcome is read from the run. Reported; this test passes while so.
  it('answers the verify, asked to wait, with all 3 resources verified (seed 001 A.1)', async () => {
    const request = requestOf(a1, 'POST', '/deploy/verify');
    const body = fillElisions(parseElided(request.body ?? ''), {
      graph_id: () => appliedGraph,
      credentials: () => sentConfig?.['credentials'],
    }) as Body;
    const verify = await aws.api.post('/deploy/verify', body, { key: KEY.operate, headers: WAIT });
    try {
      expect(verify.status).toBe(200);
      expect(verify.body).toMatchObject({ success: true, status: 'completed', operations_completed: 3 });
    } finally {
      if (verify.status === 202) await waitForRun(aws.api, verify.body.status_url as string, finished, KEY.operate);
    }
  });

  it('A.3 moves us-east-1 → eu-west-1: creates there, verifies, deletes the old region', async () => {
    const request = requestOf(a3, 'POST', '/deploy/move');
    // A.3 elides the graph id ("...", A.1's apply's) and the credentials ({...}, those A.1 sent).
    const body = fillElisions(parseElided(request.body ?? ''), {
      graph_id: () => appliedGraph,
      credentials: () => sentConfig?.['credentials'],
    }) as Body;
    expect(body).toMatchObject({
      deployment_id: 'my-app-prod',
      from_region: 'us-east-1',
      to_region: 'eu-west-1',
      delete_after_verify: true,
    });
    const move = await aws.api.post('/deploy/move', body, { key: KEY.admin });
    expect([move.status, move.body.deployment_id]).toEqual([202, 'my-app-prod']);
    const run = await waitForRun(aws.api, move.body.status_url as string, finished, KEY.admin);
    expect(run.status).toBe('completed');

    // "1. Creates resources in eu-west-1  2. Verifies they work  3. Deletes resources from us-east-1"
    expect(says(request)).toMatch(
      /Creates resources in eu-west-1[\s\S]*Verifies[\s\S]*Deletes resources from us-east-1/,
    );
    const status = (await aws.api.get(move.body.status_url as string, { key: KEY.admin })).body as Body;
    const node = (resource: string, region: string | null): Body => {
      const found = (status['nodes'] as Body[]).find((n) => n['resource_id'] === resource && n['region'] === region);
      if (!found) throw new Error(`the move has no node ${resource}@${region ?? '-'}`);
      return found;
    };
    const created = node('api-lambda', 'eu-west-1');
    const deleted = node('api-lambda', 'us-east-1');
    expect(created).toMatchObject({ status: 'completed', drift: [] });
    expect(deleted).toMatchObject({ status: 'completed' });
    expect(Date.parse(created['completed_at'] as string)).toBeLessThanOrEqual(
      Date.parse(deleted['started_at'] as string),
    );
    await expect(functionIn('eu-west-1', 'my-app-api')).resolves.toMatchObject({
      Configuration: { FunctionArn: lambdaArn('eu-west-1', 'my-app-api') },
    });
    await expect(functionIn('us-east-1', 'my-app-api')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(aws.surrogate.secretValue(repo, 'DEPLOY_SECRET')).toBe(lambdaArn('eu-west-1', 'my-app-api'));
  });
});

// ---- Appendix A.2 -------------------------------------------------------------------------------

describe('seed 001 Appendix A.2 (multi-region deployment)', () => {
  /** Each region's function's tags, in the order of the regions. */
  const tags: Record<string, string>[] = [];

  it('creates one Lambda function per region, tagged alike but for each region’s node id', async () => {
    const request = requestOf(appendix('### A.2'), 'POST', '/deploy/apply');
    // The role the function runs as, made beforehand: A.2's config has the function only.
    const role = await aws.bed.clients.forRegion('us-east-1', null).iam.send(
      new CreateRoleCommand({
        RoleName: 'my-app-global-role',
        AssumeRolePolicyDocument: JSON.stringify(LAMBDA_TRUST),
      }),
    );
    /** A.2 elides the function's properties (`...`): the least a function needs, its role by ARN. */
    const body = fillElisions(parseElided(request.body ?? ''), {
      'config.resources.api-lambda': () => ({
        properties: {
          function_name: 'my-app-global-api',
          runtime: 'python3.12',
          handler: 'lambda_handler.run',
          zip_file: EMPTY_ZIP,
          role_arn: role.Role?.Arn,
        },
      }),
    }) as Body;
    const regions = body['config'].targets[0].regions as string[];
    expect(regions).toEqual(['us-east-1', 'eu-west-1', 'ap-northeast-1']);

    const applied = await aws.api.post('/deploy/apply', body, { key: KEY.operate, headers: WAIT });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ success: true, status: 'completed', operations_completed: regions.length });

    // "Creates 3 Lambda functions, one per region, with same tags"
    expect(regions).toHaveLength(saidNumber(request, /Creates (\d+) Lambda functions/));
    for (const region of regions) {
      const fn = await functionIn(region, 'my-app-global-api');
      expect(fn.Configuration?.FunctionArn).toBe(lambdaArn(region, 'my-app-global-api'));
      tags.push(fn.Tags ?? {});
    }
    const first = tags[0] ?? {};
    expect(first).toMatchObject({
      'mgraph:deploy-id': `${TENANT}.my-app-global`,
      'mgraph:graph-id': applied.body.graph_id,
      'mgraph:resource-id': 'api-lambda',
      'mgraph:node-id': expect.any(String),
    });
    const { 'mgraph:node-id': _node, ...alike } = first;
    for (const other of tags.slice(1)) expect(other).toMatchObject(alike);
  });

  // Seed 001 says the same tags in every region; the product gives each region's function its own
  // mgraph:node-id (one node per region: each is adopted, verified, moved and destroyed on its own),
  // and every other tag the same (above). A deliberate difference, documented in resource-types.md#tags.
});
