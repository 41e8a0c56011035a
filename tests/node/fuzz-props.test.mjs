// fuzz-props.test.mjs - property-based fuzzing (fast-check) of the two parsers that read what a user
// hands in: the network spec (web/lib/spec.js, then the core through buildNet and one traced step)
// and the MNIST loader (web/lib/data.js). Property: ANY input ends in a result or a typed error
// (CoreError; MnistDataError with one of ERROR_CODES), never another exception (TypeError,
// RangeError, ...). 1,000 cases each, from a fixed seed (FC_SEED=n to try others; a failure prints
// the seed and the shrunk counterexample to reproduce it).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import fc from 'fast-check';
import { loadCore, CoreError } from '../../web/lib/engine.js';
import { normalizeSpec, buildNet, traceSteps, traceValues } from '../../web/lib/spec.js';
import { decodeMnistRaw, decodeMnist, MnistDataError, ERROR_CODES } from '../../web/lib/data.js';
import { buildMnistFile } from '../../data/make-data.mjs';

const SEED = Number(process.env.FC_SEED || 16);
const RUNS = 1000;

// ---- specs: valid ones from the README and the panels, then mutated anywhere
const VALID = [
  { layers: [2, 2, 2], activations: ['sigmoid', 'sigmoid'], loss: 'half_sse', weights: [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]],
    biases: [[0.35, 0.35], [0.6, 0.6]], input: [0.05, 0.1], target: [0.01, 0.99], optimizer: { name: 'sgd', lr: 0.5 } },
  { layers: [3, 4, 2], activations: ['tanh', 'softmax'], loss: 'cross_entropy', input: [[1, 2, 3], [0, -1, 0.5]], target: [1, 0],
    optimizer: { name: 'adam', lr: 0.01, amsgrad: true }, init: 'he_normal', seed: 7 },
  { layers: [2, 3, 1], activations: ['leaky_relu', 'sigmoid'], alphas: [0.1, null], loss: 'bce', dropout: [0.5, 0], batchnorm: [true, false],
    gamma: [[1, 1, 1], null], input: [[0.1, 0.2], [0.3, 0.4]], target: [[1], [0]], bias: [true, false], optimizer: { name: 'sgd', momentum: 0.9, nesterov: true } },
];
const NASTY_KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'length', '0', 'layers', 'name', 'lr', 'nesterov'];
const leafValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(0, -1, 1, 2, 4096, 4097, 1e39, -1e39, 3.4e38, 1e-50, 0.5, 'false', 'true', '', null, true, false, [], {}, [[]], [null],
    'sigmoid', 'softmax', 'step', 'sgd', 'adam', 'cross_entropy'),
  fc.double(),                                    // NaN and infinities too (not JSON: the page's JS callers)
  fc.integer(),
);

/** A path into a value (list of keys/indices) and what to do there. */
const mutation = fc.record({
  path: fc.array(fc.oneof(fc.nat(6), fc.constantFrom(...NASTY_KEYS)), { minLength: 0, maxLength: 4 }),
  op: fc.constantFrom('set', 'delete', 'wrap', 'key'),
  value: leafValue,
  key: fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string({ maxLength: 6 })),
});

function mutate(spec, muts) {
  // through JSON text, as a file would come: "__proto__" becomes an own key, never the prototype
  const root = JSON.parse(JSON.stringify(spec));
  for (const m of muts) {
    let obj = root;
    const keys = m.path.length ? m.path : [Object.keys(root)[0]];
    for (let i = 0; i < keys.length - 1 && obj && typeof obj === 'object'; i++) {
      const k = Array.isArray(obj) ? Number(keys[i]) % Math.max(obj.length, 1) : Object.keys(obj)[Number(keys[i]) % Math.max(Object.keys(obj).length, 1)] ?? keys[i];
      obj = Object.hasOwn(obj, k) ? obj[k] : undefined;   // own keys only: "__proto__" must not lead to Object.prototype
    }
    if (!obj || typeof obj !== 'object') continue;
    const last = keys[keys.length - 1];
    const k = typeof last === 'number' ? (Array.isArray(obj) ? last : Object.keys(obj)[last % Math.max(Object.keys(obj).length, 1)] ?? last) : last;
    const own = (o, key, value) => {                 // an own property even for "__proto__"; JS refuses some ("length" of a list)
      try { Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true }); } catch { /* skipped */ }
    };
    if (m.op === 'set') own(obj, k, m.value);
    else if (m.op === 'delete') { try { delete obj[k]; } catch { /* skipped */ } }
    else if (m.op === 'wrap') own(obj, k, [obj[k]]);
    else own(obj, m.key, m.value);
  }
  return root;
}

