/**
 * A real browser for the dashboard's tests: the Chromium setup found or installed (paths.json's
 * `chromium`, or CHROMIUM_PATH), driven by playwright-core, headless, with the flags this closed
 * network needs (no background connections of Chromium's own) and a fresh profile per launch.
 * Screenshots go to test-artifacts/dashboard/; axe-core scans a page as it is.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT, recordedToolPaths } from '../../../src/runtime/temporal-cli';

export const SCREENSHOTS = join(PROJECT_ROOT, 'test-artifacts', 'dashboard');

export const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  if (process.env['CHROMIUM_PATH']) return process.env['CHROMIUM_PATH'];
  const chromium = recordedToolPaths()['chromium'];
  if (!chromium) throw new Error('no Chromium recorded in .tools/paths.json: run `node scripts/setup.mjs --for-tests`');
  return chromium;
}

/** Chromium, headless; playwright gives each launch a fresh user-data-dir. */
export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: chromiumPath(), args: FLAGS, headless: true });

/** Saves the page as test-artifacts/dashboard/<name>.png (the states each test reaches, for people to look at). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page as it is now (evaluated through the
 * DevTools protocol, so the page's Content-Security-Policy stays as the service sends it).
 */
export async function seriousViolations(page: Page): Promise<{ id: string; help: string; targets: string[] }[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, evaluated in the page: this file is compiled without the DOM's types.
  const violations = await page.evaluate<AxeViolation[]>('axe.run(document).then((result) => result.violations)');
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}
