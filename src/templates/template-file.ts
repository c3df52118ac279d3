/**
 * One template file: `{ id, title, description, inputs, config }`, where `inputs` is the JSON
 * Schema (2020-12) of the template's inputs and `config` a deployment config with
 * `{{inputs.<name>}}` placeholders (render.ts). Checked when it loads: the shape, the file name
 * (`<id>.json`), the input schema (compiled by ajv in strict mode), the defaults against it, and
 * every placeholder; each problem is one line naming where it is. `additionalProperties` of the
 * inputs is false unless the schema says otherwise, so a misspelt input is refused, not ignored.
 */
import { basename } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { z } from 'zod';
import { placeholderUses, type PlaceholderUse } from './render';

export type TemplateSource = 'built-in' | 'operator';

/** One problem with given inputs: the path inside `inputs` (`['owner']`, `['reviewers', 0]`) and what is wrong. */
export interface InputIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export type CheckedInputs =
  | { readonly ok: true; readonly inputs: Record<string, unknown> }
  | { readonly ok: false; readonly issues: readonly InputIssue[] };

export interface Template {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly source: TemplateSource;
  /** The file it was read from. */
  readonly file: string;
  /** The JSON Schema of its inputs, as served (additionalProperties made explicit). */
  readonly inputs: Record<string, unknown>;
  /** The deployment config with its placeholders. */
  readonly config: Record<string, unknown>;
  /** The inputs with the schema's defaults applied, or every problem with them. */
  checkInputs(given: Readonly<Record<string, unknown>>): CheckedInputs;
}

export const TEMPLATE_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const templateFileSchema = z
  .object({
    id: z.string().regex(TEMPLATE_ID, 'must be 1-63 characters of a-z, 0-9 and "-", not starting or ending with "-"'),
    title: z.string().min(1).max(200),
    description: z.string().max(4_000).default(''),
    inputs: z
      .looseObject({ type: z.literal('object'), properties: z.record(z.string(), z.record(z.string(), z.unknown())) })
      .superRefine(({ properties }, ctx) => {
        for (const name of Object.keys(properties).filter((key) => !INPUT_NAME.test(key)))
          ctx.addIssue({
            code: 'custom',
            path: ['properties', name],
            message: 'input names are letters, digits and "_", not starting with a digit',
          });
      }),
    config: z.record(z.string(), z.unknown()),
  })
  .strict();

const pathOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (at, key) => (typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${String(key)}` : String(key)),
    '',
  );

/** A JSON pointer (`/reviewers/0`) as path segments. */
const pointerSegments = (pointer: string): (string | number)[] =>
  pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));

function inputIssue(error: ErrorObject): InputIssue {
  const path = pointerSegments(error.instancePath);
  const params = error.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
  if (error.keyword === 'required') return { path: [...path, params.missingProperty ?? ''], message: 'is required' };
  if (error.keyword === 'additionalProperties')
    return {
      path: [...path, params.additionalProperty ?? ''],
      message: path.length === 0 ? 'is not an input of this template' : 'is not a known field',
    };
  if (error.keyword === 'enum')
    return { path, message: `must be one of ${(params.allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}` };
  return { path, message: error.message ?? 'is invalid' };
}

/** Problems of the placeholders: each must name an input, and one inside a longer string an input that always has a value. */
function placeholderProblems(uses: readonly PlaceholderUse[], schema: z.output<typeof templateFileSchema>['inputs']) {
  const names = Object.keys(schema.properties);
  const required = new Set(Array.isArray(schema['required']) ? (schema['required'] as unknown[]) : []);
  const where = (at: string): string => (at === '' ? 'config' : `config.${at}`);
  return uses.flatMap((use): string[] => {
    if (use.kind === 'in-key')
      return [`${where(use.at)}: placeholder ${use.text} in a key (only values are substituted)`];
    if (use.kind === 'invalid')
      return [`${where(use.at)}: placeholder ${use.text} is unknown (placeholders are {{inputs.<name>}})`];
    const input = schema.properties[use.name];
    if (!input)
      return [
        `${where(use.at)}: placeholder ${use.text} is unknown: no input "${use.name}" (inputs: ${names.join(', ') || 'none'})`,
      ];
    if (!use.whole && !required.has(use.name) && input['default'] === undefined)
      return [
        `${where(use.at)}: placeholder ${use.text} is inside a longer string, so input "${use.name}" needs a value: make it required or give it a default`,
      ];
    return [];
  });
}

/** The validator of the inputs, or the schema's problems; its defaults are checked by validating them alone. */
function compileInputs(schema: Record<string, unknown>): { validate: ValidateFunction } | { problems: string[] } {
  const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: true, strictTypes: false });
  addFormats(ajv);
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (err) {
    return { problems: [`inputs: not a valid JSON Schema: ${err instanceof Error ? err.message : String(err)}`] };
  }
  const defaultsOnly: Record<string, unknown> = {};
  validate(defaultsOnly);
  const problems = (validate.errors ?? [])
    .filter((error) => !(error.keyword === 'required' && error.instancePath === ''))
    .map((error) => {
      const issue = inputIssue(error);
      return `inputs: a default is invalid: ${pathOf(issue.path) || 'the defaults together'} ${issue.message}`;
    });
  return problems.length > 0 ? { problems } : { validate };
}

/** The template in `file` (its parsed JSON), or every problem with it. */
export function checkTemplateFile(
  file: string,
  json: unknown,
  source: TemplateSource,
): { template: Template } | { problems: string[] } {
  const parsed = templateFileSchema.safeParse(json);
  if (!parsed.success)
    return { problems: parsed.error.issues.map((issue) => `${pathOf(issue.path) || 'the file'}: ${issue.message}`) };
  const { id, title, description, config } = parsed.data;
  const inputs = { additionalProperties: false, ...parsed.data.inputs };
  const problems: string[] = [];
  if (basename(file) !== `${id}.json`) problems.push(`id "${id}" needs the file name ${id}.json`);
  if (config['credentials'] !== undefined)
    problems.push('config.credentials: a template carries no credentials (each request sends its own)');
  problems.push(...placeholderProblems(placeholderUses(config), parsed.data.inputs));
  const compiled = compileInputs(inputs);
  if ('problems' in compiled) problems.push(...compiled.problems);
  if (problems.length > 0 || !('validate' in compiled)) return { problems };
  const { validate } = compiled;
  const template: Template = {
    id,
    title,
    description,
    source,
    file,
    inputs,
    config,
    checkInputs(given) {
      const withDefaults = structuredClone(given) as Record<string, unknown>;
      if (validate(withDefaults)) return { ok: true, inputs: withDefaults };
      return { ok: false, issues: (validate.errors ?? []).map(inputIssue) };
    },
  };
  return { template };
}
