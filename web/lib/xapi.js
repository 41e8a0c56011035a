// xapi.js - xAPI 1.0.3 statements about a student's exercises (issue #14), without the DOM: what the
// panels page posts through the host API as the event `statement` (web/ui/statements.js), for the
// course page to forward to its Learning Record Store. One statement per kept result of the store
// (web/lib/exercise-progress.js): `completed` when the exercise is finished, `answered` when a result
// was kept before its last stage was right (some stages checked).
//
// actor: the host's (URL key `actor`: a JSON Agent, as the TinCan launch convention passes it, or the
//   host API's setState {actor}); without one, an anonymous account {homePage: the page's origin,
//   name: a random id the browser keeps}, so an LRS can tell one browser's statements from another's
//   without knowing who the student is.
// object: the activity `BASE/EXERCISE_ID`; BASE is the URL key `activity` (an absolute http(s) IRI),
//   else the page's address without query and fragment.

/** The verbs (ADL's vocabulary, as @xapi/xapi's Verbs has them). */
export const VERBS = Object.freeze({
  answered: Object.freeze({ id: 'http://adlnet.gov/expapi/verbs/answered', display: Object.freeze({ 'en-US': 'answered' }) }),
  completed: Object.freeze({ id: 'http://adlnet.gov/expapi/verbs/completed', display: Object.freeze({ 'en-US': 'completed' }) }),
});
/** The activity type of an exercise (ADL's "assessment"). */
export const ACTIVITY_TYPE = 'http://adlnet.gov/expapi/activities/assessment';
/** The page's languages as RFC 5646 tags in statements. */
export const LANG_TAGS = Object.freeze({ en: 'en-US', ru: 'ru-RU' });

const IFI = ['mbox', 'mbox_sha1sum', 'openid', 'account'];
const httpIri = s => { try { const u = new URL(s); return /^https?:$/.test(u.protocol) ? u : null; } catch { return null; } };

/**
 * An actor (an xAPI Agent) checked: an object with exactly one inverse functional identifier (mbox
 * "mailto:...", mbox_sha1sum of 40 hex digits, openid IRI, account {homePage IRI, name}), an optional
 * name and objectType 'Agent'. Text is read as JSON. Throws a TypeError naming what is wrong.
 */
export function checkActor(a) {
  if (typeof a === 'string') {
    try { a = JSON.parse(a); } catch { throw new TypeError('actor: not JSON'); }
  }
  if (!a || typeof a !== 'object' || Array.isArray(a)) throw new TypeError('actor: not an object');
  for (const k of Object.keys(a)) if (![...IFI, 'name', 'objectType'].includes(k)) throw new TypeError(`actor: unknown field "${k}"`);
  if (a.objectType !== undefined && a.objectType !== 'Agent') throw new TypeError('actor: objectType must be "Agent"');
  if (a.name !== undefined && typeof a.name !== 'string') throw new TypeError('actor: name must be text');
  const ids = IFI.filter(k => a[k] !== undefined);
  if (ids.length !== 1) throw new TypeError(`actor: needs exactly one of ${IFI.join(', ')} (has ${ids.length})`);
  const v = a[ids[0]];
  const ok = {
    mbox: () => typeof v === 'string' && /^mailto:[^@\s]+@[^@\s]+$/.test(v),
    mbox_sha1sum: () => typeof v === 'string' && /^[0-9a-f]{40}$/i.test(v),
    openid: () => typeof v === 'string' && !!httpIri(v),
    account: () => !!v && typeof v === 'object' && Object.keys(v).every(k => k === 'homePage' || k === 'name') &&
      typeof v.homePage === 'string' && !!httpIri(v.homePage) && typeof v.name === 'string' && v.name !== '',
  }[ids[0]]();
  if (!ok) throw new TypeError(`actor: ${ids[0]} is not valid`);
  return { objectType: 'Agent', ...a };
}

/** The default actor: an anonymous account at the page's origin, `name` a random id kept by the browser. */
export const anonymousActor = (pageUrl, name) => ({ objectType: 'Agent', account: { homePage: new URL(pageUrl).origin, name } });

/** The base IRI of the activities: `activity` checked (absolute http(s), no fragment), else the page's address without query. */
export function activityBase(pageUrl, activity = null) {
  if (activity != null) {
    const u = httpIri(activity);
    if (!u || u.hash) throw new TypeError('activity: not an absolute http(s) address without #fragment');
    return u.href.replace(/\/+$/, '');
  }
  const u = new URL(pageUrl);
  return `${u.origin}${u.pathname}`;
}

/** xAPI durations: whole seconds as PT#S (ISO 8601). */
export const isoDuration = seconds => `PT${Math.max(0, Math.round(seconds))}S`;

/**
 * The statement for a kept result r ({id, panel, seed, stages, firstTry, hints, seconds, finished,
 * at}) with its score ({scaled, raw, success}: exercise-progress.js's scoreOf). ctx: {actor, base
 * (activityBase()), lang ('en' | 'ru'), names: {en, ru} (the exercise's title in each language),
 * timestamp (ISO, default r.at)}.
 */
export function statementFor(r, score, { actor, base, lang, names, timestamp = r.at }) {
  const name = {};
  for (const [l, tag] of Object.entries(LANG_TAGS)) if (names && names[l]) name[tag] = names[l];
  return {
    actor,
    verb: r.finished ? VERBS.completed : VERBS.answered,
    object: { objectType: 'Activity', id: `${base}/${r.id}`, definition: { type: ACTIVITY_TYPE, name } },
    result: {
      score: { scaled: score.scaled, raw: score.raw, min: 0, max: 100 },
      success: score.success, completion: r.finished, duration: isoDuration(r.seconds),
    },
    timestamp,
    context: { language: LANG_TAGS[lang] || LANG_TAGS.en },
  };
}
