/**
 * Template files as the API loads them at start: the built-in ones render valid configs, an
 * operator's folder adds its own, and every broken file is one clear problem naming its file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../../src/model/validate-config';
import { registry } from '../../src/resources/registry';
import {
  BUILT_IN_TEMPLATES_DIR,
  loadTemplates,
  TemplateLoadError,
  type TemplateCatalog,
} from '../../src/templates/load-templates';
import { renderTemplate } from '../../src/templates/render';
import { checkTemplateFile, type Template } from '../../src/templates/template-file';
import { useTempDirs } from '../../support/temp-dirs';

const tempDir = useTempDirs();

/** A small valid template file's content; `changes` replace its fields. */
const templateJson = (id: string, changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  title: `Template ${id}`,
  inputs: {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'Deployment name' },
      wait_ms: { type: 'integer', minimum: 0, default: 10 },
    },
    required: ['name'],
  },
  config: {
    deployment_id: 'tpl-{{inputs.name}}',
    resources: { wait: { type: 'core:delay', properties: { duration_ms: '{{inputs.wait_ms}}' } } },
  },
  ...changes,
});

const folderWith = (files: Record<string, unknown>): string => {
  const dir = tempDir('templates-');
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
};

const load = (operator?: string, builtIn = BUILT_IN_TEMPLATES_DIR): TemplateCatalog =>
  loadTemplates({ builtIn, operator }, () => {});

/** The problems loading reports, or [] when it loads. */
function problemsOf(operator: string): readonly string[] {
  try {
    load(operator);
    return [];
  } catch (err) {
    if (err instanceof TemplateLoadError) return err.problems;
    throw err;
  }
}

/** The problems of one file's content, checked as `<id>.json`. */
function fileProblems(json: Record<string, unknown>): string[] {
  const checked = checkTemplateFile(`/x/${String(json['id'])}.json`, json, 'operator');
  return 'problems' in checked ? checked.problems : [];
}

/** An input's example, else its default: inputs a form would start from. */
const exampleInputs = (template: Template): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(template.inputs['properties'] as Record<string, { examples?: unknown[] }>).flatMap(
      ([name, schema]) => (schema.examples?.[0] === undefined ? [] : [[name, schema.examples[0]]]),
    ),
  );

