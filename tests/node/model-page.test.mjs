// model-page.test.mjs - the training page's side of model files, without the DOM: a model saved from a
// run of the page's settings gives those settings back (lib/state.js fromModel), so the form shows
// what the loaded network is; what the form cannot show is named; the training worker's checks
// (training/model-requests.js) refuse such a model before anything is freed; which model buttons
// answer in which phase (page-model.js modelControlsView).
import test from 'node:test';
import assert from 'node:assert/strict';
import { core } from './helpers.mjs';
import { loadMnist } from '../../web/lib/data.js';
import { TrainingRun, createDatasets } from '../../web/lib/trainer.js';
import { saveModel, parseModel } from '../../web/lib/model-file.js';
import { defaults, update, toRunConfig, fromModel } from '../../web/lib/state.js';
import { checkModel } from '../../web/training/model-requests.js';
import { modelControlsView } from '../../web/training/page-model.js';

const c = await core('simd');
const data = await loadMnist(new URL('../../data/mnist-subset.bin', import.meta.url));
const sets = createDatasets(c, { train: data.train, test: data.test });

/** The text of a model saved from a run of state s, after `iterations` batches. */
function saved(s, iterations = 3) {
  const run = new TrainingRun(c, sets, toRunConfig(s));
  try { run.train(iterations); return saveModel(run, { data: 'mnist-subset.bin', scale: s.scale }); } finally { run.free(); }
}

test('a model saved from the page\'s settings gives the same settings back (other optimizers, activations, alphas)', () => {
  let s = { ...defaults(), hidden: [24, 12], act: ['leaky_relu', 'elu'], slope: 0.2, elu: 0.5, batch: 50, epochs: 4, seed: 7, scale: 'pm05' };
  for (const [opt, extra] of [['adam', { lr: 0.002, amsgrad: true }], ['momentum', { lr: 0.05, momentum: 0.8 }], ['rmsprop', { lr: 0.001, alpha: 0.95 }], ['sgd', { lr: 0.1 }]]) {
    s = update(s, 'optimizer', opt);
    for (const [k, v] of Object.entries(extra)) s = update(s, k, v);
    const start = { ...defaults(), lang: 'ru', logy: false };          // another page's settings, view fields its own
    const { state, unshown } = fromModel(start, parseModel(saved(s)));
    assert.deepEqual(unshown, [], opt);
    assert.deepEqual(toRunConfig(state), toRunConfig(s), `${opt}: the same run config`);
    assert.equal(state.lang, 'ru', 'view fields are the page\'s');
    assert.equal(state.logy, false);
  }
});

test('what the form cannot show is named, and the worker refuses the model with PAGE_UNSHOWN', () => {
  const m = JSON.parse(saved(defaults()));
  m.network.dropout = [0.5, 0, 0];
  m.network.bias = [false, true, true];              // the form has no bias switch
  delete m.tensors.b1;
  const text = JSON.stringify(m);
  assert.deepEqual(fromModel(defaults(), parseModel(text)).unshown.sort(), ['bias', 'dropout']);
  assert.throws(() => checkModel(text), e => e.code === 'PAGE_UNSHOWN' && e.source === 'model' && /dropout, bias/.test(e.details.fields));
  assert.throws(() => checkModel('{"format": "other"}'), e => e.code === 'FOREIGN_FORMAT' && e.source === 'model');
  assert.equal(checkModel(saved(defaults())).data, 'subset');
});

test('the model buttons: save and PyTorch need a run that is not training; load answers unless training or loading', () => {
  const v = (phase, o = {}) => modelControlsView({ phase, busy: false, applied: {}, ...o });
  assert.deepEqual(v('ready'), { save: true, pytorch: true, load: true });
  assert.deepEqual(v('paused'), { save: true, pytorch: true, load: true });
  assert.deepEqual(v('done'), { save: true, pytorch: true, load: true });
  assert.deepEqual(v('running'), { save: false, pytorch: false, load: false });
  assert.deepEqual(v('loading'), { save: false, pytorch: false, load: false });
  assert.deepEqual(v('diverged'), { save: false, pytorch: false, load: true }, 'a diverged run is gone: nothing to save');
  assert.deepEqual(v('error', { applied: null }), { save: false, pytorch: false, load: true });
  assert.deepEqual(v('paused', { busy: true }), { save: false, pytorch: false, load: false });
});
