/** A fenced block of a README that its test runs. */
export interface RunnableBlock {
  /** The code. */
  code: string;
  /** The 1-based line of its first code line. */
  line: number;
  /** A ```js block (run as JavaScript), not ```ts. */
  js: boolean;
  /** A ```ts suite block: it defines test suites and is imported while tests are collected. */
  suite: boolean;
}

/** The ```ts and ```js blocks of a README. */
export function runnableBlocks(markdown: string): RunnableBlock[];

/** Registers a test per runnable block of the README at `readmeUrl` (and imports its `suite` blocks). */
export function readmeTests(readmeUrl: URL): Promise<void>;
