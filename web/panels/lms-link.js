// lms-link.js - the panels page reports to a course (issue #14): xAPI statements through the host API
// (web/ui/statements.js; URL keys actor, activity) and, with ?scorm=1&exercises=..., a SCORM 1.2 LMS
// (web/ui/scorm.js). A status line under the page's head says what happens in the page's language:
// the LMS connection and score, the LMS's errors, launch keys that were not used.

import { parseLaunch } from '../lib/scorm-cmi.js';
import { checkActor, activityBase } from '../lib/xapi.js';
import { translator } from '../lib/i18n.js';
import { LMS_STRINGS } from '../ui/lms-strings.js';
import { progress } from '../ui/progress.js';
import { connectStatements } from '../ui/statements.js';
import { connectScorm } from '../ui/scorm.js';
import { h } from './ui.js';
import { STRINGS } from './strings.js';

/**
 * Before the page shows the index or mounts a panel (so a SCORM session's suspend_data is in the store
 * first); lang(): the page's language. Returns {attach(host) (the host API connection, embed-link.js:
 * statements from then on), relabel() (after a language change), setActor(actor) (setState's; throws
 * on a bad one)}.
 */
export function connectLms({ lang }) {
  const sp = new URLSearchParams(location.search);
  const store = progress();
  const line = h('p', { id: 'lms-status', class: 'status lms-status', role: 'status', hidden: true });
  document.getElementById('main').before(line);
  const lines = [];
  let t = translator(LMS_STRINGS, lang());
  const shortName = id => translator(STRINGS, lang())(`${id}.short`);
  const text = ({ key, params }) => {
    const p = { ...params };
    if (Array.isArray(p.list)) p.list = p.list.map(shortName).join(', ');
    if (p.status) p.status = t(`lms.status.${p.status}`);
    if (p.why) p.why = t(`lms.why.${p.why}`, p.whyParams);
    return t(key, p);
  };
  const render = () => {
    line.hidden = !lines.length;
    line.classList.toggle('bad', lines.some(l => l.bad));
    line.replaceChildren(...lines.map((l, i) => [i ? h('br') : null, text(l)]).flat().filter(Boolean));
  };
  // the launch's own problems stay; the LMS's last word replaces the one before
  const fixed = [];
  const say = (key, params = {}, bad = false) => { lines.splice(0, lines.length, ...fixed, { key, params, bad }); render(); };
  const refuse = (param, value, why, whyParams = {}) => { fixed.push({ key: 'lms.badUrl', params: { param, value, why, whyParams }, bad: true }); lines.push(fixed[fixed.length - 1]); render(); };

  const launch = parseLaunch(sp);
  for (const e of launch.errors) refuse(e.param, e.value, e.code, e.params);
  let actor = null;
  if (sp.has('actor')) { try { actor = checkActor(sp.get('actor')); } catch { refuse('actor', sp.get('actor'), 'actor'); } }
  let base;
  try { base = activityBase(location.href, sp.get('activity')); } catch { refuse('activity', sp.get('activity'), 'activity'); base = activityBase(location.href); }

  const names = panel => Object.fromEntries(Object.keys(STRINGS).map(l => [l, translator(STRINGS, l)(`${panel}.title`)]));
  if (launch.scorm) connectScorm({ store, exercises: launch.exercises, say });
  let statements = null;
  return {
    attach(host) { statements = connectStatements({ host, store, actor, base, lang, names }); },
    relabel() { t = translator(LMS_STRINGS, lang()); render(); },
    setActor(a) {
      if (!statements) throw new Error('the page is not ready');
      return statements.setActor(a);
    },
  };
}
