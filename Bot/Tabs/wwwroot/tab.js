// The Teams tabs of ChatRegs (Bot/Tabs, docs/teams-meeting.md): the meeting side panel / meeting
// tab, the personal tab and the configuration page. Teams (or the local chat page's host) answers
// the Teams JavaScript client library: the context gives the chat or channel, the user, the locale
// and the theme; authentication.getAuthToken gives the SSO token sent to /tabs/api as a Bearer
// token. Everything people typed is put in the page as text (textContent), never as HTML.
(function () {
  'use strict';
  var teams = window.microsoftTeams;
  var page = document.body.getAttribute('data-page');
  var app = document.getElementById('app');
  var strings = null;
  var language = 'zh-CN';
  var context = null;

  function t(key) {
    var node = strings;
    key.split('.').forEach(function (part) { node = node && node[part]; });
    var text = typeof node === 'string' ? node : key;
    var args = Array.prototype.slice.call(arguments, 1);
    return text.replace(/\{(\d+)\}/g, function (m, i) { return args[+i] !== undefined && args[+i] !== null ? String(args[+i]) : ''; });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === 'text') { node.textContent = attrs[name]; } else { node.setAttribute(name, attrs[name]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function applyTheme(theme) {
    document.body.className = 'theme-' + (theme === 'dark' || theme === 'contrast' ? theme : 'default');
  }

  function status(text, isError) {
    var p = document.getElementById('status');
    if (!p) {
      p = el('p', { id: 'status', role: 'status', 'aria-live': 'polite' });
      app.appendChild(p);
    }
    p.textContent = text;
    p.className = isError ? 'error' : '';
  }

  function fail(text) {
    app.setAttribute('aria-busy', 'false');
    status(text, true);
    var retry = el('button', { type: 'button', id: 'retry', text: t('page.retry') });
    retry.addEventListener('click', function () { window.location.reload(); });
    app.appendChild(retry);
  }

  function withTimeout(promise, ms) {
    return Promise.race([promise, new Promise(function (resolve, reject) { setTimeout(function () { reject(new Error('timeout')); }, ms); })]);
  }

  function api(path, options) {
    return teams.authentication.getAuthToken().then(function (token) {
      var init = options || {};
      init.headers = Object.assign({ Authorization: 'Bearer ' + token }, init.headers || {});
      var sep = path.indexOf('?') < 0 ? '?' : '&';
      return fetch('/tabs/api' + path + sep + 'lang=' + encodeURIComponent(language), init);
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) { return { status: response.status, body: body }; });
    });
  }

  function section(id, title, children) {
    var h = el('h2', { id: id + '-title', text: title });
    return el('section', { id: id, 'aria-labelledby': id + '-title' }, [h].concat(children));
  }

  function facts(pairs) {
    var dl = el('dl', { 'class': 'facts' });
    pairs.forEach(function (pair) {
      if (pair[1]) {
        dl.appendChild(el('dt', { text: pair[0] }));
        dl.appendChild(el('dd', { text: pair[1] }));
      }
    });
    return dl;
  }

  function list(items, empty, render, ordered) {
    if (!items || items.length === 0) {
      return el('p', { 'class': 'muted', text: empty });
    }
    return el(ordered ? 'ol' : 'ul', {}, items.map(render));
  }

  function actionsList(actions) {
    return list(actions, t('page.noActions'), function (a) {
      return el('li', {}, [
        el('span', { text: a.description }),
        el('span', { 'class': 'muted', text: ' · ' + t('page.due') + ' ' + a.due + ' · ' + a.status + (a.meeting ? ' · ' + a.meeting : '') }),
      ]);
    });
  }

  // ---- the meeting panel ----

  function renderMeeting(data, announce) {
    var m = data.meeting;
    app.textContent = '';
    app.appendChild(el('h1', { id: 'title', text: m.name }));
    app.appendChild(facts([[t('page.when'), m.when], [t('page.location'), m.location], [t('page.host'), m.host], [t('page.recorder'), m.recorder]]));

    // My check-in first: the one thing to do before the meeting.
    var c = data.checkIn;
    var checkInChildren = [el('p', { id: 'checkin-state', 'class': c.done ? 'done' : '', text: c.text })];
    if (c.canCheckIn) {
      var button = el('button', { type: 'button', id: 'checkin-button', text: t('page.checkInButton') });
      button.addEventListener('click', function () {
        button.disabled = true;
        api('/meeting/checkin', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ chat: chatId(), occurrence: m.occurrence }) })
          .then(function (r) {
            if (r.body && r.body.meeting) {
              renderMeeting(r.body, r.body.message);
              var state = document.getElementById('checkin-state');
              if (state) { state.setAttribute('tabindex', '-1'); state.focus(); }
            } else {
              button.disabled = false;
              status((r.body && r.body.message) || t('errors.network'), true);
            }
          }, function () { button.disabled = false; status(t('errors.network'), true); });
      });
      checkInChildren.push(button);
    }
    app.appendChild(section('checkin', t('page.myCheckIn'), checkInChildren));

    // The agenda in order, with time budgets and presenters.
    var agendaChildren = [];
    if (!data.agenda) {
      agendaChildren.push(el('p', { 'class': 'muted', text: t('page.noAgenda') }));
    } else {
      if (!data.agenda.posted) {
        agendaChildren.push(el('p', { 'class': 'muted', text: t('page.agendaDraft') }));
      }
      agendaChildren.push(list(data.agenda.items, t('page.noAgenda'), function (item) {
        return el('li', {}, [
          el('span', { 'class': 'topic', text: item.title }),
          el('span', { 'class': 'budget', text: ' · ' + t('page.minutesBudget', item.minutes) }),
          el('span', { 'class': 'muted', text: ' · ' + t('page.presenter') + ' ' + item.presenter }),
        ]);
      }, true));
      if (data.agenda.items.length > 0) {
        agendaChildren.push(el('p', { 'class': 'muted', text: t('page.agendaTotal', data.agenda.totalMinutes, data.agenda.slotMinutes) }));
      }
    }
    app.appendChild(section('agenda', t('page.agenda'), agendaChildren));

    // The live roll, for the host, the recorder and the office only (the API sends it to them alone).
    if (data.roll) {
      var table = el('table', {}, [
        el('caption', { 'class': 'muted', text: t('page.rollSummary', data.roll.present, data.roll.expected) + (data.roll.final ? ' ' + t('page.rollFinal') : '') }),
        el('tbody', {}, data.roll.entries.map(function (e) {
          return el('tr', { 'data-status': e.code }, [el('td', { text: e.name }), el('td', { text: e.status }), el('td', { text: e.at || '' })]);
        })),
      ]);
      const rollChildren = [table];
      if (data.roll.canCorrect) {
        rollChildren.push(correctionForm(data));
      }
      app.appendChild(section('roll', t('page.roll'), rollChildren));
    }

    app.appendChild(section('actions', t('page.myActions'), [actionsList(data.actions)]));

    var minutesChildren = [];
    if (!data.minutes) {
      minutesChildren.push(el('p', { 'class': 'muted', text: t('page.noMinutes') }));
    } else {
      minutesChildren.push(el('p', { 'class': 'muted', text: t('page.minutesVersion', data.minutes.version, data.minutes.at, data.minutes.by) }));
      minutesChildren.push(list(data.minutes.topics, '', function (topic) {
        return el('li', {}, [el('strong', { text: topic.title }), el('span', { text: topic.outcome ? ' — ' + topic.outcome : '' })]);
      }, true));
      if (data.minutes.decisions.length > 0) {
        minutesChildren.push(el('h3', { text: t('page.decisions') }));
        minutesChildren.push(list(data.minutes.decisions, '', function (d) {
          return el('li', {}, [el('span', { text: d.description }), el('span', { 'class': 'muted', text: ' · ' + t('page.owner') + ' ' + d.owner + (d.due ? ' · ' + t('page.due') + ' ' + d.due : '') })]);
        }));
      }
    }
    app.appendChild(section('minutes', t('page.minutes'), minutesChildren));
    app.setAttribute('aria-busy', 'false');
    status(announce || '', false);
  }

  // 更正: the host, the recorder and the office correct one person's line, with a reason (as on the roll card in chat).
  function correctionForm(data) {
    function field(id, labelKey, control) {
      control.id = id;
      return el('p', {}, [el('label', { 'for': id, text: t(labelKey) + ' ' }), control]);
    }
    var person = el('select', {}, data.roll.entries.map(function (e) { return el('option', { value: e.id, text: e.name + ' · ' + e.status }); }));
    var statusSelect = el('select', {}, data.roll.corrections.map(function (c) { return el('option', { value: c.code, text: c.name }); }));
    var reason = el('input', { type: 'text', maxlength: String(data.roll.maxReason), required: 'required', autocomplete: 'off' });
    var button = el('button', { type: 'submit', id: 'correct-button', text: t('page.correctButton') });
    var form = el('form', { id: 'correct-form', 'aria-labelledby': 'correct-title' }, [
      el('h3', { id: 'correct-title', text: t('page.correctTitle') }),
      field('correct-person', 'page.correctPerson', person),
      field('correct-status', 'page.correctStatus', statusSelect),
      field('correct-reason', 'page.correctReason', reason),
      button,
    ]);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      button.disabled = true;
      api('/meeting/correct', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ chat: chatId(), occurrence: data.meeting.occurrence, person: person.value, status: statusSelect.value, reason: reason.value }) })
        .then(function (r) {
          if (r.status === 200 && r.body && r.body.meeting) {
            renderMeeting(r.body, r.body.message);
          } else {
            button.disabled = false;
            statusMessage((r.body && r.body.message) || t('errors.network'));
          }
        }, function () { button.disabled = false; statusMessage(t('errors.network')); });
    });
    return form;
  }

  function statusMessage(text) { status(text, true); }

  function chatId() {
    return (context && ((context.chat && context.chat.id) || (context.channel && context.channel.id))) || '';
  }

  function loadMeeting() {
    return api('/meeting?chat=' + encodeURIComponent(chatId())).then(function (r) {
      if (r.status === 200) { renderMeeting(r.body); } else { fail((r.body && r.body.message) || t('errors.network')); }
    });
  }

  // ---- the personal tab ----

  function loadPersonal() {
    return api('/me').then(function (r) {
      if (r.status !== 200) { fail((r.body && r.body.message) || t('errors.network')); return; }
      var d = r.body;
      app.textContent = '';
      app.appendChild(el('h1', { id: 'title', text: t('page.personalTitle') + ' · ' + d.me.name }));
      app.appendChild(section('meetings', t('page.myMeetings'), [list(d.meetings, t('page.noMeetings'), function (m) {
        return el('li', {}, [el('strong', { text: m.name }), el('span', { 'class': 'muted', text: ' · ' + m.when + (m.location ? ' · ' + m.location : '') + (m.cancelled ? ' · ' + t('page.cancelled') : '') })]);
      })]));
      app.appendChild(section('actions', t('page.myActions'), [actionsList(d.actions)]));
      app.appendChild(section('leave', t('page.myLeave'), [list(d.leave, t('page.noLeave'), function (l) {
        return el('li', {}, [el('span', { text: l.what }), el('span', { 'class': 'muted', text: ' · ' + l.status })]);
      })]));
      app.appendChild(section('report', t('page.weeklyReport'), [el('p', { 'class': d.weeklyReport.submitted ? 'done' : '', text: d.weeklyReport.text })]));
      app.setAttribute('aria-busy', 'false');
      status('', false);
    });
  }

  // ---- the configuration page (adding the tab to a meeting or channel) ----

  function loadConfig() {
    app.textContent = '';
    app.appendChild(el('h1', { id: 'title', text: t('page.configTitle') }));
    app.appendChild(el('p', { text: t('page.configIntro') }));
    teams.pages.config.registerOnSaveHandler(function (save) {
      var base = window.location.origin + '/tabs/meeting.html';
      teams.pages.config.setConfig({ entityId: 'chatregs-meeting', contentUrl: base, websiteUrl: base, suggestedDisplayName: t('page.meetingTitle') })
        .then(function () { save.notifySuccess(); }, function (e) { save.notifyFailure(String(e)); });
    });
    teams.pages.config.setValidityState(true);
    app.setAttribute('aria-busy', 'false');
    return Promise.resolve();
  }

  function loadStrings() {
    return fetch('/tabs/api/strings?lang=' + encodeURIComponent(language)).then(function (r) { return r.json(); }).then(function (body) {
      strings = body.strings;
      language = body.language;
      document.documentElement.lang = language;
      status(t('page.signingIn'));
    });
  }

  function start() {
    if (!teams || window.parent === window) {
      // Not in Teams (nor in the local chat page's frame): say so in both languages.
      language = (navigator.language || '').toLowerCase().indexOf('en') === 0 ? 'en' : 'zh-CN';
      return loadStrings().then(function () { fail(t('errors.noTeams')); });
    }
    return withTimeout(teams.app.initialize(), 10000)
      .then(function () { return teams.app.getContext(); })
      .then(function (ctx) {
        context = ctx;
        language = (ctx.app && ctx.app.locale) || 'zh-CN';
        applyTheme(ctx.app && ctx.app.theme);
        teams.app.registerOnThemeChangeHandler(applyTheme);
        return loadStrings();
      })
      .then(function () {
        document.title = 'ChatRegs · ' + t(page === 'personal' ? 'page.personalTitle' : page === 'config' ? 'page.configTitle' : 'page.meetingTitle');
        return page === 'personal' ? loadPersonal() : page === 'config' ? loadConfig() : loadMeeting();
      })
      .then(function () { teams.app.notifySuccess(); })
      .catch(function () {
        if (!strings) {
          return loadStrings().then(function () { fail(t('errors.noTeams')); }, function () { fail('ChatRegs: 无法加载 / cannot load.'); });
        }
        fail(t('errors.unauthorized'));
      });
  }

  start();
})();
