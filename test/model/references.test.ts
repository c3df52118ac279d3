/** Resolving references from outputs: all or nothing for a run, each on its own for a plan. */
import type { NodeReference, SpecNode } from '../../src/model/graph-types';
import { resolvableReferences, resolveReferences } from '../../src/model/references';

const ref = (raw: string, node_id: string, output: string | null): NodeReference => ({
  raw,
  node_id,
  resource_id: node_id,
  region: null,
  output,
});
const node: SpecNode = {
  node_id: 'fn',
  resource_id: 'fn',
  type: 'aws:lambda:function',
  operation: 'create',
  region: null,
  properties: {},
  tags: {},
  references: {
    role: ref('role', 'role', null),
    layer: ref('layer.version_arn', 'layer', 'version_arn'),
    code: ref('code.key', 'code', 'key'),
  },
};
const outputs: Record<string, Record<string, unknown>> = { role: { arn: 'arn:role' }, code: { bucket: 'b' } };

it('resolves every reference for a run, or names the first that cannot be', () => {
  expect(resolveReferences(node, (id) => outputs[id])).toEqual({
    ok: false,
    message: 'fn.references.layer: reference "layer.version_arn": node layer has not completed, so it has no outputs',
  });
  expect(
    resolveReferences(node, (id) => ({ ...outputs, layer: { version_arn: 'arn:layer:1' }, code: { key: 'k' } })[id]),
  ).toEqual({ ok: true, values: { role: 'arn:role', layer: 'arn:layer:1', code: 'k' } });
});

it('keeps, for a plan, each reference that resolves and leaves out the others', () => {
  expect(resolvableReferences(node, (id) => outputs[id])).toEqual({ role: 'arn:role' });
});
