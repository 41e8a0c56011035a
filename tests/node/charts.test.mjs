// charts.test.mjs - the charts' numbers without a browser: web/lib/chart-math.js (log ticks, y
// ranges, the training page's series, moving averages, thinning, colours, the screen-reader
// summary) and web/lib/chart-specs.js (which curves each page draws, in which colours and scales).
// Every expected value is worked out by hand in the comment beside it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { logSplits, axisRange, positive, finite, IterSeries, EpochSeries, movingAvg, thin, shade, heatColor, heatRange, OPT_COLORS, chartSummary }
  from '../../web/lib/chart-math.js';
import { trainingSpec, trainingData, TRAIN_COLORS, plotNumber, seriesColors, batchesPerEpoch, chartSpecs, liveSpec } from '../../web/lib/chart-specs.js';

const close = (a, b, msg) => assert.ok(Math.abs(a - b) < 1e-12, `${msg}: ${a} != ${b}`);

test('logSplits: powers of ten, with 2 and 5 between them only when the range spans <= 2 decades', () => {
  // 0.05..3: decades -2..1 (3 apart) -> powers only; 0.01 < 0.05 and 10 > 3 are outside
  assert.deepEqual(logSplits(0.05, 3), [0.1, 1]);
  // 0.3..4: decades -1..1 (2 apart) -> 1, 2, 5 of each; inside are 0.5, 1, 2 (5 > 4)
  assert.deepEqual(logSplits(0.3, 4), [0.5, 1, 2]);
  // 1..10 exactly: both ends are ticks (0.1 % tolerance)
  assert.deepEqual(logSplits(1, 10), [1, 2, 5, 10]);
  assert.deepEqual(logSplits(0, 1), [], 'no log ticks down to 0');
  assert.deepEqual(logSplits(1, -1), []);
});

test('axisRange: zero-based loss, accuracy floors, the data min when negative, 5 % headroom', () => {
  const [lo, hi] = axisRange({ min: 0 }, 0.2, 2.3);
  assert.equal(lo, 0); close(hi, 2.415, '2.3 * 1.05');
  assert.deepEqual(axisRange({ min: 'floor10', max: 100 }, 87.3, 99), [80, 100]);   // floor(8.73) * 10
  assert.deepEqual(axisRange({ min: 'floor10', max: 100 }, 3, 99), [0, 100]);
  assert.deepEqual(axisRange({ min: 'floor5', max: 100 }, 91.5, 99), [85, 100]);    // floor((91.5 - 2) / 5) * 5 = 17 * 5
  const [glo, ghi] = axisRange({}, -0.4, 0.8);
  assert.equal(glo, -0.4, 'a negative generalisation gap stays on the chart'); close(ghi, 0.84, '0.8 * 1.05');
  assert.deepEqual(axisRange({}, null, null), [0, 1], 'no data: 0..1');
  assert.deepEqual([positive(0), positive(-1), positive(NaN), positive(2)], [null, null, null, 2]);
  assert.deepEqual([finite(Infinity), finite(null), finite(-3)], [null, null, -3]);
});

test('IterSeries: a debiased EMA of the losses, non-finite losses as gaps, re-smoothed on a new beta', () => {
  const s = new IterSeries(0.5);
  s.push([4, 2, NaN], 10);
  assert.deepEqual(s.x, [11, 12, 13], 'iterations after 10');
  // beta 0.5: s1 = 0.5 * 4 = 2, / (1 - 0.5) = 4; s2 = 0.5 * 2 + 0.5 * 2 = 2, / (1 - 0.25) = 8/3
  assert.equal(s.smooth[0], 4);
  close(s.smooth[1], 8 / 3, 'second smoothed value');
  assert.equal(s.smooth[2], null);
  s.setBeta(0);
  assert.deepEqual(s.smooth, [4, 2, null], 'beta 0: no smoothing');
  assert.equal(s.length, 3);
  s.clear();
  assert.equal(s.length, 0);
});

