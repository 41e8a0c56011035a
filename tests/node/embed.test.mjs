// tests/node/embed.test.mjs - the course-embedding library (web/lib/embed.js, embed-view.js), without a browser: the
// hide/lock names each page accepts come from the settings table and the page's parts; unknown names,
// bad origins are refused as URL errors; the host protocol's reader takes only well-formed commands of
// its protocol and version from an allowed origin, and ignores everything else (junk, events, other
// protocols) without throwing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOrigins, readCommand, message, slideSignal, isH5P, h5pMessage, PROTOCOL, VERSION, COMMANDS } from '../../web/lib/embed.js';
import { controlNames, parseView, PAGE_CONTROLS } from '../../web/lib/embed-view.js';
import { pageSettings, SETTING } from '../../web/lib/settings.js';
import { parse } from '../../web/lib/state.js';

test('every setting a page shows is a hide/lock name on that page, and so is each of its parts; the shell\'s URL keys are not', () => {
  for (const page of ['training', 'experiments']) {
    const names = controlNames(page);
    for (const s of pageSettings(page)) {
      if (SETTING[s][page].shell) assert.ok(!names.includes(s) || PAGE_CONTROLS[page].includes(s), `${page}: ${s} is the shell's`);
      else assert.ok(names.includes(s), `${page}: ${s}`);
    }
    for (const c of PAGE_CONTROLS[page]) assert.ok(names.includes(c), `${page}: ${c}`);
    assert.equal(new Set(names).size, names.length, 'no repeats');
    for (const k of ['embed', 'hide', 'lock', 'origin']) assert.ok(!names.includes(k), `${page}: ${k}`);
  }
  assert.ok(controlNames('training').includes('optimizer') && controlNames('training').includes('lr'));
  assert.deepEqual(controlNames('panels', ['x', 'lr']).slice(-2), ['x', 'lr'], 'a panel\'s fields join the page\'s parts');
});

test('the training page\'s URL parser knows hide, lock and origin (no "unknown parameter") and keeps them in the link', () => {
  const r = parse('?hide=optimizer,lr&lock=batch&origin=https://course.example');
  assert.deepEqual(r.errors, []);
  assert.equal(r.state.hide, 'optimizer,lr');
});

test('hide and lock: known names are taken, unknown ones refused with the allowed names, as a URL error', () => {
  const names = controlNames('training');
  const v = parseView('?hide=optimizer, lr&lock=batch,start', names);
  assert.deepEqual([...v.hide], ['optimizer', 'lr']);
  assert.deepEqual([...v.lock], ['batch', 'start']);
  assert.deepEqual(v.errors, []);
  const bad = parseView('?hide=optimizer,nosuch&lock=lr2', names);
  assert.deepEqual([...bad.hide], ['optimizer']);
  assert.deepEqual(bad.errors.map(e => [e.param, e.value, e.code]), [['hide', 'nosuch', 'enum'], ['lock', 'lr2', 'enum']]);
  assert.match(bad.errors[0].params.allowed, /\boptimizer\b.*\bstart\b/);
});

test('origin: a list of http(s) origins, or * for any; anything else is refused (and then any origin may command)', () => {
  assert.deepEqual(parseOrigins('https://a.example, http://localhost:8000'), { origins: ['https://a.example', 'http://localhost:8000'] });
  assert.deepEqual(parseOrigins('*'), { origins: null });
  assert.deepEqual(parseOrigins(''), { origins: null });
  assert.equal(parseOrigins('https://a.example/path').error, 'https://a.example/path');
  assert.equal(parseOrigins('javascript:alert(1)').error, 'javascript:alert(1)');
  assert.equal(parseView('?origin=ftp://x', []).errors[0].code, 'origin');
});

