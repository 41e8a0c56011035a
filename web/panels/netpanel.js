// netpanel.js - what the panels on a toy network share: the network built by the core from a spec
// (web/spec.js), one traced step per iteration (forward, backward, update), the history of traces,
// stepping through the stages with the keyboard or buttons, "run N iterations" with the loss plot.
import { buildNet, targetsOf } from '../lib/spec.js';
import { h, applyStage, numField, checks, Chart, plotSpec, rich } from './ui.js';
import { codeButton } from '../ui/code-dialog.js';
import { Exercise } from './exercise.js';
import { EXERCISE_MISTAKES } from '../lib/exercise-mistakes.js';

const HISTORY = 300;

/** The stage bar: ◀ ▶ buttons, "stage k / K: name", the keys. Used by every panel. */
export function stageBar(t, { onPrev, onNext, keys = 'keys' }) {
  const label = h('span', { class: 'stage-label', 'aria-live': 'polite', 'data-testid': 'stage-label' });
  const bar = h('div', { class: 'stagebar', id: 'stagebar', tabindex: -1, role: 'group', 'aria-label': t('stage.group') },
    h('button', { type: 'button', class: 'btn', onclick: onPrev, 'data-testid': 'prev', title: t('key.prev'), 'aria-keyshortcuts': 'ArrowLeft' }, '\u25c0 ', t('btn.prev')),
    label,
    h('button', { type: 'button', class: 'btn', onclick: onNext, 'data-testid': 'next', title: t('key.next'), 'aria-keyshortcuts': 'ArrowRight' }, t('btn.next'), ' \u25b6'),
    h('span', { class: 'keys' }, t(keys)));
  return { bar, label };
}

export class Panel {
  constructor(ctx) {
    this.ctx = ctx;
    this.t = ctx.t;
    this.core = ctx.core;
    this.stage = 0;
  }
  get stageNames() { return []; }
  mount(root) { this.root = root; this.render(); }
  /** Builds the whole panel (again after a language switch). */
  render() {}
  /** Shows the current stage. */
  showStage() {
    const names = this.stageNames;
    if (this.stageLabel) this.stageLabel.textContent = this.t('stage.of', { k: this.stage + 1, n: names.length, name: names[this.stage] || '' });
    if (this.body) applyStage(this.body, this.stage);
    this.onStage?.();
  }
  next() { if (this.stage < this.stageNames.length - 1) { this.stage++; this.showStage(); } }
  prev() { if (this.stage > 0) { this.stage--; this.showStage(); } }
  first() { this.stage = 0; this.showStage(); }
  last() { this.stage = this.stageNames.length - 1; this.showStage(); }
  destroy() {}
  /** Scrolls the current stage into view (after a key or button press, not on the first render). */
  reveal() {
    const el = this.root?.querySelector('.fsec.current, .frow.current');
    if (el && el.getBoundingClientRect) el.scrollIntoView({ block: 'nearest' });
  }
  /**
   * The stage bar wired to this panel: previous / next step through the stages and scroll the current
   * one into view; its label becomes this.stageLabel. keys: the string key of the keyboard hint.
   */
  makeStageBar(keys = 'keys') {
    const { bar, label } = stageBar(this.t, { keys, onPrev: () => { this.prev(); this.reveal(); }, onNext: () => { this.next(); this.reveal(); } });
    this.stageLabel = label;
    return bar;
  }
  lrField() {
    const t = this.t;
    return numField({ label: '$\\eta$', title: t('f.lr'), value: this.p.lr, check: checks.lr(t), t, key: 'lr', onValid: v => this.set('lr', v) });
  }
  /** Applies an edited value and recomputes at once. */
  set(path, v) {
    const keys = path.split('.');
    let o = this.p;
    while (keys.length > 1) o = o[keys.shift()];
    o[keys[0]] = v;
    this.changed();
  }
  changed() {}
  header() {
    const t = this.t;
    // "Open in PyTorch" (pytorch.js, loaded on first use): panels with a network spec, and three with a generator of their own
    const code = typeof this.spec === 'function' || ['optimizers', 'losses', 'perceptron'].includes(this.id)
      ? codeButton(this.ctx.lang, () => import('./pytorch.js').then(m => m.openPanelScript(this)), { 'data-testid': 'pytorch' }) : null;
    return h('header', { class: 'phead' }, h('div', { class: 'phead-top' }, h('h2', {}, t(`${this.id}.title`)), code),
      h('p', { class: 'intro' }, rich(t(`${this.id}.intro`))));
  }
}

