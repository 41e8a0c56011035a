// axe.mjs - axe-core (npm axe-core) run inside a page, for the accessibility tests: injects the
// library once per page and returns the critical and serious violations as one line each
// (rule, impact, target), so that a failing test says what and where.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** axe.min.js: from node_modules (package.json devDependencies), or $AXE_CORE (a path to axe.min.js). */
function axeSource() {
  let file = process.env.AXE_CORE;
  if (!file) {
    try { file = require.resolve('axe-core/axe.min.js'); } catch {
      throw new Error('axe-core is not installed: run npm install (package.json devDependencies), or set AXE_CORE=/path/to/axe.min.js');
    }
  }
  return fs.readFileSync(file, 'utf8');
}
let source = null;

// Rules not run, each with the reason it does not apply here:
export const DISABLED = {
  // none: every rule axe runs by default applies to these pages.
};

/** Runs axe on the page (only: just these rules, e.g. the 7:1 'color-contrast-enhanced'); returns [{rule, impact, target, summary}] of critical and serious violations. */
export async function axeViolations(page, { include = null, only = null } = {}) {
  source ??= axeSource();
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(source);
  const res = await page.evaluate(async ({ include, disabled, only }) => {
    const rules = Object.fromEntries(disabled.map(r => [r, { enabled: false }]));
    const opts = only ? { resultTypes: ['violations'], runOnly: { type: 'rule', values: only } } : { resultTypes: ['violations'], rules };
    const r = await window.axe.run(include ? { include: [include] } : document, opts);
    return r.violations.map(v => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map(n => ({ target: n.target.join(' '), summary: n.failureSummary })) }));
  }, { include, disabled: Object.keys(DISABLED), only });
  const out = [];
  for (const v of res) if (v.impact === 'critical' || v.impact === 'serious')
    for (const n of v.nodes) out.push({ rule: v.rule, impact: v.impact, target: n.target, summary: n.summary });
  return out;
}

/** One line per violation: "rule (impact) at target: what is wrong". */
export function describe(violations, max = 40) {
  const lines = violations.slice(0, max).map(v => `${v.rule} (${v.impact}) at ${v.target}: ${String(v.summary).replace(/\s+/g, ' ').slice(0, 200)}`);
  if (violations.length > max) lines.push(`... and ${violations.length - max} more`);
  return lines.join('\n');
}
