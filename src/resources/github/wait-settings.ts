/**
 * What the release train's GitHub waits share (checks, approval, the merge's run, the run's
 * conclusion, the release): their timing properties (`interval`, `max_interval`, `timeout`,
 * durations with per-type defaults), the pending answer built from them (the engine then looks
 * again on durable timers, src/workflows/pending-wait.ts), and properties that may instead come
 * from the resolved reference of the same name (the deploy pull request's number, a SHA).
 *
 * Nothing here writes to GitHub: no idempotency or compensation story of its own.
 */
import type { z } from 'zod';
import { durationSchema } from '../../model/duration-schema';
import { OperationError } from '../../providers/operation-error';
import type { ApplyResult, NodeTarget, PendingWait } from '../resource-type';

/** Defaults in milliseconds (a zod default is the parsed value). */
export interface TimingDefaults {
  readonly interval: number;
  readonly max_interval: number;
  readonly timeout: number;
}

/** The timing properties of a wait, to spread into its properties' z.object. */
export const timingProperties = (defaults: TimingDefaults) => ({
  interval: durationSchema.default(defaults.interval).meta({ description: 'The first look again after this long' }),
  max_interval: durationSchema
    .default(defaults.max_interval)
    .meta({ description: 'Looks again twice as late each time, up to this' }),
  timeout: durationSchema.default(defaults.timeout).meta({ description: 'The node fails (timeout) past this' }),
});

export type Timing = z.output<z.ZodObject<ReturnType<typeof timingProperties>>>;

/** A pending answer with the node's timing. */
export const pendingAnswer = (
  timing: Timing,
  wait: Pick<PendingWait, 'state' | 'waiting_on' | 'overridable'>,
  undo: Record<string, unknown> | null = null,
): ApplyResult => ({
  outputs: {},
  undo,
  pending: {
    ...wait,
    interval_ms: Math.max(1, timing.interval),
    max_interval_ms: Math.max(1, timing.interval, timing.max_interval),
    timeout_ms: timing.timeout,
  },
});

/** The property, else the resolved reference of the same name; an error naming both when neither is `kind`. */
export function propertyOrRef<K extends 'string' | 'number'>(
  target: NodeTarget<object>,
  name: string,
  kind: K,
): K extends 'string' ? string : number {
  const value = (target.properties as Record<string, unknown>)[name] ?? target.refs[name];
  if (typeof value === kind) return value as K extends 'string' ? string : number;
  throw new OperationError(
    'invalid_input',
    `${target.node.resource_id}: give properties.${name} or references.${name} (a ${kind}; it is ${value === undefined ? 'missing' : typeof value})`,
    { retryable: false },
  );
}
