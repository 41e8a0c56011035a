// bench.mjs - `make bench`: training throughput of 784-128-64-10 (ReLU, softmax + cross-entropy,
// Adam lr 0.001) over whole epochs, for our SIMD and scalar WebAssembly builds and, measured in the
// same run on the same machine, TensorFlow.js-WASM (model.fit and a custom loop) and PyTorch
// (one thread) when /usr/bin/python3 has torch. Prints a table of samples/s and ratios; the measured
// WASM SIMD peak (bench/peak.c) and our share of it. Median of --reps epochs per entry.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../web/lib/engine.js';
import { loadMnist } from '../web/lib/data.js';
import { createDatasets } from '../web/lib/trainer.js';
import { timeEpoch, BENCH_RUN } from '../web/lib/grid-runner.js';

const arg = (k, d) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? process.argv[i + 1] : d; };
const BATCHES = arg('batches', '16,32,64').split(',').map(Number);
const REPS = Number(arg('reps', 5));
const FLOP_PER_SAMPLE = 6 * (784 * 128 + 128 * 64 + 64 * 10) - 2 * 784 * 128;   // no input gradient for layer 1
const here = p => fileURLToPath(new URL(p, import.meta.url));

const dataFile = fs.existsSync(here('../data/mnist-full.bin')) ? here('../data/mnist-full.bin') : here('../data/mnist-subset.bin');
const data = await loadMnist(dataFile, { scale: '01' });
const N = Number(arg('n', data.train.n));
const train = { x: data.train.x.subarray(0, N * 784), y: data.train.y.subarray(0, N), n: N };
console.error(`bench: ${N} training images from ${dataFile.split('/').pop()}, batches ${BATCHES.join(', ')}, best of ${REPS} epochs (a busy machine only slows an epoch down)`);

// One epoch timed as the page's bench times it (web/lib/grid-runner.js's timeEpoch, a TrainingRun
// after a warm-up), the best of REPS epochs per batch size.
async function ours(flavor) {
  const core = await loadCore({ flavor });
  const sets = createDatasets(core, { train });
  const out = [];
  for (const batch of BATCHES) {
    const rates = [];
    for (let r = 0; r < REPS; r++) rates.push(timeEpoch(core, sets, { ...BENCH_RUN, batch }, { warm: r === 0 ? 20 : 0 }).rate);
    out.push({ batch, samples_per_s: Math.max(...rates) });
  }
  sets.train.free();
  return { peer: `ours-${flavor}`, results: out, notes: core.kernels };
}

function peer(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60 * 1000, env: { ...process.env, ...env } });
  const line = (r.stdout || '').trim().split('\n').filter(l => l.startsWith('{')).pop();
  try { return JSON.parse(line); } catch { return { peer: `${cmd} ${args[0]}`, error: `no result (exit ${r.status})` }; }
}

async function simdPeak() {
  const wasm = here('../build/bench/peak.wasm');
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasm), { env: { emscripten_notify_memory_growth() {} } });
  const out = {};
  for (const name of ['peak16', 'peak12']) {
    const p = instance.exports[name];
    p(1e6, 0.999999, 1e-7);                       // acc -> b / (1 - a) = 0.1: no overflow, no subnormals
    const rates = [];
    for (let i = 0; i < 5; i++) { const t = performance.now(); const f = p(1e7, 0.999999, 1e-7); rates.push(f / ((performance.now() - t) / 1e3)); }
    out[name] = Math.max(...rates);
  }
  return out;
}

