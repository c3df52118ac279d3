/**
 * `deployctl apply` keeps following a run across a gateway restart: the event stream drops, the CLI
 * reconnects to the same port, the new stream starts from the run's current state, and every
 * node's events are printed once: none lost, none repeated.
 */
import { config, delay } from '../../support/deployments';
import { useCliBed } from './helpers/cli';

const bed = useCliBed();

it('survives a gateway restart mid-run without losing or repeating an event', async () => {
  const nodes = ['one', 'two', 'three', 'four'];
  const cfg = config(
    Object.fromEntries(
      nodes.map((id, i) => [id, delay({ duration_ms: 800 }, i === 0 ? {} : { depends_on: [nodes[i - 1]] })]),
    ),
  );
  const apply = bed.start(['apply', await bed.file('chain.json', cfg)]);
  await apply.printed('one: completed');
  await bed.gateway.restart(300);
  const { code, stdout, stderr } = await apply.done;
  expect(stderr).toMatch(/event stream dropped \(.*\): reconnecting/);
  const lines = stdout.split('\n');
  for (const node of nodes) {
    expect(lines.filter((l) => l === `${node}: started`)).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith(`${node}: completed in `))).toHaveLength(1);
  }
  expect(lines.filter((l) => l.startsWith('run completed'))).toHaveLength(1);
  expect(code).toBe(0);
});
