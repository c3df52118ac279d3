/**
 * The deployment configs the docs show: README.md and every docs/**\/*.md, each JSON config in a
 * ```json block, the body of a curl example, or a file written by a heredoc (with a deployment_id
 * and resources). test/docs/examples.test.ts validates them; the JSON Schema test checks the
 * published schema against them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(__dirname, '..', '..', '..');

/** README.md, then every markdown file under docs/, as paths relative to the repository root. */
export const docFiles: string[] = [
  'README.md',
  ...(existsSync(join(ROOT, 'docs'))
    ? readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.md'))
        .map((file) => join('docs', file))
        .sort()
    : []),
];

export const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

/**
 * A shell variable standing for a sealed value, a zip or an access key id in a heredoc: valid base64
 * and a valid access key id (AWS's documented example), so only the config around it is checked.
 */
const PLACEHOLDER = 'AKIAIOSFODNN7EXAMPLE';

/** The body of `cat > file.json <<EOF … EOF`, its "$VARIABLES" replaced by the placeholder. */
export const heredocBodies = (block: string): string[] =>
  [...block.matchAll(/<<'?EOF'?\n([\s\S]*?)\nEOF/g)].map((m) =>
    (m[1] ?? '').replace(/"\$\{?[A-Z_][A-Z0-9_]*\}?"/g, `"${PLACEHOLDER}"`),
  );

export const shellBlocks = (markdown: string): string[] =>
  [...markdown.matchAll(/```(?:bash|sh)\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

/** Top-level JSON objects in fenced blocks, including `-d '…'` bodies of curl commands and heredoc files. */
export function jsonDocuments(markdown: string): unknown[] {
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

export const configsIn = (doc: unknown): unknown[] => {
  if (typeof doc !== 'object' || doc === null) return [];
  const record = doc as Record<string, unknown>;
  if ('deployment_id' in record && 'resources' in record) return [record];
  return 'config' in record ? configsIn(record['config']) : [];
};
