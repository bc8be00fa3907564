// The upload list and the batch bar, drawn from the list store (store.js). Only the rows in
// view (and a screenful around them) are in the page, so a list of 1,000 costs little more than
// an empty one.

import { $, el, icon, announce } from './dom.js';
import { behaviourOf } from './errors.js';
import { shortLink, statusText } from './format.js';
import { failureGroups, groupText } from './groups.js';
import { songButtons } from './songs.js';
import {
  applySnapshot, applyUpdate, batchProgress, createList, fileNote, idsNewestFirst, listActions, rowActions, rowStatus,
} from './store.js';
import { setText, t } from './words.js';

// Heights before a row has been measured, by status (px, the gap below included).
const ESTIMATE = { done: 84, failed: 150, rejected: 120, interrupted: 96, held: 150 };
const ESTIMATE_OTHER = 78;
// How far beyond the window rows are drawn, in px.
const OVERSCAN = 600;

export const list = createList();

const view = {
  grouped: new Set(), // reasons (code and message) shared by several failed rows, told once above
  groupsDrawn: '', // what the failure groups' lines were drawn for
  actions: null, // what rows call back: retry, followUp, copy, togglePreview
  playing: null, // id of the row in the preview player
  heights: new Map(), // id -> { revision, height }
  waits: new Map(), // id -> { revision, until } for a row counting down
  frame: 0,
  wasIdle: true,
};

export function initUploads(actions) {
  view.actions = actions;
  window.addEventListener('scroll', scheduleDraw, { passive: true });
  window.addEventListener('resize', scheduleDraw);
  // Rows waiting count down, once a second.
  setInterval(() => {
    for (const li of $('rows').children) {
      const wait = view.waits.get(Number(li.dataset.id));
      const text = li.querySelector('.state-text');
      if (wait && text) text.textContent = statusText(rowStatus(list.items.get(Number(li.dataset.id))), secondsLeft(wait))[1];
    }
  }, 500);
}

function secondsLeft(wait) {
  return Math.max(0, Math.ceil((wait.until - Date.now()) / 1000));
}

// Applies a message from the queue; returns the items that changed, for the caller to react to
// (announcements, the token screen).
export function onQueueMessage(message) {
  const result = applyUpdate(list, message);
  afterChange(result);
  return result.changed.map((id) => list.items.get(id));
}

export function onSnapshot(snapshot) {
  afterChange(applySnapshot(list, snapshot));
}

function afterChange({ changed, removed }) {
  for (const id of removed) {
    view.heights.delete(id);
    view.waits.delete(id);
  }
  for (const id of changed) {
    const item = list.items.get(id);
    const status = rowStatus(item);
    const wait = view.waits.get(id);
    // A countdown starts when a wait is first seen, and again when the wait changes.
    if (status.kind !== 'waiting') view.waits.delete(id);
    else if (!wait || wait.seconds !== status.seconds) {
      view.waits.set(id, { seconds: status.seconds, until: Date.now() + status.seconds * 1000 });
    }
  }
  if (removed.length && view.playing !== null && !list.items.has(view.playing)) view.actions.stopPreview();
  scheduleDraw();
}

export function setPlaying(id) {
  const before = view.playing;
  view.playing = id;
  if (before !== null) redrawRow(before);
  if (id !== null) redrawRow(id);
}

export function playingItem() {
  return view.playing === null ? null : list.items.get(view.playing) || null;
}

function redrawRow(id) {
  const li = $('rows').querySelector(`li[data-id="${id}"]`);
  if (li) li.dataset.stale = 'true';
  scheduleDraw();
}

export function scheduleDraw() {
  if (!view.frame) view.frame = requestAnimationFrame(draw);
}

// Draws every row and the failure groups again (in a new language).
export function redrawAll() {
  for (const li of $('rows').children) li.dataset.stale = 'true';
  view.groupsDrawn = '';
  scheduleDraw();
}

