/**
 * Where the Temporal CLI binary is. `scripts/setup.mjs` finds or installs it and records it in
 * `.tools/paths.json` (the contract between setup and runtime); `TEMPORAL_CLI_PATH` overrides.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PROJECT_ROOT = join(__dirname, '..', '..');
export const TOOL_PATHS_FILE = join(PROJECT_ROOT, '.tools', 'paths.json');

export class TemporalCliNotFoundError extends Error {
  override readonly name = 'TemporalCliNotFoundError';
}

/** Tool paths recorded by setup (`temporal`, `moto_server`, `schemathesis`); empty when not run yet. */
export function recordedToolPaths(file = TOOL_PATHS_FILE): Partial<Record<string, string>> {
  if (!existsSync(file)) return {};
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!parsed || typeof parsed !== 'object') return {};
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function resolveTemporalCli(env: NodeJS.ProcessEnv = process.env, pathsFile = TOOL_PATHS_FILE): string {
  const fromEnv = env['TEMPORAL_CLI_PATH'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new TemporalCliNotFoundError(`TEMPORAL_CLI_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  const recorded = recordedToolPaths(pathsFile)['temporal'];
  if (recorded && existsSync(recorded)) return recorded;
  const why = recorded
    ? `${pathsFile} names ${recorded}, which no longer exists`
    : `${pathsFile} has no "temporal" entry`;
  throw new TemporalCliNotFoundError(
    `Temporal CLI not found (${why}): run \`node scripts/setup.mjs\` or set TEMPORAL_CLI_PATH to a temporal binary`,
  );
}
