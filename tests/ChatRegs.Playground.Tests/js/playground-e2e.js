// Drives Microsoft 365 Agents Playground (Microsoft's Teams emulator) in headless Chromium, as a
// person would, against the bot the playground is connected to:
//   node playground-e2e.js --url http://localhost:PORT [--out DIR] [--proactive-title TEXT --execute-answer TEXT]
// 1. opens the playground (personal chat): the installation's welcome card arrives;
// 2. types 帮助 and sees the help card; 3. clicks its 我是谁 button (Action.Submit) and sees who they are;
// 4. prints {"step":"ready-for-proactive"} and waits for a line on stdin (the test sends a card
//    through the bot's proactive path meanwhile), sees it arrive, clicks its Action.Execute button
//    (--proactive-title) and sees the bot's answer (--execute-answer) replace the card;
// 5. @mentions the bot with 帮助 in the group chat and 6. in the General channel.
// Every call between playground and bot shown in the playground's log panel (its websocket log
// stream) is printed as {"step":"call",…}. Screenshots go to --out. One JSON line per step; exits 1 on failure.
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');
// Debian's Chromium through playwright-core, loopback only (the browser tests' shared launcher).
const { launch, repoRoot } = require('../../TestSupport/js/browser');

function arg(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const url = arg('url');
if (!url) {
  console.error('--url: the playground\'s address, e.g. http://localhost:56150');
  process.exit(2);
}
const out = path.resolve(arg('out', path.join(repoRoot, 'artifacts', 'playground')));
const proactiveTitle = arg('proactive-title');
const executeAnswer = arg('execute-answer');
const timeout = 30000;

const log = (step, extra) => console.log(JSON.stringify({ step, ...extra }));
const stdinLines = readline.createInterface({ input: process.stdin });
const lines = [];
let lineWaiter = null;
stdinLines.on('line', line => { if (lineWaiter) { const w = lineWaiter; lineWaiter = null; w(line); } else lines.push(line); });
const nextLine = () => lines.length ? Promise.resolve(lines.shift()) : new Promise(resolve => { lineWaiter = resolve; });

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const browser = await launch();
  const pageErrors = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    page.on('pageerror', e => pageErrors.push(e.message));
    // The log panel's feed: every call between playground and bot, with its status.
    page.on('websocket', ws => ws.on('framereceived', frame => {
      let message;
      try { message = JSON.parse(String(frame.payload)); } catch { return; }
      const entry = message && message.log;
      if (!entry || entry.type !== 'bot') return;
      log('call', {
        name: entry.activityName, from: entry.from, to: entry.to,
        status: entry.response && entry.response.statusCode,
        text: entry.request && entry.request.body && typeof entry.request.body.text === 'string' ? entry.request.body.text.slice(0, 80) : undefined
      });
    }));
    const shot = async name => {
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(out, name) });
      log('screenshot', { file: path.join(out, name) });
    };
    const cards = page.locator('.ac-adaptiveCard');
    const countCards = () => cards.count();
    const waitForMoreCards = async than =>
      page.waitForFunction(n => document.querySelectorAll('.ac-adaptiveCard').length > n, than, { timeout });
    // The compose box (a channel also has one reply box per thread, above it).
    const box = page.locator('[role="textbox"]').last();
    // The help card answering 帮助 (the welcome is the help card with a welcome line on top).
    const helpAnswers = cards.filter({ hasText: 'ChatRegs 制度助手' }).filter({ hasNotText: /欢迎使用|Welcome to/ });
    const waitForMoreHelpAnswers = async than => {
      await page.waitForFunction(n => [...document.querySelectorAll('.ac-adaptiveCard')]
        .filter(c => c.innerText.includes('ChatRegs 制度助手') && !/欢迎使用|Welcome to/.test(c.innerText)).length > n, than, { timeout });
    };
    const send = async text => {
      await box.click();
      await box.pressSequentially(text);
      await box.press('Enter');
    };
    const mentionBotAndSend = async text => {
      await box.click();
      await box.pressSequentially('@Test');
      await page.locator('#typeahead-menu [role="menuitem"]', { hasText: 'Test Bot' }).click();
      await box.pressSequentially(' ' + text);
      await box.press('Enter');
    };
    const openChat = async name => {
      await page.locator('[role="treeitem"]', { hasText: name }).first().click();
      await box.waitFor();
    };

    // 1. The playground opens on the personal chat and installs the app: the welcome card.
    await page.goto(url);
    await cards.filter({ hasText: /欢迎使用 ChatRegs|Welcome to ChatRegs/ }).first().waitFor();
    await page.waitForTimeout(1500); // a second welcome, if the bot sent one, arrives meanwhile
    log('welcome', { cards: await countCards(), welcomes: await cards.filter({ hasText: /欢迎使用 ChatRegs|Welcome to ChatRegs/ }).count() });
    await shot('01-welcome.png');

    // 2. 帮助 typed → the help card.
    let before = await helpAnswers.count();
    await send('帮助');
    await waitForMoreHelpAnswers(before);
    log('typed-command', { cards: await countCards() });
    await shot('02-help.png');

    // 3. The help card's 我是谁 button (Action.Submit) → 我的信息.
    before = await countCards();
    await cards.last().locator('button', { hasText: '我是谁' }).first().click();
    await waitForMoreCards(before);
    // 我的信息 (zh) or About me (en): a button is not typed text, so the client's locale (en-US
    // in the playground) may choose the language (docs/language.md).
    await cards.last().getByText(/^(我的信息|About me)$/).waitFor();
    log('card-button', { cards: await countCards(), title: await cards.last().getByText(/^(我的信息|About me)$/).first().innerText() });
    await shot('03-card-button.png');

    // 4. A proactive card from the bot, then its Action.Execute button.
    log('ready-for-proactive');
    await nextLine();
    if (proactiveTitle) {
      const button = page.locator('.ac-adaptiveCard button', { hasText: proactiveTitle });
      await button.first().waitFor();
      log('proactive-arrived');
      await button.first().scrollIntoViewIfNeeded();
      await shot('04-proactive.png');
      await button.first().click();
      await page.getByText(executeAnswer).first().waitFor();
      await page.waitForFunction(t => ![...document.querySelectorAll('.ac-adaptiveCard button')].some(b => b.textContent.includes(t)), proactiveTitle);
      log('action-execute', { replacedWith: executeAnswer });
      await shot('05-action-execute.png');
    }

    // 5. The group chat: @Test Bot 帮助 → the help card (after the chat's own welcome).
    await openChat('Group Chat');
    await cards.filter({ hasText: /欢迎使用 ChatRegs|Welcome to ChatRegs/ }).first().waitFor();
    await page.waitForTimeout(1500); // a second welcome, if the bot sent one, arrives meanwhile
    before = await helpAnswers.count();
    await mentionBotAndSend('帮助');
    await waitForMoreHelpAnswers(before);
    log('group-chat', { cards: await countCards(), welcomes: await cards.filter({ hasText: /欢迎使用 ChatRegs|Welcome to ChatRegs/ }).count() });
    await shot('06-group-chat.png');

    // 6. The General channel of the team: the same.
    await openChat('General');
    await cards.filter({ hasText: /欢迎使用 ChatRegs|Welcome to ChatRegs/ }).first().waitFor();
    await page.waitForTimeout(1500); // a second welcome, if the bot sent one, arrives meanwhile
    before = await helpAnswers.count();
    await mentionBotAndSend('帮助');
    await waitForMoreHelpAnswers(before);
    log('channel', { cards: await countCards(), welcomes: await cards.filter({ hasText: /欢迎使用 ChatRegs|Welcome to ChatRegs/ }).count() });
    await shot('07-channel.png');

    await page.waitForTimeout(1000); // the last calls' log entries
    if (pageErrors.length) {
      throw new Error('Errors in the page: ' + pageErrors.join(' | '));
    }
    log('done', { screenshots: out });
  } catch (e) {
    const pages = browser.contexts().flatMap(c => c.pages());
    if (pages.length) await pages[0].screenshot({ path: path.join(out, 'failed.png') }).catch(() => {});
    throw e;
  } finally {
    stdinLines.close();
    await browser.close();
  }
}

main().catch(e => {
  log('failed', { error: String(e && e.stack || e) });
  process.exit(1);
});
