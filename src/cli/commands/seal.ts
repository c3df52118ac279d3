/**
 * `seal <value|->`: seals a value to the service's public key (GET /keys/public), bound to the
 * API key's tenant and a purpose, as `npm run seal` does (src/credentials/seal-value.ts), and
 * prints the base64 ciphertext.
 */
import { Option, type Command } from 'commander';
import { fetchPublishedKey, sealValue } from '../../credentials/seal-value';
import { SEALED_PURPOSES, type SealedPurpose } from '../../credentials/sealed-envelope';
import { action } from '../context';
import { readText } from '../files';

export function registerSeal(program: Command): void {
  program
    .command('seal')
    .description("seal a credential or secret value to the service's public key; prints the sealed value")
    .argument('[value]', 'the value; - or nothing reads it from standard input (keeps it out of shell history)')
    .addOption(new Option('--purpose <purpose>', 'the field it is for: it opens only there').choices(SEALED_PURPOSES))
    .action(
      action(async ({ api, output }, value: string | undefined, flags: { purpose?: SealedPurpose }) => {
        const { url, apiKey } = api.connection;
        const target = await fetchPublishedKey(url, apiKey);
        const text = value === undefined || value === '-' ? (await readText('-')).replace(/\r?\n$/, '') : value;
        const { sealed, warnings } = await sealValue(target, {
          value: text,
          purpose: flags.purpose,
          apiKeySent: apiKey !== undefined,
        });
        warnings.forEach((warning) => output.note(warning));
        output.show({ sealed, tenant: target.tenant, purpose: flags.purpose ?? null }, (s) => [s.sealed]);
      }),
    );
}
