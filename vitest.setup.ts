// Runs before every test file of the unit project. The project shares one worker process between its
// test files (`isolate: false`, see vitest.config.ts), so this does what vitest's isolation does
// between two files of one worker: it drops the mocks that the previous file registered (vi.mock) and
// every module it evaluated, so that each file imports the sources, the test helpers and its mocks
// afresh. What stays shared is only what Node itself loaded: vitest, dependencies under node_modules
// and Node's built-in modules.
import { vi } from 'vitest';

const mocker = (globalThis as { __vitest_mocker__?: { reset(): void } }).__vitest_mocker__;
if (mocker === undefined) throw new Error('vitest.setup.ts: no module mocker to reset (vitest changed?)');
mocker.reset();
vi.resetModules();
