/**
 * Every `pattern` the API publishes (GET /openapi.json, GET /schemas/deployment.json) is an
 * ECMA-262 regular expression as JSON Schema and OpenAPI read it (Unicode mode, no flags: a
 * JavaScript flag copied into the string, `^…$/i`, compiles but matches nothing), and accepts the
 * examples documented beside it. Generated clients and validators compile these patterns.
 */
import { randomUUID } from 'node:crypto';
import { testApi, unreachableClient } from './helpers/app';

const api = testApi({ client: unreachableClient() });

interface Found {
  readonly where: string;
  readonly pattern: string;
  readonly examples: unknown[];
}

const examplesOf = (node: Record<string, unknown>): unknown[] => [
  ...('example' in node ? [node['example']] : []),
  ...(Array.isArray(node['examples']) ? (node['examples'] as unknown[]) : []),
];

/** Each schema with a pattern, with its examples and those of the parameter it describes. */
function patternsIn(value: unknown, where = '#', inherited: unknown[] = []): Found[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => patternsIn(item, `${where}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  const node = value as Record<string, unknown>;
  const own =
    typeof node['pattern'] === 'string'
      ? [{ where, pattern: node['pattern'], examples: [...inherited, ...examplesOf(node)] }]
      : [];
  return [
    ...own,
    ...Object.entries(node).flatMap(([key, child]) =>
      key === 'schema' && 'in' in node
        ? patternsIn(child, `${where}(${String(node['name'])})/schema`, examplesOf(node))
        : patternsIn(child, `${where}/${key}`),
    ),
  ];
}

let patterns: Found[];
beforeAll(async () => {
  const { document } = await api.openApi();
  const deploymentSchema = (await api.get('/schemas/deployment.json')).body as unknown;
  patterns = [...patternsIn(document, 'openapi.json#'), ...patternsIn(deploymentSchema, 'deployment.json#')];
});

describe('patterns in the published schemas', () => {
  it('finds them', () => {
    expect(patterns.length).toBeGreaterThan(20);
    expect(patterns.filter((found) => found.examples.length > 0).length).toBeGreaterThan(10);
  });

  it('compile as ECMA-262 regular expressions in Unicode mode, with no JavaScript flags copied in', () => {
    const broken = patterns.flatMap(({ where, pattern }) => {
      try {
        new RegExp(pattern, 'u');
      } catch (err) {
        return [`${where}: ${(err as Error).message}`];
      }
      return /\/[dgimsuvy]+$/.test(pattern) ? [`${where}: ${pattern} ends in a regex flag`] : [];
    });
    expect(broken).toEqual([]);
  });

  it('accept the examples documented with them', () => {
    const rejected = patterns.flatMap(({ where, pattern, examples }) =>
      examples
        .filter((example) => typeof example !== 'string' || !new RegExp(pattern, 'u').test(example))
        .map((example) => `${where}: ${pattern} rejects ${JSON.stringify(example)}`),
    );
    expect(rejected).toEqual([]);
  });

  it('accept a real run id wherever a run_id is asked for', () => {
    const runIds = patterns.filter(({ where }) => /run_id\b/.test(where));
    expect(runIds.length).toBeGreaterThanOrEqual(8);
    const runId = randomUUID();
    expect(runIds.filter(({ pattern }) => !new RegExp(pattern, 'u').test(runId))).toEqual([]);
  });
});
