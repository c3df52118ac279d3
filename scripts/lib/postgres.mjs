// PostgreSQL for `npm run cluster`: the server binaries (initdb, pg_ctl, postgres) of the newest
// version under /usr/lib/postgresql, else Debian's `postgresql` package installed with apt-get when
// setup runs as root (as on CI machines). No cluster is created here: src/runtime/cluster/postgres.ts
// makes a project-local one. Recorded in paths.json as `postgres_bin` (the folder of the binaries).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { aptInstall } from './apt.mjs';
import { isExecutable, onPath, run } from './proc.mjs';
import { readToolPaths, recordToolPaths } from './tool-paths.mjs';

const DEBIAN_ROOT = '/usr/lib/postgresql';

/** The folder holding initdb and pg_ctl, or null. */
function found() {
  const fromPath = onPath('pg_config') && run('pg_config', ['--bindir'], { timeoutMs: 10_000 });
  const candidates = [];
  if (fromPath?.ok) candidates.push(fromPath.output.trim());
  try {
    const versions = readdirSync(DEBIAN_ROOT).filter((v) => /^\d+$/.test(v));
    versions.sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(DEBIAN_ROOT, v, 'bin')));
  } catch {
    // no Debian PostgreSQL
  }
  return candidates.find((dir) => ['initdb', 'pg_ctl', 'postgres'].every((b) => isExecutable(join(dir, b)))) ?? null;
}

/** Returns null, or the reason PostgreSQL is not available. */
export function ensurePostgres({ pathsFile, log }) {
  let bin = found();
  if (!bin) {
    const failed = aptInstall('postgresql', {
      log,
      hint: 'PostgreSQL server binaries not found; install them (Debian: apt-get install postgresql)',
    });
    if (failed) return failed;
    bin = found();
    if (!bin) return `apt-get installed postgresql, but no initdb/pg_ctl is under ${DEBIAN_ROOT}`;
  }
  if (readToolPaths(pathsFile).postgres_bin !== bin) recordToolPaths(pathsFile, { postgres_bin: bin });
  log(`postgresql: ${bin}`);
  return null;
}
