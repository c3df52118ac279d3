/**
 * The files that hold a repository's version, for `github:version:bump`: each names its path and
 * its format, and this module finds the version in a file's text and writes another in its place.
 *
 * - `{ path, json: "a.b" }`: the string at that dot path of a JSON file; the file is written back
 *   with its own indentation and final newline (as npm writes package.json).
 * - `{ path, toml: "table.key" }`: a `key = "…"` line inside `[table]` (a key without a dot: before
 *   any table); only that line's value changes.
 * - `{ path, regex: "…(?<version>…)…" }`: the group `version` of the first match; only it changes.
 * - `{ path, whole: true }`: the whole file, trimmed; its surrounding whitespace is kept.
 *
 * Pure text in, text out: no I/O, so nothing to make idempotent or undo here.
 */
import { z } from 'zod';

const path = z
  .string()
  .min(1)
  .max(400)
  .refine((p) => !p.startsWith('/') && !p.split('/').some((s) => s === '' || s === '.' || s === '..'), {
    message: 'a path inside the repository (no leading "/", no "." or ".." segments)',
  })
  .meta({ description: 'The file’s path in the repository' });

const compiles = (pattern: string): boolean => {
  try {
    return new RegExp(pattern).source.includes('(?<version>');
  } catch {
    return false;
  }
};

export const versionFileSchema = z.union([
  z
    .object({ path, json: z.string().min(1).meta({ description: 'The dot path of the version, e.g. version' }) })
    .strict(),
  z
    .object({ path, toml: z.string().min(1).meta({ description: 'table.key of the version, e.g. package.version' }) })
    .strict(),
  z
    .object({
      path,
      regex: z
        .string()
        .min(1)
        .refine(compiles, 'a regular expression with a named group (?<version>…)')
        .meta({ description: 'A regular expression whose named group `version` is the version' }),
    })
    .strict(),
  z.object({ path, whole: z.literal(true).meta({ description: 'The whole file is the version' }) }).strict(),
]);
export type VersionFile = z.output<typeof versionFileSchema>;

export const DEFAULT_VERSION_FILES: readonly VersionFile[] = [
  { path: 'package.json', json: 'version' },
  { path: 'mix.exs', regex: 'version: "(?<version>[^"]+)"' },
  { path: 'VERSION', whole: true },
];

/** The version a file holds, and its text with another version in its place. */
export interface VersionSlot {
  readonly version: string;
  replace(next: string): string;
}

/** The version in `text` as `file` describes it, or a sentence saying why there is none. */
export function findVersion(file: VersionFile, text: string): VersionSlot | string {
  if ('json' in file) return inJson(file.json, text);
  if ('toml' in file) return inToml(file.toml, text);
  if ('regex' in file) return inRegex(file.regex, text);
  const version = text.trim();
  if (!version) return 'the file is empty';
  const start = text.indexOf(version);
  return { version, replace: (next: string) => text.slice(0, start) + next + text.slice(start + version.length) };
}

function inJson(dotPath: string, text: string): VersionSlot | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return 'it is not valid JSON';
  }
  const keys = dotPath.split('.');
  const last = keys.pop() as string;
  let holder: unknown = doc;
  for (const key of keys) holder = isRecord(holder) ? holder[key] : undefined;
  const value = isRecord(holder) ? holder[last] : undefined;
  if (!isRecord(holder) || typeof value !== 'string') return `it has no string at ${dotPath}`;
  const indent = /^\{\s*\n([ \t]+)"/.exec(text)?.[1] ?? 2;
  const ending = /\s*$/.exec(text)?.[0] ?? '';
  return {
    version: value,
    replace(next: string) {
      holder[last] = next;
      return JSON.stringify(doc, null, indent) + ending;
    },
  };
}

const TABLE = /^\s*\[([^[\]]+)\]\s*(#.*)?$/;

function inToml(dotted: string, text: string): VersionSlot | string {
  const dot = dotted.lastIndexOf('.');
  const table = dot < 0 ? '' : dotted.slice(0, dot);
  const key = dotted.slice(dot + 1);
  const line = new RegExp(`^(\\s*${escape(key)}\\s*=\\s*)(["'])([^"'\\n]*)\\2`);
  const lines = text.split('\n');
  let current = '';
  for (const [i, l] of lines.entries()) {
    const header = TABLE.exec(l);
    if (header) current = (header[1] as string).replace(/\s+/g, '');
    else if (/^\s*\[\[/.test(l)) current = '[[array of tables]]';
    const found = current === table ? line.exec(l) : null;
    if (found) {
      const [whole, before, quote, version] = found as unknown as [string, string, string, string];
      return {
        version,
        replace: (next: string) =>
          [...lines.slice(0, i), before + quote + next + quote + l.slice(whole.length), ...lines.slice(i + 1)].join(
            '\n',
          ),
      };
    }
  }
  return `it has no ${key} = "…" ${table ? `in [${table}]` : 'before its first table'}`;
}

function inRegex(pattern: string, text: string): VersionSlot | string {
  const match = new RegExp(pattern, 'd').exec(text);
  const span = match?.indices?.groups?.['version'];
  if (!match || !span) return `nothing matches ${pattern}`;
  const [start, end] = span;
  return { version: text.slice(start, end), replace: (next: string) => text.slice(0, start) + next + text.slice(end) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
