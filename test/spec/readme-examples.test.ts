/**
 * The README stays true: every JSON config it shows (a ```json block, or the body of a curl
 * example, with a deployment_id and resources) passes the validator users' requests go through.
 * Sealed values in examples are placeholders, so only their shape is checked by the schema.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registry } from '../../src/resources/registry';
import { validateConfig } from '../../src/spec/validate-config';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** Top-level JSON objects in fenced blocks, including `-d '…'` bodies of curl commands. */
function jsonDocuments(markdown: string): unknown[] {
  const blocks = [...markdown.matchAll(/```(?:json|bash|sh)\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const candidates = blocks.flatMap((block) => [block, ...[...block.matchAll(/-d '([\s\S]*?)'/g)].map((m) => m[1] ?? '')]);
  return candidates.flatMap((text) => {
    try {
      return [JSON.parse(text) as unknown];
    } catch {
      return [];
    }
  });
}

const configsIn = (doc: unknown): unknown[] => {
  if (typeof doc !== 'object' || doc === null) return [];
  const record = doc as Record<string, unknown>;
  if ('deployment_id' in record && 'resources' in record) return [record];
  return 'config' in record ? configsIn(record['config']) : [];
};

const configs = jsonDocuments(readme).flatMap(configsIn);

it('shows at least one deployment config', () => {
  expect(configs.length).toBeGreaterThan(0);
});

it.each(configs.map((c, i) => [i, c]))('README config #%i is valid', (_i, config) => {
  const result = validateConfig(config, registry);
  expect(result.ok ? [] : result.errors).toEqual([]);
});
