// Installing a Debian package for a tool the project needs, when setup runs as root with apt-get
// (as on CI machines): `apt-get install`, and once more after `apt-get update` if that failed.
import { onPath, run } from './proc.mjs';

/** Returns null once installed, else the reason (`hint` tells what to do when apt-get cannot be used). */
export function aptInstall(pkg, { log, hint }) {
  if (process.getuid?.() !== 0 || !onPath('apt-get')) return hint;
  log(`${pkg}: not found; installing Debian package ${pkg} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env, timeoutMs: 900_000 });
  let result = install();
  if (!result.ok) {
    const update = run('apt-get', ['update'], { env, timeoutMs: 600_000 });
    if (!update.ok) return `apt-get update failed: ${update.why}`;
    result = install();
  }
  return result.ok ? null : `apt-get install ${pkg} failed: ${result.why}`;
}
