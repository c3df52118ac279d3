/** A sealed value the service cannot open. The message names the field, never the value. */
import { OperationError } from '../providers/operation-error';

export class UnsealError extends OperationError {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super('invalid_input', `${field} could not be opened: ${reason}`, { retryable: false });
  }
}

export const NOT_SEALED_TO_US = "not sealed to this service's public key (GET /keys/public)";
