/**
 * `operation: "delete"` on a type that does not handle it itself (aws:iam:role, through the
 * registry's generic behaviour, on moto): plan says delete while the role is there and no-op once
 * it is gone, apply deletes it, verify is in sync only once it is gone, compensation is irreversible.
 */
import { CreateRoleCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { DELETED_IRREVERSIBLE } from '../../src/resources/delete-operation';
import { resourceType } from '../../src/resources/registry';
import type { NodeTarget } from '../../src/resources/resource-type';
import { useAwsBed } from './helpers/aws-bed';

const bed = useAwsBed();

const role = resourceType('aws:iam:role');
const asDelete = (target: NodeTarget<unknown>): NodeTarget<unknown> => ({
  ...target,
  node: { ...target.node, operation: 'delete' },
});
const iam = () => bed.clients.forRegion('us-east-1', null).iam;

it('plans, applies, verifies and compensates a delete node of a type without its own delete handling', async () => {
  const ctx = bed.ctx();
  const created = bed.target(role, { role_name: 'old-role' });
  await role.apply(ctx, created);
  const target = asDelete(created);

  await expect(role.plan(ctx, target)).resolves.toEqual({
    action: 'delete',
    diff: [{ property: 'exists', desired: false, actual: true }],
    warnings: [],
  });
  await expect(role.verify(ctx, target, null)).resolves.toEqual({
    drift: [{ property: 'exists', desired: false, actual: true }],
  });
  await expect(role.apply(ctx, target)).resolves.toEqual({ outputs: { deleted: true }, undo: { deleted: true } });
  await expect(iam().send(new GetRoleCommand({ RoleName: 'old-role' }))).rejects.toMatchObject({
    name: 'NoSuchEntityException',
  });

  await expect(role.plan(ctx, target)).resolves.toEqual({ action: 'no-op', diff: [], warnings: ['already absent'] });
  await expect(role.verify(ctx, target, null)).resolves.toEqual({ drift: [] });
  await expect(role.apply(ctx, target)).resolves.toEqual({ outputs: { deleted: true }, undo: { deleted: true } });
  await expect(role.compensate(ctx, target, { deleted: true })).resolves.toEqual({ outcome: DELETED_IRREVERSIBLE });
});

it('plans a same-named role that is not ours as a delete whose apply refuses it, naming it', async () => {
  await iam().send(
    new CreateRoleCommand({
      RoleName: 'foreign-role',
      AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
    }),
  );
  const target = asDelete(bed.target(role, { role_name: 'foreign-role' }));
  const plan = await role.plan(bed.ctx(), target);
  expect(plan.action).toBe('delete');
  expect(plan.warnings).toEqual([
    expect.stringContaining('IAM role foreign-role already exists and is not managed by this node'),
  ]);
  await expect(role.apply(bed.ctx(), target)).rejects.toMatchObject({ type: 'conflict' });
});
