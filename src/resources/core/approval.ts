/**
 * `core:approval`: a gate. The workflow holds the node (status `paused`) until a `continue` names
 * it, or until `timeout` passes, after which `on_timeout` decides: `fail` the node or `continue`.
 * The operation itself only reports how the gate was passed.
 */
import { z } from 'zod';
import { durationSchema } from '../../model/duration-schema';
import { APPROVAL_TYPE } from '../../model/gates';
import type { ResourceType } from '../resource-type';

const properties = z
  .object({
    /** How long to wait for a continue; no timeout when omitted. */
    timeout: durationSchema.optional(),
    on_timeout: z.enum(['fail', 'continue']).default('fail'),
    message: z.string().max(1_000).optional(),
  })
  .strict();

export type ApprovalProperties = z.output<typeof properties>;

export const coreApproval: ResourceType<ApprovalProperties> = {
  type: APPROVAL_TYPE,
  provider: 'core',
  description: 'Waits for an operator to continue this node, with an optional timeout.',
  regional: false,
  properties,
  plan: () => Promise.resolve({ action: 'create', diff: [], warnings: [] }),
  apply: (_ctx, target) => Promise.resolve({ outputs: { passed_by: target.refs['$gate'] ?? 'continue' }, undo: null }),
  verify: () => Promise.resolve({ drift: [] }),
  compensate: () => Promise.resolve({ outcome: 'nothing to undo (gate)' }),
  destroy: () => Promise.resolve(),
};