test(`spec parser + core: ${RUNS} mutated specs each end in a network or a CoreError`, { timeout: 300000 }, async () => {
  const core = await loadCore({ flavor: 'simd' });
  let built = 0, refused = 0;
  const arb = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...VALID), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([s, m]) => mutate(s, m)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true, withTypedArray: true, withSparseArray: true }) },
  );
  fc.assert(fc.property(arb, spec => {
    try {
      const s = normalizeSpec(spec);
      // mutations can ask for big layers (4096 wide is allowed): stay inside a second per case
      if (s.sizes.reduce((t, n, i) => t + (i ? n * s.sizes[i - 1] : 0), 0) > 1e6 || traceValues(s) > 1e6) { refused++; return; }
      if (s.input && (s.target || s.labels)) traceSteps(core, spec, 1);
      else buildNet(core, spec).net.free();
      built++;
    } catch (e) {
      if (!(e instanceof CoreError)) throw e;          // a TypeError or RangeError here is the defect the issue reports
      assert.ok(typeof e.code === 'string' && e.message.length > 0 && e.message.length < 2000, `message of ${e.code}`);
      refused++;
    }
  }), { numRuns: RUNS, seed: SEED });
  // both outcomes happen, so the property is not vacuous
  assert.ok(built > 20 && refused > 200, `built ${built}, refused ${refused}`);
});

// ---- the MNIST loader: a small valid file in the shipped format, made by data/make-data.mjs's writer
// from the first images of data/mnist-subset.bin, then damaged
async function smallFile() {
  const raw = await decodeMnistRaw(fs.readFileSync(new URL('../../data/mnist-subset.bin', import.meta.url)));
  const part = (p, n) => ({ rows: 28, cols: 28, labels: p.labels.slice(0, n), pixels: Uint8Array.from(p.pixels.subarray(0, n * 784), v => v * 17) });
  return buildMnistFile({ full: true, mnist: { train: part(raw.train, 30), test: part(raw.test, 10) } }).bytes;
}

const damage = fc.oneof(
  fc.constant({ kind: 'none' }),
  fc.record({ kind: fc.constant('flip'), at: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('header'), field: fc.constantFrom(8, 10, 11, 12, 14, 16, 20, 24, 28, 32), value: fc.oneof(fc.nat(), fc.constantFrom(0, 1, 2, 0xffffffff, 0x7fffffff, 784)) }),
  fc.record({ kind: fc.constant('truncate'), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert'), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('random'), bytes: fc.uint8Array({ maxLength: 200 }) }),
);
const validation = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(0, 5, 0.25) }, { weight: 1, arbitrary: fc.integer({ min: -2, max: 40 }) }, { weight: 1, arbitrary: fc.double() }, { weight: 1, arbitrary: fc.constantFrom('5', null, 0.5, 1, Infinity) });

function apply(file, d) {
  if (d.kind === 'none') return file;
  if (d.kind === 'random') return d.bytes;
  const b = Uint8Array.from(file);
  if (d.kind === 'flip') { for (const [at, x] of d.at) b[at % b.length] ^= x; return b; }
  if (d.kind === 'header') { new DataView(b.buffer).setUint32(d.field, d.value >>> 0, true); return b; }
  if (d.kind === 'truncate') return b.subarray(0, d.at % (b.length + 1));
  const at = d.at % (b.length + 1);
  return Uint8Array.from([...b.subarray(0, at), ...d.bytes, ...b.subarray(at)]);
}

function typedDataError(e) {
  if (!(e instanceof MnistDataError) || !Object.hasOwn(ERROR_CODES, e.code)) throw e;
}

test(`data loader: ${RUNS} damaged files each end in data or a MnistDataError with a documented code`, { timeout: 300000 }, async () => {
  const file = await smallFile();
  let ok = 0, refused = 0;
  await fc.assert(fc.asyncProperty(damage, validation, fc.constantFrom('01', 'centered', 'bogus'), async (d, v, scale) => {
    const bytes = apply(file, d);
    try {
      const r = await (scale === '01' ? decodeMnistRaw(bytes, { validation: v }) : decodeMnist(bytes, { validation: v, scale }));
      // a file that loads holds what its header says: labels 0..9, one image per label
      for (const p of [r.train, r.val, r.test]) {
        assert.ok(p.labels.every(l => l >= 0 && l <= 9));
        assert.equal(p.pixels.length, p.labels.length * 784);
      }
      ok++;
    } catch (e) { typedDataError(e); refused++; }
  }), { numRuns: RUNS, seed: SEED });
  assert.ok(ok > 10 && refused > 300, `loaded ${ok}, refused ${refused}`);
});

test('data loader: 40 damaged copies of data/mnist-subset.bin itself end in data or a typed error', { timeout: 300000 }, async () => {
  const file = fs.readFileSync(new URL('../../data/mnist-subset.bin', import.meta.url));
  await fc.assert(fc.asyncProperty(damage, async d => {
    try { await decodeMnistRaw(apply(file, d)); } catch (e) { typedDataError(e); }
  }), { numRuns: 40, seed: SEED });
});
