/**
 * What every GitHub operation starts with: the worker's GitHub client factory and the PAT, opened
 * from `credentials.github.encrypted_pat` at the moment of use; and the value of a secret, opened
 * from `properties.encrypted_value` or taken from the `value_from` reference.
 */
import type { GitHubClient } from '../../providers/github';
import { OperationError } from '../../providers/operation-error';
import { openCredential } from '../open-field';
import type { NodeTarget, OperationContext } from '../resource-type';

export async function githubClient(ctx: OperationContext): Promise<GitHubClient> {
  const clients = ctx.clients.github;
  if (!clients)
    throw new OperationError('unavailable', 'this worker has no GitHub client configured (GITHUB_API_URL)', {
      retryable: false,
    });
  const sealed = ctx.credentials?.github?.encrypted_pat;
  if (!sealed) {
    throw new OperationError(
      'invalid_input',
      'credentials.github.encrypted_pat is required for github:* resources: seal the PAT with npm run seal',
      { retryable: false },
    );
  }
  return clients.forToken(
    await openCredential(ctx, sealed, { field: 'credentials.github.encrypted_pat', purpose: 'github_token' }),
  );
}

export interface SecretValueSource {
  readonly encrypted_value?: string | undefined;
}

/** The plaintext to store: from the sealed property, else from the `value_from` reference. */
export async function secretValue(ctx: OperationContext, target: NodeTarget<SecretValueSource>): Promise<string> {
  const sealed = target.properties.encrypted_value;
  if (sealed !== undefined) {
    const field = `resources.${target.node.resource_id}.properties.encrypted_value`;
    return ctx.open(sealed, { field, purpose: 'secret_value' });
  }
  const ref = target.refs['value_from'];
  if (typeof ref === 'string' || typeof ref === 'number' || typeof ref === 'boolean') return String(ref);
  if (ref === undefined || ref === null) {
    throw new OperationError(
      'reference',
      `resources.${target.node.resource_id}: give properties.encrypted_value or references.value_from (the reference resolved to nothing)`,
      { retryable: false },
    );
  }
  return JSON.stringify(ref);
}
