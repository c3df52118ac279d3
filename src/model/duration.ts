/**
 * Durations in configs: a number of milliseconds or a string like `500ms`, `30s`, `5m`, `24h`, `7d`.
 * A duration is a whole number of milliseconds no larger than Number.MAX_SAFE_INTEGER; settings
 * that reach Temporal (timeouts, retry intervals) take a `boundedDuration` (duration-schema.ts)
 * with their own range. Without zod: workflows read durations too.
 */

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** The longest duration: the largest safe integer of milliseconds (about 285,000 years). */
export const MAX_DURATION_MS = Number.MAX_SAFE_INTEGER;

/** Milliseconds as written, however large (Infinity for absurdly many digits); null when not a duration. */
export function writtenMs(value: string | number): number | null {
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
