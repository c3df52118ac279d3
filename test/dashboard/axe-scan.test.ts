/**
 * The accessibility scan the dashboard's tests rely on finds what it should: a page with an image
 * without text and an unlabeled field has serious or critical violations, the same page mended has
 * none. (Otherwise an empty scan would prove nothing about the dashboard's pages.)
 */
import type { Browser } from 'playwright-core';
import { launchBrowser, seriousViolations } from './helpers/browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

it('reports serious and critical violations, and none once they are mended', async () => {
  const page = await browser.newPage();
  await page.setContent(
    '<!doctype html><html lang="en"><title>t</title><main><img src="data:,"><input type="text"></main></html>',
  );
  expect((await seriousViolations(page)).map((v) => v.id).sort()).toEqual(['image-alt', 'label']);
  await page.setContent(
    '<!doctype html><html lang="en"><title>t</title><main><img src="data:," alt="logo"><label>Name <input type="text"></label></main></html>',
  );
  expect(await seriousViolations(page)).toEqual([]);
});
