/** `template list|show|apply`: deployment templates, filled in with inputs (`--input k=v`, `--inputs file`). */
import type { Command } from 'commander';
import { action } from '../context';
import { CliError } from '../errors';
import { readJson } from '../files';
import { modeOption, startRun, withFollowOptions, type StartFlags } from '../start-run';

interface TemplateSummary {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly source: string;
}

interface Template extends TemplateSummary {
  readonly inputs: { properties?: Record<string, { type?: string; description?: string; default?: unknown }> };
  readonly config: unknown;
}

interface ApplyFlags extends StartFlags {
  readonly input: string[];
  readonly inputs?: string;
  readonly mode?: string;
}

const templatePath = (id: string) => `/templates/${encodeURIComponent(id)}`;

/** `k=v` as the input's type says: a string stays text, other types are read as JSON (3, true, ["a"]). */
function typedInput(pair: string, template: Template): [string, unknown] {
  const at = pair.indexOf('=');
  if (at < 1) throw new CliError(`--input takes name=value, not "${pair}"`);
  const name = pair.slice(0, at);
  const text = pair.slice(at + 1);
  const type = template.inputs.properties?.[name]?.type;
  if (type === undefined || type === 'string') return [name, text];
  try {
    return [name, JSON.parse(text) as unknown];
  } catch {
    throw new CliError(`--input ${name} is of type ${type}: give its value as JSON, not "${text}"`);
  }
}

async function inputsOf(template: Template, flags: ApplyFlags) {
  const fromFile = flags.inputs ? await readJson(flags.inputs) : {};
  if (fromFile === null || typeof fromFile !== 'object' || Array.isArray(fromFile))
    throw new CliError(`${flags.inputs} must hold a JSON object of inputs`);
  return { ...fromFile, ...Object.fromEntries(flags.input.map((pair) => typedInput(pair, template))) };
}

function templateLines(template: Template): string[] {
  const inputs = Object.entries(template.inputs.properties ?? {}).map(
    ([name, input]) =>
      `  ${name} (${input.type ?? 'any'})${input.default === undefined ? '' : ` default ${JSON.stringify(input.default)}`}` +
      `${input.description ? `: ${input.description}` : ''}`,
  );
  return [`${template.id}: ${template.title} (${template.source})`, template.description, 'inputs:', ...inputs];
}

export function registerTemplates(program: Command): void {
  const template = program.command('template').description('deployment templates: configs filled in with inputs');

  template
    .command('list')
    .description('the templates the service offers (built-in and the operator’s)')
    .action(
      action(async ({ api, output }) => {
        const list = await api.get<{ templates: TemplateSummary[] }>('/templates');
        output.show(list, (l) => l.templates.map((t) => `${t.id}  ${t.title}  (${t.source})`));
      }),
    );

  template
    .command('show')
    .description('a template: its inputs (types, defaults) and, with --json, its config')
    .argument('<id>', 'the template id')
    .action(
      action(async ({ api, output }, id: string) => {
        output.show(await api.get<Template>(templatePath(id)), templateLines);
      }),
    );

  withFollowOptions(
    template
      .command('apply')
      .description('fill a template in with inputs and start it as an apply, followed live')
      .argument('<id>', 'the template id')
      .option(
        '--input <name=value>',
        'an input (repeat it); non-string types as JSON',
        (v, all: string[]) => [...all, v],
        [],
      )
      .option('--inputs <file>', 'a JSON file of inputs (each --input wins over it)')
      .addOption(modeOption()),
  ).action(
    action(async (ctx, id: string, flags: ApplyFlags) => {
      const inputs = await inputsOf(await ctx.api.get<Template>(templatePath(id)), flags);
      return startRun(ctx, `${templatePath(id)}/apply`, { inputs, ...(flags.mode ? { mode: flags.mode } : {}) }, flags);
    }),
  );
}
