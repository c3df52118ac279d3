/**
 * What a push does besides moving a branch: the repository's branch list follows its refs,
 * deleting a branch closes the open pull requests based on it (as GitHub does), and every
 * workflow that runs on pushes to that branch (a merged pull request is a push to its base)
 * starts a run of event `push` for the pushed commit. Such runs progress by reads, not time: each
 * read of the run (alone or in a list) counts, and the read after `pending_polls` completes it; a
 * successful run of a workflow with a release rule then tags the commit and creates the release,
 * as a release workflow would.
 */
import type { GitRepo } from '../git-repo';
import {
  timestamp,
  type Account,
  type GitHubState,
  type Organization,
  type ReleaseRule,
  type Repository,
  type WorkflowRun,
} from '../state';

const HEADS = 'refs/heads/';

/** Records that `ref` now points at `sha` (null: deleted), pushed by `actor`. */
export async function refMoved(
  state: GitHubState,
  repo: Repository,
  git: GitRepo,
  ref: string,
  sha: string | null,
  actor: Account | Organization,
): Promise<void> {
  if (!ref.startsWith(HEADS)) return;
  const branch = ref.slice(HEADS.length);
  if (sha === null) {
    repo.branches.delete(branch);
    const now = timestamp();
    for (const pull of repo.pulls.values())
      if (pull.state === 'open' && pull.base === branch)
        Object.assign(pull, { state: 'closed', closed_at: now, updated_at: now });
    return;
  }
  repo.branches.add(branch);
  const triggered = repo.workflows.filter((wf) => wf.on_push?.branches.includes(branch));
  if (triggered.length === 0) return;
  const title = (await git.commit(sha))?.message.split('\n')[0] ?? '';
  for (const wf of triggered) {
    const run: WorkflowRun = {
      id: state.id(),
      workflow: wf,
      repo,
      event: 'push',
      head_branch: branch,
      head_sha: sha,
      actor,
      display_title: title,
      inputs: {},
      created_ms: Date.now(),
      cancelled_ms: null,
      run_number: state.nextRunNumber(wf),
      polled: { pending: wf.on_push?.pending_polls ?? 0, reads: 0, completed_ms: null },
    };
    state.runs.set(run.id, run);
  }
}

/** Counts a read of a run; the read that completes a successful run creates its release. */
export async function observeRun(state: GitHubState, run: WorkflowRun): Promise<void> {
  const polled = run.polled;
  if (!polled || polled.completed_ms !== null || run.cancelled_ms !== null) return;
  polled.reads += 1;
  if (polled.reads <= polled.pending) return;
  polled.completed_ms = Date.now();
  const rule = run.workflow.on_push?.release;
  if (run.workflow.conclusion === 'success' && rule && run.head_sha !== null)
    await createRelease(state, run, run.head_sha, rule);
}

async function createRelease(state: GitHubState, run: WorkflowRun, sha: string, rule: ReleaseRule): Promise<void> {
  const git = await state.git.open(run.repo);
  const read = async (path: string) => (await git.fileAt(sha, path))?.toString('utf8') ?? null;
  const tag = rule.tag
    ? await rule.tag({ sha, read })
    : `v${((await read('VERSION')) ?? '').split('\n')[0]?.trim() ?? ''}`;
  if (run.repo.releases.some((r) => r.tag_name === tag)) return;
  await git.setRef(`refs/tags/${tag}`, sha, null);
  const now = timestamp();
  run.repo.releases.push({
    id: state.id(),
    tag_name: tag,
    target_commitish: run.head_branch,
    name: tag,
    body: rule.body ?? `**Full Changelog**: ${tag}`,
    draft: false,
    prerelease: false,
    author: run.actor,
    created_at: now,
    published_at: now,
  });
}
