/**
 * The checks of a commit, as tests script them (CheckScript in state-pulls.ts): the check runs
 * and the combined commit status of a ref. Reads are counted per endpoint and commit: the first
 * `pendingPolls` answer in progress / pending, later ones the scripted conclusion. A script for
 * "the head of pull request n" follows that head, so a new head starts its checks afresh. A
 * commit no script covers has no check runs and a pending combined status with no contexts, as
 * on GitHub.
 */
import { checkRun, combinedStatus, type CheckRunView, type StatusView } from '../fixtures-pulls';
import type { GitRepo } from '../git-repo';
import { timestamp, type Repository } from '../state';
import type { CheckScript } from '../state-pulls';
import { commitAt } from './commits';
import { pullHeads } from './pull-git';
import { adminRepoGit } from './scopes';
import { page, type Route, type RouteRequest } from './route';

/** The latest script that applies to a commit. */
async function scriptFor(repo: Repository, git: GitRepo, sha: string): Promise<CheckScript | undefined> {
  for (const script of [...repo.checks].reverse()) {
    if (typeof script.target === 'string') {
      if (script.target === sha) return script;
      continue;
    }
    const pull = repo.pulls.get(script.target.pull);
    if (pull && (await pullHeads(git, pull)).head === sha) return script;
  }
  return undefined;
}

interface Outcome {
  readonly sha: string;
  readonly script: CheckScript | undefined;
  readonly pending: boolean;
  conclusionOf(name: string): 'success' | 'failure';
  idOf(name: string): number;
}

/** Counts this read of `endpoint` for the ref's commit and says what its checks show now. */
async function observe(req: RouteRequest, endpoint: 'checks' | 'status') {
  const { repo, git } = await adminRepoGit(req);
  const { sha } = await commitAt(git, req.params['ref'] ?? '', 422);
  const script = await scriptFor(repo, git, sha);
  let pending = false;
  if (script) {
    const key = `${script.generation}:${sha}:${endpoint}`;
    const reads = (script.reads.get(key) ?? 0) + 1;
    script.reads.set(key, reads);
    pending = reads <= (script.settings.pendingPolls ?? 0);
  }
  const outcome: Outcome = {
    sha,
    script,
    pending,
    conclusionOf(name) {
      const { conclusion = 'success', failing } = script?.settings ?? {};
      return conclusion === 'failure' && (failing === undefined || failing.includes(name)) ? 'failure' : 'success';
    },
    idOf(name) {
      const key = `${script?.generation ?? 0}:${sha}:${name}`;
      const id = script?.ids.get(key) ?? req.state.id();
      script?.ids.set(key, id);
      return id;
    },
  };
  return { repo, outcome };
}

export const checkRoutes: readonly Route[] = [
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/commits/{ref}/check-runs',
    scopes: [],
    async handle(req) {
      const { repo, outcome } = await observe(req, 'checks');
      const runs: CheckRunView[] = (outcome.script ? (outcome.script.settings.names ?? ['build']) : []).map((name) => ({
        id: outcome.idOf(name),
        name,
        sha: outcome.sha,
        conclusion: outcome.pending ? null : outcome.conclusionOf(name),
        started_at: timestamp(),
      }));
      const status = outcome.pending ? 'in_progress' : 'completed';
      const shown = runs
        .filter((r) => req.query['check_name'] === undefined || req.query['check_name'] === r.name)
        .filter(() => req.query['status'] === undefined || req.query['status'] === status);
      return {
        status: 200,
        body: { total_count: shown.length, check_runs: page(shown, req.query).map((r) => checkRun(repo, r)) },
      };
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/commits/{ref}/status',
    scopes: [],
    async handle(req) {
      const { repo, outcome } = await observe(req, 'status');
      const statuses: StatusView[] = (outcome.script?.settings.contexts ?? []).map((context) => ({
        id: outcome.idOf(`status:${context}`),
        context,
        state: outcome.pending ? 'pending' : outcome.conclusionOf(context),
        at: timestamp(),
      }));
      return { status: 200, body: combinedStatus(repo, outcome.sha, statuses) };
    },
  },
];
