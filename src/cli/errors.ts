/**
 * The CLI's failures and how they read: an API error as the API says it (its message, each field
 * path, the validation errors) followed by what to do about it; any other failure by its message.
 */
import { EXIT } from './exit-codes';

/** A failure of the CLI itself (bad usage, unreadable file, unreachable service), with its exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
  }
}

/** The API's error body: `{"error": {type, message, details, request_id}}`, plus `validation_errors` on a 400. */
export interface ApiErrorBody {
  readonly error?: { type?: string; message?: string; details?: unknown; request_id?: string };
  readonly validation_errors?: readonly string[];
}

/** An answer of the API with an error status. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  readonly type: string;
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.error?.message ?? `the API answered ${status}`);
    this.type = body.error?.type ?? `http_${status}`;
  }
}

const HINTS: Readonly<Record<string, string>> = {
  validation_error:
    'fix the fields above and run again (`deployctl plan <file>` checks a config without starting anything)',
  unauthorized: 'give an API key: --api-key, DEPLOY_API_KEY, or api_key in the config file (`deployctl --help`)',
  forbidden: 'use a key whose role allows this (read < operate < admin); `deployctl` sends the key it was given',
  not_found: 'check the id: `deployctl list` shows your deployments, `deployctl history <deployment>` their runs',
  run_active:
    'one run at a time per deployment: follow it with `deployctl watch <deployment>`, or end it with `deployctl abort <deployment>`',
  wrong_state: '`deployctl status <deployment>` shows what the run waits for',
  invalid_package: 'fix the problems above and deploy again (`deployctl package logs <name>` keeps them)',
  in_use: 'let those runs finish, or roll them back or abort them, then undeploy',
  plan_mismatch: 'the config is not the one the plan saved: plan it again with `deployctl plan <file> --save`',
  too_many_streams: 'close another `watch`/`apply` of this key, or wait a few seconds and try again',
  rate_limited: 'wait a little and try again',
  temporal_unavailable: 'the service cannot reach Temporal right now: try again shortly (`GET /health` says more)',
  host_not_allowed: 'use the address the service listens on (127.0.0.1 or localhost without API_KEYS)',
};

const issueLines = (details: unknown): string[] => {
  const issues = (details as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.map(
    (issue: { path?: unknown; message?: unknown }) => `  ${String(issue.path)}: ${String(issue.message)}`,
  );
};

/** A step package the compiler refused: `file:line: message` each. */
const problemLines = (details: unknown): string[] => {
  const problems = (details as { problems?: unknown } | null)?.problems;
  return Array.isArray(problems)
    ? problems.map((p: { file?: string; line?: number | null; message?: string }) => {
        const where = p.file ? `${p.file}${typeof p.line === 'number' ? `:${p.line}` : ''}: ` : '';
        return `  ${where}${p.message ?? ''}`;
      })
    : [];
};

const differenceLines = (details: unknown): string[] => {
  const differences = (details as { differences?: unknown } | null)?.differences;
  return Array.isArray(differences) ? differences.map((difference) => `  ${String(difference)}`) : [];
};

/** The lines that explain an API error: message, field paths (or validation errors), request id, what to do. */
export function describeApiError(err: ApiCallError): string[] {
  const { error, validation_errors: validationErrors = [] } = err.body;
  const fields = validationErrors.length > 0 ? validationErrors.map((line) => `  ${line}`) : issueLines(error?.details);
  const lines = [
    `error: ${err.message} (${err.status} ${err.type})`,
    ...fields,
    ...differenceLines(error?.details),
    ...problemLines(error?.details),
  ];
  const hint = HINTS[err.type];
  if (hint) lines.push(`hint: ${hint}`);
  if (error?.request_id) lines.push(`request id: ${error.request_id}`);
  return lines;
}

/** What a failure of any kind prints on stderr, and the exit code it ends the CLI with. */
export function describeFailure(err: unknown): { lines: string[]; exitCode: number } {
  if (err instanceof ApiCallError) return { lines: describeApiError(err), exitCode: EXIT.error };
  if (err instanceof CliError) return { lines: [`error: ${err.message}`], exitCode: err.exitCode };
  return { lines: [`error: ${err instanceof Error ? err.message : String(err)}`], exitCode: EXIT.error };
}
