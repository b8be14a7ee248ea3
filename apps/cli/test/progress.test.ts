import { describe, expect, it } from 'vitest';
import { Progress, progressBar, progressText } from '../src/progress.js';

describe('progressText', () => {
  it('shows percentage, rates and time left when the input size is known', () => {
    const text = progressText({
      records: 50_000,
      bytes: 25 * 1048576,
      totalBytes: 100 * 1048576,
      seconds: 10,
    });
    expect(text).toBe('25% 50,000 records, 5,000 records/s, 2.5 MiB/s, ETA 30 s');
  });

  it('shows a count and a rate without a total, and no ETA once done', () => {
    expect(progressText({ records: 300, bytes: 0, totalBytes: undefined, seconds: 2 })).toBe(
      '300 records, 150 records/s',
    );
    const done = progressText({ records: 10, bytes: 100, totalBytes: 100, seconds: 1 });
    expect(done).toMatch(/^100% 10 records/);
    expect(done).not.toContain('ETA');
  });

  it('writes longer ETAs in minutes and hours', () => {
    const slow = progressText({ records: 1, bytes: 1, totalBytes: 3601, seconds: 1 });
    expect(slow).toContain('ETA 1 h 0 min');
    expect(progressText({ records: 1, bytes: 1, totalBytes: 91, seconds: 1 })).toContain('ETA 1 min 30 s');
  });
});

describe('progressBar', () => {
  it('fills in proportion', () => {
    expect(progressBar(0.5, 10)).toBe('[#####.....]');
    expect(progressBar(2, 4)).toBe('[####]');
  });
});

/** A stream that records what is written, as a terminal or not. */
function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
}

describe('Progress', () => {
  it('prints plain lines, one per interval, when not on a terminal', () => {
    let now = 0;
    const { writes, stream } = fakeStream(false);
    const progress = new Progress('importing x', 1000, stream, 1000, () => now);
    now = 500;
    progress.update(10, 100); // before the first interval: nothing yet
    now = 1000;
    progress.update(20, 200);
    now = 1500;
    progress.update(30, 300); // within the interval: nothing
    now = 2000;
    progress.finish();
    expect(writes).toEqual([
      'importing x: 20% 20 records, 20 records/s, 0.0 MiB/s, ETA 4 s\n',
      'importing x: 30% 30 records, 15 records/s, 0.0 MiB/s, ETA 5 s (done)\n',
    ]);
  });

  it('redraws one line with a bar on a terminal', () => {
    let now = 0;
    const { writes, stream } = fakeStream(true);
    const progress = new Progress('importing x', 100, stream, 1000, () => now);
    now = 1000;
    progress.update(5, 50);
    progress.finish();
    expect(writes[0]).toMatch(/^\rimporting x \[#{15}\.{15}\] 50% 5 records/);
    expect(writes[1].endsWith('\n')).toBe(true);
    expect(writes.every((w) => w.startsWith('\r'))).toBe(true);
  });
});
