// Shared helpers of the browser suites: the runner, assertions, log-in, and the lists of
// pages that the accessibility, page-weight and same-origin checks visit. A suite in
// suites/ adds its own pages to these lists when it is imported.

import { chromium } from 'playwright-core';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const AXE = join(here, 'node_modules', 'axe-core', 'axe.min.js');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const PASSWORD = 'convene-demo-2026';
export const SPOILER = 'Spoiler risk: militia commander opposes the ceasefire';
export const WEIGHT_LIMIT = 60 * 1024;

const BASE_ARG = process.argv[2];
if (!BASE_ARG) {
  console.error('usage: node run.mjs BASE_URL');
  process.exit(2);
}
export const BASE = new URL(BASE_ARG).origin;
export const url = (path) => BASE + path;

// --- a tiny runner -------------------------------------------------------------------

export const tests = [];
export const test = (name, fn) => tests.push({ name, fn });

export class Failure extends Error {}
export function assert(cond, msg) {
  if (!cond) throw new Failure(msg);
}
export function eq(actual, expected, msg) {
  if (actual !== expected) {
    throw new Failure(`${msg}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

// --- browser helpers -----------------------------------------------------------------

let browser;
export async function launch() {
  // launch() gives every run a fresh, temporary profile of its own.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  return browser;
}
export const requested = []; // every request URL of every page, for the same-origin check

export async function newContext(options = {}) {
  const ctx = await browser.newContext({ locale: 'en-GB', ...options });
  ctx.on('request', (r) => requested.push(r.url()));
  ctx.setDefaultTimeout(15000);
  return ctx;
}

// Sessions of earlier logins, by account: the server allows ten logins per account in
// fifteen minutes, and the suite would otherwise spend them.
const sessions = new Map();

export async function login(ctx, who) {
  const page = await ctx.newPage();
  if (sessions.has(who)) {
    await ctx.addCookies(sessions.get(who));
    const res = await page.goto(url('/account'));
    if (res && res.status() === 200 && !new URL(page.url()).pathname.startsWith('/login')) return page;
    await ctx.clearCookies();
  }
  await page.goto(url('/login'));
  await page.fill('#email', `${who}@demo.convene.example`);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
  assert(!new URL(page.url()).pathname.startsWith('/login'), `login of ${who} stays on ${page.url()}`);
  sessions.set(who, (await ctx.cookies()).filter((c) => c.name === 'convene_session'));
  return page;
}

export async function setLang(page, code) {
  const res = await page.goto(url(`/lang/${code}?next=/`));
  eq(res.status(), 200, `switch to ${code}`);
}

export async function status(page, path) {
  const res = await page.goto(url(path));
  return res.status();
}

// The concern's detail path, read from the list as the organiser sees it.
let spoilerPath;
export async function findSpoiler(page) {
  eq(await status(page, '/s/serran-valley/concerns'), 200, 'concern list');
  const link = page.locator('ul.records a', { hasText: SPOILER });
  eq(await link.count(), 1, 'organiser sees the organisers-only concern in the list');
  spoilerPath = await link.getAttribute('href');
  return spoilerPath;
}

// The detail page of the first concern the viewer sees in the list.
export async function firstConcern(page) {
  eq(await status(page, '/s/serran-valley/concerns'), 200, 'concern list');
  return page.locator('ul.records a').first().getAttribute('href');
}

// The tracker of the first agreement the viewer sees.
export async function firstAgreement(page) {
  eq(await status(page, '/s/serran-valley/agreements'), 200, 'agreements');
  return page.locator('ul.records a').first().getAttribute('href');
}

// The page of the first coalition the viewer sees.
export async function firstCoalition(page) {
  eq(await status(page, '/s/serran-valley/coalitions'), 200, 'coalitions');
  return page.locator('ul.records a').first().getAttribute('href');
}

// The page of the first agenda round the viewer sees.
export async function firstAgenda(page) {
  eq(await status(page, '/s/serran-valley/agenda'), 200, 'agenda rounds');
  return page.locator('ul.records a').first().getAttribute('href');
}

// The page of the first joint action the viewer sees.
export async function firstAction(page) {
  eq(await status(page, '/s/serran-valley/actions'), 200, 'joint actions');
  return page.locator('ul.records a').first().getAttribute('href');
}

// The page of the newest campaign update the viewer sees.
export async function firstUpdate(page) {
  eq(await status(page, '/s/serran-valley/campaign'), 200, 'campaign');
  return page.locator('ul.records a').first().getAttribute('href');
}

// The page of the newest campaign update with a photo the viewer sees.
export async function photoUpdate(page) {
  eq(await status(page, '/s/serran-valley/campaign'), 200, 'campaign');
  return page.locator('ul.records li:has(img.thumb) a').first().getAttribute('href');
}

// The page of the first campaign update with a video (the demo has one where ffmpeg
// is installed, as it is for this suite).
export async function videoUpdate(page) {
  eq(await status(page, '/s/serran-valley/campaign'), 200, 'campaign');
  const hrefs = await page.locator('ul.records a[href*="/campaign/updates/"]').evaluateAll(
    (as) => as.map((a) => a.getAttribute('href')));
  for (const h of hrefs) {
    const res = await page.request.get(url(h));
    if ((await res.text()).includes('<video')) return h;
  }
  throw new Failure('no update with a video in the demo');
}

// The page of the first pledge the viewer sees on the campaign page.
export async function firstPledge(page) {
  eq(await status(page, '/s/serran-valley/campaign'), 200, 'campaign');
  const hrefs = await page.locator('a[href^="/s/serran-valley/campaign/pledges/"]').evaluateAll(
    (as) => as.map((a) => a.getAttribute('href')));
  return hrefs.find((h) => /\/pledges\/\d+$/.test(h));
}

// The page of the first call to action on the campaign page.
export async function firstCall(page) {
  eq(await status(page, '/s/serran-valley/campaign'), 200, 'campaign');
  const hrefs = await page.locator('a[href^="/s/serran-valley/campaign/calls/"]').evaluateAll(
    (as) => as.map((a) => a.getAttribute('href')));
  return hrefs.find((h) => /\/calls\/\d+$/.test(h));
}

// The representatives finder with a place chosen (Amber Ford), and the first
// representative listed there.
export async function repsFound(page) {
  eq(await status(page, '/s/serran-valley/campaign/representatives'), 200, 'finder');
  const value = await page.locator('#place option', { hasText: 'Amber Ford' }).first().getAttribute('value')
    .catch(() => null);
  const v = value || (await page.locator('#place option').nth(2).getAttribute('value'));
  return `/s/serran-valley/campaign/representatives?place=${v}`;
}

export async function firstRep(page) {
  const found = await repsFound(page);
  eq(await status(page, found), 200, 'finder with a place');
  const hrefs = await page.locator('ul.reps a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  return hrefs[0];
}

// How many pages a PDF has (its page objects, not the page tree).
export function pdfPages(buf) {
  return (buf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
}

// The demo's dialogue series, and the board of one of its rounds (by position on
// the series page: 5 is core round 4, whose roster raises warnings).
export async function firstSeries(page) {
  eq(await status(page, '/s/serran-valley/dialogues'), 200, 'dialogue series');
  const hrefs = await page.locator('a[href^="/s/serran-valley/dialogues/"]').evaluateAll(
    (as) => as.map((a) => a.getAttribute('href')));
  return hrefs.find((h) => /\/dialogues\/\d+$/.test(h));
}

export async function roundBoard(page, n) {
  const series = await firstSeries(page);
  eq(await status(page, series), 200, 'series');
  const hrefs = await page.locator(`a[href^="${series}/rounds/"]`).evaluateAll(
    (as) => as.map((a) => a.getAttribute('href')));
  return hrefs.filter((h) => !h.endsWith('/notes'))[n];
}

// Pages to check, by who sees them. Suites push their own pages into these lists.
export const PUBLIC_PAGES = [
  '/',
  '/login',
  '/s/serran-valley',
  '/s/serran-valley/concerns',
  '/s/serran-valley/activities',
  '/s/serran-valley/contacts',
  '/s/serran-valley/search?q=border',
  'FIRST_CONCERN',
];
export const ORGANISER_PAGES = [
  '/',
  '/account',
  '/spaces/new',
  '/s/serran-valley',
  '/s/serran-valley/concerns',
  '/s/serran-valley/activities',
  '/s/serran-valley/contacts',
  '/s/serran-valley/concerns/new',
  '/s/serran-valley/search?q=border',
  '/s/serran-valley/members',
  '/s/serran-valley/audit',
  'FIRST_CONCERN',
  'SPOILER',
];
export const OWNER_PAGES = [
  '/s/serran-valley/settings',
  '/s/veluna-kestria-dialogue',
  '/s/civil-society-coalition',
];
// Pages expected to answer with an error page, which must be accessible as well.
export const ERROR_PAGES = [['/s/veluna-kestria-dialogue', 404]];

export const ROLES = [
  ['anonymous', null, PUBLIC_PAGES],
  ['organiser', 'organiser', ORGANISER_PAGES],
  ['owner', 'owner', OWNER_PAGES],
];

export async function pagesFor(page, pages) {
  const out = [];
  for (const p of pages) {
    if (p === 'SPOILER') out.push(spoilerPath || (await findSpoiler(page)));
    else if (p === 'FIRST_CONCERN') out.push(await firstConcern(page));
    else if (p === 'FIRST_AGREEMENT') out.push(await firstAgreement(page));
    else if (p === 'FIRST_COALITION') out.push(await firstCoalition(page));
    else if (p === 'FIRST_AGENDA') out.push(await firstAgenda(page));
    else if (p === 'FIRST_ACTION') out.push(await firstAction(page));
    else if (p === 'FIRST_UPDATE') out.push(await firstUpdate(page));
    else if (p === 'FIRST_PLEDGE') out.push(await firstPledge(page));
    else if (p === 'FIRST_CALL') out.push(await firstCall(page));
    else if (p === 'REPS_FOUND') out.push(await repsFound(page));
    else if (p === 'FIRST_REP') out.push(await firstRep(page));
    else if (p === 'PHOTO_UPDATE') out.push(await photoUpdate(page));
    else if (p === 'VIDEO_UPDATE') out.push(await videoUpdate(page));
    else if (p === 'FIRST_AGENDA_BRIEF') out.push(`${await firstAgenda(page)}/brief`);
    else if (p === 'FIRST_SERIES') out.push(await firstSeries(page));
    else if (p === 'SERIES_PARTICIPANTS') out.push(`${await firstSeries(page)}/participants`);
    else if (p === 'SERIES_AGENDA') out.push(`${await firstSeries(page)}/agenda`);
    else if (p === 'ROUND4_BOARD') out.push(await roundBoard(page, 5));
    else if (p === 'ROUND3_NOTES') out.push(`${await roundBoard(page, 3)}/notes`);
    else out.push(p);
  }
  return out;
}

