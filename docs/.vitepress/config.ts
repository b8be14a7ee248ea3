import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitepress';

const apiSidebarFile = fileURLToPath(new URL('../api/typedoc-sidebar.json', import.meta.url));
const apiSidebar = existsSync(apiSidebarFile) ? JSON.parse(readFileSync(apiSidebarFile, 'utf8')) : [];

const guide = [
  {
    text: 'Start here',
    items: [
      { text: 'What Velocity is', link: '/guide/' },
      { text: 'Getting started', link: '/guide/getting-started' },
      { text: 'Errors and their codes', link: '/guide/errors' },
      { text: 'Velocity in a web app', link: '/guide/web-apps' },
    ],
  },
  {
    text: 'The engine, part by part',
    items: [
      { text: '1. Keys and ordering', link: '/guide/keys-and-ordering' },
      { text: '2. The write-ahead log', link: '/guide/write-ahead-log' },
      { text: '3. The memtable', link: '/guide/memtable' },
      { text: '4. SSTables and blocks', link: '/guide/sstables' },
      { text: '5. Bloom filters', link: '/guide/bloom-filters' },
      { text: '6. The block cache', link: '/guide/block-cache' },
      { text: '7. Reads and the merging iterator', link: '/guide/reads-and-iterators' },
      { text: '8. Flush', link: '/guide/flush' },
      { text: '9. Compaction strategies', link: '/guide/compaction' },
      { text: '10. Manifest and recovery', link: '/guide/manifest-and-recovery' },
      { text: '11. Snapshots', link: '/guide/snapshots' },
      { text: '12. Durability and crash safety', link: '/guide/durability' },
      { text: '13. Readers, checkpoints and backups', link: '/guide/backups-and-readers' },
    ],
  },
];

const formats = [
  {
    text: 'File formats',
    items: [
      { text: 'Database directory', link: '/formats/directory' },
      { text: 'Write-ahead log', link: '/formats/wal' },
      { text: 'SSTable', link: '/formats/sstable' },
      { text: 'MANIFEST', link: '/formats/manifest' },
    ],
  },
];

/** The Velocity docs site: guides, file formats, API reference, playground and benchmark charts. */
export default defineConfig({
  title: 'Velocity',
  description: 'An embedded LSM-tree key-value database in pure TypeScript, and a guide to how it works.',
  cleanUrls: true,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  lastUpdated: false,
  ignoreDeadLinks: false,
  srcExclude: ['test/**', 'README.md'],
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/' },
      { text: 'File formats', link: '/formats/directory' },
      { text: 'API', link: '/api/' },
      { text: 'Playground', link: '/playground' },
      { text: 'Benchmarks', link: '/benchmarks' },
    ],
    sidebar: {
      '/guide/': guide,
      '/formats/': formats,
      '/api/': [{ text: 'API reference', link: '/api/', items: apiSidebar }],
    },
    search: { provider: 'local' },
    outline: [2, 3],
  },
  vite: {
    // The playground's database runs in @velocity/browser's module worker; keep that package out of
    // dependency pre-bundling so its worker file stays beside it in development.
    optimizeDeps: { exclude: ['@velocity/browser'] },
    worker: { format: 'es' },
    resolve: {
      // The browser build has no Node file system; the engine runs on MemoryFileSystem in the page.
      conditions: ['browser', 'import', 'module', 'default'],
    },
  },
});
