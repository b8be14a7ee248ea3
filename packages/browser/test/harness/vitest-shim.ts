// Stands in for `vitest` inside the browser, so `fileSystemSuite` from @velocity/testkit runs unchanged
// in a worker: describe/it/afterEach collect the tests, `expect` is vitest's own (@vitest/expect on chai),
// and runRegistered() runs them in order and reports each one's outcome.
import { JestAsymmetricMatchers, JestChaiExpect, JestExtend, chai } from '@vitest/expect';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

/** vitest's `expect`, as the suites call it. */
export const expect = (value: unknown, message?: string) =>
  (chai.expect as (v: unknown, m?: string) => unknown)(value, message) as ReturnType<typeof chai.expect>;

type Fn = () => unknown;
const tests: { name: string; fn: Fn }[] = [];
const afterEachHooks: Fn[] = [];
const prefix: string[] = [];

/** Groups tests under a name. */
export function describe(name: string, body: () => void): void {
  prefix.push(name);
  try {
    body();
  } finally {
    prefix.pop();
  }
}

/** Registers a test. */
export function it(name: string, fn: Fn): void {
  tests.push({ name: [...prefix, name].join(' > '), fn });
}

/** Registers a hook run after every test. */
export function afterEach(fn: Fn): void {
  afterEachHooks.push(fn);
}

/** One test's outcome. */
export interface TestResult {
  name: string;
  error?: string;
}

/** Runs every registered test in order. */
export async function runRegistered(): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const test of tests) {
    let error: string | undefined;
    try {
      await test.fn();
    } catch (e) {
      error = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
    }
    for (const hook of afterEachHooks) await hook();
    results.push(error === undefined ? { name: test.name } : { name: test.name, error });
  }
  return results;
}
