// Producer Uploader's window: plain JavaScript over Tauri's global API (no framework, no build).
// Every decision about links, tokens and uploads is made in Rust; this file shows what happens.

const tauri = window.__TAURI__;

// What the window does for every error code Rust can send (a test checks that none is missing):
// `icon` names a drawing in ICONS, `action` the button offered next to the message.
//   retry: the Retry button; token: open the token screen; top_up: open Ace Data Cloud to top up;
//   settings: open Settings; none: nothing to press (the message says what to do).
// error-codes:start
const ERROR_BEHAVIOUR = {
  bad_request: { icon: 'warning', action: 'retry' },
  no_token: { icon: 'key', action: 'token' },
  disabled: { icon: 'ban', action: 'retry' },
  api_not_implemented: { icon: 'ban', action: 'retry' },
  token_mismatched: { icon: 'key', action: 'token' },
  invalid_token: { icon: 'key', action: 'token' },
  token_expired: { icon: 'key', action: 'token' },
  used_up: { icon: 'card', action: 'top_up' },
  no_api: { icon: 'gear', action: 'settings' },
  too_many_requests: { icon: 'clock', action: 'retry' },
  api_error: { icon: 'warning', action: 'retry' },
  bad_response: { icon: 'warning', action: 'retry' },
  network: { icon: 'signal', action: 'retry' },
  timeout: { icon: 'clock', action: 'retry' },
  local_file: { icon: 'computer', action: 'none' },
  invalid_url: { icon: 'link', action: 'none' },
  token_missing: { icon: 'key', action: 'token' },
  keychain_unavailable: { icon: 'lock', action: 'token' },
  invalid_base_url: { icon: 'gear', action: 'settings' },
  invalid_setting: { icon: 'gear', action: 'settings' },
  history_unavailable: { icon: 'warning', action: 'none' },
  platform_token_missing: { icon: 'key', action: 'token' },
  platform_token_invalid: { icon: 'key', action: 'token' },
  file_too_big: { icon: 'computer', action: 'none' },
  not_audio: { icon: 'computer', action: 'none' },
  file_unreadable: { icon: 'computer', action: 'none' },
  file_is_folder: { icon: 'computer', action: 'none' },
};
// error-codes:end
// A code this version does not know (sent by a newer service) still gets a way forward.
const UNKNOWN_BEHAVIOUR = { icon: 'warning', action: 'retry' };
// Codes after which the token screen opens by itself, with the reason.
const TOKEN_PROBLEMS = new Set(['no_token', 'invalid_token', 'token_expired', 'token_mismatched', 'token_missing']);

// Simple line drawings (24×24, stroked), so no icon depends on the fonts installed.
const ICONS = {
  upload: ['M12 16V4', 'M6 10l6-6 6 6', 'M4 20h16'],
  gear: ['M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
    'M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  warning: ['M12 3L22 20H2z', 'M12 10v4', 'M12 17h.01'],
  key: ['M8 19a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9z', 'M11.2 11.3L20 2.5', 'M16.5 6l2.5 2.5', 'M14 8.5l2 2'],
  card: ['M3 6h18v12H3z', 'M3 10h18', 'M7 15h3'],
  ban: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M5.6 5.6l12.8 12.8'],
  clock: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M12 7v5l3 2'],
  signal: ['M2 8.5a15 15 0 0 1 20 0', 'M5.5 12a10 10 0 0 1 13 0', 'M9 15.5a5 5 0 0 1 6 0', 'M12 19h.01'],
  computer: ['M3 4h18v12H3z', 'M8 20h8', 'M12 16v4'],
  link: ['M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1', 'M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1'],
  lock: ['M5 11h14v10H5z', 'M8 11V7a4 4 0 0 1 8 0v4'],
  play: ['M7 4.5v15l12.5-7.5z'],
  pause: ['M7 4.5h3.5v15H7z', 'M13.5 4.5H17v15h-3.5z'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  spinner: ['M12 3a9 9 0 1 0 9 9'],
  hourglass: ['M6 3h12', 'M6 21h12', 'M7 3c0 5 10 6 10 9s-10 4-10 9', 'M17 3c0 5-10 6-10 9s10 4 10 9'],
  copy: ['M9 9h11v11H9z', 'M5 15H4V4h11v1'],
  download: ['M12 4v11', 'M7 10l5 5 5-5', 'M4 20h16'],
  info: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M12 11v6', 'M12 7.5h.01'],
};

const SVG = 'http://www.w3.org/2000/svg';

function drawIcon(element, name) {
  element.replaceChildren();
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of ICONS[name] || ICONS.info) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    if (name === 'play' || name === 'pause') path.setAttribute('fill', 'currentColor');
    svg.append(path);
  }
  element.append(svg);
  element.dataset.icon = name;
}

function icon(name, extraClass = '') {
  const span = document.createElement('span');
  span.className = `icon ${extraClass}`.trim();
  span.setAttribute('aria-hidden', 'true');
  drawIcon(span, name);
  return span;
}

