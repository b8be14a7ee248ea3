/**
 * The report's tables about fills: what each fill left behind (compaction debt, level-0 files, time to
 * settle, write amplification), and fill throughput counted with the settling it needed.
 * @module
 */
import type { WorkloadResult } from './timing.js';
import type { WorkerResult } from './worker.js';

/** A table: a head row and body rows of cells. */
export type Table = { head: string[]; rows: string[][] };

const MB = 2 ** 20;

/** Fill ops/s with the time the engine needed to settle afterwards added to the fill's wall time. */
export function opsPerSecondWithSettle(x: WorkloadResult): number {
  const seconds = x.seconds + (x.extra?.settleSeconds ?? 0);
  return seconds > 0 ? x.ops / seconds : 0;
}

/** One cell: `debt 3.1 MB, 5 L0 · settle 1.2 s · WA 2.41` (`debt n/a` for engines that hide it). */
export function afterFillCell(x: WorkloadResult): string {
  const e = x.extra ?? {};
  if (e.settleSeconds === undefined) return '-';
  const debt =
    e.debtBytes === undefined ? 'debt n/a' : `debt ${(e.debtBytes / MB).toFixed(1)} MB, ${e.level0Files} L0`;
  const settle = `settle ${e.settleSeconds.toFixed(1)} s${e.settleTimedOut ? ' (timed out)' : ''}`;
  const wa = e.writeAmplification === undefined ? '' : ` · WA ${e.writeAmplification.toFixed(2)}`;
  return `${debt} · ${settle}${wa}`;
}

const isFill = (x: WorkloadResult | undefined) => x?.extra?.settleSeconds !== undefined;

/**
 * Velocity's `rate` ÷ each peer's, per benchmark in `names` (`-` where either is missing or zero);
 * undefined without Velocity or without peers.
 */
export function ratioTable(
  title: string,
  runs: readonly WorkerResult[],
  names: readonly string[],
  rate: (x: WorkloadResult) => number,
): Table | undefined {
  const velocity = runs.find((r) => r.engine === 'velocity');
  const peers = runs.filter((r) => r.engine !== 'velocity');
  if (!velocity || peers.length === 0) return undefined;
  return {
    head: [title, ...peers.map((p) => p.engine)],
    rows: names
      .filter((n) => velocity.results[n])
      .map((n) => [
        n,
        ...peers.map((p) => {
          const x = p.results[n];
          const ratio = x ? rate(velocity.results[n]) / rate(x) : Number.NaN;
          return Number.isFinite(ratio) && ratio > 0 ? `${ratio.toFixed(2)}×` : '-';
        }),
      ]),
  };
}

/** The fill benchmarks present in `runs`, in run order. */
function fillNames(runs: readonly WorkerResult[]): string[] {
  return [...new Set(runs.flatMap((r) => Object.keys(r.results).filter((n) => isFill(r.results[n]))))];
}

/**
 * The tables about fills for one mode's runs: what each fill left behind, per engine, and (with
 * Velocity and peers) Velocity's ratio of fill ops/s counted with the settling time.
 */
export function fillTables(runs: readonly WorkerResult[]): Table[] {
  const names = fillNames(runs);
  if (names.length === 0) return [];
  const tables: Table[] = [
    {
      head: ['after each fill', ...runs.map((r) => r.engine)],
      rows: names.map((n) => [n, ...runs.map((r) => (r.results[n] ? afterFillCell(r.results[n]) : '-'))]),
    },
  ];
  const ratios = ratioTable('velocity ÷ peer (fill + settle)', runs, names, (x) =>
    isFill(x) ? opsPerSecondWithSettle(x) : 0,
  );
  if (ratios) tables.push(ratios);
  return tables;
}
