import type { BenchReport } from './run-bench.js';

function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

/** Renders a report as text tables: ops/s and latency per benchmark, then Velocity's ratio to each peer. */
export function formatReport(report: BenchReport): string {
  const lines: string[] = [];
  lines.push(
    `preset ${report.preset}: ${report.entries} entries, ${report.keySize}-byte keys, ${report.valueSize}-byte values (${report.node}, ${report.platform})`,
  );
  for (const mode of ['typical', 'fast'] as const) {
    const runs = report.runs.filter((r) => r.mode === mode);
    if (runs.length === 0) continue;
    lines.push('', `${mode} mode: ops/s (p50 / p99 µs)`);
    const names = [...new Set(runs.flatMap((r) => Object.keys(r.results)))];
    lines.push(['benchmark'.padEnd(17), ...runs.map((r) => r.engine.padStart(24))].join(''));
    for (const name of names) {
      const cells = runs.map((r) => {
        const x = r.results[name];
        return (x ? `${fmt(x.opsPerSecond)} (${x.p50.toFixed(1)}/${x.p99.toFixed(0)})` : '-').padStart(24);
      });
      lines.push([name.padEnd(17), ...cells].join(''));
    }
    lines.push(
      ['peak RSS MB'.padEnd(17), ...runs.map((r) => (r.peakRssBytes / 2 ** 20).toFixed(0).padStart(24))].join(
        '',
      ),
    );
    lines.push(
      ['disk MB'.padEnd(17), ...runs.map((r) => (r.diskBytes / 2 ** 20).toFixed(1).padStart(24))].join(''),
    );
    lines.push(
      [
        'write amp'.padEnd(17),
        ...runs.map((r) => (r.writeAmplification < 0 ? 'n/a' : r.writeAmplification.toFixed(2)).padStart(24)),
      ].join(''),
    );
    const velocity = runs.find((r) => r.engine === 'velocity');
    const peers = runs.filter((r) => r.engine !== 'velocity');
    if (velocity && peers.length > 0) {
      lines.push('', `${mode} mode: Velocity's ops/s ÷ each peer's (>1 means Velocity is faster)`);
      lines.push(['benchmark'.padEnd(17), ...peers.map((p) => p.engine.padStart(16))].join(''));
      for (const name of names) {
        const v = velocity.results[name];
        const cells = peers.map((p) => {
          const x = p.results[name];
          return (v && x ? `${(v.opsPerSecond / x.opsPerSecond).toFixed(2)}×` : '-').padStart(16);
        });
        lines.push([name.padEnd(17), ...cells].join(''));
      }
    }
  }
  for (const s of report.skipped) lines.push(`skipped ${s.engine} (${s.mode}): ${s.reason}`);
  return lines.join('\n');
}
