/**
 * The outbound URL policy against real sockets: an internal listener on 127.0.0.1 that must never
 * be reached, and a trusted stand-in (an explicitly private host) that redirects to it. Every way
 * to the listener is refused before a request is sent: off the allow-list, not https, a literal
 * private address (loopback, 10/8, metadata, IPv4-mapped IPv6), a name that resolves to loopback,
 * and a redirect from an allowed host.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPublicAddress, OutboundRefused, postJson, type OutboundPolicy } from '../../src/providers/outbound';

const reached: string[] = [];
let internal: Server;
let relay: Server;
let internalPort = 0;
let relayPort = 0;

const listen = async (handle: (req: IncomingMessage) => { status: number; location?: string }): Promise<Server> => {
  const server = createServer((req, res) => {
    const { status, location } = handle(req);
    res.writeHead(status, location ? { location } : {}).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};
const portOf = (server: Server) => (server.address() as AddressInfo).port;

beforeAll(async () => {
  internal = await listen((req) => {
    reached.push(req.url ?? '');
    return { status: 200 };
  });
  internalPort = portOf(internal);
  relay = await listen((req) => ({ status: 307, location: decodeURIComponent((req.url ?? '/').slice(1)) }));
  relayPort = portOf(relay);
});
afterAll(async () => {
  for (const server of [internal, relay]) await new Promise((resolve) => server.close(resolve));
});

/** Hosts listed but not trusted: only the address checks stand between them and the listener. */
const policy = (): OutboundPolicy => ({
  hosts: [
    'hooks.slack.com',
    '127.0.0.1',
    'localhost',
    '10.1.2.3',
    '169.254.169.254',
    '[::ffff:7f00:1]', // how URL writes [::ffff:127.0.0.1]
    '[::1]',
    `127.0.0.1:${relayPort}`,
  ],
  privateHosts: [`127.0.0.1:${relayPort}`],
});
const refusal = async (url: string): Promise<string> => {
  const err = await postJson(policy(), url, { text: 'probe' }).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof OutboundRefused)) throw new Error(`${url} was not refused: ${String(err)}`);
  return err.message;
};
const through = (target: string) => `http://127.0.0.1:${relayPort}/${encodeURIComponent(target)}`;

it('tells public addresses from loopback, private, link-local, metadata and reserved ones', () => {
  for (const address of ['8.8.8.8', '52.94.76.1', '2606:4700::1111', '::ffff:8.8.8.8'])
    expect([address, isPublicAddress(address)]).toEqual([address, true]);
  for (const address of [
    '127.0.0.1',
    '127.9.9.9',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.100.100.200',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    'not an address',
  ])
    expect([address, isPublicAddress(address)]).toEqual([address, false]);
});

it('refuses every way to an internal listener, and nothing reaches it', async () => {
  const internalPath = `127.0.0.1:${internalPort}/internal/admin`;
  expect(await refusal(`https://evil.example/hook`)).toBe(
    `refused: its host is not in OUTBOUND_HOSTS (${policy().hosts.join(', ')})`,
  );
  expect(await refusal(`http://${internalPath}`)).toBe('refused: it is not https');
  const privately = 'refused: it resolves to a loopback, private, link-local or metadata address';
  for (const url of [
    `https://${internalPath}`,
    'https://10.1.2.3/hook',
    'https://169.254.169.254/latest/meta-data/',
    `https://[::ffff:127.0.0.1]:${internalPort}/internal/admin`,
    `https://[::1]:${internalPort}/internal/admin`,
    `https://localhost:${internalPort}/internal/admin`,
    through(`https://localhost:${internalPort}/internal/admin`),
    through(`https://${internalPath}`),
  ])
    expect([url, await refusal(url)]).toEqual([url, privately]);
  expect(await refusal(through(`http://${internalPath}`))).toBe('refused: it is not https');
  expect(await refusal(through(through(through(through('https://hooks.slack.com/x')))))).toBe(
    'refused: it redirects more than 3 times',
  );
  expect(reached).toEqual([]);
});

it('posts to a host the operator trusts with private addresses', async () => {
  const trusted: OutboundPolicy = { hosts: [`127.0.0.1:${internalPort}`], privateHosts: [`127.0.0.1:${internalPort}`] };
  const answer = await postJson(trusted, `http://127.0.0.1:${internalPort}/hook`, { text: 'hi' });
  expect([answer.status, answer.body]).toEqual([200, 'ok']);
  expect(reached).toEqual(['/hook']);
});
