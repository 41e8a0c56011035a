// Panel 8: loss functions compared on the slides' 3-class example (model 1 vs model 2): classification
// error, squared error (with 1/2, without it as in McCaffrey's source of the example, and PyTorch's
// MSELoss) and cross-entropy, computed by the core (core.lossValues), and what the slides got wrong
// (their squared-error figures; tests/fixtures/slides_losses.json).
import { Panel } from './netpanel.js';
import { h, fsec, matField, selField, checks, note, rich, num } from './ui.js';
import { n, np } from './tex.js';
import { argmax } from '../lib/format.js';
import { Exercise } from './exercise.js';

const TRUTH = [2, 1, 0];   // pig [0, 0, 1], dog [0, 1, 0], cat [1, 0, 0]
const SLIDES = { se: ['0.38', '0.08'], ce: ['1.38', '0.64'], cls: ['1/3', '1/3'] };

export default class Losses extends Panel {
  get id() { return 'losses'; }
  constructor(ctx) {
    super(ctx);
    this.p = this.defaults();
    this.exercise = new Exercise(this, ctx.exercise || {});
  }
  /** The slides' example (the values "New exercise" replaces: web/lib/exercise-draw.js). */
  defaults() { return { models: structuredClone(Losses.defaultModels), truth: TRUTH.slice() }; }
  exerciseSig() { return JSON.stringify(this.p); }
  /** The summary repeats the stages' values; the classification error is a count read off the table. */
  exerciseGiven(key) { return key.startsWith('sum.') || key.endsWith('.cls'); }
  /** The losses of both models with the 1/2 or the 1/B forgotten, by the core (src/mistakes.c). */
  exerciseSteps() {
    const T = this.targets(), steps = {};
    for (const mistake of ['no_half', 'no_mean']) {
      const values = {};
      this.p.models.forEach((Y, m) => {
        for (const loss of ['half_sse', 'sse', 'mse', 'cross_entropy']) {
          const r = this.core.lossMistake(mistake, loss, Y, T), k = { half_sse: 'se', sse: 'sse', mse: 'mse', cross_entropy: 'ce' }[loss];
          values[`m${m + 1}.${k}.mean`] = r.mean;
          r.rows.forEach((v, i) => { values[`m${m + 1}.${k}.rows.${i}`] = v; });
        }
      });
      steps[mistake] = { values };
    }
    return steps;
  }
  get stageNames() { const t = this.t; return [t('ls.st.table'), t('ls.st.cls'), t('ls.st.se'), t('ls.st.ce'), t('ls.st.sum')]; }
  targets() { return this.p.truth.map(c => [0, 1, 2].map(k => (k === c ? 1 : 0))); }
  className(c) { return this.t(`ls.class${c}`); }
  render() {
    const t = this.t, p = this.p;
    const bar = this.makeStageBar('keys.simple');
    this.status = h('div', { class: 'status', role: 'status' });
    const controls = [0, 1].map(m => matField({ title: t('ls.f.model', { m: m + 1 }), values: p.models[m], t, key: `m${m + 1}`,
      label: (r, c) => `y^{(${r + 1})}_{${c + 1}}`, check: checks.prob(t), onValid: (r, c, v) => { p.models[m][r][c] = v; this.update(); } }));
    const truth = h('fieldset', { class: 'fgroup' }, h('legend', {}, t('ls.f.truth')),
      h('div', { class: 'matfield', style: '--cols:3' }, p.truth.map((c, r) => selField({ label: `$t^{(${r + 1})}$`, key: `truth.${r}`, value: c,
        options: [0, 1, 2].map(k => [k, this.className(k)]), onChange: v => { p.truth[r] = Number(v); this.update(); } }))));
    this.body = h('div', { class: 'formulas', 'data-testid': 'formulas' });
    this.root.replaceChildren(this.header(), h('div', { class: 'controls' }, controls, truth), bar, this.exercise.bar(), this.status, this.body,
      h('div', { class: 'notes' }, note('warn', t('note.course'), rich(t('ls.n.slides'))), note('note', t('note.why'), rich(t('ls.n.grad')))));
    this.update();
  }
  /** The core's losses of both models: {se, sse, mse, ce} each {rows, mean}. */
  compute() {
    const T = this.targets();
    return this.p.models.map(Y => ({
      se: this.core.lossValues('half_sse', Y, T),
      sse: this.core.lossValues('sse', Y, T),
      mse: this.core.lossValues('mse', Y, T),
      ce: this.core.lossValues('cross_entropy', Y, T),
    }));
  }
  update() {
    const t = this.t, p = this.p, T = this.targets();
    let R;
    try { R = this.compute(); this.status.textContent = ''; this.status.classList.remove('bad'); } catch (e) {
      this.status.textContent = `${t('core.other')} (${e.message})`; this.status.classList.add('bad'); return;
    }
    const secs = [];
    // the slides' own example (the notes about its numbers are shown for it alone)
    const defaults = JSON.stringify(p.models) === JSON.stringify(this.constructor.defaultModels) && p.truth.join() === TRUTH.join();
    // 0. the table
    const table = h('table', { class: 'tt' }, h('thead', {}, h('tr', {}, h('th', {}, t('ls.truth')), h('th', {}, t('ls.class')),
      h('th', {}, t('ls.model', { m: 1 })), h('th', {}, t('ls.model', { m: 2 })))),
    h('tbody', {}, T.map((row, r) => h('tr', {}, h('td', {}, `[${row.join(', ')}]`), h('td', {}, this.className(p.truth[r])),
      [0, 1].map(m => {
        const ok = argmax(p.models[m][r]) === p.truth[r];
        return h('td', { class: ok ? 'ok' : 'no' }, `[${p.models[m][r].join(', ')}] `, h('span', { class: ok ? 'ok-mark' : 'bad-mark' }, ok ? '✓' : '✗'));
      })))));
    secs.push(h('section', { class: 'fsec', 'data-stage': 0 }, h('h3', {}, t('ls.st.table')), h('div', { class: 'scroll-x' }, table), h('p', { class: 'f-note' }, t('ls.tableNote'))));
    // 1. classification error: wrong / total (argmax read off the table, no arithmetic)
    const cls = [0, 1].map(m => {
      const wrong = p.models[m].filter((row, r) => argmax(row) !== p.truth[r]).length;
      return { stage: 1, label: t('ls.model', { m: m + 1 }), sym: '\\text{Error} = \\frac{\\text{wrong}}{\\text{total}}',
        sub: `\\frac{${wrong}}{${T.length}}`, res: h('data', { class: 'num', value: `${wrong}/${T.length}`, 'data-key': `m${m + 1}.cls`, tabindex: 0, title: `${wrong}/${T.length}` }, `${wrong}/${T.length}`) };
    });
    secs.push(fsec(1, t('ls.st.cls'), cls, defaults ? h('p', { class: 'f-note' }, t('ls.clsNote')) : null));
    // 2. squared error, per sample and the mean; torch's MSELoss
    const se = [];
    [0, 1].forEach(m => {
      const Y = p.models[m];
      Y.forEach((y, r) => se.push({ stage: 2, label: r === 0 ? t('ls.model', { m: m + 1 }) : null,
        sym: `E^{(${r + 1})} = \\tfrac{1}{2} \\sum_k (y_k - t_k)^2`,
        sub: `\\tfrac{1}{2}\\left(${y.map((v, k) => `(${n(v)} - ${T[r][k]})^2`).join(' + ')}\\right)`,
        res: R[m].se.rows[r], key: `m${m + 1}.se.rows.${r}` }));
      se.push({ stage: 2, sym: 'E = \\tfrac{1}{N} \\sum_n E^{(n)}', sub: `\\tfrac{1}{3}\\left(${R[m].se.rows.map(v => n(v)).join(' + ')}\\right)`,
        res: R[m].se.mean, key: `m${m + 1}.se.mean`, cls: 'total' });
      se.push({ stage: 2, label: t('ls.sseLabel'), sym: 'E = \\tfrac{1}{N} \\sum_n \\sum_k (y_k - t_k)^2',
        sub: `\\tfrac{1}{3}\\left(${R[m].sse.rows.map(v => n(v)).join(' + ')}\\right)`, res: R[m].sse.mean, key: `m${m + 1}.sse.mean`,
        note: m === 0 ? t('ls.sseRows') : null });
      se.push({ stage: 2, label: t('ls.torchMse'), sym: '\\text{MSE} = \\tfrac{1}{N K} \\sum_n \\sum_k (y_k - t_k)^2',
        sub: `\\tfrac{1}{3}\\left(${R[m].mse.rows.map(v => n(v)).join(' + ')}\\right)`, res: R[m].mse.mean, key: `m${m + 1}.mse.mean`,
        note: m === 0 ? t('ls.mseRows') : null });
    });
    secs.push(fsec(2, t('ls.st.se'), se));
    // 3. cross-entropy
    const ce = [];
    [0, 1].forEach(m => {
      const Y = p.models[m];
      Y.forEach((y, r) => ce.push({ stage: 3, label: r === 0 ? t('ls.model', { m: m + 1 }) : null,
        sym: `E^{(${r + 1})} = -\\sum_k t_k \\ln y_k`, sub: `-\\ln ${np(y[p.truth[r]])}`, res: R[m].ce.rows[r], key: `m${m + 1}.ce.rows.${r}` }));
      ce.push({ stage: 3, sym: 'E = \\tfrac{1}{N} \\sum_n E^{(n)}', sub: `\\tfrac{1}{3}\\left(${R[m].ce.rows.map(v => n(v)).join(' + ')}\\right)`,
        res: R[m].ce.mean, key: `m${m + 1}.ce.mean` });
    });
    secs.push(fsec(3, t('ls.st.ce'), ce, h('p', { class: 'f-note' }, rich(t('ls.ceNote')))));
    // 4. summary: ours next to the slides'
    const row = (name, key, vals, slides, verdict) => h('tr', {}, h('th', { scope: 'row' }, rich(name)),
      vals.map((v, m) => h('td', {}, typeof v === 'number' ? num(v, `sum.${key}.${m + 1}`, { p: 4 }) : v)),
      defaults ? h('td', {}, h('span', { class: verdict ? '' : 'slides-wrong' }, slides.join(' / ')), ' ', h('span', { class: verdict ? 'ok-mark' : 'bad-mark' }, verdict ? '✓' : t('ls.wrong'))) : null);
    const sum = h('table', { class: 'tt' },
      h('thead', {}, h('tr', {}, h('td', {}), h('th', {}, t('ls.model', { m: 1 })), h('th', {}, t('ls.model', { m: 2 })), defaults ? h('th', {}, t('ls.slides')) : null)),
      h('tbody', {},
        row(t('ls.st.cls'), 'cls', cls.map(c => c.res.cloneNode(true)), SLIDES.cls, true),
        row(t('ls.seHalf'), 'se', [R[0].se.mean, R[1].se.mean], SLIDES.se, false),
        row(t('ls.sse'), 'sse', [R[0].sse.mean, R[1].sse.mean], SLIDES.se, false),
        row(t('ls.torchMse'), 'mse', [R[0].mse.mean, R[1].mse.mean], SLIDES.se, false),
        row(t('ls.st.ce'), 'ce', [R[0].ce.mean, R[1].ce.mean], SLIDES.ce, true)));
    for (const d of sum.querySelectorAll('data[data-key$=".cls"]')) d.setAttribute('data-key', `sum.${d.getAttribute('data-key')}`);
    secs.push(h('section', { class: 'fsec', 'data-stage': 4 }, h('h3', {}, t('ls.st.sum')), h('div', { class: 'scroll-x' }, sum),
      defaults ? note('warn', t('ls.slidesWrong'), rich(t('ls.explanation'))) : h('p', { class: 'f-note' }, t('ls.edited'))));
    this.body.replaceChildren(...secs);
    this.exercise.decorate();
    this.showStage();
  }
}
Losses.defaultModels = [[[0.3, 0.3, 0.4], [0.3, 0.4, 0.3], [0.1, 0.2, 0.7]], [[0.1, 0.2, 0.7], [0.1, 0.7, 0.2], [0.3, 0.4, 0.3]]];
