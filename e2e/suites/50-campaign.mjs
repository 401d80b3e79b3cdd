// The campaign: an organiser writes progress updates without JavaScript, one under
// embargo; the public reads the timeline and the published update with JavaScript off
// and on, in English and in Urdu (right to left), and never finds the embargoed one.
// The campaign's pages join the accessibility, weight and same-origin checks.

import { url, test, assert, eq, newContext, login, setLang, status, PUBLIC_PAGES, ORGANISER_PAGES } from '../lib.mjs';

const CAMPAIGN = '/s/serran-valley/campaign';
PUBLIC_PAGES.push(CAMPAIGN, 'FIRST_UPDATE');
ORGANISER_PAGES.push(CAMPAIGN, `${CAMPAIGN}/updates/new`);

test('campaign: an embargoed update stays hidden; a published one is read with JavaScript off and on, in English and Urdu', async () => {
  const orgCtx = await newContext({ javaScriptEnabled: false });
  const stamp = Date.now();
  let embargoed;
  let published;
  try {
    const org = await login(orgCtx, 'owner');
    const write = async (title, body, when) => {
      await org.goto(url(`${CAMPAIGN}/updates/new`));
      await org.fill('#title', title);
      await org.fill('#body', body);
      if (when) await org.fill('#publish_at', when);
      await Promise.all([org.waitForNavigation(), org.click('form.form button[type=submit]')]);
      const path = new URL(org.url()).pathname;
      assert(/\/campaign\/updates\/\d+$/.test(path), `the update is shown at ${path}`);
      return path;
    };
    embargoed = await write(`Embargoed ${stamp}`, 'Not *yet*.', '2099-01-01T10:00');
    assert((await org.textContent('main')).includes('Not yet published'), 'the organiser is told');
    published = await write(`Published ${stamp}`, 'Both delegations **arrived**.', '');
  } finally {
    await orgCtx.close();
  }
  for (const [js, lang] of [[false, 'en'], [true, 'ur'], [false, 'ur'], [true, 'en']]) {
    const ctx = await newContext({ javaScriptEnabled: js });
    try {
      const pub = await ctx.newPage();
      await pub.goto(url('/'));
      if (lang === 'ur') await setLang(pub, 'ur');
      await pub.goto(url('/s/serran-valley'));
      await pub.click(`a[href="${CAMPAIGN}"]`);
      if (lang === 'ur') eq(await pub.getAttribute('html', 'dir'), 'rtl', 'right to left');
      const main = await pub.textContent('main');
      assert(main.includes(`Published ${stamp}`), `the published update is listed (${lang}, js ${js})`);
      assert(!main.includes(`Embargoed ${stamp}`), `the embargoed one is not (${lang}, js ${js})`);
      assert(main.includes('Serran Valley Accord signed'), 'the timeline');
      await pub.click(`a[href="${published}"]`);
      eq(await pub.locator('article.update strong').textContent(), 'arrived', 'the Markdown rendered');
      eq(await status(pub, embargoed), 404, 'the embargoed update answers 404');
      const feed = await ctx.request.get(url(`${CAMPAIGN}/feed.atom`));
      eq(feed.status(), 200, 'the feed');
      const xml = await feed.text();
      assert(xml.includes(`Published ${stamp}`), 'the feed carries the published update');
      assert(!xml.includes(`Embargoed ${stamp}`), 'and not the embargoed one');
    } finally {
      await ctx.close();
    }
  }
});
