// Panel 9: SGD, Momentum, Nesterov, AdaGrad, RMSprop and Adam on a 2-D loss surface (core.surface),
// side by side: each step's update formula with its numbers (VectorOptimizer state: m, v, m_hat,
// v_hat, step), the paths on a contour plot, f per iteration. The lecture's mistakes are noted.
import { Panel } from './netpanel.js';
import { Exercise } from './exercise.js';
import { h, fsec, numField, selField, checks, note, rich, Chart, plotSpec, autoCanvas } from './ui.js';
import { n, vec } from './tex.js';

const OPTS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];
// darker than the usual plot palette so that the names written in these colours keep 7:1 on white
// (axe color-contrast, and the projector view's color-contrast-enhanced)
const COLORS = { sgd: '#174a80', momentum: '#7a3300', nesterov: '#0f5a2c', adagrad: '#8f1c13', rmsprop: '#5b2590', adam: '#5a3c32' };
const NAMES = { sgd: 'SGD', momentum: 'Momentum', nesterov: 'Nesterov', adagrad: 'AdaGrad', rmsprop: 'RMSprop', adam: 'Adam' };
// per surface: the view, the start, the steps and each optimizer's settings
const SURF = {
  quadratic: { box: [-5, 5, -3, 3], start: [-4.5, 2], n: 60, min: [0, 0],
    o: { sgd: { lr: 0.15 }, momentum: { lr: 0.01, momentum: 0.9 }, nesterov: { lr: 0.01, momentum: 0.9 }, adagrad: { lr: 0.5 },
      rmsprop: { lr: 0.05, alpha: 0.99 }, adam: { lr: 0.3, beta1: 0.9, beta2: 0.999 } } },
  rosenbrock: { box: [-2, 2, -1, 3], start: [-1.2, 1], n: 300, min: [1, 1],
    o: { sgd: { lr: 0.002 }, momentum: { lr: 0.001, momentum: 0.9 }, nesterov: { lr: 0.001, momentum: 0.9 }, adagrad: { lr: 0.5 },
      rmsprop: { lr: 0.01, alpha: 0.99 }, adam: { lr: 0.3, beta1: 0.9, beta2: 0.999 } } },
  saddle: { box: [-2, 2, -2, 2], start: [-1.8, 0.05], n: 60, min: [0, 0],
    o: { sgd: { lr: 0.01 }, momentum: { lr: 0.001, momentum: 0.9 }, nesterov: { lr: 0.001, momentum: 0.9 }, adagrad: { lr: 0.1 },
      rmsprop: { lr: 0.01, alpha: 0.99 }, adam: { lr: 0.05, beta1: 0.9, beta2: 0.999 } } },
};
const G = 160;
const EX_STEPS = 3;      // "Check yourself": Adam's first three steps by hand

