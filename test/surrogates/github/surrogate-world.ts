/**
 * What tests put in the surrogate's world before and while a client works against it: accounts,
 * organizations, repositories, environments and workflows, and in each repository's git repository
 * files on branches, pull requests, reviews, issues and scripted checks (repo-seeding.ts).
 * GitHubSurrogate (server.ts) is this world served over HTTP.
 */
import * as seeding from './repo-seeding';
import { createEnvironment, createRepository } from './routes/repos';
import {
  nodeId,
  timestamp,
  type Account,
  type Environment,
  type GitHubState,
  type Organization,
  type PushTrigger,
  type Repository,
  type Workflow,
  type WorkflowInput,
} from './state';
import type { CheckScriptSettings, CheckTarget, Issue, PullRequest, Review, ReviewState } from './state-pulls';

export interface WorkflowOptions {
  readonly name?: string;
  readonly inputs?: Readonly<Record<string, WorkflowInput>>;
  readonly run_name?: string | null;
  readonly conclusion?: 'success' | 'failure';
  readonly queued_ms?: number;
  readonly running_ms?: number;
  /** Runs on pushes to these branches (merges included), progressing by reads; may create a release. */
  readonly on_push?: Omit<PushTrigger, 'pending_polls' | 'release'> & Partial<PushTrigger>;
}

export class SurrogateWorld {
  constructor(readonly state: GitHubState) {}

  // ---- accounts, repositories, workflows --------------------------------------------------------

  addAccount(login: string, options: { scopes?: readonly string[]; token?: string } = {}): Account {
    const account: Account = {
      id: this.state.id(),
      login,
      token: options.token ?? `ghp_${login}_${this.state.id()}`,
      scopes: options.scopes ?? ['repo', 'workflow'],
      used: 0,
    };
    this.state.accounts.set(login.toLowerCase(), account);
    return account;
  }

  addOrg(login: string, admins: readonly Account[]): Organization {
    const org: Organization = {
      id: this.state.id(),
      login,
      admins: new Set(admins.map((a) => a.login)),
      scope: `org:${login}`,
      key: this.state.keyPair(),
      secrets: new Map(),
    };
    this.state.orgs.set(login.toLowerCase(), org);
    return org;
  }

  addRepo(owner: Account | Organization, name: string, options: { private?: boolean } = {}): Repository {
    return createRepository({ state: this.state }, owner, name, options);
  }

  addEnvironment(repo: Repository, name: string): Environment {
    return createEnvironment({ state: this.state }, repo, name);
  }

  addWorkflow(repo: Repository, file: string, options: WorkflowOptions = {}): Workflow {
    const id = this.state.id();
    const wf: Workflow = {
      id,
      node_id: nodeId('Workflow', id),
      name: options.name ?? file.replace(/\.ya?ml$/, ''),
      path: `.github/workflows/${file}`,
      inputs: options.inputs ?? {},
      run_name: options.run_name ?? null,
      conclusion: options.conclusion ?? 'success',
      queued_ms: options.queued_ms ?? 50,
      running_ms: options.running_ms ?? 200,
      created_at: timestamp(),
      on_push: options.on_push ? { pending_polls: 0, release: null, ...options.on_push } : null,
    };
    repo.workflows.push(wf);
    return wf;
  }

  // ---- git repositories, pull requests, checks (repo-seeding.ts) ----------------------------

  /** The repository's bare git repository (made on first use), for `git log` / `git show` in tests. */
  async gitDir(repo: Repository): Promise<string> {
    return (await this.state.git.open(repo)).dir;
  }

  /** Commits `files` on main and points `branches` (default staging) at it; answers the commit SHA. */
  seedRepository(repo: Repository, files: seeding.FileChanges, branches?: readonly string[]): Promise<string> {
    return seeding.seedRepository(this.state, repo, files, branches);
  }

  /** Commits `files` (null deletes) on `branch`, made from `options.from` (default main) when missing. */
  commitFiles(
    repo: Repository,
    branch: string,
    files: seeding.FileChanges,
    options?: seeding.CommitOptions,
  ): Promise<string> {
    return seeding.commitFiles(this.state, repo, branch, files, options);
  }

  /** Opens a pull request whose head branch carries a commit changing `seed.files`. */
  addPullRequest(repo: Repository, seed: seeding.PullSeed): Promise<PullRequest> {
    return seeding.addPullRequest(this.state, repo, seed);
  }

  /** Adds a review of the pull request's head (reviews are listed in the order added). */
  addReview(pull: PullRequest, user: Account, state: ReviewState, body?: string): Review {
    return seeding.addReview(this.state, pull, user, state, body);
  }

  addIssue(repo: Repository, user: Account, title: string, body?: string | null): Issue {
    return seeding.addIssue(this.state, repo, user, title, body);
  }

  /** Scripts the checks of a SHA or of `{ pull: n }`'s head; `update()` changes them later. */
  scriptChecks(repo: Repository, target: CheckTarget, settings: CheckScriptSettings = {}): seeding.ScriptedChecks {
    return seeding.scriptChecks(repo, target, settings);
  }
}
