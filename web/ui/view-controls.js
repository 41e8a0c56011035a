// view-controls.js - applies a course author's choice of what the student sees (?hide= and ?lock=,
// read by web/lib/embed.js's parseView): a hidden control is not displayed; a locked one stays visible
// with its value and cannot be changed by the student (its form controls disabled, anything else
// inert). Pages rebuild parts of their DOM (a language switch, a new layer, a panel's render), so
// the choice is kept by a style sheet (hide) and re-applied whenever the DOM changes (lock).
// selectorOf(name) gives the page's CSS selector of a control (each page keeps that map).

const FORM = 'input, select, textarea, button';

/** Hides and locks the named controls; returns {stop()} that ends the watching (for the tests). */
export function applyView({ hide = new Set(), lock = new Set(), selectorOf }) {
  if (hide.size) {
    const style = document.createElement('style');
    style.dataset.embedView = 'hide';
    style.textContent = [...hide].map(n => `${selectorOf(n)} { display: none !important; }`).join('\n');
    document.head.append(style);
    document.documentElement.dataset.hidden = [...hide].join(' ');
  }
  if (!lock.size) return { stop() {} };
  document.documentElement.dataset.locked = [...lock].join(' ');
  const look = document.createElement('style');
  look.dataset.embedView = 'lock';
  look.textContent = '.bp-locked:disabled, .bp-locked :disabled, .bp-locked[inert] { opacity: .55; cursor: not-allowed; }';
  document.head.append(look);
  const selector = [...lock].map(selectorOf).join(', ');
  const lockAll = () => {
    for (const el of document.querySelectorAll(selector)) {
      el.classList.add('bp-locked');
      const targets = el.matches(FORM) ? [el] : [...el.querySelectorAll(FORM)];
      if (!targets.length && !el.inert) el.inert = true;
      for (const t of targets) if (!t.disabled) t.disabled = true;
    }
  };
  lockAll();
  const obs = new MutationObserver(lockAll);
  obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
  return { stop: () => obs.disconnect() };
}