function heightOf(id) {
  const item = list.items.get(id);
  const known = view.heights.get(id);
  if (known && known.revision === item.revision) return known.height;
  return ESTIMATE[item.state] || ESTIMATE_OTHER;
}

function draw() {
  view.frame = 0;
  const rowsElement = $('rows');
  const ids = idsNewestFirst(list);
  drawCounts();
  drawBatch();
  drawGroups();
  if (rowsElement.offsetParent === null && ids.length) return; // not shown: drawn when it is
  const tops = new Array(ids.length + 1);
  tops[0] = 0;
  for (let i = 0; i < ids.length; i += 1) tops[i + 1] = tops[i] + heightOf(ids[i]);
  const listTop = rowsElement.getBoundingClientRect().top + window.scrollY;
  const from = window.scrollY - listTop - OVERSCAN;
  const to = window.scrollY + window.innerHeight - listTop + OVERSCAN;
  let first = 0;
  while (first < ids.length && tops[first + 1] < from) first += 1;
  let last = first;
  while (last < ids.length && tops[last] < to) last += 1;

  // Rows still in view and unchanged are kept; others are made.
  const kept = new Map();
  for (const li of rowsElement.children) kept.set(Number(li.dataset.id), li);
  const focused = document.activeElement;
  const focusedRow = rowsElement.contains(focused) ? focused.closest('li') : null;
  const focusLabel = focusedRow ? focused.getAttribute('aria-label') || focused.textContent : null;
  const rows = [];
  for (let i = first; i < last; i += 1) {
    const id = ids[i];
    const item = list.items.get(id);
    const old = kept.get(id);
    const fresh = old && old.dataset.revision === String(item.revision) && old.dataset.stale !== 'true';
    rows.push(fresh ? old : renderRow(item));
  }
  rowsElement.style.paddingTop = `${tops[first]}px`;
  rowsElement.style.paddingBottom = `${tops[ids.length] - tops[last]}px`;
  const same = rows.length === rowsElement.children.length && rows.every((row, index) => rowsElement.children[index] === row);
  if (!same) rowsElement.replaceChildren(...rows);
  // replaceChildren takes out even the rows it puts back, and a control taken out loses the
  // focus: give it back to the same control, or to the same button of its row made again.
  if (focusedRow && document.activeElement !== focused && focused.isConnected) {
    focused.focus({ preventScroll: true });
  } else if (focusedRow && !rowsElement.contains(focused)) {
    const again = rowsElement.querySelector(`li[data-id="${focusedRow.dataset.id}"]`);
    const button = again && [...again.querySelectorAll('button')].find(
      (candidate) => (candidate.getAttribute('aria-label') || candidate.textContent) === focusLabel && !candidate.disabled);
    (button || (again && again.querySelector('button:not(:disabled)')) || $('link-input')).focus();
  }
  // Measure what was drawn; if the guesses were off, draw again with the real heights.
  let off = false;
  for (const li of rows) {
    const id = Number(li.dataset.id);
    const height = li.offsetHeight + ROW_GAP;
    const known = view.heights.get(id);
    const revision = Number(li.dataset.revision);
    if (!known || known.revision !== revision || Math.abs(known.height - height) > 1) {
      if (heightOf(id) !== height) off = true;
      view.heights.set(id, { revision, height });
    }
  }
  if (off) scheduleDraw();
}

const ROW_GAP = 8; // px: .row's margin-bottom (0.5rem)

function drawCounts() {
  const actions = listActions(list);
  // Rust's words for the batch: the same as the bar's and the window title's.
  setText($('summary'), list.summary.words.counts);
  const any = list.items.size > 0;
  // After "Clear list" its own line says where the uploads went.
  $('empty-state').hidden = any || !$('cleared-bar').hidden;
  $('main-view').classList.toggle('has-rows', any);
  $('copy-all').disabled = !actions.copyAll;
  $('copy-table').disabled = !actions.copyAll;
  $('copy-csv').disabled = !actions.copyAll;
  $('clear-list').disabled = !actions.clear;
}

