/**
 * The walk on a real Temporal server: ordering, the parallel bound, modes and edge kinds.
 * Random DAGs come from fast-check; each property run is a real workflow execution.
 */
import fc from 'fast-check';
import type { RunStatus } from '../../src/model/run-types';
import { continueUpdate, logsQuery } from '../../src/workflows/messages';
import { startDeployment } from '../../src/client/start-deployment';
import {
  config,
  delay,
  deploymentInput,
  node,
  result,
  start,
  statusesByResource,
  waitFor,
  type Resources,
} from '../../support/deployments';
import { useTemporal } from '../../support/temporal';

const temporal = useTemporal();

/** A random DAG: node i may depend on any node j < i. */
const dagArb = fc
  .integer({ min: 2, max: 12 })
  .chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 2 }),
      fc.array(fc.integer({ min: 0, max: 40 }), { minLength: n, maxLength: n }),
      fc.integer({ min: 1, max: 4 }),
    ),
  );

function dagResources(n: number, pairs: [number, number][], durations: number[]): Resources {
  const resources: Resources = {};
  for (let i = 0; i < n; i += 1) {
    const deps = [
      ...new Set(pairs.filter(([a, b]) => Math.max(a, b) === i && a !== b).map(([a, b]) => `n${Math.min(a, b)}`)),
    ];
    resources[`n${i}`] = delay({ duration_ms: durations[i] ?? 0 }, { depends_on: deps });
  }
  return resources;
}

const ms = (iso: string | null): number => new Date(iso as string).getTime();

function maxConcurrency(status: RunStatus): number {
  const events = status.nodes.flatMap(
    (n) =>
      [
        [ms(n.started_at), 1],
        [ms(n.completed_at), -1],
      ] as const,
  );
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // ends before starts at the same instant: half-open intervals
  let current = 0;
  let peak = 0;
  for (const [, delta] of events) {
    current += delta;
    peak = Math.max(peak, current);
  }
  return peak;
}

