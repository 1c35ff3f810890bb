// Renders expanded Adaptive Cards with the official renderer (npm adaptivecards) in Debian's
// headless Chromium, driven by playwright-core (which never downloads a browser here).
//
//   node render-cards.js <input.json> <output.json>
//
// input.json:  { "chromium": "/usr/bin/chromium",
//                "cards": [{ "id": "...", "card": <json>, "screenshot": "/abs/path.png" | null, "withoutCharts": false }] }
// output.json: { "browser": { "version", "args" }, "results": [{ "id", "parseEvents", "validationEvents",
//                "console", "pageErrors", "rendered", "renderError", "html", "text", "width", "height" }] }
//
// One browser and one page for all cards. Each card is parsed with a
// SerializationContext for version 1.5 (so a 1.6-only property is reported; Teams' chart
// elements are drawn by Bot/DevChannel/wwwroot/charts.js, as on the local chat page), its parse events
// and validateProperties() events are collected, then it is rendered and, when asked,
// screenshotted. The page never reaches the network: images get a placeholder, every other
// request is aborted.
'use strict';

const fs = require('fs');
const path = require('path');

const repoRoot = path.resolve(__dirname, '..', '..', '..');

function resolveFromRepo(request) {
  try {
    return require.resolve(request, { paths: [repoRoot] });
  } catch (e) {
    console.error(`'${request}' is not installed under ${repoRoot}/node_modules: run \`npm ci\` at the repository root.`);
    process.exit(3);
  }
}

const { chromium } = require(resolveFromRepo('playwright-core'));
const adaptiveCardsDist = path.join(path.dirname(resolveFromRepo('adaptivecards/package.json')), 'dist');
const adaptiveCardsScript = path.join(adaptiveCardsDist, 'adaptivecards.min.js');
const adaptiveCardsStyle = path.join(adaptiveCardsDist, 'adaptivecards.css');
// Teams renders TextBlock markdown; the renderer needs a markdown processor for that (and logs
// a warning without one). markdown-it is what the adaptivecards README suggests; it comes with
// botframework-webchat. Its default (html: false) escapes raw HTML.
const markdownItScript = path.join(path.dirname(resolveFromRepo('markdown-it/package.json')), 'dist', 'markdown-it.min.js');
// Teams' chart elements (Chart.Donut, Pie, VerticalBar, HorizontalBar, Line) are not in the
// official renderer: the local chat page's element renderers (SVG) draw them, as on that page.
const chartsScript = path.join(repoRoot, 'Bot', 'DevChannel', 'wwwroot', 'charts.js');
// Images are answered with this 1x1 grey PNG: nothing leaves the machine, nothing fails to load.
const placeholderPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mN4/f7/fwAJpAPmJ1vH3AAAAABJRU5ErkJggg==', 'base64');

// Playwright passes its own --disable-features list; Chromium honours only one such flag, so
// to add AutofillServerCommunication (keeps the browser on loopback) the list is merged into
// one flag and Playwright's is dropped. Playwright does not export the list: read it from the
// installed bundle, and fail loudly if that ever stops working.
function playwrightDisabledFeatures() {
  const bundle = fs.readFileSync(path.join(path.dirname(resolveFromRepo('playwright-core/package.json')), 'lib', 'coreBundle.js'), 'utf8');
  const match = /disabledFeatures = \[([\s\S]*?)\]\.filter\(Boolean\)/.exec(bundle);
  if (!match) {
    throw new Error('Could not find Playwright\'s disabledFeatures list in playwright-core/lib/coreBundle.js (playwright-core changed?).');
  }
  const features = [...match[1].matchAll(/^\s*"([A-Za-z0-9]+)",?\s*$/gm)].map((m) => m[1]);
  if (features.length < 5) {
    throw new Error(`Playwright's disabledFeatures list looks wrong: ${JSON.stringify(features)}`);
  }
  return features;
}

// The command line Chromium was really started with (the browser process is our direct child).
function chromiumCommandLine(executable) {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = /^PPid:\s*(\d+)/m.exec(status);
      if (!ppid || Number(ppid[1]) !== process.pid) continue;
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (args.length > 0 && args.some((a) => a.startsWith('--remote-debugging-pipe'))) return args;
    } catch (e) {
      // process gone
    }
  }
  return null;
}