// A button of the batch bar that goes away or turns off (Pause once the batch is through,
// Cancel once nothing waits, or the whole bar) hands the focus on: to the next button of the bar
// that can be pressed (after Cancel, Retry all failed), else the one before, else the link
// field, never to nowhere.
function drawBatch() {
  const bar = $('batch');
  const focused = bar.contains(document.activeElement) ? document.activeElement : null;
  drawBatchBar();
  if (focused && (focused.hidden || focused.disabled || bar.hidden)) {
    const buttons = [...bar.querySelectorAll('button')];
    const at = buttons.indexOf(focused);
    const usable = (button) => !button.hidden && !button.disabled;
    const next = bar.hidden ? null
      : buttons.slice(at + 1).find(usable) || buttons.slice(0, at).reverse().find(usable);
    (next || $('link-input')).focus();
  }
}

// One line for each reason several failed rows share ("12 links: Your balance is used up."),
// with the button that fixes it and Retry for them all; those rows then show the reason on one
// line, without the button. Drawn again only when the groups change, so focus stays put.
function drawGroups() {
  const groups = failureGroups(list);
  const drawn = groups.map((group) => `${group.key}\n${group.ids.length}\n${group.retryIds.length}`).join('\n\n');
  if (drawn === view.groupsDrawn) return;
  view.groupsDrawn = drawn;
  const keys = new Set(groups.map((group) => group.key));
  const changed = keys.size !== view.grouped.size || [...keys].some((key) => !view.grouped.has(key));
  view.grouped = keys;
  if (changed) for (const li of $('rows').children) li.dataset.stale = 'true';
  const box = $('failure-groups');
  const focused = box.contains(document.activeElement) ? document.activeElement.textContent : null;
  box.replaceChildren(...groups.map((group) => {
    const line = el('div', { class: 'failure-group', role: 'group', 'aria-label': groupText(group) },
      icon(group.icon), el('span', { class: 'group-text', text: groupText(group) }));
    const fix = FIX_BUTTONS[group.followUp];
    if (fix) {
      line.append(el('button', {
        type: 'button', class: 'small primary', onclick: () => view.actions.followUp(group.followUp, group.report),
      }, icon(fix.icon), el('span', { l10n: fix.text })));
    }
    if (group.retryIds.length) {
      line.append(el('button', {
        type: 'button', class: fix ? 'small' : 'small primary', onclick: () => view.actions.retry(group.retryIds),
      }, el('span', { l10n: 'list-retry-these' })));
    }
    return line;
  }));
  box.hidden = groups.length === 0;
  if (focused !== null) {
    const again = [...box.querySelectorAll('button')].find((button) => button.textContent === focused);
    (again || $('link-input')).focus();
  }
}

// The buttons that fix a cause, by the follow-up rowActions names.
const FIX_BUTTONS = {
  token: { icon: 'key', text: 'row-change-token' },
  platform_token: { icon: 'key', text: 'row-enter-platform-token' },
  top_up: { icon: 'card', text: 'row-top-up' },
  settings: { icon: 'gear', text: 'row-open-settings' },
};

function drawBatchBar() {
  const summary = list.summary;
  const actions = listActions(list);
  $('batch').hidden = !actions.showBatch;
  if (!actions.showBatch) {
    view.wasIdle = true;
    return;
  }
  const progress = batchProgress(summary);
  $('batch-progress').max = Math.max(1, progress.total);
  $('batch-progress').value = progress.finished;
  setText($('batch-counts'), summary.words.counts);
  setText($('batch-eta'), summary.words.status);
  $('batch-pause').hidden = !actions.pause;
  $('batch-resume').hidden = !actions.resume;
  $('batch-cancel').hidden = !actions.cancel;
  $('batch-cancel').disabled = !actions.cancelEnabled;
  $('batch-retry').hidden = !actions.retryAll;
  $('batch-retry').disabled = !actions.retryAll;
  if (actions.idle && !view.wasIdle && progress.total > 3) {
    announce(t('list-all-through', { counts: summary.words.counts }));
  }
  view.wasIdle = actions.idle;
}

