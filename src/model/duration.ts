/** Durations in configs: a number of milliseconds or a string like `500ms`, `30s`, `5m`, `24h`, `7d`. */
import { z } from 'zod';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

export function parseDuration(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
  const match = PATTERN.exec(value.trim());
  if (!match) return null;
  return Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN));
}

/** zod schema of a duration that parses to milliseconds. */
export const durationSchema = z.union([z.number().int().nonnegative(), z.string()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === null) {
    ctx.addIssue({
      code: 'custom',
      message: `"${String(value)}" is not a duration: use milliseconds or e.g. "500ms", "30s", "5m", "24h", "7d"`,
    });
    return z.NEVER;
  }
  return ms;
});
