// The coordination site: the public finds a district from the space's page through
// the map drawn on the server, finds an activity there and joins it, with JavaScript
// off and on, in English and in Urdu (right to left). The gazetteer's and the
// activities' pages join the accessibility, weight and same-origin checks.

import { url, test, assert, eq, newContext, login, setLang, pdfPages, PUBLIC_PAGES, ORGANISER_PAGES, ERROR_PAGES } from '../lib.mjs';

const PLACES = '/s/serran-valley/places';
PUBLIC_PAGES.push(
  PLACES,
  `${PLACES}/VL01`,
  `${PLACES}/VL0102`,
  `${PLACES}?q=bell`,
  '/s/serran-valley/activities/upcoming',
  '/s/serran-valley/activities/upcoming?district=VL01',
  '/s/serran-valley/calendar',
  '/s/serran-valley/activities/3w',
  '/s/serran-valley/activities/3w?region=KS02',
  '/s/serran-valley/organisations',
  '/s/serran-valley/concerns/common',
  '/s/serran-valley/agreements',
  'FIRST_AGREEMENT',
  '/s/serran-valley/coalitions',
  'FIRST_COALITION',
  '/s/serran-valley/agenda',
  'FIRST_AGENDA',
  'FIRST_AGENDA_BRIEF',
  '/s/serran-valley/actions',
);
ORGANISER_PAGES.push(
  PLACES,
  '/s/serran-valley/activities/plan',
  '/s/serran-valley/calendar',
  '/s/serran-valley/activities/3w',
  '/s/serran-valley/concerns/new',
  '/s/serran-valley/organisations',
  '/s/serran-valley/agreements',
  'FIRST_AGREEMENT',
  '/s/serran-valley/coalitions',
  'FIRST_COALITION',
  '/s/serran-valley/agenda',
  'FIRST_AGENDA',
  'FIRST_AGENDA_BRIEF',
  '/s/serran-valley/actions',
  'FIRST_ACTION',
  '/s/serran-valley/actions/stuck',
  '/s/serran-valley/invitations',
);
ERROR_PAGES.push(['/invite/not-a-real-token', 404]);

for (const js of [false, true]) {
  for (const lang of ['en', 'ur']) {
    test(`places: a district is found through the map (JavaScript ${js ? 'on' : 'off'}, ${lang})`, async () => {
      const ctx = await newContext({ javaScriptEnabled: js });
      try {
        const page = await ctx.newPage();
        await page.goto(url('/'));
        if (lang === 'ur') await setLang(page, 'ur');
        await page.goto(url('/s/serran-valley'));
        await page.click(`a[href="${PLACES}"]`);
        eq(new URL(page.url()).pathname, PLACES, 'the places page');
        eq(await page.locator('svg path').count(), 4, 'the regions on the map');
        if (lang === 'ur') {
          eq(await page.getAttribute('html', 'dir'), 'rtl', 'right to left');
        }
        // A region on the map is a link to its page.
        await page.click(`svg a[href="${PLACES}/VL01"] path`);
        eq(new URL(page.url()).pathname, `${PLACES}/VL01`, 'the region page');
        eq(await page.locator('svg path').count(), 6, "the region's districts");
        const name = lang === 'ur' ? 'بیل ہل' : 'Bell Hill';
        await page.click(`ul.places a:has-text("${name}")`);
        eq(new URL(page.url()).pathname, `${PLACES}/VL0102`, 'the district page');
        assert((await page.textContent('h1')).includes(name), 'the district is named');
      } finally {
        await ctx.close();
      }
    });
  }
}

for (const js of [false, true]) {
  for (const lang of ['en', 'ur']) {
    test(`activities: the public finds one in a district and joins it (JavaScript ${js ? 'on' : 'off'}, ${lang})`, async () => {
      const ctx = await newContext({ javaScriptEnabled: js });
      try {
        const page = await ctx.newPage();
        await page.goto(url('/'));
        if (lang === 'ur') await setLang(page, 'ur');
        await page.goto(url(`${PLACES}/VL0102`));
        // The district's page lists its next activities; the first one opens.
        const first = page.locator('ul.activities a').first();
        const title = (await first.textContent()).trim();
        await first.click();
        assert(/\/activities\/\d+\/join$/.test(new URL(page.url()).pathname), `an activity page: ${page.url()}`);
        eq((await page.textContent('h1')).trim(), title, 'the activity');
        if (lang === 'ur') eq(await page.getAttribute('html', 'dir'), 'rtl', 'right to left');
        await page.fill('#name', lang === 'ur' ? 'آمنہ' : 'Amina');
        await page.fill('#phone', `+92300${js ? 1 : 2}${lang === 'ur' ? 1 : 2}00001`);
        await page.click('form[action$="/join"] button[type="submit"]:not([name])');
        const status = (await page.textContent('#status')).trim();
        const ok = lang === 'ur'
          ? ['آپ شامل ہو گئے ہیں۔', 'سرگرمی بھری ہوئی ہے: آپ انتظار کی فہرست میں ہیں۔']
          : ['You have joined.', 'The activity is full: you are on the waiting list.'];
        assert(ok.includes(status), `joined: ${status}`);
      } finally {
        await ctx.close();
      }
    });
  }
}

