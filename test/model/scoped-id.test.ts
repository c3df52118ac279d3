import { scopedId, unscopedId } from '../../src/model/scoped-id';

it.each([
  ['app', null],
  ['app', 'acme'],
  ['release-2026-12', 'team_a'],
])('unscopedId reverses scopedId for deployment %s of tenant %s', (deploymentId, tenant) => {
  const scoped = scopedId(deploymentId, tenant);
  expect(scoped).toBe(tenant === null ? deploymentId : `${tenant}.${deploymentId}`);
  expect(unscopedId(scoped)).toEqual({ deploymentId, tenant });
});
