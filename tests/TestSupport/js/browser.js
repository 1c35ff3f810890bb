// Shared by the browser scripts (the local chat page's, the playground's): launches Debian's Chromium through playwright-core (no
// browser download), on loopback only, or fails with a clear message.
'use strict';
const fs = require('fs');
const path = require('path');

const repoRoot = (() => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'ChatRegs.sln'))) return dir;
    if (path.dirname(dir) === dir) throw new Error('ChatRegs.sln not found above ' + __dirname);
  }
})();

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Loopback only (RECIPES.md); AutofillServerCommunication is merged into Playwright's own
  // --disable-features list by chromium-loopback.sh.
  '--component-updater=url-source=http://127.0.0.1:9/update'
];

async function launch() {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: install Debian's chromium (apt-get install chromium fonts-noto-cjk; scripts/test.sh does it).`);
  }
  let playwright;
  try {
    playwright = require(path.join(repoRoot, 'node_modules', 'playwright-core'));
  } catch (e) {
    throw new Error('playwright-core is not installed: run `npm ci` at the repository root (' + e.message + ')');
  }
  const wrapper = path.join(__dirname, 'chromium-loopback.sh');
  fs.chmodSync(wrapper, 0o755);
  return playwright.chromium.launch({
    executablePath: wrapper,
    headless: true,
    args: chromiumArgs,
    env: { ...process.env, CHROMIUM_PATH: chromiumPath }
  });
}

/** The value after --name on the command line, or the fallback. */
function arg(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** Prints one JSON line {"step": step, ...extra}: what the C# test reads. */
const log = (step, extra) => console.log(JSON.stringify({ step, ...extra }));

/**
 * Opens the local chat page (its address with the start-up key) as one of the sample people in a
 * new page of the browser, and waits for their chat. Page errors are collected in the returned
 * list; console errors are logged as they come.
 */
async function openChat(browser, url, { as = 'employee', chat = 'personal', locale = 'zh-CN', viewport = { width: 1000, height: 900 }, conversation = 'a:dev-employee' } = {}) {
  const context = await browser.newContext({ viewport, locale });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  const pageErrors = [];
  page.on('pageerror', e => pageErrors.push(e.message));
  page.on('console', m => {
    if (m.type() === 'error') log('console-error', { text: m.text() });
  });
  const u = new URL(url);
  for (const [k, v] of Object.entries({ as, chat, locale })) u.searchParams.set(k, v);
  await page.goto(u.toString());
  await page.waitForSelector(`body[data-conversation="${conversation}"]`);
  return { page, pageErrors };
}

/** Runs the script's main, printing the error and exiting 1 if it fails. */
function run(main) {
  main().catch(e => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  });
}

module.exports = { launch, repoRoot, chromiumArgs, arg, log, openChat, run };
