/**
 * The local cluster's processes run in process groups of their own, so a cluster stopped hard (a
 * second Ctrl-C, kill -9) leaves them running, holding their ports and PostgreSQL's lock. Each is
 * recorded in `processes.json` in the cluster's folder while it runs; the next start stops those
 * still alive (checked by their command line, so a reused pid is left alone).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Child } from './child';

interface Recorded {
  readonly name: string;
  readonly pid: number;
  /** A piece of its command line that identifies it (its data folder, its entry file). */
  readonly mark: string;
}

const FILE = 'processes.json';
const GRACE_MS = 10_000;

export class ProcessRecord {
  private readonly entries = new Map<string, Recorded>();

  constructor(private readonly dir: string) {}

  add(child: Child, mark: string): void {
    this.entries.set(child.name, { name: child.name, pid: child.pid, mark });
    this.write();
    void child.exited.then(() => {
      if (this.entries.get(child.name)?.pid !== child.pid) return;
      this.entries.delete(child.name);
      this.write();
    });
  }

  private write(): void {
    writeFileSync(join(this.dir, FILE), `${JSON.stringify([...this.entries.values()], null, 2)}\n`);
  }
}

/** Stops what a previous start of the cluster in `dir` left running; returns their names. */
export async function stopLeftovers(dir: string): Promise<string[]> {
  let recorded: Recorded[];
  try {
    recorded = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as Recorded[];
  } catch {
    return [];
  }
  const alive = recorded.filter((r) => commandLine(r.pid).includes(r.mark));
  for (const r of alive) signal(r.pid, 'SIGTERM');
  const deadline = Date.now() + GRACE_MS;
  while (alive.some((r) => isRunning(r.pid)) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 200));
  for (const r of alive) if (isRunning(r.pid)) signal(r.pid, 'SIGKILL');
  return alive.map((r) => r.name);
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}
