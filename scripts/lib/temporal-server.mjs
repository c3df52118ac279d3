// The Temporal server and its SQL schema tool for `npm run cluster` (src/main-cluster.ts), built
// from the Go module proxy with `go install` into `.tools/temporal-server/bin/` (about 4 minutes on
// 2 cores the first time). Recorded in paths.json as `temporal_server` and `temporal_sql_tool`;
// reused while the server reports the pinned version. The version is docker-compose.yml's too
// (test/runtime/compose.test.ts keeps them equal).
import { join } from 'node:path';
import { isExecutable, onPath, run } from './proc.mjs';
import { readToolPaths, recordToolPaths } from './tool-paths.mjs';

export const TEMPORAL_SERVER_VERSION = '1.29.1';
const MODULE = 'go.temporal.io/server';

/** { server, sqlTool } at the pinned version, or { reason } why there are none. */
export function ensureTemporalServer({ tools, pathsFile, log }) {
  const recorded = readToolPaths(pathsFile);
  if (reportsVersion(recorded.temporal_server) && isExecutable(recorded.temporal_sql_tool ?? ''))
    return { server: recorded.temporal_server, sqlTool: recorded.temporal_sql_tool };
  const go = onPath('go') ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
  if (!go) return { reason: 'no `go` on PATH to build the Temporal server from the Go module proxy' };

  const bin = join(tools, 'temporal-server', 'bin');
  log(
    `building Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool with go install (about 4 minutes the first time)…`,
  );
  const built = run(
    go,
    [
      'install',
      `${MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION}`,
      `${MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`,
    ],
    { cwd: tools, env: { ...process.env, GOBIN: bin, GOFLAGS: '-buildvcs=false' }, timeoutMs: 40 * 60_000 },
  );
  if (!built.ok) return { reason: `go install ${MODULE}/cmd/server failed (${built.why})` };
  const server = join(bin, 'server');
  const sqlTool = join(bin, 'sql');
  if (!reportsVersion(server)) return { reason: `${server} was built but does not report ${TEMPORAL_SERVER_VERSION}` };
  if (!isExecutable(sqlTool)) return { reason: `go install built no ${sqlTool}` };
  recordToolPaths(pathsFile, { temporal_server: server, temporal_sql_tool: sqlTool });
  return { server, sqlTool };
}

function reportsVersion(binary) {
  if (!binary || !isExecutable(binary)) return false;
  const version = run(binary, ['--version'], { timeoutMs: 30_000 });
  return version.ok && version.output.includes(TEMPORAL_SERVER_VERSION);
}
