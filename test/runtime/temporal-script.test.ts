/**
 * `npm run temporal -- …`: the project's own Temporal CLI, pointed at the server and namespace the
 * service uses (TEMPORAL_ADDRESS, else 127.0.0.1:TEMPORAL_PORT; TEMPORAL_NAMESPACE), read as the
 * service reads them.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { temporalAddress } from '../../support/temporal';
import { ROOT } from './helpers/main-process';

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run -s temporal -- …args` with only the given TEMPORAL_* variables set. */
function npmTemporal(args: string[], env: Record<string, string>): Promise<Ran> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TEMPORAL_')));
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '-s', 'temporal', '--', ...args],
      { cwd: ROOT, env: { ...base, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let dir: string;
let echo: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'temporal-script-test-'));
  echo = join(dir, 'temporal');
  await writeFile(echo, '#!/bin/sh\necho "address=$TEMPORAL_ADDRESS namespace=$TEMPORAL_NAMESPACE args=$*"\n');
  await chmod(echo, 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('npm run temporal', () => {
  it('runs the CLI setup installed (npm run -s temporal -- --version)', async () => {
    const ran = await npmTemporal(['--version'], {});
    expect(ran).toMatchObject({ code: 0, stderr: '' });
    expect(ran.stdout).toMatch(/^temporal version \d+\.\d+\.\d+/);
  });

  it('points it at the embedded dev server of TEMPORAL_PORT (default 7233) and TEMPORAL_NAMESPACE, passing every argument', async () => {
    const defaults = await npmTemporal(['workflow', 'list', '--limit', '1'], { TEMPORAL_CLI_PATH: echo });
    expect(defaults.stdout).toBe('address=127.0.0.1:7233 namespace=default args=workflow list --limit 1\n');
    const chosen = await npmTemporal(['workflow', 'list'], {
      TEMPORAL_CLI_PATH: echo,
      TEMPORAL_PORT: '7299',
      TEMPORAL_NAMESPACE: 'team-a',
    });
    expect(chosen.stdout).toBe('address=127.0.0.1:7299 namespace=team-a args=workflow list\n');
  });

  it('prefers TEMPORAL_ADDRESS, as the service does', async () => {
    const ran = await npmTemporal(['operator', 'namespace', 'list'], {
      TEMPORAL_CLI_PATH: echo,
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_PORT: '7299',
    });
    expect(ran.stdout).toBe('address=temporal.internal:7233 namespace=default args=operator namespace list\n');
  });

  it('reaches a real server that way', async () => {
    const port = temporalAddress().split(':')[1] ?? '';
    const ran = await npmTemporal(['operator', 'namespace', 'describe'], { TEMPORAL_PORT: port });
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/NamespaceInfo\.Name\s+default/);
    const elsewhere = await npmTemporal(['operator', 'namespace', 'describe'], {
      TEMPORAL_PORT: port,
      TEMPORAL_NAMESPACE: 'no-such-namespace',
    });
    expect(elsewhere.code).not.toBe(0);
    expect(elsewhere.stderr).toContain('no-such-namespace');
  });

  it('refuses a configuration the service would refuse, naming the variable', async () => {
    const ran = await npmTemporal(['workflow', 'list'], { TEMPORAL_CLI_PATH: echo, TEMPORAL_PORT: 'seventy' });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('TEMPORAL_PORT: must be a port number from 1 to 65535 (got "seventy")');
    expect(ran.stdout).toBe('');
  });
});
