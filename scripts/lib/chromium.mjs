// Chromium for the dashboard's browser tests (playwright-core drives it; it never downloads a
// browser): found on PATH, else installed from the system's packages (Debian's `chromium`) when
// setup runs as root with apt-get, as on CI machines. Recorded in paths.json as `chromium`.
import { aptInstall } from './apt.mjs';
import { onPath } from './proc.mjs';
import { readToolPaths, recordToolPaths } from './tool-paths.mjs';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

const found = () => NAMES.map((name) => onPath(name)).find(Boolean) ?? null;

/** Returns null, or the reason Chromium is not available. */
export function ensureChromium({ pathsFile, log }) {
  let path = process.env.CHROMIUM_PATH || found();
  if (!path) {
    const failed = aptInstall('chromium', {
      log,
      hint: 'not found on PATH; install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH',
    });
    if (failed) return failed;
    path = found();
    if (!path) return 'apt-get installed chromium, but no chromium is on PATH';
  }
  if (readToolPaths(pathsFile).chromium !== path) recordToolPaths(pathsFile, { chromium: path });
  log(`chromium: ${path}`);
  return null;
}
