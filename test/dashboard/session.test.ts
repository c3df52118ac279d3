/**
 * The dashboard's door: served at /ui by the gateway (no CDN: every file from the service), it
 * says who is looking; where API_KEYS is set it asks for a key, refuses a wrong one with the
 * service's reason, keeps a good one for the tab, and signs out.
 */
import { API_KEYS, KEYS } from '../api/helpers/app';
import { screenshot, seriousViolations } from './helpers/browser';
import { useDashboard } from './helpers/dashboard-bed';

describe('without API_KEYS', () => {
  const bed = useDashboard();

  it('serves the page and its bundle from the service itself, and shows the local operator', async () => {
    const page = await bed.open('/ui');
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.reload();
    await page.getByText('local operator · admin').waitFor();
    expect(requested.filter((u) => !u.startsWith(bed.url))).toEqual([]);
    expect(requested).toEqual(expect.arrayContaining([`${bed.url}/ui/assets/app.js`, `${bed.url}/ui/assets/app.css`]));
    const session = await bed.http.get('/session');
    expect(session.body).toEqual({ tenant: null, role: 'admin' });
  });
});

describe('with API_KEYS', () => {
  const bed = useDashboard({ keys: API_KEYS });

  it('asks for a key, refuses a wrong one, keeps a good one for the tab, and signs out', async () => {
    const page = await bed.open('/ui#/deployments');
    await page.getByLabel('Key', { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Key', { exact: true }).fill('not-a-key-0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/key/i);
    await screenshot(page, 'session-refused-key');

    await page.getByLabel('Key', { exact: true }).fill(KEYS.aRead);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('tenant-a · read').waitFor();
    await page.reload();
    await page.getByText('tenant-a · read').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Key', { exact: true }).waitFor();
    expect((await bed.http.get('/session', { key: KEYS.bOperate })).body).toEqual({
      tenant: 'tenant-b',
      role: 'operate',
    });
    expect((await bed.http.get('/session')).status).toBe(401);
  });
});
