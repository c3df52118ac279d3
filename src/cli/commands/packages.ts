/**
 * `package deploy|redeploy|rollback|undeploy|list|status|logs`: step packages, your own resource
 * types in TypeScript (docs/how-to/step-packages.md). A package is a folder of .ts files with an
 * index.ts; deploy sends them all (changing packages needs an admin key).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Command } from 'commander';
import { action, type CommandContext } from '../context';
import { CliError } from '../errors';

interface Version {
  readonly version: number;
  readonly hash: string;
  readonly deployed_at: string;
  readonly types: readonly string[];
}

interface PackageStatus {
  readonly name: string;
  readonly exists: boolean;
  readonly isDeployed: boolean;
  readonly deploymentStatus: string;
  readonly version: number | null;
  readonly types: readonly string[];
  readonly versions?: readonly Version[];
  readonly workers?: readonly { worker: string; version: number; loaded_at: string; seen_at: string }[];
  readonly unchanged?: boolean;
}

const packagePath = (name: string) => `/packages/${encodeURIComponent(name)}`;

/** The folder's .ts files (not .d.ts), by path relative to it with `/`, skipping node_modules and dot folders. */
async function packageFiles(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((err: Error) => {
    throw new CliError(`cannot read the package folder ${dir}: ${err.message}`);
  });
  const files: Record<string, string> = {};
  for (const entry of entries) {
    const path = relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (!entry.isFile() || !path.endsWith('.ts') || path.endsWith('.d.ts')) continue;
    if (path.split('/').some((part) => part === 'node_modules' || part.startsWith('.'))) continue;
    files[path] = await readFile(join(dir, path), 'utf8');
  }
  if (!('index.ts' in files)) throw new CliError(`${dir} has no index.ts: a package's index.ts exports its types`);
  return files;
}

const summary = (p: PackageStatus): string =>
  `${p.name}  ${p.deploymentStatus}${p.version === null ? '' : `  version ${p.version}`}` +
  `${p.types.length ? `  ${p.types.join(', ')}` : ''}`;

function statusLines(p: PackageStatus): string[] {
  if (!p.exists) return [`${p.name}: never deployed`];
  return [
    summary(p),
    ...(p.versions ?? []).map(
      (v) => `  ${v.version === p.version ? '*' : ' '} version ${v.version}  ${v.deployed_at}  ${v.types.join(', ')}`,
    ),
    ...(p.workers?.length
      ? ['workers:', ...p.workers.map((w) => `  ${w.worker}  version ${w.version}  loaded ${w.loaded_at}`)]
      : []),
  ];
}

const changed = (verb: string) => (p: PackageStatus) => [
  p.unchanged
    ? `${p.name}: nothing to do (${p.deploymentStatus.toLowerCase()} already)`
    : `${p.name} ${verb}: ${summary(p)}`,
];

async function deployFrom(ctx: CommandContext, route: string, dir: string): Promise<void> {
  const answer = await ctx.api.post<PackageStatus>(route, { files: await packageFiles(dir) });
  ctx.output.show(answer, changed(`deployed as version ${answer.version ?? '?'}`));
}

export function registerPackages(program: Command): void {
  const pkg = program.command('package').description('step packages: your own resource types, in TypeScript');

  for (const [verb, does] of [
    ['deploy', 'check, type-check and deploy a folder of .ts files (index.ts exports the types) as a new version'],
    ['redeploy', 'deploy new sources of an existing package as its next version'],
  ] as const)
    pkg
      .command(verb)
      .description(`${does} (admin key)`)
      .argument('<name>', 'the package name: lowercase letters, digits and dashes')
      .argument('<folder>', 'the folder of the package’s .ts files')
      .action(action((ctx, name: string, dir: string) => deployFrom(ctx, `${packagePath(name)}/${verb}`, dir)));

  pkg
    .command('rollback')
    .description('make an earlier version the one new runs use (admin key)')
    .argument('<name>', 'the package')
    .argument('<version>', 'the version number')
    .action(
      action(async ({ api, output }, name: string, version: string) => {
        if (!/^[1-9]\d*$/.test(version))
          throw new CliError(`<version> is a version number (1, 2, …), not "${version}"`);
        const answer = await api.post<PackageStatus>(`${packagePath(name)}/rollback`, { version: Number(version) });
        output.show(answer, changed('rolled back'));
      }),
    );

  pkg
    .command('undeploy')
    .description('stop offering the package’s types to new runs; refused while a run uses it (admin key)')
    .argument('<name>', 'the package')
    .action(
      action(async ({ api, output }, name: string) => {
        output.show(await api.post<PackageStatus>(`${packagePath(name)}/undeploy`), changed('undeployed'));
      }),
    );

  pkg
    .command('list')
    .description('your packages')
    .action(
      action(async ({ api, output }) => {
        const list = await api.get<{ packages: PackageStatus[] }>('/packages');
        output.show(list, (l) => (l.packages.length ? l.packages.map(summary) : ['no packages']));
      }),
    );

  pkg
    .command('status')
    .description('a package: its versions (* serves new runs) and the workers that have loaded it')
    .argument('<name>', 'the package')
    .action(
      action(async ({ api, output }, name: string) => {
        output.show(await api.get<PackageStatus>(packagePath(name)), statusLines);
      }),
    );

  pkg
    .command('logs')
    .description('its log: each deploy’s checks and compiler messages, each rollback and undeploy')
    .argument('<name>', 'the package')
    .action(
      action(async ({ api, output }, name: string) => {
        const logs = await api.get<{ logs: { at: string; level: string; message: string }[] }>(
          `${packagePath(name)}/logs`,
        );
        output.show(logs, (l) => l.logs.map((e) => `${e.at}  ${e.level.padEnd(5)}  ${e.message}`));
      }),
    );
}
