import { LruCache } from '@velocity/block-cache';
import { TieredCompaction } from '@velocity/compaction';
import { fromUtf8, MemoryFileSystem } from '@velocity/core';
import { lz4Codec } from '@velocity/sstable';
import { it } from 'vitest';
import { DB } from '/work/main/packages/db/src/index.js';

it('repro', async () => {
  for (const compression of [undefined, lz4Codec]) {
    for (const len of [0, 10, 100]) {
      const fs = new MemoryFileSystem();
      const options = {
        memtableSize: 2048,
        blockSize: 256,
        compaction: new TieredCompaction({ minMergeWidth: 2, maxRuns: 3 }),
        blockCache: new LruCache<string, Uint8Array>({ capacity: 8192 }),
        compression,
      };
      let db = await DB.open('/db', { ...options, fs });
      const snap = db.snapshot();
      await db.put('a', 'x'.repeat(len));
      snap.release();
      await db.write([{ type: 'put', key: 'b', value: 'y' }], { sync: true });
      fs.crash();
      db = await DB.open('/db', { ...options, fs });
      const out: string[] = [];
      for (const [k, v] of db.iterator()) out.push(`${fromUtf8(k)}=${fromUtf8(v).length}`);
      console.log(compression?.name ?? 'none', len, JSON.stringify(out), fs.list('/db').join(' '));
      await db.close();
    }
  }
});
