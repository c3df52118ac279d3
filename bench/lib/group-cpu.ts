/**
 * CPU time used by processes and what they forked, from /proc (Linux): each local-cluster process
 * leads a process group of its own, and what it forks is in that group or (PostgreSQL's backends,
 * which start sessions of their own) its direct child. Processes that exit between two readings are
 * not counted, so read around work whose processes stay (as the cluster's do).
 */
import { readdirSync, readFileSync } from 'node:fs';

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
    const [parent, group] = [Number(fields[1]), Number(fields[2])];
    const leader = totals.has(group) ? group : totals.has(parent) ? parent : null;
    if (leader === null) continue;
    const ticks = Number(fields[11]) + Number(fields[12]);
    totals.set(leader, (totals.get(leader) ?? 0) + ticks / TICKS_PER_SECOND);
  }
  return totals;
}
