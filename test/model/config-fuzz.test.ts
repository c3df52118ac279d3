/**
 * Config fuzzing: arbitrary JSON and near-valid configs (a valid config with a few random
 * mutations) never crash the validator, which always answers `{ ok: true, config }` or
 * `{ ok: false, errors }` with a path and a message per error; through the API, /deploy/plan and
 * /deploy/apply never answer 5xx, a rejected config is a 400 in the documented error shape, and
 * no run is ever started. Runs per property: FC_NUM_RUNS (200 by default; `npm run chaos` uses more).
 */
import fc from 'fast-check';
import type { Client } from '@temporalio/client';
import { registry } from '../../src/resources/registry';
import { validateConfig, type ValidationResult } from '../../src/model/validate-config';
import { testApi } from '../api/helpers/app';
import type { Http } from '../api/helpers/http';
import { testClient, uniqueId } from '../../support/temporal';
import { RUNS } from './runs';

type Json = Record<string, unknown>;

/** A valid config of 1–6 core resources, each depending on some earlier ones. */
const validConfig: fc.Arbitrary<Json> = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc
    .tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.record({
          type: fc.constantFrom('core:delay', 'core:approval'),
          deps: fc.subarray(Array.from({ length: i }, (_, j) => `r${j}`)),
          duration: fc.nat({ max: 1_000 }),
        }),
      ),
    )
    .map((resources) => ({
      deployment_id: 'fuzz-app',
      version: 'v1',
      settings: { max_parallel: 4, on_failure: 'halt', scheduler: 'fifo' },
      resources: Object.fromEntries(
        resources.map((r, i) => [
          `r${i}`,
          {
            type: r.type,
            properties: r.type === 'core:delay' ? { duration_ms: r.duration } : {},
            depends_on: r.deps,
          },
        ]),
      ),
    })),
);

const PATHS: readonly (readonly (string | number)[])[] = [
  [],
  ['deployment_id'],
  ['version'],
  ['credentials'],
  ['credentials', 'github'],
  ['credentials', 'aws', 'access_key_id'],
  ['targets'],
  ['targets', 0],
  ['targets', 0, 'regions'],
  ['settings'],
  ['settings', 'max_parallel'],
  ['settings', 'scheduler'],
  ['settings', 'retry'],
  ['settings', 'retry', 'initial_interval'],
  ['settings', 'node_timeout'],
  ['resources'],
  ['resources', 'r0'],
  ['resources', 'r0', 'type'],
  ['resources', 'r0', 'properties'],
  ['resources', 'r0', 'properties', 'duration_ms'],
  ['resources', 'r0', 'depends_on'],
  ['resources', 'r0', 'depends_on', 0],
  ['resources', 'r0', 'references'],
  ['resources', 'r0', 'references', 'x'],
  ['resources', 'r0', 'region'],
  ['resources', 'r0', 'tags'],
  ['resources', 'r0', 'colour'],
  ['resources', 'R!'],
  ['resources', 'r1', 'operation'],
];

/** Sets (or with `undefined`, deletes) the value at `path`, creating containers on the way. */
function mutate(config: Json, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: Json = JSON.parse(JSON.stringify(config)) as Json;
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    at = (at[key] = typeof next === 'object' && next !== null ? next : {}) as Record<string | number, unknown>;
  }
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

const mutation = fc.record({
  path: fc.constantFrom(...PATHS),
  value: fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(
      'r0',
      'ghost',
      'r0.out',
      'r9[us-east-1].arn',
      'core:nope',
      'aws:iam:role',
      'us-east-1',
      '1s',
      -1,
      0,
      1e9,
      '',
      'x'.repeat(300),
    ),
    fc.constant(['r0', { resource: 'r1', edge: 'pause' }, { resource: 'r0', edge: 'sideways' }]),
  ),
});

const nearValid: fc.Arbitrary<unknown> = fc
  .tuple(validConfig, fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([config, steps]) =>
    steps.reduce<unknown>(
      (c, step) =>
        typeof c === 'object' && c !== null && !Array.isArray(c) ? mutate(c as Json, step.path, step.value) : c,
      config,
    ),
  );

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }),
  fc.dictionary(
    fc.constantFrom('deployment_id', 'version', 'resources', 'settings', 'targets', 'credentials', 'extra'),
    fc.jsonValue({ maxDepth: 4 }),
  ),
);

function expectWellFormed(result: ValidationResult): void {
  if (result.ok) {
    expect(Object.keys(result.config.resources).length).toBeGreaterThan(0);
    return;
  }
  expect(result.errors.length).toBeGreaterThan(0);
  for (const error of result.errors) {
    expect(typeof error.path).toBe('string');
    expect(typeof error.message).toBe('string');
    expect(error.message.length).toBeGreaterThan(0);
  }
}

describe('validateConfig under fuzzing', () => {
  it('answers ok or errors with a path and a message for arbitrary JSON', () => {
    fc.assert(
      fc.property(anyJson, (input) => expectWellFormed(validateConfig(input, registry))),
      { numRuns: RUNS },
    );
  });

  it('answers ok or errors with a path and a message for near-valid configs', () => {
    fc.assert(
      fc.property(nearValid, (input) => expectWellFormed(validateConfig(input, registry))),
      { numRuns: RUNS },
    );
  });

  it('accepts the unmutated configs the fuzzer starts from', () => {
    fc.assert(
      fc.property(validConfig, (input) => expect(validateConfig(input, registry).ok).toBe(true)),
      { numRuns: Math.min(RUNS, 100) },
    );
  });
});

describe('plan and apply under fuzzing', () => {
  let client: Client;
  let close: () => Promise<void>;
  let api: Http;
  const taskQueue = uniqueId('fuzz-no-worker');
  let rejected = 0;

  beforeAll(async () => {
    ({ client, close } = await testClient());
    // thousands of requests a minute at FC_NUM_RUNS=1000: above the default rate limit, which is not under test here
    api = testApi({ client, taskQueue, limits: { rateLimit: { windowMs: 60_000, limit: 1_000_000 } } });
  });
  afterAll(() => close?.());

  it('never answers 5xx, rejects invalid configs with a 400 naming fields, and starts no run', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(nearValid, anyJson), async (input) => {
        const valid = validateConfig(input, registry).ok;
        const plan = await api.post('/deploy/plan', { config: input });
        expect(plan.status).toBe(valid ? 200 : 400);
        if (valid) return;
        rejected += 1;
        const issues = plan.body.error.details.issues as { path: string; message: string }[];
        expect(issues.length).toBeGreaterThan(0);
        for (const issue of issues)
          expect([issue.path.startsWith('config'), issue.message.length > 0]).toEqual([true, true]);
        const apply = await api.post('/deploy/apply', { config: input });
        expect(apply.status).toBe(400);
        // A missing config: apply also takes a saved plan's graph_id instead, and says so.
        const missing = (details: { issues: { path: string }[] }) => details.issues.map((issue) => issue.path);
        if (input === undefined) expect(missing(apply.body.error.details)).toEqual(missing(plan.body.error.details));
        else expect(apply.body.error.details).toEqual(plan.body.error.details);
      }),
      { numRuns: RUNS },
    );
    expect(rejected).toBeGreaterThan(RUNS / 4);
    expect((await client.workflow.count(`TaskQueue = '${taskQueue}'`)).count).toBe(0);
  });
});
