/**
 * `npm run fuzz:api [-- --quick]`: schemathesis (v4, recorded in .tools/paths.json by
 * `scripts/setup.mjs --with-fuzz`) against /openapi.json of a running gateway: a private dev
 * server, an in-process worker and the API, on free ports, stopped afterwards. Checks: no 5xx,
 * every status and content type documented, every body valid against its schema. Writes
 * bench/results/<timestamp>-fuzz-api.json (which `npm run chaos` includes) and exits 1 on findings.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startApi } from '../src/api/server';
import { loadEnv } from '../src/config/env';
import { freePort } from '../src/runtime/free-port';
import { recordedToolPaths, TOOL_PATHS_FILE } from '../src/runtime/temporal-cli';
import { parseArgs, runScript, section } from './lib/args';
import { startHarness } from './lib/harness';
import { RESULTS_DIR } from './lib/report';

const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
];
/** Closed ports: fuzzed GitHub/AWS resources must never reach the real providers. */
const NOWHERE = 'http://127.0.0.1:9';

function schemathesis(): string {
  const path = process.env['SCHEMATHESIS_PATH'] ?? recordedToolPaths()['schemathesis'];
  if (!path || !existsSync(path))
    throw new Error(
      `schemathesis not found (${TOOL_PATHS_FILE} key "schemathesis"): run \`node scripts/setup.mjs --for-tests --with-fuzz\``,
    );
  return path;
}

/** Runs `cmd` in `cwd` (schemathesis keeps a `.schemathesis/` folder of replays in its working directory). */
function run(cmd: string, args: string[], cwd?: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output += chunk.toString();
      process.stderr.write(chunk);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

interface Failure {
  readonly check: string;
  readonly operation: string;
  readonly title: string;
}

/** Failures by check and operation from schemathesis' NDJSON events (check nodes: name, status, failure_info.code_sample). */
function failuresIn(ndjson: string): Failure[] {
  const failures = new Map<string, Failure>();
  const visit = (value: unknown, operation: string): void => {
    if (Array.isArray(value)) return value.forEach((v) => visit(v, operation));
    if (typeof value !== 'object' || value === null) return;
    const obj = value as Record<string, unknown>;
    const label = typeof obj['label'] === 'string' ? obj['label'] : operation;
    if (
      typeof obj['name'] === 'string' &&
      String(obj['status']).toLowerCase() === 'failure' &&
      CHECKS.includes(obj['name'])
    ) {
      const info = obj['failure_info'] as { code_sample?: string; steps?: { curl?: string }[] } | null;
      const title = String(info?.code_sample || info?.steps?.[0]?.curl || '').trim();
      failures.set(`${obj['name']}|${label}`, { check: obj['name'], operation: label, title });
    }
    for (const child of Object.values(obj)) visit(child, label);
  };
  for (const line of ndjson.split('\n').filter(Boolean)) visit(JSON.parse(line), '');
  return [...failures.values()];
}

/** The `curl` line schemathesis printed under an operation's failure heading (`___ GET /path ___`). */
function reproduction(output: string, operation: string): string {
  const at = output.indexOf(` ${operation} _`);
  return at < 0 ? '' : (/curl [^\n]+/.exec(output.slice(at))?.[0] ?? '');
}

async function main(): Promise<void> {
  const args = parseArgs();
  const bin = schemathesis();
  const h = await section('start Temporal dev server, bundle, worker', () => startHarness());
  try {
    const port = await freePort();
    const env = loadEnv({
      PORT: String(port),
      TEMPORAL_ADDRESS: h.server.address,
      TASK_QUEUE: h.worker?.taskQueue,
      DATA_DIR: join(h.dir, 'data'),
      LOG_LEVEL: 'silent',
      LEDGER_DIR: h.ledger,
      GITHUB_API_URL: NOWHERE,
      AWS_ENDPOINT_URL: NOWHERE,
    });
    // the fuzzer sends far more than the default 600 requests a minute
    const api = await startApi({
      env,
      client: h.client,
      limits: { rateLimit: { windowMs: 60_000, limit: 1_000_000 } },
    });
    const ndjson = join(h.dir, 'events.ndjson');
    try {
      const fuzzArgs = [
        'run',
        `${api.url}/openapi.json`,
        '--checks',
        CHECKS.join(','),
        '--max-examples',
        args.quick ? '10' : '50',
        '--seed',
        String(args.seed),
        '--workers',
        '2',
        '--request-timeout',
        '5',
        '--no-color',
        '--report',
        'ndjson',
        '--report-ndjson-path',
        ndjson,
        '--suppress-health-check',
        'all',
        '--generation-database',
        'none',
      ];
      const began = performance.now();
      const { code, output } = await section('schemathesis', () => run(bin, fuzzArgs, h.dir));
      const failures = (existsSync(ndjson) ? failuresIn(await readFile(ndjson, 'utf8')) : []).map((f) => ({
        ...f,
        title: f.title || reproduction(output, f.operation),
      }));
      const count = (check: string): number => failures.filter((f) => f.check === check).length;
      const summary = /\d+ generated[^\n]*/.exec(output)?.[0] ?? `exit ${String(code)}`;
      const result = {
        version: (await run(bin, ['--version'])).output.trim(),
        exit_code: code,
        seconds: (performance.now() - began) / 1000,
        server_errors: count('not_a_server_error'),
        schema_violations: count('response_schema_conformance'),
        other_failures: failures.length - count('not_a_server_error') - count('response_schema_conformance'),
        failures,
        summary,
        command: `schemathesis ${fuzzArgs.join(' ')}`,
      };
      await mkdir(RESULTS_DIR, { recursive: true });
      const file = join(RESULTS_DIR, `${new Date().toISOString().replace(/[:.]/g, '-')}-fuzz-api.json`);
      await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
      console.log(
        `\nschemathesis: ${result.server_errors} server errors, ${result.schema_violations} schema violations, ${result.other_failures} other failures (${summary})`,
      );
      for (const f of failures) console.log(`  - ${f.check}: ${f.operation} ${f.title}`);
      console.log(`written: ${file}`);
      process.exitCode = failures.length === 0 && code === 0 ? 0 : 1;
    } finally {
      await api.close();
    }
  } finally {
    await h.stop();
  }
}

runScript(main);
