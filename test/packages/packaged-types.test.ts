/**
 * What a process serves from the package store (src/resources/packages/packaged-types.ts): each
 * package's current version, loaded by hash on first use; a version that throws while loading
 * here becomes types whose every operation fails saying why, and the others still load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePackage } from '../../src/api/services/package-compile';
import { PackageStore, type PackageRecord } from '../../src/resources/packages/package-store';
import { ACME_DNS_FILES } from './helpers/acme-dns';

const dir = mkdtempSync(join(tmpdir(), 'packaged-types-'));
process.env['PACKAGES_DIR'] = dir;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const store = new PackageStore(dir);

function deployByHand(name: string, modules: Record<string, string>, hash: string, types: string[]): void {
  store.writeVersion({ name, hash, modules });
  const record: PackageRecord = {
    name,
    tenant: null,
    status: 'DEPLOYED',
    current: hash,
    versions: [{ version: 1, hash, deployed_at: new Date().toISOString(), types }],
    logs: [],
  };
  store.save(record);
}

it('loads a type not known yet at once, and fails only the nodes of a package that throws while loading here', async () => {
  // The registry is imported after PACKAGES_DIR is set: it reads the store of this process's configuration.
  const { registry, resourceType } = await import('../../src/resources/registry');
  expect(registry.has('acme:dns:record')).toBe(false);

  const compiled = compilePackage('acme-dns', ACME_DNS_FILES);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  deployByHand('acme-dns', compiled.modules, compiled.hash, compiled.types);
  deployByHand('acme-broken', { 'index.ts': "throw new Error('no settings file here');" }, 'b'.repeat(64), [
    'acme:broken:thing',
  ]);

  expect(resourceType('acme:dns:record').provider).toBe('package');
  const broken = resourceType('acme:broken:thing');
  const target = { node: { operation: 'apply' } } as never;
  await expect(broken.apply({} as never, target)).rejects.toThrow(
    'acme:broken:thing: package "acme-broken" failed to load: no settings file here',
  );
  expect(registry.get('core:delay')?.type).toBe('core:delay');
});
