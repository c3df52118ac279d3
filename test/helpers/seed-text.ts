/**
 * Reading the seeds (../shared/seeds, beside the repository) at test time, so tests send what the
 * seed itself writes: a section's fenced blocks, the requests of a bash block (`POST /path` and the
 * JSON under it, with the comments around it), the seed's JSON-like text with its elisions (`{...}`,
 * `, ...}`, `"..."`) made explicit, the fields of its Python-like schemas (`Schema__X` then
 * `├── name : type = default`), and the parameters of a `def`. Elisions are then filled by the test
 * (each one by name: a seed that gains an elision fails until a test says how to fill it) and the
 * placeholder sealed values (`"base64-nacl-encrypted..."`) replaced by values sealed for the purpose
 * of their field.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SealedPurpose } from '../../src/credentials/sealed-envelope';

export const SEEDS_DIR = join(__dirname, '..', '..', '..', 'shared', 'seeds');

/** The text of seed `number` ("001"): the one file `<number>_*.txt` of the seeds folder. */
export function seedText(number: string): string {
  const files = readdirSync(SEEDS_DIR).filter((file) => file.startsWith(`${number}_`) && file.endsWith('.txt'));
  if (files.length !== 1 || !files[0])
    throw new Error(`expected one seed ${number}_*.txt in ${SEEDS_DIR}, found ${files.length}`);
  return readFileSync(join(SEEDS_DIR, files[0]), 'utf8');
}

const FENCE = /^```(\w*)\s*$/;

/**
 * The text under the markdown heading that starts with `heading` (e.g. "### 9.2", "### A.1"), up to
 * the next heading of the same or a higher level; `#` lines inside fenced blocks are not headings.
 */
export function section(text: string, heading: string): string {
  const level = /^#+/.exec(heading)?.[0].length;
  if (!level) throw new Error(`"${heading}" is not a markdown heading`);
  const lines = text.split('\n');
  let inFence = false;
  let start = -1;
  for (const [index, line] of lines.entries()) {
    if (FENCE.test(line)) inFence = !inFence;
    if (inFence) continue;
    const hashes = /^(#+) /.exec(line)?.[1]?.length;
    if (start === -1) {
      if (line.startsWith(`${heading} `) || line === heading) start = index + 1;
    } else if (hashes !== undefined && hashes <= level) {
      return lines.slice(start, index).join('\n');
    }
  }
  if (start === -1) throw new Error(`the seed has no heading "${heading}"`);
  return lines.slice(start).join('\n');
}

export interface FencedBlock {
  readonly lang: string;
  readonly body: string;
}

/** The fenced blocks of a text, in order. */
export function fencedBlocks(text: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let open: { lang: string; lines: string[] } | null = null;
  for (const line of text.split('\n')) {
    const fence = FENCE.exec(line);
    if (open === null) {
      if (fence) open = { lang: fence[1] ?? '', lines: [] };
    } else if (fence && fence[1] === '') {
      blocks.push({ lang: open.lang, body: open.lines.join('\n') });
      open = null;
    } else {
      open.lines.push(line);
    }
  }
  return blocks;
}

/** The one fenced block of `lang` in a text. */
export function onlyBlock(text: string, lang: string): string {
  const blocks = fencedBlocks(text).filter((b) => b.lang === lang);
  if (blocks.length !== 1 || !blocks[0]) throw new Error(`expected one \`\`\`${lang} block, found ${blocks.length}`);
  return blocks[0].body;
}

export interface SeedRequest {
  /** The comments just before the request line ("1. Plan"), without `#`. */
  readonly step: string[];
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  /** The JSON-like body as the seed writes it, or null. */
  readonly body: string | null;
  /** The comments after it, up to the next request's own ("Response shows: …"), without `#`. */
  readonly says: string[];
}

const REQUEST_LINE = /^(GET|POST|PUT|DELETE) (\S+)\s*$/;
const COMMENT = /^#\s?(.*)$/;

/** Where the JSON value starting at `text[from]` ends (exclusive), counting brackets outside strings. */
function valueEnd(text: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error(`unbalanced JSON in the seed: ${text.slice(from, from + 80)}…`);
}

/**
 * The requests of a bash block such as Appendix A's: a `METHOD /path` line, the JSON under it, and
 * the comments around it. A comment run directly followed by a request line is that request's
 * step; any other comment says what the previous request answers or does.
 */
export function requestsOf(block: string): SeedRequest[] {
  type Item = { kind: 'comments'; lines: string[] } | { kind: 'request'; request: SeedRequest };
  const items: Item[] = [];
  const lines = block.split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const comment = COMMENT.exec(line);
    const request = REQUEST_LINE.exec(line);
    const last = items.at(-1);
    if (comment) {
      // Consecutive comment lines are one run; a blank line ends it.
      if (last?.kind === 'comments' && COMMENT.test(lines[i - 1] ?? '')) last.lines.push(comment[1] ?? '');
      else items.push({ kind: 'comments', lines: [comment[1] ?? ''] });
      i++;
    } else if (request) {
      const rest = lines.slice(i + 1).join('\n');
      const start = rest.search(/\S/);
      let body: string | null = null;
      let consumed = 1;
      if (start !== -1 && rest[start] === '{') {
        const end = valueEnd(rest, start);
        body = rest.slice(start, end);
        consumed += rest.slice(0, end).split('\n').length;
      }
      const method = request[1] as SeedRequest['method'];
      items.push({ kind: 'request', request: { step: [], method, path: request[2] ?? '', body, says: [] } });
      i += consumed;
    } else if (line.trim() === '') {
      i++;
    } else {
      throw new Error(`unexpected line in the seed's bash block: ${line}`);
    }
  }
  const requests: SeedRequest[] = [];
  for (const [index, item] of items.entries()) {
    if (item.kind === 'request') {
      requests.push(item.request);
      continue;
    }
    const next = items[index + 1];
    if (next?.kind === 'request') next.request.step.push(...item.lines);
    else requests.at(-1)?.says.push(...item.lines);
  }
  return requests;
}