export default class Optimizers extends Panel {
  get id() { return 'optimizers'; }
  constructor(ctx) {
    super(ctx);
    this.surface = 'quadratic';
    this.reset();
    this.exercise = new Exercise(this, ctx.exercise || {});
  }
  /** The optimizers the cards show: Adam alone in the exercise. */
  get shown() { return OPTS.filter(o => this.paths[o] && (!this.exercise?.on || o === 'adam')); }
  exerciseSig() { return this.paths?.adam ? JSON.stringify([this.surface, this.p]) : null; }
  /** theta_{t-1} is given (the start, or the true value of the step before). */
  exerciseGiven(key) { return key.startsWith('adam.theta0'); }
  /** Adam without the bias correction at the open step, from the true parameters before it (the core's). */
  exerciseSteps() {
    const P = this.paths.adam.slice(0, this.stage + 1), q = this.p.o.adam;
    const r = this.core.adamSteps({ corrected: false, prev: P.map(x => x.th), grads: P.map(x => x.g), lr: q.lr, beta1: q.beta1, beta2: q.beta2,
      eps: this.core.tables.optimizerDefaults.adam.eps }).pop();
    const values = {};
    r.theta.forEach((v, i) => { values[`adam.theta.${i}`] = v; values[`adam.step.${i}`] = r.step[i]; });
    return { adam_no_bias: { values } };
  }
  /** The surface's course values; a drawn exercise (web/lib/exercise-draw.js) replaces the start and Adam's settings. */
  defaults() {
    const S = SURF[this.surface];
    return { start: S.start.slice(), n: S.n, o: structuredClone(S.o), on: Object.fromEntries(OPTS.map(o => [o, true])) };
  }
  reset() {
    this.p = this.exercise ? this.exercise.values() : this.defaults();     // (a drawn exercise stays drawn on another surface)
    this.grid = null;
  }
  render() {
    const t = this.t, p = this.p;
    const bar = this.makeStageBar('keys.simple');
    this.status = h('div', { class: 'status', role: 'status' });
    const big = checks.abs(t, 100);
    const ctl = h('div', { class: 'controls' },
      selField({ label: t('op.f.surface'), key: 'surface', value: this.surface, options: Object.keys(SURF).map(s => [s, t(`op.s.${s}`)]),
        onChange: v => { this.surface = v; this.reset(); this.render(); } }),
      numField({ label: '$x_0$', value: p.start[0], t, key: 'x0', check: big, width: 5, onValid: v => { p.start[0] = v; this.compute(); } }),
      numField({ label: '$y_0$', value: p.start[1], t, key: 'y0', check: big, width: 5, onValid: v => { p.start[1] = v; this.compute(); } }),
      numField({ label: t('f.n'), value: p.n, t, key: 'n', check: checks.int(t, 1, 5000), width: 5, onValid: v => { p.n = v; this.compute(); } }),
      ...OPTS.map(o => this.optFields(o)));
    this.cards = h('div', { class: 'opcards' });
    const plane = h('div', { class: 'planebox wide' }), lossBox = h('div', { class: 'plotbox' });
    this.legend = h('div', { class: 'legend' }, OPTS.map(o => h('span', {}, h('i', { style: `background:${COLORS[o]}` }), NAMES[o])));
    this.body = this.cards;
    this.root.replaceChildren(this.header(), ctl, bar, this.exercise.bar(), this.status,
      h('div', { class: 'cols wide-side op diag-first' },
        this.cards,
        h('aside', { class: 'side' },
          h('figure', { class: 'lossfig' }, h('figcaption', {}, rich(t(`op.cap.${this.surface}`))), plane, this.legend),
          h('figure', { class: 'lossfig' }, h('figcaption', {}, t('op.fplot')), lossBox))),
      h('div', { class: 'notes' }, note('fix', t('note.course'), rich(t('op.n.mom'))), note('fix', t('note.course'), rich(t('op.n.adam'))),
        note('fix', t('note.course'), rich(t('op.n.rms'))), note('note', t('op.n.eps'), rich(t('op.n.epsText')))));
    this.canvas?.destroy();
    this.canvas = autoCanvas(plane, (c, w, hh) => this.draw(c, w, hh), (SURF[this.surface].box[3] - SURF[this.surface].box[2]) / (SURF[this.surface].box[1] - SURF[this.surface].box[0]));
    this.fplot?.destroy();
    this.fplot = new Chart(lossBox, plotSpec({ xLabel: t('plot.iter'), intX: true, yLabel: 'f', log: this.surface !== 'saddle',
      series: OPTS.map(o => ({ label: NAMES[o], color: COLORS[o], width: 1.5, points: false })) }), { height: 170 });
    this.compute();
  }
  optFields(o) {
    const t = this.t, q = this.p.o[o];
    const f = (k, label, check) => numField({ label, value: q[k], t, key: `${o}.${k}`, check, width: 5, onValid: v => { q[k] = v; this.compute(); } });
    const box = h('input', { type: 'checkbox', checked: this.p.on[o], 'data-field': `${o}.on`, id: `on-${o}`,
      onchange: e => { this.p.on[o] = e.target.checked; this.compute(); } });
    return h('fieldset', { class: 'fgroup' }, h('legend', {}, h('label', { for: `on-${o}` }, box, ' ', h('span', { style: `color:${COLORS[o]};font-weight:600` }, NAMES[o]))),
      h('div', { class: 'matfield', style: '--cols:3' }, f('lr', '$\\eta$', checks.lr(t)),
        'momentum' in q ? f('momentum', '$\\gamma$', checks.unit(t)) : null,
        'alpha' in q ? f('alpha', '$\\alpha$', checks.unit(t)) : null,
        'beta1' in q ? f('beta1', '$\\beta_1$', checks.unit(t)) : null,
        'beta2' in q ? f('beta2', '$\\beta_2$', checks.unit(t)) : null));
  }
  /** Every optimizer's path: at each step the core's f and gradient, then the core's update and state. */
  compute() {
    const S = this.surface, p = this.p;
    this.paths = {}; this.error = null;
    const read = vo => Object.fromEntries(['m', 'v', 'm_hat', 'v_hat', 'step'].map(k => [k, Array.from(vo.state(k))]));
    for (const o of OPTS) {
      if (!p.on[o]) continue;
      const vo = this.core.createVectorOptimizer(2);
      const recs = [];
      try {
        vo.set({ name: o, ...p.o[o] });
        vo.params().set(p.start);
        let prev = read(vo);
        for (let i = 0; i < p.n; i++) {
          const th = Array.from(vo.params());
          const s = this.core.surface(S, th[0], th[1]);
          if (!Number.isFinite(s.f) || Math.abs(th[0]) > 1e6 || Math.abs(th[1]) > 1e6) break;
          vo.grads().set([s.gx, s.gy]);
          vo.step();
          const st = read(vo);
          recs.push({ th, f: s.f, g: [s.gx, s.gy], prev, ...st, next: Array.from(vo.params()) });
          prev = st;
        }
      } catch (e) { this.error = e; } finally { vo.free(); }
      this.paths[o] = recs;
    }
    const any = OPTS.find(o => this.paths[o]);
    this.len = any ? Math.max(...OPTS.filter(o => this.paths[o]).map(o => this.paths[o].length)) : 0;
    this.stage = Math.min(this.stage, Math.max(0, this.len - 1));
    const xs = Array.from({ length: this.len }, (_, i) => i + 1);
    this.fplot.setData([xs, ...OPTS.map(o => (this.paths[o] ? xs.map((_, i) => {
      const r = this.paths[o][i];
      return r && (this.surface === 'saddle' || r.f > 0) ? r.f : null;
    }) : xs.map(() => null)))]);
    this.status.textContent = this.error ? `${this.t('core.other')} (${this.error.message})` : '';
    this.status.classList.toggle('bad', !!this.error);
    this.update();
  }
  get stageNames() {
    const n = this.exercise?.on ? Math.min(EX_STEPS, this.len || 0) : this.len || 0;
    return Array.from({ length: n }, (_, i) => this.t('op.step', { t: i + 1 }));
  }
  update() {
    const t = this.t, k = this.stage, step = k + 1;
    this.cards.replaceChildren(...this.shown.map(o => {
      const r = this.paths[o][k];
      if (!r) return h('section', { class: 'fsec opcard' }, h('h3', { style: `color:${COLORS[o]}` }, NAMES[o]), h('p', { class: 'f-note' }, t('op.stopped')));
      return fsec(k, `${NAMES[o]} \u00b7 t = ${step}`, this.rows(o, r, step).map(x => ({ ...x, stage: k })));
    }));
    for (const s of this.cards.querySelectorAll('section')) s.classList.add('opcard');
    this.shown.forEach((o, i) => { const hh = this.cards.children[i].querySelector('h3'); if (hh) hh.style.color = COLORS[o]; });
    this.exercise.decorate();
    this.showStage();
    this.canvas.paint();
  }
  /** The update of optimizer o at step t with the core's numbers. */
  rows(o, r, t) {
    const q = this.p.o[o], g = vec(r.g), th = vec(r.th);
    const key = k => `${o}.${k}`;
    const rows = [
      { sym: '\\theta_{t-1}', sub: null, res: r.th, key: key('theta0') },
      { sym: 'g_t = \\nabla f(\\theta_{t-1})', res: r.g, key: key('g') },
    ];
    const upd = (symStep, subStep) => ({ sym: `\\theta_t = \\theta_{t-1} ${symStep}`, sub: `${th} ${subStep}`, res: r.next, key: key('theta') });
    switch (o) {
      case 'sgd':
        rows.push(upd('- \\eta\\, g_t', `- ${n(q.lr)}\\, ${g}`));
        break;
      case 'momentum':
        rows.push({ sym: 'v_t = \\gamma\\, v_{t-1} + \\eta\\, g_t', sub: `${n(q.momentum)}\\, ${vec(r.prev.m)} + ${n(q.lr)}\\, ${g}`, res: r.m, key: key('v') });
        rows.push(upd('- v_t', `- ${vec(r.m)}`));
        break;
      case 'nesterov':
        rows.push({ sym: 'b_t = \\mu\\, b_{t-1} + g_t', sub: `${n(q.momentum)}\\, ${vec(r.prev.m)} + ${g}`, res: r.m, key: key('b') });
        rows.push(upd('- \\eta\\,(g_t + \\mu\\, b_t)', `- ${n(q.lr)} \\left(${g} + ${n(q.momentum)}\\, ${vec(r.m)}\\right)`));
        break;
      case 'adagrad':
        rows.push({ sym: 'G_t = G_{t-1} + g_t^2', sub: `${vec(r.prev.v)} + ${g}^{2}`, res: r.v, key: key('G') });
        rows.push(upd('- \\frac{\\eta}{\\sqrt{G_t} + \\varepsilon}\\, g_t', `- \\frac{${n(q.lr)}}{\\sqrt{${vec(r.v)}} + 10^{-10}}\\, ${g}`));
        break;
      case 'rmsprop':
        rows.push({ sym: 'E_t = \\alpha\\, E_{t-1} + (1 - \\alpha)\\, g_t^2', sub: `${n(q.alpha)}\\, ${vec(r.prev.v)} + (1 - ${n(q.alpha)})\\, ${g}^{2}`, res: r.v, key: key('E') });
        rows.push(upd('- \\frac{\\eta}{\\sqrt{E_t} + \\varepsilon}\\, g_t', `- \\frac{${n(q.lr)}}{\\sqrt{${vec(r.v)}} + 10^{-8}}\\, ${g}`));
        break;
      case 'adam':
        rows.push({ sym: 'm_t = \\beta_1 m_{t-1} + (1 - \\beta_1)\\, g_t', sub: `${n(q.beta1)}\\, ${vec(r.prev.m)} + (1 - ${n(q.beta1)})\\, ${g}`, res: r.m, key: key('m') });
        rows.push({ sym: 'v_t = \\beta_2 v_{t-1} + (1 - \\beta_2)\\, g_t^2', sub: `${n(q.beta2)}\\, ${vec(r.prev.v)} + (1 - ${n(q.beta2)})\\, ${g}^{2}`, res: r.v, key: key('v') });
        rows.push({ sym: '\\hat m_t = \\frac{m_t}{1 - \\beta_1^{\\,t}}', sub: `\\frac{${vec(r.m)}}{1 - ${n(q.beta1)}^{${t}}}`, res: r.m_hat, key: key('m_hat') });
        rows.push({ sym: '\\hat v_t = \\frac{v_t}{1 - \\beta_2^{\\,t}}', sub: `\\frac{${vec(r.v)}}{1 - ${n(q.beta2)}^{${t}}}`, res: r.v_hat, key: key('v_hat') });
        rows.push(upd('- \\eta\\, \\frac{\\hat m_t}{\\sqrt{\\hat v_t} + \\varepsilon}', `- ${n(q.lr)}\\, \\frac{${vec(r.m_hat)}}{\\sqrt{${vec(r.v_hat)}} + 10^{-8}}`));
        break;
      default:
    }
    rows.push({ sym: '\\Delta\\theta_t = \\theta_t - \\theta_{t-1}', res: r.step, key: key('step') });
    rows.push({ sym: 'f(\\theta_{t-1})', res: r.f, key: key('f') });
    return rows;
  }
  /** The contour plot: f on a grid from the core, banded; the paths up to the current step. */
  draw(c, w, hh) {
    const S = SURF[this.surface], [x0, x1, y0, y1] = S.box;
    if (!this.grid || this.grid.kind !== this.surface) {
      const f = new Float64Array(G * G);
      for (let r = 0; r < G; r++) for (let k = 0; k < G; k++) f[r * G + k] = this.core.surface(this.surface, x0 + (x1 - x0) * (k + 0.5) / G, y1 - (y1 - y0) * (r + 0.5) / G).f;
      this.grid = { kind: this.surface, f };
    }
    // colour levels: log-spaced above the minimum (linear for the saddle); layout only
    const f = this.grid.f;
    let lo = Infinity, hi = -Infinity;
    for (const v of f) { if (v < lo) lo = v; if (v > hi) hi = v; }
    const level = v => (this.surface === 'saddle' ? (v - lo) / (hi - lo) : Math.log1p(v - lo) / Math.log1p(hi - lo));
    const bands = 14, cw = w / G, ch = hh / G;
    const band = new Int16Array(G * G);
    for (let i = 0; i < G * G; i++) band[i] = Math.min(bands - 1, Math.floor(level(f[i]) * bands));
    for (let r = 0; r < G; r++) for (let k = 0; k < G; k++) {
      const b = band[r * G + k] / (bands - 1);
      c.fillStyle = `hsl(${210 - 170 * b}, 60%, ${93 - 20 * b}%)`;
      c.fillRect(k * cw, r * ch, cw + 0.6, ch + 0.6);
    }
    c.fillStyle = 'rgba(40, 50, 60, 0.45)';
    for (let r = 0; r < G; r++) for (let k = 0; k < G; k++) {
      if (k + 1 < G && band[r * G + k] !== band[r * G + k + 1]) c.fillRect((k + 1) * cw - 0.5, r * ch, 1, ch + 0.6);
      if (r + 1 < G && band[r * G + k] !== band[(r + 1) * G + k]) c.fillRect(k * cw, (r + 1) * ch - 0.5, cw + 0.6, 1);
    }
    const px = x => (x - x0) / (x1 - x0) * w, py = y => (y1 - y) / (y1 - y0) * hh;
    // the minimum (or the saddle point)
    c.strokeStyle = '#000'; c.lineWidth = 2;
    c.beginPath(); c.moveTo(px(S.min[0]) - 6, py(S.min[1]) - 6); c.lineTo(px(S.min[0]) + 6, py(S.min[1]) + 6);
    c.moveTo(px(S.min[0]) + 6, py(S.min[1]) - 6); c.lineTo(px(S.min[0]) - 6, py(S.min[1]) + 6); c.stroke();
    for (const o of OPTS) {
      const P = this.paths?.[o];
      if (!P || !P.length) continue;
      c.strokeStyle = COLORS[o]; c.lineWidth = 2; c.beginPath();
      c.moveTo(px(P[0].th[0]), py(P[0].th[1]));
      const last = Math.min(this.stage, P.length - 1);
      for (let i = 0; i <= last; i++) c.lineTo(px(P[i].next[0]), py(P[i].next[1]));
      c.stroke();
      const e = P[last].next;
      c.fillStyle = COLORS[o]; c.beginPath(); c.arc(px(e[0]), py(e[1]), 5, 0, 2 * Math.PI); c.fill();
      c.strokeStyle = '#fff'; c.lineWidth = 1.5; c.stroke();
    }
    c.fillStyle = '#000'; c.beginPath(); c.arc(px(this.p.start[0]), py(this.p.start[1]), 4, 0, 2 * Math.PI); c.fill();
  }
  next() { if (this.stage < Math.min(this.len - 1, this.exercise.on ? this.exercise.stage : Infinity)) { this.stage++; this.update(); } }
  prev() { if (this.stage > 0) { this.stage--; this.update(); } }
  first() { this.stage = 0; this.update(); }
  last() { this.stage = Math.max(0, Math.min(this.len - 1, this.exercise.on ? this.exercise.stage : Infinity)); this.update(); }
  destroy() { this.canvas?.destroy(); this.fplot?.destroy(); }
}
