// checklist.js - the panels' index: the exercises of the course's examples with each one's state from
// the page's progress store (web/ui/progress.js): not tried, in progress, done N of M at the first try;
// and how many drawn exercises ("new exercise") of the panel are done.
import { h } from './ui.js';
import { progress } from '../ui/progress.js';
import { EXERCISE_MISTAKES } from '../lib/exercise-mistakes.js';
import { exerciseId, EXERCISE_PANELS } from '../lib/exercise-progress.js';

/** The checklist section; href(id) gives a panel's link with its exercise on. */
export function exerciseChecklist(t, href) {
  const store = progress();
  const items = EXERCISE_PANELS.filter(id => id in EXERCISE_MISTAKES).map(id => {     // the course's order
    const r = store.get(exerciseId(id));
    const drawn = store.all().filter(x => x.panel === id && x.seed != null && x.finished).length;
    const state = !r ? 'none' : r.finished ? 'done' : 'part';
    const text = state === 'none' ? t('ex.st.none') : state === 'part' ? t('ex.st.part', { k: r.firstTry, n: r.stages })
      : t('ex.st.done', { f: r.firstTry, n: r.stages });
    const mark = { none: '\u25cb', part: '\u25d0', done: '\u2714' }[state];
    return h('li', { class: `ex-item ${state}`, 'data-panel': id, 'data-state': state },
      h('span', { class: 'ex-mark', 'aria-hidden': 'true' }, mark), ' ',
      h('a', { href: href(id) }, t(`${id}.title`)), ': ', h('span', { class: 'ex-state' }, text),
      drawn ? h('span', { class: 'ex-drawn' }, ` (${t('ex.st.drawn', { n: drawn })})`) : null);
  });
  return h('section', { class: 'ex-checklist', 'aria-labelledby': 'ex-check-title', 'data-testid': 'ex-checklist' },
    h('h2', { id: 'ex-check-title' }, t('ex.index.title')), h('p', {}, t('ex.index.intro')), h('ul', {}, items));
}
