// exercise.js - "Check yourself" on a panel (issue #14): the results of the formula rows become
// labelled fields; the student types them stage by stage and checks each stage (the button or Enter).
// A right value is marked (a sign and words, not colour only); when every value of a stage is right
// the next stage opens and the earlier stages show their TRUE values, so one slip does not spoil the
// rest. A wrong value is compared with the values of the classic mistakes (computed by the core:
// core.mistakeStep, src/mistakes.c) and the matching one is named with a hint. "Show answers" fills a
// stage in (a hint). The rule for a right value is web/lib/answer-check.js's; the table of mistakes
// web/lib/exercise-mistakes.js's; drawn exercises web/lib/exercise-draw.js's; the results go to the
// page's progress store (web/ui/progress.js), which the index's checklist and the course reports read.
import { h, spoken } from './ui.js';
import { checkAnswer } from '../lib/answer-check.js';
import { candidates, diagnose } from '../lib/exercise-mistakes.js';
import { drawExercise, DRAW_PANELS } from '../lib/exercise-draw.js';
import { progress } from '../ui/progress.js';

let seq = 0;
const now = () => Date.now();

/** The quantity a number stands for, in words: the row's left-hand side, and the entry of a vector or matrix. */
function quantity(row, el, key) {
  const lhs = (row.dataset.sym || '').split(/=|\\leftarrow/)[0];
  const base = row.dataset.row || key;
  const idx = key.startsWith(`${base}.`) ? key.slice(base.length + 1).split('.').map(i => Number(i) + 1) : [];
  return `${spoken(lhs)}${idx.length ? ` (${idx.join(', ')})` : ''}`.trim();
}

