/**
 * Renders a report as text tables (the CLI) or Markdown (the README's Performance section).
 * @module
 */
import { fillTables, ratioTable, type Table } from './fill-tables.js';
import type { BenchReport } from './run-bench.js';
import type { Mode, WorkloadResult } from './timing.js';
import type { WorkerResult } from './worker.js';

/** Formats ops/s compactly: `1.23M`, `456.7k`, `789`. */
export function formatRate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

/** Formats a latency in microseconds: one decimal below 10 µs, whole microseconds above. */
export function formatMicros(n: number): string {
  return n < 10 ? n.toFixed(1) : n.toFixed(0);
}

const MB = 2 ** 20;
const MODE_TITLES: Record<Mode, string> = {
  typical: 'typical mode (one await per operation, default options)',
  fast: 'fast mode (batches of 1,000, synchronous gets, native iteration)',
};

function benchmarkNames(runs: readonly WorkerResult[]): string[] {
  return [...new Set(runs.flatMap((r) => Object.keys(r.results)))];
}

function cells(runs: readonly WorkerResult[], name: string, cell: (x: WorkloadResult) => string): string[] {
  return runs.map((r) => (r.results[name] ? cell(r.results[name]) : '-'));
}

function writeAmp(r: WorkerResult): string {
  if (r.writeAmplification < 0) return 'n/a';
  const source = r.writeAmplificationSource === 'db.stats().bytesWritten' ? 'db' : 'os';
  return `${r.writeAmplification.toFixed(2)} (${source})`;
}

/** The tables of one mode: throughput, latency, resources, and Velocity's ratio to each peer. */
export function modeTables(report: BenchReport, mode: Mode): { title: string; tables: Table[] } | undefined {
  const runs = report.runs.filter((r) => r.mode === mode);
  if (runs.length === 0) return undefined;
  const names = benchmarkNames(runs);
  const engines = runs.map((r) => r.engine);
  const tables: Table[] = [
    {
      head: ['ops/s', ...engines],
      rows: names.map((n) => [n, ...cells(runs, n, (x) => formatRate(x.opsPerSecond))]),
    },
    {
      head: ['µs p50 / p99 / p99.9', ...engines],
      rows: names.map((n) => [
        n,
        ...cells(runs, n, (x) => `${formatMicros(x.p50)} / ${formatMicros(x.p99)} / ${formatMicros(x.p999)}`),
      ]),
    },
    {
      head: ['event-loop delay ms p99 / max', ...engines],
      rows: names.map((n) => [
        n,
        ...cells(runs, n, (x) =>
          x.loopDelay ? `${x.loopDelay.p99.toFixed(1)} / ${x.loopDelay.max.toFixed(1)}` : '-',
        ),
      ]),
    },
    {
      head: ['resources', ...engines],
      rows: [
        ['peak RSS MB', ...runs.map((r) => (r.peakRssBytes / MB).toFixed(0))],
        [
          'heap for 10k records MB',
          ...runs.map((r) => (r.heap10kBytes < 0 ? 'n/a' : (r.heap10kBytes / MB).toFixed(2))),
        ],
        ['disk after load MB', ...runs.map((r) => (r.diskBytes / MB).toFixed(1))],
        ['write amplification', ...runs.map(writeAmp)],
        ['untimed settling in all s', ...runs.map((r) => (r.settleSeconds ?? 0).toFixed(1))],
      ],
    },
  ];
  const ratios = ratioTable('velocity ÷ peer (ops/s)', runs, names, (x) => x.opsPerSecond);
  if (ratios) tables.push(ratios);
  tables.push(...fillTables(runs));
  const compaction = runs.filter((r) => r.results['putlatency-compaction']);
  if (compaction.length > 0) {
    tables.push({
      head: ['put µs during compactRange', 'p50', 'p99', 'p99.9', 'max', 'puts', 'compaction s'],
      rows: compaction.map((r) => {
        const x = r.results['putlatency-compaction'];
        return [
          r.engine,
          formatMicros(x.p50),
          formatMicros(x.p99),
          formatMicros(x.p999),
          formatMicros(x.max),
          String(x.ops),
          (x.extra?.compactionSeconds ?? -1).toFixed(2),
        ];
      }),
    });
  }
  return { title: MODE_TITLES[mode], tables };
}

function header(report: BenchReport): string {
  return (
    `preset ${report.preset}: ${report.entries.toLocaleString('en-US')} entries, ${report.keySize}-byte keys, ` +
    `${report.valueSize}-byte values, ${report.keys ?? 'decimal'} keys, ` +
    `fills write every entry, reads and mixed time-boxed at ${report.budgetMs} ms` +
    `${report.repeat > 1 ? `, medians of ${report.repeat} runs` : ''}; ` +
    `${report.node}, ${report.platform}, ${report.cpus}` +
    (report.velocityOptions ? `; Velocity options ${JSON.stringify(report.velocityOptions)}` : '')
  );
}

function textTable({ head, rows }: Table): string[] {
  const first = Math.max(head[0].length, ...rows.map((r) => r[0].length)) + 2;
  const width = Math.max(12, ...[head, ...rows].flatMap((r) => r.slice(1).map((c) => c.length + 2)));
  return [head, ...rows].map(
    (r) =>
      r[0].padEnd(first) +
      r
        .slice(1)
        .map((c) => c.padStart(width))
        .join(''),
  );
}

/** Renders a report as plain-text tables, one group per mode, then what was skipped and why. */
export function formatReport(report: BenchReport): string {
  const lines = [header(report)];
  for (const mode of ['typical', 'fast'] as const) {
    const group = modeTables(report, mode);
    if (!group) continue;
    lines.push('', `== ${group.title} ==`);
    for (const table of group.tables) lines.push('', ...textTable(table));
  }
  for (const s of report.skipped) lines.push(`skipped ${s.engine} (${s.mode}): ${s.reason.split('\n')[0]}`);
  return lines.join('\n');
}

/** Renders a report as Markdown tables (for READMEs). */
export function formatMarkdown(report: BenchReport): string {
  const lines = [`_${header(report)}_`];
  for (const mode of ['typical', 'fast'] as const) {
    const group = modeTables(report, mode);
    if (!group) continue;
    lines.push('', `#### ${group.title}`);
    for (const { head, rows } of group.tables) {
      lines.push(
        '',
        `| ${head.join(' | ')} |`,
        `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
      );
      for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
    }
  }
  for (const s of report.skipped)
    lines.push('', `Skipped ${s.engine} (${s.mode}): ${s.reason.split('\n')[0]}`);
  return lines.join('\n');
}
