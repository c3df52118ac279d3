/**
 * Registers the workflow's Keyword search attributes on an existing cluster (the embedded dev
 * server gets them at launch). Attributes already present are left alone; a concurrent
 * registration ("already exists") is fine; one registered with another type is an error.
 */
import { isGrpcServiceError, type Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/messages';

const KEYWORD: number = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
const GRPC_ALREADY_EXISTS = 6;

export class SearchAttributeError extends Error {
  override readonly name = 'SearchAttributeError';
}

/** Returns the names it added (empty when all were there). */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const wanted = Object.values(SEARCH_ATTRIBUTES);
  const existing = await listCustom(connection, namespace);
  const wrongType = wanted.filter((name) => existing[name] !== undefined && existing[name] !== KEYWORD);
  if (wrongType.length) {
    throw new SearchAttributeError(
      `search attribute(s) ${wrongType.join(', ')} exist in namespace ${namespace} with a type other than Keyword; the workflow needs Keyword`,
    );
  }
  const missing = wanted.filter((name) => existing[name] === undefined);
  if (!missing.length) return [];
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
    });
  } catch (err) {
    if (isGrpcServiceError(err) && Number(err.code) === GRPC_ALREADY_EXISTS)
      return ensureSearchAttributes(connection, namespace);
    const why = err instanceof Error ? err.message : String(err);
    const how = missing
      .map((name) => `temporal operator search-attribute create --namespace ${namespace} --name ${name} --type Keyword`)
      .join('; ');
    throw new SearchAttributeError(
      `could not register search attributes ${missing.join(', ')} in namespace ${namespace} (${why}); register them with: ${how}`,
    );
  }
  return missing;
}

async function listCustom(connection: Connection, namespace: string): Promise<Record<string, number>> {
  try {
    return (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch (err) {
    throw new SearchAttributeError(
      `could not list the search attributes of namespace ${namespace} (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}
