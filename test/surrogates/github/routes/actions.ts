/**
 * Actions workflows and runs: workflow_dispatch (200 with the run when `return_run_details` is
 * true, else 204; 400 for that field when the surrogate plays an older server), dispatched runs
 * that go queued → in_progress → completed in time, push runs that progress by reads
 * (push-runs.ts), run lists (a workflow's or the repository's) with GitHub's filters, and cancel.
 */
import { runApiUrl, runHtmlUrl, runState, workflow as workflowBody, workflowRun } from '../fixtures';
import type { Repository, Workflow, WorkflowRun } from '../state';
import { observeRun } from './push-runs';
import { adminRepo } from './scopes';
import { GitHubHttpError, notFound, page, unprocessable, type Reply, type Route, type RouteRequest } from './route';

const REPO = ['repo'];

function workflowOf(repo: Repository, req: RouteRequest): Workflow {
  const ref = req.params['workflow_id'] ?? '';
  const wf = repo.workflows.find((w) => String(w.id) === ref || w.path === `.github/workflows/${ref}`);
  if (!wf) throw notFound();
  return wf;
}

function runOf(req: RouteRequest): WorkflowRun {
  const repo = adminRepo(req);
  const run = req.state.runs.get(Number(req.params['run_id']));
  if (!run || run.repo !== repo) throw notFound();
  return run;
}

const titleOf = (wf: Workflow, inputs: Readonly<Record<string, unknown>>): string =>
  wf.run_name === null
    ? wf.name
    : wf.run_name.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_m, name: string) => {
        const value = inputs[name];
        return typeof value === 'object' || value === undefined ? '' : String(value as string | number | boolean);
      });

/** GitHub's `created` filter: `>=2024-01-01T00:00:00Z` and friends. */
function createdMatches(filter: unknown, createdMs: number): boolean {
  if (typeof filter !== 'string' || filter === '') return true;
  const m = /^(>=|<=|>|<)?(.+)$/.exec(filter);
  const at = Date.parse(m?.[2] ?? '');
  if (Number.isNaN(at)) return true;
  const created = Math.floor(createdMs / 1000) * 1000;
  switch (m?.[1]) {
    case '>=':
      return created >= at;
    case '>':
      return created > at;
    case '<=':
      return created <= at;
    case '<':
      return created < at;
    default:
      return created === at;
  }
}

/** A run list with GitHub's filters, newest first; every run listed counts as a read of it. */
async function listRuns(req: RouteRequest, runs: readonly WorkflowRun[]): Promise<Reply> {
  const q = req.query;
  const matching = runs
    .filter((r) => q['event'] === undefined || q['event'] === r.event)
    .filter((r) => q['branch'] === undefined || q['branch'] === r.head_branch)
    .filter((r) => q['head_sha'] === undefined || q['head_sha'] === r.head_sha)
    .filter((r) => createdMatches(q['created'], r.created_ms));
  for (const run of matching) await observeRun(req.state, run);
  const now = Date.now();
  const listed = matching
    .filter((r) => q['status'] === undefined || q['status'] === runState(r, now).status)
    .sort((a, b) => b.created_ms - a.created_ms || b.id - a.id);
  return {
    status: 200,
    body: { total_count: listed.length, workflow_runs: page(listed, q).map((r) => workflowRun(r, now)) },
  };
}

export const actionRoutes: readonly Route[] = [
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}',
    scopes: REPO,
    handle(req) {
      const repo = adminRepo(req);
      return { status: 200, body: workflowBody(repo, workflowOf(repo, req)) };
    },
  },
  {
    method: 'post',
    template: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
    scopes: REPO,
    handle(req) {
      const repo = adminRepo(req, true);
      const wf = workflowOf(repo, req);
      const body = req.body as { ref: string; inputs?: Record<string, unknown>; return_run_details?: boolean };
      if (body.return_run_details !== undefined && !req.options.dispatchRunDetails) {
        throw new GitHubHttpError(400, 'Invalid request.\n\n"return_run_details" is not a permitted key.');
      }
      const branch = body.ref.replace(/^refs\/heads\//, '');
      if (!repo.branches.has(branch)) throw unprocessable(`No ref found for: ${body.ref}`);
      const inputs = body.inputs ?? {};
      const unexpected = Object.keys(inputs).filter((name) => !(name in wf.inputs));
      if (unexpected.length > 0) throw unprocessable(`Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
      const missing = Object.entries(wf.inputs).find(([name, spec]) => spec.required && inputs[name] === undefined);
      if (missing) throw unprocessable(`Required input '${missing[0]}' not provided`);
      const run: WorkflowRun = {
        id: req.state.id(),
        workflow: wf,
        repo,
        event: 'workflow_dispatch',
        head_branch: branch,
        head_sha: null,
        actor: req.account,
        display_title: titleOf(wf, inputs),
        inputs,
        created_ms: Date.now(),
        cancelled_ms: null,
        run_number: req.state.nextRunNumber(wf),
        polled: null,
      };
      req.state.runs.set(run.id, run);
      if (body.return_run_details !== true) return { status: 204 };
      return { status: 200, body: { workflow_run_id: run.id, run_url: runApiUrl(run), html_url: runHtmlUrl(run) } };
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
    scopes: REPO,
    handle(req) {
      const wf = workflowOf(adminRepo(req), req);
      return listRuns(
        req,
        [...req.state.runs.values()].filter((r) => r.workflow === wf),
      );
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/actions/runs',
    scopes: REPO,
    handle(req) {
      const repo = adminRepo(req);
      return listRuns(
        req,
        [...req.state.runs.values()].filter((r) => r.repo === repo),
      );
    },
  },
  {
    method: 'get',
    template: '/repos/{owner}/{repo}/actions/runs/{run_id}',
    scopes: REPO,
    async handle(req) {
      const run = runOf(req);
      await observeRun(req.state, run);
      return { status: 200, body: workflowRun(run, Date.now()) };
    },
  },
  {
    method: 'post',
    template: '/repos/{owner}/{repo}/actions/runs/{run_id}/cancel',
    scopes: REPO,
    handle(req) {
      const run = runOf(req);
      const now = Date.now();
      if (runState(run, now).status === 'completed')
        throw new GitHubHttpError(409, 'Cannot cancel a workflow run that is completed.');
      run.cancelled_ms = now;
      return { status: 202, body: {} };
    },
  },
];
