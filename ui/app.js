// Producer Uploader's window: plain JavaScript modules over Tauri's global API (no framework, no
// build step). Every decision about links, tokens and uploads is made in Rust; the window shows
// what happens. This module wires the screens together; the upload list lives in store.js (its
// state, tested with `node --test`) and uploads.js (its drawing).

import { $, announce, drawIcon, el } from './dom.js';
import { opensPlatformTokenScreen, opensTokenScreen } from './errors.js';
import { shortLink } from './format.js';
import * as ipc from './ipc.js';
import {
  copyText, hostAgain, openUrl, previewBase, previewSource, sendFileChunk, subscribe,
} from './ipc.js';
import { settingsProblems } from './form.js';
import { loadWords } from './language.js';
import { onLanguageChange, setText, setWords, t } from './words.js';
import {
  clearedText, clearedToHistory, clearedWords, startAfreshAfterClear, stoppedWords,
} from './cleared.js';
import { closeWords } from './closing.js';
import { playerControls } from './player.js';
import {
  doneAudioIds, doneTable, platformTokenFailures, tokenFailures, wantsBytes,
} from './store.js';
import {
  initUploads, list, onQueueMessage, onSnapshot, playingItem, redrawAll, scheduleDraw, setPlaying,
} from './uploads.js';
import { initSongs, refreshSongs, songButtons, songsBusy } from './songs.js';
import {
  clearHistorySearch, drawHistoryPlayButtons, forgetHistoryPreview, redrawHistory, refreshHistorySoon, showHistory,
  wireHistory,
} from './history.js';

const app = {
  info: null,
  settings: null,
  token: null,
  // The platform token (files from this computer), as token_status({kind: 'platform'}) says.
  platformToken: null,
  // True once the platform token screen has asked for it, until a token is saved or removed:
  // rows failing for want of it then do not ask again.
  platformAsked: false,
  view: 'main',
};

function openSite(url) {
  openUrl(url).catch((report) => announce(report.message));
}

// ---------------------------------------------------------------------------------------------
// Views

function showView(view, focusTarget) {
  app.view = view;
  $('main-view').hidden = view !== 'main';
  $('token-view').hidden = view !== 'token';
  $('settings-view').hidden = view !== 'settings';
  $('history-view').hidden = view !== 'history';
  $('platform-token-view').hidden = view !== 'platform-token';
  $('songs-view').hidden = view !== 'songs';
  $('songs-button').setAttribute('aria-pressed', view === 'songs' ? 'true' : 'false');
  // The upload list draws only what is in view, so it draws again once it is shown.
  if (view === 'main') scheduleDraw();
  $('settings-button').setAttribute('aria-pressed', view === 'settings' ? 'true' : 'false');
  $('history-button').setAttribute('aria-pressed', view === 'history' ? 'true' : 'false');
  const target = focusTarget || {
    main: $('link-input'),
    token: $('token-input'),
    'platform-token': $('platform-token-input'),
    settings: $('settings-title'),
    history: $('history-search'),
    songs: $('songs-title'),
  }[view];
  // Unless, by the next frame (which can come late), focus has moved on within the view: a
  // click or a key that came first is not undone.
  const before = document.activeElement;
  requestAnimationFrame(() => {
    const active = document.activeElement;
    const movedOn = active !== before && active !== document.body && $(`${view}-view`).contains(active);
    if (target && app.view === view && !movedOn) target.focus();
  });
}

// The words about each kind of token: where it is kept, and what saving or removing it did.
const TOKEN_WORDS = {
  api: {
    none: 'tokenview-none',
    session: 'tokenview-kept-session',
    sessionEnding: 'tokenview-kept-session-ending',
    keychain: 'tokenview-kept-keychain',
    keychainEnding: 'tokenview-kept-keychain-ending',
    sessionSaid: 'tokenview-session-said',
    savedSaid: 'tokenview-saved-said',
    removedSaid: 'tokenview-removed-said',
  },
  platform: {
    none: 'tokenview-platform-none',
    session: 'tokenview-platform-kept-session',
    sessionEnding: 'tokenview-platform-kept-session-ending',
    keychain: 'tokenview-platform-kept-keychain',
    keychainEnding: 'tokenview-platform-kept-keychain-ending',
    sessionSaid: 'tokenview-platform-session-said',
    savedSaid: 'tokenview-platform-saved-said',
    removedSaid: 'tokenview-platform-removed-said',
  },
};

// Where a token is kept, as a message and its values: the last four characters only when Rust
// gives them (none of a token too short to show any of).
function tokenStatus(token, kind) {
  const words = TOKEN_WORDS[kind];
  if (!token || !token.has_token) return [words.none];
  if (!token.last_four) return [token.session_only ? words.session : words.keychain];
  return [token.session_only ? words.sessionEnding : words.keychainEnding, { last_four: token.last_four }];
}

