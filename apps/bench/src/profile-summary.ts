/**
 * Summarizes a V8 CPU profile (`pnpm bench -- --cpu-prof DIR` writes one per benchmark, or `node --cpu-prof`): the functions
 * with the most self time and the most total time, with their files, as percentages of the profile.
 *
 * Usage: `node apps/bench/dist/profile-summary.js FILE.cpuprofile [top=25] [filter]`, where `filter`
 * keeps only functions whose file contains it (e.g. `packages/`).
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The parts of a `.cpuprofile` file this reads. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One function's share of a profile. */
export interface ProfileLine {
  /** `name (file:line)`, the file shortened to the part after the repository root. */
  site: string;
  /** Percent of sampled time spent in the function itself. */
  selfPercent: number;
  /** Percent of sampled time with the function on the stack. */
  totalPercent: number;
}

function shorten(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const at = path.search(/\/(packages|apps|node_modules)\//);
  return at >= 0 ? path.slice(at + 1) : path || '(native)';
}

/** Self and total time per function (merged across call sites), sorted by self time. */
export function summarizeProfile(profile: CpuProfile): ProfileLine[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = Math.max(0, profile.timeDeltas[i] ?? 0);
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
    total += dt;
  }
  const siteOf = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} (${shorten(n.callFrame.url)}:${n.callFrame.lineNumber + 1})`;
  const selfBySite = new Map<string, number>();
  const totalBySite = new Map<string, number>();
  // Walk the tree from each root, counting a function's time once per path even when it recurses.
  const children = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  const roots = profile.nodes.filter((n) => !children.has(n.id));
  const inclusive = (node: ProfileNode, onStack: Set<string>): number => {
    const site = siteOf(node);
    let sum = self.get(node.id) ?? 0;
    selfBySite.set(site, (selfBySite.get(site) ?? 0) + sum);
    const fresh = !onStack.has(site);
    if (fresh) onStack.add(site);
    for (const child of node.children ?? []) {
      const c = byId.get(child);
      if (c) sum += inclusive(c, onStack);
    }
    if (fresh) {
      onStack.delete(site);
      totalBySite.set(site, (totalBySite.get(site) ?? 0) + sum);
    }
    return sum;
  };
  for (const root of roots) inclusive(root, new Set());
  const pct = (x: number) => (total > 0 ? (100 * x) / total : 0);
  return [...selfBySite.keys()]
    .map((site) => ({
      site,
      selfPercent: pct(selfBySite.get(site) ?? 0),
      totalPercent: pct(totalBySite.get(site) ?? 0),
    }))
    .sort((a, b) => b.selfPercent - a.selfPercent);
}

/** Renders the top lines by self time, then by total time. */
export function formatProfile(lines: readonly ProfileLine[], top = 25, filter = ''): string {
  const kept = lines.filter((l) => l.site.includes(filter));
  const row = (l: ProfileLine) =>
    `${l.selfPercent.toFixed(1).padStart(6)}% ${l.totalPercent.toFixed(1).padStart(6)}%  ${l.site}`;
  return [
    '  self   total  function (file:line), by self time',
    ...kept.slice(0, top).map(row),
    '',
    '  self   total  function (file:line), by total time',
    ...[...kept]
      .sort((a, b) => b.totalPercent - a.totalPercent)
      .slice(0, top)
      .map(row),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, top, filter] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node profile-summary.js FILE.cpuprofile [top=25] [filter]');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(formatProfile(summarizeProfile(profile), top ? Number(top) : 25, filter ?? ''));
}
