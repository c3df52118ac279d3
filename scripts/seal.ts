/**
 * Seals a value to the service's public key (NaCl sealed box) and prints the base64 ciphertext:
 *   npm run seal -- --url http://127.0.0.1:3000 --api-key $KEY --purpose github_token 'ghp_…'
 *     (fetches GET /keys/public with the API key: the value is bound to the key's tenant)
 *   npm run seal -- --key <public key base64> --tenant acme --purpose github_token 'ghp_…'   (offline)
 * With --purpose the value is bound to that tenant (none without --api-key / --tenant) and purpose
 * (src/credentials/sealed-envelope.ts); without it, it is sealed unbound, which a service with
 * API_KEYS opens only with ALLOW_UNBOUND_SEALED_VALUES. MGRAPH_API_KEY stands for --api-key.
 * Without a value argument the value is read from standard input (keeps it out of shell history).
 */
import { fetchPublishedKey, sealValue } from '../src/credentials/seal-value';
import { isSealedPurpose, SEALED_PURPOSES, type SealedPurpose } from '../src/credentials/sealed-envelope';

const USAGE =
  'usage: npm run seal -- (--key <public key base64> [--tenant <tenant>] | --url <service url> [--api-key <key>]) [--purpose <purpose>] [value]  (value from stdin when omitted)';

interface Args {
  readonly key?: string;
  readonly url?: string;
  readonly apiKey?: string;
  readonly tenant?: string;
  readonly purpose?: SealedPurpose;
  readonly value?: string;
}

const OPTIONS = {
  '--key': 'key',
  '--url': 'url',
  '--api-key': 'apiKey',
  '--tenant': 'tenant',
  '--purpose': 'purpose',
} as const;
const isOption = (arg: string): arg is keyof typeof OPTIONS => Object.hasOwn(OPTIONS, arg);

const usageError = (message: string): Error => new Error(`${message}\n${USAGE}`);

export function parseArgs(argv: readonly string[]): Args {
  const args: { -readonly [K in keyof Args]?: string } = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (isOption(arg)) {
      const next = argv[i + 1];
      if (next === undefined) throw usageError(`${arg} needs a value`);
      args[OPTIONS[arg]] = next;
      i += 1;
    } else if (arg === '--help' || arg === '-h') {
      throw new Error(USAGE);
    } else if (args.value === undefined) {
      args.value = arg;
    } else {
      throw usageError('unexpected argument (quote a value that has spaces)');
    }
  }
  const { purpose, ...rest } = args;
  if ((rest.key === undefined) === (rest.url === undefined)) throw usageError('give exactly one of --key or --url');
  if (purpose !== undefined && !isSealedPurpose(purpose))
    throw usageError(`--purpose must be one of ${SEALED_PURPOSES.join(', ')}`);
  if (rest.tenant !== undefined && rest.key === undefined)
    throw usageError('--tenant goes with --key; with --url the tenant is the one of --api-key');
  if (rest.apiKey !== undefined && rest.url === undefined) throw usageError('--api-key goes with --url');
  if ((rest.tenant ?? rest.apiKey) !== undefined && purpose === undefined)
    throw usageError('a value sealed for a tenant needs --purpose');
  return purpose === undefined ? rest : { ...rest, purpose };
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
  const apiKey = args.url === undefined ? undefined : args.apiKey || process.env['MGRAPH_API_KEY'] || undefined;
  const target =
    args.url === undefined
      ? { publicKey: args.key ?? '', tenant: args.tenant ?? null }
      : await fetchPublishedKey(args.url, apiKey);
  const value = args.value ?? (await readStdin());
  const { sealed, warnings } = await sealValue(target, {
    value,
    purpose: args.purpose,
    apiKeySent: apiKey !== undefined,
  });
  for (const warning of warnings) process.stderr.write(`${warning}\n`);
  process.stdout.write(`${sealed}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`seal: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