// Organisations on both sides endorse a concern and the common-concerns page
// changes. Each variant raises a concern of its own, since the demo server is shared.
for (const [js, lang] of [[false, 'en'], [true, 'ur']]) {
  test(`organisations: endorsements from both sides make a concern common (JavaScript ${js ? 'on' : 'off'}, ${lang})`, async () => {
    const title = `Bus route between the two markets (${js ? 'on' : 'off'} ${lang})`;
    const memberCtx = await newContext({ javaScriptEnabled: js });
    const focalCtx = await newContext({ javaScriptEnabled: js });
    try {
      const member = await login(memberCtx, 'member');
      if (lang === 'ur') await setLang(member, 'ur');
      await member.goto(url('/s/serran-valley/concerns/new'));
      await member.fill('#title', title);
      await member.selectOption('#level', 'public');
      await member.click('form.form button[type=submit]');
      const concern = new URL(member.url()).pathname;
      assert(/^\/s\/serran-valley\/concerns\/\d+$/.test(concern), concern);
      if (lang === 'ur') eq(await member.getAttribute('html', 'dir'), 'rtl', 'right to left');
      // One organisation of one side: not yet common.
      await member.fill('#note', lang === 'ur' ? 'ہمارے ارکان روز سفر کرتے ہیں' : 'Our members travel daily');
      await member.click('form[action$="/endorse"] button[type="submit"]');
      await member.goto(url('/s/serran-valley/concerns/common'));
      assert(!(await member.content()).includes(title), 'one side only: not common');
      // The other side's organisation: now common.
      const focal = await login(focalCtx, 'focal');
      if (lang === 'ur') await setLang(focal, 'ur');
      await focal.goto(url(concern));
      await focal.click('form[action$="/endorse"] button[type="submit"]');
      await member.goto(url('/s/serran-valley/concerns/common'));
      const li = member.locator('ol.common li', { hasText: title });
      eq(await li.count(), 1, 'the concern is common across the divide');
      assert((await li.textContent()).includes(lang === 'ur' ? '2 فریق' : '2 sides'), await li.textContent());
    } finally {
      await memberCtx.close();
      await focalCtx.close();
    }
  });
}

// The agreement tracker: the organiser records a provision's progress with its
// evidence, without JavaScript; the public reads it on the tracker with JavaScript
// off in English and on in Urdu. (One log-in: the accounts' log-ins are rate-limited.)
test('agreements: progress recorded on a provision shows on the public tracker (organiser without JavaScript; public en and ur)', async () => {
  const orgCtx = await newContext({ javaScriptEnabled: false });
  try {
    const org = await login(orgCtx, 'organiser');
    await org.goto(url('/s/serran-valley/agreements'));
    await org.click('ul.records a:has-text("Serran Valley Accord")');
    const tracker = new URL(org.url()).pathname;
    const evidence = `Customs forms printed in both languages (${Date.now()})`;
    // The provision 2.2 (customs), not started in the demo.
    const item = org.locator('ol.provisions > li', { hasText: 'Customs procedures' });
    await item.locator('summary').click();
    await item.locator('select[name=status]').selectOption('minimal');
    await item.locator('input[name=evidence]').fill(evidence);
    await item.locator('form[action$="/status"] button[type=submit]').click();
    eq(new URL(org.url()).pathname, tracker, 'back on the tracker');
    for (const [js, lang] of [[false, 'en'], [true, 'ur']]) {
      const pubCtx = await newContext({ javaScriptEnabled: js });
      try {
        const pub = await pubCtx.newPage();
        await pub.goto(url('/'));
        if (lang === 'ur') await setLang(pub, 'ur');
        await pub.goto(url(tracker));
        if (lang === 'ur') eq(await pub.getAttribute('html', 'dir'), 'rtl', 'right to left');
        const row = pub.locator('ol.provisions > li', { hasText: 'Customs procedures' });
        assert((await row.textContent()).includes(evidence), `the evidence is public (${lang})`);
        eq((await row.locator('.badge').textContent()).trim(), lang === 'ur' ? 'کم سے کم' : 'Minimal', 'the status');
        eq(await pub.locator('form[action$="/status"]').count(), 0, 'the public has no form');
      } finally {
        await pubCtx.close();
      }
    }
  } finally {
    await orgCtx.close();
  }
});

