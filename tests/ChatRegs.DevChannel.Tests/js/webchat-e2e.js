// Drives the local chat page in headless Chromium, as a person would:
//   node webchat-e2e.js --url 'http://127.0.0.1:PORT/?key=KEY' [--out DIR] [--execute-title TITLE --execute-answer TEXT]
// --url is the page's address as the bot prints it at start-up ("Local chat page: …", with the
// start-up key), opened as a developer would. Opens it, sends 帮助, sees the help card, clicks a card button and sees the answer; clicks an
// Action.Execute button (if the test put such a card in the chat) and sees the card replaced;
// sends a test notice to the host, switches to the host and sees it arrive; sends 帮助 in the
// meeting chat. Screenshots go to --out. Prints one JSON line per step; exits 1 on failure.
'use strict';
const fs = require('fs');
const path = require('path');
const { launch, repoRoot } = require('../../TestSupport/js/browser');

function arg(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const url = arg('url');
if (!url) {
  console.error('--url: the page address the bot printed at start-up ("Local chat page: http://localhost:3978/?key=…")');
  process.exit(2);
}
// The printed address with the page's own parameters added (the key stays as printed).
const pageUrl = params => {
  const u = new URL(url);
  for (const [name, value] of Object.entries(params)) u.searchParams.set(name, value);
  return u.toString();
};
const out = path.resolve(arg('out', path.join(repoRoot, 'artifacts', 'webchat')));
const executeTitle = arg('execute-title');
const executeAnswer = arg('execute-answer');
const notice = arg('notice', '【测试通知】浏览器测试 ' + Date.now());
const timeout = 30000;

const log = (step, extra) => console.log(JSON.stringify({ step, ...extra }));

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const browser = await launch();
  const pageErrors = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    page.on('pageerror', e => pageErrors.push(e.message));
    page.on('console', m => {
      if (m.type() === 'error') log('console-error', { text: m.text() });
    });
    const shot = async name => {
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(out, name) });
      log('screenshot', { file: path.join(out, name) });
    };
    const cards = () => page.locator('.ac-adaptiveCard').count();
    const waitForMoreCards = async than =>
      page.waitForFunction(n => document.querySelectorAll('.ac-adaptiveCard').length > n, than, { timeout });
    const sendBox = page.locator('[data-id="webchat-sendbox-input"]');
    const send = async text => {
      await sendBox.click();
      await sendBox.fill(text);
      await sendBox.press('Enter');
    };

    // 1. The page, as the employee, in their 1:1 chat.
    await page.goto(pageUrl({ as: 'employee', chat: 'personal', locale: 'zh-CN' }));
    await page.waitForSelector('body[data-conversation="a:dev-employee"]');
    await sendBox.waitFor();
    log('opened', { title: await page.title() });

    // 2. 帮助 → the help card.
    let before = await cards();
    await send('帮助');
    await page.getByText('帮助', { exact: true }).first().waitFor();
    await waitForMoreCards(before);
    await page.locator('.ac-adaptiveCard').last().getByText('ChatRegs 制度助手').waitFor();
    log('help-card', { cards: await cards() });
    await shot('01-help-card.png');

    // 3. A card button (Action.Submit "帮助") → the answer (another help card).
    before = await cards();
    await page.locator('.ac-adaptiveCard').last().locator('button', { hasText: '帮助' }).first().click();
    await waitForMoreCards(before);
    log('card-button', { cards: await cards() });
    await shot('02-card-button-answer.png');

    // 4. Action.Execute → the bot's response card replaces the clicked one.
    if (executeTitle) {
      const button = page.locator('.ac-adaptiveCard button', { hasText: executeTitle });
      await button.first().scrollIntoViewIfNeeded();
      await button.first().click();
      await page.getByText(executeAnswer).first().waitFor();
      await page.waitForFunction(t => ![...document.querySelectorAll('.ac-adaptiveCard button')].some(b => b.textContent.includes(t)), executeTitle);
      log('action-execute', { replacedWith: executeAnswer });
      await page.getByText(executeAnswer).first().scrollIntoViewIfNeeded();
      await shot('03-action-execute.png');
    }

    // 5. A test notice to the host (proactive), then switch to the host and see it.
    await page.selectOption('#notify-person', '29:dev-host');
    await page.fill('#notify-text', notice);
    await page.click('#notify-send');
    await page.locator('#notify-status', { hasText: '张伟' }).waitFor();
    await page.locator('[data-person="host"] .badge').waitFor();
    log('notice-sent', { to: '29:dev-host' });
    await page.click('[data-person="host"]');
    await page.waitForSelector('body[data-conversation="a:dev-host"]');
    await page.locator(".webchat__bubble__content", { hasText: notice }).first().waitFor();
    log('notice-arrived', { in: 'a:dev-host' });
    await shot('04-notice-arrived.png');

    // 6. The meeting chat, as the host: 帮助 (the bot is @mentioned, as in a Teams channel).
    await page.click('[data-chat="meeting"]');
    await page.waitForSelector('body[data-conversation="19:dev-meeting-weekly@thread.tacv2"]');
    await sendBox.waitFor();
    before = await cards();
    await send('帮助');
    await waitForMoreCards(before);
    log('meeting-chat', { cards: await cards() });
    await shot('05-meeting-chat.png');

    if (pageErrors.length) {
      throw new Error('Errors in the page: ' + pageErrors.join(' | '));
    }
    log('done', { screenshots: out });
  } finally {
    await browser.close();
  }
}

main().catch(e => {
  log('failed', { error: String(e && e.stack || e) });
  process.exit(1);
});
