/** Sizes of a benchmark run. */
export interface Preset {
  name: string;
  description: string;
  keySize: number;
  valueSize: number;
  entries: number;
}

/** The presets: LevelDB's db_bench defaults, RocksDB's, YCSB's, and a small one. */
export const PRESETS: Record<string, Preset> = {
  small: {
    name: 'small',
    description: '10k entries, 16-byte keys, 100-byte values',
    keySize: 16,
    valueSize: 100,
    entries: 10_000,
  },
  leveldb: {
    name: 'leveldb',
    description: "LevelDB's db_bench: 1M entries, 16-byte keys, 100-byte values",
    keySize: 16,
    valueSize: 100,
    entries: 1_000_000,
  },
  rocksdb: {
    name: 'rocksdb',
    description: "RocksDB's: 20-byte keys, 400-byte values",
    keySize: 20,
    valueSize: 400,
    entries: 500_000,
  },
  ycsb: {
    name: 'ycsb',
    description: 'YCSB: 100k records of 1 KiB',
    keySize: 24,
    valueSize: 1024,
    entries: 100_000,
  },
};
