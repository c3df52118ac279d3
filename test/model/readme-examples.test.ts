/**
 * The README stays true: every JSON config it shows (a ```json block, the body of a curl
 * example, or a file written by a heredoc, with a deployment_id and resources) passes the
 * validator users' requests go through. Sealed values in examples are placeholders, so only their
 * shape is checked by the schema.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registry } from '../../src/resources/registry';
import { validateConfig } from '../../src/model/validate-config';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/**
 * A shell variable standing for a sealed value, a zip or an access key id in a heredoc: valid base64
 * and a valid access key id (AWS's documented example), so only the config around it is checked.
 */
const PLACEHOLDER = 'AKIAIOSFODNN7EXAMPLE';

/** The body of `cat > file.json <<EOF … EOF`, its "$VARIABLES" replaced by the placeholder. */
const heredocBodies = (block: string): string[] =>
  [...block.matchAll(/<<'?EOF'?\n([\s\S]*?)\nEOF/g)].map((m) => (m[1] ?? '').replace(/"\$\{?[A-Z_][A-Z0-9_]*\}?"/g, `"${PLACEHOLDER}"`));

/** Top-level JSON objects in fenced blocks, including `-d '…'` bodies of curl commands and heredoc files. */
function jsonDocuments(markdown: string): unknown[] {
  const blocks = [...markdown.matchAll(/```(?:json|bash|sh)\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const candidates = blocks.flatMap((block) => [block, ...[...block.matchAll(/-d '([\s\S]*?)'/g)].map((m) => m[1] ?? ''), ...heredocBodies(block)]);
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

it('writes only parseable JSON in its heredoc config files', () => {
  const blocks = [...readme.matchAll(/```(?:bash|sh)\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const unparseable = blocks.flatMap(heredocBodies).filter((body) => body.includes('"resources"')).filter((body) => {
    try {
      JSON.parse(body);
      return false;
    } catch {
      return true;
    }
  });
  expect(unparseable).toEqual([]);
});

it('shows at least one deployment config', () => {
  expect(configs.length).toBeGreaterThan(0);
});

it.each(configs.map((c, i) => [i, c]))('README config #%i is valid', (_i, config) => {
  const result = validateConfig(config, registry);
  expect(result.ok ? [] : result.errors).toEqual([]);
});
