/**
 * deployctl on a terminal (a real pseudo-terminal, util-linux `script`): the live view (listr2)
 * with colors and redraw ending with the run's outcome; a pause offered to continue there (y), a
 * failure offered a decision (r retries); off a terminal, no question and no control codes, even
 * with colors allowed.
 */
import { config, delay } from '../../support/deployments';
import { useCliBed } from './helpers/cli';

const bed = useCliBed();
// Colors allowed (startCli turns them off by default): only the terminal may show them.
const COLORS = { NO_COLOR: '' };
const plain = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

const pauseConfig = () =>
  config({
    build: delay({ duration_ms: 100 }),
    release: delay({ duration_ms: 100 }, { depends_on: [{ resource: 'build', edge: 'pause' }] }),
  });

describe('deployctl on a terminal', () => {
  it('renders the live view, offers to continue a pause, continues on y, and ends with the outcome', async () => {
    const cfg = pauseConfig();
    const id = String(cfg['deployment_id']);
    const apply = bed.onTerminal(['apply', await bed.file('tty-pause.json', cfg)], COLORS);
    await apply.printed('continue release now? [y/N]');
    apply.type('y');
    const { code, stdout } = await apply.done;
    expect(code).toBe(0);
    expect(stdout).toContain('\u001b['); // colors and redraw
    const shown = plain(stdout);
    expect(shown).toMatch(/✔ build: completed in [\d.]+s/);
    expect(shown).toMatch(/✔ release: completed in [\d.]+s/);
    expect(shown).toContain(`run paused: release (pause_edge); continue: deployctl continue ${id} --node release`);
    expect(shown.trimEnd()).toMatch(/✔ run completed after [\d.]+s: 2 completed$/);
    expect(shown).not.toContain('not run');
    expect(await bed.get(`/deploy/status/${id}`)).toMatchObject({ status: 'completed' });
  });

  it('offers a decision after a failure: r retries the failed node and the run completes', async () => {
    const cfg = config({ flaky: delay({ duration_ms: 10, fail_times: 1 }) });
    const id = String(cfg['deployment_id']);
    const apply = bed.onTerminal(['apply', await bed.file('tty-fail.json', cfg)], COLORS);
    await apply.printed('flaky failed: [r]etry, [s]kip, roll[b]ack or [a]bort now?');
    apply.type('r');
    const { code, stdout } = await apply.done;
    expect(plain(stdout)).toMatch(/run completed after [\d.]+s: 1 completed/);
    expect(code).toBe(0);
    expect(await bed.get(`/deploy/status/${id}`)).toMatchObject({ status: 'completed' });
  });

  it('off a terminal: no question, the command to continue instead, and no control codes', async () => {
    const cfg = pauseConfig();
    const id = String(cfg['deployment_id']);
    const apply = bed.start(['apply', await bed.file('pipe-pause.json', cfg)], COLORS);
    await apply.printed(`continue: deployctl continue ${id} --node release\n`);
    expect((await bed.cli(['continue', id])).code).toBe(0);
    const { code, stdout, stderr } = await apply.done;
    expect(code).toBe(0);
    expect(`${stdout}${stderr}`).not.toMatch(/\u001b|now\?/);
  });
});
