/** Running `node scripts/setup.mjs <flag>` from a bench section that needs a tool the default setup skips. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/runtime/temporal-cli';

/** Null once setup succeeded; otherwise its last words, the reason the section goes without it. */
export function runSetup(flag: string): string | null {
  const setup = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'setup.mjs'), flag], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  });
  if (setup.status === 0) return null;
  const why = setup.stderr.trim().split('\n').at(-1) ?? `setup exited ${setup.status}`;
  return why.replace(/^setup failed: /, '');
}
