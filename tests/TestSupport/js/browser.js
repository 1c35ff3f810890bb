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

module.exports = { launch, repoRoot, chromiumArgs };
