// npm dependencies: installed when node_modules is missing or does not match package-lock.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './proc.mjs';

/**
 * Why node_modules needs an install, or null when every locked package is installed at its locked
 * version (npm records what it installed in node_modules/.package-lock.json).
 */
export function staleReason(root) {
  const modules = join(root, 'node_modules');
  if (!existsSync(modules)) return 'node_modules is missing';
  const lockFile = join(root, 'package-lock.json');
  const installedFile = join(modules, '.package-lock.json');
  if (!existsSync(installedFile)) return 'node_modules was not installed by npm (no .package-lock.json)';
  const installed = JSON.parse(readFileSync(installedFile, 'utf8')).packages ?? {};
  if (existsSync(lockFile)) {
    const locked = JSON.parse(readFileSync(lockFile, 'utf8')).packages ?? {};
    for (const [path, meta] of Object.entries(locked)) {
      if (!path.startsWith('node_modules/') || meta.optional || meta.link) continue;
      if (installed[path]?.version !== meta.version) return `${path.slice('node_modules/'.length)} is not at ${meta.version}`;
    }
    return null;
  }
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const name of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
    if (!installed[`node_modules/${name}`]) return `${name} is not installed`;
  }
  return null;
}

/** Installs with `npm ci` (or `npm install` when there is no lock file). Returns a failure reason or null. */
export function installNpmDeps(root) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = existsSync(join(root, 'package-lock.json')) ? ['ci'] : ['install'];
  const result = run(npm, [...args, '--no-audit', '--no-fund'], { cwd: root, timeoutMs: 20 * 60_000 });
  return result.ok ? null : `npm ${args[0]} failed (${result.why})`;
}
