/**
 * `deployctl plan` against the real API: the readable plan, `--detailed-exitcode` (0 no changes,
 * 2 changes, 1 an invalid config with its field paths), a saved plan applied by `apply --plan`,
 * and `--help` of every command.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config, delay } from '../../support/deployments';
import { useCliBed } from './helpers/cli';

let ledger: string;
const bed = useCliBed({
  clients: {
    get ledgerPath() {
      return ledger;
    },
  },
  secrets: null,
});

beforeAll(async () => {
  ledger = await mkdtemp(join(tmpdir(), 'deployctl-ledger-'));
});
afterAll(() => rm(ledger, { recursive: true, force: true }));

const twoSteps = () =>
  config({
    build: delay({ duration_ms: 10, outputs: { artifact: 'app.zip' } }),
    release: delay({ duration_ms: 10 }, { depends_on: [{ resource: 'build', edge: 'pause' }] }),
  });

describe('deployctl plan', () => {
  it('shows one line per node by parallel group, the pause, the estimate; --detailed-exitcode 2 for changes', async () => {
    const file = await bed.file('two.json', twoSteps());
    const { code, stdout } = await bed.cli(['plan', file, '--detailed-exitcode']);
    expect(code).toBe(2);
    expect(stdout).toMatch(/group 1\n {2}\+ build core:delay\n/);
    expect(stdout).toMatch(/group 2\n {2}\+ release core:delay \(waits for a continue first\)\n/);
    expect(stdout).toContain('Warnings:\n  ! the run pauses before release until a continue');
    expect(stdout).toMatch(
      /Plan: 2 to create, 0 to update, 0 to delete, 0 unchanged; 2 parallel groups, estimated time \d+(\.\d+)?s\./,
    );
    expect((await bed.cli(['plan', file])).code).toBe(0);
    expect(stdout).not.toContain('In flight at once');
  });

  it('shows settings.limits beside max_parallel, each with the nodes it bounds', async () => {
    const cfg = twoSteps();
    cfg['settings'] = { ...(cfg['settings'] as object), max_parallel: 4, limits: { 'core:delay': 1, github: 2 } };
    const { stdout } = await bed.cli(['plan', await bed.file('limited.json', cfg)]);
    expect(stdout).toContain('In flight at once: 4 nodes; core:delay 1 (2 nodes), github 2 (0 nodes).');
    expect(stdout).toContain('  ! settings.limits.github bounds no node of this deployment');
  });

  it('exits 0 with --detailed-exitcode when every node is a no-op (live state says it is applied)', async () => {
    const cfg = config({ only: delay({ duration_ms: 10 }) });
    const file = await bed.file('applied.json', cfg);
    const plan = JSON.parse((await bed.cli(['--json', 'plan', file])).stdout) as { nodes: { node_id: string }[] };
    const nodeId = plan.nodes[0]?.node_id ?? '';
    // core:delay's live plan reads its effect ledger: the live plan's run key is "default".
    await mkdir(join(ledger, 'default'), { recursive: true });
    await writeFile(join(ledger, 'default', `${nodeId}.jsonl`), `${JSON.stringify({ event: 'apply', attempt: 1 })}\n`);
    const { code, stdout } = await bed.cli(['plan', file, '--live', '--detailed-exitcode']);
    expect({ code, stdout }).toEqual({ code: 0, stdout: expect.stringContaining('  = only core:delay') });
    expect(stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 1 unchanged');
  });

  it('exits 1 on an invalid config with each field path and what to do', async () => {
    const file = await bed.file(
      'bad.json',
      config({ a: delay({ duration_ms: 'soon' }), b: delay({}, { depends_on: ['nope'] }) }),
    );
    const { code, stdout, stderr } = await bed.cli(['plan', file, '--detailed-exitcode']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: the request is invalid: \d problems \(400 validation_error\)\n/);
    expect(stderr).toContain(
      '\n  config.resources.a.properties.duration_ms: Invalid input: expected number, received string\n',
    );
    expect(stderr).toContain(
      '\n  config.resources.b.depends_on.0: depends on "nope", which is not a resource of this deployment\n',
    );
    expect(stderr).toContain('hint: fix the fields above');
  });

  it('saves a plan with --save and applies exactly it with apply --plan', async () => {
    const cfg = config({ only: delay({ duration_ms: 10 }) });
    const file = await bed.file('saved.json', cfg);
    const saved = await bed.cli(['plan', file, '--save']);
    const graphId = /deployctl apply --plan (\w+)/.exec(saved.stdout)?.[1];
    expect(graphId).toBeDefined();
    const applied = await bed.cli(['apply', '--plan', graphId ?? '']);
    expect(applied.stdout).toContain(`graph ${graphId}`);
    expect(applied.stdout).toMatch(/run completed after [\d.]+s: 1 completed/);
    expect(applied.code).toBe(0);
  });
});

describe('deployctl --help', () => {
  const COMMANDS = [
    'plan',
    'apply',
    'status',
    'watch',
    'logs',
    'history',
    'list',
    'continue',
    'retry',
    'skip',
    'rollback',
    'abort',
    'verify',
    'destroy',
    'move',
    'schedule',
    'template',
    'seal',
  ];

  it('lists every command, the connection settings and the exit codes', async () => {
    const { code, stdout } = await bed.cli(['--help']);
    expect(code).toBe(0);
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`\\n  ${command} `));
    for (const text of ['DEPLOY_URL', 'DEPLOY_API_KEY', 'DEPLOYCTL_CONFIG', 'Exit codes:', '--json'])
      expect(stdout).toContain(text);
  });

  it('describes each command, its arguments and options, and the subcommands of schedule and template', async () => {
    const helps = await Promise.all(
      [
        ...COMMANDS.map((c) => [c]),
        ['schedule', 'create'],
        ['schedule', 'list'],
        ['schedule', 'pause'],
        ['schedule', 'unpause'],
        ['schedule', 'trigger'],
        ['template', 'list'],
        ['template', 'show'],
        ['template', 'apply'],
      ].map(async (words) => ({ words, ...(await bed.cli([...words, '--help'])) })),
    );
    for (const { words, code, stdout } of helps) {
      expect({ words, code }).toEqual({ words, code: 0 });
      expect(stdout).toContain(`Usage: deployctl ${words.join(' ')}`);
      expect(stdout.split('\n')[2]?.length).toBeGreaterThan(10); // the description
    }
    const text = (words: string) => helps.find((h) => h.words.join(' ') === words)?.stdout ?? '';
    expect(text('schedule')).toMatch(/create[\s\S]*list[\s\S]*pause[\s\S]*trigger/);
    expect(text('template')).toMatch(/list[\s\S]*show[\s\S]*apply/);
    expect(text('plan')).toContain('--detailed-exitcode');
    expect(text('apply')).toMatch(/--plan[\s\S]*--mode[\s\S]*--detach[\s\S]*--detach-on-pause/);
    expect(text('continue')).toContain('--node <name>');
    expect(text('template apply')).toMatch(/--input <name=value>[\s\S]*--inputs <file>/);
  });
});
