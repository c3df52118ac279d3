/**
 * Seals a value to the service's public key (NaCl sealed box) and prints the base64 ciphertext:
 *   npm run seal -- --url http://127.0.0.1:3000 'ghp_…'   (fetches GET /keys/public)
 *   npm run seal -- --key <public key base64> 'ghp_…'
 * Without a value argument the value is read from standard input (keeps it out of shell history).
 */
import { sealTo } from '../src/credentials/sealed-box';

const USAGE =
  'usage: npm run seal -- (--key <public key base64> | --url <service url>) [value]  (value from stdin when omitted)';

interface Args {
  readonly key?: string;
  readonly url?: string;
  readonly value?: string;
}

export function parseArgs(argv: readonly string[]): Args {
  const args: { key?: string; url?: string; value?: string } = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--key' || arg === '--url') {
      const next = argv[i + 1];
      if (next === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      args[arg === '--key' ? 'key' : 'url'] = next;
      i += 1;
    } else if (arg === '--help' || arg === '-h') {
      throw new Error(USAGE);
    } else if (args.value === undefined) {
      args.value = arg;
    } else {
      throw new Error(`unexpected argument (quote a value that has spaces)\n${USAGE}`);
    }
  }
  if ((args.key === undefined) === (args.url === undefined))
    throw new Error(`give exactly one of --key or --url\n${USAGE}`);
  return args;
}

async function publicKeyFrom(url: string): Promise<string> {
  const address = `${url.replace(/\/+$/, '')}/keys/public`;
  const response = await fetch(address).catch((err: unknown) => {
    throw new Error(`could not reach ${address}: ${err instanceof Error ? err.message : String(err)}`);
  });
  if (!response.ok) throw new Error(`${address} answered ${response.status}`);
  const body = (await response.json()) as { public_key?: unknown };
  if (typeof body.public_key !== 'string') throw new Error(`${address} returned no public_key`);
  return body.public_key;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const key = args.key ?? (await publicKeyFrom(args.url ?? ''));
  const value = args.value ?? (await readStdin());
  if (value.length === 0) throw new Error(`nothing to seal: the value is empty\n${USAGE}`);
  process.stdout.write(`${await sealTo(key, value)}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`seal: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
