/**
 * OpenTofu walking a bench graph: each node a `terraform_data` resource (built into OpenTofu, so
 * `tofu init` needs no registry) whose `local-exec` provisioner sleeps the node's duration (`true`
 * for 0 ms), with the node's predecessors as `depends_on`, applied at the same parallelism. Per-node
 * start and completion come from `tofu apply -json` (`apply_start` / `apply_complete`).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchGraph } from '../lib/graphs';

export interface TofuRun {
  /** First node started → last node completed, ms. */
  readonly makespanMs: number;
  /** The whole `tofu apply` (plan included), ms. */
  readonly wallMs: number;
  /** Per node index: when it started and completed, ms since the epoch. */
  readonly startedAt: readonly number[];
  readonly completedAt: readonly number[];
}

/** The configuration: node i is `terraform_data.n<i>`. */
export function tofuConfig(graph: BenchGraph): string {
  return graph.durations
    .map((duration, i) => {
      const command = duration > 0 ? `sleep ${(duration / 1000).toFixed(3)}` : 'true';
      const after = (graph.preds[i] ?? []).map((p) => `terraform_data.n${p}`);
      return [
        `resource "terraform_data" "n${i}" {`,
        ...(after.length > 0 ? [`  depends_on = [${after.join(', ')}]`] : []),
        `  provisioner "local-exec" {`,
        `    command = "${command}"`,
        `  }`,
        `}`,
      ].join('\n');
    })
    .join('\n');
}

/** How long one `tofu apply` may take before the bench gives up on it (and says so). */
export const TOFU_TIMEOUT_MS = 3 * 60_000;

/** Why OpenTofu has no figure for a case: it failed, or ran past TOFU_TIMEOUT_MS. */
export interface TofuMiss {
  readonly missed: string;
}

export const missed = (run: TofuRun | TofuMiss): run is TofuMiss => 'missed' in run;

/**
 * Applies `graph` with `tofu` at `parallelism` in a fresh folder and reads when each node ran; a
 * miss when the apply fails or does not finish within TOFU_TIMEOUT_MS (it is killed then).
 */
export async function tofuApply(tofu: string, graph: BenchGraph, parallelism: number): Promise<TofuRun | TofuMiss> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-tofu-'));
  try {
    await writeFile(join(dir, 'main.tf'), tofuConfig(graph));
    // An empty CLI configuration: no mirrors, no credentials, nothing from the user's own.
    await writeFile(join(dir, 'cli.tfrc'), '');
    const env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: join(dir, 'cli.tfrc'),
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
    };
    const init = await exec(tofu, ['init', '-input=false', '-no-color'], dir, env);
    if (!init.ok) return { missed: `tofu init ${init.why}` };
    const began = performance.now();
    const applied = await exec(
      tofu,
      ['apply', '-auto-approve', '-input=false', '-json', `-parallelism=${parallelism}`],
      dir,
      env,
      TOFU_TIMEOUT_MS,
    );
    if (!applied.ok) return { missed: `tofu apply ${applied.why}` };
    const wallMs = performance.now() - began;
    const startedAt: number[] = [];
    const completedAt: number[] = [];
    for (const line of applied.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const message = JSON.parse(line) as {
        type?: string;
        '@timestamp'?: string;
        hook?: { resource?: { addr?: string } };
      };
      const index = /^terraform_data\.n(\d+)$/.exec(message.hook?.resource?.addr ?? '')?.[1];
      if (index === undefined || !message['@timestamp']) continue;
      const at = Date.parse(message['@timestamp']);
      if (message.type === 'apply_start') startedAt[Number(index)] = at;
      if (message.type === 'apply_complete') completedAt[Number(index)] = at;
    }
    const missing = graph.durations.findIndex((_, i) => startedAt[i] === undefined || completedAt[i] === undefined);
    if (missing >= 0) return { missed: `tofu apply did not report node n${missing}` };
    return {
      makespanMs: Math.max(...completedAt) - Math.min(...startedAt),
      wallMs,
      startedAt,
      completedAt,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The command's stdout, or why there is none (it failed, or ran past `timeoutMs` and was killed). */
function exec(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = TOFU_TIMEOUT_MS,
): Promise<{ ok: true; stdout: string } | { ok: false; why: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => resolve({ ok: false, why: error.message }));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) resolve({ ok: false, why: `did not finish within ${timeoutMs / 60_000} min` });
      else if (code === 0) resolve({ ok: true, stdout: Buffer.concat(out).toString('utf8') });
      else
        resolve({
          ok: false,
          why: `exited ${code ?? signal}: ${diagnostics(Buffer.concat(out), Buffer.concat(err))}`,
        });
    });
  });
}

/** Why a tofu command failed: its error diagnostics (JSON lines with -json), else the end of its output. */
function diagnostics(stdout: Buffer, stderr: Buffer): string {
  const errors = stdout
    .toString('utf8')
    .split('\n')
    .filter((line) => line.includes('"@level":"error"'))
    .map((line) => (JSON.parse(line) as { '@message'?: string })['@message'] ?? line);
  return (errors.length > 0 ? errors.join('; ') : `${stderr.toString('utf8')}${stdout.toString('utf8')}`).slice(-500);
}
