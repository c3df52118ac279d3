/**
 * `deployctl apply` as a process against the real API and a real worker, in non-TTY mode: it
 * follows a run to its end with one line per node event, reports a pause with the command that
 * continues it, exits non-zero with a failed node's error, and prints NDJSON with --json.
 */
import { config, delay } from '../../support/deployments';
import { useCliBed } from './helpers/cli';

const bed = useCliBed();

const count = (text: string, line: string) => text.split('\n').filter((l) => l === line).length;

describe('deployctl apply', () => {
  it('follows a run to completed: one line per node event, the outcome, exit 0', async () => {
    const cfg = config({
      build: delay({ duration_ms: 200 }),
      test: delay({ duration_ms: 100 }, { depends_on: ['build'] }),
      lint: delay({ duration_ms: 100 }, { depends_on: ['build'] }),
    });
    const { code, stdout, stderr } = await bed.cli(['apply', await bed.file('three.json', cfg)]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(
      new RegExp(`^apply run \\S+ of ${String(cfg['deployment_id'])} started \\(FULL, graph \\w+\\)\\n`),
    );
    for (const node of ['build', 'test', 'lint']) {
      expect(count(stdout, `${node}: started`)).toBe(1);
      expect(stdout.split('\n').filter((l) => new RegExp(`^${node}: completed in \\d+\\.\\ds$`).test(l))).toHaveLength(
        1,
      );
    }
    expect(stdout.indexOf('build: completed')).toBeLessThan(stdout.indexOf('test: started'));
    expect(stdout).toMatch(/\nrun completed after [\d.]+s: 3 completed\n$/);
    expect(stdout).not.toContain('\u001b'); // no control codes in CI logs
  });

  it('reports a pause with how to continue; `deployctl continue` finishes the run', async () => {
    const cfg = config({
      build: delay({ duration_ms: 10 }),
      release: delay({ duration_ms: 10 }, { depends_on: [{ resource: 'build', edge: 'pause' }] }),
    });
    const id = String(cfg['deployment_id']);
    const apply = bed.start(['apply', await bed.file('pause.json', cfg)]);
    await apply.printed('run paused');
    const continued = await bed.cli(['continue', id, '--node', 'release']);
    expect(continued).toEqual({ code: 0, stdout: `continue accepted by ${id}: release\n`, stderr: '' });
    const { code, stdout } = await apply.done;
    expect(stdout).toContain(
      `release: paused: waits for a continue\nrun paused: release (pause_edge); continue: deployctl continue ${id} --node release\n`,
    );
    expect(stdout).toMatch(/release: completed in [\d.]+s\nrun completed after [\d.]+s: 2 completed\n$/);
    expect(code).toBe(0);
  });

  it("exits non-zero when a node fails, with the node's error in full", async () => {
    const cfg = config(
      { build: delay({ duration_ms: 10, fail_times: 5, non_retryable: true, fail_message: 'disk full on /var' }) },
      { on_failure: 'rollback' },
    );
    const { code, stdout } = await bed.cli(['apply', await bed.file('fail.json', cfg)]);
    expect(stdout).toContain(
      'build: failed after 1 attempt (operation_failed): disk full on /var (attempt 1 of 5 failing)\n',
    );
    expect(stdout).toMatch(/\nrun (failed|rolled back) after [\d.]+s: .*1 failed/);
    expect(code).toBe(1);
  });

  it('--json prints NDJSON: the start, each event as it comes, the end', async () => {
    const cfg = config({ a: delay({ duration_ms: 10 }), b: delay({ duration_ms: 10 }, { depends_on: ['a'] }) });
    const { code, stdout } = await bed.cli(['--json', 'apply', await bed.file('json.json', cfg)]);
    expect(code).toBe(0);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ event: 'run_started', deployment_id: cfg['deployment_id'], action: 'apply' });
    const nodeEvents = lines
      .filter((l) => String(l['event']).startsWith('node_'))
      .map((l) => `${String(l['resource_id'])} ${String(l['event'])}`);
    expect(nodeEvents.filter((e) => e.endsWith('node_completed')).sort()).toEqual([
      'a node_completed',
      'b node_completed',
    ]);
    expect(nodeEvents.indexOf('a node_completed')).toBeLessThan(nodeEvents.indexOf('b node_completed'));
    expect(lines.at(-1)).toMatchObject({ event: 'run_finished', status: 'completed', counts: { completed: 2 } });
  });

  it('a second apply while one runs reads like the API: the lock holder and how to watch it', async () => {
    // Long enough that the abort below, not the node's end, finishes the run however slow the machine.
    const cfg = config({ slow: delay({ duration_ms: 60_000 }) });
    const file = await bed.file('lock.json', cfg);
    const first = bed.start(['apply', file]);
    await first.printed('slow: started');
    const second = await bed.cli(['apply', file]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      /^error: deployment already has an active run \(deploy-\S+, run \S+\) \(409 run_active\)\n/,
    );
    expect(second.stderr).toContain(
      'hint: one run at a time per deployment: follow it with `deployctl watch <deployment>`',
    );
    await bed.cli(['abort', String(cfg['deployment_id'])]);
    expect((await first.done).code).toBe(1);
  });
});
