/**
 * The fuzzing results in the chaos report: the config fuzz test (jest, with FC_NUM_RUNS raised
 * for this profile) run here, and the newest `npm run fuzz:api` result, if one was written.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/runtime/temporal-cli';
import { RESULTS_DIR, type Report } from '../lib/report';

const CONFIG_FUZZ_TEST = 'test/model/config-fuzz.test.ts';

export async function configFuzz(report: Report, numRuns: number): Promise<void> {
  const began = performance.now();
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [join(PROJECT_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), CONFIG_FUZZ_TEST],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, FC_NUM_RUNS: String(numRuns) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const keep = (chunk: Buffer): void => void (out = (out + chunk.toString()).slice(-20_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('exit', (c) => resolve({ code: c, output: out }));
  });
  const tests = /Tests:\s+(.+)/.exec(output)?.[1]?.trim() ?? 'no summary';
  report.data['config_fuzz'] = {
    num_runs: numRuns,
    exit_code: code,
    summary: tests,
    seconds: (performance.now() - began) / 1000,
  };
  report.rows.push({
    section: '4 fuzzing',
    metric: `config fuzz (${CONFIG_FUZZ_TEST}), ${numRuns} runs per property`,
    value: code === 0 ? `passed (${tests})` : `FAILED (${tests})`,
    note: 'no crash, no 500, no started run',
  });
  if (code !== 0) report.notes.push(`config fuzz failed:\n\n\`\`\`\n${output.slice(-3_000)}\n\`\`\``);
}

export async function apiFuzz(report: Report): Promise<void> {
  const files = (await readdir(RESULTS_DIR).catch(() => [] as string[]))
    .filter((f) => f.endsWith('-fuzz-api.json'))
    .sort();
  const newest = files[files.length - 1];
  if (!newest) {
    report.rows.push({
      section: '4 fuzzing',
      metric: 'API fuzz (schemathesis)',
      value: 'not run',
      note: 'run `npm run fuzz:api` first; its newest result is included here',
    });
    return;
  }
  const found = JSON.parse(await readFile(join(RESULTS_DIR, newest), 'utf8')) as {
    summary: string;
    server_errors: number;
    schema_violations: number;
    other_failures: number;
    failures: { check: string; operation: string; title: string }[];
  };
  report.data['api_fuzz'] = { file: newest, ...found };
  const listed = found.failures.map((f) => `${f.check} on ${f.operation}`).join('; ');
  report.rows.push({
    section: '4 fuzzing',
    metric: `API fuzz (schemathesis, ${newest})`,
    value: `${found.server_errors} server errors, ${found.schema_violations} schema violations, ${found.other_failures} other`,
    note: listed || found.summary,
  });
  for (const f of found.failures)
    report.notes.push(`API fuzz: ${f.check} on ${f.operation}${f.title ? `: \`${f.title}\`` : ''}`);
}
