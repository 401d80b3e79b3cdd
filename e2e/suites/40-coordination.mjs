// The coordination site: the public finds a district from the space's page through
// the map drawn on the server, finds an activity there and joins it, with JavaScript
// off and on, in English and in Urdu (right to left). The gazetteer's and the
// activities' pages join the accessibility, weight and same-origin checks.

import { url, test, assert, eq, newContext, setLang, PUBLIC_PAGES, ORGANISER_PAGES } from '../lib.mjs';

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
);
ORGANISER_PAGES.push(
  PLACES,
  '/s/serran-valley/activities/plan',
  '/s/serran-valley/calendar',
  '/s/serran-valley/activities/3w',
  '/s/serran-valley/concerns/new',
);

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
