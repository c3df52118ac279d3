// Running tools from setup: synchronous, no stdin (CI has none), output captured for one-line reasons.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Runs a command; never throws. `ok` is true on exit code 0. */
export function run(cmd, args, { cwd, env, timeoutMs = 600_000 } = {}) {
  const result = spawnSync(cmd, args, {
    cwd,
    env: env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) {
    const why =
      result.error.code === 'ETIMEDOUT' ? `timed out after ${Math.round(timeoutMs / 1000)} s` : result.error.message;
    return { ok: false, output, why };
  }
  if (result.status !== 0) {
    const how = result.signal ? `killed by ${result.signal}` : `exit code ${result.status}`;
    return { ok: false, output, why: `${how}: ${lastLine(output) || 'no output'}` };
  }
  return { ok: true, output, why: '' };
}

/** The last non-empty line of some output, trimmed to a readable length. */
export function lastLine(text) {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.at(-1) ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** The absolute path of an executable named `name` on PATH, or null. */
export function onPath(name, envPath = process.env.PATH ?? '') {
  for (const dir of envPath.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

export function isExecutable(file) {
  if (!existsSync(file)) return false;
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
