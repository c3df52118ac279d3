/**
 * The package folder's lock: processes sharing the folder change its index one at a time, and a
 * lock left by a process that died is taken over once it is stale.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackageStore } from '../../src/resources/packages/package-store';

const dir = mkdtempSync(join(tmpdir(), 'package-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('runs changes of two stores on one folder one at a time', async () => {
  const [a, b] = [new PackageStore(dir), new PackageStore(dir)];
  const steps: string[] = [];
  const change = (name: string) => async () => {
    steps.push(`${name} starts`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    steps.push(`${name} ends`);
  };
  await Promise.all([a.exclusively(change('a')), b.exclusively(change('b'))]);
  expect(steps).toEqual(['a starts', 'a ends', 'b starts', 'b ends']);
});

it('takes over a lock left behind by a process that died', async () => {
  const lock = join(dir, 'index.lock');
  writeFileSync(lock, '');
  const old = new Date(Date.now() - 5 * 60_000);
  utimesSync(lock, old, old);
  await expect(new PackageStore(dir).exclusively(() => Promise.resolve('done'))).resolves.toBe('done');
});
