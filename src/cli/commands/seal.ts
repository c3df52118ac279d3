/**
 * `seal <value|->`: seals a value to the service's public key (GET /keys/public), bound to the
 * API key's tenant and a purpose, as `npm run seal` does, and prints the base64 ciphertext.
 */
import { Option, type Command } from 'commander';
import { sealTo } from '../../credentials/sealed-box';
import { envelope, SEALED_PURPOSES, type SealedPurpose } from '../../credentials/sealed-envelope';
import { action } from '../context';
import { CliError } from '../errors';
import { readText } from '../files';

interface PublicKey {
  readonly public_key: string;
  readonly tenant: string | null;
}

export function registerSeal(program: Command): void {
  program
    .command('seal')
    .description("seal a credential or secret value to the service's public key; prints the sealed value")
    .argument('[value]', 'the value; - or nothing reads it from standard input (keeps it out of shell history)')
    .addOption(new Option('--purpose <purpose>', 'the field it is for: it opens only there').choices(SEALED_PURPOSES))
    .action(
      action(async ({ api, output }, value: string | undefined, flags: { purpose?: SealedPurpose }) => {
        const published = await api.get<PublicKey>('/keys/public');
        const text = value === undefined || value === '-' ? (await readText('-')).replace(/\r?\n$/, '') : value;
        if (text.length === 0) throw new CliError('nothing to seal: the value is empty');
        if (flags.purpose === undefined) {
          output.note('seal: sealed without --purpose (unbound): a service with API_KEYS refuses it');
        }
        const plaintext =
          flags.purpose === undefined ? text : envelope({ tenant: published.tenant, purpose: flags.purpose }, text);
        const sealed = await sealTo(published.public_key, plaintext);
        output.show({ sealed, tenant: published.tenant, purpose: flags.purpose ?? null }, (s) => [s.sealed]);
      }),
    );
}
