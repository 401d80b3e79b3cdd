// Track II dialogues: the organiser reaches a round's selection board from the
// space's home by links, with JavaScript off, in English and Urdu; the board
// explains each warning with its figure and threshold, counts the other
// delegation under pseudonyms, and a roster change made with its own form moves
// the figures. The list, the series, its participants and the board join the
// accessibility, weight and same-origin checks.

import { url, test, assert, eq, newContext, login, setLang, ORGANISER_PAGES } from '../lib.mjs';

ORGANISER_PAGES.push('/s/serran-valley/dialogues', 'FIRST_SERIES', 'SERIES_PARTICIPANTS', 'SERIES_AGENDA', 'ROUND4_BOARD', 'ROUND3_NOTES');

test('dialogues: the selection board reached by links and used with JavaScript off, in English and Urdu', async () => {
  // Urdu first: the English pass then changes the roster.
  for (const lang of ['ur', 'en']) {
    const ctx = await newContext({ javaScriptEnabled: false });
    try {
      const page = await login(ctx, 'organiser');
      if (lang === 'ur') await setLang(page, 'ur');
      await page.goto(url('/s/serran-valley'));
      await Promise.all([page.waitForNavigation(), page.click('main a[href="/s/serran-valley/dialogues"]')]);
      if (lang === 'ur') eq(await page.getAttribute('html', 'dir'), 'rtl', 'right to left');
      await Promise.all([page.waitForNavigation(), page.locator('ul.records a').first().click()]);
      eq(await page.locator('h1 bdi').count(), 1, 'the series title isolated');
      // Core round 4 is the sixth round by date.
      await Promise.all([page.waitForNavigation(), page.locator('#rounds ~ div table tbody th a').nth(5).click()]);
      const warnings = await page.locator('ul.warnings li').evaluateAll((ls) => ls.map((l) => l.id));
      for (const w of ['w-elite-capture', 'w-self-replication', 'w-few-women']) {
        assert(warnings.includes(w), `${w} on round 4 (${lang}): ${warnings}`);
      }
      const elite = await page.locator('#w-elite-capture').innerText();
      assert(/40/.test(elite) && /(88|۸۸)/.test(elite), `the figure and the threshold: ${elite}`);
      // The Kestrian delegation: counted, never named.
      const pseudonyms = await page.locator('table tbody th span[dir=ltr]').allInnerTexts();
      eq(pseudonyms.filter((p) => /^P-[0-9A-F]{6}$/.test(p)).length, 3, `three pseudonyms (${lang})`);
      const text = await page.locator('main').innerText();
      assert(!text.includes('Bashir Kaleem'), 'a Kestrian name on the organiser\'s board');
      eq(await page.locator('table tbody th bdi').count(), 5, 'the five Veluna names isolated');
      if (lang === 'en') {
        // Declining the senator by the row's own form: seven on the roster, six elite.
        const row = page.locator('table tbody tr', { hasText: 'Senator Ilyas Brandt' });
        await row.locator('select').selectOption('declined');
        await Promise.all([page.waitForNavigation(), row.locator('button').click()]);
        const after = await page.locator('#w-elite-capture').innerText();
        assert(after.includes('6 of 7'), `after declining: ${after}`);
        assert((await page.locator('#history').count()) === 1, 'the declined senator is history');
      }
    } finally {
      await ctx.close();
    }
  }
});
