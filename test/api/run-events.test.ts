/** The events a run's event stream sends, from two successive states: pure, no server. */
import { runEvents } from '../../src/api/services/run-events';
import { nodeError } from '../../src/model/error-names';
import type { NodeState, RunStatus } from '../../src/model/run-types';

const node = (status: NodeState['status'], extra: Partial<NodeState> = {}): NodeState =>
  ({
    node_id: 'n1',
    resource_id: 'deploy',
    type: 'github:action:trigger',
    region: null,
    status,
    ...extra,
  }) as NodeState;
const state = (status: RunStatus['status'], nodes: NodeState[]): RunStatus =>
  ({ status, counts: {}, waiting_for: null, nodes }) as unknown as RunStatus;

it("names a failed node's error as seed 003 does beside its error_type, and says when the run's phase changes", () => {
  const before = state('running', [node('running')]);
  const failed = node('failed', nodeError('403 Resource not accessible', 'permission'));
  const events = runEvents(before, state('awaiting_decision', [failed]));
  expect(events.map((e) => e.event)).toEqual(['node_failed', 'run_status']);
  expect(events[0]?.data).toMatchObject({
    resource_id: 'deploy',
    error: '403 Resource not accessible',
    error_type: 'permission',
    error_name: 'forbidden',
  });
  expect(runEvents(state('awaiting_decision', [failed]), state('awaiting_decision', [failed]))).toEqual([]);
});
