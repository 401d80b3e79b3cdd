// The foundation: log-in, languages, confidentiality, no-JavaScript forms, CSRF,
// accessibility and page weight over every page listed in lib.mjs.

import {
  AXE,
  PASSWORD,
  SPOILER,
  WEIGHT_LIMIT,
  BASE,
  url,
  test,
  assert,
  eq,
  newContext,
  login,
  setLang,
  status,
  findSpoiler,
  pagesFor,
  ROLES,
  ERROR_PAGES,
} from '../lib.mjs';

test('member logs in and sees the spaces', async () => {
  const ctx = await newContext();
  try {
    const page = await login(ctx, 'member');
    eq(await status(page, '/'), 200, 'spaces page');
    const text = await page.locator('main').innerText();
    assert(text.includes('Serran Valley peace process'), 'the public space is listed');
    assert(text.includes('Sara Lind') || (await page.locator('header').innerText()).includes('Sara Lind'),
      'the member is shown as logged in');
    assert(await page.locator('header form[action="/logout"]').count() === 1, 'a logout form is in the header');
  } finally {
    await ctx.close();
  }
});

test('language switch to Urdu (rtl) and back to English', async () => {
  const ctx = await newContext();
  try {
    const page = await ctx.newPage();
    await page.goto(url('/s/serran-valley/concerns'));
    eq(await page.getAttribute('html', 'dir'), 'ltr', 'English dir');
    await Promise.all([
      page.waitForNavigation(),
      page.click('nav[aria-label="Language"] a[hreflang="ur"]'),
    ]);
    eq(new URL(page.url()).pathname, '/s/serran-valley/concerns', 'stays on the same page');
    eq(await page.getAttribute('html', 'lang'), 'ur', 'Urdu lang');
    eq(await page.getAttribute('html', 'dir'), 'rtl', 'Urdu dir');
    const h1 = await page.locator('h1').innerText();
    assert(/[\u0600-\u06FF]/.test(h1), `heading is in Urdu: ${h1}`);
    // The language stays for the next page.
    await page.goto(url('/'));
    eq(await page.getAttribute('html', 'dir'), 'rtl', 'Urdu stays');
    await Promise.all([
      page.waitForNavigation(),
      page.click('nav[aria-label] a[hreflang="en"]'),
    ]);
    eq(await page.getAttribute('html', 'lang'), 'en', 'back to English');
    eq(await page.getAttribute('html', 'dir'), 'ltr', 'back to ltr');
    const nav = await page.locator('header').innerText();
    assert(nav.includes('Log in'), 'English navigation again');
  } finally {
    await ctx.close();
  }
});

test('confidentiality: organisers-only concern hidden from member, closed spaces hidden', async () => {
  const org = await newContext();
  const mem = await newContext();
  const anon = await newContext();
  try {
    const o = await login(org, 'organiser');
    const path = await findSpoiler(o);
    eq(await status(o, path), 200, 'organiser opens the concern');
    assert((await o.locator('h1').innerText()).includes('Spoiler risk'), 'organiser sees its title');
    eq(await status(o, '/s/serran-valley/search?q=militia'), 200, 'organiser search');
    assert((await o.locator('main').innerText()).includes(SPOILER), 'organiser finds it by search');

    const m = await login(mem, 'member');
    eq(await status(m, '/s/serran-valley/concerns'), 200, 'member list');
    const list = await m.locator('main').innerText();
    assert(list.includes('Reopening the Serran border crossing'), 'member sees public concerns');
    assert(!list.includes('Spoiler risk'), 'member does not see it in the list');
    eq(await status(m, '/s/serran-valley/search?q=militia'), 200, 'member search');
    assert(!(await m.locator('main').innerText()).includes('Spoiler risk'), 'member does not find it by search');
    eq(await status(m, path), 404, 'member gets 404 at its address');
    assert(!(await m.content()).includes('Spoiler risk'), 'the 404 page does not leak the title');

    const a = await anon.newPage();
    for (const closed of ['/s/veluna-kestria-dialogue', '/s/civil-society-coalition',
      '/s/veluna-kestria-dialogue/concerns', '/s/civil-society-coalition/concerns']) {
      eq(await status(a, closed), 404, `anonymous visitor at ${closed}`);
    }
    eq(await status(a, path), 404, 'anonymous visitor at the organisers-only concern');
    eq(await status(a, '/s/serran-valley/concerns'), 200, 'anonymous visitor sees the public space');
  } finally {
    await Promise.all([org.close(), mem.close(), anon.close()]);
  }
});

test('works without JavaScript: log in and create a concern', async () => {
  const ctx = await newContext({ javaScriptEnabled: false });
  try {
    const page = await login(ctx, 'member');
    eq(await status(page, '/s/serran-valley/concerns/new'), 200, 'new concern form');
    const title = `Market day access for farmers ${Date.now()}`;
    await page.fill('#title', title);
    await page.fill('#body', 'Farmers ask for safe passage to the weekly market in Serran town.');
    await page.selectOption('#level', { index: 0 });
    await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
    assert(/\/s\/serran-valley\/concerns\/\d+$/.test(new URL(page.url()).pathname)
      || (await page.locator('main').innerText()).includes(title), `after creating: ${page.url()}`);
    assert((await page.locator('main').innerText()).includes(title), 'the new concern is shown');
    eq(await status(page, '/s/serran-valley/concerns'), 200, 'list');
    assert((await page.locator('main').innerText()).includes(title), 'the new concern is listed');
  } finally {
    await ctx.close();
  }
});

