// End-to-end browser tests for Convene: headless Chromium driven by playwright-core,
// accessibility checked with axe-core.
//
//   node e2e/run.mjs http://127.0.0.1:PORT
//
// The server must be a fresh `convene demo`. E2E_ONLY=text runs only the tests whose
// names contain the text. Every file in suites/ is a suite, run in
// the order of its name; the same-origin check runs last, over every request any suite
// made. Prints `N passed, M failed` last and exits non-zero when anything failed.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  Failure, here, launch, requested, tests,
  BASE, url, test, assert, eq, newContext, login, PUBLIC_PAGES, OWNER_PAGES,
} from './lib.mjs';

for (const f of readdirSync(join(here, 'suites')).filter((f) => f.endsWith('.mjs')).sort()) {
  await import(join(here, 'suites', f));
}

test('no request ever goes to another origin', async () => {
  // Visit every page once more, logged in as the owner, then check every request that any
  // test made.
  const ctx = await newContext();
  try {
    const page = await login(ctx, 'owner');
    for (const path of [...new Set([...PUBLIC_PAGES, ...OWNER_PAGES, '/s/serran-valley/members'])].filter((p) => p.startsWith('/'))) {
      await page.goto(url(path), { waitUntil: 'load' });
    }
  } finally {
    await ctx.close();
  }
  assert(requested.length > 50, `only ${requested.length} requests were recorded`);
  const foreign = [...new Set(requested.filter((u) => {
    try {
      return new URL(u).origin !== BASE;
    } catch {
      return true;
    }
  }))];
  console.log(`  ${requested.length} requests recorded`);
  assert(foreign.length === 0, `requests to other origins:\n    ${foreign.join('\n    ')}`);
});

// --- run -----------------------------------------------------------------------------

let browser;
let passed = 0;
let failed = 0;
try {
  browser = await launch();
  const only = process.env.E2E_ONLY;
  for (const t of tests.filter((t) => !only || t.name.includes(only))) {
    const started = Date.now();
    try {
      await t.fn();
      passed += 1;
      console.log(`ok - ${t.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed += 1;
      console.log(`not ok - ${t.name} (${Date.now() - started} ms)`);
      console.log(`    ${e instanceof Failure ? e.message : (e && e.stack) || e}`);
    }
  }
} catch (e) {
  failed += 1;
  console.log(`not ok - starting Chromium: ${(e && e.stack) || e}`);
} finally {
  if (browser) await browser.close().catch(() => {});
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
