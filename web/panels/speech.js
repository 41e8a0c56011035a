// speech.js - a formula in words for screen readers: the TeX the panels render (web/panels/tex.js)
// read as "z 1 equals w 1 1 times 0.05 plus ...", in the page's language (the words are the
// dictionary's sr.* entries, web/panels/strings.js). Pure string work, no DOM (tested in Node).
// Only the TeX the panels write is covered; an unknown command is read by its name.

const GREEK = ['alpha', 'beta', 'gamma', 'delta', 'Delta', 'varepsilon', 'epsilon', 'eta', 'theta', 'mu', 'sigma', 'nabla', 'lambda', 'pi'];
const SPACES = [',', ';', '!', ':', 'quad', 'qquad', ' ', 'Bigl', 'Bigr', 'bigl', 'bigr', 'left', 'right', 'displaystyle', 'limits'];
const OPS = { '=': 'eq', '+': 'plus', '-': 'minus', '\u2212': 'minus', '<': 'lt', '>': 'gt', '/': 'div', '\'': 'prime' };
const CMDS = { cdot: 'times', times: 'times', odot: 'odot', leftarrow: 'becomes', approx: 'approx', le: 'le', leq: 'le',
  ge: 'ge', geq: 'ge', partial: 'partial', sum: 'sum', infty: 'infty', lVert: 'norm', rVert: 'norm', neq: 'ne', to: 'to', in: 'in' };

/** Reads one brace group or one token starting at s[i]: returns [text, nextIndex]. */
function group(s, i) {
  while (s[i] === ' ') i++;
  if (s[i] === '{') {
    let d = 1, j = i + 1;
    for (; j < s.length && d; j++) { if (s[j] === '{') d++; else if (s[j] === '}') d--; }
    return [s.slice(i + 1, j - 1), j];
  }
  if (s[i] === '\\') {
    const m = /^\\([a-zA-Z]+|.)/.exec(s.slice(i));
    return [m[0], i + m[0].length];
  }
  return [s[i] || '', i + 1];
}

/** A subscript or superscript body: digits apart ("11" -> "1 1": w_{11} is row 1, column 1). */
const indices = (txt, w) => (/^\d+$/.test(txt) ? txt.split('').join(' ') : words(txt, w));

/**
 * The TeX src in words. w(key) gives the word for sr.KEY in the page's language (the panels' t with
 * 'sr.' put before the key).
 */
export function words(src, w) {
  const s = String(src);
  const out = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') {
      const m = /^\\([a-zA-Z]+|.)/.exec(s.slice(i));
      const name = m[1];
      i += m[0].length;
      if (name === 'htmlData') { [, i] = group(s, i); const [body, j] = group(s, i); i = j; out.push(words(body, w)); }
      else if (name === 'frac' || name === 'tfrac' || name === 'dfrac') {
        const [a, j] = group(s, i); const [b, k] = group(s, j); i = k;
        out.push(words(a, w), w('over'), words(b, w));
      } else if (name === 'sqrt') { const [a, j] = group(s, i); i = j; out.push(w('sqrt'), words(a, w)); }
      else if (name === 'hat') { const [a, j] = group(s, i); i = j; out.push(words(a, w), w('hat')); }
      else if (['text', 'mathrm', 'operatorname', 'mathsf', 'mathbf', 'mathit', 'textbf'].includes(name)) {
        const [a, j] = group(s, i); i = j; out.push(name === 'mathbf' && a === '1' ? w('indicator') : a.replace(/\\,/g, ' '));
      } else if (name === 'begin') {
        const [, j] = group(s, i);
        const end = s.indexOf('\\end', j);
        const body = s.slice(j, end < 0 ? s.length : end);
        i = end < 0 ? s.length : group(s, end + 4)[1];
        const rows = body.split('\\\\').map(r => r.split('&').map(x => words(x, w)).join(', '));
        out.push(rows.length > 1 ? `${w('matrix')}: ${rows.map((r, k) => `${w('row')} ${k + 1}: ${r}`).join('; ')};` : `${w('vector')}: ${rows[0]};`);
      } else if (name === 'end') { [, i] = group(s, i); }
      else if (SPACES.includes(name)) out.push('');
      else if (CMDS[name]) out.push(w(CMDS[name]));
      else if (GREEK.includes(name)) out.push(w(`g.${name}`));
      else if (name === '{' || name === '}' || name === '|') out.push(name === '|' ? '|' : '');
      else out.push(name);
    } else if (c === '_') {
      const [a, j] = group(s, i + 1); i = j; out.push(indices(a, w));
    } else if (c === '^') {
      const [a, j] = group(s, i + 1); i = j;
      if (a === 'T' || a === '\\top') out.push(w('transposed'));
      else if (a === '2') out.push(w('squared'));
      else if (/^\(.*\)$/.test(a)) out.push(indices(a.slice(1, -1), w));
      else if (/^[a-z]$/.test(a)) out.push(a);
      else out.push(w('pow'), words(a, w));
    } else if (c === '{' || c === '}' || c === '&') { i++; }
    else if (OPS[c]) { out.push(w(OPS[c])); i++; }
    else if (/[0-9.]/.test(c)) { const m = /^[0-9.]+/.exec(s.slice(i)); out.push(m[0]); i += m[0].length; }
    else if (c === ' ' || c === '~') { i++; }
    else { out.push(c); i++; }
  }
  return out.filter(x => x !== '').join(' ').replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();
}