test('a form POST without the CSRF token is refused with 403', async () => {
  const ctx = await newContext();
  try {
    // Anonymous: the login form without its token.
    const anon = await ctx.newPage();
    await anon.goto(url('/login'));
    const r1 = await anon.request.post(url('/login'), {
      form: { email: 'member@demo.convene.example', password: PASSWORD },
      headers: { Origin: BASE },
      maxRedirects: 0,
    });
    eq(r1.status(), 403, 'login without token');

    // Logged in, same origin, no token: creating a record is refused.
    const page = await login(ctx, 'member');
    const form = { title: 'Forged concern', body: 'x', level: 'public', named: '' };
    const r2 = await page.request.post(url('/s/serran-valley/concerns/new'), {
      form, headers: { Origin: BASE }, maxRedirects: 0,
    });
    eq(r2.status(), 403, 'create without token');
    const r3 = await page.request.post(url('/s/serran-valley/concerns/new'), {
      form: { ...form, _csrf: 'not-the-token' }, headers: { Origin: BASE }, maxRedirects: 0,
    });
    eq(r3.status(), 403, 'create with a wrong token');
    const r4 = await page.request.post(url('/logout'), { headers: { Origin: BASE }, maxRedirects: 0 });
    eq(r4.status(), 403, 'logout without token');
    // Still logged in after the refused logout, and nothing was created.
    eq(await status(page, '/s/serran-valley/concerns'), 200, 'list');
    assert(!(await page.locator('main').innerText()).includes('Forged concern'), 'nothing was created');
    assert(await page.locator('header form[action="/logout"]').count() === 1, 'still logged in');
  } finally {
    await ctx.close();
  }
});

test('accessibility: no serious or critical axe violations (en, ur)', async () => {
  const problems = [];
  let checked = 0;
  for (const lang of ['en', 'ur']) {
    for (const [role, who, list] of ROLES) {
      // The pages' Content-Security-Policy forbids inline scripts, as axe is injected.
      const ctx = await newContext({ bypassCSP: true });
      try {
        const page = who ? await login(ctx, who) : await ctx.newPage();
        await setLang(page, lang);
        const pages = (await pagesFor(page, list)).map((p) => [p, 200]);
        if (role === 'anonymous') pages.push(...ERROR_PAGES);
        for (const [path, want] of pages) {
          const got = await status(page, path);
          if (got !== want) {
            problems.push(`${lang} ${role} ${path}: status ${got}, expected ${want}`);
            continue;
          }
          eq(await page.getAttribute('html', 'lang'), lang, `${path} lang`);
          await page.addScriptTag({ path: AXE });
          const result = await page.evaluate(async () => {
            const r = await axe.run(document, { resultTypes: ['violations'] });
            return r.violations.map((v) => ({
              id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`),
            }));
          });
          checked += 1;
          for (const v of result) {
            if (v.impact === 'serious' || v.impact === 'critical') {
              problems.push(`${lang} ${role} ${path}: [${v.impact}] ${v.id}: ${v.help}\n      ${v.nodes.slice(0, 5).join('\n      ')}`);
            } else if (v.impact) {
              console.log(`  note: ${lang} ${role} ${path}: [${v.impact}] ${v.id}: ${v.help}`);
            }
          }
        }
      } finally {
        await ctx.close();
      }
    }
  }
  // axe must really run: an unlabelled field is reported.
  const ctx = await newContext({ bypassCSP: true });
  try {
    const page = await ctx.newPage();
    await page.goto(url('/login'));
    await page.evaluate(() => document.querySelector('main').append(document.createElement('input')));
    await page.addScriptTag({ path: AXE });
    const ids = await page.evaluate(async () => (await axe.run()).violations.map((v) => v.id));
    assert(ids.includes('label'), `axe did not report an unlabelled field: ${ids}`);
  } finally {
    await ctx.close();
  }
  console.log(`  axe checked ${checked} pages`);
  assert(problems.length === 0, `accessibility violations:\n    ${problems.join('\n    ')}`);
});

test('page weight: document + stylesheets + scripts under 60 KB', async () => {
  const over = [];
  const lines = [];
  for (const [role, who, list] of ROLES) {
    for (const lang of ['en', 'ur']) {
      const ctx = await newContext();
      try {
        const page = who ? await login(ctx, who) : await ctx.newPage();
        await setLang(page, lang);
        // Routing turns the HTTP cache off, so every page loads its assets afresh.
        await page.route('**/*', (r) => r.continue());
        for (const path of await pagesFor(page, list)) {
          const counted = [];
          const onResponse = (res) => {
            const type = res.request().resourceType();
            if (['document', 'stylesheet', 'script'].includes(type)) counted.push(res);
          };
          page.on('response', onResponse);
          await page.goto(url(path), { waitUntil: 'load' });
          page.off('response', onResponse);
          let bytes = 0;
          for (const res of counted) {
            try {
              bytes += (await res.body()).length;
            } catch {
              // a redirect has no body
            }
          }
          lines.push(`${lang} ${role} ${path}: ${bytes} B`);
          if (bytes >= WEIGHT_LIMIT) over.push(`${lang} ${role} ${path}: ${bytes} bytes`);
          assert(counted.length >= 1, `${path}: no document response recorded`);
        }
      } finally {
        await ctx.close();
      }
    }
  }
  const max = lines.reduce((m, l) => Math.max(m, Number(l.match(/(\d+) B$/)[1])), 0);
  console.log(`  ${lines.length} page loads, heaviest ${max} bytes`);
  assert(over.length === 0, `pages over ${WEIGHT_LIMIT} bytes:\n    ${over.join('\n    ')}`);
});