function renderRow(item) {
  const linkId = `row-${item.id}-link`;
  const status = rowStatus(item);
  const wait = view.waits.get(item.id);
  const [stateIcon, stateLabel] = statusText(status, wait ? secondsLeft(wait) : 0);
  const offers = rowActions(item);
  const playing = view.playing === item.id;
  const act = view.actions;

  const play = el('button', {
    type: 'button',
    class: 'play ghost',
    'aria-label': playing ? t('row-pause') : t('row-play'),
    'aria-describedby': linkId,
    disabled: !offers.play,
    onclick: () => act.togglePreview(item.id),
  }, icon(playing ? 'pause' : 'play'));

  const body = el('div', { class: 'row-body' });
  // A file from this computer: its name and size. A link: the site and the file name.
  body.append(item.file
    ? el('p', { class: 'row-link', id: linkId, title: item.given },
      el('span', { text: item.file.name }), el('span', { class: 'row-size', text: ` · ${item.file.size_text}` }))
    : el('p', { class: 'row-link', id: linkId, title: item.given, text: shortLink(item.given) }));

  // The link check's warning is the queue's: it goes once the service has the file.
  const reused = fileNote(item);
  const notes = [
    ...(reused ? [{ kind: 'info', text: reused }] : []),
    ...item.notes,
    ...(item.check ? [{ kind: 'warning', text: item.check }] : []),
  ];
  if (notes.length) {
    const list = el('ul', { class: 'row-notes' });
    for (const note of notes) {
      list.append(el('li', { class: note.kind }, icon(note.kind === 'warning' ? 'warning' : 'info'), el('span', { text: note.text })));
    }
    body.append(list);
  }

  const stateId = `row-${item.id}-state`;
  body.append(el('p', { class: `row-state${stateIcon === 'spinner' ? ' spin' : ''}` },
    icon(stateIcon), el('span', { class: 'state-text', id: stateId, text: stateLabel })));
  if (status.percent !== undefined) {
    body.append(el('progress', { class: 'row-progress', max: 100, value: status.percent, 'aria-labelledby': stateId }));
  }
  if (offers.cancel) {
    body.append(el('div', { class: 'row-actions' }, el('button', {
      type: 'button', class: 'small', 'aria-describedby': linkId, onclick: () => act.stop(item.id),
    }, icon('close'), el('span', { l10n: 'row-cancel' }))));
  }

  // A done row's actions sit on its audio ID's line: Copy ID, and Remove at the end.
  let result = null;
  if (offers.copyId) {
    const copied = el('span', { class: 'copied', hidden: true, l10n: 'copy-done' });
    result = el('div', { class: 'row-result' },
      el('span', { class: 'label', l10n: 'row-audio-id' }),
      el('code', { class: 'audio-id', text: item.uploaded.audio_id }),
      el('button', {
        type: 'button',
        class: 'small',
        l10n: 'row-copy-id',
        'aria-describedby': linkId,
        onclick: () => act.copy(item.uploaded.audio_id, copied, t('copy-audio-id-said')),
      }, icon('copy'), el('span', { 'data-l10n-text': true })),
      ...songButtons(item.uploaded.audio_id, item.file ? item.file.name : shortLink(item.given), linkId, item.audio_url),
      ...(offers.hostAgain ? [el('button', {
        type: 'button',
        class: 'small',
        'aria-describedby': linkId,
        onclick: () => act.hostAgain(item.id),
      }, el('span', { l10n: 'row-host-again' }))] : []),
      copied);
    body.append(result);
  }

  // Where Remove goes: the audio ID's line, else the line of the row's other buttons.
  let actions = result;
  if (['failed', 'rejected', 'held'].includes(item.state) && item.error) {
    const box = renderError(item, offers, linkId);
    body.append(box);
    actions = actions || box.querySelector('.row-actions');
  } else if (offers.retry) {
    actions = el('div', { class: 'row-actions' }, retryButton(item, linkId));
    body.append(actions);
  }
  if (offers.remove) {
    const remove = el('button', {
      type: 'button', class: 'small ghost remove', l10n: 'row-remove', 'aria-describedby': linkId,
      onclick: () => view.actions.remove(item.id),
    }, icon('close'), el('span', { 'data-l10n-text': true }));
    if (actions) actions.append(remove);
    else body.append(el('div', { class: 'row-actions' }, remove));
  }

  return el('li', {
    class: 'row',
    id: `row-${item.id}`,
    'data-id': item.id,
    'data-revision': item.revision,
    'data-state': status.kind,
    'aria-labelledby': linkId,
  }, play, body);
}