describe('built-in templates', () => {
  const catalog = load();

  it('include approval-release, from templates/ at the repository root', () => {
    expect(catalog.get('approval-release')).toMatchObject({ source: 'built-in', title: 'Build, approve, release' });
  });

  it.each([...catalog.keys()])('%s renders a valid config from its inputs’ examples', (id) => {
    const template = catalog.get(id) as Template;
    const checked = template.checkInputs(exampleInputs(template));
    expect(checked).toMatchObject({ ok: true });
    if (!checked.ok) return;
    const result = validateConfig(renderTemplate(template.config, checked.inputs), registry);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('applies defaults and names each bad input by its path', () => {
    const template = catalog.get('approval-release') as Template;
    expect(template.checkInputs({ app: 'billing' })).toEqual({
      ok: true,
      inputs: { app: 'billing', version: 'v1', build_ms: 1000, on_timeout: 'fail', release_ms: 1000 },
    });
    expect(template.checkInputs({ build_ms: 'soon', on_timeout: 'later', colour: 'red' })).toEqual({
      ok: false,
      issues: expect.arrayContaining([
        { path: ['app'], message: 'is required' },
        { path: ['colour'], message: 'is not an input of this template' },
        { path: ['build_ms'], message: 'must be integer' },
        { path: ['on_timeout'], message: 'must be one of "fail", "continue"' },
      ]),
    });
  });

  it('is the template docs/reference/templates.md shows', () => {
    const doc = readFileSync(join(__dirname, '../../docs/reference/templates.md'), 'utf8');
    const shown = /```jsonc\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    expect(JSON.parse(shown)).toEqual(
      JSON.parse(readFileSync(join(BUILT_IN_TEMPLATES_DIR, 'approval-release.json'), 'utf8')),
    );
  });
});

describe('an operator’s templates (TEMPLATES_DIR)', () => {
  it('come after the built-in ones, marked operator; other files are ignored', () => {
    const dir = folderWith({ 'tpl-a.json': templateJson('tpl-a'), 'README.md': '# notes' });
    const catalog = load(dir);
    expect([...catalog.keys()]).toEqual(['approval-release', 'provision-instance', 'release-train', 'tpl-a']);
    expect(catalog.get('tpl-a')).toMatchObject({ source: 'operator', file: join(dir, 'tpl-a.json') });
    expect(catalog.get('tpl-a')?.inputs['additionalProperties']).toBe(false);
  });

  it('may not take a built-in template’s id: the problem names both files', () => {
    const dir = folderWith({ 'approval-release.json': templateJson('approval-release') });
    expect(problemsOf(dir)).toEqual([
      `${join(dir, 'approval-release.json')}: id "approval-release" is the built-in template ${join(BUILT_IN_TEMPLATES_DIR, 'approval-release.json')}'s: an operator's template may not replace a built-in one, give it another id`,
    ]);
  });

  it('stop the start with every problem of every file at once, each naming its file', () => {
    const dir = folderWith({ 'broken.json': '{ "id": ', 'tpl-b.json': templateJson('tpl-c') });
    expect(() => load(dir)).toThrow(TemplateLoadError);
    expect(problemsOf(dir)).toEqual([
      expect.stringMatching(new RegExp(`^${join(dir, 'broken.json')}: not JSON: `)),
      `${join(dir, 'tpl-b.json')}: id "tpl-c" needs the file name tpl-c.json`,
    ]);
  });

  it('must be a folder when TEMPLATES_DIR is set', () => {
    const missing = join(tmpdir(), 'no-such-templates-folder');
    expect(problemsOf(missing)).toEqual([`TEMPLATES_DIR ${missing}: not a folder`]);
  });

  it('are all there are when the built-in folder is missing, with a warning', () => {
    const warnings: string[] = [];
    const dir = folderWith({ 'tpl-a.json': templateJson('tpl-a') });
    const empty = join(tempDir('no-built-in-'), 'templates');
    const catalog = loadTemplates({ builtIn: empty, operator: dir }, (m) => warnings.push(m));
    expect([...catalog.keys()]).toEqual(['tpl-a']);
    expect(warnings).toEqual([`no built-in templates: ${empty} is not a folder`]);
  });
});

describe('a template file is refused when', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'a placeholder names no input',
      { config: { deployment_id: 'x-{{inputs.nme}}', resources: {} } },
      ['config.deployment_id: placeholder {{inputs.nme}} is unknown: no input "nme" (inputs: name, wait_ms)'],
    ],
    [
      'a placeholder is not {{inputs.<name>}}',
      { config: { deployment_id: 'x', resources: { a: { properties: { token: '{{secrets.token}}' } } } } },
      [
        'config.resources.a.properties.token: placeholder {{secrets.token}} is unknown (placeholders are {{inputs.<name>}})',
      ],
    ],
    [
      'a placeholder inside a longer string names an input that may have no value',
      {
        inputs: { type: 'object', properties: { name: { type: 'string' } } },
        config: { deployment_id: 'x-{{inputs.name}}' },
      },
      [
        'config.deployment_id: placeholder {{inputs.name}} is inside a longer string, so input "name" needs a value: make it required or give it a default',
      ],
    ],
    [
      'a key holds a placeholder',
      { config: { deployment_id: 'x', resources: { '{{inputs.name}}': {} } } },
      ['config.resources.{{inputs.name}}: placeholder {{inputs.name}} in a key (only values are substituted)'],
    ],
    [
      'its config carries credentials',
      { config: { deployment_id: 'x', credentials: { github: { encrypted_pat: 'AAAA' } } } },
      ['config.credentials: a template carries no credentials (each request sends its own)'],
    ],
    [
      'its input schema is not valid JSON Schema',
      { inputs: { type: 'object', properties: { name: { type: 'text' } } }, config: { deployment_id: 'x' } },
      [expect.stringMatching(/^inputs: not a valid JSON Schema: schema is invalid: data\/properties\/name\/type /)],
    ],
    [
      'its input schema uses an unknown keyword (strict)',
      { inputs: { type: 'object', properties: { name: { type: 'string', widget: 'big' } } }, config: {} },
      ['inputs: not a valid JSON Schema: strict mode: unknown keyword: "widget"'],
    ],
    [
      'a default does not fit its input',
      { inputs: { type: 'object', properties: { n: { type: 'integer', default: 'ten' } } }, config: {} },
      ['inputs: a default is invalid: n must be integer'],
    ],
    [
      'an input name is not a plain name, and a field is unknown',
      { inputs: { type: 'object', properties: { 'app-name': { type: 'string' } } }, config: {}, owner: 'me' },
      [
        'inputs.properties.app-name: input names are letters, digits and "_", not starting with a digit',
        'the file: Unrecognized key: "owner"',
      ],
    ],
  ])('%s', (_why, changes, problems) => {
    expect(fileProblems(templateJson('tpl-x', changes))).toEqual(problems);
  });
});
