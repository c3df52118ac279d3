/**
 * The benchmark's peer: OpenTofu, built by `node scripts/setup.mjs --with-opentofu` (from the Go
 * module proxy, cached in `.tools/`) when `--peer opentofu` is given or the full profile runs; when
 * it cannot be built, the bench goes on without it and says why in one line.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT, recordedToolPaths } from '../../src/runtime/temporal-cli';
import type { BenchArgs } from '../lib/args';

export type Peer = { readonly tofu: string } | { readonly skipped: string };

export function resolvePeer(args: BenchArgs): Peer {
  if (!args.peer && args.quick) return { skipped: 'not asked for (--peer opentofu; the full profile includes it)' };
  const setup = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'setup.mjs'), '--with-opentofu'], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  });
  if (setup.status !== 0) {
    const why = setup.stderr.trim().split('\n').at(-1) ?? `setup exited ${setup.status}`;
    return { skipped: why.replace(/^setup failed: /, '') };
  }
  const tofu = recordedToolPaths()['tofu'];
  return tofu ? { tofu } : { skipped: 'setup built OpenTofu but recorded no path' };
}

/** The OpenTofu binary, or null when the peer is skipped. */
export const tofuOf = (peer: Peer): string | null => ('tofu' in peer ? peer.tofu : null);
