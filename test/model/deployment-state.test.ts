/** Seed 002's statuses from the latest apply or destroy run. */
import { deploymentStateOf } from '../../src/model/deployment-state';

it('derives every seed 002 status from the latest run', () => {
  const of = (action: string, runStatus: string) => deploymentStateOf({ action, runStatus });
  expect(deploymentStateOf(null)).toBe('UNDEPLOYED');
  expect([
    of('apply', 'running'),
    of('apply', 'paused'),
    of('apply', 'awaiting_decision'),
    of('apply', 'rolling_back'),
  ]).toEqual(Array(4).fill('DEPLOYING'));
  expect([of('apply', 'completed'), of('apply', 'ended')]).toEqual(['DEPLOYED', 'DEPLOYED']);
  expect([
    of('apply', 'failed'),
    of('apply', 'rolled_back'),
    of('apply', 'aborted'),
    of('apply', 'terminated'),
  ]).toEqual(Array(4).fill('DEPLOYMENT_FAILED'));
  expect([
    of('destroy', 'running'),
    of('destroy', 'completed'),
    of('destroy', 'failed'),
    of('destroy', 'ended'),
  ]).toEqual(['UNDEPLOYING', 'UNDEPLOYED', 'DEPLOYMENT_FAILED', 'DEPLOYMENT_FAILED']);
});
