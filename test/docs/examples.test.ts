/**
 * The docs stay true. For README.md and every docs/**\/*.md:
 * - every JSON config it shows (a ```json block, the body of a curl example, or a file written by
 *   a heredoc, with a deployment_id and resources) passes the validator users' requests go
 *   through. Sealed values in examples are placeholders, so only their shape is checked by the
 *   schema;
 * - every heredoc config file it writes is parseable JSON;
 * - every relative markdown link points at a file that exists (anchors are not checked).
 * And the README stays a first screen: at most 200 lines.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { registry } from '../../src/resources/registry';
import { validateConfig } from '../../src/model/validate-config';

const ROOT = join(__dirname, '..', '..');
const README_MAX_LINES = 200;

/** README.md, then every markdown file under docs/, as paths relative to the repository root. */
const docFiles: string[] = [
  'README.md',
  ...(existsSync(join(ROOT, 'docs'))
    ? readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.md'))
        .map((file) => join('docs', file))
        .sort()
    : []),
];

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

/**
 * A shell variable standing for a sealed value, a zip or an access key id in a heredoc: valid base64
 * and a valid access key id (AWS's documented example), so only the config around it is checked.
 */
const PLACEHOLDER = 'AKIAIOSFODNN7EXAMPLE';

/** The body of `cat > file.json <<EOF … EOF`, its "$VARIABLES" replaced by the placeholder. */
const heredocBodies = (block: string): string[] =>
  [...block.matchAll(/<<'?EOF'?\n([\s\S]*?)\nEOF/g)].map((m) =>
    (m[1] ?? '').replace(/"\$\{?[A-Z_][A-Z0-9_]*\}?"/g, `"${PLACEHOLDER}"`),
  );

const shellBlocks = (markdown: string): string[] =>
  [...markdown.matchAll(/```(?:bash|sh)\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

/** Top-level JSON objects in fenced blocks, including `-d '…'` bodies of curl commands and heredoc files. */
function jsonDocuments(markdown: string): unknown[] {
  const blocks = [...markdown.matchAll(/```(?:json|bash|sh)\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const candidates = blocks.flatMap((block) => [
    block,
    ...[...block.matchAll(/-d '([\s\S]*?)'/g)].map((m) => m[1] ?? ''),
    ...heredocBodies(block),
  ]);
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

/** Heredoc config files (they mention "resources") that are not JSON. */
const unparseableHeredocs = (markdown: string): string[] =>
  shellBlocks(markdown)
    .flatMap(heredocBodies)
    .filter((body) => body.includes('"resources"'))
    .filter((body) => {
      try {
        JSON.parse(body);
        return false;
      } catch {
        return true;
      }
    });

/**
 * Targets of markdown links `[text](target)` outside code (fenced blocks and inline code spans),
 * without external URLs and same-page anchors.
 */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map((m) => m[1] ?? '')
    .filter((target) => target !== '' && !target.startsWith('#') && !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** Links whose file (the part before any `#anchor` or `?query`) does not exist, as `target → resolved path`. */
const brokenLinks = (file: string, markdown: string): string[] =>
  relativeLinks(markdown).flatMap((target) => {
    const path = decodeURIComponent(target.replace(/[#?].*$/, ''));
    const resolved = resolve(ROOT, dirname(file), path);
    return existsSync(resolved) ? [] : [`${target} → ${relative(ROOT, resolved)} (missing)`];
  });

describe('README.md', () => {
  const readme = read('README.md');

  it(`is at most ${README_MAX_LINES} lines`, () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('shows at least one deployment config', () => {
    expect(jsonDocuments(readme).flatMap(configsIn).length).toBeGreaterThan(0);
  });
});

it('finds the docs', () => {
  expect(docFiles).toEqual(expect.arrayContaining(['README.md', join('docs', 'README.md')]));
});

describe.each(docFiles)('%s', (file) => {
  const markdown = read(file);
  const configs = jsonDocuments(markdown).flatMap(configsIn);

  it('writes only parseable JSON in its heredoc config files', () => {
    expect(unparseableHeredocs(markdown)).toEqual([]);
  });

  it('links only to files that exist', () => {
    expect(brokenLinks(file, markdown)).toEqual([]);
  });

  if (configs.length > 0) {
    it.each(configs.map((config, i) => [i, (config as { deployment_id?: unknown }).deployment_id, config]))(
      `${file} config #%i (%s) is valid`,
      (_i, _id, config) => {
        const result = validateConfig(config, registry);
        expect(result.ok ? [] : result.errors).toEqual([]);
      },
    );
  }
});
