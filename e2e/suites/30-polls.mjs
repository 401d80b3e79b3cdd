// Polls: the demo poll answered in Chromium with JavaScript off (one question per page,
// skip logic, each page under 30 KB with its stylesheet and script), in Urdu (right to
// left), and an organiser building a poll without JavaScript. The polls pages join the
// accessibility, weight and same-origin checks.

import {
  AXE,
  PASSWORD,
  BASE,
  url,
  test,
  assert,
  eq,
  newContext,
  login,
  PUBLIC_PAGES,
  ORGANISER_PAGES,
  OWNER_PAGES,
} from '../lib.mjs';

const LIST = '/s/serran-valley/polls';
const TITLE = 'Priorities before the talks';
const FORM_LIMIT = 30 * 1024;

// The demo poll's public address, from the public list.
const publicList = await (await fetch(url(LIST))).text();
const row = publicList.split('<tr>').find((r) => r.includes(TITLE)) || '';
const FORM = (row.match(/href="(\/p\/[^"]+)"/) || [])[1];

// Its organiser pages: the id, read from the list as the organiser sees it.
async function organiserList() {
  const first = await fetch(url('/login'));
  const anon = (first.headers.get('set-cookie') || '').split(';')[0];
  const token = ((await first.text()).match(/name="_csrf" value="([^"]+)"/) || [])[1];
  const res = await fetch(url('/login'), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE, Cookie: anon },
    body: new URLSearchParams({ email: 'organiser@demo.convene.example', password: PASSWORD, _csrf: token }),
  });
  const session = (res.headers.getSetCookie?.() || [res.headers.get('set-cookie') || ''])
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('convene_session='));
  const html = await (await fetch(url(LIST), { headers: { Cookie: session || '' } })).text();
  const r = html.split('<tr>').find((x) => x.includes(TITLE)) || '';
  return (r.match(/href="(\/s\/serran-valley\/polls\/\d+)"/) || [])[1];
}
const ADMIN = await organiserList();

if (FORM) PUBLIC_PAGES.push(LIST, FORM);
if (ADMIN) {
  ORGANISER_PAGES.push(LIST, `${LIST}/import`, ADMIN, `${ADMIN}/settings`, `${ADMIN}/respondents`);
  OWNER_PAGES.push(ADMIN);
}

test('polls: the demo poll is listed with its pages', async () => {
  assert(FORM, `the demo poll's form is linked from ${LIST}`);
  assert(ADMIN, 'the organiser sees its builder link');
});

/** Loads `path` (or follows a click) and returns the bytes of document + CSS + JS. */
async function weighed(page, action) {
  const counted = [];
  const on = (res) => {
    if (['document', 'stylesheet', 'script'].includes(res.request().resourceType())) counted.push(res);
  };
  page.on('response', on);
  await action();
  page.off('response', on);
  let bytes = 0;
  for (const res of counted) {
    try {
      bytes += (await res.body()).length;
    } catch {
      // a redirect has no body
    }
  }
  return bytes;
}

async function axeCheck(page, where) {
  await page.addScriptTag({ path: AXE });
  const bad = await page.evaluate(async () => {
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert(bad.length === 0, `${where}: ${bad.join('; ')}`);
}

const CHOICES = {
  priority: ['return'],
  trust: ['2'],
  women_seat: ['yes'],
  worries: ['land', 'violence'],
  land_lost: ['yes'],
  land_remedy: ['committee'],
  gender: ['woman'],
  age_band: ['prefer_not_to_say'],
  region: ['hills'],
  groups: ['women', 'displaced'],
};

/** Answers the poll to the end; returns the questions asked, in order. */
async function answerAll(page, choices, text) {
  const asked = [];
  for (let i = 0; i < 30; i += 1) {
    const q = page.locator('input[name="question"]');
    if ((await q.count()) === 0) break;
    const name = await q.getAttribute('value');
    asked.push(name);
    eq(await page.locator('.question').count(), 1, `one question on the page of ${name}`);
    for (const v of choices[name] || []) await page.check(`input[name="v"][value="${v}"]`);
    if (name === 'message') await page.fill('textarea[name="v"]', text);
    const bytes = await weighed(page, () => Promise.all([
      page.waitForNavigation(),
      page.click('form.answer button:not([formaction])'),
    ]));
    assert(bytes < FORM_LIMIT, `page after ${name}: ${bytes} bytes`);
  }
  return asked;
}

test('polls: answering the demo poll without JavaScript, one question per page, with skip logic', async () => {
  const ctx = await newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 }, isMobile: true });
  const axeCtx = await newContext({ bypassCSP: true });
  try {
    const page = await ctx.newPage();
    const bytes = await weighed(page, () => page.goto(url(FORM)));
    assert(bytes < FORM_LIMIT, `start page: ${bytes} bytes`);
    await page.check('input[name="language"][value="en"]');
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/start"] button')]);
    assert((await page.locator('main').innerText()).includes('Question 1 of about'), 'progress is shown');
    // A required question left empty: the message, and the same question again.
    await Promise.all([page.waitForNavigation(), page.click('form.answer button:not([formaction])')]);
    assert((await page.locator('.errors').innerText()).includes('Please answer this question.'), 'validation message');
    await page.check('input[name="v"][value="water"]');
    await Promise.all([page.waitForNavigation(), page.click('form.answer button:not([formaction])')]);
    // Back, and the answer is still chosen.
    await Promise.all([page.waitForNavigation(), page.click('button[formaction$="/back"]')]);
    eq(await page.locator('input[name="question"]').getAttribute('value'), 'priority', 'back to the first question');
    assert(await page.isChecked('input[name="v"][value="water"]'), 'the earlier answer is kept');
    const asked = await answerAll(page, CHOICES, 'Let the elders meet.');
    assert(asked.includes('land_remedy'), `land lost: the land question is asked (${asked})`);
    assert((await page.locator('main').innerText()).includes('Thank you'), 'thanks at the end');

    // Someone whose family lost no land is not asked about it.
    const other = await newContext({ javaScriptEnabled: false });
    try {
      const p2 = await other.newPage();
      await p2.goto(url(FORM));
      await Promise.all([p2.waitForNavigation(), p2.click('form[action$="/start"] button')]);
      const asked2 = await answerAll(p2, { ...CHOICES, land_lost: ['no'] }, '');
      assert(!asked2.includes('land_remedy'), `no land lost: skipped (${asked2})`);
      assert(asked2.includes('message') && asked2.includes('groups'), 'the rest is asked');
    } finally {
      await other.close();
    }

    // Accessibility of a question page and of the end page.
    const a = await axeCtx.newPage();
    await a.goto(url(FORM));
    await Promise.all([a.waitForNavigation(), a.click('form[action$="/start"] button')]);
    await axeCheck(a, 'question page');
    await Promise.all([a.waitForNavigation(), a.click('form.answer button:not([formaction])')]);
    await axeCheck(a, 'question page with an error');
  } finally {
    await ctx.close();
    await axeCtx.close();
  }
});

