/**
 * Templates and schedules with deployctl against the real API and a worker: `template list|show`
 * of the built-in approval-release, `template apply` with typed inputs up to its gate, approved by
 * `continue`; then a schedule of that deployment: `schedule create|list|trigger|pause`.
 */
import { uniqueId } from '../../support/temporal';
import { finished, waitForRun } from '../api/helpers/runs';
import { useCliBed } from './helpers/cli';

const bed = useCliBed();
const app = uniqueId('cli')
  .toLowerCase()
  .replace(/[^a-z0-9-]/g, '');
const id = `release-${app}`;

it('template list and show: the built-in approval-release and its typed inputs', async () => {
  const list = await bed.cli(['template', 'list']);
  expect(list.code).toBe(0);
  expect(list.stdout.split('\n')).toContain('approval-release  Build, approve, release  (built-in)');
  const show = await bed.cli(['template', 'show', 'approval-release']);
  expect(show.code).toBe(0);
  const lines = show.stdout.split('\n');
  expect(lines[0]).toBe('approval-release: Build, approve, release (built-in)');
  expect(lines).toContain('inputs:');
  expect(lines).toContainEqual(expect.stringMatching(/^ {2}app \(string\): The application's name/));
  expect(lines).toContainEqual(expect.stringMatching(/^ {2}build_ms \(integer\) default 1000: How long/));
  const unknown = await bed.cli(['template', 'show', 'no-such-template']);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/\(404 not_found\)/);
});

it('template apply runs the template with --input values up to its gate; continue --node approve finishes it', async () => {
  const inputs = await bed.file('inputs.json', { version: 'v7', release_ms: 10 });
  const args = ['template', 'apply', 'approval-release', '--input', `app=${app}`, '--input', 'build_ms=10'];
  const applied = await bed.cli([...args, '--inputs', inputs, '--detach-on-pause']);
  expect(applied.stdout).toMatch(new RegExp(`^apply run \\S+ of ${id} started \\(FULL, graph \\w+\\)\\n`));
  expect(applied.stdout).toContain(
    `run paused: approve (approval); continue: deployctl continue ${id} --node approve\n`,
  );
  expect(applied.code).toBe(3);
  expect(await bed.get(`/deploy/status/${id}`)).toMatchObject({ status: 'paused', version: 'v7' });

  expect((await bed.cli(['continue', id, '--node', 'approve'])).stdout).toBe(`continue accepted by ${id}: approve\n`);
  const watched = await bed.cli(['watch', id]);
  expect(watched.stdout).toMatch(/\nrun completed after [\d.]+s: 3 completed\n$/);
  expect(watched.code).toBe(0);

  const badInput = await bed.cli([
    'template',
    'apply',
    'approval-release',
    '--input',
    `app=${app}`,
    '--input',
    'build_ms=soon',
  ]);
  expect(badInput).toMatchObject({
    code: 1,
    stderr: 'error: --input build_ms is of type integer: give its value as JSON, not "soon"\n',
  });
});

it('schedule create, list, trigger (a verify run starts now) and pause', async () => {
  const created = await bed.cli([
    'schedule',
    'create',
    id,
    '--action',
    'verify',
    '--interval',
    '1d',
    '--note',
    'cli test',
  ]);
  expect(created.code).toBe(0);
  const scheduleId = /^created (sched-\S+) {2}/.exec(created.stdout)?.[1] ?? '';
  try {
    expect(created.stdout).toMatch(new RegExp(`^created ${scheduleId} {2}${id} {2}verify every 1d {2}next \\S+\\n$`));

    const line = async () =>
      (await bed.cli(['schedule', 'list'])).stdout.split('\n').find((l) => l.startsWith(scheduleId));
    expect(await line()).toMatch(new RegExp(`^${scheduleId} {2}${id} {2}verify every 1d {2}next `));

    expect(await bed.cli(['schedule', 'trigger', scheduleId])).toEqual({
      code: 0,
      stdout: `${scheduleId} triggered\n`,
      stderr: '',
    });
    const verify = await waitForRun(
      bed.api,
      `/deploy/status/${id}`,
      (run) => finished(run) && 'action' in run && run.action === 'verify',
    );
    expect(verify).toMatchObject({ action: 'verify', status: 'completed' });

    expect((await bed.cli(['schedule', 'pause', scheduleId])).stdout).toBe(`${scheduleId} paused\n`);
    expect(await line()).toContain('  (paused)');
  } finally {
    await bed.api.delete(`/schedules/${scheduleId}`);
  }
});
