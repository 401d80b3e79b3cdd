// The campaign: an organiser writes progress updates without JavaScript, one under
// embargo; the public reads the timeline and the published update with JavaScript off
// and on, in English and in Urdu (right to left), and never finds the embargoed one.
// The campaign's pages join the accessibility, weight and same-origin checks.

import { url, test, assert, eq, newContext, login, setLang, status, photoUpdate, videoUpdate, PUBLIC_PAGES, ORGANISER_PAGES } from '../lib.mjs';

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

PUBLIC_PAGES.push('PHOTO_UPDATE', 'VIDEO_UPDATE');
ORGANISER_PAGES.push('PHOTO_UPDATE');

test('campaign: photos come from Convene itself with srcset and alt text; light mode shows previews and links; an organiser adds a photo without JavaScript', async () => {
  for (const [js, lang] of [[false, 'en'], [true, 'en'], [false, 'ur']]) {
    const ctx = await newContext({ javaScriptEnabled: js });
    try {
      const pub = await ctx.newPage();
      await pub.goto(url('/'));
      if (lang === 'ur') await setLang(pub, 'ur');
      const path = await photoUpdate(pub);
      assert(path, 'an update with a photo is listed, with its thumbnail');
      await pub.goto(url(path));
      const imgs = pub.locator('article.update img[srcset]');
      assert((await imgs.count()) >= 1, `the photo is shown (${lang}, js ${js})`);
      for (const img of await imgs.all()) {
        assert(((await img.getAttribute('alt')) || '').trim().length > 0, 'alt text');
        const src = await img.getAttribute('src');
        assert(src.startsWith('/s/serran-valley/campaign/updates/'), `same origin: ${src}`);
        const res = await ctx.request.get(url(src));
        eq(res.status(), 200, src);
        eq(res.headers()['content-type'], 'image/jpeg', 'a JPEG');
        const body = await res.body();
        assert(!body.includes(Buffer.from('Exif')), 'no EXIF in what is served');
        for (const entry of (await img.getAttribute('srcset')).split(', ')) {
          const [u, w] = entry.split(' ');
          assert(/^\d+w$/.test(w) && u.endsWith('.jpg'), `srcset entry ${entry}`);
        }
        if (js) assert(await img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the image loaded');
      }
      // Light mode: a plain link in the footer, remembered by a cookie.
      await Promise.all([pub.waitForNavigation(), pub.click('footer a[href^="/light/on"]')]);
      eq(new URL(pub.url()).pathname, path, 'back on the same page');
      eq(await pub.locator('article.update img[srcset]').count(), 0, 'no full image in light mode');
      const preview = pub.locator('article.update figure a img').first();
      eq(await preview.getAttribute('width'), '160', 'a small preview');
      const link = pub.locator('article.update figcaption a').first();
      assert(/KB/.test(await link.textContent()), 'the link says how large the photo is');
      if (lang === 'ur') {
        eq(await pub.getAttribute('html', 'dir'), 'rtl', 'right to left');
        assert((await link.textContent()).includes('تصویر'), 'in Urdu');
      }
      await pub.goto(url('/s/serran-valley/campaign'));
      eq(await pub.locator('img.thumb').count(), 0, 'no thumbnails in light mode');
      await Promise.all([pub.waitForNavigation(), pub.click('footer a[href^="/light/off"]')]);
      assert((await pub.locator('img.thumb').count()) > 0, 'thumbnails again');
    } finally {
      await ctx.close();
    }
  }
  // The demo's video: served by Convene by ranges, allowed by the page's policy, with
  // captions; the browser loads its metadata when asked to.
  {
    const ctx = await newContext({ javaScriptEnabled: true });
    try {
      const pub = await ctx.newPage();
      const errors = [];
      pub.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      const path = await videoUpdate(pub);
      await pub.goto(url(path));
      const video = pub.locator('article.update video');
      eq(await video.count(), 1, 'one video');
      eq(await video.getAttribute('preload'), 'none', 'nothing loaded before play');
      assert(await video.getAttribute('poster'), 'a poster');
      const src = await pub.locator('article.update video source').last().getAttribute('src');
      const res = await ctx.request.get(url(src), { headers: { Range: 'bytes=0-1023' } });
      eq(res.status(), 206, 'a range request');
      assert(/^bytes 0-1023\/\d+$/.test(res.headers()['content-range']), 'Content-Range');
      eq((await res.body()).length, 1024, 'the range only');
      const track = pub.locator('article.update video track[kind=captions]');
      eq(await track.count(), 1, 'captions');
      const vtt = await ctx.request.get(url(await track.getAttribute('src')));
      assert((await vtt.text()).startsWith('WEBVTT'), 'WebVTT from Convene');
      const loaded = await video.evaluate((v) => new Promise((done) => {
        v.addEventListener('loadedmetadata', () => done(v.duration), { once: true });
        v.addEventListener('error', () => done(-1), { once: true });
        v.preload = 'metadata';
        v.load();
        setTimeout(() => done(-2), 10000);
      }));
      assert(loaded > 3 && loaded < 5, `the browser read the video's length (${loaded})`);
      assert(!errors.some((e) => /Content Security Policy/i.test(e)), `no policy error: ${errors.join('; ')}`);
    } finally {
      await ctx.close();
    }
  }
  // A photo made by the browser itself, uploaded by an organiser with JavaScript off.
  const maker = await newContext({ javaScriptEnabled: true });
  let jpeg;
  try {
    const p = await maker.newPage();
    await p.goto(url('/'));
    const b64 = await p.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 640; c.height = 480;
      const g = c.getContext('2d');
      g.fillStyle = '#6fa8dc'; g.fillRect(0, 0, 640, 300);
      g.fillStyle = '#6aa84f'; g.fillRect(0, 300, 640, 180);
      return c.toDataURL('image/jpeg', 0.9).split(',')[1];
    });
    jpeg = Buffer.from(b64, 'base64');
  } finally {
    await maker.close();
  }
  const orgCtx = await newContext({ javaScriptEnabled: false });
  try {
    const org = await login(orgCtx, 'owner');
    const path = await photoUpdate(org);
    await org.goto(url(path));
    await org.setInputFiles('#photo-file', { name: 'market.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await org.fill('#photo-alt', 'Sky over the market fields');
    await Promise.all([org.waitForNavigation(), org.click('form[enctype="multipart/form-data"] button[type=submit]')]);
    assert((await org.textContent('main')).includes('The photo was added.'), 'the organiser is told');
    eq(await org.locator('article.update img[alt="Sky over the market fields"]').count(), 1, 'the new photo is shown');
  } finally {
    await orgCtx.close();
  }
});

PUBLIC_PAGES.push('FIRST_PLEDGE');
ORGANISER_PAGES.push(`${CAMPAIGN}/pledges/new`);

// The text of a message in a Maildir, its body decoded (quoted-printable or base64).
function decodeMail(raw) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/Content-Transfer-Encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

// The newest message to `to` in the Maildir, waiting up to 30 s for it.
async function mailTo(dir, to) {
  const { readdirSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const until = Date.now() + 30000;
  while (Date.now() < until) {
    for (const sub of ['new', 'cur']) {
      let names = [];
      try { names = readdirSync(join(dir, sub)); } catch { continue; }
      for (const n of names) {
        const raw = readFileSync(join(dir, sub, n), 'utf8');
        if (raw.includes(`To: ${to}`)) return decodeMail(raw);
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no e-mail to ${to} arrived`);
}

test('campaign: a pledge shows counts only (a small district hidden), in English and Urdu, with JavaScript off and on; signed on the web and confirmed from its e-mail', async () => {
  for (const [js, lang] of [[false, 'en'], [true, 'ur'], [false, 'ur'], [true, 'en']]) {
    const ctx = await newContext({ javaScriptEnabled: js });
    try {
      const pub = await ctx.newPage();
      await pub.goto(url('/'));
      if (lang === 'ur') await setLang(pub, 'ur');
      await pub.goto(url(CAMPAIGN));
      await pub.click('a:has-text("I will send my child")');
      if (lang === 'ur') eq(await pub.getAttribute('html', 'dir'), 'rtl', 'right to left');
      eq(await pub.locator('p.count strong').textContent(), '52', `the total (${lang}, js ${js})`);
      const cells = await pub.locator('table td').allTextContents();
      eq(cells.join(' '), '24 <10 <10', 'a district of 7 hidden, and one more with it');
      eq(await pub.locator('table bdi').count(), 3, 'district names isolated');
    } finally {
      await ctx.close();
    }
  }
  const ctx = await newContext({ javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    await page.goto(url(CAMPAIGN));
    await page.click('a:has-text("I will walk")');
    const pledge = new URL(page.url()).pathname;
    eq(await page.locator('p.count strong').textContent(), '83', 'before');
    const dir = process.env.CONVENE_E2E_MAILDIR;
    if (!dir) {
      assert((await page.textContent('main')).includes('Signing on the web needs e-mail'), 'without e-mail, the page says so');
      console.log('  (no SMTP server: the confirmation by e-mail is not exercised here)');
      return;
    }
    const who = `walker${Date.now()}@example.org`;
    await page.fill('#email', who);
    await page.selectOption('#district', { label: 'Bell Hill' });
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
    assert((await page.textContent('main')).includes('We sent a link'), 'asked to check the e-mail');
    eq(await page.locator('p.count strong').textContent(), '83', 'nothing counts before the confirmation');
    const mail = await mailTo(dir, who);
    const link = mail.match(/https?:\/\/\S+\/confirm\?t=[A-Za-z0-9_-]+/);
    assert(link, `the e-mail carries the link:\n${mail}`);
    const confirm = new URL(link[0]);
    eq(confirm.pathname, `${pledge}/confirm`, 'the link is to this pledge');
    await page.goto(url(confirm.pathname + confirm.search));
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
    assert((await page.textContent('main')).includes('your signature counts'), 'confirmed');
    await page.goto(url(pledge));
    eq(await page.locator('p.count strong').textContent(), '84', 'counted once confirmed');
    // The same link again says it was used.
    await page.goto(url(confirm.pathname + confirm.search));
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
    assert((await page.textContent('main')).includes('already been used'), 'a link works once');
  } finally {
    await ctx.close();
  }
});
