// embed-link.js - the speed page in a course page: the controls an author hides or locks (?hide=,
// ?lock=: lang, nav, start; web/lib/embed-view.js) and the host API (web/ui/host.js): getState,
// start (one measurement); events state, done (with the table's rows), error.

import { controlNames, parseView } from '../lib/embed-view.js';
import { applyView } from '../ui/view-controls.js';
import { connectHost } from '../ui/host.js';
import { mountCourseBuilder } from '../ui/course-builder.js';

const PARTS = { lang: '.shell-lang', nav: '.shell-nav', start: '#go' };
const selectorOf = name => PARTS[name];

/** page: {run() (a promise of the rows), running(), rows(), lang()}; report(errors): the URL's problems, shown. */
export function connectBench(page, report) {
  const view = parseView(location.search, controlNames('bench'));
  if (view.errors.length) report(view.errors);
  applyView({ hide: view.hide, lock: view.lock, selectorOf });
  const snapshot = () => ({ running: page.running(), rows: page.rows(), lang: page.lang() });
  const host = connectHost({
    page: 'bench', origins: view.origins,
    handlers: {
      getState: snapshot,
      running: page.running,
      start: () => {
        if (!page.running()) {
          page.run().then(() => { host.state(); host.emit('done', { state: snapshot() }); },
            e => host.emit('error', { code: 'ERROR', message: String(e && e.message) }));
        }
        host.state();
        return snapshot();
      },
    },
  });
  mountCourseBuilder({ names: controlNames('bench'), lang: page.lang });
  host.ready();
  return host;
}
