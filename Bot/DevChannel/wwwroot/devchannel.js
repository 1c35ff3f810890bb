// The local chat page: Web Chat against the bot's own Direct Line endpoints, as one of the
// sample people, in their 1:1 chat or the meeting chat. Development only.
(function () {
  'use strict';

  const TEXT = {
    'zh-CN': {
      subtitle: '本地聊天（开发环境）',
      you: '我是',
      chat: '会话',
      language: '语言',
      personal: '我的 1:1 聊天',
      meeting: '会议聊天',
      notice: '发送测试通知给',
      noticeText: '【测试通知】周一 8:30 例会，请提前 5 分钟签到。',
      send: '发送',
      sent: '已作为主动消息发送给 {name}。',
      switchTo: '切换到 {name}',
      meetingEvents: '会议事件',
      meetingStart: '会议开始',
      meetingJoin: '我加入会议',
      meetingLeave: '我离开会议',
      meetingEnd: '会议结束',
      meetingSent: '已发送会议事件：{name}',
      failed: '失败：',
      cardFailed: '卡片操作失败：'
    },
    en: {
      subtitle: 'Local chat (Development)',
      you: 'I am',
      chat: 'Chat',
      language: 'Language',
      personal: 'My 1:1 chat',
      meeting: 'Meeting chat',
      notice: 'Send a test notice to',
      noticeText: '[Test notice] Weekly meeting Monday 8:30; please check in 5 minutes early.',
      send: 'Send',
      sent: 'Sent to {name} as a proactive message.',
      switchTo: 'Switch to {name}',
      meetingEvents: 'Meeting events',
      meetingStart: 'Meeting starts',
      meetingJoin: 'I join',
      meetingLeave: 'I leave',
      meetingEnd: 'Meeting ends',
      meetingSent: 'Meeting event sent: {name}',
      failed: 'Failed: ',
      cardFailed: 'Card action failed: '
    }
  };

  const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
  const params = new URLSearchParams(location.search);
  const state = {
    person: params.get('as') || 'employee',
    chat: params.get('chat') === 'meeting' ? 'meeting' : 'personal',
    locale: params.get('locale') === 'en' ? 'en' : 'zh-CN'
  };
  let info = null; // GET /devchannel/people
  let session = null; // the open chat: token, conversationId, user, directLine, store
  const seenCounts = {}; // conversation id -> activity count when last looked at
  const refreshed = new Set(); // cards already refreshed automatically (activity id + content hash)

  const $ = selector => document.querySelector(selector);
  const t = (key, values) =>
    (TEXT[state.locale][key] || key).replace(/\{(\w+)\}/g, (_, name) => (values && values[name]) || '');
  const webChatLocale = () => (state.locale === 'en' ? 'en-US' : 'zh-CN');
  const me = () => info.people.find(p => p.key === state.person) || info.people[0];

  // ---------------------------------------------------------------------------------------
  // Action.Execute. Web Chat 4.18 renders Action.Execute buttons but does nothing when they are
  // clicked (it logs "received unknown action from Adaptive Cards"), because Direct Line has no
  // invoke. Teams sends an `adaptiveCard/action` invoke and shows the card the bot answers
  // with in place of the clicked one. So the page gives Web Chat its own copy of the
  // Adaptive Cards package (the same version Web Chat bundles, from node_modules) and hooks
  // it: every card remembers the JSON it was parsed from, and every card's onExecuteAction
  // (which Web Chat sets) sends Action.Execute as an invoke to the local channel, naming the
  // card's activity in replyToId. The channel delivers the invoke to the bot and, when the bot
  // answers with a card, puts it in place of the original for this person (a new version of
  // the activity, same id, which Web Chat swaps in). Other actions go to Web Chat as before.
  // Cards with `refresh` (Action.Execute) are refreshed automatically, as Teams does for the
  // users in refresh.userIds (or everyone, when it lists none).
  // ---------------------------------------------------------------------------------------
  function installExecuteHook() {
    const AC = window.AdaptiveCards;
    const proto = AC.AdaptiveCard.prototype;
    const parse = proto.parse;
    proto.parse = function (json, context) {
      this.__devchannelSource = json;
      return parse.call(this, json, context);
    };
    Object.defineProperty(proto, 'onExecuteAction', {
      configurable: true,
      get() {
        return this.__devchannelOnExecute;
      },
      set(handler) {
        const card = this;
        this.__devchannelOnExecute = function (action) {
          if (action.getJsonTypeName() === 'Action.Execute') {
            execute(findActivity(card.__devchannelSource), action);
          } else if (handler) {
            handler(action);
          }
        };
      }
    });
  }

  // Web Chat parses a copy of the attachment's content ({ version: '1.0', ...content } plus a
  // stray "nextActions"), so the card is matched to its activity by that same shape.
  function findActivity(source) {
    const activities = (session && session.store.getState().activities) || [];
    const shape = card => {
      const { nextActions, ...rest } = card || {};
      return JSON.stringify({ version: '1.0', ...rest });
    };
    const wanted = shape(source);
    return activities
      .slice()
      .reverse()
      .find(activity => (activity.attachments || []).some(a => a.content === source || shape(a.content) === wanted));
  }

  function execute(activity, action) {
    return invoke(activity, { type: 'Action.Execute', id: action.id, verb: action.verb, data: action.data || {} }, 'manual');
  }

  async function invoke(activity, action, trigger) {
    const result = await postActivity({
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: activity && activity.id,
      value: { action, trigger }
    });
    const response = result && result.invokeResponse;
    if (!response) {
      return;
    }
    const body = response.body || {};
    if (response.status >= 400 || body.type === 'application/vnd.microsoft.error') {
      toast(t('cardFailed') + ((body.value && body.value.message) || 'HTTP ' + response.status));
    } else if (body.type === 'application/vnd.microsoft.activity.message' && body.value && trigger === 'manual') {
      toast(String(body.value));
    }
  }

  function maybeRefresh(activity) {
    if (!activity || !activity.from || activity.from.role === 'user') {
      return;
    }
    if (activity.channelData && activity.channelData['devchannel:userSpecific']) {
      return;
    }
    for (const attachment of activity.attachments || []) {
      const refresh = attachment.contentType === ADAPTIVE_CARD && attachment.content && attachment.content.refresh;
      const action = refresh && refresh.action;
      if (!action || action.type !== 'Action.Execute') {
        continue;
      }
      if (Array.isArray(refresh.userIds) && !refresh.userIds.includes(session.user.id)) {
        continue;
      }
      const key = activity.id + '|' + hash(JSON.stringify(attachment.content));
      if (refreshed.has(key)) {
        continue;
      }
      refreshed.add(key);
      invoke(activity, { type: 'Action.Execute', id: action.id, verb: action.verb, data: action.data || {} }, 'automatic');
    }
  }

  function hash(text) {
    let h = 0;
    for (let i = 0; i < text.length; i++) {
      h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
    }
    return h;
  }

  async function postActivity(activity) {
    const s = session;
    activity.from = { id: s.user.id, name: s.user.name, role: 'user' };
    activity.locale = webChatLocale();
    const response = await fetch('/v3/directline/conversations/' + encodeURIComponent(s.conversationId) + '/activities', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + s.token, 'Content-Type': 'application/json' },
      body: JSON.stringify(activity)
    });
    const json = await response.json().catch(() => null);
    if (!response.ok) {
      toast(t('failed') + ((json && json.error && json.error.message) || 'HTTP ' + response.status));
      return null;
    }
    return json;
  }

  // ---------------------------------------------------------------------------------------
  // The chat.
  // ---------------------------------------------------------------------------------------
  async function openChat() {
    if (session) {
      session.directLine.end();
      session = null;
    }
    document.body.removeAttribute('data-conversation');
    const s = await api('/devchannel/session', { person: state.person, chat: state.chat });
    const directLine = window.WebChat.createDirectLine({
      domain: location.origin + '/v3/directline',
      token: s.token,
      webSocket: false,
      pollingInterval: 500
    });
    const store = window.WebChat.createStore({}, () => next => action => {
      if (action.type === 'DIRECT_LINE/INCOMING_ACTIVITY') {
        setTimeout(() => maybeRefresh(action.payload.activity), 0);
      }
      return next(action);
    });
    session = { ...s, directLine, store };

    const element = document.createElement('div');
    element.className = 'webchat';
    $('#webchat-host').replaceChildren(element);
    const person = me();
    window.WebChat.renderWebChat(
      {
        directLine,
        store,
        userID: s.user.id,
        username: s.user.name,
        locale: webChatLocale(),
        adaptiveCardsPackage: window.AdaptiveCards,
        sendTypingIndicator: false,
        styleOptions: {
          botAvatarInitials: 'CR',
          userAvatarInitials: person.name.slice(-2),
          hideUploadButton: true,
          bubbleMaxWidth: 600
        }
      },
      element
    );
    seenCounts[s.conversationId] = Infinity;
    history.replaceState(null, '', '?' + new URLSearchParams({ as: state.person, chat: state.chat, locale: state.locale }));
    document.body.setAttribute('data-conversation', s.conversationId);
    renderControls();
  }

  // ---------------------------------------------------------------------------------------
  // The switcher, the test notice and the meeting events.
  // ---------------------------------------------------------------------------------------
  function renderControls() {
    document.documentElement.lang = state.locale;
    for (const element of document.querySelectorAll('[data-text]')) {
      element.textContent = t(element.getAttribute('data-text'));
    }
    $('#subtitle').textContent = t('subtitle');
    const person = me();
    $('#identity').textContent = `${person.name} · ${role(person)} · ${session ? session.conversationId : ''} · tenant ${info.tenantId}`;

    $('#people').replaceChildren(
      ...info.people.map(p => {
        const button = document.createElement('button');
        button.type = 'button';
        button.dataset.person = p.key;
        button.setAttribute('aria-pressed', String(p.key === state.person));
        button.append(p.name);
        const span = document.createElement('span');
        span.className = 'role';
        span.textContent = role(p);
        button.append(span);
        if (p.key !== state.person && (p.activityCount || 0) > (seenCounts[p.conversationId] || 0)) {
          const badge = document.createElement('span');
          badge.className = 'badge';
          badge.title = 'new';
          button.append(badge);
        }
        return button;
      })
    );

    $('#chats').replaceChildren(
      ...['personal', 'meeting'].map(key => {
        const button = document.createElement('button');
        button.type = 'button';
        button.dataset.chat = key;
        button.setAttribute('aria-pressed', String(key === state.chat));
        button.textContent = key === 'meeting' ? `${t('meeting')}${state.locale === 'en' ? ': ' : '：'}${info.meeting.name}` : t('personal');
        return button;
      })
    );

    for (const button of document.querySelectorAll('#locales button')) {
      button.setAttribute('aria-pressed', String(button.dataset.locale === state.locale));
    }

    const select = $('#notify-person');
    const selected = select.value || info.people.find(p => p.key !== state.person).id;
    select.replaceChildren(
      ...info.people.map(p => {
        const option = document.createElement('option');
        option.value = p.id;
        option.textContent = `${p.name}（${role(p)}）`;
        return option;
      })
    );
    select.value = selected;
    const text = $('#notify-text');
    if (!text.value || Object.values(TEXT).some(l => l.noticeText === text.value)) {
      text.value = t('noticeText');
    }
    $('#meeting-tools').hidden = state.chat !== 'meeting';
  }

  const role = p => (state.locale === 'en' ? p.roleEn : p.roleZh);

  async function sendNotice() {
    const status = $('#notify-status');
    const userId = $('#notify-person').value;
    const person = info.people.find(p => p.id === userId);
    status.className = 'status';
    status.textContent = '…';
    try {
      await api('/devchannel/notify', { tenantId: info.tenantId, userId, text: $('#notify-text').value });
      status.textContent = t('sent', { name: person.name }) + ' ';
      if (person.key !== state.person || state.chat !== 'personal') {
        const go = document.createElement('button');
        go.type = 'button';
        go.dataset.switchTo = person.key;
        go.textContent = t('switchTo', { name: person.name });
        status.append(go);
      }
      await refreshPeople();
    } catch (e) {
      status.className = 'status error';
      status.textContent = t('failed') + e.message;
    }
  }

  async function meetingEvent(kind) {
    try {
      const answer = await api('/devchannel/meeting', { event: kind, person: state.person, locale: webChatLocale() });
      const sent = t('meetingSent', { name: t('meeting' + kind[0].toUpperCase() + kind.slice(1)) });
      // What the event caused (reminders, the final roll, this person's line on the roll).
      toast(answer && answer.result ? `${sent}\n${answer.result}` : sent);
      await refreshPeople();
    } catch (e) {
      toast(t('failed') + e.message);
    }
  }

  async function refreshPeople(resetSeen) {
    info = await api('/devchannel/people');
    for (const p of info.people) {
      if (resetSeen || seenCounts[p.conversationId] === undefined) {
        seenCounts[p.conversationId] = p.activityCount || 0;
      }
    }
    if (session) {
      const mine = info.people.find(p => p.conversationId === session.conversationId);
      if (mine) {
        seenCounts[mine.conversationId] = mine.activityCount || 0;
      }
      renderControls();
    }
  }

  function switchTo(change) {
    Object.assign(state, change);
    openChat().catch(e => toast(t('failed') + e.message));
  }

  document.addEventListener('click', event => {
    const button = event.target.closest('button');
    if (!button) {
      return;
    }
    if (button.dataset.person && button.dataset.person !== state.person) {
      switchTo({ person: button.dataset.person });
    } else if (button.dataset.chat && button.dataset.chat !== state.chat) {
      switchTo({ chat: button.dataset.chat });
    } else if (button.dataset.locale && button.dataset.locale !== state.locale) {
      switchTo({ locale: button.dataset.locale });
    } else if (button.dataset.switchTo) {
      $('#notify-status').textContent = '';
      switchTo({ person: button.dataset.switchTo, chat: 'personal' });
    } else if (button.id === 'notify-send') {
      sendNotice();
    } else if (button.dataset.meeting) {
      meetingEvent(button.dataset.meeting);
    }
  });

  let toastTimer;
  function toast(message) {
    const element = $('#toast');
    element.textContent = message;
    element.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (element.hidden = true), 4000);
  }

  async function api(path, body) {
    const response = await fetch(
      path,
      body ? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}
    );
    const json = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error((json.error && json.error.message) || 'HTTP ' + response.status);
    }
    return json;
  }

  async function main() {
    installExecuteHook();
    await refreshPeople();
    if (!info.people.some(p => p.key === state.person)) {
      state.person = info.people[0].key;
    }
    await openChat();
    // Opening the first chat installed the app for everyone (their welcome cards): not news.
    await refreshPeople(true);
    // Badges on people whose chats got something new (e.g. a proactive message).
    setInterval(() => refreshPeople().catch(() => {}), 3000);
  }

  main().catch(e => {
    document.body.setAttribute('data-error', e.message);
    toast(e.message);
  });
})();
