/**
 * 1. Step latency: from a node's last predecessor completing to the node's activity starting, on a
 * chain and on a wide fan-out of zero-duration core:delay nodes. Both ends come from the ledger
 * (each apply records the moment it ran), so the figure is the whole orchestration round trip:
 * activity result → workflow task → next activity scheduled → polled → running.
 */
import { config } from '../../support/deployments';
import { chain, fanOut } from '../lib/graphs';
import { applyTimes, nodeIds, runToEnd, type Harness } from '../lib/harness';
import type { Report } from '../lib/report';
import { describe, distribution } from '../lib/stats';

export async function stepLatency(h: Harness, report: Report, sizes: { chain: number; fanOut: number }): Promise<void> {
  const taskQueue = (h.worker as NonNullable<Harness['worker']>).taskQueue;
  const onChain = await runToEnd(h.client, taskQueue, config(chain(sizes.chain).resources, { max_parallel: 10 }));
  const chainTimes = await applyTimes(h.ledger, onChain.runKey);
  const ids = nodeIds(onChain.status);
  const at = (times: Map<string, number>, resource: string): number => times.get(ids.get(resource) ?? '') ?? NaN;
  const chainGaps = Array.from(
    { length: sizes.chain - 1 },
    (_, i) => at(chainTimes, `n${i + 1}`) - at(chainTimes, `n${i}`),
  );

  const wide = await runToEnd(
    h.client,
    taskQueue,
    config(fanOut(sizes.fanOut).resources, { max_parallel: Math.min(1_000, sizes.fanOut) }),
  );
  const wideIds = nodeIds(wide.status);
  const wideTimes = await applyTimes(h.ledger, wide.runKey);
  const root = wideTimes.get(wideIds.get('n0') ?? '') ?? NaN;
  const fanGaps = Array.from(
    { length: sizes.fanOut },
    (_, i) => (wideTimes.get(wideIds.get(`n${i + 1}`) ?? '') ?? NaN) - root,
  );

  const onChainDist = distribution(chainGaps.filter(Number.isFinite));
  const fanDist = distribution(fanGaps.filter(Number.isFinite));
  report.data['step_latency'] = {
    chain: { nodes: sizes.chain, wall_ms: onChain.wallMs, ...onChainDist },
    fan_out: { width: sizes.fanOut, wall_ms: wide.wallMs, ...fanDist },
  };
  report.rows.push(
    {
      section: '1 step latency',
      metric: `${sizes.chain}-node chain`,
      value: describe(onChainDist),
      note: `run wall ${Math.round(onChain.wallMs)} ms`,
    },
    {
      section: '1 step latency',
      metric: `fan-out 1 → ${sizes.fanOut}`,
      value: describe(fanDist),
      note: `max_parallel ${Math.min(1_000, sizes.fanOut)}; root done → child running`,
    },
  );
}
