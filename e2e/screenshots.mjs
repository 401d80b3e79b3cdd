// Screenshots of the main pages for docs/screenshots/, taken from a fresh `convene demo`
// in headless Chromium (the public's view unless said otherwise; English, and Urdu where
// the file name says so).
//
//   node e2e/screenshots.mjs http://127.0.0.1:PORT docs/screenshots
//
// Not part of the test suites: run it by hand when the pages change.

import { chromium } from 'playwright-core';
import { join } from 'node:path';

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node e2e/screenshots.mjs BASE_URL OUT_DIR');
  process.exit(2);
}
const url = (p) => new URL(p, base).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function context(lang, who) {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-GB' });
  const page = await ctx.newPage();
  if (lang === 'ur') await page.goto(url('/lang/ur?next=/'));
  if (who) {
    await page.goto(url('/login'));
    await page.fill('#email', `${who}@demo.convene.example`);
    await page.fill('#password', 'convene-demo-2026');
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
  }
  return { ctx, page };
}

// The first link on `from` whose address matches `re` and whose target page has `has`.
async function find(page, from, re, has) {
  await page.goto(url(from));
  const hrefs = await page.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const h of [...new Set(hrefs.filter((h) => h && re.test(h)))]) {
    const res = await page.request.get(url(h));
    if (!has || (await res.text()).includes(has)) return h;
  }
  return from;
}

const shots = [
  ['home', null, 'en', async () => '/'],
  ['space', null, 'en', async () => '/s/serran-valley'],
  ['campaign', null, 'en', async () => '/s/serran-valley/campaign'],
  ['campaign-update-photos', null, 'en', async (p) => find(p, '/s/serran-valley/campaign', /\/campaign\/updates\/\d+$/, '<video')],
  ['campaign-update-light-ur', null, 'ur', async (p) => {
    await p.goto(url('/light/on?next=/'));
    return find(p, '/s/serran-valley/campaign', /\/campaign\/updates\/\d+$/, '<figure class="photo">');
  }],
  ['pledge-support-map', null, 'en', async (p) => find(p, '/s/serran-valley/campaign', /\/campaign\/pledges\/\d+$/, 'class="map support"')],
  ['representatives', null, 'en', async (p) => {
    await p.goto(url('/s/serran-valley/campaign/representatives'));
    const v = await p.locator('#place option', { hasText: 'Amber Ford' }).first().getAttribute('value');
    return `/s/serran-valley/campaign/representatives?place=${v}`;
  }],
  ['representative-writer', null, 'en', async (p) => find(p, '/s/serran-valley/campaign/representatives/replies', /\/campaign\/representatives\/\d+$/, 'name="body"')],
  ['reply-rates', null, 'en', async () => '/s/serran-valley/campaign/representatives/replies'],
  ['activities', null, 'en', async () => '/s/serran-valley/activities'],
  ['places', null, 'en', async () => '/s/serran-valley/places'],
  ['polls', null, 'en', async () => '/s/serran-valley/polls'],
  ['organiser-space', 'organiser', 'en', async () => '/s/serran-valley'],
  ['dialogue-series', 'organiser', 'en', async (p) => series(p)],
  ['selection-board', 'organiser', 'en', async (p) => roundBoard(p, 5)],
  ['selection-board-ur', 'organiser', 'ur', async (p) => roundBoard(p, 5)],
];

// The demo's dialogue series, and the board of its n-th round by date.
async function series(page) {
  await page.goto(url('/s/serran-valley/dialogues'));
  const hrefs = await page.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  return hrefs.find((h) => h && /\/dialogues\/\d+$/.test(h));
}
async function roundBoard(page, n) {
  const s = await series(page);
  await page.goto(url(s));
  const hrefs = await page.locator(`a[href^="${s}/rounds/"]`).evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  return hrefs.filter((h) => !h.endsWith('/notes'))[n];
}
// SHOTS=a,b takes only those.
const only = process.env.SHOTS ? process.env.SHOTS.split(',') : null;

for (const [name, who, lang, path] of shots) {
  if (only && !only.includes(name)) continue;
  const { ctx, page } = await context(lang, who);
  try {
    const p = await path(page);
    await page.goto(url(p), { waitUntil: 'load' });
    // Lazy images load once scrolled to; the shot is of the whole page, at most 2,400 px.
    await page.evaluate(async () => {
      for (const img of document.images) img.loading = 'eager';
      window.scrollTo(0, document.body.scrollHeight);
      await Promise.all([...document.images].map((i) => (i.complete ? null : new Promise((r) => { i.onload = r; i.onerror = r; }))));
      window.scrollTo(0, 0);
    });
    const height = Math.min(2400, await page.evaluate(() => document.documentElement.scrollHeight));
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: true, clip: { x: 0, y: 0, width: 1100, height } });
    console.log(`${name}: ${p}`);
  } finally {
    await ctx.close();
  }
}
await browser.close();
