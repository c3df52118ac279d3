/**
 * `npm run cluster` as a user runs it (src/main-cluster.ts, its own process): it prints where
 * everything is, the APIs answer and share one Temporal, and Ctrl-C (SIGINT) stops every process
 * it started, in order, and exits 0.
 */
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRunning } from '../../src/runtime/cluster/leftovers';
import { useTempDirs } from '../../support/temp-dirs';

const ROOT = join(__dirname, '..', '..');
const tempDir = useTempDirs();

it('starts PostgreSQL, Temporal, workers and APIs, and Ctrl-C stops them all in order', async () => {
  const dataDir = tempDir('main-cluster-');
  chmodSync(dataDir, 0o755); // run as root, PostgreSQL runs as user postgres, which must reach its folder
  const args = [
    '--import',
    'tsx',
    'src/main-cluster.ts',
    '--workers',
    '2',
    '--apis',
    '2',
    '--api-port',
    '0',
    '--temporal-port',
    '0',
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    for (let i = 0; i < 600 && !output.includes('Ctrl-C stops everything'); i += 1) {
      if (child.exitCode !== null) throw new Error(`npm run cluster exited ${child.exitCode}:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(output).toContain('Ctrl-C stops everything, in order.');
    expect(output).toMatch(/^Workers {7}worker-1, worker-2 on task queue /m);
    const apis = [...output.matchAll(/^API \d +(http:\/\/127\.0\.0\.1:\d+)/gm)].map((m) => m[1] as string);
    expect(apis).toHaveLength(2);
    for (const api of apis) expect((await fetch(`${api}/health`)).status).toBe(200);

    const recorded = JSON.parse(readFileSync(join(dataDir, 'cluster', 'processes.json'), 'utf8')) as {
      name: string;
      pid: number;
    }[];
    expect(recorded.map((p) => p.name).sort()).toEqual([
      'api-1',
      'api-2',
      'postgres',
      'temporal',
      'worker-1',
      'worker-2',
    ]);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const stops = output.split('\n').filter((line) => line.startsWith('stopped'));
    expect(stops).toEqual([
      'stopped the APIs',
      'stopped the workers',
      'stopped the Temporal server',
      'stopped PostgreSQL',
      'stopped',
    ]);
    expect(recorded.filter((p) => isRunning(p.pid)).map((p) => p.name)).toEqual([]);
  } finally {
    child.kill('SIGKILL');
    await exited; // before its folder is removed
  }
});
