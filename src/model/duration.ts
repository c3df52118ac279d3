/**
 * Durations in configs: a number of milliseconds or a string like `500ms`, `30s`, `5m`, `24h`, `7d`.
 * A duration is a whole number of milliseconds no larger than Number.MAX_SAFE_INTEGER; settings
 * that reach Temporal (timeouts, retry intervals) take a `boundedDuration` with their own range.
 */
import { z } from 'zod';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** The longest duration: the largest safe integer of milliseconds (about 285,000 years). */
export const MAX_DURATION_MS = Number.MAX_SAFE_INTEGER;

const EXAMPLES = 'use milliseconds or e.g. "500ms", "30s", "5m", "24h", "7d"';

/** Milliseconds as written, however large (Infinity for absurdly many digits); null when not a duration. */
function writtenMs(value: string | number): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : null;
  const match = PATTERN.exec(value.trim());
  if (!match) return null;
  return Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
}

/** Milliseconds, or null when `value` is not a duration or is longer than MAX_DURATION_MS. */
export function parseDuration(value: string | number): number | null {
  const ms = writtenMs(value);
  if (ms === null || !Number.isFinite(ms)) return null;
  const rounded = Math.round(ms);
  return rounded <= MAX_DURATION_MS ? rounded : null;
}

/** Milliseconds in the configs' own notation, in the largest unit that divides them: `66m`, `3s`, `1500ms`. */
export function formatDuration(ms: number): string {
  const unit = ['d', 'h', 'm', 's'].find((name) => ms > 0 && ms % (UNIT_MS[name] ?? 1) === 0) ?? 'ms';
  return `${ms / (UNIT_MS[unit] ?? 1)}${unit}`;
}

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
