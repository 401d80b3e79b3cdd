// Places: the public finds a district from the space's page through the map drawn
// on the server, with JavaScript off and on, in English and in Urdu (right to
// left). The gazetteer's pages join the accessibility, weight and same-origin checks.

import { url, test, assert, eq, newContext, setLang, PUBLIC_PAGES, ORGANISER_PAGES } from '../lib.mjs';

const PLACES = '/s/serran-valley/places';
PUBLIC_PAGES.push(PLACES, `${PLACES}/VL01`, `${PLACES}/VL0102`, `${PLACES}?q=bell`);
ORGANISER_PAGES.push(PLACES);

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
