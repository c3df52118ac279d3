/**
 * settings.limits on a real Temporal server: a per-type or per-provider limit, not max_parallel,
 * decides how many nodes are in flight and in what order they start (the critical path first
 * among the nodes it lets through), other types go on beside them, and a rollback's compensations
 * keep the same limits.
 */
import type { NodeState, RunStatus } from '../../src/model/run-types';
import { logsQuery } from '../../src/workflows/messages';
import { config, delay, node, result, start, type Resources } from '../../support/deployments';
import { useTemporal } from '../../support/temporal';

const temporal = useTemporal();

const ms = (iso: string | null): number => new Date(iso as string).getTime();

/** The most nodes of `nodes` running at one instant (from their start and completion times). */
function peakInFlight(nodes: readonly NodeState[]): number {
  const events = nodes.flatMap((n) => [[ms(n.started_at), 1] as const, [ms(n.completed_at), -1] as const]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // an end and a start at the same instant do not overlap
  let current = 0;
  let peak = 0;
  for (const [, delta] of events) peak = Math.max(peak, (current += delta));
  return peak;
}

const startOrder = (status: RunStatus, type: string): string[] =>
  status.nodes
    .filter((n) => n.type === type)
    .sort((a, b) => ms(a.started_at) - ms(b.started_at))
    .map((n) => n.resource_id);

/** A chain a → a2 → a3 → a4 (the critical path) beside b and c, all core:delay, and two core:wait soaks. */
const resources: Resources = {
  a: delay({ duration_ms: 300 }),
  a2: delay({ duration_ms: 300 }, { depends_on: ['a'] }),
  a3: delay({ duration_ms: 300 }, { depends_on: ['a2'] }),
  a4: delay({ duration_ms: 300 }, { depends_on: ['a3'] }),
  b: delay({ duration_ms: 300 }),
  c: delay({ duration_ms: 300 }),
  w1: { type: 'core:wait', properties: { duration: '1s' } },
  w2: { type: 'core:wait', properties: { duration: '1s' } },
};

const run = async (settings: Record<string, unknown>): Promise<RunStatus> => {
  const handle = await start(temporal.client, temporal.worker.taskQueue, config(resources, settings));
  const done = await result(handle);
  expect(done.status).toBe('completed');
  return done;
};

const ofType = (status: RunStatus, type: string) => status.nodes.filter((n) => n.type === type);

it('a type limit of 1 runs that type one at a time, critical path first, while other types go on', async () => {
  const limited = await run({ max_parallel: 10, limits: { 'core:delay': 1 } });
  expect(peakInFlight(ofType(limited, 'core:delay'))).toBe(1);
  // The chain's nodes each have a longer path ahead than b and c (until a4: a tie), so each goes first.
  expect(startOrder(limited, 'core:delay').slice(0, 3)).toEqual(['a', 'a2', 'a3']);
  // The soaks are not limited: both started with the first delay, before it ended.
  for (const wait of ['w1', 'w2'])
    expect(ms(node(limited, wait).started_at)).toBeLessThan(ms(node(limited, 'a').completed_at));
  expect(peakInFlight(limited.nodes)).toBeGreaterThanOrEqual(3);

  // Without the limit, max_parallel alone lets a, b and c start together.
  const free = await run({ max_parallel: 10 });
  expect(peakInFlight(ofType(free, 'core:delay'))).toBe(3);
});

it('a provider limit bounds every type of that provider together', async () => {
  const limited = await run({ max_parallel: 10, limits: { core: 2 } });
  expect(peakInFlight(limited.nodes)).toBe(2);
});

it('a rollback compensates within the limits too', async () => {
  const cfg = config(
    {
      a: delay({ duration_ms: 50 }),
      b: delay({ duration_ms: 50 }),
      c: delay({ duration_ms: 50 }),
      last: delay({ fail_times: 1, fail_message: 'boom' }, { depends_on: ['a', 'b', 'c'] }),
    },
    { on_failure: 'rollback', max_parallel: 10, limits: { 'core:delay': 1 } },
  );
  const handle = await start(temporal.client, temporal.worker.taskQueue, cfg);
  const done = await result(handle);
  expect(done.status).toBe('rolled_back');
  const logs = await handle.query(logsQuery, {});
  // Each compensation starts only after the one before it finished.
  let inFlight = 0;
  let peak = 0;
  for (const entry of logs) {
    if (entry.message === 'compensating') peak = Math.max(peak, (inFlight += 1));
    if (entry.message.startsWith('compensation:')) inFlight -= 1;
  }
  expect(peak).toBe(1);
  expect(logs.filter((l) => l.message === 'compensating')).toHaveLength(3);
});
