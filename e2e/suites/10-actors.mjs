// The actor map: a wave recorded on a phone without JavaScript, the change since the
// previous wave, confidentiality, the interactive network view (with 500 actors too),
// accessibility of the pages the shared checks do not cover, and the network page's
// own weight budget.

import {
  AXE,
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
} from '../lib.mjs';

const A = '/s/serran-valley/actors';
// The network page loads Cytoscape.js (cached for a year): it has its own budget.
const NETWORK_BUDGET = 500 * 1024;

PUBLIC_PAGES.push(A, `${A}/waves`, `${A}/changes`, `${A}/analysis`);
ORGANISER_PAGES.push(A, `${A}/new`, `${A}/waves`, `${A}/changes`, `${A}/analysis`, `${A}/import`,
  `${A}/changes?from=2026-01-20&to=2026-04-15`);

const today = new Date().toISOString().slice(0, 10);

async function selectByLabel(page, selector, label) {
  await page.selectOption(selector, { label });
}

test('actor map: a focal point records a wave on a phone without JavaScript; the organiser sees the change', async () => {
  const phone = await newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 }, isMobile: true });
  const org = await newContext();
  try {
    const p = await login(phone, 'focal');
    eq(await status(p, `${A}/waves`), 200, 'waves page');
    const title = `Phone wave ${Date.now()}`;
    await p.fill('#title', title);
    await p.fill('#held_on', today);
    await p.fill('#place', 'District X');
    await Promise.all([p.waitForNavigation(), p.click('form[action$="/actors/waves"] button[type=submit]')]);
    assert(/\/actors\/waves\/\d+$/.test(new URL(p.url()).pathname), `after creating the wave: ${p.url()}`);
    eq(await p.locator('h1').innerText(), title, 'the wave page');
    // The form fits the phone: nothing wider than the screen.
    const wide = await p.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 380, `the wave page is ${wide}px wide on a 360px screen`);

    // An observation: the National Front softens from -2 to +1.
    await selectByLabel(p, '#o-actor', 'Veluna National Front');
    await p.selectOption('#o-attitude', '1');
    await p.selectOption('#o-influence', '4');
    await p.fill('#o-source', 'focus group, District X');
    await Promise.all([p.waitForNavigation(), p.click('form[action$="/observe"] button[type=submit]')]);
    assert((await p.locator('[role=status]').first().innerText()).includes('Saved'), 'saved message');
    // A new actor, added from the same form.
    await p.click('form[action$="/observe"] summary');
    await p.fill('#o-new-name', 'Elder Baran of Tessel');
    await p.selectOption('#o-new-kind', 'individual');
    await p.selectOption('#o-attitude', '2');
    await p.fill('#o-source', 'focus group, District X');
    await Promise.all([p.waitForNavigation(), p.click('form[action$="/observe"] button[type=submit]')]);
    // A tie across the divide.
    await selectByLabel(p, '#t-source', 'Veluna National Front');
    await selectByLabel(p, '#t-target', 'Kestrian Unity Party');
    await p.selectOption('#t-kind', 'cooperation');
    await p.fill('#t-source-of', 'focus group, District X');
    await Promise.all([p.waitForNavigation(), p.click('form[action$="/tie"] button[type=submit]')]);
    const recorded = await p.locator('main').innerText();
    assert(recorded.includes('Elder Baran of Tessel') && recorded.includes('Kestrian Unity Party'),
      'the wave lists what was recorded');

    // A wrong value is refused with a message, without JavaScript.
    await selectByLabel(p, '#o-actor', 'Veluna National Front');
    await p.fill('#o-source', 'focus group, District X');
    await Promise.all([p.waitForNavigation(), p.click('form[action$="/observe"] button[type=submit]')]);
    assert((await p.locator('.errors').innerText()).includes('at least one'), 'the error summary says what is missing');

    // The organiser sees the change since the previous wave.
    const o = await login(org, 'organiser');
    eq(await status(o, `${A}/changes`), 200, 'change page');
    const period = await o.locator('#change-period').innerText();
    assert(period.includes(title), `the change runs to the new wave: ${period}`);
    assert(period.includes('July focus groups'), `from the previous wave: ${period}`);
    const row = o.locator('#attitude-changes tr', { hasText: 'Veluna National Front' });
    eq(await row.count(), 1, 'the National Front moved');
    const cells = await row.locator('td').allInnerTexts();
    eq(cells.slice(0, 2).join(' '), '-2 +1', 'from -2 to +1');
    const text = await o.locator('main').innerText();
    assert(text.includes('Elder Baran of Tessel'), 'the new actor is listed');
    assert(text.includes('Ties added') && text.includes('Kestrian Unity Party'), 'the new tie is listed');
  } finally {
    await Promise.all([phone.close(), org.close()]);
  }
});

