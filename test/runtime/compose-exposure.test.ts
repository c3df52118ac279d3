/**
 * Issue 23, finding 12: docker-compose.yml publishes nothing of Temporal's beyond this machine.
 * The gRPC frontend (no authentication there) is not published at all, the Web UI (no login, and
 * it can terminate any run) only on 127.0.0.1; the file says how to secure a cluster. Read with
 * the `yaml` package, as compose.test.ts does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

type Port = string | number | { target?: number; published?: string | number; host_ip?: string };

const text = readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8');
const services = (parse(text, { merge: true }) as { services: Record<string, { ports?: Port[] }> }).services;

/** Every published port as [service, host ip or '' for every interface, host port, container port]. */
const published = Object.entries(services).flatMap(([name, service]) =>
  (service.ports ?? []).map((port) => {
    if (typeof port === 'object') return [name, port.host_ip ?? '', String(port.published ?? ''), String(port.target)];
    const parts = String(port).split(/:(?![^{]*\})/); // colons outside ${VAR:-default}
    const [container = '', hostPort = '', ip = ''] = parts.reverse();
    return [name, ip, hostPort, container];
  }),
);

describe('docker-compose.yml exposure', () => {
  it("publishes no port of Temporal's gRPC frontend (7233)", () => {
    expect(services['temporal']?.ports).toBeUndefined();
    expect(published.filter(([, , hostPort, container]) => /7233/.test(`${hostPort} ${container}`))).toEqual([]);
  });

  it('publishes the Temporal Web UI on 127.0.0.1 only, on TEMPORAL_UI_PORT', () => {
    expect(services['temporal-ui']?.ports).toEqual(['127.0.0.1:${TEMPORAL_UI_PORT:-8233}:8080']);
  });

  it('publishes on every interface only the API, which has keys of its own', () => {
    expect(published.filter(([, ip]) => ip !== '127.0.0.1').map(([name]) => name)).toEqual(['api']);
  });

  it('says how to secure a Temporal cluster before exposing it', () => {
    expect(text).toMatch(/mTLS/);
    expect(text).toMatch(/authorizer/);
    expect(text).toMatch(/docs\/how-to\/production\.md/);
  });
});
