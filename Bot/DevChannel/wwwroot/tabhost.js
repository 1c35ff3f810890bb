// The local chat page's Teams tab host (Development only): the ChatRegs tabs (Bot/Tabs) in a frame
// beside the chat, as Teams shows the meeting side panel and the personal tab, with a small host
// answering the Teams JavaScript client library (@microsoft/teams-js) over postMessage, as Teams
// does: the library posts {id, uuidAsString, func, args} to its parent; the host answers
// {id, uuidAsString, args}; host-initiated calls (theme change) are {func, args} without an id.
// Answered: initialize (frame context, host client type, runtime, SDK version), getContext (the
// selected sample person, tenant, locale, theme and — for the meeting panel — the meeting chat)
// and authentication.getAuthToken (a token for the selected person, minted by the bot's
// development key: /devchannel/tab-token). Works with no Teams and no internet.
(function () {
  'use strict';

  const TEXT = {
    'zh-CN': { tabs: 'Teams 标签页', meeting: '会议面板', personal: '我的例会事项', close: '关闭', theme: '主题', light: '浅色', dark: '深色', contrast: '高对比度', frame: 'Teams 标签页（{name}）' },
    en: { tabs: 'Teams tabs', meeting: 'Meeting panel', personal: 'My meeting tasks', close: 'Close', theme: 'Theme', light: 'Light', dark: 'Dark', contrast: 'High contrast', frame: 'Teams tab ({name})' }
  };
  const SDK_VERSION = '2.58.0';
  const RUNTIME = {
    apiVersion: 4,
    hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
    isLegacyTeams: false,
    supports: { app: {}, appEntity: {}, authentication: {}, meeting: {}, pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} }, teamsCore: {} }
  };

  const $ = selector => document.querySelector(selector);
  let info = null; // GET /devchannel/people
  let open = null; // 'meeting' | 'personal' | null
  let theme = 'default';
  let shownFor = '';

  const params = () => new URLSearchParams(location.search);
  // ?tab=meeting|personal opens a tab at once (read before the chat page rewrites its address).
  const initialTab = params().get('tab');
  const locale = () => (params().get('locale') === 'en' ? 'en' : 'zh-CN');
  const personKey = () => params().get('as') || 'employee';
  const t = (key, values) => (TEXT[locale()][key] || key).replace(/\{(\w+)\}/g, (_, name) => (values && values[name]) || '');
  const person = () => (info && (info.people.find(p => p.key === personKey()) || info.people[0])) || null;

  function post(path, body) {
    return fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(r => r.json().then(json => ({ ok: r.ok, json })));
  }

  // The legacy context object Teams answers getContext with (teams-js turns it into app.Context).
  function context() {
    const p = person();
    const ctx = {
      locale: locale() === 'en' ? 'en-us' : 'zh-cn',
      theme,
      tid: info.tenantId,
      userObjectId: p.aadObjectId,
      userPrincipalName: p.userPrincipalName || '',
      loginHint: p.userPrincipalName || '',
      userDisplayName: p.name,
      hostClientType: 'web',
      hostName: 'Teams',
      frameContext: open === 'meeting' ? 'sidePanel' : 'content',
      entityId: open === 'meeting' ? 'chatregs-meeting' : 'chatregs-personal',
      appSessionId: 'devchannel',
      isFullScreen: false
    };
    if (open === 'meeting') {
      // A channel meeting: the meeting's chat is the 周例会 channel's conversation.
      ctx.channelId = info.meeting.conversationId;
      ctx.channelName = info.meeting.name;
      ctx.teamName = info.meeting.team;
      ctx.meetingId = info.meeting.meetingId || 'MCMeeting-dev-weekly';
    }
    return ctx;
  }

  function answer(message) {
    switch (message.func) {
      case 'initialize':
        return Promise.resolve([open === 'meeting' ? 'sidePanel' : 'content', 'web', JSON.stringify(RUNTIME), SDK_VERSION]);
      case 'getContext':
        return Promise.resolve([context()]);
      case 'authentication.getAuthToken':
        return post('/devchannel/tab-token', { person: person().key }).then(
          r => (r.ok ? [true, r.json.token] : [false, (r.json.error && r.json.error.message) || 'token refused']),
          e => [false, String(e)]);
      default:
        return Promise.resolve(null); // notifications (appInitialization.*, registerHandler…): no answer
    }
  }

  window.addEventListener('message', event => {
    const frame = $('#tab-frame');
    if (!frame || event.source !== frame.contentWindow || event.origin !== location.origin) {
      return;
    }
    const message = event.data;
    if (!message || typeof message.func !== 'string' || typeof message.id !== 'number') {
      return;
    }
    answer(message).then(args => {
      if (args) {
        frame.contentWindow.postMessage({ id: message.id, uuidAsString: message.uuidAsString, args }, location.origin);
      }
    });
  });

  function setTheme(value) {
    theme = value;
    const frame = $('#tab-frame');
    if (frame && frame.contentWindow) {
      frame.contentWindow.postMessage({ func: 'themeChange', args: [value] }, location.origin);
    }
    renderControls();
  }

  function show(which) {
    open = which;
    const host = $('#tab-host');
    if (!which) {
      host.hidden = true;
      host.replaceChildren();
      shownFor = '';
      renderControls();
      return;
    }
    shownFor = personKey() + '|' + locale() + '|' + which;
    const frame = document.createElement('iframe');
    frame.id = 'tab-frame';
    frame.title = t('frame', { name: t(which) });
    frame.src = '/tabs/' + (which === 'meeting' ? 'meeting' : 'personal') + '.html';
    host.replaceChildren(frame);
    host.hidden = false;
    host.setAttribute('data-tab', which);
    renderControls();
  }

  function renderControls() {
    const row = $('#tab-tools');
    if (!row) {
      return;
    }
    const button = (key, pressed, onClick, attrs) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = t(key);
      b.setAttribute('aria-pressed', pressed ? 'true' : 'false');
      Object.entries(attrs || {}).forEach(([k, v]) => b.setAttribute(k, v));
      b.addEventListener('click', onClick);
      return b;
    };
    const label = document.createElement('span');
    label.className = 'label';
    label.textContent = t('tabs');
    const themeLabel = document.createElement('span');
    themeLabel.className = 'label';
    themeLabel.textContent = t('theme');
    const themes = document.createElement('div');
    themes.className = 'seg';
    themes.setAttribute('role', 'group');
    themes.setAttribute('aria-label', t('theme'));
    [['default', 'light'], ['dark', 'dark'], ['contrast', 'contrast']].forEach(([value, key]) =>
      themes.appendChild(button(key, theme === value, () => setTheme(value), { 'data-theme': value })));
    const tabs = document.createElement('div');
    tabs.className = 'seg';
    tabs.setAttribute('role', 'group');
    tabs.setAttribute('aria-label', t('tabs'));
    tabs.appendChild(button('meeting', open === 'meeting', () => show(open === 'meeting' ? null : 'meeting'), { 'data-tab': 'meeting' }));
    tabs.appendChild(button('personal', open === 'personal', () => show(open === 'personal' ? null : 'personal'), { 'data-tab': 'personal' }));
    row.replaceChildren(label, tabs, themeLabel, themes);
  }

  // The chat page changes person and language in its address: the tab follows, as Teams reloads a tab for another user.
  new MutationObserver(() => {
    renderControls();
    if (open && shownFor !== personKey() + '|' + locale() + '|' + open) {
      show(open);
    }
  }).observe(document.body, { attributes: true, attributeFilter: ['data-conversation'] });

  fetch('/devchannel/people').then(r => r.json()).then(json => {
    info = json;
    renderControls();
    if (initialTab === 'meeting' || initialTab === 'personal') {
      show(initialTab);
    }
  });
})();