test('actor map: members and the public do not see organisers-level actors', async () => {
  const org = await newContext();
  const mem = await newContext();
  const anon = await newContext();
  try {
    const o = await login(org, 'owner');
    const m = await login(mem, 'member');
    const a = await anon.newPage();
    for (const path of [A, `${A}/analysis`, `${A}/network.json`]) {
      eq(await status(o, path), 200, `organiser ${path}`);
      assert((await o.content()).includes('General Haldor Vex'), `the owner sees the spoiler at ${path}`);
      eq(await status(m, path), 200, `member ${path}`);
      assert(!(await m.content()).includes('General Haldor Vex'), `member does not see the spoiler at ${path}`);
      eq(await status(a, path), 200, `public ${path}`);
      assert(!(await a.content()).includes('Veluna National Front'), `the public sees no members-level actor at ${path}`);
    }
    eq(await status(a, '/s/civil-society-coalition/actors'), 404, 'closed space');
    eq(await status(a, '/s/veluna-kestria-dialogue/actors/network.json'), 404, 'closed space JSON');
  } finally {
    await Promise.all([org.close(), mem.close(), anon.close()]);
  }
});

async function openNetwork(page) {
  eq(await status(page, `${A}/network`), 200, 'network page');
  await page.waitForSelector('#network[data-ready="1"]', { timeout: 30000 });
  await page.waitForSelector('#net-canvas canvas');
}

