/**
 * The result of a bench or chaos run: rows of a markdown table plus the raw figures, written to
 * `bench/results/<timestamp>-<kind>.json` and `.md`, and printed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export interface Row {
  readonly section: string;
  readonly metric: string;
  readonly value: string;
  readonly note?: string | undefined;
}

export interface Report {
  readonly rows: Row[];
  /** Raw figures by section, for the JSON file. */
  readonly data: Record<string, unknown>;
  readonly notes: string[];
}

export const newReport = (): Report => ({ rows: [], data: {}, notes: [] });

export const RESULTS_DIR = join(__dirname, '..', 'results');

export function machine(): string {
  const cores = cpus();
  return `${cores.length} cores (${cores[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

export function markdown(title: string, report: Report, meta: Record<string, string>): string {
  const cell = (s: string): string => s.replaceAll('|', '\\|');
  const lines = [`## ${title}`, '', ...Object.entries(meta).map(([k, v]) => `- ${k}: ${v}`), ''];
  lines.push('| section | metric | value | note |', '|---|---|---|---|');
  for (const row of report.rows)
    lines.push(`| ${cell(row.section)} | ${cell(row.metric)} | ${cell(row.value)} | ${cell(row.note ?? '')} |`);
  if (report.notes.length > 0) lines.push('', '**Notes**', '', ...report.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

/** Writes the JSON and markdown files, prints the table, and returns the markdown path. */
export async function writeReport(
  kind: 'bench' | 'chaos',
  report: Report,
  meta: Record<string, string>,
): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = join(RESULTS_DIR, `${stamp}-${kind}`);
  const fullMeta = { machine: machine(), ...meta };
  const md = markdown(kind === 'bench' ? 'npm run bench' : 'npm run chaos', report, fullMeta);
  await writeFile(
    `${base}.json`,
    `${JSON.stringify({ kind, meta: fullMeta, rows: report.rows, notes: report.notes, data: report.data }, null, 2)}\n`,
  );
  await writeFile(`${base}.md`, md);
  console.log(`\n${md}`);
  console.log(`written: ${base}.json, ${base}.md`);
  return `${base}.md`;
}
