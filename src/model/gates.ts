/**
 * Approval gates: nodes the workflow holds until an operator continues them (or a timeout passes).
 * The properties' schema is the type's (resources/core/approval.ts); the workflow reads the timeout
 * of properties validated already, without zod, which would be loaded again in every workflow.
 */
import { parseDuration } from './duration';

export const APPROVAL_TYPE = 'core:approval';

export interface GateTimeout {
  readonly timeout: number;
  readonly on_timeout: 'fail' | 'continue';
}

/** A gate's timeout in milliseconds and what its end does; null without one. */
export function gateTimeout(properties: Readonly<Record<string, unknown>>): GateTimeout | null {
  const written = properties['timeout'];
  const timeout = typeof written === 'string' || typeof written === 'number' ? parseDuration(written) : null;
  if (timeout === null) return null;
  return { timeout, on_timeout: properties['on_timeout'] === 'continue' ? 'continue' : 'fail' };
}