/** The key and value an elided member (`{...}`, `, ...}`) becomes: the object keeps what the seed wrote beside it. */
export const ELIDED = '...';

/**
 * The seed's JSON-like text as a value: a bare `...` among an object's members becomes the member
 * `"...": "..."` (so `{...}` is `{"...": "..."}`), a bare `...` as a value becomes the string
 * `"..."`; strings (`"..."`, `"base64-nacl-encrypted..."`) stay as written.
 */
export function parseElided(text: string): unknown {
  let out = '';
  const stack: ('{' | '[')[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '"') {
      const end = i + 1 + (/^(?:[^"\\]|\\.)*"/.exec(text.slice(i + 1))?.[0].length ?? 0);
      out += text.slice(i, end);
      i = end - 1;
      expectKey = false;
      continue;
    }
    if (text.startsWith('...', i)) {
      out += expectKey ? `"${ELIDED}": "${ELIDED}"` : `"${ELIDED}"`;
      i += 2;
      expectKey = false;
      continue;
    }
    if (c === '{' || c === '[') stack.push(c);
    if (c === '}' || c === ']') stack.pop();
    if (c === '{' || (c === ',' && stack.at(-1) === '{')) expectKey = true;
    else if (c.trim() !== '') expectKey = false;
    out += c;
  }
  return JSON.parse(out) as unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const pathOf = (path: readonly string[]): string => path.join('.');

/** Every elision of a parsed seed value, by path (`config.resources.api-lambda`; `` for the whole). */
export function elisionsOf(value: unknown, path: string[] = []): string[] {
  if (value === ELIDED) return [pathOf(path)];
  if (Array.isArray(value)) return value.flatMap((v, i) => elisionsOf(v, [...path, String(i)]));
  if (!isObject(value)) return [];
  const here = Object.hasOwn(value, ELIDED) ? [pathOf(path)] : [];
  return [
    ...here,
    ...Object.entries(value)
      .filter(([k]) => k !== ELIDED)
      .flatMap(([k, v]) => elisionsOf(v, [...path, k])),
  ];
}

/**
 * How each elision is filled, by its path: for an elided string, the value; for an object, the
 * members to add (what the seed wrote beside the elision is kept as written and wins).
 */
export type Fillers = Readonly<Record<string, () => unknown>>;

/** The value with every elision filled; an elision without a filler (a changed seed) throws, naming it. */
export function fillElisions(value: unknown, fillers: Fillers, path: string[] = []): unknown {
  const filler = (): unknown => {
    const fill = fillers[pathOf(path)];
    if (!fill) throw new Error(`the seed elides ${pathOf(path) || 'the whole value'}: no filler says how to fill it`);
    return fill();
  };
  if (value === ELIDED) return filler();
  if (Array.isArray(value)) return value.map((v, i) => fillElisions(v, fillers, [...path, String(i)]));
  if (!isObject(value)) return value;
  const written = Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== ELIDED)
      .map(([k, v]) => [k, fillElisions(v, fillers, [...path, k])]),
  );
  if (!Object.hasOwn(value, ELIDED)) return written;
  const added = filler();
  if (!isObject(added)) throw new Error(`the filler of ${pathOf(path)} must give an object`);
  return { ...added, ...written };
}

