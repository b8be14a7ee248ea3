/** Sizes of a benchmark run. */
export interface Preset {
  name: string;
  description: string;
  keySize: number;
  valueSize: number;
  entries: number;
  /** Default time box of one read or mixed benchmark in milliseconds (fills write all their entries). */
  budgetMs: number;
}

/** The presets: LevelDB's db_bench defaults, RocksDB's, YCSB's, and a small one. */
export const PRESETS: Record<string, Preset> = {
  small: {
    name: 'small',
    description: '10k entries, 16-byte keys, 100-byte values',
    keySize: 16,
    valueSize: 100,
    entries: 10_000,
    budgetMs: 3000,
  },
  leveldb: {
    name: 'leveldb',
    description: "LevelDB's db_bench: 1M entries, 16-byte keys, 100-byte values",
    keySize: 16,
    valueSize: 100,
    entries: 1_000_000,
    budgetMs: 1000,
  },
  rocksdb: {
    name: 'rocksdb',
    description: "RocksDB's benchmark sizes: 500k entries, 20-byte keys, 400-byte values",
    keySize: 20,
    valueSize: 400,
    entries: 500_000,
    budgetMs: 1000,
  },
  ycsb: {
    name: 'ycsb',
    description: 'YCSB: 100k records, 24-byte keys, 1 KiB values',
    keySize: 24,
    valueSize: 1024,
    entries: 100_000,
    budgetMs: 1000,
  },
};
