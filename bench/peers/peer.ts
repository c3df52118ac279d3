/**
 * The benchmark's peer: OpenTofu, built by `node scripts/setup.mjs --with-opentofu` (from the Go
 * module proxy, cached in `.tools/`) when `--peer opentofu` is given or the full profile runs; when
 * it cannot be built, the bench goes on without it and says why in one line.
 */
import { recordedToolPaths } from '../../src/runtime/temporal-cli';
import type { BenchArgs } from '../lib/args';
import { runSetup } from '../lib/setup-tools';

export type Peer = { readonly tofu: string } | { readonly skipped: string };

export function resolvePeer(args: BenchArgs): Peer {
  if (!args.peer && args.quick) return { skipped: 'not asked for (--peer opentofu; the full profile includes it)' };
  const failed = runSetup('--with-opentofu');
  if (failed) return { skipped: failed };
  const tofu = recordedToolPaths()['tofu'];
  return tofu ? { tofu } : { skipped: 'setup built OpenTofu but recorded no path' };
}

/** The OpenTofu binary, or null when the peer is skipped. */
export const tofuOf = (peer: Peer): string | null => ('tofu' in peer ? peer.tofu : null);
