// History: the uploads kept on this computer, in pages fetched from Rust as they scroll into
// view (only the visible rows are drawn), with search, filters, a record's details, Retry,
// Delete and Undo, export, and each row's preview in the window's player.

import { $, announce, drawIcon, el, icon } from './dom.js';
import { formatWhen, monthNames, shortDay, shortLink } from './format.js';
import {
  copyText, historyDelete, historyExport, historyPage, historyRetry, historyUndo, openLink, previewSource,
} from './ipc.js';
import { songButtons } from './songs.js';
import { setPlaying } from './uploads.js';
import { setText, setWords, t } from './words.js';

// The fixed height of a row in px, taller in a narrow window (--history-row in styles.css).
function historyRowHeight() {
  return parseFloat(getComputedStyle($('history-scroller')).getPropertyValue('--history-row')) || 88;
}
const HISTORY_PAGE = 200;

const history = {
  text: '',
  failedOnly: false,
  hostedOnly: false,
  total: 0,
  pages: new Map(), // page number -> records, or 'loading'
  generation: 0,
  timer: 0,
  frame: 0,
  playing: null, // id of the record in the preview player
  details: null, // the record in the details dialog
  refresh: 0, // the timer of refreshHistorySoon
};

// What History needs from the window around it (app.js): showView(view), handleFailure(report)
// (a failure that may call for the token screen), and the preview player: audioPlayer() makes
// or finds its <audio>, playerPaused() says whether it is paused.
let hooks = null;

// Opens History with its first page fetched again.
export function showHistory() {
  hooks.showView('history');
  reloadHistory();
}

export function reloadHistory() {
  history.generation += 1;
  history.pages.clear();
  loadHistoryPage(0);
}

// What History shows, for its list and its export alike.
function historyFilter() {
  return {
    text: history.text,
    failedOnly: history.failedOnly,
    hostedOnly: history.hostedOnly,
    // Dates are searched as the list shows them: this time zone, this language's months.
    utcOffsetMinutes: -new Date().getTimezoneOffset(),
    monthNames: monthNames(),
  };
}

