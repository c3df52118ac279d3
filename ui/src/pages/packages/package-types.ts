/** Step packages as GET /packages and GET /packages/{name} answer (src/api/schemas/packages.ts). */
export interface PackageSummary {
  readonly name: string;
  readonly exists: boolean;
  readonly isDeployed: boolean;
  readonly deploymentStatus: string;
  readonly version: number | null;
  readonly hash: string | null;
  readonly types: readonly string[];
}

export interface PackageStatus extends PackageSummary {
  readonly versions: readonly { version: number; hash: string; deployed_at: string; types: readonly string[] }[];
  readonly workers: readonly { worker: string; version: number; loaded_at: string; seen_at: string }[];
}

export interface PackageLog {
  readonly logs: readonly { at: string; level: 'info' | 'error'; message: string }[];
}
