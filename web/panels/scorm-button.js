// scorm-button.js - "Package for an LMS (SCORM 1.2)" on the panels' index (issue #14): the teacher ticks
// exercises and saves the same zip as `make scorm` (web/lib/scorm-package.js): the page fetches the
// files of its own copy (build/precache.json's list, the service worker's and the SW itself) and ADL's
// schema files (vendor/scorm12/, copied from npm by the build).

import { webFiles, buildPackage, packageTitles, SCHEMA_FILES, DEFAULT_NAME } from '../lib/scorm-package.js';
import { EXERCISE_PANELS } from '../lib/exercise-progress.js';
import { translator } from '../lib/i18n.js';
import { LMS_STRINGS } from '../ui/lms-strings.js';
import { downloadFile } from '../ui/download.js';
import { h } from './ui.js';

const bytes = async url => {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${new URL(url, location.href).pathname}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
};

/** The section for the index; tp: the panels page's translator (its exercises' short names). */
export function scormSection(tp) {
  const t = translator(LMS_STRINGS, tp.lang);
  const boxes = EXERCISE_PANELS.map(id => h('input', { type: 'checkbox', id: `pkg-${id}`, value: id, checked: true }));
  const out = h('p', { class: 'status pkg-status', role: 'status' });
  const button = h('button', { type: 'button', id: 'scorm-package', onclick: make }, t('lms.pkg.make'));
  async function make() {
    const exercises = boxes.filter(b => b.checked).map(b => b.value);
    out.classList.remove('bad');
    if (!exercises.length) { out.classList.add('bad'); out.textContent = t('lms.pkg.none'); return; }
    button.disabled = true;
    try {
      const pre = JSON.parse(new TextDecoder().decode(await bytes('build/precache.json')));
      const webList = webFiles(pre);
      out.textContent = t('lms.pkg.busy', { n: webList.length + SCHEMA_FILES.length });
      const cache = new Map(await Promise.all(webList.map(async rel => [rel, await bytes(rel)])));
      const zip = await buildPackage({
        exercises, webList, lang: tp.lang, titles: packageTitles(t, id => tp(`${id}.short`), exercises),
        read: rel => cache.get(rel), schema: name => bytes(`vendor/scorm12/${name}`),
      });
      downloadFile(DEFAULT_NAME, zip, 'application/zip');
      out.textContent = t('lms.pkg.done', { name: DEFAULT_NAME, size: Math.round(zip.length / 104857.6) / 10 });
    } catch (e) {
      out.classList.add('bad');
      out.textContent = t('lms.pkg.failed', { message: e.message });
    } finally { button.disabled = false; }
  }
  return h('section', { class: 'scorm-package', 'aria-labelledby': 'pkg-title' },
    h('h2', { id: 'pkg-title' }, t('lms.pkg.title')),
    h('p', {}, t('lms.pkg.intro')),
    h('fieldset', {}, h('legend', { class: 'sr-only' }, t('lms.pkg.title')),
      h('ul', { class: 'pkg-list' }, EXERCISE_PANELS.map((id, i) => h('li', {}, boxes[i], ' ', h('label', { for: `pkg-${id}` }, tp(`${id}.short`)))))),
    button, out);
}
