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
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { registry } from '../../src/resources/registry';
import { validateConfig } from '../../src/model/validate-config';
import { configsIn, docFiles, heredocBodies, jsonDocuments, read, ROOT, shellBlocks } from './helpers/doc-configs';

const README_MAX_LINES = 200;

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
