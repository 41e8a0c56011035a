// highlight.test.mjs - the Python highlighter of the code dialog (web/lib/highlight-python.js): the
// tokens give back the text exactly, and hand-checked lines get the expected token types.
import test from 'node:test';
import assert from 'node:assert/strict';
import { highlightPython } from '../../web/lib/highlight-python.js';
import { toyScript } from '../../web/lib/pytorch-script.js';

const typed = src => highlightPython(src).filter(t => t.type).map(t => [t.type, t.text]);

test('keywords, strings, comments and numbers of hand-written lines', () => {
  assert.deepEqual(typed('for it in range(20):  # loop'), [['keyword', 'for'], ['keyword', 'in'], ['number', '20'], ['comment', '# loop']]);
  assert.deepEqual(typed('x = f"{a}" + \'b#c\' + 1e-8 + 0.5 + W1'), [['string', 'f"{a}"'], ['string', '\'b#c\''], ['number', '1e-8'], ['number', '0.5']]);
  assert.deepEqual(typed('def f():\n    """doc\n# not a comment"""\n    return None'),
    [['keyword', 'def'], ['string', '"""doc\n# not a comment"""'], ['keyword', 'return'], ['keyword', 'None']]);
  assert.deepEqual(typed('a0 @ W1.T  # z1 = W1 a0'), [['comment', '# z1 = W1 a0']], 'digits inside names are not numbers');
  assert.deepEqual(typed('s = "unterminated'), [['string', '"unterminated']]);
  assert.deepEqual(typed('привет = 1  # комментарий'), [['number', '1'], ['comment', '# комментарий']]);
});

test('a generated script: the tokens joined are the script, and its comments and keywords are found', () => {
  const py = toyScript({ layers: [2, 1], activations: ['sigmoid'], loss: 'half_sse', weights: [[[0.5, -0.25]]], biases: [[0.1]],
    input: [[1, 2]], target: [[1]], optimizer: { name: 'sgd', lr: 0.1 } }, { lang: 'ru' });
  const toks = highlightPython(py);
  assert.equal(toks.map(t => t.text).join(''), py);
  const n = type => toks.filter(t => t.type === type).length;
  assert.equal(n('comment'), py.split('\n').filter(l => /#/.test(l) && !/"[^"]*#/.test(l)).length, 'one comment per line with #');
  assert.ok(n('keyword') > 5 && n('number') > 5 && n('string') > 3);
});