function el(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'text') element.textContent = value;
    else if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? '' : value);
  }
  element.append(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// Talking to Rust

async function call(command, args = {}) {
  try {
    return await tauri.core.invoke(command, args);
  } catch (error) {
    throw asReport(error);
  }
}

// Commands reject with an ErrorReport; anything else (the framework's own refusals) is wrapped
// into one, so the window always has a message, a code and a way forward.
function asReport(error) {
  if (error && typeof error === 'object' && typeof error.code === 'string' && typeof error.message === 'string') {
    return { trace_id: null, retryable: false, status: null, ...error };
  }
  return {
    code: 'app_error',
    message: `Something went wrong inside the app: ${String(error)}. Press Retry; if it keeps happening, restart the app.`,
    trace_id: null,
    retryable: true,
    status: null,
  };
}

function behaviourOf(code) {
  return ERROR_BEHAVIOUR[code] || UNKNOWN_BEHAVIOUR;
}

function openSite(url) {
  call('plugin:opener|open_url', { url }).catch((report) => announce(report.message));
}

async function copyText(text) {
  await call('plugin:clipboard-manager|write_text', { text });
}

// ---------------------------------------------------------------------------------------------
// State

const app = {
  info: null,
  settings: null,
  token: null,
  rows: [],
  nextId: 1,
  view: 'main',
  playing: null,
  // The batch queue in Rust: rows by item id, updates not yet drawn, the latest counts.
  byItem: new Map(),
  unclaimed: new Map(),
  dirty: new Map(),
  summary: null,
  frame: 0,
};

function announce(message) {
  const live = $('live');
  live.textContent = '';
  // A fresh text node after a tick, so screen readers announce repeated messages too.
  setTimeout(() => { live.textContent = message; }, 30);
}

// ---------------------------------------------------------------------------------------------
// Views

function showView(view, focusTarget) {
  app.view = view;
  $('main-view').hidden = view !== 'main';
  $('token-view').hidden = view !== 'token';
  $('settings-view').hidden = view !== 'settings';
  $('history-view').hidden = view !== 'history';
  $('settings-button').setAttribute('aria-pressed', view === 'settings' ? 'true' : 'false');
  $('history-button').setAttribute('aria-pressed', view === 'history' ? 'true' : 'false');
  const target = focusTarget || {
    main: $('link-input'), token: $('token-input'), settings: $('settings-title'), history: $('history-search'),
  }[view];
  requestAnimationFrame(() => target && target.focus());
}

function renderTokenSummary() {
  const token = app.token;
  let text;
  if (!token || !token.has_token) text = 'No API token yet';
  else if (token.session_only) text = `Token ending in ${token.last_four} (this session only)`;
  else text = `Token ending in ${token.last_four}`;
  $('token-summary').textContent = text;
  let status;
  if (!token || !token.has_token) status = 'No token is saved.';
  else if (token.session_only) status = `A token ending in ${token.last_four} is kept for this session only; it is forgotten when you close the app.`;
  else status = `A token ending in ${token.last_four} is saved in your system keychain.`;
  $('token-status').textContent = status;
  $('settings-token-status').textContent = status;
}

// Opens the token screen. `reason` is the message of the error that brought the musician here.
function showTokenView({ reason = null, keychainProblem = null } = {}) {
  const token = app.token || { has_token: false };
  const firstRun = !token.has_token && !reason && app.rows.length === 0;
  $('token-title').textContent = firstRun
    ? 'Welcome to Producer Uploader'
    : reason ? 'Your API token needs attention' : 'API token';
  $('token-intro').hidden = !firstRun && !reason;
  $('token-reason').hidden = !reason;
  $('token-reason').textContent = reason || '';
  showKeychainProblem(keychainProblem || (token.keychain_problem ?? null));
  $('remove-token').hidden = !token.has_token;
  $('token-back').hidden = !token.has_token && app.rows.length === 0;
  $('token-error').hidden = true;
  $('token-input').value = '';
  renderTokenSummary();
  showView('token', firstRun || reason ? $('token-input') : $('token-title'));
}

function showKeychainProblem(report) {
  $('keychain-problem').hidden = !report;
  $('session-only').hidden = !report;
  $('keychain-message').textContent = report ? report.message : '';
}

function showTokenError(report) {
  $('token-error').textContent = report.message;
  $('token-error').hidden = false;
  $('token-input').setAttribute('aria-invalid', 'true');
  $('token-input').focus();
}

async function saveToken(sessionOnly) {
  const input = $('token-input');
  $('token-error').hidden = true;
  input.removeAttribute('aria-invalid');
  try {
    app.token = await call('save_token', { token: input.value, sessionOnly });
  } catch (report) {
    if (report.code === 'keychain_unavailable') {
      showKeychainProblem(report);
      announce(report.message);
      $('session-only').focus();
    } else {
      showTokenError(report);
    }
    return;
  }
  input.value = '';
  showKeychainProblem(null);
  renderTokenSummary();
  announce(sessionOnly ? 'Token kept for this session only.' : 'Token saved in your keychain.');
  showView('main');
  // Uploads that failed because of the old token start again with the new one.
  retryRows(app.rows.filter((row) => row.state === 'failed' && row.error && TOKEN_PROBLEMS.has(row.error.code)));
}

async function removeToken() {
  try {
    app.token = await call('remove_token');
  } catch (report) {
    showTokenError(report);
    return;
  }
  renderTokenSummary();
  announce('Token removed.');
  showTokenView();
}

// ---------------------------------------------------------------------------------------------
// Settings

function fillSettings(view) {
  app.settings = view;
  const { settings, limits } = view;
  $('base-url').value = view.base_url_from_env ? view.effective_base_url : settings.base_url;
  $('base-url').disabled = view.base_url_from_env;
  $('base-url-hint').textContent = view.base_url_from_env
    ? `Set for this launch by ACEDATACLOUD_API_BASE_URL. Saved address: ${settings.base_url}`
    : `Where uploads go. Normally ${app.info ? app.info.default_base_url : 'https://api.acedata.cloud'}.`;
  $('concurrency').value = settings.concurrency;
  $('concurrency').min = limits.min_concurrency;
  $('concurrency').max = limits.max_concurrency;
  $('concurrency-hint').textContent = `From ${limits.min_concurrency} to ${limits.max_concurrency}.`;
  $('timeout').value = settings.timeout_secs;
  $('timeout').min = limits.min_timeout_secs;
  $('timeout').max = limits.max_timeout_secs;
  $('timeout-hint').textContent = `From ${limits.min_timeout_secs} to ${limits.max_timeout_secs} seconds for each try.`;
  $('preflight').checked = settings.preflight;
}

function showSettings() {
  if (app.settings) fillSettings(app.settings);
  $('settings-error').hidden = true;
  $('settings-saved').hidden = true;
  renderTokenSummary();
  showView('settings');
}

async function saveSettings(values) {
  $('settings-error').hidden = true;
  $('settings-saved').hidden = true;
  try {
    fillSettings(await call('save_settings', { settings: values }));
  } catch (report) {
    $('settings-error').textContent = report.message;
    $('settings-error').hidden = false;
    announce(report.message);
    return false;
  }
  $('settings-saved').textContent = 'Settings saved.';
  $('settings-saved').hidden = false;
  return true;
}

function settingsFromForm() {
  const current = app.settings.settings;
  return {
    base_url: app.settings.base_url_from_env ? current.base_url : $('base-url').value.trim(),
    concurrency: Number($('concurrency').value),
    timeout_secs: Number($('timeout').value),
    preflight: $('preflight').checked,
  };
}

// ---------------------------------------------------------------------------------------------
// Rows

// A link shortened for the list: the site and the file name. The full link is in the tooltip
// and the accessible description.
function shortLink(text) {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not web');
    const host = url.hostname.replace(/^www\./, '');
    const parts = url.pathname.split('/').filter(Boolean);
    let last = parts.length ? parts[parts.length - 1] : '';
    try { last = decodeURIComponent(last); } catch { /* keep as is */ }
    if (!last) return host;
    if (last.length > 48) last = `${last.slice(0, 22)}…${last.slice(-22)}`;
    return parts.length > 1 ? `${host} › … › ${last}` : `${host} › ${last}`;
  } catch {
    const clean = text.replace(/^file:\/\//, '');
    const name = clean.split(/[\\/]/).filter(Boolean).pop() || clean;
    return name.length > 60 ? `${name.slice(0, 28)}…${name.slice(-28)}` : name;
  }
}

function addRows(items) {
  const added = addRowsQuietly(items);
  const ready = added.filter((row) => row.state === 'queued');
  const rejected = added.length - ready.length;
  const parts = [];
  if (ready.length) parts.push(`${ready.length} ${ready.length === 1 ? 'link' : 'links'} added`);
  if (rejected) parts.push(`${rejected} cannot be uploaded`);
  if (parts.length) announce(`${parts.join(', ')}.`);
  if (ready.length) queueRows(ready);
  return added;
}

// Makes rows for intake items (links ready to upload, or rejected ones), newest at the top.
function addRowsQuietly(items) {
  const added = [];
  const fragment = document.createDocumentFragment();
  for (const item of items) {
    const row = {
      id: app.nextId++,
      itemId: null,
      given: item.given,
      audioUrl: item.kind === 'ready' ? item.audio_url : null,
      notes: [],
      state: item.kind === 'ready' ? 'queued' : 'rejected',
      error: item.kind === 'rejected' ? item.error : null,
      result: null,
      waitUntil: 0,
      rateLimited: false,
      attempt: 0,
      checked: false,
      element: null,
    };
    if (item.kind === 'ready') {
      if (item.rewrite) row.notes.push({ kind: 'info', text: item.rewrite.message });
      if (item.warning) row.notes.push({ kind: 'warning', text: item.warning });
    }
    app.rows.unshift(row);
    added.push(row);
    // Newest first: each added row goes above the ones added before it.
    fragment.prepend(renderRow(row));
  }
  $('rows').prepend(fragment);
  renderSummary();
  return added;
}

// Hands ready rows to the batch queue in Rust (oldest first); their progress arrives as updates.
async function queueRows(rows) {
  checkLinks(rows);
  try {
    const ids = await call('queue_add', { links: rows.map((row) => ({ given: row.given, audio_url: row.audioUrl })) });
    rows.forEach((row, index) => claimRow(row, ids[index]));
  } catch (report) {
    for (const row of rows) {
      row.state = 'failed';
      row.error = report;
      renderRow(row);
    }
    renderSummary();
    announce(report.message);
    handleFailure(report);
  }
}

// Ties a row to its queue item; updates that came before are drawn now.
function claimRow(row, itemId) {
  row.itemId = itemId;
  app.byItem.set(itemId, row);
  const early = app.unclaimed.get(itemId);
  if (early) {
    app.unclaimed.delete(itemId);
    app.dirty.set(itemId, early);
  }
  scheduleDraw();
}

// The optional link check: advice shown on the row, a few links at a time. Uploads do not wait
// for it.
function checkLinks(rows) {
  if (!app.settings || !app.settings.settings.preflight) return;
  const todo = rows.filter((row) => !row.checked);
  const worker = async () => {
    for (let row = todo.shift(); row; row = todo.shift()) {
      row.checked = true;
      try {
        const check = await call('check_link', { url: row.audioUrl });
        if (check && check.warning && check.message) {
          row.notes.push({ kind: 'warning', text: check.message });
          updateRow(row);
        }
      } catch {
        // A check that cannot run is not a reason to hold the upload back.
      }
    }
  };
  for (let i = 0; i < 3; i += 1) worker();
}

function stateText(row) {
  switch (row.state) {
    case 'queued': return ['hourglass', 'Waiting to upload'];
    case 'checking': return ['spinner', 'Checking the link…'];
    case 'uploading': return ['spinner', row.attempt > 1 ? `Uploading (try ${row.attempt})…` : 'Uploading…'];
    case 'waiting': {
      const seconds = Math.max(0, Math.ceil((row.waitUntil - Date.now()) / 1000));
      return ['clock', row.rateLimited
        ? `Waiting ${seconds} s for the rate limit`
        : `Trying again in ${seconds} s`];
    }
    case 'done': return ['check', 'Done'];
    case 'failed': return ['warning', 'Failed'];
    case 'rejected': return ['warning', 'Not uploaded'];
    case 'interrupted': return ['ban', 'Stopped before it was sent'];
    default: return ['info', row.state];
  }
}

function renderRow(row) {
  const linkId = `row-${row.id}-link`;
  const [stateIcon, stateLabel] = stateText(row);
  const playing = app.playing === row.id;
  const canPlay = Boolean(row.audioUrl);

  const play = el('button', {
    type: 'button',
    class: 'play ghost',
    'aria-label': playing ? 'Pause preview' : 'Play preview',
    'aria-describedby': linkId,
    disabled: !canPlay,
    onclick: () => togglePreview(row),
  }, icon(playing ? 'pause' : 'play'));

  const body = el('div', { class: 'row-body' });
  body.append(el('p', { class: 'row-link', id: linkId, title: row.given, text: shortLink(row.given) }));

  if (row.notes.length) {
    const notes = el('ul', { class: 'row-notes' });
    for (const note of row.notes) {
      notes.append(el('li', { class: note.kind }, icon(note.kind === 'warning' ? 'warning' : 'info'), el('span', { text: note.text })));
    }
    body.append(notes);
  }

  body.append(el('p', { class: `row-state${stateIcon === 'spinner' ? ' spin' : ''}` },
    icon(stateIcon), el('span', { class: 'state-text', text: stateLabel })));

  if (row.state === 'done' && row.result) {
    const copied = el('span', { class: 'copied', hidden: true, text: 'Copied' });
    body.append(el('div', { class: 'row-result' },
      el('span', { class: 'label', text: 'Audio ID' }),
      el('code', { class: 'audio-id', text: row.result.audio_id }),
      el('button', {
        type: 'button',
        class: 'small',
        'aria-label': 'Copy ID',
        'aria-describedby': linkId,
        onclick: async () => {
          try {
            await copyText(row.result.audio_id);
            copied.textContent = 'Copied';
            copied.hidden = false;
            announce('Audio ID copied.');
            clearTimeout(copied.timer);
            copied.timer = setTimeout(() => { copied.hidden = true; }, 4000);
          } catch (report) {
            copied.textContent = `Could not copy: ${report.message}`;
            copied.hidden = false;
          }
        },
      }, icon('copy'), el('span', { text: 'Copy ID' })),
      copied));
  }

  if ((row.state === 'failed' || row.state === 'rejected') && row.error) {
    body.append(renderError(row, linkId));
  } else if (row.state === 'interrupted') {
    body.append(el('div', { class: 'row-actions' }, el('button', {
      type: 'button', class: 'small primary', 'aria-label': 'Retry', 'aria-describedby': linkId,
      onclick: () => retryRows([row]),
    }, el('span', { text: 'Retry' }))));
  }

  const li = el('li', { class: 'row', id: `row-${row.id}`, 'data-state': row.state, 'aria-labelledby': linkId }, play, body);
  if (row.element) row.element.replaceWith(li);
  row.element = li;
  return li;
}

function renderError(row, linkId) {
  const report = row.error;
  const behaviour = behaviourOf(report.code);
  const box = el('div', { class: 'row-error', 'data-code': report.code });
  box.append(el('p', { class: 'message' }, icon(behaviour.icon), el('span', { text: report.message })));
  const actions = el('div', { class: 'row-actions' });
  if (row.state === 'failed') {
    actions.append(el('button', {
      type: 'button', class: 'small primary', 'aria-label': 'Retry', 'aria-describedby': linkId,
      onclick: () => retryRows([row]),
    }, el('span', { text: 'Retry' })));
  }
  if (behaviour.action === 'token') {
    actions.append(el('button', {
      type: 'button', class: 'small', onclick: () => showTokenView({ reason: report.message }),
    }, icon('key'), el('span', { text: 'Change token' })));
  } else if (behaviour.action === 'top_up') {
    actions.append(el('button', {
      type: 'button', class: 'small', onclick: () => openSite(app.info.top_up_page),
    }, icon('card'), el('span', { text: 'Top up balance' })));
  } else if (behaviour.action === 'settings') {
    actions.append(el('button', { type: 'button', class: 'small', onclick: showSettings },
      icon('gear'), el('span', { text: 'Open settings' })));
  }
  if (actions.childElementCount) box.append(actions);
  if (report.trace_id) {
    const copied = el('span', { class: 'copied', hidden: true, text: 'Copied' });
    box.append(el('p', { class: 'trace' },
      el('span', { text: 'Trace ID:' }),
      el('code', { text: report.trace_id }),
      el('button', {
        type: 'button', class: 'small', 'aria-label': 'Copy trace ID', 'aria-describedby': linkId,
        onclick: async () => {
          try {
            await copyText(report.trace_id);
            copied.hidden = false;
            announce('Trace ID copied.');
          } catch (failure) {
            copied.textContent = `Could not copy: ${failure.message}`;
            copied.hidden = false;
          }
        },
      }, icon('copy'), el('span', { text: 'Copy trace ID' })),
      copied));
  }
  return box;
}

function updateRow(row) {
  const focused = document.activeElement;
  const hadFocus = row.element && row.element.contains(focused);
  const label = hadFocus ? focused.getAttribute('aria-label') || focused.textContent : null;
  renderRow(row);
  // Keep keyboard focus in the row when it is redrawn.
  if (hadFocus) {
    const same = [...row.element.querySelectorAll('button')].find(
      (button) => (button.getAttribute('aria-label') || button.textContent) === label && !button.disabled);
    (same || row.element.querySelector('button:not(:disabled)') || $('link-input')).focus();
  }
  renderSummary();
}

function renderSummary() {
  const counts = { done: 0, failed: 0, active: 0 };
  for (const row of app.rows) {
    if (row.state === 'done') counts.done += 1;
    else if (['failed', 'rejected', 'interrupted'].includes(row.state)) counts.failed += 1;
    else counts.active += 1;
  }
  const parts = [];
  if (counts.active) parts.push(`${counts.active} ${app.summary && app.summary.paused ? 'waiting' : 'in progress'}`);
  if (counts.done) parts.push(`${counts.done} done`);
  if (counts.failed) parts.push(`${counts.failed} not uploaded`);
  $('summary').textContent = parts.join(' · ');
  $('empty-state').hidden = app.rows.length > 0;
  $('main-view').classList.toggle('has-rows', app.rows.length > 0);
  $('copy-all').disabled = counts.done === 0;
  $('clear-list').disabled = app.rows.length === 0 || counts.active === app.rows.length;
}

// Sends failed or stopped rows to the queue again.
async function retryRows(rows) {
  const again = rows.filter((row) => row.itemId !== null);
  if (!again.length) return;
  // Shown as waiting at once; the queue's updates follow.
  for (const row of again) {
    row.state = 'queued';
    row.error = null;
    renderRow(row);
  }
  renderSummary();
  const ids = again.map((row) => row.itemId);
  try {
    await call('queue_retry', { ids });
  } catch (report) {
    announce(report.message);
    handleFailure(report);
  }
}

// Messages from Rust on the window's channel: batch updates, and the question on closing.
function onWindowMessage(message) {
  if (message.kind === 'close_requested') {
    askBeforeClosing(message);
    return;
  }
  if (message.kind !== 'queue') return;
  for (const item of message.items) app.dirty.set(item.id, item);
  app.summary = message.summary;
  scheduleDraw();
}

// Updates are drawn once per frame, however many arrive, so hundreds of links stay smooth.
function scheduleDraw() {
  if (!app.frame) app.frame = requestAnimationFrame(draw);
}

function draw() {
  app.frame = 0;
  const items = [...app.dirty.values()];
  app.dirty.clear();
  const few = app.summary && app.summary.total - app.summary.done - app.summary.failed - app.summary.interrupted <= 3;
  for (const item of items) {
    const row = app.byItem.get(item.id);
    if (!row) {
      app.unclaimed.set(item.id, item);
      continue;
    }
    const before = row.state;
    applyItem(row, item);
    if (row.element) renderRow(row);
    if (before !== row.state) {
      if (row.state === 'done' && few) announce(`Uploaded ${shortLink(row.given)}. Audio ID ${row.result.audio_id}.`);
      if (row.state === 'failed') {
        if (few) announce(`Upload failed: ${shortLink(row.given)}. ${row.error.message}`);
        handleFailure(row.error);
      }
    }
  }
  renderSummary();
  renderBatch();
  // The history screen shows finished uploads as they finish.
  if (app.view === 'history' && items.some((item) => ['done', 'failed', 'interrupted'].includes(item.state))) {
    clearTimeout(history.refresh);
    history.refresh = setTimeout(reloadHistory, 400);
  }
}

// A queue item (from Rust) onto its row.
function applyItem(row, item) {
  row.result = item.uploaded || null;
  row.error = item.error || null;
  if (item.state === 'uploading') {
    const progress = item.progress || { state: 'queued' };
    if (progress.state === 'uploading') {
      row.state = 'uploading';
      row.attempt = progress.attempt;
    } else if (progress.state === 'waiting') {
      const same = row.state === 'waiting' && row.waitSeconds === progress.seconds;
      row.state = 'waiting';
      row.rateLimited = Boolean(progress.rate_limited);
      if (!same) row.waitUntil = Date.now() + progress.seconds * 1000;
      row.waitSeconds = progress.seconds;
    } else {
      row.state = 'queued';
    }
  } else {
    row.state = item.state === 'waiting' ? 'queued' : item.state;
  }
}

function formatEta(seconds) {
  if (seconds < 60) return 'less than a minute left';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  return `about ${hours} h ${minutes % 60} min left`;
}

// The overall progress bar, counts, time estimate and the batch buttons.
function renderBatch() {
  const summary = app.summary;
  const shown = Boolean(summary && summary.total > 0 && app.rows.some((row) => row.itemId !== null));
  $('batch').hidden = !shown;
  if (!shown) return;
  const finished = summary.done + summary.failed + summary.interrupted;
  const unfinished = summary.failed + summary.interrupted;
  const idle = summary.waiting === 0 && summary.uploading === 0;
  $('batch-progress').max = summary.total;
  $('batch-progress').value = finished;
  const parts = [`${summary.done} of ${summary.total} done`];
  if (summary.failed) parts.push(`${summary.failed} failed`);
  if (summary.interrupted) parts.push(`${summary.interrupted} stopped`);
  if (summary.uploading) parts.push(`${summary.uploading} uploading`);
  if (summary.waiting) parts.push(`${summary.waiting} waiting`);
  $('batch-counts').textContent = parts.join(' · ');
  let eta = '';
  if (idle) eta = unfinished ? 'Finished. Some links were not uploaded.' : 'All done.';
  else if (summary.paused) eta = summary.uploading ? 'Paused: the uploads already running are finishing.' : 'Paused.';
  else if (summary.eta_seconds !== null && summary.eta_seconds !== undefined) eta = formatEta(summary.eta_seconds);
  else eta = 'Estimating time left…';
  $('batch-eta').textContent = eta;
  $('batch-pause').hidden = summary.paused || idle;
  $('batch-resume').hidden = !summary.paused;
  $('batch-cancel').hidden = idle;
  $('batch-cancel').disabled = summary.waiting === 0;
  $('batch-retry').hidden = unfinished === 0;
  $('batch-retry').disabled = unfinished === 0;
  if (idle && !app.batchWasIdle && summary.total > 3) {
    announce(`All ${summary.total} links are through: ${summary.done} done${unfinished ? `, ${unfinished} not uploaded` : ''}.`);
  }
  app.batchWasIdle = idle;
}

async function batchCommand(command, message) {
  try {
    await call(command);
    if (message) announce(message);
  } catch (report) {
    announce(report.message);
  }
}

function askBeforeClosing(message) {
  const waiting = message.waiting + message.uploading;
  $('close-text').textContent = `${waiting} ${waiting === 1 ? 'link is' : 'links are'} still being uploaded or waiting.`;
  const dialog = $('close-dialog');
  if (!dialog.open) dialog.showModal();
  $('close-background').focus();
}

async function closeDuringBatch(choice) {
  $('close-dialog').close();
  try {
    await call('close_during_batch', { choice });
  } catch (report) {
    announce(report.message);
  }
}

// Counts the waiting rows down, once a second.
setInterval(() => {
  for (const row of app.rows) {
    if (row.state !== 'waiting' || !row.element) continue;
    const text = row.element.querySelector('.state-text');
    if (text) text.textContent = stateText(row)[1];
  }
}, 500);

let tokenScreenShownFor = null;

function handleFailure(report) {
  if (TOKEN_PROBLEMS.has(report.code)) {
    // Several uploads failing for the same reason open the screen once.
    if (app.view !== 'token' || tokenScreenShownFor !== report.code) {
      tokenScreenShownFor = report.code;
      call('token_status').then((token) => { app.token = token; }).catch(() => {}).finally(() => {
        showTokenView({ reason: report.message });
      });
    }
  } else if (report.code === 'keychain_unavailable') {
    if (app.view !== 'token') showTokenView({ keychainProblem: report });
  }
}

async function intake(text, files = []) {
  const rowsIn = [];
  try {
    if (text && text.trim()) rowsIn.push(...await call('intake_links', { text }));
    const names = files.map((file) => file.name).filter(
      (name) => !rowsIn.some((row) => row.given.endsWith(name) || row.given.endsWith(encodeURIComponent(name))));
    if (names.length) rowsIn.push(...await call('explain_local_files', { names }));
  } catch (report) {
    announce(report.message);
    showLinkHint(report.message, true);
    return [];
  }
  if (!rowsIn.length) {
    showLinkHint('No link found there. Paste a link that starts with https://.', true);
    return [];
  }
  showLinkHint(null);
  if (app.view !== 'main') showView('main');
  return addRows(rowsIn);
}

function showLinkHint(message, isError = false) {
  const hint = $('link-hint');
  hint.textContent = message || 'Paste one or more links, then press Enter or Upload.';
  hint.classList.toggle('error-text', Boolean(isError));
  if (isError) announce(message);
}

// Links inside dropped or pasted HTML (a link dragged from a web page).
function linksFromHtml(html) {
  if (!html) return '';
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const found = [];
  for (const node of doc.querySelectorAll('a[href], audio[src], source[src]')) {
    found.push(node.getAttribute('href') || node.getAttribute('src'));
  }
  return found.join('\n');
}

function textFromTransfer(transfer) {
  if (!transfer) return '';
  const parts = [];
  for (const type of ['text/uri-list', 'text/plain']) {
    const value = transfer.getData(type);
    if (value) parts.push(value);
  }
  const fromHtml = linksFromHtml(transfer.getData('text/html'));
  if (fromHtml) parts.push(fromHtml);
  return parts.join('\n');
}

function copyAllIds() {
  const ids = app.rows.filter((row) => row.state === 'done').map((row) => row.result.audio_id).reverse();
  if (!ids.length) return;
  const status = $('copy-all-done');
  copyText(ids.join('\n')).then(() => {
    status.textContent = `Copied ${ids.length} ${ids.length === 1 ? 'ID' : 'IDs'}, one per line.`;
    status.hidden = false;
    clearTimeout(status.timer);
    status.timer = setTimeout(() => { status.hidden = true; }, 5000);
  }).catch((report) => {
    status.textContent = `Could not copy: ${report.message}`;
    status.hidden = false;
  });
}

function clearList() {
  const keep = app.rows.filter((row) => ['queued', 'checking', 'uploading', 'waiting'].includes(row.state));
  for (const row of app.rows) {
    if (keep.includes(row)) continue;
    row.element.remove();
    if (row.itemId !== null) app.byItem.delete(row.itemId);
  }
  if (app.playing && !keep.some((row) => row.id === app.playing)) stopPreview();
  app.rows = keep;
  renderSummary();
  renderBatch();
  announce(keep.length ? 'Finished rows cleared; uploads in progress stay.' : 'List cleared.');
  $('link-input').focus();
}

// ---------------------------------------------------------------------------------------------
// History: pages fetched from Rust as they scroll into view; only the visible rows are drawn.

const HISTORY_ROW = 64; // px, the fixed height of a row (see .history-row)
const HISTORY_PAGE = 200;

const history = {
  text: '',
  total: 0,
  pages: new Map(), // page number -> records, or 'loading'
  generation: 0,
  timer: 0,
  frame: 0,
};

function showHistory() {
  showView('history');
  reloadHistory();
}

function reloadHistory() {
  history.generation += 1;
  history.pages.clear();
  loadHistoryPage(0);
}

async function loadHistoryPage(page) {
  if (history.pages.has(page)) return;
  history.pages.set(page, 'loading');
  const generation = history.generation;
  try {
    const result = await call('history_page', { text: history.text, offset: page * HISTORY_PAGE, limit: HISTORY_PAGE });
    if (generation !== history.generation) return;
    history.total = result.total;
    history.pages.set(page, result.records);
    $('history-error').hidden = true;
  } catch (report) {
    if (generation !== history.generation) return;
    history.pages.delete(page);
    $('history-error').textContent = report.message;
    $('history-error').hidden = false;
  }
  drawHistory();
}

function historyRecord(index) {
  const page = history.pages.get(Math.floor(index / HISTORY_PAGE));
  return Array.isArray(page) ? page[index % HISTORY_PAGE] : undefined;
}

function scheduleHistoryDraw() {
  if (!history.frame) history.frame = requestAnimationFrame(() => { history.frame = 0; drawHistory(); });
}

// One formatter for every row: making one per row would cost more than drawing the row.
const WHEN = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function formatWhen(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : WHEN.format(date);
}

const RECORD_STATE = { done: 'Done', failed: 'Failed', interrupted: 'Interrupted', pending: 'Uploading' };

function historyRow(record, index) {
  const nameId = `history-${record.id}-name`;
  const meta = el('p', { class: 'meta' },
    el('span', { class: 'state', text: RECORD_STATE[record.state] || record.state }),
    el('span', { text: ` · ${formatWhen(record.created_at)} · ` }));
  if (record.audio_id) meta.append(el('span', { text: 'Audio ID ' }), el('code', { class: 'audio-id', text: record.audio_id }));
  else if (record.error) meta.append(el('span', { text: record.error.message }));
  else meta.append(el('span', { text: record.given_url }));
  const buttons = el('div', { class: 'buttons' });
  if (record.audio_id) {
    buttons.append(el('button', {
      type: 'button', class: 'small', 'aria-label': 'Copy ID', 'aria-describedby': nameId,
      onclick: async () => {
        try {
          await copyText(record.audio_id);
          announce('Audio ID copied.');
        } catch (report) {
          announce(`Could not copy: ${report.message}`);
        }
      },
    }, icon('copy'), el('span', { text: 'Copy ID' })));
  }
  if (record.state === 'failed' || record.state === 'interrupted') {
    buttons.append(el('button', {
      type: 'button', class: 'small primary', 'aria-label': 'Retry', 'aria-describedby': nameId,
      onclick: () => retryRecord(record),
    }, el('span', { text: 'Retry' })));
  }
  if (record.state !== 'pending') {
    buttons.append(el('button', {
      type: 'button', class: 'small ghost danger', 'aria-label': 'Delete', 'aria-describedby': nameId,
      onclick: () => deleteRecord(record),
    }, icon('close'), el('span', { text: 'Delete' })));
  }
  return el('li', {
    class: 'history-row', 'data-state': record.state, 'data-id': record.id,
    'aria-setsize': history.total, 'aria-posinset': index + 1,
  }, el('p', { class: 'name', id: nameId, title: record.given_url, text: record.file_name || shortLink(record.given_url) }), meta, buttons);
}

function drawHistory() {
  const scroller = $('history-scroller');
  const total = history.total;
  $('history-spacer').style.height = `${total * HISTORY_ROW}px`;
  const first = Math.max(0, Math.floor(scroller.scrollTop / HISTORY_ROW) - 5);
  const last = Math.min(total, Math.ceil((scroller.scrollTop + scroller.clientHeight) / HISTORY_ROW) + 5);
  const list = $('history-rows');
  list.style.transform = `translateY(${first * HISTORY_ROW}px)`;
  // Keep focus on the same control when the rows are redrawn.
  const focused = document.activeElement;
  const focusKey = list.contains(focused) ? [focused.closest('li')?.dataset.id, focused.getAttribute('aria-label')] : null;
  // Rows still in view are kept; only the ones scrolling in are made.
  const kept = new Map();
  for (const li of list.children) {
    if (li.dataset.index !== undefined && li.dataset.generation === String(history.generation)) kept.set(Number(li.dataset.index), li);
  }
  const rows = [];
  for (let index = first; index < last; index += 1) {
    const record = historyRecord(index);
    const old = kept.get(index);
    if (record && old && old.dataset.id === String(record.id)) {
      rows.push(old);
    } else if (record) {
      const li = historyRow(record, index);
      li.dataset.index = index;
      li.dataset.generation = history.generation;
      rows.push(li);
    } else {
      loadHistoryPage(Math.floor(index / HISTORY_PAGE));
      rows.push(el('li', { class: 'history-row loading', text: 'Loading…' }));
    }
  }
  const same = rows.length === list.children.length && rows.every((row, index) => list.children[index] === row);
  if (!same) list.replaceChildren(...rows);
  if (focusKey) {
    const again = list.querySelector(`li[data-id="${focusKey[0]}"] button[aria-label="${focusKey[1]}"]`);
    if (again) again.focus();
  }
  const searching = history.text.trim() !== '';
  $('history-count').textContent = searching
    ? `${total.toLocaleString()} ${total === 1 ? 'upload matches' : 'uploads match'} your search.`
    : `${total.toLocaleString()} ${total === 1 ? 'upload' : 'uploads'}, newest first.`;
  $('history-empty').hidden = total > 0 || searching || history.pages.get(0) === 'loading';
  $('export-csv').disabled = total === 0;
  $('export-json').disabled = total === 0;
}

async function deleteRecord(record) {
  try {
    const count = await call('history_delete', { ids: [record.id] });
    if (count) {
      $('undo-text').textContent = `Deleted ${record.file_name || 'the upload'}.`;
      $('undo-bar').hidden = false;
      announce('Deleted. Press Undo to put it back.');
      $('undo-button').focus();
    }
  } catch (report) {
    announce(report.message);
  }
  reloadHistory();
}

async function undoDelete() {
  $('undo-bar').hidden = true;
  try {
    const count = await call('history_undo');
    announce(count ? 'Put back.' : 'Nothing to put back.');
  } catch (report) {
    announce(report.message);
  }
  reloadHistory();
  $('history-search').focus();
}

async function retryRecord(record) {
  try {
    const itemId = await call('history_retry', { id: record.id });
    const [row] = addRowsQuietly([{ kind: 'ready', given: record.given_url, audio_url: record.audio_url }]);
    claimRow(row, itemId);
    announce(`Uploading ${record.file_name} again. Its progress is on the uploads screen.`);
  } catch (report) {
    announce(report.message);
    handleFailure(report);
  }
  reloadHistory();
}

async function exportHistory(format) {
  const label = format === 'csv' ? 'CSV' : 'JSON';
  try {
    const done = await call('history_export', { format, text: history.text });
    if (done) announce(`Exported ${done.count} ${done.count === 1 ? 'upload' : 'uploads'} as ${label} to ${done.path}.`);
  } catch (report) {
    $('history-error').textContent = report.message;
    $('history-error').hidden = false;
    announce(report.message);
  }
}

function wireHistory() {
  $('history-button').addEventListener('click', () => (app.view === 'history' && (app.token?.has_token || app.rows.length)
    ? showView('main') : showHistory()));
  $('history-scroller').addEventListener('scroll', scheduleHistoryDraw, { passive: true });
  window.addEventListener('resize', () => { if (app.view === 'history') scheduleHistoryDraw(); });
  $('history-search').addEventListener('input', () => {
    clearTimeout(history.timer);
    history.timer = setTimeout(() => {
      history.text = $('history-search').value;
      $('history-scroller').scrollTop = 0;
      reloadHistory();
    }, 200);
  });
  $('undo-button').addEventListener('click', undoDelete);
  $('export-csv').addEventListener('click', () => exportHistory('csv'));
  $('export-json').addEventListener('click', () => exportHistory('json'));
}

// ---------------------------------------------------------------------------------------------
// Preview player

function togglePreview(row) {
  const player = $('player');
  if (app.playing === row.id) {
    if (player.paused) player.play().catch(() => {});
    else player.pause();
    return;
  }
  const previous = app.rows.find((other) => other.id === app.playing);
  app.playing = row.id;
  player.src = row.audioUrl;
  $('player-title').textContent = shortLink(row.given);
  $('player-title').title = row.given;
  $('player-bar').hidden = false;
  player.play().catch(() => {
    announce('This link could not be played here. It may not be a direct link to an audio file.');
  });
  if (previous) updateRow(previous);
  updateRow(row);
}

function stopPreview() {
  const player = $('player');
  player.pause();
  player.removeAttribute('src');
  player.load();
  const previous = app.rows.find((row) => row.id === app.playing);
  app.playing = null;
  $('player-bar').hidden = true;
  if (previous) updateRow(previous);
}

function syncPlayButton() {
  const row = app.rows.find((other) => other.id === app.playing);
  if (!row || !row.element) return;
  const button = row.element.querySelector('.play');
  const paused = $('player').paused;
  button.setAttribute('aria-label', paused ? 'Play preview' : 'Pause preview');
  drawIcon(button.querySelector('.icon'), paused ? 'play' : 'pause');
}

// ---------------------------------------------------------------------------------------------
// Input: drop, paste, the link field

function isTextField(element) {
  if (!element) return false;
  if (element.isContentEditable) return true;
  if (element.tagName === 'TEXTAREA') return element.id !== 'paste-catcher';
  return element.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes(element.type);
}

function wireInput() {
  const zone = $('drop-zone');
  let depth = 0;
  // Every drag is taken by the page: without this, a link dropped on the window would make the
  // window open it (and leave the app). Links dropped on any screen go to the upload list.
  window.addEventListener('dragenter', (event) => {
    event.preventDefault();
    depth += 1;
    zone.classList.add('dragging');
  });
  window.addEventListener('dragover', (event) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    zone.classList.add('dragging');
  });
  window.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) zone.classList.remove('dragging');
  });
  window.addEventListener('drop', (event) => {
    event.preventDefault();
    depth = 0;
    zone.classList.remove('dragging');
    if (!event.dataTransfer) return;
    const files = [...(event.dataTransfer.files || [])];
    intake(textFromTransfer(event.dataTransfer), files);
  });

  // Ctrl/Cmd+V outside a text field: let the paste land in a hidden field, then take it.
  let returnFocus = null;
  document.addEventListener('keydown', (event) => {
    const isPaste = (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'v';
    if (isPaste && app.view === 'main' && !isTextField(document.activeElement)) {
      returnFocus = document.activeElement;
      $('paste-catcher').value = '';
      $('paste-catcher').focus();
    }
    if (event.key === 'Escape' && app.view !== 'main' && (app.token?.has_token || app.rows.length)) {
      showView('main');
    }
  });
  document.addEventListener('paste', (event) => {
    const target = event.target;
    if (isTextField(target) || app.view !== 'main') return;
    event.preventDefault();
    const files = [...(event.clipboardData?.files || [])];
    intake(textFromTransfer(event.clipboardData), files);
    const back = returnFocus && document.contains(returnFocus) ? returnFocus : document.body;
    returnFocus = null;
    if (back && back.focus) back.focus();
    else $('paste-catcher').blur();
  });
  $('paste-catcher').addEventListener('blur', () => { $('paste-catcher').value = ''; });

  $('link-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $('link-input');
    if (!input.value.trim()) {
      showLinkHint('Paste a link to your audio file first.', true);
      input.focus();
      return;
    }
    const added = await intake(input.value);
    if (added.length) input.value = '';
  });
  $('link-input').addEventListener('input', () => showLinkHint(null));
}

