/**
 * Fresh folders in the OS's temp folder for one test file, removed after its last test. Left behind,
 * a whole `npm test` added about 350 MB to /tmp each time, most of it a local cluster's PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Registers the cleanup (jest's afterAll) and returns the maker: `tempDir('ledger-')` → /tmp/ledger-Xy12Ab. */
export function useTempDirs(): (prefix: string) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return (prefix) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
