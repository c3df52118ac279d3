/** The record's pure rules: what each run report changes, in any order, any number of times. */
import {
  durationsOf,
  emptyRecord,
  RUNS_KEPT,
  withReport,
  type AppliedConfig,
  type RecordedRun,
  type RunReport,
} from '../../src/model/deployment-record';
import type { DeploymentInput, NodeState } from '../../src/model/run-types';

let clock = 0;
function run(action: RecordedRun['action'], status: string, extra: Partial<RecordedRun> = {}): RecordedRun {
  clock += 1;
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, clock)).toISOString();
  return {
    workflow_id: 'deploy-app',
    run_id: `run-${clock}`,
    action,
    mode: 'FULL',
    version: 'v1',
    graph_id: 'g1',
    status,
    started_at: at,
    closed_at: null,
    counts: null,
    ...extra,
  };
}

const input = (version: string, nodeIds: string[]): DeploymentInput =>
  ({
    action: 'apply',
    graph: {
      deployment_id: 'app',
      version,
      graph_id: `g-${version}`,
      nodes: nodeIds.map((node_id) => ({ node_id })),
      edges: [],
    },
    settings: {},
    credentials: null,
    tenant: 'acme',
  }) as unknown as DeploymentInput;

const applied = (
  r: RecordedRun,
  version: string,
  outputs: Record<string, Record<string, unknown>>,
  nodeIds = Object.keys(outputs),
): AppliedConfig => ({ workflow_id: r.workflow_id, run_id: r.run_id, input: input(version, nodeIds), outputs });

const report = (r: RecordedRun, withApplied?: AppliedConfig): RunReport => ({
  deployment_id: 'app',
  tenant: 'acme',
  run: r,
  applied: withApplied,
});
const fold = (...reports: RunReport[]) => reports.reduce(withReport, emptyRecord('app', 'acme'));

it('follows an apply from start to end: DEPLOYING, then DEPLOYED with its input, outputs and version', () => {
  const started = run('apply', 'running');
  const during = fold(report(started));
  expect([during.state, during.last_apply, during.runs_total]).toEqual(['DEPLOYING', null, 1]);
  const done = { ...started, status: 'completed', closed_at: started.started_at };
  const after = withReport(during, report(done, applied(done, 'v1', { a: { arn: 'x' } })));
  expect(after).toMatchObject({
    state: 'DEPLOYED',
    version: 'v1',
    runs_total: 1,
    last_apply: { run_id: done.run_id, outputs: { a: { arn: 'x' } } },
  });
  expect(after.runs).toEqual([done]);
});

it('takes a repeated report once, and a late report of an older run changes neither the state nor what is deployed', () => {
  const older = run('apply', 'completed');
  const newer = run('apply', 'completed', { version: 'v2' });
  const record = fold(
    report(newer, applied(newer, 'v2', { a: { v: 2 } })),
    report(older, applied(older, 'v1', { a: { v: 1 } })),
    report(older, applied(older, 'v1', { a: { v: 1 } })),
  );
  expect([record.runs_total, record.runs.map((r) => r.run_id)]).toEqual([2, [newer.run_id, older.run_id]]);
  expect([record.version, record.last_apply?.outputs]).toEqual(['v2', { a: { v: 2 } }]);
});

it('keeps what was deployed when an apply rolls back, and merges outputs when one fails part-way', () => {
  const first = run('apply', 'completed');
  const base = fold(report(first, applied(first, 'v1', { a: { v: 1 }, b: { v: 1 } })));
  const rolledBack = run('apply', 'rolled_back', { version: 'v2' });
  const afterRollback = withReport(base, report(rolledBack, applied(rolledBack, 'v2', {})));
  expect([afterRollback.state, afterRollback.last_apply?.run_id]).toEqual(['DEPLOYMENT_FAILED', first.run_id]);
  const failed = run('apply', 'failed', { version: 'v3' });
  const afterFailure = withReport(base, report(failed, applied(failed, 'v3', { a: { v: 3 } }, ['a', 'b', 'c'])));
  expect(afterFailure.last_apply).toMatchObject({ run_id: failed.run_id, outputs: { a: { v: 3 }, b: { v: 1 } } });
});

it('leaves a tombstone naming what a completed destroy removed, cleared by the next completed apply; dry runs and verifies change nothing', () => {
  const deployed = run('apply', 'completed');
  const verify = run('verify', 'completed');
  const dryRun = run('apply', 'completed', { mode: 'DRY_RUN' });
  const destroy = run('destroy', 'completed');
  const record = fold(
    report(deployed, applied(deployed, 'v1', { a: {}, b: {} })),
    report(verify),
    report(dryRun),
    report(destroy),
  );
  expect([record.state, record.runs_total, record.latest_run?.run_id]).toEqual(['UNDEPLOYED', 4, destroy.run_id]);
  expect(record.tombstone).toEqual({
    destroyed_at: destroy.started_at,
    run_id: destroy.run_id,
    version: 'v1',
    graph_id: 'g1',
    node_ids: ['a', 'b'],
  });
  const again = run('apply', 'completed');
  expect(withReport(record, report(again, applied(again, 'v1', { a: {} }))).tombstone).toBeNull();
});

it(`lists at most ${RUNS_KEPT} runs, newest first, and counts them all`, () => {
  let record = emptyRecord('app', 'acme');
  for (let i = 0; i < RUNS_KEPT + 50; i += 1) record = withReport(record, report(run('verify', 'completed')));
  expect([record.runs.length, record.runs_total]).toEqual([RUNS_KEPT, RUNS_KEPT + 50]);
  expect((record.runs[0]?.started_at ?? '') > (record.runs.at(-1)?.started_at ?? '')).toBe(true);
});

describe('node durations by type (plans estimate from them)', () => {
  const node = (type: string, status: string, seconds: number | null) =>
    ({ type, status, duration_seconds: seconds }) as unknown as NodeState;

  it('sums the completed nodes of a run by type', () => {
    expect(
      durationsOf([node('aws:iam:role', 'completed', 4), node('aws:iam:role', 'completed', 6), node('x', 'failed', 9)]),
    ).toEqual({ 'aws:iam:role': { count: 2, seconds: 10 } });
  });

  it('adds an ended apply’s durations once, however often its end is reported', () => {
    const started = run('apply', 'running');
    const ended = { ...started, status: 'completed' };
    const end: RunReport = { ...report(ended, applied(ended, 'v1', {})), durations: { fn: { count: 2, seconds: 30 } } };
    const later = run('apply', 'completed');
    const next: RunReport = {
      ...report(later, applied(later, 'v2', {})),
      durations: { fn: { count: 1, seconds: 60 } },
    };
    const record = fold(report(started), end, end, next, end);
    expect(record.durations).toEqual({ fn: { count: 3, seconds: 90 } });
  });
});