function wireButtons() {
  $('settings-button').addEventListener('click', () => (app.view === 'settings' && (app.token?.has_token || app.rows.length)
    ? showView('main') : showSettings()));
  $('copy-all').addEventListener('click', copyAllIds);
  $('clear-list').addEventListener('click', clearList);
  $('batch-pause').addEventListener('click', () => batchCommand('queue_pause', 'Paused. Uploads already running will finish.'));
  $('batch-resume').addEventListener('click', () => batchCommand('queue_resume', 'Resumed.'));
  $('batch-cancel').addEventListener('click', () => batchCommand('queue_cancel', 'Cancelled. Links not yet sent were stopped; you can retry them.'));
  $('batch-retry').addEventListener('click', () => batchCommand('queue_retry', 'Retrying the links that were not uploaded.'));
  $('close-background').addEventListener('click', () => closeDuringBatch('finish_in_background'));
  $('close-stop').addEventListener('click', () => closeDuringBatch('stop'));
  $('close-stay').addEventListener('click', () => $('close-dialog').close());
  $('player-close').addEventListener('click', stopPreview);
  $('player').addEventListener('play', syncPlayButton);
  $('player').addEventListener('pause', syncPlayButton);
  $('player').addEventListener('ended', syncPlayButton);

  $('token-form').addEventListener('submit', (event) => { event.preventDefault(); saveToken(false); });
  $('session-only').addEventListener('click', () => saveToken(true));
  $('remove-token').addEventListener('click', removeToken);
  $('token-back').addEventListener('click', () => showView('main'));
  for (const link of [$('token-page-link'), $('top-up-link')]) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      openSite(link.id === 'top-up-link' ? app.info.top_up_page : app.info.token_page);
    });
  }

  $('change-token').addEventListener('click', () => showTokenView());
  $('settings-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (await saveSettings(settingsFromForm())) announce('Settings saved.');
  });
  $('reset-settings').addEventListener('click', () => saveSettings({
    base_url: app.info.default_base_url,
    concurrency: 4,
    timeout_secs: 60,
    preflight: true,
  }));
  $('settings-back').addEventListener('click', () => showView('main'));
}

// ---------------------------------------------------------------------------------------------
// Start

async function start() {
  for (const element of document.querySelectorAll('[data-icon]')) drawIcon(element, element.dataset.icon);
  wireInput();
  wireButtons();
  wireHistory();
  renderSummary();
  try {
    app.info = await call('app_info');
    $('token-page-link').href = app.info.token_page;
    $('top-up-link').href = app.info.top_up_page;
    $('app-version').textContent = `Producer Uploader ${app.info.version}.`;
    fillSettings(await call('get_settings'));
    const channel = new tauri.core.Channel();
    channel.onmessage = onWindowMessage;
    await call('queue_subscribe', { onUpdate: channel });
    app.token = await call('token_status');
  } catch (report) {
    app.token = { has_token: false, keychain_problem: null };
    announce(report.message);
  }
  renderTokenSummary();
  if (app.token.has_token) showView('main');
  else showTokenView({ keychainProblem: app.token.keychain_problem });
  document.body.dataset.ready = 'true';
}

start();