async function loadHistoryPage(page) {
  if (history.pages.has(page)) return;
  history.pages.set(page, 'loading');
  const generation = history.generation;
  try {
    const result = await historyPage(historyFilter(), page * HISTORY_PAGE, HISTORY_PAGE);
    if (generation !== history.generation) return;
    history.total = result.total;
    history.pages.set(page, result.records);
    $('history-error').hidden = true;
  } catch (report) {
    if (generation !== history.generation) return;
    history.pages.delete(page);
    setText($('history-error'), report.message);
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

// The history's states in the window's words: an interrupted upload is a stopped one.
const RECORD_STATE = { done: 'hist-done', failed: 'hist-failed', interrupted: 'hist-stopped', pending: 'hist-uploading', queued: 'hist-waiting' };

function recordState(record) {
  return RECORD_STATE[record.state] ? t(RECORD_STATE[record.state]) : record.state;
}

function historyRow(record, index) {
  const nameId = `history-${record.id}-name`;
  const meta = el('p', { class: 'meta' },
    el('span', { class: 'state', text: recordState(record) }),
    el('span', { text: ` · ${formatWhen(record.created_at)}` }));
  // A link sent all the same though the link check found it was not audio: Details says why.
  if (record.warning) meta.append(el('span', { class: 'warning', text: ` · ${t('hist-worth-a-look')}` }));
  const detail = el('p', { class: 'detail' });
  // Hosted files only: each with the link anyone who has it can open.
  if (history.hostedOnly && record.file) detail.append(el('span', { text: `${t('hist-hosted-at')} ` }), el('code', { class: 'hosted-link', text: record.file.file_url }));
  else if (record.audio_id) detail.append(el('span', { text: `${t('hist-audio-id')} ` }), el('code', { class: 'audio-id', text: record.audio_id }));
  else if (record.error) detail.append(el('span', { class: 'reason', text: record.error.message }));
  else detail.append(el('span', { text: record.given_url }));
  const playing = history.playing === record.id && !hooks.playerPaused();
  const play = el('button', {
    type: 'button', class: 'play ghost', 'aria-label': playing ? t('row-pause') : t('row-play'), 'aria-describedby': nameId,
    onclick: () => previewRecord(record),
  }, icon(playing ? 'pause' : 'play'));
  const buttons = el('div', { class: 'buttons' });
  if (record.audio_id) {
    buttons.append(el('button', {
      type: 'button', class: 'small', l10n: 'hist-copy-id', 'aria-describedby': nameId,
      onclick: async () => {
        try {
          await copyText(record.audio_id);
          announce(t('copy-audio-id-said'));
        } catch (report) {
          announce(t('copy-failed', { reason: report.message }));
        }
      },
    }, icon('copy'), el('span', { class: 'button-text', 'data-l10n-text': true })));
    buttons.append(...songButtons(record.audio_id, record.file_name || shortLink(record.given_url), nameId, record.audio_url));
  }
  if (record.state === 'failed' || record.state === 'interrupted') {
    buttons.append(el('button', {
      type: 'button', class: 'small primary', l10n: 'hist-retry', 'aria-describedby': nameId,
      onclick: () => retryRecord(record),
    }, el('span', { 'data-l10n-text': true })));
  }
  buttons.append(el('button', {
    type: 'button', class: 'small', l10n: 'hist-details', 'aria-describedby': nameId,
    onclick: () => showRecordDetails(record),
  }, el('span', { 'data-l10n-text': true })));
  if (record.state !== 'pending' && record.state !== 'queued') {
    buttons.append(el('button', {
      type: 'button', class: 'small ghost danger', l10n: 'hist-delete', 'aria-describedby': nameId,
      onclick: () => deleteRecord(record),
    }, icon('close'), el('span', { class: 'button-text', 'data-l10n-text': true })));
  }
  return el('li', {
    class: 'history-row', 'data-state': record.state, 'data-id': record.id,
    'aria-setsize': history.total, 'aria-posinset': index + 1,
  }, play, el('p', { class: 'name', id: nameId, title: record.given_url, text: record.file_name || shortLink(record.given_url) }),
  meta, detail, buttons);
}

// The whole record, wrapped to the window's width: the full link, audio ID and failure reason,
// with Open link.
function showRecordDetails(record) {
  history.details = record;
  $('record-title').textContent = record.file_name || shortLink(record.given_url);
  drawRecordFacts(record);
  $('record-dialog').showModal();
  $('record-close').focus();
}

function drawRecordFacts(record) {
  const facts = [
    ['record-state', recordState(record)],
    ['record-when', formatWhen(record.created_at)],
    ['record-link', record.given_url],
  ];
  if (record.file) facts.push(['record-hosted-link', record.file.file_url]);
  if (record.audio_id) facts.push(['record-audio-id', record.audio_id]);
  if (record.warning) facts.push(['record-warning', record.warning]);
  if (record.error) {
    facts.push(['record-reason', record.error.message]);
    if (record.error.trace_id) facts.push(['record-trace-id', record.error.trace_id]);
  }
  $('record-facts').replaceChildren(...facts.flatMap(([term, value]) => [
    el('dt', { l10n: term }), el('dd', { text: value }),
  ]));
}

function openRecordLink() {
  const record = history.details;
  if (!record) return;
  openLink(record.file?.file_url || record.given_url)
    .then(() => announce(t('record-opening')))
    .catch((report) => announce(report.message));
}

// Back on the Details button of the same row, or on the search field when it has scrolled away.
function afterRecordDetails() {
  const record = history.details;
  history.details = null;
  const again = record && $('history-rows').querySelector(`li[data-id="${record.id}"] button[data-l10n-id="hist-details"]`);
  (again || $('history-search')).focus();
}

// Each history row's play button says whether its link is the one playing.
export function drawHistoryPlayButtons() {
  const paused = hooks.playerPaused();
  for (const button of $('history-rows').querySelectorAll('button.play')) {
    const playing = !paused && button.closest('li').dataset.id === String(history.playing);
    const label = playing ? t('row-pause') : t('row-play');
    if (button.getAttribute('aria-label') === label) continue;
    button.setAttribute('aria-label', label);
    drawIcon(button.querySelector('.icon'), playing ? 'pause' : 'play');
  }
}

function previewRecord(record) {
  const player = hooks.audioPlayer();
  if (history.playing === record.id) {
    if (player.paused) player.play().catch(() => {});
    else player.pause();
    return;
  }
  setPlaying(null);
  history.playing = record.id;
  $('history-view').append($('player-bar'));
  player.src = previewSource(record.audio_url);
  $('player-title').textContent = record.file_name || shortLink(record.given_url);
  $('player-title').title = record.given_url;
  $('player-bar').hidden = false;
  player.play().catch(() => {
    announce(t('player-cannot'));
  });
}

function drawHistory() {
  const scroller = $('history-scroller');
  const total = history.total;
  const HISTORY_ROW = historyRowHeight();
  $('history-spacer').style.height = `${total * HISTORY_ROW}px`;
  const first = Math.max(0, Math.floor(scroller.scrollTop / HISTORY_ROW) - 5);
  const last = Math.min(total, Math.ceil((scroller.scrollTop + scroller.clientHeight) / HISTORY_ROW) + 5);
  const list = $('history-rows');
  list.style.transform = `translateY(${first * HISTORY_ROW}px)`;
  // Keep focus on the same control when the rows are redrawn.
  const focused = document.activeElement;
  // The focused button by its message, or by its label (a play button says what it does).
  const focusKey = list.contains(focused) ? [focused.closest('li')?.dataset.id, focused.dataset.l10nId
    ? `[data-l10n-id="${focused.dataset.l10nId}"]` : `[aria-label="${focused.getAttribute('aria-label')}"]`] : null;
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
      rows.push(el('li', { class: 'history-row loading', l10n: 'hist-loading' }));
    }
  }
  const same = rows.length === list.children.length && rows.every((row, index) => list.children[index] === row);
  if (!same) list.replaceChildren(...rows);
  if (focusKey) {
    const again = list.querySelector(`li[data-id="${focusKey[0]}"] button${focusKey[1]}`);
    if (again) again.focus();
  }
  const searching = history.text.trim() !== '' || history.failedOnly || history.hostedOnly;
  setWords($('history-count'), searching ? 'hist-matches' : 'hist-count', { count: total });
  $('history-empty').hidden = total > 0 || searching || history.pages.get(0) === 'loading';
  $('export-csv').disabled = total === 0;
  $('export-json').disabled = total === 0;
}