function renderTokenSummary() {
  const token = app.token;
  let summary;
  if (!token || !token.has_token) summary = ['main-token-none'];
  else if (token.last_four) summary = [token.session_only ? 'main-token-ending-session' : 'main-token-ending', { last_four: token.last_four }];
  else summary = [token.session_only ? 'main-token-session' : 'main-token-saved'];
  setWords($('token-summary'), ...summary);
  const status = tokenStatus(token, 'api');
  setWords($('token-status'), ...status);
  setWords($('settings-token-status'), ...status);

  const platform = app.platformToken;
  const platformStatus = tokenStatus(platform, 'platform');
  setWords($('platform-token-status'), ...platformStatus);
  setWords($('settings-platform-token-status'), ...platformStatus);
  setWords($('change-platform-token'), platform && platform.has_token
    ? 'settings-change-platform-token' : 'settings-add-platform-token');
}

// The parts of the two token screens: the API token's and the platform token's.
const TOKEN_PARTS = {
  api: {
    view: 'token', input: 'token-input', error: 'token-error', sessionOnly: 'session-only',
    problem: 'keychain-problem', problemMessage: 'keychain-message',
  },
  platform: {
    view: 'platform-token', input: 'platform-token-input', error: 'platform-token-error', sessionOnly: 'platform-session-only',
    problem: 'platform-keychain-problem', problemMessage: 'platform-keychain-message',
  },
};

// Opens the token screen. `reason` is the message of the error that brought the musician here.
function showTokenView({ reason = null, keychainProblem = null } = {}) {
  const token = app.token || { has_token: false };
  const firstRun = !token.has_token && !reason && list.items.size === 0;
  setWords($('token-title'), firstRun
    ? 'tokenview-welcome'
    : reason ? 'tokenview-attention' : 'tokenview-label');
  $('token-intro').hidden = !firstRun && !reason;
  $('token-reason').hidden = !reason;
  setText($('token-reason'), reason || '');
  showKeychainProblem(keychainProblem || (token.keychain_problem ?? null));
  $('remove-token').hidden = !token.has_token;
  $('token-back').hidden = !token.has_token && list.items.size === 0;
  $('token-error').hidden = true;
  $('token-input').value = '';
  renderTokenSummary();
  showView('token', firstRun || reason ? $('token-input') : $('token-title'));
}

// Opens the platform token screen: asked for when files come without one, or with `reason`,
// the message of the error that brought the musician here.
function showPlatformTokenView({ reason = null, keychainProblem = null } = {}) {
  const token = app.platformToken || { has_token: false };
  app.platformAsked = true;
  setWords($('platform-token-title'), reason
    ? 'tokenview-platform-attention'
    : token.has_token ? 'tokenview-platform-title' : 'tokenview-platform-title-new');
  $('platform-token-intro').hidden = token.has_token && !reason;
  $('platform-token-reason').hidden = !reason;
  setText($('platform-token-reason'), reason || '');
  showKeychainProblem(keychainProblem || (token.keychain_problem ?? null), 'platform');
  $('remove-platform-token').hidden = !token.has_token;
  $('platform-token-error').hidden = true;
  $('platform-token-input').value = '';
  $('platform-token-input').removeAttribute('aria-invalid');
  renderTokenSummary();
  showView('platform-token', token.has_token && !reason ? $('platform-token-title') : $('platform-token-input'));
}

function showKeychainProblem(report, kind = 'api') {
  const parts = TOKEN_PARTS[kind];
  $(parts.problem).hidden = !report;
  $(parts.sessionOnly).hidden = !report;
  $(parts.problemMessage).textContent = report ? report.message : '';
}

function showTokenError(report, kind = 'api') {
  const parts = TOKEN_PARTS[kind];
  $(parts.error).textContent = report.message;
  $(parts.error).hidden = false;
  $(parts.input).setAttribute('aria-invalid', 'true');
  $(parts.input).focus();
}

// Saves the API token or, with kind 'platform', the platform token; rows that failed for want
// of it start again.
async function saveToken(sessionOnly, kind = 'api') {
  const parts = TOKEN_PARTS[kind];
  const input = $(parts.input);
  $(parts.error).hidden = true;
  input.removeAttribute('aria-invalid');
  try {
    const saved = await ipc.saveToken(input.value, sessionOnly, kind === 'api' ? null : kind);
    if (kind === 'api') app.token = saved;
    else app.platformToken = saved;
  } catch (report) {
    if (report.code === 'keychain_unavailable') {
      showKeychainProblem(report, kind);
      announce(report.message);
      $(parts.sessionOnly).focus();
    } else {
      showTokenError(report, kind);
    }
    return;
  }
  input.value = '';
  showKeychainProblem(null, kind);
  renderTokenSummary();
  announce(t(sessionOnly ? TOKEN_WORDS[kind].sessionSaid : TOKEN_WORDS[kind].savedSaid));
  showView('main');
  if (kind === 'api') {
    // Uploads that failed because of the old token start again with the new one.
    retryItems(tokenFailures(list));
    refreshSongs();
  } else {
    app.platformAsked = false;
    // Files that could not be hosted without it go now.
    retryItems(platformTokenFailures(list));
  }
}