test('IterSeries.view: at most max points, bucket means with the bucket\'s last x', () => {
  const s = new IterSeries(0);
  s.push([1, 2, 3, 4, 5], 0);
  assert.deepEqual(s.view(), [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [1, 2, 3, 4, 5]], 'short: as is');
  // 5 points, max 2 -> buckets of ceil(5/2) = 3: (1, 2, 3) mean 2 at x 3; (4, 5) mean 4.5 at x 5
  assert.deepEqual(s.view(2), [[3, 5], [2, 4.5], [2, 4.5]]);
});

test('EpochSeries: a row per epoch in %, a repeated epoch replaces its row, missing halves are null', () => {
  const e = new EpochSeries();
  e.push({ epoch: 0, train: { loss: 2.3, accuracy: 0.1 }, test: { loss: 2.31, accuracy: 0.1 } });
  e.push({ epoch: 0, train: { loss: 2.2, accuracy: 0.25 }, test: { loss: 2.21, accuracy: 0.5 } });
  e.push({ epoch: 1, test: { loss: 0.4, accuracy: 0.9 } });
  assert.deepEqual(e.epoch, [0, 1]);
  assert.deepEqual(e.trainLoss, [2.2, null]);
  assert.deepEqual(e.trainAcc, [25, null]);
  assert.deepEqual(e.testAcc, [50, 90]);
  assert.equal(e.length, 2);
});

test('movingAvg: the mean of the last w values, NaN left out; thin keeps every k-th point', () => {
  assert.deepEqual(movingAvg([1, 2, 3, 4], 2), [1, 1.5, 2.5, 3.5]);   // (1), (1+2)/2, (2+3)/2, (3+4)/2
  assert.deepEqual(movingAvg([1, NaN, 3], 2), [1, 1, 3]);               // (1), (1), (3): the NaN does not count
  assert.deepEqual(movingAvg([NaN], 3), [null]);
  assert.deepEqual(movingAvg(new Float32Array([5, 6]), 1), [5, 6], 'w 1: a plain copy');
  const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  // 10 points, max 4 -> k = ceil(10/4) = 3: indices 2, 5, 8
  assert.deepEqual(thin(xs, xs.map(x => -x), 4), [[3, 6, 9], [-3, -6, -9]]);
  assert.deepEqual(thin([1, 2], [3, 4], 4), [[1, 2], [3, 4]]);
});

test('shade and heatColor: the colours worked out channel by channel', () => {
  assert.equal(shade('#1f63b4', 0), '#1f63b4');
  // k 1: f = -0.35, each channel * 0.65: 31 -> 20.15 (0x14), 99 -> 64.35 (0x40), 180 -> 117 (0x75)
  assert.equal(shade('#1f63b4', 1), '#144075');
  // k 2: f = 0.35, v + (255 - v) * 0.35: 31 -> 109.4 (0x6d), 99 -> 153.6 (0x9a), 180 -> 206.25 (0xce)
  assert.equal(shade('#1f63b4', 2), '#6d9ace');
  assert.equal(shade('#1f63b4', 9), '#1f63b4', '9 shades in a cycle');
  // halfway from #fff7bc to #006837: 127.5 -> 128 (0x80), 175.5 -> 176 (0xb0), 121.5 -> 122 (0x7a)
  assert.deepEqual(heatColor(0.5, 0, 1), { bg: '#80b07a', fg: '#111827' });
  assert.deepEqual(heatColor(1, 0.8, 1), { bg: '#006837', fg: '#fff' });
  assert.deepEqual(heatColor(0.2, 0.8, 1), { bg: '#fff7bc', fg: '#111827' }, 'below lo: palest');
  assert.deepEqual(heatColor(0.9, 0.9, 0.9), { bg: '#006837', fg: '#fff' }, 'one value: darkest');
  assert.deepEqual(heatColor(NaN, 0, 1), { bg: '#e2e8f0', fg: '#475569' });
  assert.equal(Object.keys(OPT_COLORS).length, 8, 'a hue for each of the 8 optimizers');
});

