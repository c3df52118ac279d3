/**
 * An opened credential (a PAT, an AWS key, a webhook URL) is one printable token. A control
 * character in it (a line break or NUL pasted in with it) would make the HTTP client reject the
 * header it goes into, quoting the value in its error; so the shape is checked first, and the
 * error names the field, never the value. Secret *values* (what a GitHub secret stores) may hold
 * line breaks (a PEM key) and are not checked here.
 */
import { OperationError } from '../providers/operation-error';

const CONTROL = /[\u0000-\u001f\u007f]/;

/** The value, if it is one printable token; else a non-retryable invalid_input naming the field. */
export function requireCredentialShape(value: string, field: string): string {
  if (!CONTROL.test(value)) return value;
  throw new OperationError(
    'invalid_input',
    `${field} is malformed: it holds a control character (a line break, tab or NUL); seal the credential alone, with nothing around it`,
    { retryable: false },
  );
}
