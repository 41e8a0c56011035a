// pytorch-script.test.mjs - "Open in PyTorch": the generated scripts run under Debian's PyTorch
// (/usr/bin/python3 with python3-torch, which scripts/setup.sh installs) and print the lab's numbers:
// every value of each panel's default example, and the loss of 20 steps of a 784-128-64-10 run
// continued from a saved model with SGD, Momentum, RMSprop and Adam. The expected values are the
// lab's own (its trace, its training losses); PyTorch computes them independently.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { core } from './helpers.mjs';
import { OPTIMIZER_DEFAULTS } from '../../web/lib/engine.js';
import { traceSteps } from '../../web/lib/spec.js';
import { toyScript, toyValues, ExportError } from '../../web/lib/pytorch-script.js';
import { npyBytes } from '../../web/lib/pytorch-mnist.js';
import { SCRIPT_STRINGS } from '../../web/lib/pytorch-strings.js';
import { surfaceScript, lossesScript, perceptronScript } from '../../web/lib/pytorch-panels.js';

const PY = '/usr/bin/python3';
const BIN = fileURLToPath(new URL('../../bin/backprop-lab', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bpl-torch-'));
const c = await core('f64');   // the panels' core: double precision (bp-f64.wasm)
const torchHere = spawnSync(PY, ['-c', 'import torch, numpy'], { encoding: 'utf8' });

function requireTorch() {
  assert.equal(torchHere.status, 0, `${PY} cannot import torch and numpy: install python3-torch (make setup / scripts/setup.sh does). ${torchHere.stderr || torchHere.error || ''}`);
}
/** Runs a script, returns its "key json" lines as [key, value]. */
function runPy(file) {
  const r = spawnSync(PY, [file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${file} failed:\n${r.stderr}`);
  return r.stdout.trim().split('\n').map(l => { const i = l.indexOf(' '); return [l.slice(0, i), JSON.parse(l.slice(i + 1))]; });
}
const flat = v => (Array.isArray(v) ? v.flat(Infinity) : [v]);

// Toy values: the panels compute with the core's double-precision build (bp-f64.wasm), PyTorch in
// float64 from the same inputs, each value a few roundings deep, so every number must agree to 1e-12
// of the largest magnitude of its quantity (issue #12; with the float32 core this was 1e-6).
const TOY_TOL = 1e-12;
function compareToy(name, spec, got) {
  const want = toyValues(traceSteps(c, spec, 1)[0]);
  assert.deepEqual(got.map(g => g[0]), want.map(w => w[0]), `${name}: the script prints other values or another order`);
  want.forEach(([key, v], i) => {
    const a = flat(got[i][1]), b = flat(v), scale = Math.max(...b.map(Math.abs));
    assert.equal(a.length, b.length, `${name} ${key}: ${a.length} numbers, the lab has ${b.length}`);
    b.forEach((x, j) => assert.ok(Math.abs(a[j] - x) <= TOY_TOL * scale + 1e-30,
      `${name} ${key}[${j}]: PyTorch ${a[j]}, the lab ${x} (difference ${Math.abs(a[j] - x).toExponential(2)})`));
  });
}

/** Each panel's default spec, as the panel builds it (its defaults() or constructor, then spec()). */
async function panelSpec(name) {
  const P = (await import(`../../web/panels/p-${name}.js`)).default;
  if (!P.prototype.defaults) return new P({ t: () => '', core: c }).spec();   // gradcheck sets its example in the constructor
  const p = Object.create(P.prototype);
  p.p = p.defaults();
  return p.spec();
}

test('PyTorch is there: /usr/bin/python3 imports torch and numpy (scripts/setup.sh installs python3-torch)', () => requireTorch());

for (const name of ['one-weight', 'chain', 'graph', 'mlp', 'softmax']) {
  test(`panel ${name}: the script prints every value the panel shows, in its order, equal to the lab's`, async () => {
    requireTorch();
    const spec = await panelSpec(name);
    const file = path.join(tmp, `${name}.py`);
    fs.writeFileSync(file, toyScript(spec, { lang: 'en', defaults: OPTIMIZER_DEFAULTS }));
    compareToy(name, spec, runPy(file));
  });
}

// The gradient-check panel's table: w, L(w + d), L(w - d), the numerical and the backprop gradient of
// every parameter. The lab's L(w +- d) are float64 like PyTorch's, so they must agree to 4 ulps, and
// the difference quotient to twice that over 2d; w and the backprop gradient to 1e-12 of their largest
// magnitude, as above.
test('panel gradcheck: the script prints the panel\'s table, every parameter, equal to the lab\'s', async () => {
  requireTorch();
  const { buildNet, targetsOf } = await import('../../web/lib/spec.js');
  const P = (await import('../../web/panels/p-gradcheck.js')).default;
  const panel = new P({ t: () => '', core: c }), spec = panel.spec(), d = panel.p.d;
  const file = path.join(tmp, 'gradcheck.py');
  fs.writeFileSync(file, toyScript(spec, { lang: 'en', defaults: OPTIMIZER_DEFAULTS, gradcheck: d }));
  const lines = runPy(file), gc = lines.filter(([k]) => k.startsWith('gc.'));
  compareToy('gradcheck', spec, lines.filter(([k]) => !k.startsWith('gc.')));
  const { net, spec: s } = buildNet(c, spec);
  const want = [];
  for (let l = 0; l < net.layers; l++) for (const which of ['W', 'b']) {
    const off = net.paramOffset(l, which), n = which === 'W' ? net.sizes[l] * net.sizes[l + 1] : net.sizes[l + 1];
    for (let k = 0; k < n; k++) {
      const r = net.gradcheck(s.input, targetsOf(s), off + k, d);
      want.push([`gc.${which}${l + 1}.${k}`, [net.params()[off + k], r.lossPlus, r.lossMinus, r.numeric, r.analytic]]);
    }
  }
  net.free();
  assert.deepEqual(gc.map(g => g[0]), want.map(w => w[0]), 'one row per parameter, W1, b1, W2, b2');
  const big = j => Math.max(...want.map(w => Math.abs(w[1][j])));
  const lossTol = 4 * 2 ** (Math.floor(Math.log2(big(1))) - 52);    // 4 float64 ulps of the loss
  const tol = [1e-12 * big(0), lossTol, lossTol, 2 * lossTol / (2 * d), 1e-12 * big(4)];
  want.forEach(([key, v], i) => v.forEach((x, j) => assert.ok(Math.abs(gc[i][1][j] - x) <= tol[j],
    `${key} ${['w', 'L(w+d)', 'L(w-d)', 'numeric', 'backprop'][j]}: PyTorch ${gc[i][1][j]}, the lab ${x}`)));
});

// The optimizers panel: float64 paths in the lab (the panels' core) and in PyTorch, 60 steps of six
// optimizers on the default (quadratic) surface. Each column (f, df/dx, df/dy, x, y) must agree to 1e-12
// of its largest magnitude along the path (with the float32 core this was 1e-5).
test('panel optimizers: torch.optim on the same surface, start and hyperparameters walks the panel\'s paths', async () => {
  requireTorch();
  const P = (await import('../../web/panels/p-optimizers.js')).default;
  const panel = new P({ t: () => '', core: c });
  const race = { surface: panel.surface, start: panel.p.start, n: panel.p.n, optimizers: panel.p.o };
  assert.equal(race.surface, 'quadratic');
  const file = path.join(tmp, 'optimizers.py');
  fs.writeFileSync(file, surfaceScript(race, { lang: 'ru', defaults: OPTIMIZER_DEFAULTS }));
  const got = new Map(runPy(file));
  for (const [o, hyper] of Object.entries(race.optimizers)) {
    const vo = c.createVectorOptimizer(2), rows = [];
    vo.set({ name: o, ...hyper });
    vo.params().set(race.start);
    for (let t = 1; t <= race.n; t++) {            // the panel's compute(): the core's f and gradient, then its update
      const th = Array.from(vo.params()), s = c.surface(race.surface, th[0], th[1]);
      vo.grads().set([s.gx, s.gy]);
      vo.step();
      rows.push([s.f, s.gx, s.gy, ...vo.params()]);
    }
    vo.free();
    const scale = [0, 1, 2, 3, 4].map(j => Math.max(...rows.map(r => Math.abs(r[j]))));
    rows.forEach((want, i) => {
      const g = got.get(`${o}.${i + 1}`);
      assert.ok(g, `${o}: PyTorch stopped before step ${i + 1}`);
      want.forEach((w, j) => assert.ok(Math.abs(g[j] - w) <= 1e-12 * scale[j],
        `${o} step ${i + 1} ${['f', 'df/dx', 'df/dy', 'x', 'y'][j]}: PyTorch ${g[j]}, the lab ${w}`));
    });
  }
});

test('panel losses: PyTorch scores the slides\' two models as the panel does (every row and mean)', async () => {
  requireTorch();
  const P = (await import('../../web/panels/p-losses.js')).default;
  const panel = new P({ t: () => '', core: c });
  const file = path.join(tmp, 'losses.py');
  fs.writeFileSync(file, lossesScript(panel.p, { lang: 'ru' }));
  const got = new Map(runPy(file));
  const T = panel.targets();
  panel.p.models.forEach((Y, i) => {
    const m = `m${i + 1}`;
    const wrong = Y.filter((row, r) => row.indexOf(Math.max(...row)) !== panel.p.truth[r]).length;
    assert.equal(got.get(`${m}.cls`), wrong / Y.length, `${m} classification error`);
    for (const [key, loss] of [['se', 'half_sse'], ['sse', 'sse'], ['mse', 'mse'], ['ce', 'cross_entropy']]) {
      const want = c.lossValues(loss, Y, T);    // the core's values the panel shows
      [...want.rows, want.mean].forEach((w, j) => {
        const g = j < want.rows.length ? got.get(`${m}.${key}.rows`)[j] : got.get(`${m}.${key}.mean`);
        assert.ok(Math.abs(g - w) <= 1e-12 * Math.abs(w), `${m} ${key} ${j < want.rows.length ? `row ${j + 1}` : 'mean'}: PyTorch ${g}, the lab ${w}`);
      });
    }
  });
});

// The perceptron panel: the gates' z to 1e-12 and y exactly; XOR learned by 300 steps of Adam from the
// core's initial weights, float64 in the lab (the panels' core) and in PyTorch: each iteration's loss to
// 1e-9 relative (300 steps of Adam amplify the last digits; with the float32 core this was 5e-5).
test('panel perceptron: the gates, XOR from two layers and XOR learned print the panel\'s values', async () => {
  requireTorch();
  const P = (await import('../../web/panels/p-perceptron.js')).default;
  const panel = new P({ t: () => '', core: c }), p = panel.p, q = p.learn;
  const X4 = [[0, 0], [1, 0], [0, 1], [1, 1]];
  const learner = c.createNet({ sizes: [2, 2, 1], activations: [q.act, 'sigmoid'], loss: q.loss });   // as the panel's newLearner()
  learner.init('xavier_normal', q.seed);
  learner.setOptimizer({ name: q.opt, lr: q.lr });
  const init = [0, 1].map(l => {
    const W = learner.view('W', l);
    return { W: Array.from({ length: W.rows }, (_, r) => Array.from(W.data.subarray(r * W.cols, (r + 1) * W.cols))), b: Array.from(learner.view('b', l).data) };
  });
  const file = path.join(tmp, 'perceptron.py');
  fs.writeFileSync(file, perceptronScript(p, init, { lang: 'ru', defaults: OPTIMIZER_DEFAULTS }));
  const got = new Map(runPy(file));
  for (const g of ['and', 'nand', 'or', 'one']) {
    const net = panel.stepNet(p[g]);          // the panel's own one-neuron step network
    net.setTrace(true);
    net.forward(X4);
    const z = Array.from(net.view('z', 0).data), y = Array.from(net.view('a', 0).data);
    net.free();
    z.forEach((v, i) => assert.ok(Math.abs(got.get(`${g}.z`)[i] - v) <= 1e-12, `${g} z row ${i + 1}: PyTorch ${got.get(`${g}.z`)[i]}, the lab ${v}`));
    assert.deepEqual(got.get(`${g}.y`), y, `${g}: y`);
  }
  assert.deepEqual(got.get('xor2.y'), [0, 1, 1, 0], 'XOR from NAND, OR and AND');
  const losses = Array.from({ length: q.n }, () => learner.step(X4, [[0], [1], [1], [0]]));
  const y = Array.from(learner.predict(X4));
  learner.free();
  losses.forEach((l, i) => assert.ok(Math.abs(got.get('learn.loss')[i] - l) <= 1e-9 * l, `iteration ${i + 1}: PyTorch ${got.get('learn.loss')[i]}, the lab ${l}`));
  y.forEach((v, i) => assert.ok(Math.abs(got.get('learn.y')[i] - v) <= 1e-9 * v, `learned y row ${i + 1}`));
});

// Other activations, losses and optimizers than the panels' defaults; weights drawn by the core (init, seed)
const MORE = {
  'tanh-softmax-labels-adam': { layers: [3, 4, 3], activations: ['tanh', 'softmax'], loss: 'cross_entropy', init: 'xavier_uniform', seed: 3,
    input: [[0.2, -0.4, 0.9], [1, 0.5, -0.3]], target: [2, 0], optimizer: { name: 'adam', lr: 0.01 } },
  'leaky-elu-mse-momentum': { layers: [2, 3, 2], activations: ['leaky_relu', 'elu'], alphas: [0.1, 0.7], loss: 'mse', init: 'he_normal', seed: 5,
    input: [[0.5, -1], [-0.3, 0.8]], target: [[0.1, -0.2], [0.3, 0.4]], optimizer: { name: 'momentum', lr: 0.1, momentum: 0.9, weight_decay: 0.01 } },
  'relu-sigmoid-bce-rmsprop': { layers: [2, 3, 2], activations: ['relu', 'sigmoid'], loss: 'bce', init: 'pytorch', seed: 9,
    input: [[0.5, 1], [1.5, -0.5], [0.2, 0.3]], target: [[1, 0], [0, 1], [1, 1]], optimizer: { name: 'rmsprop', lr: 0.01, momentum: 0.5 } },
  'identity-sse-nobias-adagrad': { layers: [2, 2], activations: ['identity'], loss: 'sse', weights: [[[0.5, -0.25], [1, 2]]], biases: [null],
    input: [[1, 2]], target: [[0, 1]], optimizer: { name: 'adagrad', lr: 0.1 } },
  'sigmoid-softmax-halfsse-amsgrad': { layers: [2, 2, 3], activations: ['sigmoid', 'softmax'], loss: 'half_sse', init: 'xavier_normal', seed: 11,
    input: [[0.3, 0.7]], target: [[0, 0, 1]], optimizer: { name: 'amsgrad', lr: 0.05 } },
};

test('other activations, losses and optimizers (weights from the core\'s init) through the command line, in Russian', () => {
  requireTorch();
  for (const [name, spec] of Object.entries(MORE)) {
    const specFile = path.join(tmp, `${name}.json`), file = path.join(tmp, `${name}.py`);
    fs.writeFileSync(specFile, JSON.stringify(spec));
    execFileSync(BIN, ['export-pytorch', specFile, '--lang', 'ru', '--out', file]);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /# ---- Прямой проход/, 'Russian comments');
    assert.match(text, /z1 = a0 @ W1\.T.*# z1 = W1 a0/, 'the course formula beside the line');
    compareToy(name, spec, runPy(file));
  }
});

test('a step activation or dropout cannot be exported: a typed error, not a broken script', () => {
  const spec = { layers: [2, 1], activations: ['step'], loss: 'mse', weights: [[[1, 1]]], input: [[1, 0]], target: [[1]] };
  assert.throws(() => toyScript(spec), e => e instanceof ExportError && e.code === 'UNSUPPORTED' && /has no gradient/.test(e.message));
  assert.throws(() => toyScript({ ...MORE['leaky-elu-mse-momentum'], dropout: [0.5, 0] }, { params: [] }), e => e.code === 'UNSUPPORTED');
  const r = spawnSync(BIN, ['export-pytorch', path.join(tmp, 'none.json')], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot read .*no such file/);
});

test('the comment dictionaries have the same keys and placeholders in English and Russian', () => {
  const ph = s => (s.match(/\{\w+\}/g) || []).sort().join();
  assert.deepEqual(Object.keys(SCRIPT_STRINGS.ru), Object.keys(SCRIPT_STRINGS.en));
  for (const k of Object.keys(SCRIPT_STRINGS.en)) assert.equal(ph(SCRIPT_STRINGS.ru[k]), ph(SCRIPT_STRINGS.en[k]), k);
});

test('npy files as numpy reads them: dtype, shape and values', () => {
  requireTorch();
  const f = path.join(tmp, 'a.npy');
  fs.writeFileSync(f, npyBytes(Int32Array.of(-1, 2, 70000, 4, 5, 6), [2, 3]));
  const out = execFileSync(PY, ['-c', `import numpy as np; a = np.load("${f}"); print(a.dtype, a.shape, a.tolist())`], { encoding: 'utf8' });
  assert.equal(out.trim(), 'int32 (2, 3) [[-1, 2, 70000], [4, 5, 6]]');
});

// MNIST: float32 on both sides, but matrix products summed in other orders (our SIMD kernels, torch's
// BLAS), so each loss differs by some float32 roundings and the differences grow a little with each
// step (Adam divides by sqrt(v), which magnifies them where v is small). Largest relative difference
// seen over the 20 steps: 1.2e-6 (Adam), 3.5e-7 (RMSprop), 1.4e-7 (SGD, Momentum). The bound 1e-5 is
// 8 times that; a wrong hyperparameter, batch or optimizer state changes a loss by 1e-3 or more.
const MNIST_RTOL = 1e-5;
const OPTS = [['sgd', '--lr', '0.1'], ['momentum', '--lr', '0.01', '--momentum', '0.9'], ['rmsprop', '--lr', '0.001'], ['adam', '--lr', '0.001']];
for (const [name, ...flags] of OPTS) {
  test(`MNIST 784-128-64-10, ${name}: saved after 5 steps, 20 more steps in PyTorch print the lab's losses`, () => {
    requireTorch();
    const dir = path.join(tmp, `mnist-${name}`), model = path.join(dir, 'saved.json'), lab = path.join(dir, 'lab');
    fs.mkdirSync(dir);
    const quiet = { stdio: ['ignore', 'pipe', 'pipe'] };
    execFileSync(BIN, ['train', '--layers', '784,128,64,10', '--optimizer', name, ...flags, '--batch', '64', '--iterations', '5', '--save', model], quiet);
    execFileSync(BIN, ['train', '--load', model, '--iterations', '25', '--out', lab], quiet);
    execFileSync(BIN, ['export-pytorch', '--model', model, '--steps', '20', '--out', path.join(dir, 'py')], quiet);
    const want = fs.readFileSync(`${lab}-iterations.csv`, 'utf8').trim().split('\n').slice(1).map(l => l.split(',').map(Number));
    const r = spawnSync(PY, [path.join(dir, 'py', 'train.py')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const got = r.stdout.trim().split('\n').map(l => l.split(' ').map(Number));
    assert.equal(got.length, 20);
    assert.deepEqual(got.map(g => g[0]), want.map(w => w[0]), 'the same iteration numbers (6..25)');
    got.forEach(([it, loss], i) => {
      const rel = Math.abs(loss - want[i][2]) / Math.abs(want[i][2]);
      assert.ok(rel <= MNIST_RTOL, `iteration ${it}: PyTorch ${loss}, the lab ${want[i][2]} (relative difference ${rel.toExponential(2)})`);
    });
  });
}
