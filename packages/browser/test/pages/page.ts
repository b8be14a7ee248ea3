// The test page: puts what the browser tests drive on `globalThis`, then sets `ready`.
import { runWorker } from './run-worker.js';

Object.assign(globalThis, { runWorker, ready: true });
