/**
 * Steering runs with deployctl against the real API and a worker: a failure stops `apply
 * --detach-on-pause` with 3; then `retry`, `skip`, `rollback` decide it, `abort` ends a run, and
 * `verify` checks a deployment; `watch` follows each to its outcome, which the API confirms.
 */
import { config, delay } from '../../support/deployments';
import { useCliBed } from './helpers/cli';

const bed = useCliBed();

interface Status {
  readonly status: string;
  readonly action: string;
  readonly nodes: readonly { resource_id: string; status: string }[];
}

const statusOf = (id: string) => bed.get<Status>(`/deploy/status/${id}`);
const nodeStatuses = (status: Status) => Object.fromEntries(status.nodes.map((n) => [n.resource_id, n.status]));

/** Applies `cfg` until it waits for a decision (exit 3); its deployment id. */
async function haltedRun(name: string, cfg: Record<string, unknown>): Promise<string> {
  const applied = await bed.cli(['apply', await bed.file(`${name}.json`, cfg), '--detach-on-pause']);
  expect(applied.stdout).toContain('run waits for a decision after a failure; decide: deployctl retry');
  expect(applied.code).toBe(3);
  return String(cfg['deployment_id']);
}

it('retry runs the failed node again; watch follows the run to completed', async () => {
  const id = await haltedRun(
    'retry',
    config({
      flaky: delay({ duration_ms: 10, fail_times: 1 }),
      after: delay({ duration_ms: 10 }, { depends_on: ['flaky'] }),
    }),
  );
  expect(await bed.cli(['retry', id])).toEqual({ code: 0, stdout: `retry accepted by ${id}: flaky\n`, stderr: '' });
  const watched = await bed.cli(['watch', id]);
  // Attached late, watch starts from the run's current state: each node's last state once, then the outcome.
  expect(watched.stdout).toMatch(/^flaky: completed in [\d.]+s$/m);
  expect(watched.stdout).toMatch(/^after: completed in [\d.]+s$/m);
  expect(watched.stdout).toMatch(/\nrun completed after [\d.]+s: 2 completed\n$/);
  expect(watched.code).toBe(0);
  expect(nodeStatuses(await statusOf(id))).toEqual({ flaky: 'completed', after: 'completed' });

  const verified = await bed.cli(['verify', id]);
  expect(verified.stdout).toMatch(new RegExp(`^verify run \\S+ of ${id} started \\(FULL, graph \\w+\\)\\n`));
  expect(verified.stdout).toMatch(/\nrun completed after [\d.]+s: 2 completed\n$/);
  expect(verified.code).toBe(0);
  expect(await statusOf(id)).toMatchObject({ action: 'verify', status: 'completed' });
});

it('skip --node marks the failed node skipped and the run goes on to completed', async () => {
  const id = await haltedRun(
    'skip',
    config({
      broken: delay({ duration_ms: 10, fail_times: 5, non_retryable: true }),
      other: delay({ duration_ms: 10 }, { depends_on: ['broken'] }),
    }),
  );
  expect(await bed.cli(['skip', id, '--node', 'broken'])).toMatchObject({
    code: 0,
    stdout: `skip accepted by ${id}: broken\n`,
  });
  const watched = await bed.cli(['watch', id]);
  expect(watched.stdout).toMatch(/^broken: skipped: core:delay failed as configured/m);
  expect(watched.stdout).toMatch(/\nrun completed after [\d.]+s: 1 completed, 1 skipped\n$/);
  expect(watched.code).toBe(0);
  const status = await statusOf(id);
  expect([status.status, nodeStatuses(status)]).toEqual(['completed', { broken: 'skipped', other: 'completed' }]);
});

it('rollback undoes the completed nodes newest first and the run ends rolled back (exit 1)', async () => {
  const id = await haltedRun(
    'rollback',
    config({
      base: delay({ duration_ms: 10 }),
      broken: delay({ duration_ms: 10, fail_times: 5, non_retryable: true }, { depends_on: ['base'] }),
    }),
  );
  expect((await bed.cli(['rollback', id])).stdout).toBe(`rollback accepted by ${id}\n`);
  const watched = await bed.cli(['watch', id]);
  expect(watched.stdout).toContain('base: compensated');
  expect(watched.stdout).toMatch(/\nrun rolled back after [\d.]+s: .*\n$/);
  expect(watched.code).toBe(1);
  expect(await statusOf(id)).toMatchObject({ status: 'rolled_back' });
});

it('abort --reason ends a running run as aborted; the apply that follows it exits 1', async () => {
  const cfg = config({ slow: delay({ duration_ms: 5_000 }) });
  const id = String(cfg['deployment_id']);
  const apply = bed.start(['apply', await bed.file('abort.json', cfg)]);
  await apply.printed('slow: started');
  expect(await bed.cli(['abort', id, '--reason', 'wrong version'])).toEqual({
    code: 0,
    stdout: `abort accepted by ${id}: slow\n`,
    stderr: '',
  });
  const { code, stdout } = await apply.done;
  expect(stdout).toMatch(/\nrun aborted after [\d.]+s: .*\n$/);
  expect(code).toBe(1);
  expect(await statusOf(id)).toMatchObject({ status: 'aborted' });
});