async function removeToken(kind = 'api') {
  try {
    const removed = await ipc.removeToken(kind === 'api' ? null : kind);
    if (kind === 'api') app.token = removed;
    else app.platformToken = removed;
  } catch (report) {
    showTokenError(report, kind);
    return;
  }
  renderTokenSummary();
  if (kind === 'api') {
    announce(t(TOKEN_WORDS.api.removedSaid));
    showTokenView();
  } else {
    app.platformAsked = false;
    announce(t(TOKEN_WORDS.platform.removedSaid));
    showPlatformTokenView();
  }
}

// ---------------------------------------------------------------------------------------------
// Settings

function fillSettings(view) {
  app.settings = view;
  const { settings, limits } = view;
  $('base-url').value = view.base_url_from_env ? view.effective_base_url : settings.base_url;
  $('base-url').disabled = view.base_url_from_env;
  if (view.base_url_from_env) setWords($('base-url-hint'), 'settings-base-url-env', { address: settings.base_url });
  else setWords($('base-url-hint'), 'settings-base-url-hint', { address: app.info ? app.info.default_base_url : 'https://api.acedata.cloud' });
  $('concurrency').value = settings.concurrency;
  $('concurrency').min = limits.min_concurrency;
  $('concurrency').max = limits.max_concurrency;
  setWords($('concurrency-hint'), 'settings-concurrency-hint', { min: limits.min_concurrency, max: limits.max_concurrency });
  $('timeout').value = settings.timeout_secs;
  $('timeout').min = limits.min_timeout_secs;
  $('timeout').max = limits.max_timeout_secs;
  setWords($('timeout-hint'), 'settings-timeout-hint', { min: limits.min_timeout_secs, max: limits.max_timeout_secs });
  $('preflight').checked = settings.preflight;
}

// Marks a settings field as wrong on the field itself: aria-invalid, a red border and the
// message under it, read with the field. `message` null clears the mark.
function markField(id, message) {
  const field = $(id);
  const error = $(`${id}-error`);
  error.textContent = message || '';
  error.hidden = !message;
  if (message) {
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', `${id}-error ${id}-hint`);
  } else {
    field.removeAttribute('aria-invalid');
    field.setAttribute('aria-describedby', `${id}-hint`);
  }
}

// Marks the number fields out of range; returns the first of them, or null.
function markSettingsFields() {
  const problems = app.settings ? settingsProblems(settingsFromForm(), app.settings.limits) : {};
  markField('concurrency', problems.concurrency);
  markField('timeout', problems.timeout);
  return ['concurrency', 'timeout'].find((id) => problems[id]) || null;
}

function showSettings() {
  if (app.settings) fillSettings(app.settings);
  for (const id of ['base-url', 'concurrency', 'timeout']) markField(id, null);
  $('settings-error').hidden = true;
  $('settings-saved').hidden = true;
  renderTokenSummary();
  showView('settings');
}

