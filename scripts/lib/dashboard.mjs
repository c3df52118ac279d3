// The dashboard's bundle (ui/build.mjs): built when missing or when its sources or locked
// dependencies changed, so `npm start` and `npm test` always serve the current page.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Builds ui/dist when stale. Returns null, or the reason it could not. */
export async function ensureDashboard(root, log) {
  const ui = await import(pathToFileURL(join(root, 'ui', 'build.mjs')).href);
  const stale = ui.staleReason();
  if (!stale) {
    log('dashboard: up to date');
    return null;
  }
  log(`dashboard: ${stale}; building…`);
  try {
    const started = Date.now();
    await ui.build();
    log(`dashboard: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return null;
  } catch (err) {
    return `the dashboard did not build: ${err instanceof Error ? err.message : String(err)}`;
  }
}
