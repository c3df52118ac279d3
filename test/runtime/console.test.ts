/**
 * `npm start`'s console as people and machines read it (issue 14, point 6): on a terminal (a real
 * pseudo-terminal from util-linux's `script`), the URLs and one pretty line per run and node event,
 * successful requests kept out (debug), a refused one as a warn line, and Ctrl-C stopping it all;
 * off a terminal (a pipe), the same events as JSON lines that name the deployment and resource.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/runtime/free-port';
import { READY, ROOT, startMain, waitFor, watch, type Started } from './helpers/main-process';

const dataDirs: string[] = [];
afterAll(() => dataDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function settings(): Promise<{ env: Record<string, string>; api: string }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'console-test-'));
  dataDirs.push(dataDir);
  const env = {
    PORT: String(port),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    TASK_QUEUE: `console-${port}`,
  };
  return { env, api: `http://127.0.0.1:${port}` };
}

const example = (name: string): unknown => JSON.parse(readFileSync(join(ROOT, 'examples', `${name}.json`), 'utf8'));
const post = (url: string, body: unknown): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** The approval example run to its end: applied, its gate approved by name, with one refused continue on the way. */
async function approvalRun(started: Started, api: string): Promise<void> {
  expect((await post(`${api}/deploy/apply`, { config: example('approval') })).status).toBe(202);
  await waitFor(started, /waiting for approval/);
  expect((await post(`${api}/deploy/continue`, { deployment_id: 'no-such', node_id: 'approve' })).status).toBe(404);
  expect((await post(`${api}/deploy/continue`, { deployment_id: 'approval', node_id: 'approve' })).status).toBe(200);
  await waitFor(started, /run completed/);
}

it('on a terminal: the URLs, one pretty line per run and node event, refused requests only, and Ctrl-C stops it', async () => {
  const { env, api } = await settings();
  const { NO_COLOR: _ignored, LOG_FORMAT: _unset, ...inherited } = process.env;
  const started = watch(
    // `exec`: script runs the command through $SHELL, or /bin/sh where SHELL is unset (CI); Debian's
    // dash does not exec a lone command, and would die of the Ctrl-C itself (130) while node stops.
    spawn('script', ['-qfec', `exec ${JSON.stringify(process.execPath)} --import tsx src/main.ts`, '/dev/null'], {
      cwd: ROOT,
      env: { ...inherited, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  try {
    await waitFor(started, READY);
    await approvalRun(started, api);
  } finally {
    started.child.stdin?.write('\u0003'); // Ctrl-C, as the terminal sends it
  }
  // The output comes with the code, so that a failed stop shows what the process said.
  expect({ exit: await started.exit, output: started.output() }).toMatchObject({ exit: 0 });
  const lines = started.output().replace(/\r/g, '').split('\n');
  expect(lines).toEqual(
    expect.arrayContaining([
      `API           ${api}`,
      `API docs      ${api}/docs`,
      `Dashboard     ${api}/ui`,
      `Temporal UI   http://127.0.0.1:${env['TEMPORAL_UI_PORT']}`,
      'stopped',
    ]),
  );
  const events = lines
    .filter((line) => / {2}approval {2}/.test(line))
    .map((line) => line.replace(/^\d\d:\d\d:\d\d {2}/, ''));
  expect(events).toEqual([
    'info   approval  apply run of 3 node(s), mode FULL, on_failure halt',
    'info   approval  build  apply started',
    'info   approval  build  apply completed',
    'info   approval  approve  waiting for approval',
    'info   approval  continue: released approve',
    'info   approval  approve  apply started',
    'info   approval  approve  apply completed',
    'info   approval  release  apply started',
    'info   approval  release  apply completed',
    'info   approval  run completed',
  ]);
  // The refused request, its level colored; the ones that went well are not shown.
  expect(lines).toContainEqual(
    expect.stringMatching(/^\d\d:\d\d:\d\d {2}\u001b\[33mwarn \u001b\[0m {2}POST \/deploy\/continue → 404 \(\d+ ms\)$/),
  );
  expect(lines.filter((line) => line.includes('/deploy/apply'))).toEqual([]);
  expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
});

it('off a terminal: JSON lines, each run and node event naming its deployment, resource and workflow', async () => {
  const { env, api } = await settings();
  const started = startMain(env);
  try {
    await waitFor(started, READY);
    await approvalRun(started, api);
  } finally {
    started.child.kill('SIGINT');
  }
  expect(await started.exit).toBe(0);
  const records = started
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const events = records.filter((r) => r['deployment_id'] === 'approval');
  expect(events.map((r) => [r['resource'] ?? null, r['msg']])).toEqual([
    [null, 'apply run of 3 node(s), mode FULL, on_failure halt'],
    ['build', 'apply started'],
    ['build', 'apply completed'],
    ['approve', 'waiting for approval'],
    [null, 'continue: released approve'],
    ['approve', 'apply started'],
    ['approve', 'apply completed'],
    ['release', 'apply started'],
    ['release', 'apply completed'],
    [null, 'run completed'],
  ]);
  expect(events[1]).toMatchObject({ level: 30, workflowId: 'deploy-approval', node_id: expect.any(String) });
  const requests = records.filter((r) => r['req'] !== undefined);
  expect(requests.map((r) => [r['level'], (r['res'] as { statusCode: number }).statusCode])).toEqual([[40, 404]]);
});