describe('the deployment walk', () => {
  it('never starts a node before all its predecessors completed, and never exceeds max_parallel', async () => {
    await fc.assert(
      fc.asyncProperty(dagArb, async ([n, pairs, durations, maxParallel]) => {
        const resources = dagResources(n, pairs, durations);
        const handle = await start(
          temporal.client,
          temporal.worker.taskQueue,
          config(resources, { max_parallel: maxParallel }),
        );
        const status = await result(handle);
        expect(status.status).toBe('completed');
        const byResource = new Map(status.nodes.map((s) => [s.resource_id, s]));
        for (const [id, res] of Object.entries(resources)) {
          for (const dep of res['depends_on'] as string[]) {
            expect(ms(byResource.get(id)?.started_at ?? null)).toBeGreaterThanOrEqual(
              ms(byResource.get(dep)?.completed_at ?? null),
            );
          }
        }
        expect(maxConcurrency(status)).toBeLessThanOrEqual(maxParallel);
      }),
      { numRuns: Number(process.env['FC_WORKFLOW_RUNS'] ?? 6) },
    );
  });

  it('compensates in the reverse of completion order along every dependency', async () => {
    await fc.assert(
      fc.asyncProperty(dagArb, async ([n, pairs, durations, maxParallel]) => {
        const resources = dagResources(n, pairs, durations);
        resources['doomed'] = delay({ fail_times: 9 }, { depends_on: Object.keys(resources) });
        const handle = await start(
          temporal.client,
          temporal.worker.taskQueue,
          config(resources, { max_parallel: maxParallel, on_failure: 'rollback' }),
        );
        const status = await result(handle);
        expect(status.status).toBe('rolled_back');
        const logs = await handle.query(logsQuery, {});
        const at = (resourceId: string, message: (m: string) => boolean) => {
          const id = status.nodes.find((s) => s.resource_id === resourceId)?.node_id;
          return logs.findIndex((l) => l.node_id === id && message(l.message));
        };
        for (const [id, res] of Object.entries(resources)) {
          if (id === 'doomed') continue;
          expect(at(id, (m) => m === 'completed')).toBeGreaterThanOrEqual(0);
          for (const dep of res['depends_on'] as string[]) {
            // dep completed before id, so id must be compensated before dep's compensation starts
            expect(at(dep, (m) => m === 'compensating')).toBeGreaterThan(at(id, (m) => m.startsWith('compensation:')));
          }
        }
      }),
      { numRuns: Number(process.env['FC_WORKFLOW_RUNS'] ?? 6) },
    );
  });

  it('starts the node on the longest remaining path first when nodes compete for a slot', async () => {
    // max_parallel 1: the chain head (a → b → c) must win over the lone node z, though z sorts first by name.
    const resources = {
      z: delay(),
      a: delay(),
      b: delay({}, { depends_on: ['a'] }),
      c: delay({}, { depends_on: ['b'] }),
    };
    const status = await result(
      await start(temporal.client, temporal.worker.taskQueue, config(resources, { max_parallel: 1 })),
    );
    const order = [...status.nodes].sort((x, y) => ms(x.started_at) - ms(y.started_at)).map((s) => s.resource_id);
    expect(order[0]).toBe('a');
  });

  it('runs the fifo and levels baselines too, levels never starting a node before the levels before it are done', async () => {
    // a → b → c is a long chain; x and y are level-0 and level-1 stragglers.
    const resources = {
      a: delay(),
      b: delay({ duration_ms: 100 }, { depends_on: ['a'] }),
      c: delay({}, { depends_on: ['b'] }),
      x: delay({ duration_ms: 300 }),
      y: delay({}, { depends_on: ['x'] }),
    };
    for (const scheduler of ['fifo', 'levels'] as const) {
      const cfg = config(resources, { max_parallel: 2 });
      const input = deploymentInput(cfg);
      const started = await startDeployment(temporal.client, {
        input: { ...input, settings: { ...input.settings, scheduler } },
        taskQueue: temporal.worker.taskQueue,
      });
      const status = await result(temporal.client.workflow.getHandle(started.workflowId, started.runId));
      expect(status.status).toBe('completed');
      if (scheduler === 'levels') {
        const done = (r: string) => ms(node(status, r).completed_at);
        const began = (r: string) => ms(node(status, r).started_at);
        expect(began('b')).toBeGreaterThanOrEqual(Math.max(done('a'), done('x')));
        expect(began('c')).toBeGreaterThanOrEqual(Math.max(done('b'), done('y')));
      }
    }
  });

  it('in DRY_RUN mode plans every node and applies none', async () => {
    const status = await result(
      await start(
        temporal.client,
        temporal.worker.taskQueue,
        config({ a: delay(), b: delay({}, { depends_on: ['a'] }) }, { mode: 'DRY_RUN' }),
      ),
    );
    expect(status.status).toBe('completed');
    expect(status.nodes.map((s) => s.action)).toEqual(['create', 'create']);
    expect(status.nodes.every((s) => s.outputs === null)).toBe(true);
  });

  it('in STEP mode waits for a continue before each node', async () => {
    const handle = await start(
      temporal.client,
      temporal.worker.taskQueue,
      config({ a: delay(), b: delay({}, { depends_on: ['a'] }) }, { mode: 'STEP' }),
    );
    let status = await waitFor(handle, (s) => s.status === 'paused');
    expect(statusesByResource(status)).toEqual({ a: 'paused', b: 'pending' });
    expect(status.waiting_for).toMatchObject({ kind: 'continue', node_ids: [node(status, 'a').node_id] });
    await handle.executeUpdate(continueUpdate, { args: [{}] });
    status = await waitFor(handle, (s) => node(s, 'b').status === 'paused');
    expect(node(status, 'a').status).toBe('completed');
    await handle.executeUpdate(continueUpdate, { args: [{ node_id: node(status, 'b').node_id }] });
    expect((await result(handle)).status).toBe('completed');
  });

  it('holds the successor of a pause edge until a continue', async () => {
    const resources = { a: delay(), b: delay({}, { depends_on: [{ resource: 'a', edge: 'pause' }] }), c: delay() };
    const handle = await start(temporal.client, temporal.worker.taskQueue, config(resources));
    const status = await waitFor(handle, (s) => s.status === 'paused');
    expect(statusesByResource(status)).toEqual({ a: 'completed', b: 'paused', c: 'completed' });
    await handle.signal('continue', {});
    expect(statusesByResource(await result(handle))).toEqual({ a: 'completed', b: 'completed', c: 'completed' });
  });

  it('stops the run after the predecessor of an end edge and leaves the rest pending', async () => {
    const resources = {
      a: delay(),
      b: delay({}, { depends_on: [{ resource: 'a', edge: 'end' }] }),
      c: delay({}, { depends_on: ['b'] }),
    };
    const status = await result(await start(temporal.client, temporal.worker.taskQueue, config(resources)));
    expect(status.status).toBe('ended');
    expect(statusesByResource(status)).toEqual({ a: 'completed', b: 'pending', c: 'pending' });
  });

  it('passes outputs of completed nodes to the references of later ones', async () => {
    const resources = {
      a: delay({ outputs: { arn: 'arn:test:a', size: 3 } }),
      b: delay({}, { references: { source: 'a', size: 'a.size' } }),
    };
    const status = await result(await start(temporal.client, temporal.worker.taskQueue, config(resources)));
    expect(status.status).toBe('completed');
    expect(node(status, 'b').status).toBe('completed');
  });
});
