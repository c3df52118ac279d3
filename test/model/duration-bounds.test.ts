/**
 * Issue 23, item 7: every duration and number setting of a config has a range, so a value that
 * would wedge a run (a zero timeout, a timer Temporal cannot represent) is refused with one issue
 * naming the field and the range, and parseDuration never answers an absurd number.
 */
import { DEFAULT_NODE_TIMEOUT_MS, resolveSettings, settingsSchema } from '../../src/model/config-schema';
import { formatDuration, parseDuration } from '../../src/model/duration';
import { validateConfig, type ValidationIssue } from '../../src/model/validate-config';
import { catalog } from './catalog';

const issuesOf = (settings: Record<string, unknown>): [string, string][] => {
  const result = settingsSchema.safeParse(settings);
  return result.success ? [] : result.error.issues.map((i) => [i.path.join('.'), i.message]);
};

const configErrors = (extra: Record<string, unknown>): ValidationIssue[] => {
  const result = validateConfig(
    { deployment_id: 'my-app', resources: { a: { type: 'core:delay' } }, ...extra },
    catalog,
  );
  return result.ok ? [] : result.errors;
};

describe('parseDuration', () => {
  it('reads milliseconds and unit strings', () => {
    expect(['500ms', '90s', '5m', '24h', '7d', '1.5s', 250].map(parseDuration)).toEqual([
      500, 90_000, 300_000, 86_400_000, 604_800_000, 1_500, 250,
    ]);
  });

  it('refuses what is not a finite whole number of milliseconds within Number.MAX_SAFE_INTEGER', () => {
    expect(parseDuration(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    const absurd: (string | number)[] = [
      '99999999999d',
      `${'9'.repeat(400)}ms`,
      Number.MAX_SAFE_INTEGER + 2,
      Number.POSITIVE_INFINITY,
      Number.NaN,
      -1,
      1.5,
      '1e9ms',
      'soon',
    ];
    expect(absurd.map(parseDuration)).toEqual(absurd.map(() => null));
  });
});

/** The documented ranges (docs/reference/config-schema.md#settings). */
const DURATION_BOUNDS: Readonly<Record<string, { min: string; max: string }>> = {
  node_timeout: { min: '1s', max: '24h' },
  heartbeat_timeout: { min: '1s', max: '1h' },
  decision_timeout: { min: '1s', max: '30d' },
  initial_interval: { min: '10ms', max: '1h' },
  max_interval: { min: '10ms', max: '1h' },
};

describe('formatDuration', () => {
  it('writes milliseconds in the largest unit that divides them, as parseDuration reads them back', () => {
    for (const [ms, text] of [
      [3_960_000, '66m'],
      [3_600_000, '1h'],
      [86_400_000, '1d'],
      [3_000, '3s'],
      [1_500, '1500ms'],
      [0, '0ms'],
    ] as const) {
      expect(formatDuration(ms)).toBe(text);
      expect(parseDuration(text)).toBe(ms);
    }
  });
});

describe('settings bounds', () => {
  const fields: [string, (value: unknown) => Record<string, unknown>][] = [
    ['node_timeout', (v) => ({ node_timeout: v })],
    ['heartbeat_timeout', (v) => ({ heartbeat_timeout: v })],
    ['decision_timeout', (v) => ({ decision_timeout: v })],
    ['initial_interval', (v) => ({ retry: { initial_interval: v, max_interval: '1h' } })],
    ['max_interval', (v) => ({ retry: { initial_interval: '10ms', max_interval: v } })],
  ];

  it.each(fields)('%s takes its range, ends included', (field, settings) => {
    const { min, max } = DURATION_BOUNDS[field] ?? { min: '', max: '' };
    expect([issuesOf(settings(min)), issuesOf(settings(max))]).toEqual([[], []]);
    const minMs = parseDuration(min) ?? 0;
    const maxMs = parseDuration(max) ?? 0;
    expect([issuesOf(settings(minMs)), issuesOf(settings(maxMs))]).toEqual([[], []]);
  });

  it.each(fields)(
    '%s refuses 0, too little, too much and too large to represent, naming the field and range',
    (field, settings) => {
      const { min, max } = DURATION_BOUNDS[field] ?? { min: '', max: '' };
      const path = field.endsWith('_interval') ? `retry.${field}` : field;
      const minMs = parseDuration(min) ?? 0;
      const maxMs = parseDuration(max) ?? 0;
      for (const value of [0, minMs - 1, maxMs + 1, '100000000d', '99999999999d', `${'9'.repeat(400)}ms`]) {
        expect(issuesOf(settings(value))).toEqual([
          [
            path,
            `${field} must be between ${min} and ${max}, not ${typeof value === 'number' ? `${value} ms` : `"${value}"`}`,
          ],
        ]);
      }
    },
  );

  it('keeps the defaults within the ranges', () => {
    expect(settingsSchema.parse({}).node_timeout).toBeUndefined(); // the default, or what the node's type needs
    expect(resolveSettings({}).node_timeout_ms).toBe(DEFAULT_NODE_TIMEOUT_MS);
    expect(settingsSchema.parse({})).toMatchObject({
      heartbeat_timeout: 30_000,
      decision_timeout: 604_800_000,
      retry: { max_attempts: 5, initial_interval: 1_000, max_interval: 30_000, backoff: 2 },
    });
  });

  it('bounds max_attempts, backoff and max_parallel, naming the field and range', () => {
    expect(issuesOf({ max_parallel: 0, retry: { max_attempts: 101, backoff: 0.5 } })).toEqual([
      ['max_parallel', 'max_parallel must be a whole number between 1 and 1000'],
      ['retry.max_attempts', 'max_attempts must be a whole number between 1 and 100'],
      ['retry.backoff', 'backoff must be between 1 and 10'],
    ]);
    expect(issuesOf({ max_parallel: 1_001, retry: { max_attempts: 1.5, backoff: 11 } }).map(([path]) => path)).toEqual([
      'max_parallel',
      'retry.max_attempts',
      'retry.backoff',
    ]);
  });
});

describe('validateConfig', () => {
  it('reports an out-of-range setting at its path, with the range', () => {
    expect(
      configErrors({
        settings: { node_timeout: 0, decision_timeout: '100000000d', heartbeat_timeout: '99999999999d' },
      }),
    ).toEqual([
      {
        path: 'settings.node_timeout',
        resource_id: null,
        message: 'node_timeout must be between 1s and 24h, not 0 ms',
      },
      {
        path: 'settings.heartbeat_timeout',
        resource_id: null,
        message: 'heartbeat_timeout must be between 1s and 1h, not "99999999999d"',
      },
      {
        path: 'settings.decision_timeout',
        resource_id: null,
        message: 'decision_timeout must be between 1s and 30d, not "100000000d"',
      },
    ]);
  });

  it('refuses an approval timeout too long to represent', () => {
    const errors = configErrors({
      resources: { gate: { type: 'core:approval', properties: { timeout: '99999999999d' } } },
    });
    expect(errors).toEqual([
      expect.objectContaining({
        path: 'resources.gate.properties.timeout',
        message: expect.stringMatching(/too long/),
      }),
    ]);
  });
});
