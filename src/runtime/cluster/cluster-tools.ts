/** The binaries `node scripts/setup.mjs --with-cluster` records for the local cluster. */
import { existsSync } from 'node:fs';
import { recordedToolPaths } from '../temporal-cli';
import { ClusterStartError } from './wait-for';

export interface ClusterTools {
  readonly postgresBin: string;
  readonly temporalServer: string;
  readonly sqlTool: string;
}

export function clusterTools(paths: Partial<Record<string, string>> = recordedToolPaths()): ClusterTools {
  const wanted = {
    postgresBin: 'postgres_bin',
    temporalServer: 'temporal_server',
    sqlTool: 'temporal_sql_tool',
  } as const;
  const missing = Object.values(wanted).filter((key) => !paths[key] || !existsSync(paths[key]));
  if (missing.length)
    throw new ClusterStartError(
      `no ${missing.join(', ')} recorded in .tools/paths.json: run \`node scripts/setup.mjs --with-cluster\` (npm run cluster does it first)`,
    );
  return {
    postgresBin: paths[wanted.postgresBin] as string,
    temporalServer: paths[wanted.temporalServer] as string,
    sqlTool: paths[wanted.sqlTool] as string,
  };
}
