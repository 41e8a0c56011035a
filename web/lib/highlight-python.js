// highlight-python.js - a small Python tokenizer for showing the generated scripts: keywords,
// builtins' constants, strings (prefixed, triple-quoted), comments and numbers; everything else is
// plain text. It only colours: the tokens joined give back the text exactly. No DOM (the code
// dialog, web/ui/code-dialog.js, turns tokens into spans).

const KEYWORDS = new Set(('False None True and as assert async await break class continue def del elif else except finally for from global '
  + 'if import in is lambda nonlocal not or pass raise return try while with yield').split(' '));

// one alternation, tried at each position: comment | string | number | name | anything else
const TOKEN = new RegExp([
  '(#[^\\n]*)',
  '((?:[rRbBuUfF]{1,2})?(?:"""[\\s\\S]*?(?:"""|$)|\'\'\'[\\s\\S]*?(?:\'\'\'|$)|"(?:[^"\\\\\\n]|\\\\.)*"?|\'(?:[^\'\\\\\\n]|\\\\.)*\'?))',
  '((?:\\d[\\d_]*\\.?[\\d_]*|\\.\\d[\\d_]*)(?:[eE][+-]?\\d+)?j?|0[xXoObB][\\da-fA-F_]+)',
  '([A-Za-z_\\u00c0-\\uffff][\\w\\u00c0-\\uffff]*)',
  '(\\s+|[^\\s#"\'\\w]+|.)',
].join('|'), 'gy');

/**
 * The tokens of Python source: [{type, text}] with type 'comment', 'string', 'number', 'keyword' or
 * '' (plain); neighbouring plain tokens are merged. tokens.map(t => t.text).join('') === src.
 */
export function highlightPython(src) {
  const out = [];
  const push = (type, text) => {
    const last = out[out.length - 1];
    if (last && last.type === type && type === '') last.text += text; else out.push({ type, text });
  };
  TOKEN.lastIndex = 0;
  let m;
  while (TOKEN.lastIndex < src.length && (m = TOKEN.exec(src))) {
    if (m[1] !== undefined) push('comment', m[1]);
    else if (m[2] !== undefined) push('string', m[2]);
    else if (m[3] !== undefined) {
      // a number glued to a name before it (x1) is part of the name: the name branch takes it
      push('number', m[3]);
    } else if (m[4] !== undefined) push(KEYWORDS.has(m[4]) ? 'keyword' : '', m[4]);
    else push('', m[5]);
  }
  return out;
}
