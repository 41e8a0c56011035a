// grid-jobs.mjs - `make bench-grid`: the practical work's default grid (36 runs, 3 epochs) with
// `backprop-lab grid --jobs 1` and then `--jobs 2` (web/lib/worker-pool.js: one worker thread per run
// in flight), in one run of this script; prints both times, the ratio and the machine's load average
// beside each (the load slows a grid down; other work on the machine makes the ratio smaller), then the
// memory one worker holds (its WebAssembly memory, and what a second worker adds to the process).
// Usage: node bench/grid-jobs.mjs [--data data/mnist-full.bin] [--jobs 1,2] [--epochs 3] [--repeat 1]
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GridPool } from '../web/lib/worker-pool.js';
import { WorkerClient } from '../web/lib/worker-client.js';
import { nodeWorker } from '../bin/node-worker.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (k, def) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? process.argv[i + 1] : def; };
const data = path.resolve(arg('data', path.join(ROOT, 'data', 'mnist-subset.bin')));
const jobsList = arg('jobs', '1,2').split(',').map(Number);
const epochs = arg('epochs', '3');
const load = () => os.loadavg()[0].toFixed(2);

// how many cores two busy threads get now (2.0 on an idle 2-core machine): the most 2 workers can gain
function coresForTwo(ms = 2000) {
  const code = `const t = Date.now(); let x = 0; while (Date.now() - t < ${ms}) x += Math.sqrt(x + 1); require('node:worker_threads').parentPort.postMessage(x);`;
  const c0 = process.cpuUsage(), t0 = Date.now();
  return Promise.all([0, 1].map(() => new Promise(resolve => { const w = new Worker(code, { eval: true }); w.on('message', () => { w.terminate(); resolve(); }); })))
    .then(() => { const c = process.cpuUsage(c0); return (c.user + c.system) / 1000 / (Date.now() - t0); });
}
console.log(`cores two busy threads get now: ${(await coresForTwo()).toFixed(2)} (load average ${load()})`);

const repeat = Number(arg('repeat', '1'));    // alternate the sizes this many times; the best time of each counts
const times = {};
for (const jobs of Array.from({ length: repeat }, () => jobsList).flat()) {
  const before = load();
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'backprop-lab'), 'grid', '--jobs', String(jobs), '--data', data, '--epochs', epochs],
    { encoding: 'utf8', cwd: ROOT, maxBuffer: 1 << 26 });
  const m = /finished in ([\d.]+) s/.exec(r.stderr || '');
  if (r.status !== 0 || !m) { process.stderr.write(r.stderr); throw new Error(`grid --jobs ${jobs} failed`); }
  times[jobs] = Math.min(times[jobs] ?? Infinity, Number(m[1]));
  console.log(`grid --jobs ${jobs}: ${Number(m[1]).toFixed(1)} s  (load average ${before} before, ${load()} after; ${path.basename(data)})`);
}
console.log(`cores two busy threads get now: ${(await coresForTwo()).toFixed(2)} (load average ${load()})`);
if (times[1] && times[2]) console.log(`2 workers vs 1: ${times[1].toFixed(1)} s / ${times[2].toFixed(1)} s = ${(times[1] / times[2]).toFixed(2)}x faster${repeat > 1 ? ` (best of ${repeat} each)` : ''}`);

// memory: one worker's WebAssembly memory (the data and the networks, after one run), and the
// process's resident memory with one and with two workers holding the data
const rss = () => process.memoryUsage().rss / 2 ** 20;
const pool = new GridPool(() => new WorkerClient(nodeWorker(new URL('../web/experiments/worker.js', import.meta.url))));
try {
  const base = rss();
  const info = await pool.request('init', { file: pathToFileURL(data).href, validation: 0 });
  const one = rss();
  await pool.request('resize', { jobs: 2 });
  const two = rss();
  console.log(`memory per worker: ${(info.memoryBytes / 2 ** 20).toFixed(1)} MB of WebAssembly memory after loading; ` +
    `the process ${base.toFixed(0)} MB -> ${one.toFixed(0)} MB with one worker -> ${two.toFixed(0)} MB with two (+${(two - one).toFixed(0)} MB a worker)`);
} finally { pool.terminate(); }