/**
 * A panel on a toy network. Subclasses give: id, defaults(), spec() (a network spec from this.p),
 * controls() (field elements), stageNames, sections(entry) (formula sections), and optionally
 * extra(trace) (more core values after the step), aside(entry), notes(), highlight(ids).
 */
export class NetPanel extends Panel {
  constructor(ctx) {
    super(ctx);
    this.p = this.defaults();
    // "Check yourself" (exercise.js) on the panels with an exercise; ctx.exercise: {on, seed} from the URL
    if (this.id in EXERCISE_MISTAKES) this.exercise = new Exercise(this, ctx.exercise || {});
    this.history = [];
    this.hi = 0;
    this.losses = [];
    this.runN = 50;
  }
  extra() { return null; }
  notes() { return []; }
  aside() { return null; }
  /** Recomputes after an edit made in place. */
  changed() { this.rebuild(); this.update(); }
  render() {
    const t = this.t;
    const bar = this.makeStageBar();
    this.iterLabel = h('span', { class: 'iter-label', 'data-testid': 'iter-label' });
    this.status = h('div', { class: 'status', role: 'status', 'data-testid': 'status' });
    const nField = numField({ label: t('f.n'), value: this.runN, t, key: 'runN', width: 5,
      check: checks.int(t, 1, 20000), onValid: v => { this.runN = v; } });
    const runs = h('div', { class: 'runbar', role: 'group', 'aria-label': t('iter.group') },
      this.iterLabel,
      h('button', { type: 'button', class: 'btn', onclick: () => this.prevIter(), 'data-testid': 'prev-iter' }, t('btn.prevIter')),
      h('button', { type: 'button', class: 'btn', onclick: () => this.nextIter(), 'data-testid': 'next-iter' }, t('btn.nextIter')),
      nField,
      h('button', { type: 'button', class: 'btn primary', onclick: () => this.run(this.runN), 'data-testid': 'run' }, t('btn.run')),
      h('button', { type: 'button', class: 'btn', onclick: () => { this.rebuild(); this.update(); }, 'data-testid': 'reset' }, t('btn.reset')));
    this.body = h('div', { class: 'formulas', 'data-testid': 'formulas' });
    this.body.addEventListener('touch', e => this.highlight?.(e.detail || this.stageTouch()));
    this.asideEl = h('div', { class: 'aside-dyn' });
    const plotBox = h('div', { class: 'plotbox' });
    const side = h('aside', { class: 'side' }, this.asideTop ? null : this.asideEl,
      h('figure', { class: 'lossfig' }, h('figcaption', {}, t('plot.loss')), plotBox));
    const top = this.asideTop ? h('div', { class: 'topfig' }, this.asideEl) : null;
    this.root.replaceChildren(...[
      this.header(),
      h('div', { class: 'controls' }, this.controls()),
      runs, top, bar, this.exercise ? this.exercise.bar() : null, this.status,
      h('div', { class: this.diagFirst ? 'cols diag-first' : 'cols' }, this.body, side),
      h('div', { class: 'notes' }, this.notes())].filter(Boolean));
    if (this.plot) this.plot.destroy();
    this.plot = new Chart(plotBox, plotSpec({ xLabel: t('plot.iter'), intX: true, yLabel: t('plot.lossAxis'), series: [{ label: 'L', color: '#c0392b' }] }), { height: 180 });
    this.sideFigure?.(side);
    if (!this.net && !this.error) this.rebuild();   // a language switch keeps the network and its history
    this.update();
  }
  rebuild() {
    if (this.net) { this.net.free(); this.net = null; }
    this.history = []; this.hi = 0; this.losses = []; this.tracked = []; this.error = null;
    try {
      const { net, spec } = buildNet(this.core, this.spec());
      this.net = net; this.s = spec;
      net.setTrace(true);
      this.advance(1);
    } catch (e) { this.error = e; }
  }
  /** n training steps by the core; the trace of the last one goes into the history. */
  advance(n) {
    if (!this.net) return;
    try {
      for (let i = 0; i < n; i++) {
        this.net.forward(this.s.input);
        this.losses.push(this.net.backward(targetsOf(this.s)));
        if (this.track) this.tracked.push(this.track());
        this.net.update();
      }
    } catch (e) {
      // the last step did not finish (e.g. DIVERGED): its buffers are half new, so no trace of it
      this.error = e;
      return;
    }
    const trace = this.net.trace();
    if (trace.step === 0 || (this.history.length && this.history[this.history.length - 1].trace.step === trace.step)) return;
    this.history.push({ trace, extra: this.extra(trace) });
    if (this.history.length > HISTORY) this.history.shift();
    this.hi = this.history.length - 1;
  }
  get entry() { return this.history[this.hi]; }
  nextIter() { if (this.hi < this.history.length - 1) this.hi++; else this.advance(1); this.update(); }
  prevIter() { if (this.hi > 0) { this.hi--; this.update(); } }
  run(n) { this.advance(n); this.update(); }
  next() {
    if (this.exercise?.on) { if (this.stage < Math.min(this.exercise.stage, this.stageNames.length - 1)) { this.stage++; this.showStage(); } return; }
    if (this.stage < this.stageNames.length - 1) { this.stage++; this.showStage(); return; }
    this.stage = 0; this.nextIter();
  }
  prev() {
    if (this.stage > 0) { this.stage--; this.showStage(); return; }
    if (this.exercise?.on) return;
    if (this.hi > 0) { this.hi--; this.stage = this.stageNames.length - 1; this.update(); }
  }
  errorText(e) {
    const t = this.t;
    const known = ['DIVERGED', 'ENOGRAD', 'EINVAL', 'SPEC'];
    return `${t(`core.${known.includes(e.code) ? e.code : 'other'}`)} (${e.message})`;
  }
  update() {
    const t = this.t;
    this.status.textContent = this.error ? this.errorText(this.error) : '';
    this.status.classList.toggle('bad', !!this.error);
    const e = this.entry;
    if (!e) { this.body.replaceChildren(); this.asideEl.replaceChildren(); this.plot.setData([[], []]); this.iterLabel.textContent = ''; this.showStage(); return; }
    this.iterLabel.textContent = t('iter.of', { k: e.trace.step });
    this.iterLabel.dataset.iter = e.trace.step;
    this.body.replaceChildren(...this.sections(e));
    this.exercise?.decorate();
    const a = this.aside(e);
    this.asideEl.replaceChildren(...(a ? [].concat(a) : []));
    this.plot.setData([this.losses.map((_, i) => i + 1), this.losses]);
    this.updateFigure?.();
    this.showStage();
  }
  onStage() { this.highlight?.(this.stageTouch()); }
  /** The exercise (exercise.js) is about this step of these values. */
  exerciseSig() { return this.entry ? JSON.stringify([this.entry.trace.step, this.p]) : null; }
  /** The step under every classic mistake, by the core (src/mistakes.c). */
  exerciseSteps() {
    const e = this.entry, s = this.s, steps = {};
    if (!e || !s) return steps;
    const net = { sizes: s.sizes, activations: s.activations, loss: s.loss, lr: s.optimizer.lr, updateBiases: s.updateBiases };
    for (const m of this.core.tables.mistake) if (m !== 'none') steps[m] = this.core.mistakeStep(m, net, e.trace);
    return steps;
  }
  /** The ids the current stage's rows touch (for the diagram). */
  stageTouch() {
    const ids = new Set();
    for (const r of this.body.querySelectorAll(`.frow[data-stage="${this.stage}"]`))
      for (const id of (r.getAttribute('data-touch') || '').split(' ')) if (id) ids.add(id);
    return [...ids];
  }
  destroy() { if (this.net) this.net.free(); this.net = null; if (this.plot) this.plot.destroy(); this.plot = null; }
}
