// The dev chat: sends typed answers, commands and card button presses to /api/dev, listens to the conversation as
// Server-Sent Events (EventSource resumes after the last entry it saw), and renders each reply's Adaptive Card with
// the official renderer. The recorder page opens in an overlay and tells this page when its answer was sent.
'use strict';
(() => {
  const AC = window.AdaptiveCards;
  const md = window.CoachBotMarkdown;
  const messages = document.getElementById('messages');
  const composer = document.getElementById('composer');
  const input = document.getElementById('composer-text');
  const connection = document.getElementById('connection');
  const errorBanner = document.getElementById('error');
  const overlay = document.getElementById('recorder-overlay');
  const frame = document.getElementById('recorder-frame');

  const seen = new Set();
  const byTurn = new Map(); // turn key -> { user, pending, bot }
  let epoch = null;

  let hostConfig = null;
  if (AC) {
    // Card text may carry Markdown; it is escaped before any markup is added (see markdown.js).
    AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
      result.outputHtml = md.toHtml(text);
      result.didProcess = true;
    };
    hostConfig = new AC.HostConfig({
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      supportsInteractivity: true,
      actions: { maxActions: 6, buttonSpacing: 8, showCard: { actionMode: 'inline' }, actionsOrientation: 'horizontal', actionAlignment: 'left' },
    });
  } else {
    document.getElementById('renderer-missing').hidden = false;
  }

  function randomId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function showError(message) {
    errorBanner.textContent = message;
    errorBanner.hidden = !message;
  }

  function scrollToEnd() {
    messages.scrollTop = messages.scrollHeight;
  }

  async function post(url, body) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'same-origin',
      });
      const json = await response.json().catch(() => null);
      if (!response.ok) {
        showError(json?.message ?? `The bot answered ${response.status}. Reload the page and try again.`);
        return null;
      }
      showError('');
      return json;
    } catch {
      showError('The bot cannot be reached. Is it still running?');
      return null;
    }
  }

  function sendText(text) {
    return post('/api/dev/messages', { id: randomId(), text });
  }

  function sendAction(verb, questionId, label) {
    return post('/api/dev/actions', { id: randomId(), verb, questionId: questionId ?? null, label: label ?? verb });
  }

  // ---- cards --------------------------------------------------------------------------------------------------

  function actionData(action) {
    const data = action.data;
    return data && typeof data === 'object' ? data : {};
  }

  function onCardAction(action) {
    if (AC.OpenUrlAction && action instanceof AC.OpenUrlAction) {
      // Absolute http(s) links, and links relative to this page (the host's article pages, /knowledge/{id}).
      const url = new URL(action.url ?? '', window.location.href);
      if (url.protocol === 'http:' || url.protocol === 'https:') {
        window.open(url.href, '_blank', 'noopener');
      }
      return;
    }
    const data = actionData(action);
    // Action.Execute carries the verb itself; Action.Submit carries it in its data (see CardVerbs).
    const verb = (AC.ExecuteAction && action instanceof AC.ExecuteAction && action.verb) || data.coachbot;
    if (!verb) {
      return;
    }
    if (verb === 'record') {
      openRecorder(data.questionId ?? null);
    } else {
      sendAction(verb, data.questionId ?? null, action.title || verb);
    }
  }

  function renderCard(card, fallbackText) {
    const holder = document.createElement('div');
    holder.className = 'card';
    if (AC && card) {
      try {
        const adaptive = new AC.AdaptiveCard();
        adaptive.hostConfig = hostConfig;
        adaptive.onExecuteAction = onCardAction;
        adaptive.parse(card);
        const rendered = adaptive.render();
        if (rendered) {
          holder.appendChild(rendered);
          return holder;
        }
      } catch (error) {
        console.error('CoachBot: could not render the card', error);
      }
    }
    holder.classList.add('plain');
    holder.innerHTML = md.toHtml(fallbackText);
    return holder;
  }

  // ---- conversation -------------------------------------------------------------------------------------------

  function turn(key) {
    let slot = byTurn.get(key);
    if (!slot) {
      slot = { user: null, pending: null, bot: null };
      byTurn.set(key, slot);
    }
    return slot;
  }

  function addEntry(entry) {
    const id = `${epoch}:${entry.id}`;
    if (seen.has(id)) {
      return;
    }
    seen.add(id);
    const slot = turn(entry.turnKey);

    if (entry.role === 'user') {
      const bubble = document.createElement('div');
      bubble.className = 'entry user';
      bubble.dataset.turn = entry.turnKey;
      bubble.textContent = entry.text;
      messages.appendChild(bubble);
      slot.user = bubble;
      if (!slot.bot) {
        const pending = document.createElement('div');
        pending.className = 'entry pending';
        pending.dataset.turn = entry.turnKey;
        pending.setAttribute('role', 'status');
        pending.innerHTML = '<span class="spinner" aria-hidden="true"></span> Coaching your answer…';
        if (!entry.turnKey.startsWith('recording:') && entry.text.length < 40) {
          pending.lastChild.textContent = ' Working on it…';
        }
        messages.appendChild(pending);
        slot.pending = pending;
      }
    } else {
      if (entry.forgotten) {
        // "forget me" deleted this user's data: the conversation above goes too, all but the confirmation and its reply.
        for (const shown of [...messages.querySelectorAll('.entry:not(.welcome)')]) {
          if (shown.dataset.turn !== entry.turnKey) {
            shown.remove();
          }
        }
        for (const key of [...byTurn.keys()]) {
          if (key !== entry.turnKey) {
            byTurn.delete(key);
          }
        }
      }
      const wrapper = document.createElement('div');
      wrapper.className = 'entry bot';
      wrapper.dataset.turn = entry.turnKey;
      wrapper.dataset.kind = entry.kind ?? '';
      if (entry.questionId) {
        wrapper.dataset.questionId = entry.questionId;
      }
      wrapper.appendChild(renderCard(entry.card, entry.text));
      if (slot.pending) {
        slot.pending.replaceWith(wrapper);
        slot.pending = null;
      } else if (slot.bot) {
        slot.bot.replaceWith(wrapper);
      } else {
        messages.appendChild(wrapper);
      }
      slot.bot = wrapper;
    }
    scrollToEnd();
  }

  function setConnection(state, text) {
    connection.dataset.state = state;
    connection.textContent = text;
  }

  function connect() {
    const source = new EventSource('/api/dev/events');
    source.addEventListener('hello', (event) => {
      const hello = JSON.parse(event.data);
      if (epoch && epoch !== hello.epoch) {
        const notice = document.createElement('div');
        notice.className = 'entry notice';
        notice.textContent = 'CoachBot restarted; earlier replies are no longer kept by the server.';
        messages.appendChild(notice);
      }
      epoch = hello.epoch;
      if (hello.welcome && !messages.querySelector('.entry.welcome')) {
        const welcome = document.createElement('div');
        welcome.className = 'entry bot welcome';
        welcome.appendChild(renderCard(hello.welcome, 'Welcome to CoachBot. Press Start or type “start” to practise.'));
        messages.prepend(welcome);
      }
      setConnection('open', 'connected');
    });
    source.onmessage = (event) => addEntry(JSON.parse(event.data));
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        setConnection('closed', 'disconnected — reload the page');
      } else {
        setConnection('connecting', 'reconnecting…');
      }
    };
  }

  // ---- recorder -----------------------------------------------------------------------------------------------

  async function openRecorder(questionId) {
    const link = await post('/api/dev/recordings', { questionId: questionId ?? null });
    if (!link) {
      return;
    }
    frame.src = link.url;
    overlay.hidden = false;
  }

  function closeRecorder() {
    overlay.hidden = true;
    frame.src = 'about:blank';
    input.focus();
  }

  window.addEventListener('message', (event) => {
    if (event.origin !== window.location.origin || event.source !== frame.contentWindow) {
      return;
    }
    const type = event.data?.type;
    if (type === 'coachbot:recording-sent' || type === 'coachbot:recorder-close') {
      closeRecorder();
    }
  });
  document.getElementById('recorder-close').addEventListener('click', closeRecorder);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !overlay.hidden) {
      closeRecorder();
    }
  });

  // ---- composer -----------------------------------------------------------------------------------------------

  composer.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      return;
    }
    input.disabled = true;
    const accepted = await sendText(text);
    input.disabled = false;
    if (accepted) {
      input.value = '';
    }
    input.focus();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
  for (const button of document.querySelectorAll('.quick [data-verb]')) {
    button.addEventListener('click', () => sendAction(button.dataset.verb, null, button.textContent));
  }
  document.getElementById('record').addEventListener('click', () => openRecorder(null));

  // A résumé or job description for an interview plan; words typed in the box (e.g. "job") go with it.
  const attach = document.getElementById('attach-file');
  document.getElementById('attach').addEventListener('click', () => attach.click());
  attach.addEventListener('change', async () => {
    const file = attach.files?.[0];
    if (!file) {
      return;
    }
    const form = new FormData();
    form.append('id', randomId());
    form.append('text', input.value.trim().slice(0, 200));
    form.append('document', file, file.name);
    try {
      const response = await fetch('/api/dev/documents', { method: 'POST', body: form, headers: { 'X-CoachBot-Upload': '1' }, credentials: 'same-origin' });
      const json = await response.json().catch(() => null);
      showError(response.ok ? '' : (json?.message ?? `The bot answered ${response.status}.`));
      if (response.ok) {
        input.value = '';
      }
    } catch {
      showError('The bot cannot be reached. Is it still running?');
    }
    attach.value = '';
  });

  connect();
  input.focus();
})();
