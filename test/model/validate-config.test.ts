/** Every validation rule reports the resource, the field path and an actionable message, all at once. */
import { validateConfig, MAX_RESOURCES, type ValidationIssue } from '../../src/model/validate-config';
import { catalog } from './catalog';

const base = (resources: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  deployment_id: 'my-app',
  version: 'v1',
  resources,
  ...extra,
});
const errorsOf = (input: unknown): ValidationIssue[] => {
  const result = validateConfig(input, catalog);
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.errors;
};
const twoRegions = { targets: [{ provider: 'aws', regions: ['us-east-1', 'eu-west-1'] }] };

describe('validateConfig', () => {
  it('accepts a valid config and fills in the defaults', () => {
    const result = validateConfig(base({ a: { type: 'core:delay' } }), catalog);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.config.settings).toMatchObject({ max_parallel: 10, on_failure: 'halt', mode: 'FULL' });
  });

  it('reports every problem at once, each with its path and resource', () => {
    const errors = errorsOf(
      base(
        {
          a: { type: 'core:nope' },
          b: { type: 'core:delay', properties: { duration_ms: -1 }, depends_on: ['ghost'] },
          c: { type: 'core:delay', references: { x: 'missing.arn' }, colour: 'red' },
        },
        { deployment_id: 'Bad_Id' },
      ),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'deployment_id', resource_id: null }),
        {
          path: 'resources.a.type',
          resource_id: 'a',
          message:
            'unknown resource type "core:nope"; known types: core:approval, core:delay, test:global-name, test:regional',
        },
        expect.objectContaining({ path: 'resources.b.properties.duration_ms', resource_id: 'b' }),
        {
          path: 'resources.b.depends_on.0',
          resource_id: 'b',
          message: 'depends on "ghost", which is not a resource of this deployment',
        },
        {
          path: 'resources.c.references.x',
          resource_id: 'c',
          message: 'references "missing", which is not a resource of this deployment',
        },
        expect.objectContaining({ path: 'resources.c', resource_id: 'c', message: expect.stringContaining('colour') }),
      ]),
    );
  });

  it('reports a cycle with its path', () => {
    const errors = errorsOf(
      base({
        a: { type: 'core:delay', depends_on: ['c'] },
        b: { type: 'core:delay', depends_on: ['a'] },
        c: { type: 'core:delay', references: { v: 'b.out' } },
      }),
    );
    expect(errors).toEqual([
      { path: 'resources.a.depends_on.0', resource_id: 'a', message: 'dependency cycle: a → b → c → a' },
    ]);
  });

  it('rejects a self-dependency', () => {
    expect(errorsOf(base({ a: { type: 'core:delay', depends_on: ['a'] } }))).toEqual([
      { path: 'resources.a.depends_on.0', resource_id: 'a', message: '"a" cannot depend on itself' },
    ]);
  });

  it('accepts a region-less resource referencing a multi-region one, with or without a region selector', () => {
    for (const v of ['fn.arn', 'fn[eu-west-1].arn'])
      expect(
        validateConfig(
          base(
            {
              fn: { type: 'test:regional', properties: { name: 'f' } },
              s: { type: 'core:delay', references: { v } },
            },
            twoRegions,
          ),
          catalog,
        ).ok,
      ).toBe(true);
  });

  it('rejects selectors that name no node', () => {
    const errors = errorsOf(
      base(
        {
          fn: { type: 'test:regional', properties: { name: 'f' } },
          d: { type: 'core:delay' },
          s: { type: 'core:delay', references: { v: 'fn[ap-south-1].arn', w: 'd[us-east-1].x' } },
        },
        twoRegions,
      ),
    );
    expect(errors.map((e) => e.message)).toEqual([
      '"fn" has no node in ap-south-1 (its regions: us-east-1, eu-west-1)',
      '"d" is not regional: drop the [us-east-1] selector',
    ]);
  });

  it('needs a region for regional resources and rejects bad regions', () => {
    expect(errorsOf(base({ fn: { type: 'test:regional', properties: { name: 'f' } } }))[0]?.message).toContain(
      'is regional: add an aws target with regions',
    );
    expect(
      errorsOf(base({ a: { type: 'core:delay' } }, { targets: [{ provider: 'aws', regions: ['mars-1'] }] }))[0],
    ).toMatchObject({ path: 'targets.0.regions.0' });
  });

  it('rejects duplicate physical names within a region', () => {
    const errors = errorsOf(
      base(
        {
          one: { type: 'test:regional', properties: { name: 'same' } },
          two: { type: 'test:regional', properties: { name: 'same' } },
        },
        twoRegions,
      ),
    );
    expect(errors.map((e) => e.message)).toEqual([
      'duplicate physical name "same in us-east-1": resource "one" has the same test:regional name',
      'duplicate physical name "same in eu-west-1": resource "one" has the same test:regional name',
    ]);
  });

  it('rejects one resource taking a global physical name in several regions', () => {
    const errors = errorsOf(base({ bucket: { type: 'test:global-name', properties: { name: 'assets' } } }, twoRegions));
    expect(errors).toEqual([
      expect.objectContaining({
        path: 'resources.bucket.properties',
        resource_id: 'bucket',
        message:
          'physical name "assets" would be taken in us-east-1 and eu-west-1: test:global-name names are global, so one name cannot serve several regions (pin "region", or let the service name it)',
      }),
    ]);
  });

  it('states the limits it enforces', () => {
    const resources = Object.fromEntries(
      Array.from({ length: MAX_RESOURCES + 1 }, (_, i) => [`r${i}`, { type: 'core:delay' }]),
    );
    expect(errorsOf(base(resources)).map((e) => e.message)).toContain(
      `${(MAX_RESOURCES + 1).toLocaleString('en-US')} resources: the limit is 20,000`,
    );
    expect(
      errorsOf(base({ a: { type: 'core:delay', properties: { outputs: { blob: 'x'.repeat(6 * 1024 * 1024) } } } }))[0]
        ?.message,
    ).toMatch(/the limit is 5,242,880 \(5 MiB\)/);
  });

  it('rejects anything that is not an object', () => {
    expect(errorsOf([1, 2])).toEqual([
      { path: '', resource_id: null, message: 'the deployment config must be a JSON object' },
    ]);
  });
});