// Collaborative agenda-setting: the owner (an organiser of the space, logged in once:
// log-ins are rate-limited per account and the organiser account's are spent by
// other suites) opens a round without JavaScript and proposes for the groups; a
// member of the public, with JavaScript and in Urdu, supports an item and proposes
// one; the owner approves it and closes the round into its brief, printed on at most
// two A4 sides in English and in Urdu, as is the demo round's with its notes of
// dissent.
test('agenda: a round is proposed to, supported, closed and its brief printed (organiser JavaScript off, en; public on, ur)', async () => {
  const orgCtx = await newContext({ javaScriptEnabled: false });
  const pubCtx = await newContext({ javaScriptEnabled: true });
  try {
    const org = await login(orgCtx, 'owner');
    await org.goto(url('/s/serran-valley'));
    await org.click('a[href="/s/serran-valley/agenda"]');
    const name = `Agenda for the water talks (${Date.now()})`;
    await org.fill('#title', name);
    await org.fill('#body', 'What should the water talks take up?');
    await org.selectOption('#level', 'public');
    await org.click('form.form button[type=submit]');
    const round = new URL(org.url()).pathname;
    assert(/^\/s\/serran-valley\/agenda\/\d+$/.test(round), round);
    for (const item of ['Share the dry-season flow', 'Joint gauges on the river']) {
      await org.fill('#title', item);
      await org.click('form[action$="/propose"] button[type=submit]');
      eq(new URL(org.url()).pathname, round, 'back on the round');
    }
    // The public, in Urdu with JavaScript: supports the second item, proposes one.
    const pub = await pubCtx.newPage();
    await pub.goto(url('/'));
    await setLang(pub, 'ur');
    await pub.goto(url(round));
    eq(await pub.getAttribute('html', 'dir'), 'rtl', 'right to left');
    const gauges = pub.locator('ol.agenda > li', { hasText: 'Joint gauges on the river' });
    await gauges.locator('button[value=support]').click();
    await pub.waitForURL((u) => u.pathname === round);
    assert((await pub.locator('ol.agenda > li', { hasText: 'Joint gauges on the river' }).textContent()).includes('آپ اس نکتے کی حمایت کرتے ہیں'), 'the support is shown');
    const first = await pub.locator('ol.agenda > li h3').first().textContent();
    eq(first.trim(), 'Joint gauges on the river', 'the supported item ranks first');
    await pub.fill('#title', 'دریا کے کنارے درخت');
    await pub.click('form[action$="/propose"] button[type=submit]');
    await pub.waitForURL((u) => u.search.includes('proposed=1'));
    assert((await pub.content()).includes('منتظمین آپ کا نکتہ دیکھیں گے'), 'waits for moderation');
    // The organiser approves it and closes the round into the brief.
    await org.goto(url(round));
    const pending = org.locator('#pending ~ ul li', { hasText: 'دریا کے کنارے درخت' });
    await pending.locator('button[value=approve]').click();
    await org.fill('#summary', 'Gauges first, then the flow.');
    await org.click('form[action$="/close"] button[type=submit]');
    eq(new URL(org.url()).pathname, `${round}/brief`, 'the brief');
    const brief = await org.content();
    for (const text of ['Gauges first, then the flow.', 'Share the dry-season flow', 'دریا کے کنارے درخت']) {
      assert(brief.includes(text), `the brief lists ${text}`);
    }
    // Printed: at most two A4 sides, in English and in Urdu, for this round and the demo's.
    const demo = await (async () => {
      await org.goto(url('/s/serran-valley/agenda'));
      return org.locator('ul.records a', { hasText: 'Agenda for the March talks' }).getAttribute('href');
    })();
    for (const path of [`${round}/brief`, `${demo}/brief`]) {
      for (const page of [org, pub]) {
        await page.goto(url(path));
        await page.emulateMedia({ media: 'print' });
        assert(!(await page.locator('header.top').isVisible()), 'the page header is not printed');
        const pdf = await page.pdf({ format: 'A4', printBackground: false });
        const n = pdfPages(pdf);
        assert(n >= 1 && n <= 2, `${path} prints on ${n} A4 pages`);
        await page.emulateMedia({ media: 'screen' });
      }
    }
  } finally {
    await orgCtx.close();
    await pubCtx.close();
  }
});
