// Build-time loader: every benchmark report committed under apps/bench/results/.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../apps/bench/results/', import.meta.url));

export interface Report {
  file: string;
  preset: string;
  entries: number;
  keySize: number;
  valueSize: number;
  date: string;
  node: string;
  platform: string;
  runs: {
    engine: string;
    mode: string;
    results: Record<string, { opsPerSecond: number; p50: number; p99: number }>;
    peakRssBytes: number;
    diskBytes: number;
    writeAmplification: number;
  }[];
  skipped: { engine: string; mode: string; reason: string }[];
}

export default {
  watch: ['../apps/bench/results/*.json'],
  load(): Report[] {
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
    return files.sort().map((file) => ({ file, ...JSON.parse(readFileSync(dir + file, 'utf8')) }));
  },
};
