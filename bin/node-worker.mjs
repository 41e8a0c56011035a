// node-worker.mjs - a worker_threads Worker with a Web Worker's interface (postMessage, onmessage,
// onerror, terminate), so that web/lib/worker-client.js drives the real page workers in Node: the
// command line's pool (`backprop-lab grid --jobs N`) and the Node tests (tests/node/node-worker.mjs).
// params: the worker's start-up query (as worker.js?data=subset in a browser), given to the worker as
// workerData.params (web/lib/worker-runtime.js reads it). A worker that exits on its own is reported
// as an error, as a browser reports a worker that died.
import { Worker } from 'node:worker_threads';

export function nodeWorker(url, { params = '' } = {}) {
  const w = new Worker(url, { workerData: { params } });
  const shim = {
    onmessage: null, onerror: null, stopped: false,
    postMessage: (msg, transfer) => w.postMessage(msg, transfer),
    terminate: () => { shim.stopped = true; return w.terminate(); },
  };
  w.on('message', data => shim.onmessage && shim.onmessage({ data }));
  w.on('error', e => shim.onerror && shim.onerror({ message: e.message, error: e, preventDefault() {} }));
  w.on('exit', code => { if (!shim.stopped && shim.onerror) shim.onerror({ message: `the worker exited (code ${code})`, preventDefault() {} }); });
  return shim;
}
