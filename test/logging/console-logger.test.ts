/** The console logger's two formats and how it picks one (LOG_FORMAT, else whether the output is a terminal). */
import { consoleLogger, logFormatOf } from '../../src/logging/logger';

function capture(isTTY: boolean): { out: { isTTY: boolean; write(text: string): void }; lines: string[] } {
  const lines: string[] = [];
  return { out: { isTTY, write: (text: string) => void lines.push(...text.split('\n').filter(Boolean)) }, lines };
}

it('is pretty on a terminal and JSON elsewhere, unless LOG_FORMAT says which', () => {
  expect(logFormatOf(undefined, { isTTY: true, write: () => true })).toBe('pretty');
  expect(logFormatOf(undefined, { isTTY: false, write: () => true })).toBe('json');
  expect(logFormatOf('json', { isTTY: true, write: () => true })).toBe('json');
  expect(logFormatOf('pretty', { write: () => true })).toBe('pretty');
});

it('writes JSON lines when asked to, on a terminal too', () => {
  const { out, lines } = capture(true);
  consoleLogger({ level: 'info', format: 'json' }, out).info({ deployment_id: 'app', resource: 'build' }, 'started');
  expect(JSON.parse(lines[0] ?? '')).toMatchObject({
    level: 30,
    deployment_id: 'app',
    resource: 'build',
    msg: 'started',
  });
});

it('writes one line per event for a person: run events, requests, other messages, errors with their stack', () => {
  const { out, lines } = capture(false);
  const logger = consoleLogger({ level: 'debug', format: 'pretty' }, out);
  logger.info({ deployment_id: 'app', tenant: 'acme', node_id: 'ab12', resource: 'api[eu-west-1]' }, 'started');
  logger.warn({ deployment_id: 'app' }, 'run failed');
  logger.debug(
    { req: { method: 'GET', url: '/health' }, res: { statusCode: 200 }, responseTime: 3 },
    'request completed',
  );
  logger.info({ url: 'http://127.0.0.1:3000', task_queue: 'deployments', nested: { a: 1 } }, 'API listening');
  logger.error({ err: new Error('boom') }, 'the worker failed');
  const shown = lines.map((line) => line.replace(/^\d\d:\d\d:\d\d {2}/, ''));
  expect(shown.slice(0, 5)).toEqual([
    'info   acme/app  api[eu-west-1]  started',
    'warn   app  run failed',
    'debug  GET /health → 200 (3 ms)',
    'info   API listening url=http://127.0.0.1:3000 task_queue=deployments',
    'error  the worker failed',
  ]);
  expect(shown[5]).toMatch(/^ {4}Error: boom$/);
  expect(shown[6]).toMatch(/^ {8}at /);
});

it('redacts keys and sealed values in the pretty format as in JSON, and colors only a terminal', () => {
  const { out, lines } = capture(true);
  const sealed = 'c2VhbGVkLXNlY3JldA==';
  const logger = consoleLogger({ level: 'info', format: 'pretty' }, out);
  logger.warn({ encrypted_pat: sealed, req: { headers: { authorization: 'Bearer k' } } }, 'refused');
  expect(lines.join('\n')).not.toContain(sealed);
  expect(lines[0]).toContain('encrypted_pat=[redacted]');
  expect(lines[0]).toContain('\u001b[33mwarn \u001b[0m');
});
