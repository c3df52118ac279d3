import { Connection } from '@temporalio/client';
import { msToTs } from '../../src/temporal/sdk-internals';
import { temporal } from '@temporalio/proto';
import { startDevServer, type DevServer } from '../../src/runtime/dev-server';
import { ensureSearchAttributes, SearchAttributeError } from '../../src/runtime/search-attributes';
import { resolveTemporalCli } from '../../src/runtime/temporal-cli';
import { SEARCH_ATTRIBUTES } from '../../src/workflows/messages';

const { INDEXED_VALUE_TYPE_KEYWORD: KEYWORD, INDEXED_VALUE_TYPE_TEXT: TEXT } = temporal.api.enums.v1.IndexedValueType;

let server: DevServer;
let connection: Connection;

/** A namespace the dev server did not create, so it starts without our attributes. */
async function freshNamespace(namespace: string): Promise<string> {
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  return namespace;
}

beforeAll(async () => {
  server = await startDevServer({ cliPath: resolveTemporalCli(), uiPort: null });
  connection = await Connection.connect({ address: server.address });
});
afterAll(async () => {
  await connection?.close();
  await server?.stop();
});

describe('ensureSearchAttributes', () => {
  it('adds the missing Keyword attributes to a namespace, then finds nothing to do', async () => {
    const namespace = await freshNamespace('sa-missing');
    expect((await connection.operatorService.listSearchAttributes({ namespace })).customAttributes).toEqual({});
    expect(await ensureSearchAttributes(connection, namespace)).toEqual(Object.values(SEARCH_ATTRIBUTES));
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    for (const name of Object.values(SEARCH_ATTRIBUTES)) expect(customAttributes?.[name]).toBe(KEYWORD);
    expect(await ensureSearchAttributes(connection, namespace)).toEqual([]);
  });

  it('adds only what is missing when some attributes exist', async () => {
    const namespace = await freshNamespace('sa-partial');
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: { [SEARCH_ATTRIBUTES.deploymentId]: KEYWORD },
    });
    expect(await ensureSearchAttributes(connection, namespace)).toEqual([
      SEARCH_ATTRIBUTES.deploymentStatus,
      SEARCH_ATTRIBUTES.tenant,
      SEARCH_ATTRIBUTES.graphId,
    ]);
  });

  it('refuses an attribute registered with another type, naming it', async () => {
    const namespace = await freshNamespace('sa-conflict');
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: { [SEARCH_ATTRIBUTES.deploymentStatus]: TEXT },
    });
    const ensured = ensureSearchAttributes(connection, namespace);
    await expect(ensured).rejects.toThrow(SearchAttributeError);
    await expect(ensured).rejects.toThrow(
      /DeploymentStatus exist in namespace sa-conflict with a type other than Keyword/,
    );
  });

  it('explains how to register them by hand when the cluster refuses to add them', async () => {
    const namespace = await freshNamespace('sa-full');
    // The dev server's SQLite visibility store has a fixed number of Keyword columns per namespace.
    const fillers = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`Filler${i}`, KEYWORD]));
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: fillers });
    const ensured = ensureSearchAttributes(connection, namespace);
    await expect(ensured).rejects.toThrow(SearchAttributeError);
    await expect(ensured).rejects.toThrow(
      /could not register search attributes DeploymentId, DeploymentStatus, DeploymentTenant, DeploymentGraphId in namespace sa-full .*temporal operator search-attribute create --namespace sa-full --name DeploymentId --type Keyword/,
    );
  });

  it('names the namespace when it cannot even list its attributes', async () => {
    await expect(ensureSearchAttributes(connection, 'no-such-namespace')).rejects.toThrow(
      /could not list the search attributes of namespace no-such-namespace/,
    );
  });
});