// One page for all cards (loading the renderer once keeps the run short); each card gets a
// fresh host element, and the console/page errors seen while it is rendered are its own.
async function renderAll(context, items) {
  const page = await context.newPage();
  let sink = null;
  page.on('console', (m) => {
    if (sink && (m.type() === 'error' || m.type() === 'warning')) sink.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => {
    if (sink) sink.pageErrors.push(String(e && e.message ? e.message : e));
  });
  await page.setContent(
    '<!DOCTYPE html><html><head><meta charset="utf-8"></head>' +
    '<body style="margin:0;background:#f5f5f5"></body></html>');
  await page.addScriptTag({ path: markdownItScript });
  await page.addScriptTag({ path: adaptiveCardsScript });
  await page.addScriptTag({ path: chartsScript });
  await page.addStyleTag({ path: adaptiveCardsStyle });

  const results = [];
  for (const item of items) {
    sink = { console: [], pageErrors: [] };
    const outcome = JSON.parse(await page.evaluate(async ({ cardJson, withoutCharts }) => {
      const AC = window.AdaptiveCards;
      // withoutCharts: render as a host that does not know Teams' chart elements (the card's
      // fallback is shown), by taking the chart registrations away for this card only.
      const registry = AC.GlobalRegistry.elements;
      const removed = [];
      if (withoutCharts) {
        for (let i = 0; i < registry.getItemCount(); i++) {
          const item = registry.getItemAt(i);
          if (item.typeName.startsWith('Chart.')) removed.push(item);
        }
        removed.forEach((item) => registry.unregister(item.typeName));
      }
      const describe = (e) => ({
        phase: AC.ValidationPhase[e.phase],
        event: AC.ValidationEvent[e.event],
        message: e.message,
      });
      document.body.innerHTML = '<div id="host" style="width:480px;padding:12px;background:#fff"></div>';
      const result = { parseEvents: [], validationEvents: [], rendered: false, renderError: null };
      try {
        // linkify: like the hosts that turn a bare URL into a link (so a test sees it if one slips through)
        const markdown = window.markdownit({ linkify: true });
        AC.AdaptiveCard.onProcessMarkdown = (text, md) => {
          md.outputHtml = markdown.render(text);
          md.didProcess = true;
        };
        const card = new AC.AdaptiveCard();
        card.hostConfig = new AC.HostConfig({
          fontFamily: "'Noto Sans CJK SC', 'Noto Sans', 'DejaVu Sans', sans-serif",
        });
        const context = new AC.SerializationContext(AC.Versions.v1_5);
        card.parse(cardJson, context);
        for (let i = 0; i < context.eventCount; i++) result.parseEvents.push(describe(context.getEventAt(i)));
        result.validationEvents = card.validateProperties().validationEvents.map(describe);
        const element = card.render();
        if (element) {
          document.getElementById('host').appendChild(element);
          result.rendered = true;
        }
        // let the (placeholder) images load before the screenshot
        await Promise.all([...document.images].map((img) => img.complete ? null
          : new Promise((resolve) => { img.onload = img.onerror = resolve; setTimeout(resolve, 2000); })));
      } catch (e) {
        result.renderError = String(e && e.stack ? e.stack : e);
      }
      removed.forEach((item) => registry.register(item.typeName, item.objectType, item.schemaVersion));
      // what the person sees: the rendered elements (to look for links, images, formatting) and the text
      const host = document.getElementById('host');
      result.html = host.innerHTML;
      result.text = host.innerText;
      // the elements Markdown made inside text blocks and facts (a <p> per paragraph is all plain text gives)
      result.textBlockTags = [...new Set([...host.querySelectorAll('.ac-textBlock *')].map((e) => e.tagName.toLowerCase()))];
      return JSON.stringify(result);
    }, { cardJson: item.card, withoutCharts: !!item.withoutCharts }));
    const host = page.locator('#host');
    const box = await host.boundingBox();
    if (item.screenshot) {
      fs.mkdirSync(path.dirname(item.screenshot), { recursive: true });
      await host.screenshot({ path: item.screenshot });
    }
    results.push({
      id: item.id,
      ...outcome,
      console: sink.console,
      pageErrors: sink.pageErrors,
      width: box ? box.width : 0,
      height: box ? box.height : 0,
    });
  }
  sink = null;
  await page.close();
  return results;
}

async function main() {
  const [inputFile, outputFile] = process.argv.slice(2);
  if (!inputFile || !outputFile) {
    console.error('usage: node render-cards.js <input.json> <output.json>');
    process.exit(2);
  }
  const input = JSON.parse(fs.readFileSync(inputFile, 'utf8'));
  const features = playwrightDisabledFeatures();
  const browser = await chromium.launch({
    executablePath: input.chromium,
    headless: true,
    ignoreDefaultArgs: ['--disable-features=' + features.join(',')],
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-features=' + [...features, 'AutofillServerCommunication'].join(','),
      '--component-updater=url-source=http://127.0.0.1:9/update',
    ],
  });
  try {
    const args = chromiumCommandLine(input.chromium);
    const context = await browser.newContext({ viewport: { width: 560, height: 900 }, deviceScaleFactor: 1 });
    await context.route('**/*', (route) => route.request().resourceType() === 'image'
      ? route.fulfill({ status: 200, contentType: 'image/png', body: placeholderPng })
      : route.abort());
    const results = await renderAll(context, input.cards);
    await context.close();
    fs.writeFileSync(outputFile, JSON.stringify({ browser: { version: browser.version(), args }, results }));
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
