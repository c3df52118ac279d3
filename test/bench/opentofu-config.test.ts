/** The OpenTofu peer's configuration of a bench graph (bench/peers/opentofu.ts): one terraform_data per node. */
import { chain, layeredDag } from '../../bench/lib/graphs';
import { rng } from '../../bench/lib/prng';
import { tofuConfig } from '../../bench/peers/opentofu';

describe("the OpenTofu peer's configuration", () => {
  it('gives each node a terraform_data resource that sleeps its duration after its predecessors', () => {
    const graph = layeredDag(rng(7), 30, [10, 100], [300, 1_000]);
    const text = tofuConfig(graph);
    const blocks = text.split(/^resource /m).filter(Boolean);
    expect(blocks).toHaveLength(30);
    graph.durations.forEach((duration, i) => {
      const block = blocks[i] ?? '';
      expect(block).toContain(`"terraform_data" "n${i}" {`);
      expect(block).toContain(`command = "sleep ${(duration / 1000).toFixed(3)}"`);
      const after = [...block.matchAll(/terraform_data\.n(\d+)/g)].map((m) => Number(m[1]));
      expect(after.sort((a, b) => a - b)).toEqual([...(graph.preds[i] ?? [])].sort((a, b) => a - b));
    });
  });

  it('runs `true` for a zero-duration node and gives a chain one dependency per node', () => {
    const text = tofuConfig(chain(3));
    expect(text.match(/command = "true"/g)).toHaveLength(3);
    expect(text).toContain('depends_on = [terraform_data.n1]');
    expect(text).not.toMatch(/"n0" \{\n {2}depends_on/);
  });
});
