// node-worker.mjs - the page workers under worker_threads for the Node tests: bin/node-worker.mjs's
// adapter (a worker_threads Worker with a Web Worker's interface), and clientOf(path), a
// web/lib/worker-client.js WorkerClient over the page worker at web/PATH.
import { WorkerClient } from '../../web/lib/worker-client.js';
import { nodeWorker } from '../../bin/node-worker.mjs';

export { nodeWorker };

/** A WorkerClient over the page worker at `path` (relative to web/). */
export function clientOf(path, opts) {
  return new WorkerClient(nodeWorker(new URL(`../../web/${path}`, import.meta.url), opts));
}