async function saveSettings(values) {
  $('settings-error').hidden = true;
  $('settings-saved').hidden = true;
  markField('base-url', null);
  try {
    fillSettings(await ipc.saveSettings(values));
    refreshSongs();
    for (const id of ['concurrency', 'timeout']) markField(id, null);
  } catch (report) {
    if (report.code === 'invalid_base_url') markField('base-url', report.message);
    // A field marked already says what is wrong, under itself: the message is not said twice.
    const marked = ['base-url', 'concurrency', 'timeout'].some((id) => $(id).getAttribute('aria-invalid'));
    $('settings-error').textContent = report.message;
    $('settings-error').hidden = marked;
    if (!marked) announce(report.message);
    return false;
  }
  setWords($('settings-saved'), 'settings-saved');
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
// The upload list: the queue in Rust owns it; this window asks for changes and draws updates.

// Sends failed or stopped rows to the queue again.
async function retryItems(ids) {
  if (!ids.length) return;
  try {
    await ipc.queueRetry(ids);
  } catch (report) {
    announce(report.message);
    handleFailure(report);
  }
}

// What an error's button does next to the message.
function followUp(action, report) {
  if (action === 'token') showTokenView({ reason: report.message });
  else if (action === 'platform_token') showPlatformTokenView({ reason: report.message });
  else if (action === 'top_up') openSite(app.info.top_up_page);
  else if (action === 'settings') showSettings();
}

async function copyWithNote(text, note, done) {
  try {
    await copyText(text);
    setWords(note, 'copy-done');
    note.hidden = false;
    announce(done);
    clearTimeout(note.timer);
    note.timer = setTimeout(() => { note.hidden = true; }, 4000);
  } catch (report) {
    setWords(note, 'copy-failed', { reason: report.message });
    note.hidden = false;
  }
}

// The first time files are hosted, the window says that a hosted file stays at a link anyone
// who has it can open, until the person acknowledges it (kept in settings).
function showHostingNotice() {
  if (app.settings?.settings.hosting_notice_seen || !$('hosting-notice').hidden) return;
  setWords($('hosting-notice-text'), 'app-hosting-notice');
  $('hosting-notice').hidden = false;
}

async function acknowledgeHostingNotice() {
  $('hosting-notice').hidden = true;
  try {
    await ipc.acknowledgeHostingNotice();
    if (app.settings) app.settings.settings.hosting_notice_seen = true;
  } catch (report) {
    announce(report.message);
  }
}

// Messages from Rust on the window's channel: batch updates, and the question on closing.
function onWindowMessage(message) {
  if (message.kind === 'close_requested') {
    askBeforeClosing(message);
    return;
  }
  if (message.kind !== 'queue') return;
  const changed = onQueueMessage(message);
  if (changed.some((item) => ['hosting', 'hosted'].includes(item.file?.stage))) showHostingNotice();
  const summary = list.summary;
  const few = summary.waiting + summary.uploading <= 3;
  for (const item of changed) {
    if (item.state === 'done' && few) announce(t('row-uploaded-said', { name: shortLink(item.given), audio_id: item.uploaded.audio_id }));
    if (item.state === 'failed' && item.error) {
      if (few) announce(t('row-failed-said', { name: shortLink(item.given), reason: item.error.message }));
      handleFailure(item.error);
    }
  }
  // The history screen shows finished uploads as they finish.
  if (app.view === 'history' && changed.some((item) => ['done', 'failed', 'interrupted'].includes(item.state))) {
    refreshHistorySoon();
  }
}

async function batchCommand(command, message) {
  try {
    await command();
    if (message) announce(message);
  } catch (report) {
    announce(report.message);
  }
}

function askBeforeClosing(message) {
  const words = closeWords(message);
  for (const [id, part] of [['close-title', 'title'], ['close-text', 'text'], ['close-background-help', 'backgroundHelp'],
    ['close-stop-help', 'stopHelp'], ['close-stop', 'stop']]) {
    setWords($(id), ...words[part]);
  }
  $('close-also').hidden = !words.also;
  if (words.also) setWords($('close-also'), ...words.also);
  const dialog = $('close-dialog');
  if (!dialog.open) dialog.showModal();
  $('close-background').focus();
}

async function closeDuringBatch(choice) {
  $('close-dialog').close();
  try {
    await ipc.closeDuringBatch(choice);
  } catch (report) {
    announce(report.message);
  }
}

let tokenScreenShownFor = null;

function handleFailure(report) {
  if (opensTokenScreen(report)) {
    // Several uploads failing for the same reason open the screen once.
    if (app.view !== 'token' || tokenScreenShownFor !== report.code) {
      tokenScreenShownFor = report.code;
      ipc.tokenStatus().then((token) => { app.token = token; }).catch(() => {}).finally(() => {
        showTokenView({ reason: report.message });
      });
    }
  } else if (opensPlatformTokenScreen(report)) {
    // Files dropped without a platform token have asked for it already: once is enough.
    const asked = report.code === 'platform_token_missing' && app.platformAsked;
    if (app.view !== 'platform-token' && !asked) {
      app.platformAsked = true;
      refreshPlatformToken().finally(() => {
        if (app.view !== 'platform-token') showPlatformTokenView({ reason: report.message });
      });
    }
  } else if (report.code === 'keychain_unavailable') {
    if (app.view !== 'token') showTokenView({ keychainProblem: report });
  }
}

// Reads again whether a platform token is kept (the command may have saved one meanwhile).
async function refreshPlatformToken() {
  try {
    app.platformToken = await ipc.tokenStatus('platform');
  } catch {
    // Unknown stays as it was: the screen asks, and saving says what is wrong.
  }
}

// Takes pasted or dropped text and files: links become link rows, then each file a file row,
// in the order given. Rust reads the text (a file dragged from a file manager also comes as a
// file:/// link to itself: that link, which could not be uploaded anyway, is left out).
async function intake(text, files = []) {
  let added = { ids: [], links: 0, refused: 0 };
  if (text && text.trim()) {
    try {
      added = await ipc.queueAddText(text, files.map(({ name }) => name));
    } catch (report) {
      announce(report.message);
      showLinkHint(report.message, true);
      handleFailure(report);
      return [];
    }
  }
  if (!added.ids.length && !files.length) {
    showLinkHint(t('paste-no-link'), true);
    return [];
  }
  showLinkHint(null);
  if (app.view !== 'main') showView('main');
  if (added.ids.length) announce(t('paste-added', { links: added.links, rejected: added.refused }));
  const ids = [...added.ids];
  if (files.length) ids.push(...await addFiles(files));
  return ids;
}

// The files in a drop or a paste, with whether each is a folder (which the page can only learn
// from the drop's entries).
function filesFromTransfer(transfer) {
  if (!transfer) return [];
  const items = [...(transfer.items || [])].filter((item) => item.kind === 'file');
  if (!items.length) return [...(transfer.files || [])].map((file) => ({ file, name: file.name, size: file.size, folder: false }));
  return items.map((item) => {
    let entry = null;
    try {
      entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    } catch {
      // No entry (a drop made by a script): taken as a file.
    }
    const file = item.getAsFile();
    const folder = Boolean(entry && entry.isDirectory);
    return { file, name: file ? file.name : entry?.name, size: file && !folder ? file.size : 0, folder };
  }).filter(({ name }) => name);
}

// ---------------------------------------------------------------------------------------------
// Files from this computer: the queue in Rust takes them; the page hands over their bytes, a
// chunk at a time, two files at a time at most, so a large file is never held whole in the page
// and the window never waits for it.

// The largest piece Rust takes (app_info's max_piece_bytes); 1 MiB until it has said.
const pieceBytes = () => app.info?.max_piece_bytes || 1024 * 1024;
const FILES_AT_ONCE = 2;
const outgoing = {
  waiting: [], // { id, file } whose bytes are to be handed over, in drop order
  active: 0, // files being handed over now
};

// Lists dropped or pasted files in the queue and starts handing over their bytes.
async function addFiles(entries) {
  let ids;
  try {
    ids = await ipc.queueAddFiles(entries.map(({ name, size, folder }) => ({ name, size, folder })));
  } catch (report) {
    announce(report.message);
    showLinkHint(report.message, true);
    handleFailure(report);
    return [];
  }
  ids.forEach((id, index) => {
    const { file, folder } = entries[index];
    if (file && !folder) outgoing.waiting.push({ id, file });
  });
  pumpSending();
  announce(t('paste-files-added', { count: ids.length }));
  if (entries.some(({ folder }) => !folder)) askForPlatformToken();
  return ids;
}

// The system's file dialog, opened by Rust: what is chosen is queued there.
async function chooseFiles() {
  let ids;
  try {
    ids = await ipc.queueChooseFiles();
  } catch (report) {
    announce(report.message);
    handleFailure(report);
    return;
  }
  if (!ids.length) return;
  announce(t('paste-files-added', { count: ids.length }));
  askForPlatformToken();
}

// Files need the platform token: without one, its screen asks for it at once (the files go on
// meanwhile as far as they can, and the rows that needed it start again once it is saved).
function askForPlatformToken() {
  if (app.platformToken && app.platformToken.has_token) return;
  showPlatformTokenView();
}

function pumpSending() {
  while (outgoing.active < FILES_AT_ONCE && outgoing.waiting.length) {
    const { id, file } = outgoing.waiting.shift();
    outgoing.active += 1;
    sendFile(id, file).finally(() => {
      outgoing.active -= 1;
      pumpSending();
    });
  }
}

// Hands one file's bytes to the app in order until it has all of them or says to stop (the row
// then says why). A row stopped, refused or removed meanwhile gets nothing more.
async function sendFile(id, file) {
  let offset = 0;
  do {
    const item = list.items.get(id);
    if (list.gone.has(id) || (item && !wantsBytes(item))) return;
    let bytes;
    try {
      bytes = new Uint8Array(await file.slice(offset, offset + pieceBytes()).arrayBuffer());
      if (!bytes.length && offset < file.size) throw new Error('the file is shorter than it was');
    } catch {
      // Moved, deleted or changed since it was dropped.
      await ipc.queueFileUnreadable(id).catch((report) => announce(report.message));
      return;
    }
    let goOn;
    try {
      goOn = await sendFileChunk(id, offset, bytes);
    } catch (report) {
      // The app did not take the piece: the row is stopped rather than left waiting for more.
      announce(report.message);
      await ipc.queueStop([id]).catch(() => {});
      return;
    }
    if (!goOn) return;
    offset += bytes.length;
  } while (offset < file.size);
}

// A done row's "Upload the file again": its earlier hosted link was reused; the file goes to the
// file host again as a new row, under a link of its own.
async function hostFileAgain(id) {
  try {
    const added = await hostAgain([id]);
    announce(t(added.length ? 'row-host-again-said' : 'row-host-again-gone'));
  } catch (report) {
    announce(report.message);
  }
}

// The row's Cancel: stops the file's transfer to the app or to the host.
async function stopFile(id) {
  try {
    if (await ipc.queueStop([id])) announce(t('row-stopped-said'));
  } catch (report) {
    announce(report.message);
  }
}

function showLinkHint(message, isError = false) {
  const hint = $('link-hint');
  if (message) setText(hint, message);
  else setWords(hint, 'paste-hint');
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

function copyAllIds(format) {
  const ids = doneAudioIds(list);
  if (!ids.length) return;
  const status = $('copy-all-done');
  const text = format ? doneTable(list, format) : ids.join('\n');
  copyText(text).then(() => {
    setWords(status, 'list-copied-ids', { count: ids.length, how: format || 'lines' });
    status.hidden = false;
    clearTimeout(status.timer);
    status.timer = setTimeout(() => { status.hidden = true; }, 5000);
  }).catch((report) => {
    setWords(status, 'copy-failed', { reason: report.message });
    status.hidden = false;
  });
}

// Takes the finished rows out of the queue; the queue's update redraws the list. The list then
// says where they are, with Undo. A long list cleared with nothing running starts the page
// afresh first, which gives back the memory its rows left in the page's engine; the rows and
// their Undo are kept in Rust, and the note, the focus on its Undo and the typed link come back
// with the new page.
async function clearList() {
  const inHistory = clearedToHistory(list);
  let removed;
  try {
    removed = await ipc.queueClear();
  } catch (report) {
    announce(report.message);
    return;
  }
  const left = list.summary.waiting + list.summary.uploading;
  if (startAfreshAfterClear(removed, left > 0 || windowBusy())) {
    try {
      if (await ipc.pageStartAfresh({ cleared: inHistory, typed: $('link-input').value })) return;
    } catch {
      // Not started afresh: the note is shown here.
    }
  }
  showCleared(inHistory, left);
}

// Whether starting the page afresh would cut something short: a file's bytes being handed over, a song being
// saved, the player in use.
function windowBusy() {
  return outgoing.waiting.length > 0 || outgoing.active > 0 || songsBusy() || !$('player-bar').hidden;
}

// The note after Clear list: where the `inHistory` cleared uploads are, with Undo (focused).
function showCleared(inHistory, left) {
  setWords($('cleared-text'), ...clearedWords(inHistory));
  $('cleared-bar').hidden = false;
  scheduleDraw();
  announce(t('list-cleared-said', { running: left ? 'yes' : 'no', cleared: clearedText(inHistory) }));
  $('cleared-undo').focus();
}

// Puts the cleared rows back.
async function undoClear() {
  $('cleared-bar').hidden = true;
  scheduleDraw();
  try {
    const count = await ipc.queueUndoClear();
    announce(t(count ? 'list-rows-back' : 'list-nothing-back'));
  } catch (report) {
    announce(report.message);
  }
  $('link-input').focus();
}

// On start: uploads stopped before they finished (Stop, or the app closed or crashed) wait in
// History; the list names them, with Retry them.
async function showStoppedUploads() {
  let count = 0;
  try {
    count = await ipc.historyStopped();
  } catch {
    return;
  }
  if (count) setWords($('stopped-text'), ...stoppedWords(count));
  else setText($('stopped-text'), '');
  $('stopped-bar').hidden = !count;
}

async function retryStopped() {
  $('stopped-bar').hidden = true;
  try {
    const { ids, not_sent: notSent } = await ipc.historyRetryStopped();
    announce(t('list-retrying-stopped', { count: ids.length }));
    // Those that could not go (a file whose copy is gone) stay named, with why, until the list
    // changes: they keep their own Retry in History.
    if (notSent.length) {
      setWords($('stopped-text'), 'list-stopped-not-sent', { count: notSent.length, reason: notSent[0].message });
      $('stopped-retry').hidden = true;
      $('stopped-bar').hidden = false;
    }
  } catch (report) {
    announce(report.message);
    handleFailure(report);
  }
  $('link-input').focus();
}

// ---------------------------------------------------------------------------------------------
// Preview player

// The player's <audio> element, made on the first preview: a media element in the page, even a
// hidden one, holds back the window's first paint by 100 to 150 ms (see "Start time" in
// README.md). It shows no controls of its own: player.js draws them like the rest of the window.
function audioPlayer() {
  let player = $('player');
  if (player) return player;
  player = el('audio', {
    id: 'player', preload: 'none', onplay: syncPlayButton, onpause: syncPlayButton, onended: syncPlayButton,
  });
  $('player-title').after(player, ...playerControls(player));
  return player;
}

function playerPaused() {
  return $('player')?.paused ?? true;
}

function togglePreview(id) {
  const player = audioPlayer();
  const current = playingItem();
  if (current && current.id === id) {
    if (player.paused) player.play().catch(() => {});
    else player.pause();
    return;
  }
  const item = list.items.get(id);
  if (!item || !item.audio_url) return;
  forgetHistoryPreview();
  $('rows').after($('player-bar'));
  player.src = previewSource(item.audio_url);
  $('player-title').textContent = shortLink(item.given);
  $('player-title').title = item.given;
  $('player-bar').hidden = false;
  setPlaying(id);
  player.play().catch(() => {
    announce(t('player-cannot'));
  });
}

function stopPreview() {
  const player = $('player');
  if (player) {
    player.pause();
    player.removeAttribute('src');
    player.load();
  }
  $('player-bar').hidden = true;
  setPlaying(null);
  forgetHistoryPreview();
  drawHistoryPlayButtons();
}

function syncPlayButton() {
  drawHistoryPlayButtons();
  const item = playingItem();
  const li = item && $('rows').querySelector(`li[data-id="${item.id}"]`);
  if (!li) return;
  const button = li.querySelector('.play');
  const paused = playerPaused();
  button.setAttribute('aria-label', paused ? t('row-play') : t('row-pause'));
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
    // Read now: the drop's data is gone once this handler returns.
    const files = filesFromTransfer(event.dataTransfer);
    intake(textFromTransfer(event.dataTransfer), files);
  });

  // Ctrl/Cmd+V outside a text field: let the paste land in a hidden field, then take it.
  document.addEventListener('keydown', (event) => {
    const isPaste = (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'v';
    if (isPaste && app.view === 'main' && !isTextField(document.activeElement)) {
      returnFocus = document.activeElement;
      $('paste-catcher').value = '';
      $('paste-catcher').focus();
      // Nothing to paste: no paste event comes, and focus must not stay on the hidden box.
      setTimeout(restoreFocusAfterPaste, 400);
    }
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f') {
      event.preventDefault();
      if (app.view === 'history') $('history-search').focus();
      else if (app.token?.has_token) showHistory();
    }
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key === ',') {
      event.preventDefault();
      if (app.view !== 'settings') showSettings();
    }
    if (event.key === 'Escape') leaveOnEscape(event);
  });
  document.addEventListener('paste', (event) => {
    const target = event.target;
    if (isTextField(target) || app.view !== 'main') return;
    event.preventDefault();
    const files = filesFromTransfer(event.clipboardData);
    intake(textFromTransfer(event.clipboardData), files);
    restoreFocusAfterPaste();
  });
  $('paste-catcher').addEventListener('blur', () => { $('paste-catcher').value = ''; });

  $('link-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $('link-input');
    if (!input.value.trim()) {
      showLinkHint(t('paste-empty'), true);
      input.focus();
      return;
    }
    const added = await intake(input.value);
    if (added.length) input.value = '';
  });
  $('link-input').addEventListener('input', () => showLinkHint(null));
  $('choose-files').addEventListener('click', chooseFiles);
}

