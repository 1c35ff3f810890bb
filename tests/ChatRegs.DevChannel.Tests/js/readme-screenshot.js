// Takes the README's screenshot (docs/webchat.png) of the running bot's local chat page:
//   scripts/run.sh   (in another terminal)
//   node tests/ChatRegs.DevChannel.Tests/js/readme-screenshot.js --url 'http://localhost:3978/?key=…' [--out docs/webchat.png]
// (--url: the "Local chat page" address the bot printed at start-up, with its key)
'use strict';
const path = require('path');
const { launch, repoRoot } = require('../../TestSupport/js/browser');

const arg = (name, fallback) => {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

(async () => {
  const url = arg('url');
  if (!url) {
    throw new Error('--url: the page address the bot printed at start-up ("Local chat page: http://localhost:3978/?key=…")');
  }
  const out = path.resolve(arg('out', path.join(repoRoot, 'docs', 'webchat.png')));
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 820 } });
    page.setDefaultTimeout(30000);
    const address = new URL(url);
    for (const [name, value] of Object.entries({ as: 'employee', chat: 'personal', locale: 'zh-CN' })) address.searchParams.set(name, value);
    await page.goto(address.toString());
    await page.waitForSelector('body[data-conversation]');
    const box = page.locator('[data-id="webchat-sendbox-input"]');
    await box.waitFor();
    await page.locator('.ac-adaptiveCard').first().waitFor(); // the welcome card
    await page.waitForTimeout(500);
    const before = await page.locator('.ac-adaptiveCard').count();
    await box.click();
    await box.fill('帮助');
    await box.press('Enter');
    await page.waitForFunction(n => document.querySelectorAll('.ac-adaptiveCard').length > n, before);
    await page.locator('.webchat__bubble--from-user', { hasText: '帮助' }).first().waitFor();
    await page.waitForTimeout(800);
    await page.screenshot({ path: out });
    console.log('wrote ' + out);
  } finally {
    await browser.close();
  }
})().catch(e => {
  console.error(e);
  process.exit(1);
});
