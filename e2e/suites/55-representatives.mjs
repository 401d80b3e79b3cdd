// Contact your representative: the public finds their representatives by place and
// writes to one with JavaScript off, in English and in Urdu (right to left, names
// isolated); the message is confirmed from the e-mail a real SMTP server received,
// and then arrives there for the representative, with the sender as Reply-To. The
// finder, a representative's page, the reply-rate table and the organisers' pages
// join the accessibility, weight and same-origin checks.

import { url, test, assert, eq, newContext, setLang, PUBLIC_PAGES, ORGANISER_PAGES } from '../lib.mjs';

const CAMPAIGN = '/s/serran-valley/campaign';
const REPS = `${CAMPAIGN}/representatives`;
PUBLIC_PAGES.push(REPS, 'REPS_FOUND', 'FIRST_REP', `${REPS}/replies`);
ORGANISER_PAGES.push(`${REPS}/manage`, `${CAMPAIGN}/letters`, 'FIRST_REP');
// Calls to action and the moderation queue.
PUBLIC_PAGES.push('FIRST_CALL');
ORGANISER_PAGES.push('FIRST_CALL', `${CAMPAIGN}/calls/new`, `${CAMPAIGN}/moderation`);

function decodeMail(raw) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/Content-Transfer-Encoding:\s*base64/i.test(head)) return head + '\n\n' + Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
    return head + '\n\n' + Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return raw;
}

// The first message in the Maildir whose headers match, waiting up to 30 s.
async function mailWhere(dir, test) {
  const { readdirSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const until = Date.now() + 30000;
  while (Date.now() < until) {
    for (const sub of ['new', 'cur']) {
      let names = [];
      try { names = readdirSync(join(dir, sub)); } catch { continue; }
      for (const n of names) {
        const raw = readFileSync(join(dir, sub, n), 'utf8');
        if (test(raw)) return decodeMail(raw);
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the e-mail did not arrive');
}

test('representatives: found by place and written to with JavaScript off, in English and Urdu; confirmed from the e-mail and delivered over SMTP', async () => {
  const dir = process.env.CONVENE_E2E_MAILDIR;
  for (const lang of ['en', 'ur']) {
    const ctx = await newContext({ javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await page.goto(url('/'));
      if (lang === 'ur') await setLang(page, 'ur');
      await page.goto(url(CAMPAIGN));
      await Promise.all([page.waitForNavigation(), page.click(`main a[href="${REPS}"]`)]);
      if (lang === 'ur') eq(await page.getAttribute('html', 'dir'), 'rtl', 'right to left');
      // Pick a district (no geolocation): its two members and its region's three.
      const district = lang === 'ur' ? 'امبر فورڈ' : 'Amber Ford';
      await page.selectOption('#place', { label: district });
      await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
      eq(await page.locator('ul.reps > li').count(), 5, `five representatives (${lang})`);
      eq(await page.locator('ul.reps a bdi').count(), 5, 'their names isolated');
      await Promise.all([page.waitForNavigation(), page.locator('ul.reps a').first().click()]);
      assert(await page.locator('textarea#body').count() === 1 || !dir, 'the writer is on the page');
      if (!dir) {
        console.log('  (no SMTP server: writing and its confirmation by e-mail are not exercised here)');
        continue;
      }
      // Bad input the browser lets through is named by the server; the good
      // message waits for its confirmation.
      const who0 = 'someone@nowhere';
      await page.fill('#name', 'Laleh');
      await page.fill('#email', who0);
      await page.fill('#body', 'x'.repeat(90));
      await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
      eq(await page.locator('.errors li').count(), 1, 'the problem is listed');
      eq(await page.getAttribute('#email', 'aria-invalid'), 'true', 'the address is marked');
      eq(await page.inputValue('#name'), 'Laleh', 'what was typed is kept');
      const who = `writer-${lang}-${Date.now()}@example.org`;
      const words = lang === 'ur'
        ? 'میں پل کے پاس تندور چلاتی ہوں؛ پل کھلنے کے بعد دوسرے کنارے کے نانبائی پھر ہمارا آٹا خریدتے ہیں۔ براہ کرم باقاعدہ مذاکرات کی حمایت کریں۔'
        : 'I run the bakery by the old bridge; since it reopened, bakers from the far bank buy our flour again. Please back formal talks.';
      await page.fill('#email', who);
      await page.fill('#body', `${words} (${who})`);
      await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
      eq(await page.locator('p.notice[role=status]').count(), 1, 'asked to check the e-mail');
      const mail = await mailWhere(dir, (raw) => raw.includes(`To: ${who}`));
      const link = mail.match(/https?:\/\/\S+\/messages\/confirm\?t=[A-Za-z0-9_-]+/);
      assert(link, `the e-mail carries the link:\n${mail}`);
      const confirm = new URL(link[0]);
      await page.goto(url(confirm.pathname + confirm.search));
      await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
      eq(await page.locator('p.notice[role=status]').count(), 1, 'confirmed');
      if (lang === 'en') assert((await page.textContent('main')).includes('on its way'), 'sent');
      // The message arrives for the representative, replies going to the sender.
      const sent = await mailWhere(dir, (raw) => raw.includes(`Reply-To: ${who}`));
      assert(sent.includes(who) && /assembly\.veluna\.example|parliament\.kestria\.example/.test(sent), `to the representative:\n${sent}`);
      // The same link again says it was used.
      await page.goto(url(confirm.pathname + confirm.search));
      await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
      if (lang === 'en') assert((await page.textContent('main')).includes('already confirmed'), 'a link works once');
    } finally {
      await ctx.close();
    }
  }
});

test('representatives: the reply-rate table hides small counts, in English and Urdu', async () => {
  for (const lang of ['en', 'ur']) {
    const ctx = await newContext({ javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await page.goto(url('/'));
      if (lang === 'ur') await setLang(page, 'ur');
      await page.goto(url(`${REPS}/replies`));
      const cells = await page.locator('table tbody td[dir=ltr]').allTextContents();
      assert(cells.includes('<10'), `small counts hidden (${lang}): ${cells.join(' ')}`);
      assert(cells.some((c) => /^\d+$/.test(c) && Number(c) >= 10), 'large ones shown');
      eq(await page.locator('table tbody th a bdi').count(), cells.length, 'names isolated');
    } finally {
      await ctx.close();
    }
  }
});
