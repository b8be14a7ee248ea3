// One vitest configuration for the whole monorepo. Tests import sibling packages by name; the aliases
// below point those names at each package's TypeScript source, so tests never need a build first.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const alias = [
  { find: /^@velocity\/core\/node$/, replacement: here('./packages/core/src/node/index.ts') },
  { find: /^@velocity\/([a-z-]+)$/, replacement: here('./packages/$1/src/index.ts') },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: [
            'packages/*/test/**/*.test.ts',
            'apps/*/test/**/*.test.ts',
            'docs/test/**/*.test.ts',
            'scripts/test/**/*.test.ts',
          ],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'stress',
          include: ['packages/*/test/**/*.stress.ts'],
          testTimeout: 3_600_000,
        },
      },
    ],
  },
});