export class Exercise {
  /**
   * panel: a panel with formula rows in panel.body, stageNames, update(), render(), and for the exercise
   * exerciseSig() (what the exercise is about: a change starts a new one; null: nothing to check yet),
   * exerciseSteps() ({mistake: a step shaped for web/lib/exercise-mistakes.js valueAt}, by the core) and
   * optionally exerciseGiven(key) (a value the stage gives, not asked). opts: {on, seed} from the URL.
   */
  constructor(panel, { on = false, seed = null } = {}) {
    this.panel = panel;
    this.on = on;
    this.seed = DRAW_PANELS.includes(panel.id) ? seed : null;     // a panel without drawn exercises keeps its example
    if (this.seed != null) panel.p = this.values();
    this.reset();
    globalThis.addEventListener?.('pagehide', () => this.leave());     // (a panel built in Node for its PyTorch script has no window)
  }
  /** The panel's values for this exercise: the course's example, or the one drawn from the seed. */
  values() { return this.seed == null ? this.panel.defaults() : drawExercise(this.panel.id, this.seed, this.panel.defaults()); }
  get t() { return this.panel.t; }
  get comma() { return this.panel.ctx.lang === 'ru'; }
  reset() {
    this.stage = 0; this.typed = new Map(); this.marks = new Map(); this.stages = []; this.hints = 0; this.skipped = new Set();
    this.t0 = null; this.finished = false; this.sig = null; this.steps = null; this.msg = '';
  }
  /** Records a part-done exercise (some stage checked, not finished); the store keeps the better result. */
  leave() {
    if (!this.finished && this.stages.some(s => s && s.checks)) this.record(false);
  }
  record(finished) {
    const n = this.panel.stageNames.length - this.skipped.size;     // the stages that ask for values
    const firstTry = this.stages.filter(s => s && s.firstTry).length;
    const seconds = this.t0 == null ? 0 : (now() - this.t0) / 1000;
    this.result = { panel: this.panel.id, seed: this.seed, stages: n, firstTry, hints: this.hints, seconds, finished };
    try { progress().record(this.result); } catch (e) { console.warn(e.message); }
  }
  /** The bar under the stage bar: the toggle and, while on, check / show / new / course example. */
  bar() {
    const t = this.t;
    const btn = (label, onclick, testid, extra = {}) => h('button', { type: 'button', class: 'btn', onclick, 'data-testid': testid, ...extra }, label);
    this.statusEl = h('p', { class: 'ex-status', role: 'status', 'aria-live': 'polite', 'data-testid': 'ex-status' }, this.on ? this.msg || this.introText() : '');
    const seedText = this.seed == null ? t('ex.courseEx') : t('ex.seed', { seed: this.seed });
    return h('div', { class: 'exbar', role: 'group', 'aria-label': t('ex.group'), 'data-testid': 'exbar' },
      btn(t('ex.toggle'), () => this.toggle(), 'ex-toggle', { 'aria-pressed': String(this.on), title: t('ex.toggleHelp'), class: `btn${this.on ? ' primary' : ''}` }),
      this.on ? [
        btn(t('ex.check'), () => this.check(), 'ex-check', { 'aria-keyshortcuts': 'Enter' }),
        btn(t('ex.show'), () => this.show(), 'ex-show'),
        DRAW_PANELS.includes(this.panel.id) ? btn(t('ex.new'), () => this.newExercise(), 'ex-new') : null,
        this.seed != null ? btn(t('ex.course'), () => this.newExercise(null), 'ex-course') : null,
        h('span', { class: 'ex-which', 'data-testid': 'ex-which' }, seedText),
      ] : null,
      this.statusEl);
  }
  introText() {
    const names = this.panel.stageNames;
    return this.finished ? this.doneText() : this.t('ex.intro', { k: this.stage + 1, name: names[this.stage] || '' });
  }
  doneText() {
    const r = this.result;
    return this.t('ex.done', { f: r.firstTry, n: r.stages, h: r.hints, s: Math.round(r.seconds) });
  }
  toggle() {
    if (this.on) this.leave();
    this.on = !this.on;
    this.reset();
    this.panel.stage = 0;
    this.syncUrl();
    this.panel.render();
    this.panel.root.querySelector('[data-testid="ex-toggle"]')?.focus();
  }
  /** seed: a number (a drawn exercise), null (the course example), undefined: the next seed. */
  newExercise(seed) {
    this.leave();
    this.seed = seed === undefined ? ((this.seed ?? 0) + 1 + Math.floor(Math.random() * 9999)) : seed;
    this.panel.p = this.values();
    this.reset();
    this.panel.stage = 0;
    this.syncUrl();
    this.panel.rebuild?.();     // (the panels on a network build it again; the others compute in render)
    this.panel.render();
    this.firstField()?.focus();
  }
  syncUrl() {
    const q = new URLSearchParams(location.search);
    if (this.on) q.set('ex', '1'); else q.delete('ex');
    if (this.seed != null) q.set('seed', String(this.seed)); else q.delete('seed');
    history.replaceState(null, '', `?${q}`);
  }
  /** The classic mistakes' values for the open stage, by the core (the panel's exerciseSteps(), cached). */
  mistakeSteps() {
    const at = `${this.sig}|${this.stage}`;
    if (this.steps && this.stepsAt === at) return this.steps;
    this.stepsAt = at;
    this.steps = this.panel.exerciseSteps();
    return this.steps;
  }
  /** After the panel drew its formulas: the fields, the marks, the stage. */
  decorate() {
    const p = this.panel, root = p.root;
    root.classList.toggle('exercising', this.on);
    const sig = this.on ? p.exerciseSig() : null;
    if (sig == null) return;
    if (this.sig && sig !== this.sig) { this.leave(); this.reset(); }
    this.sig = sig;
    // a stage without a value to find (a table to read, a summary) opens by itself and is not counted
    const asks = st => [...p.body.querySelectorAll(`.frow[data-stage="${st}"] .f-res [data-key]`)]
      .some(el => !p.exerciseGiven?.(el.dataset.key) && Number.isFinite(Number(el.getAttribute('value'))));
    while (!this.finished && this.stage < p.stageNames.length && !asks(this.stage)) { this.skipped.add(this.stage); this.stage++; }
    if (this.stage >= p.stageNames.length && !this.finished) {
      this.stage = p.stageNames.length - 1;
      this.finished = true;
      this.record(true);
      this.msg = this.doneText();
      if (this.statusEl) this.statusEl.textContent = this.msg;
    }
    // the intro names the open stage once the panel knows its stages (the optimizers' steps come after
    // the bar is built) and after the stages without a value to find were passed
    if (!this.msg && this.statusEl) this.statusEl.textContent = this.introText();
    const t = this.t, names = p.stageNames;
    for (const row of p.body.querySelectorAll('.frow[data-stage]')) {
      const s = Number(row.dataset.stage);
      const open = s >= this.stage && !this.finished;
      const sub = row.querySelector('.f-sub');
      if (sub) sub.hidden = open;                 // the numbers put in would give the answers away
      for (const el of row.querySelectorAll('.f-res [data-key]')) {
        // marks and typed text by stage and key (the optimizers' stages are steps with the same keys)
        const key = el.dataset.key, truth = Number(el.getAttribute('value')), id = `${s}:${key}`, mark = this.marks.get(id);
        const mid = `exm${++seq}`;
        const markEl = h('span', { class: `exmark ${mark ? mark.kind : ''}`.trim(), id: mid, 'data-testid': 'ex-mark', 'data-key': key }, mark ? this.markText(mark) : '');
        if (!open || p.exerciseGiven?.(key) || !Number.isFinite(truth) || (mark && (mark.kind === 'right' || mark.kind === 'shown'))) { if (mark) el.after(markEl); continue; }
        const input = h('input', { type: 'text', class: 'exin', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', size: 9,
          'data-ex': key, 'data-truth': String(truth), 'data-stage': String(s), 'aria-describedby': mid,
          'aria-invalid': mark ? 'true' : 'false',
          'aria-label': t('ex.field', { q: quantity(row, el, key), k: s + 1, name: names[s] }), value: this.typed.get(id) || '' });
        input.addEventListener('input', () => { this.typed.set(id, input.value); if (this.t0 == null) this.t0 = now(); });
        input.addEventListener('keydown', ev => { if (ev.key === 'Enter') { ev.preventDefault(); this.check(); } });
        el.replaceWith(h('span', { class: 'exfield' }, input, markEl));
      }
    }
    p.stage = this.finished ? names.length - 1 : this.stage;
  }
  markText(m) {
    const t = this.t;
    if (m.kind === 'right') return t('ex.right', { d: m.digits });
    if (m.kind === 'shown') return t('ex.shown');
    if (m.kind === 'nan') return t(m.reason === 'empty' ? 'ex.empty' : 'ex.nan');
    const base = t('ex.wrong', { d: m.digits });
    return m.diag.length ? `${base} ${m.diag.map(d => t('ex.looks', { m: t(`ex.m.${d}`), hint: t(`ex.h.${d}`) })).join(' ')}` : base;
  }
  fields() { return [...this.panel.body.querySelectorAll(`input.exin[data-stage="${this.stage}"]`)]; }
  firstField() { return this.fields()[0] || null; }
  /** Checks the open stage. */
  check() {
    if (!this.on || this.finished) return;
    const inputs = this.fields();
    const st = this.stages[this.stage] || (this.stages[this.stage] = { checks: 0 });
    st.checks++;
    if (this.t0 == null) this.t0 = now();
    let right = 0;
    const steps = inputs.length ? this.mistakeSteps() : {};
    for (const inp of inputs) {
      const key = inp.dataset.ex, id = `${this.stage}:${key}`, truth = Number(inp.dataset.truth), text = inp.value;
      const r = checkAnswer(text, truth, { comma: this.comma });
      if (!r.ok) { this.marks.set(id, { kind: 'nan', reason: r.reason }); continue; }
      if (r.right) { right++; this.marks.set(id, { kind: 'right', digits: r.digits }); continue; }
      const diag = diagnose(text, candidates(this.panel.id, key, truth, steps), { comma: this.comma });
      if (diag.length) this.hints++;
      this.marks.set(id, { kind: 'wrong', digits: r.digits, diag });
    }
    if (right === inputs.length) {
      st.firstTry = st.checks === 1;
      this.advance(this.t('ex.stageOk', { k: this.stage + 1 }));
    } else {
      this.msg = this.t('ex.stageBad', { r: right, n: inputs.length });
      this.redraw();
      this.panel.body.querySelector('input.exin[aria-invalid="true"]')?.focus();
    }
  }
  /** Shows the open stage's answers (counts as a hint) and opens the next stage. */
  show() {
    if (!this.on || this.finished) return;
    const st = this.stages[this.stage] || (this.stages[this.stage] = { checks: 0 });
    st.checks++; st.firstTry = false;
    for (const inp of this.fields()) {
      const id = `${this.stage}:${inp.dataset.ex}`, m = this.marks.get(id);
      if (!m || m.kind !== 'right') this.marks.set(id, { kind: 'shown' });
    }
    this.hints++;
    if (this.t0 == null) this.t0 = now();
    this.advance(this.t('ex.stageShown', { k: this.stage + 1 }));
  }
  advance(text) {
    const names = this.panel.stageNames;
    if (this.stage + 1 >= names.length) {
      this.finished = true;
      this.record(true);
      this.msg = `${text} ${this.doneText()}`;
    } else {
      this.stage++;
      this.panel.stage = this.stage;
      this.msg = `${text} ${this.t('ex.intro', { k: this.stage + 1, name: names[this.stage] })}`;
    }
    this.redraw();
    (this.firstField() || this.panel.root.querySelector('[data-testid="ex-check"]'))?.focus();
  }
  redraw() {
    this.panel.update();
    if (this.statusEl) this.statusEl.textContent = this.msg;
  }
}
