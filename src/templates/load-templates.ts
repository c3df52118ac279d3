/**
 * The templates the API serves, read once at its start: the built-in ones (`templates/` at the
 * repository root) and the operator's own (`TEMPLATES_DIR`), every `*.json` file of each folder
 * (not its sub-folders; other files are ignored). A broken file stops the start: every problem of
 * every file is reported at once, each line naming its file. An operator's template may not take
 * a built-in template's id (that is a problem too, naming both files): ids are unique.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkTemplateFile, type Template, type TemplateSource } from './template-file';

/** The built-in templates' folder: `templates/` at the repository root (from src/templates or dist/templates). */
export const BUILT_IN_TEMPLATES_DIR = join(__dirname, '..', '..', 'templates');

export interface TemplateFolders {
  readonly builtIn: string;
  /** TEMPLATES_DIR, when set: it must be a folder. */
  readonly operator?: string | undefined;
}

/** Templates by id: built-in ones first, each group in file name order. */
export type TemplateCatalog = ReadonlyMap<string, Template>;

/** Why the API cannot start: one line per problem, each naming its file. */
export class TemplateLoadError extends Error {
  override readonly name = 'TemplateLoadError';
  constructor(readonly problems: readonly string[]) {
    super(
      `templates could not be loaded (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
}

const isFolder = (dir: string): boolean => existsSync(dir) && statSync(dir).isDirectory();

/** The `*.json` files of a folder, by name. */
const jsonFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json') && !entry.name.startsWith('.'))
    .map((entry) => join(dir, entry.name))
    .sort();

function readFolder(dir: string, source: TemplateSource): { templates: Template[]; problems: string[] } {
  const templates: Template[] = [];
  const problems: string[] = [];
  for (const file of jsonFiles(dir)) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      problems.push(`${file}: not JSON: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const checked = checkTemplateFile(file, json, source);
    if ('template' in checked) templates.push(checked.template);
    else problems.push(...checked.problems.map((problem) => `${file}: ${problem}`));
  }
  return { templates, problems };
}

/**
 * Every template of both folders, or a TemplateLoadError listing every problem. A missing
 * built-in folder (an image built without it) leaves only the operator's, with a warning.
 */
export function loadTemplates(folders: TemplateFolders, warn: (message: string) => void): TemplateCatalog {
  const problems: string[] = [];
  const builtIn = isFolder(folders.builtIn) ? readFolder(folders.builtIn, 'built-in') : { templates: [], problems: [] };
  if (!isFolder(folders.builtIn)) warn(`no built-in templates: ${folders.builtIn} is not a folder`);
  problems.push(...builtIn.problems);
  const catalog = new Map(builtIn.templates.map((template) => [template.id, template]));
  if (folders.operator !== undefined) {
    if (!isFolder(folders.operator)) problems.push(`TEMPLATES_DIR ${folders.operator}: not a folder`);
    else {
      const own = readFolder(folders.operator, 'operator');
      problems.push(...own.problems);
      for (const template of own.templates) {
        const taken = catalog.get(template.id);
        if (taken)
          problems.push(
            `${template.file}: id "${template.id}" is the built-in template ${taken.file}'s: an operator's template may not replace a built-in one, give it another id`,
          );
        else catalog.set(template.id, template);
      }
    }
  }
  if (problems.length > 0) throw new TemplateLoadError(problems);
  return catalog;
}
