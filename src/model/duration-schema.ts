/** zod schemas of durations (duration.ts): any duration, or one within a setting's own range. */
import { z } from 'zod';
import { MAX_DURATION_MS, parseDuration, writtenMs } from './duration';

const EXAMPLES = 'use milliseconds or e.g. "500ms", "30s", "5m", "24h", "7d"';

const shown = (value: string | number): string => (typeof value === 'number' ? `${value} ms` : `"${value}"`);

/** A duration's range, each end as written in messages and docs (`"1s"`) or in milliseconds. */
export interface DurationBounds {
  readonly min: string | number;
  readonly max: string | number;
}

const boundMs = (bound: string | number): number => {
  const ms = parseDuration(bound);
  if (ms === null) throw new Error(`invalid duration bound ${String(bound)}`);
  return ms;
};

/** A duration schema: milliseconds from `min` to `max`, `outside` the message for any other length. */
function durationIn(min: number, max: number, outside: (value: string | number) => string, description: string) {
  const input = z.union([z.number(), z.string()]).meta({ description });
  return input.transform((value, ctx) => {
    const ms = writtenMs(value);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `${shown(value)} is not a duration: ${EXAMPLES}` });
      return z.NEVER;
    }
    const rounded = Math.round(ms);
    if (!(rounded >= min && rounded <= max)) {
      ctx.addIssue({ code: 'custom', message: outside(value) });
      return z.NEVER;
    }
    return rounded;
  });
}

/**
 * zod schema of a duration in milliseconds between `bounds.min` and `bounds.max` (inclusive). A
 * value outside, also one too long to represent, is one issue naming `field` and the range.
 */
export function boundedDuration(field: string, bounds: DurationBounds) {
  const range = `between ${String(bounds.min)} and ${String(bounds.max)}`;
  return durationIn(
    boundMs(bounds.min),
    boundMs(bounds.max),
    (value) => `${field} must be ${range}, not ${shown(value)}`,
    `A duration ${range}: milliseconds or a string such as "500ms", "30s", "5m", "24h", "7d"`,
  );
}

/** zod schema of any duration (0 to MAX_DURATION_MS) that parses to milliseconds. */
export const durationSchema = durationIn(
  0,
  MAX_DURATION_MS,
  (value) => `${shown(value)} is too long: a duration is at most ${MAX_DURATION_MS} ms`,
  'A duration: milliseconds or a string such as "500ms", "30s", "5m", "24h", "7d"',
);
