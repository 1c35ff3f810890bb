// The Teams meeting panel (Bot/Tabs) in the local chat page's frame (tabhost.js answers teams-js):
//   node tabs-e2e.js --url 'http://127.0.0.1:PORT/?key=KEY' [--out DIR]
// As the employee: the agenda, then 签到; as the host: the roll; in English; in the dark theme.
// Prints one JSON line per step ({"step":"employee",…}) and exits 1 on failure.
'use strict';
const fs = require('fs');
const path = require('path');
const { launch, repoRoot } = require('../../TestSupport/js/browser');

function arg(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const url = arg('url');
const out = path.resolve(arg('out', path.join(repoRoot, 'artifacts', 'tabs')));
const log = (step, extra) => console.log(JSON.stringify({ step, ...extra }));

async function openPanel(page, as, locale) {
  const u = new URL(url);
  for (const [k, v] of Object.entries({ as, chat: 'meeting', locale, tab: 'meeting' })) u.searchParams.set(k, v);
  await page.goto(u.toString());
  await page.waitForSelector('#tab-host:not([hidden]) iframe#tab-frame');
  const frame = page.frameLocator('#tab-frame');
  await frame.locator('#checkin').waitFor({ timeout: 60000 });
  return frame;
}

async function main() {
  if (!url) throw new Error('--url is required');
  fs.mkdirSync(out, { recursive: true });
  const browser = await launch();
  const pageErrors = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    page.on('pageerror', e => pageErrors.push(e.message));
    page.on('console', m => { if (m.type() === 'error') log('console-error', { text: m.text() }); });

    // The employee: the agenda in order, and the 签到 button.
    let frame = await openPanel(page, 'employee', 'zh-CN');
    const agenda = await frame.locator('#agenda li .topic').allTextContents();
    const button = frame.locator('#checkin-button');
    log('employee', { agenda, button: await button.textContent() });
    // The panel is as narrow as Teams' side panel: nothing wider than the frame.
    const overflow = await frame.locator('body').evaluate(b => b.scrollWidth - b.clientWidth);
    if (overflow > 0) throw new Error('the panel is wider than its frame by ' + overflow + ' px');
    await page.locator('#tab-host').screenshot({ path: path.join(out, '01-employee-panel.png') });
    // Pressed with the keyboard, as someone without a mouse would.
    await button.focus();
    await page.keyboard.press('Enter');
    await frame.locator('#checkin-state.done').waitFor();
    log('checkedIn', { state: await frame.locator('#checkin-state').textContent() });
    await page.locator('#tab-host').screenshot({ path: path.join(out, '02-checked-in.png') });

    // The host: the roll, with the employee in it.
    frame = await openPanel(page, 'host', 'zh-CN');
    await frame.locator('#roll').waitFor();
    log('host', { rollTitle: await frame.locator('#roll h2').textContent(), roll: await frame.locator('#roll td:first-child').allTextContents() });
    await page.locator('#tab-host').screenshot({ path: path.join(out, '03-host-roll.png') });
    // 更正: 李娜 is excused, with a reason.
    await frame.locator('#correct-person').selectOption({ label: await frame.locator('#correct-person option', { hasText: '李娜' }).first().textContent() });
    await frame.locator('#correct-status').selectOption('Excused');
    await frame.locator('#correct-reason').fill('出差');
    await frame.locator('#correct-button').click();
    await frame.locator('#roll tr[data-status="Excused"]').waitFor();
    log('corrected', { status: await frame.locator('#status').textContent(), excused: await frame.locator('#roll tr[data-status="Excused"] td:first-child').allTextContents() });

    // In English.
    frame = await openPanel(page, 'host', 'en');
    await frame.locator('#roll').waitFor();
    log('english', { agendaTitle: await frame.locator('#agenda h2').textContent(), rollTitle: await frame.locator('#roll h2').textContent() });
    await page.locator('#tab-host').screenshot({ path: path.join(out, '04-english.png') });

    // The theme the host sets reaches the page.
    await page.locator('#tab-tools button[data-theme="dark"]').click();
    await frame.locator('body.theme-dark').waitFor();
    log('theme', { theme: 'dark' });
    await page.locator('#tab-host').screenshot({ path: path.join(out, '05-dark.png') });

    // The personal tab, as the employee.
    const u = new URL(url);
    for (const [k, v] of Object.entries({ as: 'employee', chat: 'personal', locale: 'zh-CN', tab: 'personal' })) u.searchParams.set(k, v);
    await page.goto(u.toString());
    const personal = page.frameLocator('#tab-frame');
    await personal.locator('#meetings li').first().waitFor({ timeout: 60000 });
    log('personal', { title: await personal.locator('h1').textContent(), meetings: await personal.locator('#meetings li strong').allTextContents(), report: await personal.locator('#report p').textContent() });
    await page.locator('#tab-host').screenshot({ path: path.join(out, '06-personal.png') });

    if (pageErrors.length > 0) throw new Error('page errors: ' + pageErrors.join('; '));
    log('done');
  } finally {
    await browser.close();
  }
}

main().catch(e => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
