/**
 * Step packages with deployctl against the real API: `package deploy` of a folder (its .ts files,
 * not .d.ts or node_modules), the compiler's problems as file:line lines, then list, status,
 * redeploy, rollback, undeploy and logs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ACME_DNS_FILES } from '../packages/helpers/acme-dns';
import { useCliBed } from './helpers/cli';

const root = mkdtempSync(join(tmpdir(), 'deployctl-packages-'));
process.env['PACKAGES_DIR'] = join(root, 'store');
const bed = useCliBed();
// An undeploy is refused while any open run on the Temporal namespace uses the package's name, and every test file
// shares one dev server: a name no other file deploys keeps another file's paused runs out of this one's undeploy.
afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string, files: Readonly<Record<string, string>>): string {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

it('package deploy sends a folder’s .ts files; the compiler’s problems come back as file:line lines', async () => {
  const dir = folder('cli-dns', {
    ...ACME_DNS_FILES,
    'types.d.ts': 'declare const notSent: number;\n',
    'node_modules/left-pad/index.ts': "export default 'not sent';\n",
  });
  const deployed = await bed.cli(['package', 'deploy', 'cli-dns', dir]);
  expect([deployed.code, deployed.stdout]).toEqual([
    0,
    'cli-dns deployed as version 1: cli-dns  DEPLOYED  version 1  acme:dns:record\n',
  ]);
  expect((await bed.cli(['package', 'deploy', 'cli-dns', dir])).stdout).toBe(
    'cli-dns: nothing to do (deployed already)\n',
  );

  const broken = folder('broken', {
    ...ACME_DNS_FILES,
    'client.ts': `${ACME_DNS_FILES['client.ts'] ?? ''}export const n: number = 'x';\n`,
  });
  const refused = await bed.cli(['package', 'deploy', 'acme-broken', broken]);
  expect(refused.code).toBe(1);
  expect(refused.stderr.split('\n').slice(0, 2)).toEqual([
    'error: package "acme-broken" did not deploy (DEPLOYMENT_FAILED): 1 problem (400 invalid_package)',
    expect.stringMatching(/^ {2}client\.ts:11: Type 'string' is not assignable to type 'number'/),
  ]);
  expect((await bed.cli(['package', 'deploy', 'nothing', join(root, 'missing')])).stderr).toMatch(
    /^error: cannot read the package folder .*missing/,
  );
});

it('package list, status, redeploy, rollback, undeploy and logs', async () => {
  expect((await bed.cli(['package', 'list'])).stdout).toContain('cli-dns  DEPLOYED  version 1  acme:dns:record\n');
  const next = folder('cli-dns-2', { ...ACME_DNS_FILES, 'index.ts': `// v2\n${ACME_DNS_FILES['index.ts'] ?? ''}` });
  expect((await bed.cli(['package', 'redeploy', 'cli-dns', next])).stdout).toBe(
    'cli-dns deployed as version 2: cli-dns  DEPLOYED  version 2  acme:dns:record\n',
  );
  expect((await bed.cli(['package', 'rollback', 'cli-dns', '1'])).stdout).toBe(
    'cli-dns rolled back: cli-dns  DEPLOYED  version 1  acme:dns:record\n',
  );
  const status = (await bed.cli(['package', 'status', 'cli-dns'])).stdout.split('\n');
  expect(status[0]).toBe('cli-dns  DEPLOYED  version 1  acme:dns:record');
  expect(status).toContainEqual(expect.stringMatching(/^ {2}\* version 1 {2}\S+ {2}acme:dns:record$/));
  expect(status).toContainEqual(expect.stringMatching(/^ {4}version 2 {2}/));
  const undeployed = await bed.cli(['package', 'undeploy', 'cli-dns']);
  expect([undeployed.stdout, undeployed.stderr]).toEqual(['cli-dns undeployed: cli-dns  UNDEPLOYED\n', '']);
  expect((await bed.cli(['package', 'rollback', 'cli-dns', 'latest'])).stderr).toBe(
    'error: <version> is a version number (1, 2, …), not "latest"\n',
  );
  const logs = (await bed.cli(['package', 'logs', 'cli-dns'])).stdout;
  expect(logs).toMatch(/ {2}info {3}rolled back to version 1: acme:dns:record\n/);
  expect(logs).toMatch(/ {2}info {3}undeployed: new runs cannot use its types; its versions are kept\n$/);
  expect((await bed.cli(['package', 'status', 'never'])).stdout).toBe('never: never deployed\n');
});
