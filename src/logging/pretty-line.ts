/**
 * A log record (pino's JSON object) as one short line for a person at a terminal: the time, the
 * level, then what happened. A run's event names its deployment and the resource as the config
 * does (`14:02:07  info  app  approve  waiting for approval`); a request, its method, path, status
 * and time; anything else, its message and a few small fields. An error's stack follows it.
 */

const LEVELS: Readonly<Record<number, string>> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
const COLORS: Readonly<Record<string, string>> = { warn: '33', error: '31', fatal: '31', debug: '90', trace: '90' };
/** Fields every record has, or that the line shows in its own way. */
const SHOWN = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'msg',
  'err',
  'req',
  'res',
  'responseTime',
  'request_id',
  'sdkComponent',
  'deployment_id',
  'tenant',
  'node_id',
  'resource',
  'workflowId',
  'runId',
  'workflowType',
  'namespace',
  'taskQueue',
  'attempt',
]);

export interface PrettyOptions {
  /** ANSI colors for the level (a terminal that wants them). */
  readonly color: boolean;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const clock = (ms: unknown): string => {
  const at = new Date(typeof ms === 'number' ? ms : Date.now());
  return `${pad2(at.getHours())}:${pad2(at.getMinutes())}:${pad2(at.getSeconds())}`;
};

function small(value: unknown): string | null {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return text.length <= 80 ? text : null;
  }
  return null;
}

function what(record: Record<string, unknown>): string {
  const msg = typeof record['msg'] === 'string' ? record['msg'] : '';
  const req = record['req'] as { method?: string; url?: string } | undefined;
  const res = record['res'] as { statusCode?: number } | undefined;
  if (req && res)
    return `${req.method ?? ''} ${req.url ?? ''} → ${res.statusCode ?? '?'} (${small(record['responseTime']) ?? '?'} ms)`;
  if (typeof record['deployment_id'] === 'string') {
    const tenant = typeof record['tenant'] === 'string' ? `${record['tenant']}/` : '';
    const resource = typeof record['resource'] === 'string' ? `  ${record['resource']}` : '';
    return `${tenant}${record['deployment_id']}${resource}  ${msg}`;
  }
  const extra = Object.entries(record).flatMap(([key, value]) => {
    const text = SHOWN.has(key) ? null : small(value);
    return text === null ? [] : [`${key}=${text}`];
  });
  return [msg, ...extra].join(' ');
}

export function prettyLine(record: Record<string, unknown>, options: PrettyOptions): string {
  const level = LEVELS[Number(record['level'])] ?? 'info';
  const label = level.padEnd(5);
  const shown = options.color && COLORS[level] ? `\u001b[${COLORS[level]}m${label}\u001b[0m` : label;
  const err = record['err'] as { message?: string; stack?: string } | undefined;
  const stack = err?.stack ? `\n${err.stack.replace(/^/gm, '    ')}` : err?.message ? `: ${err.message}` : '';
  return `${clock(record['time'])}  ${shown}  ${what(record)}${stack}`;
}
