import { once } from 'node:events';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startDevServer, DevServerStartError } from '../../src/runtime/dev-server';
import { acceptsTcp, freePort } from '../../src/runtime/free-port';
import { resolveTemporalCli, TemporalCliNotFoundError } from '../../src/runtime/temporal-cli';
import { SEARCH_ATTRIBUTES } from '../../src/workflows/messages';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dev-server-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolveTemporalCli', () => {
  it('prefers TEMPORAL_CLI_PATH over the recorded path', async () => {
    const fake = join(dir, 'temporal-env');
    await writeFile(fake, '');
    expect(resolveTemporalCli({ TEMPORAL_CLI_PATH: fake }, join(dir, 'none.json'))).toBe(fake);
  });

  it('returns the path recorded by setup in paths.json', async () => {
    const fake = join(dir, 'temporal-recorded');
    await writeFile(fake, '');
    const paths = join(dir, 'paths.json');
    await writeFile(paths, JSON.stringify({ temporal: fake }));
    expect(resolveTemporalCli({}, paths)).toBe(fake);
  });

  it('tells the user to run setup when nothing is recorded', () => {
    expect(() => resolveTemporalCli({}, join(dir, 'missing.json'))).toThrow(TemporalCliNotFoundError);
    expect(() => resolveTemporalCli({}, join(dir, 'missing.json'))).toThrow(/node scripts\/setup\.mjs/);
  });

  it('rejects a TEMPORAL_CLI_PATH that does not exist', () => {
    expect(() => resolveTemporalCli({ TEMPORAL_CLI_PATH: join(dir, 'nope') })).toThrow(
      /TEMPORAL_CLI_PATH=.*does not exist/,
    );
  });
});

describe('startDevServer', () => {
  it('starts a headless server on a free port with the search attributes, and stop() frees the port', async () => {
    const logFile = join(dir, 'server.log');
    const server = await startDevServer({ cliPath: resolveTemporalCli(), uiPort: null, logFile });
    const port = Number(server.address.split(':')[1]);
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(server.uiUrl).toBeNull();
    try {
      const connection = await Connection.connect({ address: server.address });
      try {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
        for (const name of Object.values(SEARCH_ATTRIBUTES))
          expect(customAttributes?.[name]).toBe(temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      } finally {
        await connection.close();
      }
    } finally {
      await server.stop();
    }
    expect(await acceptsTcp('127.0.0.1', port)).toBe(false);
    await expect(server.stop()).resolves.toBeUndefined();
  });

  it('persists workflow state in the SQLite file across a restart and serves the UI when asked', async () => {
    const dbFile = join(dir, 'state.sqlite');
    const port = await freePort();
    const uiPort = await freePort();
    const first = await startDevServer({ cliPath: resolveTemporalCli(), port, uiPort, dbFile, namespace: 'persisted' });
    expect(first.uiUrl).toBe(`http://127.0.0.1:${uiPort}`);
    const page = await fetch(first.uiUrl!);
    expect(page.ok).toBe(true);
    expect(await page.text()).toContain('<html');
    await first.stop();
    const second = await startDevServer({ cliPath: resolveTemporalCli(), port, uiPort: null, dbFile });
    try {
      const connection = await Connection.connect({ address: second.address });
      try {
        // The namespace was created by the first server only; the second finds it in the file.
        const described = await connection.workflowService.describeNamespace({ namespace: 'persisted' });
        expect(described.namespaceInfo?.name).toBe('persisted');
      } finally {
        await connection.close();
      }
    } finally {
      await second.stop();
    }
  });

  it('refuses a port another program listens on, before starting anything', async () => {
    const other = createServer().listen(0, '127.0.0.1');
    await once(other, 'listening');
    const { port } = other.address() as AddressInfo;
    try {
      await expect(startDevServer({ cliPath: join(dir, 'never-run'), port, uiPort: null })).rejects.toThrow(
        `the Temporal dev server's gRPC port 127.0.0.1:${port} is in use by another program: stop it, or choose another port (TEMPORAL_PORT for npm start)`,
      );
    } finally {
      other.close();
    }
  });

  it('reports a server that exits before it is ready with the tail of its output', async () => {
    const fake = join(dir, 'broken-temporal');
    await writeFile(fake, '#!/bin/sh\necho "bind: address already in use" >&2\nexit 3\n');
    await chmod(fake, 0o755);
    const started = startDevServer({ cliPath: fake, uiPort: null });
    await expect(started).rejects.toThrow(DevServerStartError);
    await expect(started).rejects.toThrow(/exited \(code 3\)[\s\S]*address already in use/);
  });

  it('starts again on other ports when one it picked was taken before the server bound it', async () => {
    const marker = join(dir, 'bind-failed-once');
    const flaky = join(dir, 'port-taken-once-temporal');
    await writeFile(
      flaky,
      `#!/bin/sh\nif [ ! -e ${marker} ]; then touch ${marker}; echo "bind: address already in use" >&2; exit 2; fi\n` +
        `exec ${resolveTemporalCli()} "$@"\n`,
    );
    await chmod(flaky, 0o755);
    const server = await startDevServer({ cliPath: flaky, uiPort: null });
    try {
      expect(await acceptsTcp('127.0.0.1', Number(server.address.split(':')[1]))).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('keeps the reason of a long panic as well as its last lines, from a pipe and from a log file', async () => {
    const fake = join(dir, 'panicking-temporal');
    const trace = Array.from({ length: 300 }, (_, i) => `\tgo.uber.org/dig/param.go:${i} +0x12b`).join('\n');
    await writeFile(
      fake,
      `#!/bin/sh\necho "panic: listen tcp 127.0.0.1:1234: bind: address in use" >&2\necho '${trace}' >&2\necho "main.main() last words" >&2\nexit 2\n`,
    );
    await chmod(fake, 0o755);
    for (const logFile of [undefined, join(dir, 'panic.log')]) {
      const started = startDevServer({ cliPath: fake, uiPort: null, logFile });
      await expect(started).rejects.toThrow(/exited \(code 2\)[\s\S]*panic: listen tcp[\s\S]*\[…\][\s\S]*last words/);
    }
  });
});
