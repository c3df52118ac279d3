/**
 * CPU time used by processes and what they forked, from /proc (Linux): each local-cluster process
 * leads a process group of its own, and what it forks is in that group or (PostgreSQL's backends,
 * which start sessions of their own) its direct child; the bench's dev server is a child of the bench
 * in the bench's group, counted by its own pid. Processes that exit between two readings are
 * not counted, so read around work whose processes stay (as the cluster's and the dev server do).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { round } from './stats';

/** Clock ticks a second for /proc's utime and stime (`getconf CLK_TCK`: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) used so far by each of `leaders` with its group and children, by leader pid. */
export function groupCpuSeconds(leaders: readonly number[]): Map<number, number> {
  const totals = new Map<number, number>(leaders.map((g) => [g, 0]));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // Fields after the command, which is in parentheses and may hold spaces: state ppid pgrp … utime(14) stime(15).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [pid, parent, group] = [Number(entry), Number(fields[1]), Number(fields[2])];
    const leader = totals.has(pid) ? pid : totals.has(group) ? group : totals.has(parent) ? parent : null;
    if (leader === null) continue;
    const ticks = Number(fields[11]) + Number(fields[12]);
    totals.set(leader, (totals.get(leader) ?? 0) + ticks / TICKS_PER_SECOND);
  }
  return totals;
}

/** CPU seconds used while a piece of work ran: by the Temporal server, and by this process (worker and client). */
export interface CpuUse {
  readonly server_s: number;
  readonly process_s: number;
}

export async function cpuDuring<T>(serverPid: number | undefined, work: () => Promise<T>): Promise<[T, CpuUse]> {
  const server = (): number => (serverPid === undefined ? NaN : (groupCpuSeconds([serverPid]).get(serverPid) ?? NaN));
  const [serverBefore, processBefore] = [server(), process.cpuUsage()];
  const result = await work();
  const used = process.cpuUsage(processBefore);
  return [result, { server_s: server() - serverBefore, process_s: (used.user + used.system) / 1e6 }];
}

/** "of the 56 s 2 cores had": the CPU seconds this machine's cores had over `wallMs`, to read CPU use against. */
export const coreSeconds = (wallMs: number): string =>
  `of the ${round((availableParallelism() * wallMs) / 1000, 1)} s ${availableParallelism()} cores had`;

/** "server 19 s + this process 28 s of the 56 s 2 cores had": how near the machine was to full. */
export const describeCpu = (cpu: CpuUse, wallMs: number): string =>
  `CPU: server ${round(cpu.server_s, 1)} s + this process ${round(cpu.process_s, 1)} s ${coreSeconds(wallMs)}`;
