/**
 * `core:approval`: a gate. The workflow holds the node (status `paused`) until a `continue` names
 * it, or until `timeout` passes, after which `on_timeout` decides: `fail` the node or `continue`.
 * The operation itself only reports how the gate was passed.
 */
import { APPROVAL_TYPE, approvalPropertiesSchema, type ApprovalProperties } from '../../model/gates';
import type { ResourceType } from '../resource-type';

export const coreApproval: ResourceType<ApprovalProperties> = {
  type: APPROVAL_TYPE,
  provider: 'core',
  description: 'Waits for an operator to continue this node, with an optional timeout.',
  regional: false,
  properties: approvalPropertiesSchema,
  plan: () => Promise.resolve({ action: 'create', diff: [], warnings: [] }),
  apply: (_ctx, target) => Promise.resolve({ outputs: { passed_by: target.refs['$gate'] ?? 'continue' }, undo: null }),
  verify: () => Promise.resolve({ drift: [] }),
  compensate: () => Promise.resolve({ outcome: 'nothing to undo (gate)' }),
  destroy: () => Promise.resolve(),
};
