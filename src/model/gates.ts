/** Approval gates: nodes the workflow holds until an operator continues them (or a timeout passes). */
import { z } from 'zod';
import { durationSchema } from './duration';

export const APPROVAL_TYPE = 'core:approval';

export const approvalPropertiesSchema = z
  .object({
    /** How long to wait for a continue; no timeout when omitted. */
    timeout: durationSchema.optional(),
    on_timeout: z.enum(['fail', 'continue']).default('fail'),
    message: z.string().max(1_000).optional(),
  })
  .strict();

export type ApprovalProperties = z.output<typeof approvalPropertiesSchema>;