test('a command is read only with the protocol\'s name and version, a known type, from an allowed origin', () => {
  const ok = { protocol: PROTOCOL, version: VERSION, type: 'setState', id: 7, state: { lr: 0.1 } };
  assert.deepEqual(readCommand(ok, 'https://a.example', null), { id: 7, command: 'setState', args: { lr: 0.1 } });
  assert.deepEqual(readCommand(ok, 'https://a.example', ['https://a.example']).command, 'setState');
  assert.equal(readCommand(ok, 'https://evil.example', ['https://a.example']), null, 'origin not in ?origin=');
  assert.equal(readCommand({ ...ok, version: 2 }, 'x', null), null, 'another version');
  assert.equal(readCommand({ ...ok, protocol: 'other' }, 'x', null), null, 'another protocol');
  assert.equal(readCommand({ ...ok, type: 'progress' }, 'x', null), null, 'an event is no command');
  assert.deepEqual(readCommand({ ...ok, state: [1, 2] }, 'x', null).args, {}, 'a state that is no object is empty');
  for (const c of COMMANDS) assert.equal(readCommand({ protocol: PROTOCOL, version: VERSION, type: c }, 'x', null).command, c);
});

test('200 kinds of junk are ignored without throwing', () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const pick = a => a[Math.floor(rnd() * a.length)];
  const atoms = [null, undefined, 0, -1, NaN, '', 'slide:sto', 'start', {}, [], true, { protocol: PROTOCOL }, { version: 1 },
    { type: 'start' }, { context: 'h5p' }, Object.create(null), new Date(0), { protocol: PROTOCOL, version: '1', type: 'start' }];
  for (let i = 0; i < 200; i++) {
    const junk = rnd() < 0.5 ? pick(atoms) : { protocol: pick([PROTOCOL, 'x', 1]), version: pick([1, 2, '1', null]), type: pick(['start', 'go', 3, null, 'reply']), state: pick([1, 'a', null, { a: 1 }]) };
    const r = readCommand(junk, pick(['null', 'https://a.example', undefined]), pick([null, ['https://a.example']]));
    if (r) assert.ok(COMMANDS.includes(r.command) && junk.protocol === PROTOCOL && junk.version === VERSION);
    slideSignal(junk); isH5P(junk);
  }
});

test('events carry the protocol name and version; reveal.js and H5P messages are told apart', () => {
  assert.deepEqual(message('ready', { page: 'panels' }), { page: 'panels', protocol: PROTOCOL, version: VERSION, type: 'ready' });
  assert.equal(message('x', { protocol: 'spoof', version: 9 }).protocol, PROTOCOL, 'fields cannot override the header');
  assert.equal(slideSignal('slide:stop'), 'stop');
  assert.equal(slideSignal('slide:start'), 'start');
  assert.equal(slideSignal({ type: 'slide:stop' }), null);
  assert.deepEqual(h5pMessage('resize', { scrollHeight: 300 }), { context: 'h5p', action: 'resize', scrollHeight: 300 });
  assert.ok(isH5P({ context: 'h5p', action: 'hello' }) && !isH5P({ context: 'h5p' }) && !isH5P('h5p'));
});

test('the builder\'s link keeps the view (settings, panel, stage) and writes the choices; its snippet is escaped and sandboxed', async () => {
  const { embedUrl, iframeSnippet, SANDBOX } = await import('../../web/lib/embed-view.js');
  const u = new URL(embedUrl('https://lab.example/web/panels.html?p=chain&stage=3&hide=old#x', { hide: ['plot', 'w'], lock: ['x', 'w'], lang: 'ru' }));
  assert.deepEqual(Object.fromEntries(u.searchParams), { p: 'chain', stage: '3', hide: 'plot,w', lock: 'x', lang: 'ru', embed: '1' }, 'a hidden name is not also locked');
  assert.equal(u.hash, '');
  assert.equal(new URL(embedUrl('https://lab.example/web/?embed=1&lock=lr', { embed: false })).search, '');
  const s = iframeSnippet({ url: 'https://lab.example/web/?a=1&b="2"', title: 'Lab <x>', width: 900, height: 600 });
  assert.match(s, /src="https:\/\/lab.example\/web\/\?a=1&amp;b=&quot;2&quot;"/);
  assert.match(s, /title="Lab &lt;x>"/);
  assert.ok(s.includes('loading="lazy"') && s.includes('allow="fullscreen"') && s.includes(`sandbox="${SANDBOX}"`) && SANDBOX.startsWith('allow-scripts'));
});