const rows = [];
rows.push(await ours('simd'));
rows.push(await ours('scalar'));
const tfjs = peer('node', [here('peer-tfjs.mjs'), '--batches', BATCHES.join(','), '--n', String(N), '--reps', String(Math.min(REPS, 2))]);
// PyTorch once per BLAS that Debian can put under libblas.so.3: the reference BLAS (python3-torch's
// default) and OpenBLAS (libopenblas0-pthread, one thread), chosen by LD_LIBRARY_PATH, not by the
// system's alternatives link, so the table says which is which
const BLAS = [['reference BLAS', '/usr/lib/x86_64-linux-gnu/blas:/usr/lib/x86_64-linux-gnu/lapack'], ['OpenBLAS', '/usr/lib/x86_64-linux-gnu/openblas-pthread']];
const torches = [];
if (!fs.existsSync('/usr/bin/python3')) torches.push({ peer: 'pytorch', error: 'no /usr/bin/python3' });
else for (const [blas, dir] of BLAS) {
  if (!fs.existsSync(`${dir.split(":")[0]}/libblas.so.3`)) { torches.push({ peer: `pytorch (${blas})`, error: `${dir.split(":")[0]}/libblas.so.3 is not installed` }); continue; }
  const t = peer('/usr/bin/python3', [here('peer-torch.py'), '--batches', BATCHES.join(','), '--n', String(N), '--reps', String(Math.min(REPS, 3))],
    { LD_LIBRARY_PATH: dir, OPENBLAS_NUM_THREADS: '1' });
  torches.push({ ...t, peer: `pytorch (${blas})`, blas });
}
const peak = await simdPeak();

// flatten peers: tfjs reports modes fit/custom as separate entries
const table = {};
const add = (name, res) => { for (const r of res) { table[name] ||= {}; table[name][r.batch] = r.samples_per_s; } };
add('ours (WASM SIMD)', rows[0].results);
add('ours (WASM scalar)', rows[1].results);
if (tfjs.results) for (const mode of ['fit', 'custom']) add(`TF.js WASM ${mode}`, tfjs.results.filter(r => (r.mode || 'fit') === mode));
for (const t of torches) if (t.results) add(`PyTorch 1 thread, ${t.blas}`, t.results);

const fmt = v => (v == null ? '-' : Math.round(v).toLocaleString('en-US'));
console.log(`\n### Training throughput, samples/s (784-128-64-10, Adam, ${N} images, best of ${REPS} epochs per entry)\n`);
console.log(`| peer | ${BATCHES.map(b => `batch ${b}`).join(' | ')} |`);
console.log(`|---|${BATCHES.map(() => '---').join('|')}|`);
for (const [name, v] of Object.entries(table)) console.log(`| ${name} | ${BATCHES.map(b => fmt(v[b])).join(' | ')} |`);
const ourRow = table['ours (WASM SIMD)'];
console.log(`\n### Ratios (ours SIMD / peer)\n`);
console.log(`| peer | ${BATCHES.map(b => `batch ${b}`).join(' | ')} |`);
console.log(`|---|${BATCHES.map(() => '---').join('|')}|`);
for (const [name, v] of Object.entries(table)) if (name !== 'ours (WASM SIMD)')
  console.log(`| ${name} | ${BATCHES.map(b => (v[b] ? (ourRow[b] / v[b]).toFixed(2) + 'x' : '-')).join(' | ')} |`);
console.log(`\nGFLOP/s of ours (SIMD), at ${FLOP_PER_SAMPLE} FLOP per sample: ${BATCHES.map(b => `batch ${b}: ${(ourRow[b] * FLOP_PER_SAMPLE / 1e9).toFixed(2)}`).join(', ')}`);
const best = Math.max(peak.peak16, peak.peak12);
console.log(`Measured WASM SIMD peak (f32x4 mul+add): ${(peak.peak16 / 1e9).toFixed(2)} GFLOP/s with 16 accumulators, ${(peak.peak12 / 1e9).toFixed(2)} with 12; the higher, ${(best / 1e9).toFixed(2)}, is the peak`);
console.log(`Our share of the peak: ${BATCHES.map(b => `batch ${b}: ${(100 * ourRow[b] * FLOP_PER_SAMPLE / best).toFixed(0)}%`).join(', ')}`);
console.log(`Ours SIMD / ours scalar: ${BATCHES.map(b => `batch ${b}: ${(ourRow[b] / table['ours (WASM scalar)'][b]).toFixed(1)}x`).join(', ')}`);
const chromium = spawnSync('node', [here('browser-epoch.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 10 * 60 * 1000 });
console.log('\n' + ((chromium.stdout || '').trim() || `Chromium epoch: no result (exit ${chromium.status})`));
for (const p of [tfjs, ...torches]) if (p.error) console.log(`note: ${p.peer}: ${p.error}`); else if (p.notes) console.log(`note: ${p.peer}: ${p.notes}`);
