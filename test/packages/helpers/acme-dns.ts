/**
 * A step package defining `acme:dns:record` (two files, as a user writes them), and the small DNS
 * API it manages: records by name in memory, over HTTP on 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const RECORD_TS = `import { defineResourceType, OperationError, z } from 'mgraph/sdk';
import { api } from './client';

export const record = defineResourceType({
  type: 'acme:dns:record',
  description: 'A DNS record in the ACME DNS API',
  properties: z.object({ api_url: z.string().url(), name: z.string().min(1), value: z.string().min(1) }).strict(),
  outputs: z.object({ fqdn: z.string() }),
  async plan(_ctx, { properties: p }) {
    const current = await api(p.api_url, 'GET', p.name);
    if (current === null) return { action: 'create' };
    return current === p.value
      ? { action: 'no-op' }
      : { action: 'update', diff: [{ property: 'value', desired: p.value, actual: current }] };
  },
  async apply(ctx, { properties: p }) {
    const previous = await api(p.api_url, 'GET', p.name);
    if (p.value === 'refuse') throw new OperationError('invalid_input', 'the DNS API refuses this value');
    await api(p.api_url, 'PUT', p.name, p.value);
    ctx.log('record ' + p.name + ' set');
    return { outputs: { fqdn: p.name + '.acme.test' }, undo: { previous } };
  },
  async compensate(_ctx, { properties: p }, undo) {
    const previous = undo?.['previous'];
    if (typeof previous === 'string') await api(p.api_url, 'PUT', p.name, previous);
    else await api(p.api_url, 'DELETE', p.name);
    return typeof previous === 'string' ? 'restored ' + previous : 'deleted';
  },
  async verify(_ctx, { properties: p }) {
    const current = await api(p.api_url, 'GET', p.name);
    return current === p.value ? [] : [{ property: 'value', desired: p.value, actual: current }];
  },
  async destroy(_ctx, { properties: p }) {
    await api(p.api_url, 'DELETE', p.name);
  },
});
`;

const CLIENT_TS = `/** The ACME DNS API: GET answers the value (null when absent), PUT sets it, DELETE removes it. */
export async function api(base: string, method: 'GET' | 'PUT' | 'DELETE', name: string, value?: string): Promise<string | null> {
  const response = await fetch(base + '/records/' + encodeURIComponent(name), {
    method,
    ...(value === undefined ? {} : { body: value }),
  });
  if (method === 'GET' && response.status === 404) return null;
  if (!response.ok) throw new Error('ACME DNS answered ' + response.status);
  return method === 'GET' ? await response.text() : null;
}
`;

/** The package's files, as POST /packages/{name}/deploy takes them. */
export const ACME_DNS_FILES: Readonly<Record<string, string>> = {
  'index.ts': `export { record } from './record';\n`,
  'record.ts': RECORD_TS,
  'client.ts': CLIENT_TS,
};

export interface DnsApi {
  readonly url: string;
  readonly records: Map<string, string>;
  close(): Promise<void>;
}

export async function startDnsApi(): Promise<DnsApi> {
  const records = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '').replace(/^\/records\//, ''));
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.method === 'PUT') records.set(name, body);
      if (req.method === 'DELETE') records.delete(name);
      const value = records.get(name);
      if (req.method === 'GET' && value === undefined) res.writeHead(404).end();
      else res.writeHead(200).end(req.method === 'GET' ? value : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    records,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
