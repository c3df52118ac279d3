/** GET /docs loads nothing that is missing: every file the page names is served, its icon too (no /favicon.ico 404). */
import { testApi, unreachableClient } from './helpers/app';

const api = testApi({ client: unreachableClient() });

describe('GET /docs', () => {
  it('names an icon, and every file it names is served', async () => {
    const page = (await api.get('/docs')).text;
    const icon = /<link rel="icon" type="image\/png" href="([^"]+)">/.exec(page)?.[1];
    expect(icon).toBe('/docs/assets/favicon-32x32.png');
    const files = [...page.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) expect([file, (await api.get(file)).status]).toEqual([file, 200]);
    const served = await api.get(icon ?? '');
    expect(served.headers['content-type']).toBe('image/png');
  });
});
