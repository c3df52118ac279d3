/**
 * `core:wait`: a soak time (Spinnaker's Wait stage): the node completes `duration` after it
 * started, on a durable timer, holding no worker meanwhile and surviving restarts (the engine's
 * pending wait, src/workflows/pending-wait.ts). Between a canary and the full rollout, or before
 * a release's notes go out. It changes nothing, so there is nothing to undo, verify or destroy.
 */
import { z } from 'zod';
import { durationSchema } from '../../model/duration-schema';
import type { ApplyResult, ResourceType } from '../resource-type';

const properties = z
  .object({
    duration: durationSchema.meta({ description: 'How long the node waits, e.g. "30m", "2h"' }),
  })
  .strict();

export type WaitProperties = z.output<typeof properties>;

/**
 * Pending for the whole duration, looked at once when it is over: the run's own timer measures
 * it (the workflow's clock, as the server keeps it), so no worker's clock can shorten or stretch it.
 */
const waitFor = (duration: number): ApplyResult => ({
  outputs: {},
  undo: null,
  pending: {
    state: {},
    waiting_on: `the wait of ${duration} ms`,
    interval_ms: Math.max(1, duration),
    max_interval_ms: Math.max(1, duration),
    timeout_ms: duration + 60_000,
    jitter: false,
  },
});

export const coreWait: ResourceType<WaitProperties> = {
  type: 'core:wait',
  provider: 'core',
  description: 'Waits `duration` on a durable timer (no worker held), then completes: a soak time between steps.',
  regional: false,
  properties,
  plan: () => Promise.resolve({ action: 'create', diff: [], warnings: [] }),
  apply: (_ctx, target) => Promise.resolve(waitFor(target.properties.duration)),
  poll: (_ctx, target) => Promise.resolve({ outputs: { waited_ms: target.properties.duration }, undo: null }),
  verify: () => Promise.resolve({ drift: [] }),
  compensate: () => Promise.resolve({ outcome: 'nothing to undo (a wait)' }),
  destroy: () => Promise.resolve(),
};
