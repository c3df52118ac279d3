// Chromium for the dashboard's browser tests (playwright-core drives it; it never downloads a
// browser): found on PATH, else installed from the system's packages (Debian's `chromium`) when
// setup runs as root with apt-get, as on CI machines. Recorded in paths.json as `chromium`.
import { onPath, run } from './proc.mjs';
import { readToolPaths, recordToolPaths } from './tool-paths.mjs';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

const found = () => NAMES.map((name) => onPath(name)).find(Boolean) ?? null;

/** Returns null, or the reason Chromium is not available. */
export function ensureChromium({ pathsFile, log }) {
  let path = process.env.CHROMIUM_PATH || found();
  if (!path) {
    if (process.getuid?.() !== 0 || !onPath('apt-get'))
      return 'not found on PATH; install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH';
    log('chromium: not found; installing Debian package chromium (apt-get)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = () =>
      run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env, timeoutMs: 900_000 });
    let result = install();
    if (!result.ok) {
      const update = run('apt-get', ['update'], { env, timeoutMs: 600_000 });
      if (!update.ok) return `apt-get update failed: ${update.why}`;
      result = install();
    }
    if (!result.ok) return `apt-get install chromium failed: ${result.why}`;
    path = found();
    if (!path) return 'apt-get installed chromium, but no chromium is on PATH';
  }
  if (readToolPaths(pathsFile).chromium !== path) recordToolPaths(pathsFile, { chromium: path });
  log(`chromium: ${path}`);
  return null;
}