// Esc goes back one step: an open dialog closes (the browser does that) and nothing else; a
// search being typed is cleared first; only then does a screen go back to the uploads.
function leaveOnEscape(event) {
  if (event.defaultPrevented || document.querySelector('dialog[open]')) return;
  const search = $('history-search');
  if (event.target === search && search.value) {
    event.preventDefault();
    clearHistorySearch();
    return;
  }
  if (app.view !== 'main' && (app.token?.has_token || list.items.size)) showView('main');
}

// After a restart the list is empty but the history is not: say where the earlier uploads are,
// never that nothing was uploaded.
async function showEarlierUploads() {
  try {
    const page = await ipc.historyPage({}, 0, 1);
    if (!page.total) return;
    $('empty-new').hidden = true;
    setWords($('empty-earlier-text'), 'list-earlier', { count: page.total });
    $('empty-earlier').hidden = false;
  } catch {
    // Without a history there is nothing earlier to point to.
  }
}

// Takes one finished row out of the list (the history keeps it); focus goes to the link field.
async function removeRow(id) {
  try {
    if (await ipc.queueRemove([id])) announce(t('list-removed'));
  } catch (report) {
    announce(report.message);
  }
  $('link-input').focus();
}

// Where focus was when Ctrl+V moved it to the paste box.
let returnFocus = null;

