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
      if (installed[path]?.version !== meta.version)
        return `${path.slice('node_modules/'.length)} is not at ${meta.version}`;
    }
    return null;
  }
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const name of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
    if (!installed[`node_modules/${name}`]) return `${name} is not installed`;
  }
  return null;
}

/**
 * Installs with `npm ci` (or `npm install` when there is no lock file). When npm says the lock file
 * is out of sync with package.json, falls back to `npm install --no-save`, which follows the lock
 * where it can and leaves both files untouched. Returns a failure reason or null.
 */
export function installNpmDeps(root, log) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const flags = ['--no-audit', '--no-fund'];
  const npmRun = (args) => run(npm, [...args, ...flags], { cwd: root, timeoutMs: 20 * 60_000 });
  if (!existsSync(join(root, 'package-lock.json'))) {
    const installed = npmRun(['install']);
    return installed.ok ? null : `npm install failed (${npmReason(installed)})`;
  }
  const ci = npmRun(['ci']);
  if (ci.ok) return null;
  if (!/package-lock\.json.*in sync/.test(ci.output)) return `npm ci failed (${npmReason(ci)})`;
  // A lock made where the registry serves only this platform's builds lacks the other platforms'
  // optional packages, and npm ci calls that out of sync; npm install still follows the lock.
  log(`npm dependencies: npm ci refused the lock (${npmReason(ci)}); installing with \`npm install --no-save\`…`);
  const installed = npmRun(['install', '--no-save']);
  return installed.ok ? null : `npm install --no-save failed (${npmReason(installed)})`;
}

/** npm's own explanation: its first `npm error` line that is neither the code nor the log pointer. */
function npmReason(result) {
  const reasons = result.output
    .split('\n')
    .filter((line) => /^npm (error|ERR!)/.test(line))
    .map((line) => line.replace(/^npm (error|ERR!)\s*/, '').trim())
    .filter((line) => line && !/^code |complete log of this run/.test(line));
  return reasons[0] ?? result.why;
}
