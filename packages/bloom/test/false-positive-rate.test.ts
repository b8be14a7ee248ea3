import { utf8 } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { BloomFilterPolicy } from '../src/index.js';

/** 16-byte keys that differ only in their last digits: the hard case for a weak hash. */
const key = (i: number) => utf8(`user${String(i).padStart(12, '0')}`);

const ABSENT = 100_000;

/**
 * For n present keys and 100k absent ones, the measured false-positive rate must lie within a small
 * margin of the theoretical (1 - e^(-k n / m))^k: at most 10 % above it plus 4 standard deviations of
 * the sampling noise plus the documented 32-bit-hash term n / 2^32, and not implausibly below it (which
 * would mean the filter is larger than it claims or the measurement is broken).
 */
describe('BloomFilterPolicy: false-positive rate', () => {
  for (const n of [10_000, 100_000]) {
    for (const bitsPerKey of [5, 10, 20]) {
      it(`${bitsPerKey} bits per key, ${n} keys`, () => {
        const policy = new BloomFilterPolicy(bitsPerKey);
        const present: Uint8Array[] = [];
        for (let i = 0; i < n; i++) present.push(key(i));
        const filter = policy.createFilter(present);
        for (const k of present) expect(policy.keyMayMatch(k, filter)).toBe(true);

        let hits = 0;
        for (let i = n; i < n + ABSENT; i++) if (policy.keyMayMatch(key(i), filter)) hits++;
        const measured = hits / ABSENT;

        const m = (filter.length - 1) * 8;
        const k = policy.probes;
        const theoretical = (1 - Math.exp((-k * n) / m)) ** k;
        const sigma = Math.sqrt((theoretical * (1 - theoretical)) / ABSENT);
        const upper = theoretical * 1.1 + 4 * sigma + n / 2 ** 32;
        const lower = Math.max(0, theoretical * 0.9 - 4 * sigma);
        console.log(
          `bloom fp: bitsPerKey=${bitsPerKey} k=${k} n=${n} measured=${(measured * 100).toFixed(4)}% ` +
            `theoretical=${(theoretical * 100).toFixed(4)}% ratio=${(measured / theoretical).toFixed(3)} ` +
            `bound=${(upper * 100).toFixed(4)}%`,
        );
        expect(measured).toBeLessThanOrEqual(upper);
        expect(measured).toBeGreaterThanOrEqual(lower);
      });
    }
  }
});
