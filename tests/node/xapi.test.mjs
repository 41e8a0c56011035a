// xapi.test.mjs - the xAPI statements of web/lib/xapi.js against what the npm package @xapi/xapi (3.x)
// offers: it has no run-time validator, so the test uses its run-time constants (Verbs.ANSWERED,
// Verbs.COMPLETED), its helpers (calculateISO8601Duration, getSearchQueryParamsAsObject: the TinCan
// launch's actor) and its TypeScript declarations read as a schema (dist/types/.../*.d.ts: every
// field of Statement, Result, ResultScore, Activity, ActivityDefinition, Context, Agent, Account is
// declared there, required ones without "?"; the language tags are its RFC5646LanguageCodes).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { statementFor, checkActor, anonymousActor, activityBase, isoDuration, VERBS } from '../../web/lib/xapi.js';
import { scoreOf } from '../../web/lib/exercise-progress.js';

const require = createRequire(import.meta.url);
const XAPI = require('@xapi/xapi');
const TYPES = new URL('../../node_modules/@xapi/xapi/dist/types/resources/', import.meta.url);

/** An interface of the package's declarations: {fields: Map name -> required}. */
function iface(file, name) {
  const src = fs.readFileSync(new URL(file, TYPES), 'utf8');
  const m = src.match(new RegExp(`export interface ${name}(?: extends (\\w+))? \\{([\\s\\S]*?)\\n\\}`));
  assert.ok(m, `interface ${name} in ${file}`);
  const fields = new Map([...m[2].matchAll(/^\s+(\w+)(\?)?:/gm)].map(f => [f[1], !f[2]]));
  return { fields };
}
const IFI = () => {
  const src = fs.readFileSync(new URL('statement/InverseFunctionalIdentifier.d.ts', TYPES), 'utf8');
  return new Map([...src.matchAll(/^\s+(\w+)(\?)?:/gm)].map(f => [f[1], !f[2]]));
};
const SCHEMA = {
  Statement: iface('statement/Statement.d.ts', 'Statement'),
  Result: iface('statement/Result.d.ts', 'Result'),
  ResultScore: iface('statement/Result.d.ts', 'ResultScore'),
  Activity: iface('activities/Activity.d.ts', 'Activity'),
  ActivityDefinition: iface('activities/ActivityDefinition.d.ts', 'ActivityDefinition'),
  Context: iface('statement/Context.d.ts', 'Context'),
  Agent: { fields: new Map([...iface('statement/Agent.d.ts', 'Agent').fields, ...IFI()]) },
  Account: iface('statement/Account.d.ts', 'Account'),
};
const LANGS = new Set([...fs.readFileSync(new URL('statement/RFC5646LanguageCodes.d.ts', TYPES), 'utf8').matchAll(/"([^"]+)"/g)].map(m => m[1]));

/** Every key of obj is declared by the interface, and every required one is there. */
function conforms(obj, name, where = name) {
  const { fields } = SCHEMA[name];
  for (const k of Object.keys(obj)) assert.ok(fields.has(k), `${where}.${k} is not a field of ${name}`);
  for (const [k, req] of fields) if (req) assert.ok(k in obj, `${where}.${k} (required by ${name}) is missing`);
}
function checkStatement(s) {
  conforms(s, 'Statement');
  conforms(s.actor, 'Agent', 'actor');
  if (s.actor.account) conforms(s.actor.account, 'Account', 'actor.account');
  conforms(s.object, 'Activity', 'object');
  conforms(s.object.definition, 'ActivityDefinition', 'object.definition');
  for (const tag of Object.keys(s.object.definition.name)) assert.ok(LANGS.has(tag), `language ${tag}`);
  conforms(s.result, 'Result', 'result');
  conforms(s.result.score, 'ResultScore', 'result.score');
  conforms(s.context, 'Context', 'context');
  assert.ok(LANGS.has(s.context.language), s.context.language);
  // xAPI 1.0.3 Data 4.1.5: scaled in [-1, 1], raw between min and max; timestamps ISO 8601 with the zone
  const sc = s.result.score;
  assert.ok(sc.scaled >= -1 && sc.scaled <= 1 && sc.min <= sc.raw && sc.raw <= sc.max, JSON.stringify(sc));
  assert.match(s.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.ok(new URL(s.object.id));
}
/** Seconds of an ISO 8601 duration PTnHnMnS. */
const seconds = d => { const m = d.match(/^P(?:(\d+)D)?T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/); return (+m[1] || 0) * 86400 + (+m[2] || 0) * 3600 + (+m[3] || 0) * 60 + (+m[4] || 0); };

const PAGE = 'https://lab.example/course/web/panels.html?p=mlp&lang=ru#x';
const R = o => ({ id: 'mlp', panel: 'mlp', seed: null, stages: 5, firstTry: 4, hints: 1, seconds: 125, finished: true, at: '2026-12-01T10:00:00.000Z', ...o });
const NAMES = { en: 'One hidden layer (2-2-2)', ru: 'Скрытый слой (2-2-2)' };

test('a finished exercise: completed, score 4 of 5 = 0.8 (raw 80 of 0..100), success, duration 125 s, names in en-US and ru-RU', () => {
  const r = R();
  const s = statementFor(r, scoreOf(r), { actor: anonymousActor(PAGE, 'anonymous-1'), base: activityBase(PAGE), lang: 'ru', names: NAMES });
  checkStatement(s);
  assert.deepEqual(s.verb, XAPI.Verbs.COMPLETED);
  assert.deepEqual(s.result.score, { scaled: 0.8, raw: 80, min: 0, max: 100 });
  assert.equal(s.result.success, true);
  assert.equal(s.result.completion, true);
  assert.equal(s.result.duration, 'PT125S');
  assert.equal(seconds(s.result.duration), seconds(XAPI.calculateISO8601Duration(new Date(0), new Date(125000))));   // PT2M5S
  assert.equal(s.object.id, 'https://lab.example/course/web/panels.html/mlp');
  assert.deepEqual(s.object.definition.name, { 'en-US': NAMES.en, 'ru-RU': NAMES.ru });
  assert.equal(s.context.language, 'ru-RU');
  assert.deepEqual(s.actor, { objectType: 'Agent', account: { homePage: 'https://lab.example', name: 'anonymous-1' } });
  assert.equal(s.timestamp, r.at);
  // the schema check can fail: a misspelt field, a missing required one, a language the package does not know
  assert.throws(() => checkStatement({ ...s, results: s.result }), /results is not a field of Statement/);
  const { verb, ...noVerb } = s;
  assert.ok(verb);
  assert.throws(() => checkStatement(noVerb), /verb \(required/);
  assert.throws(() => checkStatement({ ...s, result: { ...s.result, score: { raw: 80 } } }), /scaled \(required/);
  assert.throws(() => checkStatement({ ...s, context: { language: 'ru_RU' } }), /ru_RU/);
});

test('a result kept before the end: answered, completion false, not a success; a drawn exercise has its seed in the id', () => {
  const r = R({ id: 'mlp@42', seed: 42, finished: false, firstTry: 2 });
  const s = statementFor(r, scoreOf(r), { actor: checkActor({ mbox: 'mailto:student@uni.example' }), base: activityBase(PAGE, 'https://course.example/backprop/'), lang: 'en', names: NAMES });
  checkStatement(s);
  assert.deepEqual(s.verb, XAPI.Verbs.ANSWERED);
  assert.equal(VERBS.answered.id, XAPI.Verbs.ANSWERED.id);
  assert.equal(s.result.completion, false);
  assert.equal(s.result.success, false);
  assert.equal(s.result.score.scaled, 0.4);
  assert.equal(s.object.id, 'https://course.example/backprop/mlp@42');
  assert.equal(isoDuration(0.4), 'PT0S');
});

test('the actor of the TinCan launch URL (?actor=JSON) is read as @xapi/xapi reads it; bad actors are refused by name', () => {
  const agent = { name: 'Ann', account: { homePage: 'https://moodle.example', name: '1234' } };
  const url = `https://lab.example/web/panels.html?actor=${encodeURIComponent(JSON.stringify(agent))}`;
  const theirs = XAPI.getSearchQueryParamsAsObject(url).actor;
  assert.deepEqual(checkActor(new URL(url).searchParams.get('actor')), { objectType: 'Agent', ...theirs });
  assert.throws(() => checkActor('{'), /not JSON/);
  assert.throws(() => checkActor({ name: 'x' }), /exactly one/);
  assert.throws(() => checkActor({ mbox: 'mailto:a@b', openid: 'https://x.example' }), /exactly one/);
  assert.throws(() => checkActor({ mbox: 'a@b' }), /mbox is not valid/);
  assert.throws(() => checkActor({ account: { homePage: 'moodle', name: '1' } }), /account is not valid/);
  assert.throws(() => checkActor({ mbox: 'mailto:a@b', role: 'x' }), /unknown field "role"/);
  assert.throws(() => checkActor({ mbox: 'mailto:a@b', objectType: 'Group' }), /objectType/);
  assert.throws(() => activityBase(PAGE, 'course/backprop'), /activity/);
  assert.throws(() => activityBase(PAGE, 'https://c.example/a#b'), /activity/);
});
