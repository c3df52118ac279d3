/** Operators name nodes by node id, resource id, or resource[region]; ambiguous and unknown names are refused with candidates. */
import { nodeLabel, resolveNodeName } from '../../src/model/node-names';

const nodes = [
  { node_id: 'aaa111', resource_id: 'approve', region: null },
  { node_id: 'bbb222', resource_id: 'api', region: 'us-east-1' },
  { node_id: 'ccc333', resource_id: 'api', region: 'eu-west-1' },
];

it('takes a node id, a resource id, or resource[region]', () => {
  expect(resolveNodeName(nodes, 'aaa111')).toBe('aaa111');
  expect(resolveNodeName(nodes, 'approve')).toBe('aaa111');
  expect(resolveNodeName(nodes, 'api[eu-west-1]')).toBe('ccc333');
  expect(nodeLabel(nodes[1] as (typeof nodes)[number])).toBe('api[us-east-1]');
});

it('refuses an ambiguous name listing the candidates, and an unknown one saying how to name nodes', () => {
  expect(() => resolveNodeName(nodes, 'api')).toThrow(
    '"api" names 2 nodes: say which, e.g. "api[us-east-1]", "api[eu-west-1]"',
  );
  expect(() => resolveNodeName(nodes, 'nope')).toThrow(
    'no node "nope" in this deployment: name one by its resource id (or resource[region]) or node id',
  );
  expect(() => resolveNodeName(nodes, 'api[ap-south-1]')).toThrow('no node "api[ap-south-1]"');
});