test('heatRange: the top 20 points of accuracy, or all of them when they are closer', () => {
  const hm = { sgd: { cells: [[{ accuracy: 0.95 }, { accuracy: 0.6 }], [null, { accuracy: NaN }]] }, adam: { cells: [[{ accuracy: 0.97 }]] } };
  const [lo, hi] = heatRange(hm);
  close(lo, 0.77, '0.97 - 0.2'); assert.equal(hi, 0.97);
  assert.deepEqual(heatRange({ a: { cells: [[{ accuracy: 0.9 }, { accuracy: 0.95 }]] } }), [0.9, 0.95]);
  assert.deepEqual(heatRange({}), [0, 1]);
});

test('chartSummary: the title and each series\' last drawn value with its x', () => {
  const data = [[0, 1, 2], [3, 2, null], [4, null, null], [null, null, null]];
  assert.equal(chartSummary('Loss', 'epoch', ['train', 'test', 'none'], data, String), 'Loss. train: 2 (epoch 1). test: 4 (epoch 0)');
  assert.equal(chartSummary('', 'x', ['a'], [[], []], String), '');
});

const i18n = { t: (k, p) => (p ? `${k}${JSON.stringify(p)}` : k), sig: (v, p) => v.toPrecision(p), num: v => String(v) };

test('trainingSpec: scales, labels and colours of the three training charts', () => {
  const it = trainingSpec('iter', i18n, { log: true });
  assert.equal(it.y.log, true);
  assert.equal(it.y.label, 'axis.lossLog');
  assert.deepEqual(it.series.map(s => s.color), [TRAIN_COLORS.raw, TRAIN_COLORS.smooth]);
  assert.deepEqual(it.x.range(null, null), [1, 2], 'no run yet: iterations 1..2');
  const it2 = trainingSpec('iter', i18n, { log: false, xMax: () => 1125 });
  assert.deepEqual(it2.x.range(1, 300), [1, 1125], 'the axis spans the whole run while it trains');
  assert.deepEqual(it2.y.range, { min: 0 });
  assert.equal(it2.y.label, 'axis.loss');
  const acc = trainingSpec('epochAcc', i18n, { log: true });
  assert.equal(acc.y.log, false, 'accuracy is never on a log axis');
  assert.deepEqual(acc.y.range, { min: 'floor10', max: 100 });
  assert.deepEqual(acc.x.range(0, 3), [0, 3]);
  assert.equal(acc.series[1].dash.length, 2, 'test dashed');
  // ticks: a diverging loss as 1e8, a tiny one as 1e-4, others (0 too) by the page's sig with 3 digits (here toPrecision)
  assert.deepEqual([1e8, 1e-4, 0.5, 0].map(it.fmt.y), ['1e8', '1e-4', '0.500', '0.00']);
});

test('trainingData: the series as aligned arrays, non-positive losses left out on a log axis', () => {
  const s = new IterSeries(0);
  s.push([1, 0, 2], 0);
  assert.deepEqual(trainingData('iter', s, true), [[1, 2, 3], [1, null, 2], [1, null, 2]]);
  assert.deepEqual(trainingData('iter', s, false), [[1, 2, 3], [1, 0, 2], [1, 0, 2]]);
  const e = new EpochSeries();
  e.push({ epoch: 0, train: { loss: 0, accuracy: 0.5 }, test: { loss: 1, accuracy: 0.25 } });
  assert.deepEqual(trainingData('epochLoss', e, true), [[0], [null], [1]]);
  assert.deepEqual(trainingData('epochAcc', e, true), [[0], [50], [25]]);
});

test('plotNumber: the experiments page\'s chart numbers', () => {
  assert.equal(plotNumber(1234.5, 4, false), '1235');           // 1234.5 to 4 digits rounds up
  assert.equal(plotNumber(0.12345, 3, true), '0,123', 'a decimal comma in Russian');
  assert.equal(plotNumber(12345, 3, false), '1.2e+4');           // >= 1e4: exponent form
  assert.equal(plotNumber(0.0005, 3, false), '5.0e-4');          // < 1e-3: exponent form
  assert.equal(plotNumber(0, 3, false), '0');
  assert.equal(plotNumber(NaN, 3, false), '');
});

