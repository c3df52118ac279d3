/**
 * `core:wait`: a soak time (Spinnaker's Wait stage): the node completes `duration` after it
 * started, on a durable timer, holding no worker meanwhile and surviving restarts (the engine's
 * pending wait, src/workflows/pending-wait.ts). Between a canary and the full rollout, or before
 * a release's notes go out. It changes nothing, so there is nothing to undo, verify or destroy.
 */
import { z } from 'zod';
import { durationSchema } from '../../model/duration';
import type { ApplyResult, ResourceType } from '../resource-type';

const properties = z
  .object({
    duration: durationSchema.meta({ description: 'How long the node waits, e.g. "30m", "2h"' }),
  })
  .strict();

export type WaitProperties = z.output<typeof properties>;

/** Past the end by this much the wait counts as lost (a clock far off): the node fails instead of waiting on. */
const SLACK_MS = 5 * 60_000;

/** Done once `until` has passed, else pending until then, to the millisecond. */
function untilThen(until: number, duration: number): ApplyResult {
  const left = until - Date.now();
  if (left <= 0) return { outputs: { waited_ms: duration, ended_at: new Date(until).toISOString() }, undo: null };
  return {
    outputs: {},
    undo: null,
    pending: {
      state: { until },
      waiting_on: `the wait of ${duration} ms, until ${new Date(until).toISOString()}`,
      interval_ms: left,
      max_interval_ms: left,
      timeout_ms: duration + SLACK_MS,
      jitter: false,
    },
  };
}

export const coreWait: ResourceType<WaitProperties> = {
  type: 'core:wait',
  provider: 'core',
  description: 'Waits `duration` on a durable timer (no worker held), then completes: a soak time between steps.',
  regional: false,
  properties,
  plan: () => Promise.resolve({ action: 'create', diff: [], warnings: [] }),
  apply: (_ctx, target) =>
    Promise.resolve(untilThen(Date.now() + target.properties.duration, target.properties.duration)),
  poll: (_ctx, target, state) => Promise.resolve(untilThen(Number(state['until']), target.properties.duration)),
  verify: () => Promise.resolve({ drift: [] }),
  compensate: () => Promise.resolve({ outcome: 'nothing to undo (a wait)' }),
  destroy: () => Promise.resolve(),
};