// Gives focus back to where it was before Ctrl+V (never leaving it on the hidden paste box).
function restoreFocusAfterPaste() {
  if (document.activeElement !== $('paste-catcher')) return;
  const back = returnFocus && document.contains(returnFocus) && returnFocus !== document.body ? returnFocus : null;
  returnFocus = null;
  if (back) back.focus();
  else $('paste-catcher').blur();
}

// Focus goes to `id` once the batch bar shows it (Pause becomes Resume and back), or to the link
// field when the batch has ended meanwhile: never lost to the page.
function focusWhenShown(id, tries = 30) {
  const target = $(id);
  if (target && !target.hidden && !$('batch').hidden) target.focus();
  else if (tries > 0) requestAnimationFrame(() => focusWhenShown(id, tries - 1));
  else if (app.view === 'main') $('link-input').focus();
}

function wireButtons() {
  $('settings-button').addEventListener('click', () => (app.view === 'settings' && (app.token?.has_token || list.items.size)
    ? showView('main') : showSettings()));
  $('copy-all').addEventListener('click', () => copyAllIds());
  $('copy-table').addEventListener('click', () => copyAllIds('tsv'));
  $('copy-csv').addEventListener('click', () => copyAllIds('csv'));
  $('clear-list').addEventListener('click', clearList);
  $('cleared-undo').addEventListener('click', undoClear);
  $('cleared-history').addEventListener('click', showHistory);
  $('stopped-retry').addEventListener('click', retryStopped);
  $('batch-pause').addEventListener('click', async () => {
    await batchCommand(ipc.queuePause, t('list-paused'));
    focusWhenShown('batch-resume');
  });
  $('batch-resume').addEventListener('click', async () => {
    await batchCommand(ipc.queueResume, t('list-resumed'));
    focusWhenShown('batch-pause');
  });
  $('batch-cancel').addEventListener('click', () => batchCommand(ipc.queueCancel, t('list-cancelled')));
  $('batch-retry').addEventListener('click', () => batchCommand(() => ipc.queueRetry(), t('list-retrying')));
  $('close-background').addEventListener('click', () => closeDuringBatch('finish_in_background'));
  $('close-stop').addEventListener('click', () => closeDuringBatch('stop'));
  $('close-stay').addEventListener('click', () => $('close-dialog').close());
  // Esc or "Keep window open": focus comes back to the window, not to nowhere.
  // (After the dialog's own focus restore, which fails when that control has gone meanwhile.)
  $('close-dialog').addEventListener('close', () => setTimeout(() => {
    const active = document.activeElement;
    const lost = !active || active === document.body || $('close-dialog').contains(active)
      || !active.getClientRects().length;
    if (lost && app.view === 'main') $('link-input').focus();
  }, 50));
  $('player-close').addEventListener('click', stopPreview);

  $('token-form').addEventListener('submit', (event) => { event.preventDefault(); saveToken(false); });
  $('session-only').addEventListener('click', () => saveToken(true));
  $('remove-token').addEventListener('click', () => removeToken('api'));
  $('token-back').addEventListener('click', () => showView('main'));
  $('platform-token-form').addEventListener('submit', (event) => { event.preventDefault(); saveToken(false, 'platform'); });
  $('platform-session-only').addEventListener('click', () => saveToken(true, 'platform'));
  $('remove-platform-token').addEventListener('click', () => removeToken('platform'));
  $('platform-token-back').addEventListener('click', () => showView('main'));
  const pages = { 'token-page-link': 'token_page', 'top-up-link': 'top_up_page', 'platform-token-page-link': 'platform_token_page' };
  for (const [id, page] of Object.entries(pages)) {
    $(id).addEventListener('click', (event) => {
      event.preventDefault();
      openSite(app.info?.[page] || $(id).href);
    });
  }

  $('hosting-notice-ok').addEventListener('click', acknowledgeHostingNotice);
  $('change-token').addEventListener('click', () => showTokenView());
  $('change-platform-token').addEventListener('click', () => showPlatformTokenView());
  for (const id of ['concurrency', 'timeout']) {
    // A mark goes as soon as the field is right again; a new one waits for Save.
    $(id).addEventListener('input', () => {
      const problems = app.settings ? settingsProblems(settingsFromForm(), app.settings.limits) : {};
      if ($(id).getAttribute('aria-invalid') && !problems[id]) markField(id, null);
    });
  }
  $('base-url').addEventListener('input', () => markField('base-url', null));
  $('settings-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    // Rust has the last word; a field out of range is marked on itself and gets the focus.
    const wrong = markSettingsFields();
    if (await saveSettings(settingsFromForm())) announce(t('settings-saved'));
    else if (wrong) $(wrong).focus();
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
  try {
    await loadWords();
  } catch (report) {
    announce(report.message);
  }
  // Text drawn from code is drawn again in the new language.
  onLanguageChange(() => {
    renderTokenSummary();
    // A settings field marked wrong says so in the new language.
    const problems = app.settings ? settingsProblems(settingsFromForm(), app.settings.limits) : {};
    for (const id of ['concurrency', 'timeout']) if ($(id).getAttribute('aria-invalid')) markField(id, problems[id]);
    redrawAll();
    redrawHistory();
  });
  for (const element of document.querySelectorAll('[data-icon]')) drawIcon(element, element.dataset.icon);
  wireInput();
  wireButtons();
  wireHistory({ showView, handleFailure, audioPlayer, playerPaused });
  $('history-button').addEventListener('click', () => (app.view === 'history' && (app.token?.has_token || list.items.size)
    ? showView('main') : showHistory()));
  $('empty-history').addEventListener('click', showHistory);
  initUploads({
    retry: retryItems, followUp, copy: copyWithNote, togglePreview, stopPreview, remove: removeRow, stop: stopFile,
    hostAgain: hostFileAgain,
  });
  scheduleDraw();
  // Started afresh after a long list was cleared (nothing was running): the uploads view at
  // once, with the note and its Undo focused, and the link that was typed.
  const kept = await ipc.pageTakeNote().catch(() => null);
  if (kept) {
    showView('main', $('cleared-undo'));
    if (kept.typed) $('link-input').value = kept.typed;
    showCleared(kept.cleared, 0);
  }
  try {
    app.info = await ipc.appInfo();
    await previewBase();
    $('token-page-link').href = app.info.token_page;
    $('top-up-link').href = app.info.top_up_page;
    if (app.info.platform_token_page) $('platform-token-page-link').href = app.info.platform_token_page;
    setWords($('app-version'), 'main-version', { version: app.info.version });
    fillSettings(await ipc.getSettings());
    onSnapshot(await subscribe(onWindowMessage));
    app.token = await ipc.tokenStatus();
  } catch (report) {
    app.token = { has_token: false, keychain_problem: null };
    announce(report.message);
  }
  await refreshPlatformToken();
  renderTokenSummary();
  await showEarlierUploads();
  await showStoppedUploads();
  // Songs are listed, and running ones followed again, without holding the window back.
  initSongs(() => showView('songs'), followUp);
  if (app.token.has_token) showView('main', kept ? $('cleared-undo') : undefined);
  else showTokenView({ keychainProblem: app.token.keychain_problem });
  document.body.dataset.readyAt = String(Math.round(performance.now()));
  document.body.dataset.ready = 'true';
}

start();
