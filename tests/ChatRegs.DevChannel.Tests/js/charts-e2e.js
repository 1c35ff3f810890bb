// Opens the local chat page in headless Chromium as the employee and reads the chart elements
// (Bot/DevChannel/wwwroot/charts.js) of the cards the test put in their chat:
//   node charts-e2e.js --url 'http://127.0.0.1:PORT/?key=KEY' --expect N [--out DIR]
// Waits for N charts, then prints one JSON line {"step":"charts","charts":[…]} describing each
// (type, language, title, slices, bars, lines, the label texts, the accessible name and the
// colours), takes a screenshot of each, and exits 1 on failure.
'use strict';
const fs = require('fs');
const path = require('path');
const { launch, repoRoot, arg, log, openChat, run } = require('../../TestSupport/js/browser');

const url = arg('url');
const expect = Number(arg('expect', '1'));
const out = path.resolve(arg('out', path.join(repoRoot, 'artifacts', 'webchat')));

run(async () => {
  if (!url) throw new Error('--url is required');
  fs.mkdirSync(out, { recursive: true });
  const browser = await launch();
  try {
    const { page, pageErrors } = await openChat(browser, url, { viewport: { width: 1100, height: 1400 } });
    await page.waitForFunction(n => document.querySelectorAll('.ac-adaptiveCard figure.devchannel-chart').length >= n, expect, { timeout: 60000 });
    const charts = await page.evaluate(() => [...document.querySelectorAll('.ac-adaptiveCard figure.devchannel-chart')].map(figure => {
      const svg = figure.querySelector('svg');
      const texts = selector => [...figure.querySelectorAll(selector)].map(t => t.textContent);
      const box = svg.getBoundingClientRect();
      return {
        type: figure.dataset.chartType,
        lang: figure.lang,
        title: (figure.querySelector('figcaption') || {}).textContent || '',
        aria: svg.getAttribute('aria-label'),
        slices: figure.querySelectorAll('.devchannel-chart-slice').length,
        bars: figure.querySelectorAll('.devchannel-chart-bar').length,
        lines: figure.querySelectorAll('.devchannel-chart-line').length,
        labels: texts('.devchannel-chart-label'),
        values: texts('.devchannel-chart-value'),
        legends: texts('.devchannel-chart-legend'),
        fills: [...figure.querySelectorAll('.devchannel-chart-slice, .devchannel-chart-bar')].map(s => s.getAttribute('fill')),
        width: box.width,
        height: box.height
      };
    }));
    log('charts', { charts });
    const figures = page.locator('.ac-adaptiveCard figure.devchannel-chart');
    for (let i = 0; i < charts.length; i++) {
      const file = path.join(out, `chart-${i + 1}-${charts[i].type.replace('.', '-')}.png`);
      await figures.nth(i).scrollIntoViewIfNeeded();
      await figures.nth(i).screenshot({ path: file });
      log('screenshot', { file });
    }
    if (pageErrors.length > 0) throw new Error('page errors: ' + pageErrors.join('; '));
    log('done');
  } finally {
    await browser.close();
  }
});