// `primary` unless a button that fixes the cause stands beside it (Top up balance): that one is
// the thing to do first.
function retryButton(item, linkId, primary = true) {
  // A held link (a page, a place the service cannot reach) sends only when the musician says so.
  const label = rowActions(item).retryLabel;
  return el('button', {
    type: 'button', class: primary ? 'small primary' : 'small', 'aria-describedby': linkId,
    onclick: () => view.actions.retry([item.id]),
  }, el('span', { text: label }));
}

function renderError(item, offers, linkId) {
  const report = item.error;
  const behaviour = behaviourOf(report);
  const act = view.actions;
  // A reason several rows share is told once above the list, with its button: here it is one
  // line (the whole of it in the tooltip), and Retry is this row's own.
  const grouped = item.state === 'failed' && view.grouped.has(`${report.code}\n${report.message}`);
  const box = el('div', { class: grouped ? 'row-error grouped' : 'row-error', 'data-code': report.code });
  box.append(el('p', { class: 'message', title: grouped ? report.message : null },
    icon(behaviour.icon), el('span', { text: report.message })));
  const actions = el('div', { class: 'row-actions' });
  // The button that fixes the cause comes first, as the primary one; Retry after it.
  const fix = 'small primary';
  // A grouped reason's button is on the group's line.
  const followUp = grouped ? null : offers.followUp;
  if (followUp === 'token') {
    actions.append(el('button', {
      type: 'button', class: fix, onclick: () => act.followUp('token', report),
    }, icon('key'), el('span', { l10n: 'row-change-token' })));
  } else if (followUp === 'platform_token') {
    actions.append(el('button', {
      type: 'button', class: fix, onclick: () => act.followUp('platform_token', report),
    }, icon('key'), el('span', { l10n: 'row-enter-platform-token' })));
  } else if (followUp === 'top_up') {
    actions.append(el('button', {
      type: 'button', class: fix, onclick: () => act.followUp('top_up', report),
    }, icon('card'), el('span', { l10n: 'row-top-up' })));
  } else if (followUp === 'settings') {
    actions.append(el('button', { type: 'button', class: fix, onclick: () => act.followUp('settings', report) },
      icon('gear'), el('span', { l10n: 'row-open-settings' })));
  }
  if (offers.retry) actions.append(retryButton(item, linkId, !followUp && !grouped));
  if (actions.childElementCount) box.append(actions);
  if (offers.copyTrace) {
    const copied = el('span', { class: 'copied', hidden: true, l10n: 'copy-done' });
    box.append(el('p', { class: 'trace' },
      el('span', { l10n: 'row-trace' }),
      el('code', { text: report.trace_id }),
      el('button', {
        type: 'button', class: 'small', l10n: 'row-copy-trace', 'aria-describedby': linkId,
        onclick: () => act.copy(report.trace_id, copied, t('copy-trace-said')),
      }, icon('copy'), el('span', { 'data-l10n-text': true })),
      copied));
  }
  return box;
}