test('actor map: the network view filters, focuses, replays the waves and exports a PNG', async () => {
  const ctx = await newContext({ acceptDownloads: true });
  try {
    const page = await login(ctx, 'owner');
    const consoleErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await openNetwork(page);
    const all = Number(await page.getAttribute('#network', 'data-shown'));
    assert(all > 50, `${all} actors shown`);
    await page.selectOption('#n-kind', 'armed_group');
    const armed = Number(await page.getAttribute('#network', 'data-shown'));
    assert(armed >= 2 && armed < 6, `${armed} armed groups shown`);
    await page.selectOption('#n-kind', '');
    await page.selectOption('#n-side', 'Kestria');
    const kestria = Number(await page.getAttribute('#network', 'data-shown'));
    assert(kestria > 10 && kestria < all, `${kestria} Kestrian actors`);
    await page.selectOption('#n-side', '');
    await selectByLabel(page, '#n-focus', 'Mother Ilsa Maren');
    const panel = await page.locator('#net-panel').innerText();
    assert(panel.includes('Mother Ilsa Maren') && panel.includes('Broker'), `side panel: ${panel.slice(0, 200)}`);
    // Replay: the first wave has fewer actors than today.
    await page.locator('#n-date').fill('0');
    const label = await page.locator('#n-date-label').innerText();
    assert(label.includes('January'), `slider label: ${label}`);
    const first = Number(await page.getAttribute('#network', 'data-ties'));
    await page.locator('#n-date').fill(await page.getAttribute('#n-date', 'max'));
    const last = Number(await page.getAttribute('#network', 'data-ties'));
    assert(first > 0 && first < last, `ties in the first wave ${first} < today ${last}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#n-png')]);
    assert(download.suggestedFilename().endsWith('.png'), download.suggestedFilename());
    // Under the strict Content-Security-Policy, nothing is refused and nothing throws.
    assert(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
  } finally {
    await ctx.close();
  }
});

test('actor map: the network view stays interactive with 500 actors', async () => {
  const ctx = await newContext();
  try {
    const page = await login(ctx, 'analyst');
    // A synthetic network of 500 actors and 1500 ties, served in place of the JSON.
    const kinds = ['individual', 'organisation', 'armed_group', 'state_body', 'media'];
    const nodes = [];
    const actors = {};
    const metrics = {};
    for (let i = 0; i < 500; i += 1) {
      nodes.push({ id: String(i), name: `Actor ${i}`, kind: kinds[i % 5], kind_label: kinds[i % 5], tracks: [1 + (i % 9)],
        side: i % 2 ? 'Veluna' : 'Kestria', tags: [], history: [['2026-01-01', (i % 7) - 3, i % 6, 'synthetic']] });
      actors[String(i)] = [(i % 7) - 3, i % 6];
      metrics[String(i)] = [0, 0, 1, false, false, ''];
    }
    const ties = [];
    for (let i = 0; i < 1500; i += 1) {
      const s = i % 500;
      const t = (s * 7 + 1 + Math.floor(i / 500) * 13) % 500;
      if (s !== t) ties.push([String(s), String(t), 'cooperation', 'Cooperation', i % 4 ? 1 : -1, 1 + (i % 3), false]);
    }
    const body = JSON.stringify({ nodes, frames: [{ date: '2026-01-01', label: 'synthetic', actors, ties, metrics }], labels: {} });
    await page.route('**/actors/network.json', (r) => r.fulfill({ status: 200, contentType: 'application/json', body }));
    const t0 = Date.now();
    await openNetwork(page);
    const loaded = Date.now() - t0;
    eq(Number(await page.getAttribute('#network', 'data-shown')), 500, '500 actors shown');
    let t1 = Date.now();
    await page.selectOption('#n-kind', 'media');
    const filterMs = Date.now() - t1;
    eq(Number(await page.getAttribute('#network', 'data-shown')), 100, '100 media actors');
    await page.selectOption('#n-kind', '');
    // A tap on a node focuses it.
    const box = await page.locator('#net-canvas').boundingBox();
    const pos = await page.evaluate(() => {
      // The node nearest the centre of the canvas, in page coordinates.
      const c = document.querySelector('#net-canvas canvas').getBoundingClientRect();
      return { x: c.width / 2, y: c.height / 2 };
    });
    t1 = Date.now();
    await page.selectOption('#n-focus', { index: 0 });
    await page.mouse.click(box.x + pos.x, box.y + pos.y);
    const focusMs = Date.now() - t1;
    console.log(`  500 actors: ready in ${loaded} ms, filter in ${filterMs} ms, tap in ${focusMs} ms`);
    assert(loaded < 20000, `ready in ${loaded} ms`);
    assert(filterMs < 2000, `filter took ${filterMs} ms`);
    assert(focusMs < 2000, `tap took ${focusMs} ms`);
  } finally {
    await ctx.close();
  }
});

test('actor map: network page within its own budget; axe on the network, wave and actor pages (en, ur)', async () => {
  const problems = [];
  // One log-in for both languages: accounts have a log-in rate limit. The owner sees
  // every form of these pages (recording, corrections, levels).
  const ctx = await newContext({ bypassCSP: true });
  const page = await login(ctx, 'owner');
  try {
    for (const lang of ['en', 'ur']) {
      await setLang(page, lang);
      // Weight of the network page, with the cache off.
      await page.route('**/*', (r) => r.continue());
      const counted = [];
      const onResponse = (res) => {
        if (['document', 'stylesheet', 'script', 'fetch', 'xhr'].includes(res.request().resourceType())) counted.push(res);
      };
      page.on('response', onResponse);
      await openNetwork(page);
      page.off('response', onResponse);
      let bytes = 0;
      for (const res of counted) bytes += (await res.body().catch(() => Buffer.alloc(0))).length;
      console.log(`  ${lang} network page: ${bytes} bytes (budget ${NETWORK_BUDGET})`);
      assert(bytes < NETWORK_BUDGET, `network page weighs ${bytes} bytes`);
      await page.unroute('**/*');

      eq(await status(page, `${A}/waves`), 200, 'waves');
      const wave = await page.locator('main table a').first().getAttribute('href');
      eq(await status(page, A), 200, 'list');
      const actor = await page.locator('main table a').first().getAttribute('href');
      for (const path of [`${A}/network`, wave, actor.split('?')[0], `${actor.split('?')[0]}/observe`]) {
        eq(await status(page, path), 200, path);
        if (path.endsWith('/network')) await page.waitForSelector('#network[data-ready="1"]');
        eq(await page.getAttribute('html', 'lang'), lang, `${path} lang`);
        await page.addScriptTag({ path: AXE });
        const result = await page.evaluate(async () => {
          const r = await axe.run(document, { resultTypes: ['violations'] });
          return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => n.target.join(' ')) }));
        });
        for (const v of result) {
          if (v.impact === 'serious' || v.impact === 'critical') {
            problems.push(`${lang} ${path}: [${v.impact}] ${v.id}: ${v.help} ${v.nodes.slice(0, 3).join(', ')}`);
          }
        }
      }
    }
  } finally {
    await ctx.close();
  }
  assert(problems.length === 0, `accessibility violations:\n    ${problems.join('\n    ')}`);
});

test('actor map: a Kumu spreadsheet chosen as a file is imported whole, a bad one not at all', async () => {
  const ctx = await newContext();
  try {
    const page = await login(ctx, 'focal');
    eq(await status(page, `${A}/import`), 200, 'import page');
    await page.selectOption('#format', 'kumu-csv');
    await page.setInputFiles('#first-file', { name: 'elements.csv', mimeType: 'text/csv',
      buffer: Buffer.from('Label,Type,Attitude,Influence\nHerders of the Upper Valley,Community,1,2\n') });
    await page.setInputFiles('#second-file', { name: 'connections.csv', mimeType: 'text/csv',
      buffer: Buffer.from('From,To,Type\nHerders of the Upper Valley,Nobody We Know,Cooperation\n') });
    await page.waitForFunction(() => document.querySelector('#second').value.includes('Nobody'));
    await page.fill('#date', '2026-08-01');
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/import"] button[type=submit]')]);
    const problems = await page.locator('#import-errors').innerText();
    assert(problems.includes('This actor is not known here.'), `the unknown actor is reported: ${problems}`);
    eq(await status(page, A), 200, 'list');
    assert(!(await page.locator('main').innerText()).includes('Herders of the Upper Valley'), 'nothing was imported');
    eq(await status(page, `${A}/import`), 200, 'import page again');
    await page.selectOption('#format', 'kumu-csv');
    await page.setInputFiles('#first-file', { name: 'elements.csv', mimeType: 'text/csv',
      buffer: Buffer.from('Label,Type,Attitude,Influence\nHerders of the Upper Valley,Community,1,2\n') });
    await page.setInputFiles('#second-file', { name: 'connections.csv', mimeType: 'text/csv',
      buffer: Buffer.from('From,To,Type\nHerders of the Upper Valley,Mother Ilsa Maren,Cooperation\n') });
    await page.waitForFunction(() => document.querySelector('#second').value.includes('Mother'));
    await page.fill('#date', '2026-08-01');
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/import"] button[type=submit]')]);
    assert((await page.locator('#import-done').innerText()).length > 0, 'imported');
    eq(await status(page, A), 200, 'list');
    assert((await page.locator('main').innerText()).includes('Herders of the Upper Valley'), 'the new actor is listed');
  } finally {
    await ctx.close();
  }
});
