// Opinion mapping: voting without JavaScript, moderation with a reason the author sees,
// the results map and tables (also right-to-left), the printable report. The pages are
// added to the lists that the accessibility, page-weight and same-origin checks visit.

import {
  url,
  test,
  assert,
  eq,
  newContext,
  login,
  setLang,
  status,
  PUBLIC_PAGES,
  ORGANISER_PAGES,
  OWNER_PAGES,
} from '../lib.mjs';

// The demo's conversations, read from the list (their ids depend on the seed order).
const listHtml = await (await fetch(url('/s/serran-valley/opinion'))).text();
const convs = [...listHtml.matchAll(/<a href="(\/s\/serran-valley\/opinion\/\d+)">([^<]*)<\/a>/g)]
  .map((m) => ({ path: m[1], topic: m[2] }));
const MAIN = convs.find((c) => c.topic.includes('talks'))?.path;
const YOUNG = convs.find((c) => c.topic.includes('cricket'))?.path;

if (MAIN && YOUNG) {
  PUBLIC_PAGES.push(
    '/s/serran-valley/opinion',
    MAIN,
    `${MAIN}/results`,
    `${MAIN}/report`,
    `${YOUNG}/results`,
  );
  ORGANISER_PAGES.push(
    '/s/serran-valley/opinion',
    MAIN,
    `${MAIN}/moderate`,
    `${MAIN}/results`,
    '/s/serran-valley/opinion/import',
  );
  OWNER_PAGES.push(`${MAIN}/results`);
}

test('opinion: the demo has its two conversations', async () => {
  assert(MAIN, `main conversation listed: ${JSON.stringify(convs)}`);
  assert(YOUNG, 'young conversation listed');
});

const STATEMENT = `Night buses between Serran town and Port Alder ${Date.now()}`;

test('opinion: an anonymous visitor votes to the end and adds a statement, without JavaScript', async () => {
  const ctx = await newContext({ javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    eq(await status(page, YOUNG), 200, 'conversation page');
    const seen = new Set();
    for (let i = 0; i < 3; i += 1) {
      const text = await page.locator('blockquote.statement').innerText();
      assert(!seen.has(text), `statement offered twice: ${text}`);
      seen.add(text);
      const choice = ['agree', 'disagree', 'pass'][i];
      await Promise.all([page.waitForNavigation(), page.click(`form.ballot button[value=${choice}]`)]);
    }
    const done = await page.locator('#vote').innerText();
    assert(done.includes('You have voted on everything'), `end of voting: ${done}`);
    const cookies = await ctx.cookies();
    const participant = cookies.find((c) => c.name === 'convene_participant');
    assert(participant && participant.httpOnly, 'an HttpOnly participant cookie');

    eq(await status(page, MAIN), 200, 'main conversation');
    await page.fill('#body', STATEMENT);
    await Promise.all([page.waitForNavigation(), page.click('#add button[type=submit]')]);
    const main = await page.locator('main').innerText();
    assert(main.includes('after moderation'), 'told the statement waits for moderation');
    assert(main.includes(STATEMENT) && main.includes('Awaiting moderation'), 'own statement listed as waiting');
  } finally {
    await ctx.close();
  }
});

test('opinion: the organiser rejects a statement with a reason, and the decision is audited', async () => {
  const ctx = await newContext();
  try {
    const page = await login(ctx, 'organiser');
    eq(await status(page, `${MAIN}/moderate`), 200, 'moderation queue');
    const item = page.locator('ul.moderation li', { hasText: STATEMENT });
    eq(await item.count(), 1, 'the new statement is in the queue');
    await item.locator('input[name=reason]').fill('Please keep to the agenda of the talks');
    await Promise.all([page.waitForNavigation(), item.locator('button[value=reject]').click()]);
    eq(await page.locator('ul.moderation li', { hasText: STATEMENT }).count(), 0, 'left the queue');
    eq(await status(page, '/s/serran-valley/audit'), 200, 'audit log');
    assert((await page.locator('main').innerText()).includes('statement.reject'), 'the decision is audited');
  } finally {
    await ctx.close();
  }
});

test('opinion: results show an SVG map with groups and tables, also right-to-left', async () => {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    eq(await status(page, `${MAIN}/results`), 200, 'results');
    eq(await page.locator('svg.map[role=img]').count(), 1, 'one inline SVG map');
    assert(await page.locator('svg.map circle').count() > 50, 'participants are drawn');
    const text = await page.locator('main').innerText();
    assert(text.includes('Group A') && text.includes('Group B'), 'groups are named');
    assert(text.includes('Common ground') && text.includes('What divides the groups'), 'consensus and divisive sections');
    assert(await page.locator('main table').count() >= 4, 'the same facts as tables');
    eq(await status(page, `${YOUNG}/results`), 200, 'young results');
    assert((await page.locator('main').innerText()).includes('Not enough votes yet'), 'too few votes for groups');
    await setLang(page, 'ur');
    eq(await status(page, `${MAIN}/results`), 200, 'results in Urdu');
    eq(await page.getAttribute('html', 'dir'), 'rtl', 'rtl');
    eq(await page.locator('svg.map').count(), 1, 'the map renders in rtl');
  } finally {
    await ctx.close();
  }
});

test('opinion: the report prints without site navigation', async () => {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    eq(await status(page, `${MAIN}/report`), 200, 'report');
    await page.emulateMedia({ media: 'print' });
    eq(await page.locator('header.top').isVisible(), false, 'site header hidden in print');
    assert(await page.locator('svg.map').isVisible(), 'map printed');
  } finally {
    await ctx.close();
  }
});
