// The test page: puts what the browser tests drive on `globalThis`, then sets `ready`.
import * as scenarios from './db-page.js';
import { modelRun } from './model-page.js';
import { runWorker } from './run-worker.js';

Object.assign(globalThis, { runWorker, scenarios, modelRun, ready: true });