async function deleteRecord(record) {
  try {
    const count = await historyDelete([record.id]);
    if (count) {
      if (record.file_name) setWords($('undo-text'), 'hist-deleted', { name: record.file_name });
      else setWords($('undo-text'), 'hist-deleted-upload');
      $('undo-bar').hidden = false;
      announce(t('hist-deleted-said'));
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
    const count = await historyUndo();
    announce(t(count ? 'hist-put-back' : 'list-nothing-back'));
  } catch (report) {
    announce(report.message);
  }
  reloadHistory();
  $('history-search').focus();
}

async function retryRecord(record) {
  try {
    await historyRetry(record.id);
    announce(t('hist-retrying', { name: record.file_name || shortLink(record.given_url) }));
  } catch (report) {
    announce(report.message);
    hooks.handleFailure(report);
  }
  reloadHistory();
}

// Empties the search field and shows every upload again; the focus stays in the field.
export function clearHistorySearch() {
  clearTimeout(history.timer);
  $('history-search').value = '';
  if (history.text) {
    history.text = '';
    $('history-scroller').scrollTop = 0;
    reloadHistory();
  }
  announce(t('hist-search-cleared'));
}

async function exportHistory(format) {
  const label = format === 'csv' ? 'CSV' : 'JSON';
  try {
    const done = await historyExport(format, historyFilter());
    if (done) announce(t('hist-exported', { count: done.count, format: label, path: done.path }));
  } catch (report) {
    setText($('history-error'), report.message);
    $('history-error').hidden = false;
    announce(report.message);
  }
}

// The search field's hint, with today's date written as the list writes it.
function drawSearchHint() {
  setWords($('history-search-hint'), 'hist-search-hint', { example: shortDay(new Date()) });
}

// History's page in a new language: the hint, the rows (dates, states) and an open record;
// records' messages are Rust's words, so the pages fetched are fetched again, in the new language.
export function redrawHistory() {
  drawSearchHint();
  $('history-rows').replaceChildren();
  drawHistory();
  if (history.details) drawRecordFacts(history.details);
  if (history.pages.size) reloadHistory();
}

// Finished uploads appear in History shortly after they finish (several at once fetch once).
export function refreshHistorySoon() {
  clearTimeout(history.refresh);
  history.refresh = setTimeout(reloadHistory, 400);
}

// The preview player now plays something else, or nothing: no History row is playing.
export function forgetHistoryPreview() {
  history.playing = null;
}

// Wires History's controls; `windowHooks`: see `hooks` above.
export function wireHistory(windowHooks) {
  hooks = windowHooks;
  drawSearchHint();
  $('history-scroller').addEventListener('scroll', scheduleHistoryDraw, { passive: true });
  window.addEventListener('resize', () => { if (!$('history-view').hidden) scheduleHistoryDraw(); });
  $('history-failed-only').addEventListener('change', () => {
    history.failedOnly = $('history-failed-only').checked;
    $('history-scroller').scrollTop = 0;
    reloadHistory();
  });
  $('history-hosted-only').addEventListener('change', () => {
    history.hostedOnly = $('history-hosted-only').checked;
    $('history-scroller').scrollTop = 0;
    reloadHistory();
  });
  $('history-search').addEventListener('search', () => {
    if (!$('history-search').value && history.text) clearHistorySearch();
  });
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
  $('record-open').addEventListener('click', openRecordLink);
  $('record-close').addEventListener('click', () => $('record-dialog').close());
  $('record-dialog').addEventListener('close', () => setTimeout(afterRecordDetails, 0));
}