test('polls: answering in Urdu, right to left', async () => {
  // JavaScript on here only so that axe can run; the form itself needs none (above).
  const ctx = await newContext({ bypassCSP: true });
  try {
    const page = await ctx.newPage();
    await page.goto(url(FORM));
    await page.check('input[name="language"][value="ur"]');
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/start"] button')]);
    eq(await page.getAttribute('html', 'dir'), 'rtl', 'Urdu pages are right to left');
    eq(await page.getAttribute('html', 'lang'), 'ur', 'Urdu lang');
    const label = await page.locator('.question').innerText();
    assert(/[\u0600-\u06FF]/.test(label), `the question is in Urdu: ${label}`);
    await Promise.all([page.waitForNavigation(), page.click('form.answer button:not([formaction])')]);
    const err = await page.locator('.errors').innerText();
    assert(/[\u0600-\u06FF]/.test(err), `the message is in Urdu: ${err}`);
    await axeCheck(page, 'Urdu question page');
    await page.check('input[name="v"][value="schools"]');
    await Promise.all([page.waitForNavigation(), page.click('form.answer button:not([formaction])')]);
    eq(await page.locator('input[name="question"]').getAttribute('value'), 'trust', 'next question');
  } finally {
    await ctx.close();
  }
});

test('polls: an organiser builds, opens and sees a poll without JavaScript', async () => {
  const ctx = await newContext({ javaScriptEnabled: false });
  try {
    const page = await login(ctx, 'organiser');
    await page.goto(url(LIST));
    const title = `Market days ${Date.now()}`;
    await page.fill('#title', title);
    await page.check('input[name="lang_ur"]');
    await page.check('input[name="demographic"]');
    await page.fill('#regions', 'North bank | شمالی کنارہ\nSouth bank | جنوبی کنارہ');
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
    const builder = new URL(page.url()).pathname;
    assert(/\/polls\/\d+$/.test(builder), `on the builder: ${builder}`);
    await page.selectOption('#kind', 'select_multiple');
    await page.fill('#name', 'days');
    await page.fill('#label_en', 'Which market days suit you?');
    await page.fill('#label_ur', 'بازار کے کون سے دن آپ کے لیے موزوں ہیں؟');
    await page.fill('#choices_en', 'Monday\nThursday');
    await page.fill('#choices_ur', 'پیر\nجمعرات');
    await Promise.all([page.waitForNavigation(), page.click('#question-form + form button[type=submit]')]);
    const text = await page.locator('main').innerText();
    assert(text.includes('Which market days suit you?'), 'the question is added');
    await page.goto(url(`${builder}/settings`));
    await page.check('input[name="is_open"]');
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
    await page.goto(url(LIST));
    const r = page.locator('tr', { hasText: title });
    assert((await r.innerText()).includes('Taking answers'), 'the poll is open');
    await page.goto(url(`${ADMIN}/respondents`));
    assert((await page.locator('main').innerText()).match(/\d{4} respondents/), 'the demo poll has its respondents');
    assert(!(await page.content()).includes('+92300'), 'no phone numbers shown');
  } finally {
    await ctx.close();
  }
});
