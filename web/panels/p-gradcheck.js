// Panel 7: the numerical gradient by central differences (the slides) next to backprop's, for every
// parameter of the 2-2-2 network (net.gradcheck: L(w+d), L(w-d), both gradients, their absolute and
// relative error), and what the step d does: too large -> truncation error, too small -> round-off.
// All values are the core's: its double-precision build, or (the precision switch) the float32 build
// that trains on MNIST, replaying the same training steps, to show what single precision does.
import { Panel } from './netpanel.js';
import { Exercise } from './exercise.js';
import { buildNet, targetsOf } from '../lib/spec.js';
import { loadCore } from '../lib/engine.js';
import { h, fsec, numField, selField, checks, note, rich, num, Chart, plotSpec } from './ui.js';
import { n } from './tex.js';
import { mlpFields, mlpParams } from './p-mlp.js';

const ACTS = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'identity'];
// the sweep of d: 10^-8 ... 10^0 in quarter decades (inputs given to the core)
const SWEEP = Array.from({ length: 33 }, (_, i) => 10 ** (-8 + i / 4));
const EX_PARAMS = 2;      // "Check yourself": the numerical gradient of the first two parameters by hand

export default class GradCheck extends Panel {
  get id() { return 'gradcheck'; }
  constructor(ctx) {
    super(ctx);
    this.p = this.defaults();
    this.cores = { f64: ctx.core };
    this.runN = 100;
    this.exercise = new Exercise(this, ctx.exercise || {});
  }
  /** The 2-2-2 panel's example (Mazur's); "New exercise" draws the weights and the input (web/lib/exercise-draw.js). */
  defaults() {
    return { x: [0.05, 0.1], y: [0.01, 0.99], W1: [[0.15, 0.2], [0.25, 0.3]], b1: [0.35, 0.35],
      W2: [[0.4, 0.45], [0.5, 0.55]], b2: [0.6, 0.6], lr: 0.5, actH: 'sigmoid', actO: 'sigmoid', d: 1e-3, precision: 'f64' };
  }
  /** A new exercise: the network is built again from the new values when the panel renders. */
  rebuild() { this.net?.free(); this.net = null; }
  /** In "Check yourself": the first EX_PARAMS parameters by hand (the table of all would give the answers). */
  get stageNames() { return (this.params || []).slice(0, this.exercise?.on ? EX_PARAMS : undefined).map(q => this.t('gc.stage', { name: q.label })); }
  exerciseSig() { return this.net ? JSON.stringify([this.net.stepCount, this.p]) : null; }
  /** Given: the loss at the current parameters (the 2-2-2 panel's forward pass) and the errors between
   * the two gradients (differences far below what hand arithmetic resolves). */
  exerciseGiven(key) { return key === 'loss' || key === 'cur.abs' || key === 'cur.rel'; }
  /** No classic mistake of the table applies to a numerical gradient (web/lib/exercise-mistakes.js). */
  exerciseSteps() { return {}; }
  spec() {
    const p = this.p;
    return { layers: [2, 2, 2], activations: [p.actH, p.actO], loss: 'half_sse', weights: [p.W1, p.W2], biases: [p.b1, p.b2],
      input: [p.x], target: [p.y], optimizer: { name: 'sgd', lr: p.lr } };
  }
  render() {
    const t = this.t;
    const bar = this.makeStageBar('keys.simple');
    this.status = h('div', { class: 'status', role: 'status', 'data-testid': 'status' });
    this.iterLabel = h('span', { class: 'iter-label', 'data-testid': 'iter-label' });
    const dField = numField({ label: '$d$', title: t('gc.f.d'), value: this.p.d, t, key: 'd', check: checks.range(t, 1e-10, 1),
      onValid: v => { this.p.d = v; this.update(); } });
    const precField = selField({ label: t('gc.f.prec'), key: 'precision', value: this.p.precision,
      options: [['f64', t('gc.prec.f64')], ['f32', t('gc.prec.f32')]], onChange: v => this.setPrecision(v) });
    const runs = h('div', { class: 'runbar' }, this.iterLabel,
      numField({ label: t('f.n'), value: this.runN, t, key: 'runN', width: 5, check: checks.int(t, 1, 20000), onValid: v => { this.runN = v; } }),
      h('button', { type: 'button', class: 'btn primary', 'data-testid': 'run', onclick: () => this.run(this.runN) }, t('gc.train')),
      h('button', { type: 'button', class: 'btn', 'data-testid': 'reset', onclick: () => this.changed() }, t('btn.reset')));
    this.body = h('div', { class: 'formulas', 'data-testid': 'formulas' });
    this.tableBox = h('div', { class: 'fsec gctable' });
    const sweepBox = h('div', { class: 'plotbox' }), lossBox = h('div', { class: 'plotbox' });
    this.sweepCap = h('figcaption', {});
    const side = h('aside', { class: 'side' },
      h('figure', { class: 'lossfig' }, this.sweepCap, sweepBox, h('p', { class: 'f-note' }, rich(t('gc.sweepNote')))),
      h('figure', { class: 'lossfig' }, h('figcaption', {}, t('plot.loss')), lossBox));
    this.root.replaceChildren(this.header(), h('div', { class: 'controls' }, mlpFields(this, ACTS), dField, precField), runs, bar, this.exercise.bar(), this.status,
      h('div', { class: 'cols wide-side' }, h('div', {}, this.body, this.tableBox), side),
      h('div', { class: 'notes' }, note('note', t('gc.n.title'), rich(t('gc.n.d'))), note('note', t('gc.n.relTitle'), rich(t('gc.n.rel'))),
        note('note', t('gc.n.precTitle'), rich(t('gc.n.prec')))));
    if (this.sweepPlot) this.sweepPlot.destroy();
    if (this.lossPlot) this.lossPlot.destroy();
    this.sweepPlot = new Chart(sweepBox, plotSpec({ xLabel: 'd', yLabel: t('gc.relAxis'), log: true, logX: true,
      series: [{ label: t('gc.rel'), color: '#c0392b', points: true }] }), { height: 220 });
    this.lossPlot = new Chart(lossBox, plotSpec({ xLabel: t('plot.iter'), intX: true, yLabel: t('plot.lossAxis'), series: [{ label: 'L', color: '#1f5fbf' }] }), { height: 160 });
    if (this.net) this.update(); else this.changed();   // a language switch keeps the trained network
  }
  /** The same network and training steps in the other precision (the float32 core loaded when first asked for). */
  async setPrecision(v) {
    if (!this.cores[v]) {
      try { this.cores[v] = await loadCore({ precision: v }); } catch (e) { this.error = e; this.update(); return; }
    }
    this.p.precision = v;
    const steps = this.losses.length;
    this.changed();
    this.run(steps);
  }
  changed() {
    if (this.net) this.net.free();
    this.net = null; this.losses = []; this.error = null;
    try {
      const { net, spec } = buildNet(this.cores[this.p.precision], this.spec());
      this.net = net; this.s = spec;
      this.params = mlpParams(net).map(q => ({ ...q, label: q.txt }));
    } catch (e) { this.error = e; }
    this.update();
  }
  run(k) {
    if (!this.net) return;
    try { for (let i = 0; i < k; i++) this.losses.push(this.net.step(this.s.input, targetsOf(this.s))); } catch (e) { this.error = e; }
    this.update();
  }
  /** Every parameter's value, L(w +- d), numerical and backprop gradient and their errors (core). */
  check(d) {
    const net = this.net, P = net.params();
    return this.params.map(q => ({ ...q, w: P[q.idx], ...net.gradcheck(this.s.input, targetsOf(this.s), q.idx, d) }));
  }
  update() {
    const t = this.t;
    this.status.textContent = this.error ? `${t(`core.${this.error.code === 'DIVERGED' ? 'DIVERGED' : 'other'}`)} (${this.error.message})` : '';
    this.status.classList.toggle('bad', !!this.error);
    if (!this.net) { this.body.replaceChildren(); return; }
    this.iterLabel.textContent = t('gc.after', { k: this.net.stepCount });
    let rows;
    try { rows = this.check(this.p.d); } catch (e) { this.status.textContent = `${t('core.other')} (${e.message})`; this.status.classList.add('bad'); return; }
    this.rows = rows;
    this.stage = Math.min(this.stage, rows.length - 1);
    const L = this.net.lossValue;   // the loss at the current parameters (set by gradcheck)
    // the table of all parameters
    const table = h('table', { class: 'tt gc' },
      h('thead', {}, h('tr', {}, ['gc.param', 'gc.value', 'gc.plus', 'gc.minus', 'gc.numeric', 'gc.analytic', 'gc.rel'].map(k => h('th', { scope: 'col' }, rich(t(k)))))),
      h('tbody', {}, rows.map((r, i) => h('tr', { 'data-stage': i, class: 'gcrow' },
        h('th', { scope: 'row' }, rich(`$${r.tex}$`)), h('td', {}, num(r.w, `w.${i}`)),
        h('td', {}, num(r.lossPlus, `plus.${i}`, { p: 7 })), h('td', {}, num(r.lossMinus, `minus.${i}`, { p: 7 })),
        h('td', {}, num(r.numeric, `num.${i}`, { p: 6 })), h('td', {}, num(r.analytic, `ana.${i}`, { p: 6 })),
        h('td', {}, num(r.relError, `rel.${i}`, { p: 3 }))))));
    this.tableBox.replaceChildren(h('h3', {}, t('gc.table', { d: String(this.p.d) })), h('div', { class: 'scroll-x' }, table));
    this.renderDetail(L);
    this.showStage();
  }
  renderDetail(L) {
    const t = this.t, r = this.rows[this.stage], d = this.p.d, s = this.stage;
    const num_ = `\\text{${t('gc.num')}}`, bp = '\\text{bp}';
    const rows = [
      { stage: s, sym: 'L', res: L, key: 'loss', label: t('gc.lossNow'), p: 7 },
      { stage: s, sym: `L(${r.tex} + d)`, sub: `L(${n(r.w)} + ${n(d)})`, res: r.lossPlus, key: 'cur.plus', p: 7 },
      { stage: s, sym: `L(${r.tex} - d)`, sub: `L(${n(r.w)} - ${n(d)})`, res: r.lossMinus, key: 'cur.minus', p: 7 },
      { stage: s, sym: `\\frac{\\partial L}{\\partial ${r.tex}} \\approx \\frac{L(${r.tex} + d) - L(${r.tex} - d)}{2d}`,
        sub: `\\frac{${n(r.lossPlus, false, 7)} - ${n(r.lossMinus, false, 7)}}{2 \\cdot ${n(d)}}`, res: r.numeric, key: 'cur.num', p: 6 },
      { stage: s, sym: `\\frac{\\partial L}{\\partial ${r.tex}}\\ \\text{${t('gc.bp')}}`, res: r.analytic, key: 'cur.ana', p: 6 },
      { stage: s, sym: `|${num_} - ${bp}|`, sub: `|${n(r.numeric, false, 6)} - ${n(r.analytic, true, 6)}|`, res: r.absError, key: 'cur.abs', p: 3 },
      { stage: s, sym: `\\frac{|${num_} - ${bp}|}{\\max(|${num_}|, |${bp}|)}`,
        sub: `\\frac{${n(r.absError, false, 3)}}{\\max(|${n(r.numeric, false, 6)}|, |${n(r.analytic, false, 6)}|)}`, res: r.relError, key: 'cur.rel', p: 3,
        note: r.numeric === 0 && r.analytic === 0 ? t('gc.zero') : r.lossPlus === r.lossMinus ? t('gc.same') : null },
    ];
    this.body.replaceChildren(fsec(s, t('gc.detail', { name: '' }), rows));
    this.body.querySelector('h3').append(rich(`$${r.tex}$`));
    this.exercise.decorate();
    // the sweep over d for this parameter: the core's relative error at each d
    const ys = SWEEP.map(dd => {
      const e = this.net.gradcheck(this.s.input, targetsOf(this.s), r.idx, dd).relError;
      return e > 0 ? e : null;   // log axis: an exact match (0) is left out
    });
    this.sweepCap.replaceChildren(rich(t('gc.sweep', { name: `$${r.tex}$` })));
    this.sweepPlot.setData([SWEEP, ys]);
    this.lossPlot.setData([this.losses.map((_, i) => i + 1), this.losses]);
  }
  showStage() {
    super.showStage();
    for (const tr of this.tableBox.querySelectorAll('tr.gcrow')) {
      tr.classList.remove('future');
      tr.classList.toggle('current', Number(tr.dataset.stage) === this.stage);
    }
  }
  next() { if (this.stage < Math.min(this.rows.length - 1, this.exercise.on ? this.exercise.stage : Infinity)) { this.stage++; this.update(); } }
  prev() { if (this.stage > 0) { this.stage--; this.update(); } }
  first() { this.stage = 0; this.update(); }
  last() { this.stage = Math.min(this.rows.length - 1, this.exercise.on ? this.exercise.stage : Infinity); this.update(); }
  destroy() { if (this.net) this.net.free(); this.sweepPlot?.destroy(); this.lossPlot?.destroy(); }
}
