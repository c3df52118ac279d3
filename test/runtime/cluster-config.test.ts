/** The local cluster's pure parts: the Temporal server's ports and config, and the tools it needs. */
import { clusterTools } from '../../src/runtime/cluster/cluster-tools';
import { clusterConfig, serverPorts } from '../../src/runtime/cluster/server-config';

describe('the local cluster', () => {
  it('gives each Temporal service its own ports, the membership ones below 32768 (Temporal stores them as smallint)', async () => {
    const ports = await serverPorts(0);
    const all = [ports.frontend, ports.frontendHttp, ports.history, ports.matching, ports.worker, ...ports.membership];
    expect(new Set(all).size).toBe(all.length);
    expect(ports.membership.every((p) => p > 0 && p < 32_768)).toBe(true);
    expect((await serverPorts(7299)).frontend).toBe(7299);
  });

  it('keeps persistence and visibility in PostgreSQL on loopback, with the dynamic config file given', () => {
    const config = clusterConfig({
      ports: {
        frontend: 7233,
        frontendHttp: 7243,
        history: 7234,
        matching: 7235,
        worker: 7239,
        membership: [1, 2, 3, 4],
      },
      postgres: { port: 5544, user: 'temporal', password: 'pw' },
      dynamicConfigFile: '/x/dynamic.yaml',
    }) as {
      persistence: { datastores: Record<string, { sql: { databaseName: string; connectAddr: string } }> };
      services: Record<string, { rpc: { bindOnLocalHost: boolean } }>;
      dynamicConfigClient: { filepath: string };
    };
    const stores = Object.values(config.persistence.datastores).map((d) => [d.sql.databaseName, d.sql.connectAddr]);
    expect(stores).toEqual([
      ['temporal', '127.0.0.1:5544'],
      ['temporal_visibility', '127.0.0.1:5544'],
    ]);
    expect(Object.values(config.services).every((s) => s.rpc.bindOnLocalHost)).toBe(true);
    expect(config.dynamicConfigClient.filepath).toBe('/x/dynamic.yaml');
  });

  it('names the setup command when the binaries were never installed', () => {
    expect(() => clusterTools({})).toThrow(
      'no postgres_bin, temporal_server, temporal_sql_tool recorded in .tools/paths.json: run `node scripts/setup.mjs --with-cluster`',
    );
  });
});
