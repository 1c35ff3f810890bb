// Opens the local chat page in headless Chromium as the employee, waits until a card in their
// chat shows --wait-text (a card the page refreshed on its own, as Teams does for the people in
// its refresh.userIds), gives any other refresh a moment, then prints one JSON line
// {"step":"cards","texts":[…]} with the text of every Adaptive Card shown, and a screenshot:
//   node refresh-e2e.js --url 'http://127.0.0.1:PORT/?key=KEY' --wait-text TEXT [--out DIR]
// Exits 1 on failure.
'use strict';
const fs = require('fs');
const path = require('path');
const { launch, repoRoot, arg, log, openChat, run } = require('../../TestSupport/js/browser');

const url = arg('url');
const waitText = arg('wait-text');
const out = path.resolve(arg('out', path.join(repoRoot, 'artifacts', 'webchat')));

run(async () => {
  if (!url || !waitText) throw new Error('--url and --wait-text are required');
  fs.mkdirSync(out, { recursive: true });
  const browser = await launch();
  try {
    const { page, pageErrors } = await openChat(browser, url);
    await page.waitForFunction(text => [...document.querySelectorAll('.ac-adaptiveCard')].some(c => c.textContent.includes(text)), waitText, { timeout: 60000 });
    // Any other automatic refresh would have gone by now.
    await page.waitForTimeout(2000);
    const texts = await page.evaluate(() => [...document.querySelectorAll('.ac-adaptiveCard')].map(c => c.textContent.trim()));
    log('cards', { texts });
    await page.screenshot({ path: path.join(out, '06-card-refreshed.png') });
    if (pageErrors.length > 0) throw new Error('page errors: ' + pageErrors.join('; '));
    log('done');
  } finally {
    await browser.close();
  }
});
