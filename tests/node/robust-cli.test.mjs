// robust-cli.test.mjs - issue #16's reproductions for the command line and the spec parser: each input
// that printed a stack trace, ran silently with a wrong meaning, or printed a wrong number now ends
// with exit code 2 (or 1 for a non-finite gradient) and a message naming what is wrong. The inputs
// are the ones of the report (`"biases": 0.5`, a 5,000-deep key, `"nesterov": "false"`,
// `constructor`, 1e39, `trace --steps 2000000`, unknown options, `--help` on every command).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore, CoreError } from '../../web/lib/engine.js';
import { buildNet } from '../../web/lib/spec.js';

const BIN = fileURLToPath(new URL('../../bin/backprop-lab', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bpl-robust-'));
const BASE = { layers: [2, 2, 2], activations: ['sigmoid', 'sigmoid'], loss: 'half_sse', input: [0.05, 0.1], target: [0.01, 0.99] };

function run(args) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 100000, maxBuffer: 1 << 30 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function specFile(name, spec) {
  const f = path.join(tmp, `${name}.json`);
  fs.writeFileSync(f, typeof spec === 'string' ? spec : JSON.stringify(spec));
  return f;
}
/** Exit code 2, one message line naming `what`, and no stack trace. */
function refused(r, what) {
  assert.equal(r.code, 2, `exit code (stderr: ${r.err})`);
  assert.match(r.err, what);
  assert.doesNotMatch(r.err, /\n\s+at |Error:|node:internal/, 'no stack trace');
}

test('spec inputs of the report are refused with exit code 2 and a message, never a stack trace', () => {
  const deep = `{"layers":[2,2,2],"activations":["sigmoid","sigmoid"],"loss":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
  const cases = [
    ['biases-number', { ...BASE, biases: 0.5 }, /biases: expected 2 vectors/],                  // was: TypeError in spec.js
    ['deep', deep, /nested more than 8 levels/],                                                 // was: RangeError while formatting
    ['nesterov-string', { ...BASE, optimizer: { name: 'sgd', momentum: 0.9, nesterov: 'false' } }, /nesterov: expected true or false, not "false"/],
    ['constructor', { ...BASE, constructor: 1 }, /unknown key "constructor"/],
    ['toString-setting', { ...BASE, optimizer: { name: 'sgd', toString: 1 } }, /unknown setting "toString"/],
    ['input-1e39', { ...BASE, input: [1e39, 0.1] }, /beyond float32's range/],                  // was: "loss": null
    ['weight-1e39', { ...BASE, weights: [[[1e39, 0], [0, 0]], [[0, 0], [0, 0]]] }, /weights\[0\] row 1: value 1 is 1e\+39/],
    ['lr-string', { ...BASE, optimizer: { name: 'sgd', lr: '0.5' } }, /lr: expected a finite number, not "0.5"/],
    ['bias-flags', { ...BASE, bias: ['yes', true] }, /bias: expected 2 true\/false/],
    ['init', { ...BASE, init: 'xavier' }, /init: unknown "xavier"/],
    ['note', { ...BASE, note: { a: 1 } }, /note: expected text/],
  ];
  for (const [name, spec, what] of cases) {
    for (const cmd of ['trace', 'gradcheck']) {
      const r = run([cmd, specFile(name, spec)]);
      refused(r, what);
    }
  }
});

test('every command answers --help and refuses an unknown option or a missing value by name', () => {
  for (const cmd of ['trace', 'gradcheck', 'train', 'grid', 'help']) {
    const h = run([cmd, '--help']);
    assert.equal(h.code, 0, `${cmd} --help: ${h.err}`);
    assert.match(h.out, /backprop-lab trace SPEC.json/);
    refused(run([cmd, '--bogus', '3']), new RegExp(`unknown option --bogus for "${cmd}"`));
  }
  assert.equal(run(['--help']).code, 0);
  refused(run(['train', '--learning-rate', '0.1']), /unknown option --learning-rate/);   // a typo never trains with the default
  refused(run(['train', '--lr', '--epochs', '1']), /option --lr needs a value/);
  refused(run(['train', '--lr', '1e39']), /--lr: "1e39"/);
  refused(run(['grid', '--xi', '1e39']), /--xi: "1e39" is not a number <= 3.40282/);      // xi has no range of its own: float32's
  refused(run(['trace', specFile('ok', BASE), '--steps', 'NaN']), /--steps: "NaN"/);
});

test('trace and gradcheck refuse more than their limits, naming the limit and how to raise it', () => {
  const ok = specFile('ok', BASE);
  refused(run(['trace', ok, '--steps', '2000000']), /more than --max-values 10,000,000; raise it \(e\.g\. --max-values \d+\)/);
  const wide = specFile('wide', { layers: [4096, 4096, 4096], activations: ['relu', 'softmax'], loss: 'cross_entropy' });
  refused(run(['trace', wide]), /more than one JSON text can hold/);
  const big = specFile('big', { layers: [400, 300, 10], activations: ['relu', 'softmax'], loss: 'cross_entropy', input: [new Array(400).fill(0.5)], target: [3] });
  refused(run(['gradcheck', big]), /123,310 weights and biases, more than --max-params 100,000 .* raise it \(--max-params 123310\)/);
  // streamed --steps output is still one JSON document
  const r = run(['trace', ok, '--steps', '3']);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).steps.length, 3);
});

test('gradcheck shows progress on stderr on a large net', { timeout: 120000 }, () => {
  const n = 300, spec = specFile('mid', { layers: [n, n, 10], activations: ['relu', 'softmax'], loss: 'cross_entropy', input: [new Array(n).fill(0.5)], target: [3] });
  const r = run(['gradcheck', spec, '--json']);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).params.length, n * n + n + 10 * n + 10);
  // 93,310 parameters take about 10 s on this machine: a progress line every 2 s
  assert.match(r.err, /gradcheck: [\d,]+ of 93,310 parameters \(\d+ %\), about \d+ s left/);
});

test('gradcheck prints NaN as NaN (never a 0 relative error) and exits 1', async () => {
  // identity output, inputs near float32's top: z overflows to Infinity in the float build (the f64
  // build, gradcheck's default, would not overflow), the loss is infinite, so L(w+d) - L(w-d) is NaN.
  // Before: "NaN ... rel. error 0.00e+0", exit 0.
  const f = specFile('inf', { layers: [2, 1], activations: ['identity'], loss: 'half_sse', input: [3e38, 3e38], target: [0], weights: [[[3, 3]]], biases: [[0]] });
  const r = run(['gradcheck', f, '--precision', 'f32']);
  assert.equal(r.code, 1);
  assert.match(r.out, /W1\[1\]\[1\] .*NaN\s+NaN/);
  assert.doesNotMatch(r.out, /NaN\s+0\.00e\+0/);
  assert.match(r.err, /3 of 3 parameters have a gradient that is not a finite number/);
  const j = JSON.parse(run(['gradcheck', f, '--json', '--precision', 'f32']).out);
  assert.equal(j.params[0].rel_error, 'NaN');
  // the core's own relative error: NaN when the analytic gradient is NaN too (was 0: NaN > 0 is false)
  const core = await loadCore({ flavor: 'scalar' });
  const { net, spec } = buildNet(core, { layers: [1, 1], activations: ['identity'], loss: 'half_sse', input: [3e38], target: [0], weights: [[[1e30]]], biases: [[0]] });
  const g = net.gradcheck(spec.input, spec.target, 0, 1e-3);
  assert.ok(Number.isNaN(g.relError), `relError ${g.relError} of numeric ${g.numeric}, analytic ${g.analytic}`);
  net.free();
});

test('a data file without test or training images is refused by name (train printed NaN % before)', () => {
  // 36-byte header + payload of 0 images: the header is read before anything is decompressed
  const h = Buffer.alloc(36);
  h.write('BPLMNIST', 0, 'ascii');
  h.writeUInt16LE(1, 8); h.writeUInt8(4, 10); h.writeUInt16LE(28, 12); h.writeUInt16LE(28, 14);
  h.writeUInt32LE(50, 16); h.writeUInt32LE(0, 20);
  const f = path.join(tmp, 'no-test.bin');
  fs.writeFileSync(f, h);
  refused(run(['train', '--data', f, '--epochs', '1']), /50 training and 0 test images; training needs at least one of each/);
});

test('the core refuses NaN and float32-overflowing inputs through the engine (issue: NaN inputs spread into the parameters)', async () => {
  const core = await loadCore({ flavor: 'simd' });
  const { net } = buildNet(core, BASE);
  for (const bad of [NaN, 1e39, -Infinity]) {
    assert.throws(() => net.forward([[0.5, bad]]), e => e instanceof CoreError && e.code === 'EINVAL' && e.field === 'input' && e.index === 1,
      `input ${bad}`);
  }
  const d = core.createData(3, 2, 2, true);
  d.fill([0, 0, 1, 1, 0.5, 0.5], [0, 1, 1]);
  d.labels()[2] = 10;                                   // issue: confusion[truth*K+pred]++ wrote out of bounds
  assert.throws(() => net.evaluate(d, { confusion: true }), e => e.code === 'EINVAL' && e.field === 'labels' && e.index === 3 && e.value === 10);
  d.labels()[2] = -1;
  assert.throws(() => net.evaluate(d, { confusion: true }), e => e.field === 'labels' && e.value === -1);
  d.free();
  net.free();
});
