/**
 * The surrogate's world: accounts and their tokens, organizations, repositories with environments,
 * sealed-box key pairs (the surrogate keeps the private halves so it can open what it receives),
 * secrets stored as the ciphertext received, workflows and their runs, and each repository's git
 * repository (in `git`) and collaboration (pull requests, issues, releases, checks: state-pulls.ts).
 * Plain data plus lookups; the routes change it.
 */
import type sodium from 'libsodium-wrappers';
import { GitStore } from './git-store';
import type { Collaboration } from './state-pulls';

export interface Account {
  readonly id: number;
  readonly login: string;
  readonly token: string;
  readonly scopes: readonly string[];
  /** Core rate limit bookkeeping (per token). */
  used: number;
}

export interface SealKeyPair {
  readonly key_id: string;
  /** Public key, base64. */
  readonly key: string;
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

export interface StoredSecret {
  readonly name: string;
  encrypted_value: string;
  key_id: string;
  readonly created_at: string;
  updated_at: string;
  /** Organization secrets only. */
  visibility?: 'all' | 'private' | 'selected';
  selected_repository_ids?: number[];
}

/** Where secrets live: a repository, an environment or an organization, each with its own key. */
export interface SecretScope {
  /** `repo:owner/name`, `env:owner/name/environment`, `org:login`. */
  readonly scope: string;
  readonly key: SealKeyPair;
  readonly secrets: Map<string, StoredSecret>;
}

export interface Environment extends SecretScope {
  readonly id: number;
  readonly node_id: string;
  readonly name: string;
  readonly created_at: string;
  updated_at: string;
}

export interface WorkflowInput {
  readonly required?: boolean;
}

/** A commit's files, for a release rule to read (e.g. its VERSION file). */
export interface CommitFiles {
  readonly sha: string;
  /** The file's text at the commit; null when it has no such file. */
  read(path: string): Promise<string | null>;
}

export interface ReleaseRule {
  /** The release's tag; default `v` + the VERSION file's first line. */
  readonly tag?: (files: CommitFiles) => string | Promise<string>;
  /** The release's first body (default GitHub's generated-notes line). */
  readonly body?: string;
}

/** A workflow that runs on pushes to some branches (a merge is a push to its base). */
export interface PushTrigger {
  readonly branches: readonly string[];
  /** Reads of a run (alone or in a list) that answer in_progress before it completes. */
  readonly pending_polls: number;
  /** When set, a successful run creates a release of the pushed commit. */
  readonly release: ReleaseRule | null;
}

export interface Workflow {
  readonly id: number;
  readonly node_id: string;
  readonly name: string;
  /** `.github/workflows/<file>` */
  readonly path: string;
  readonly inputs: Readonly<Record<string, WorkflowInput>>;
  /** The workflow's `run-name`, with `${{ inputs.x }}` placeholders; display_title of its runs. */
  readonly run_name: string | null;
  /** How its runs end, and how long they queue and run. */
  readonly conclusion: 'success' | 'failure';
  readonly queued_ms: number;
  readonly running_ms: number;
  readonly created_at: string;
  readonly on_push: PushTrigger | null;
}

export interface WorkflowRun {
  readonly id: number;
  readonly workflow: Workflow;
  readonly repo: Repository;
  readonly event: 'workflow_dispatch' | 'push';
  readonly head_branch: string;
  /** The pushed commit; null for dispatched runs (they show the example's). */
  readonly head_sha: string | null;
  readonly actor: Account | Organization;
  readonly display_title: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly created_ms: number;
  cancelled_ms: number | null;
  run_number: number;
  /** Runs that progress by reads instead of time (push runs): reads so far, and when they completed. */
  readonly polled: { readonly pending: number; reads: number; completed_ms: number | null } | null;
}

export interface Repository extends SecretScope, Collaboration {
  readonly id: number;
  readonly node_id: string;
  readonly owner: Account | Organization;
  readonly name: string;
  readonly private: boolean;
  archived: boolean;
  description: string | null;
  readonly created_at: string;
  updated_at: string;
  readonly branches: Set<string>;
  readonly environments: Map<string, Environment>;
  readonly workflows: Workflow[];
}

export interface Organization extends SecretScope {
  readonly id: number;
  readonly login: string;
  /** Accounts that administer the organization. */
  readonly admins: Set<string>;
}

/** One write the surrogate accepted, with the value it opened with its private key. */
export interface AcceptedWrite {
  readonly scope: string;
  readonly name: string;
  readonly value: string;
  readonly at: string;
}

export const ownerLogin = (owner: Account | Organization): string => owner.login;
export const isOrganization = (owner: Account | Organization): owner is Organization => 'admins' in owner;

/** GitHub's timestamp form: seconds, Z. */
export const timestamp = (ms = Date.now()): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const nodeId = (kind: string, id: number): string =>
  Buffer.from(`0${kind.length}:${kind}${id}`).toString('base64');

export class GitHubState {
  private nextId = 1000;
  readonly accounts = new Map<string, Account>();
  readonly orgs = new Map<string, Organization>();
  /** By `owner/name`, lower-cased (GitHub names are case-insensitive). */
  readonly repos = new Map<string, Repository>();
  readonly runs = new Map<number, WorkflowRun>();
  readonly writes: AcceptedWrite[] = [];
  readonly git = new GitStore();

  constructor(private readonly na: typeof sodium) {}

  id(): number {
    this.nextId += 1;
    return this.nextId;
  }

  keyPair(): SealKeyPair {
    const pair = this.na.crypto_box_keypair();
    return {
      key_id: String(this.id()) + '0'.repeat(12),
      key: Buffer.from(pair.publicKey).toString('base64'),
      publicKey: pair.publicKey,
      privateKey: pair.privateKey,
    };
  }

  /** Opens a received secret with the scope's private key; null when it was not sealed to it. */
  open(scope: SecretScope, encryptedValue: string): string | null {
    try {
      return this.na.to_string(
        this.na.crypto_box_seal_open(Buffer.from(encryptedValue, 'base64'), scope.key.publicKey, scope.key.privateKey),
      );
    } catch {
      return null;
    }
  }

  /** The number of a workflow's next run. */
  nextRunNumber(wf: Workflow): number {
    return [...this.runs.values()].filter((r) => r.workflow === wf).length + 1;
  }

  accountByToken(token: string): Account | undefined {
    for (const account of this.accounts.values()) if (account.token === token) return account;
    return undefined;
  }

  owner(login: string): Account | Organization | undefined {
    return this.orgs.get(login.toLowerCase()) ?? this.accounts.get(login.toLowerCase());
  }

  repo(owner: string, name: string): Repository | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  repoById(id: number): Repository | undefined {
    for (const repo of this.repos.values()) if (repo.id === id) return repo;
    return undefined;
  }

  /** Who may administer a repository: its owning user, or an admin of its organization. */
  canAdmin(account: Account, owner: Account | Organization): boolean {
    return isOrganization(owner) ? owner.admins.has(account.login) : owner.login === account.login;
  }
}