/** A placeholder of a sealed value, as the seed writes them. */
export const SEALED_PLACEHOLDER = /^base64-nacl-encrypted/;

/** The purpose of each sealed field (docs/how-to/credentials.md, "Sealed fields"). */
export const PURPOSE_OF_FIELD: Readonly<Record<string, SealedPurpose>> = {
  encrypted_secret_access_key: 'aws_secret_access_key',
  encrypted_session_token: 'aws_session_token',
  encrypted_pat: 'github_token',
  encrypted_webhook_url: 'slack_webhook_url',
  encrypted_bot_token: 'slack_bot_token',
  encrypted_value: 'secret_value',
};

/** Every placeholder of a sealed value, by path. */
export function placeholdersOf(value: unknown, path: string[] = []): string[] {
  if (typeof value === 'string') return SEALED_PLACEHOLDER.test(value) ? [pathOf(path)] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholdersOf(v, [...path, String(i)]));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => placeholdersOf(v, [...path, k]));
}

/** The value with every placeholder replaced by `seal(purpose of its field, path)`. */
export async function sealPlaceholders(
  value: unknown,
  seal: (purpose: SealedPurpose, path: string) => Promise<string>,
  path: string[] = [],
): Promise<unknown> {
  if (typeof value === 'string') {
    if (!SEALED_PLACEHOLDER.test(value)) return value;
    const field = path.at(-1) ?? '';
    const purpose = PURPOSE_OF_FIELD[field];
    if (!purpose) throw new Error(`the seed has a sealed placeholder in ${pathOf(path)}, a field of no known purpose`);
    return seal(purpose, pathOf(path));
  }
  if (Array.isArray(value)) return Promise.all(value.map((v, i) => sealPlaceholders(v, seal, [...path, String(i)])));
  if (!isObject(value)) return value;
  const entries = await Promise.all(
    Object.entries(value).map(async ([k, v]) => [k, await sealPlaceholders(v, seal, [...path, k])] as const),
  );
  return Object.fromEntries(entries);
}

export interface SchemaField {
  readonly name: string;
  readonly type: string;
  /** As written after `=`, or null. */
  readonly default: string | null;
}

/**
 * The Python-like schemas of a text (`Schema__Request__Deploy__Plan` on a line of its own, then
 * `├── name : type = default  # comment` lines), by name.
 */
export function schemasOf(text: string): Map<string, SchemaField[]> {
  const schemas = new Map<string, SchemaField[]>();
  let current: SchemaField[] | null = null;
  for (const line of text.split('\n')) {
    const header = /^(Schema__\w+)\s*$/.exec(line);
    if (header?.[1]) {
      current = [];
      schemas.set(header[1], current);
      continue;
    }
    const field = /^[├└]── (\w+)\s*:\s*(.+?)\s*(?:#.*)?$/.exec(line);
    if (field && current) {
      const [type = '', fallback] = (field[2] ?? '').split(/\s*=\s*/, 2);
      current.push({ name: field[1] ?? '', type: type.trim(), default: fallback?.trim() ?? null });
    } else if (line.trim() === '') {
      current = null;
    }
  }
  return schemas;
}

/** The parameter names of `def <name>(self, a: T, b: U = None)` in a text, without self. */
export function parametersOf(text: string, name: string): string[] {
  const def = new RegExp(`def ${name}\\(([^)]*)\\)`).exec(text);
  if (!def?.[1]) throw new Error(`the seed has no def ${name}(…)`);
  return def[1]
    .split(',')
    .map((p) => p.split(':')[0]?.split('=')[0]?.trim() ?? '')
    .filter((p) => p !== '' && p !== 'self');
}