// two SGD runs and one Adam run, 2 batches per epoch
const run = (id, optimizer, acc) => ({
  id, optimizer, losses: [2, 1, 0.5, NaN],
  epochs: [{ epoch: 0, iteration: 0, train_loss: 2.3, test_loss: 2.3, train_accuracy: 0.1, test_accuracy: 0.1 },
    { epoch: 1, iteration: 2, train_loss: 0.5, test_loss: 0.75, train_accuracy: acc, test_accuracy: acc - 0.05 }],
});
const runs = [run('sgd-a', 'sgd', 0.8), run('adam-a', 'adam', 0.9), run('sgd-b', 'sgd', 0.85)];
const ctx = { t: i18n.t, lang: 'en', runName: r => r.id, smooth: 2, xIter: 'iteration', logLoss: false };

test('seriesColors and batchesPerEpoch', () => {
  const c = seriesColors(runs);
  assert.equal(c.get('sgd-a'), OPT_COLORS.sgd, 'the first run of an optimizer in its hue');
  assert.equal(c.get('adam-a'), OPT_COLORS.adam);
  assert.equal(c.get('sgd-b'), '#144075', 'the second SGD run in shade 1 (see the shade test)');
  assert.equal(batchesPerEpoch(runs[0]), 2, 'iteration 2 at the end of epoch 1');
  assert.equal(batchesPerEpoch({ epochs: [{ epoch: 2, iteration: 750 }], losses: [] }), 375);
  assert.equal(batchesPerEpoch({ epochs: [], losses: [1, 2, 3] }), 3);
});

test('chartSpecs: train solid and test dashed per run; accuracy in %; the iteration curve smoothed; the gap', () => {
  const s = chartSpecs(runs, ctx);
  assert.equal(s.loss.series.length, 6, 'train and test of 3 runs');
  assert.deepEqual(s.loss.series.slice(0, 2).map(x => [x.label, x.dash]), [['sgd-a · series.train', undefined], ['sgd-a · series.test', [6, 4]]]);
  assert.equal(s.loss.y.log, false);
  assert.deepEqual(s.acc.series[0].ys, [10, 80], 'accuracy in %');
  assert.deepEqual(s.acc.y.range, { min: 'floor5', max: 100 });
  // moving average over 2 of [2, 1, 0.5, NaN]: 2, 1.5, 0.75, 0.5
  assert.deepEqual(s.iter.series[0].xs, [1, 2, 3, 4]);
  assert.deepEqual(s.iter.series[0].ys, [2, 1.5, 0.75, 0.5]);
  assert.equal(s.iter.y.label, 'axis.lossMa{"w":2}');
  assert.deepEqual(s.gap.series[1].ys, [0, 0.25], 'test - train loss: 2.3 - 2.3, 0.75 - 0.5');
  assert.equal(s.gap.series[2].color, '#144075');
  const e = chartSpecs(runs.slice(0, 1), ctx, { xIter: 'epoch', log: true, smooth: 1 }).iter;
  assert.deepEqual(e.series[0].xs, [0.5, 1, 1.5, 2], 'x in epochs: iteration / 2 batches per epoch');
  assert.deepEqual(e.series[0].ys.slice(0, 3), [2, 1, 0.5], 'no smoothing');
  assert.equal(e.y.log, true);
  assert.equal(e.x.label, 'axis.epochFrac');
  assert.equal(chartSpecs(runs, { ...ctx, lang: 'ru' }).loss.fmt.y(0.25), '0,25');
});

test('liveSpec: nothing to draw before the first losses; then raw and a moving average over 1/60 of the run', () => {
  const none = liveSpec(null, ctx);
  assert.deepEqual(none.series, []);
  assert.equal(none.empty, 'live.empty');
  const live = liveSpec({ id: 'adam-0.001-32-1', xs: [1, 2], ys: [3, 1], totalBatches: 600 }, ctx);
  // window max(5, round(600 / 60)) = 10; over 2 losses: 3, (3 + 1) / 2
  assert.equal(live.series[1].label, 'series.ma{"w":10}');
  assert.deepEqual(live.series[1].ys, [3, 2]);
  assert.equal(live.series[1].color, OPT_COLORS.adam);
});
