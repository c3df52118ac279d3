/**
 * Reading runs with deployctl against the real API and a worker: `--version`, `status` (text,
 * --json, an unknown id, piped to a reader that stops reading), `history`, `list --status`, `logs`, and `logs -f`
 * ending when the run ends.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { config, delay } from '../../support/deployments';
import { useCliBed } from './helpers/cli';

const bed = useCliBed();
const cfg = config({
  build: delay({ duration_ms: 50 }),
  release: delay({ duration_ms: 50 }, { depends_on: ['build'] }),
});
const id = String(cfg['deployment_id']);

beforeAll(async () => {
  expect((await bed.cli(['apply', await bed.file('runs.json', cfg)])).code).toBe(0);
});

it('--version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string };
  expect(await bed.cli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
});

it('status: the phase, the run, each node and the Web UI; --json as the API says it; an unknown id fails', async () => {
  const { code, stdout } = await bed.cli(['status', id]);
  expect(code).toBe(0);
  const lines = stdout.split('\n');
  expect(lines[0]).toBe(`${id}: run completed`);
  expect(lines[1]).toMatch(/^ {2}apply FULL, version v1, graph \w+, run \S+$/);
  expect(lines[2]).toMatch(/^ {2}started \S+, ended \S+; 2 completed$/);
  expect(lines.slice(3, 5).map((l) => l.replace(/ in [\d.]+s$/, ''))).toEqual([
    '  build: completed',
    '  release: completed',
  ]);
  expect(lines[5]).toMatch(new RegExp(`^ {2}Temporal Web UI: http://\\S+/deploy-${id}/\\S+$`));

  const json = await bed.cli(['--json', 'status', id]);
  expect(JSON.parse(json.stdout)).toMatchObject({ deployment_id: id, status: 'completed', counts: { completed: 2 } });

  const unknown = await bed.cli(['status', 'no-such-deployment']);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/^error: .*\(404 not_found\)\n/);
  expect(unknown.stderr).toContain('hint: check the id: `deployctl list` shows your deployments');
});

it('status piped to a reader that stops reading ends quietly with 0, not with an EPIPE stack', async () => {
  // `true` exits without reading: every line the CLI writes meets a closed pipe.
  const script = `${process.execPath} ${join(__dirname, '../../bin/deployctl.mjs')} status ${id} | true; echo "exit \${PIPESTATUS[0]}"`;
  const env = { ...process.env, DEPLOY_URL: bed.gateway.url, NO_COLOR: '1' };
  const { stdout, stderr } = await promisify(execFile)('bash', ['-c', script], { env });
  expect(stdout + stderr).toBe('exit 0\n');
});

it('history lists the runs newest first; list --status shows the deployment with its latest run', async () => {
  const history = await bed.cli(['history', id]);
  expect(history.code).toBe(0);
  expect(history.stdout).toMatch(
    new RegExp(`^1 run\\(s\\)\\n${id} {2}completed {2}apply FULL v1 {2}\\S+ {2}run \\S+\\n$`),
  );

  const list = await bed.cli(['list', '--status', 'completed', '--page-size', '100']);
  expect(list.code).toBe(0);
  expect(list.stdout.split('\n')).toContainEqual(
    expect.stringMatching(new RegExp(`^${id} {2}completed {2}apply FULL`)),
  );
  const paused = await bed.cli(['list', '--status', 'paused', '--page-size', '100']);
  expect(paused.stdout).not.toContain(id);
});

it("logs prints the run's log, a line per entry", async () => {
  const { code, stdout } = await bed.cli(['logs', id]);
  expect(code).toBe(0);
  const lines = stdout.trimEnd().split('\n');
  expect(lines.length).toBeGreaterThan(2);
  for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\S+ (info |warn |error|debug) /);
  expect(stdout).toMatch(/ build: /);
  expect(stdout).toMatch(/ release: /);
});

it('logs -f follows the log while the run goes on and ends when it ends', async () => {
  const slow = config({
    first: delay({ duration_ms: 1_500 }),
    second: delay({ duration_ms: 500 }, { depends_on: ['first'] }),
  });
  const slowId = String(slow['deployment_id']);
  expect((await bed.cli(['apply', await bed.file('slow.json', slow), '--detach'])).code).toBe(0);
  const { code, stdout } = await bed.cli(['logs', slowId, '-f']);
  expect(code).toBe(0);
  expect(stdout).toMatch(/ second: /);
  const status = await bed.get<{ status: string; execution_status: string }>(`/deploy/status/${slowId}`);
  expect(status).toMatchObject({ status: 'completed', execution_status: 'COMPLETED' });
});
