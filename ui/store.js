// The upload list as the window knows it: a copy of the Rust queue's list, kept by applying the
// queue's numbered messages. No DOM, no Tauri: tested on its own with `node --test`.
//
// The queue numbers every change (see src/queue.rs): a message has a `sequence`, and each item
// in it a `revision` (the sequence of its last change). An item is taken only when its revision
// is newer than the one held, the summary only when the message's sequence is newer, and ids
// removed by "Clear list" never come back, so messages applied in any order, even twice, leave
// the list as the newest message says.

import { FOLLOW_UPS, behaviourOf, opensPlatformTokenScreen, opensTokenScreen } from './errors.js';
import { t } from './words.js';

// The queue's counts and Rust's words for them (src/summary.rs): the window draws those words
// (bar, list line) rather than composing its own, so they agree with the title and the tray.
const EMPTY_SUMMARY = Object.freeze({
  total: 0,
  refused: 0,
  held: 0,
  waiting: 0,
  uploading: 0,
  done: 0,
  failed: 0,
  stopped: 0,
  paused: false,
  eta_seconds: 0,
  words: Object.freeze({ counts: '', status: '', title: '' }),
});

export function createList() {
  return {
    items: new Map(), // id -> item, as rowOf keeps it
    gone: new Set(), // ids taken out of the queue
    floor: 0, // sequence of the last whole list: any unknown item at or below it is gone
    sequence: 0, // sequence of the summary held
    summary: EMPTY_SUMMARY,
    order: null, // ids newest first, made again when an item comes or goes
  };
}

const NO_NOTES = Object.freeze([]);

// What the window keeps of a queue item: what its row, its buttons and the counts use. The rest
// of the message it came in (the service's task id, hosted copy, lyrics) is not held. Rust
// leaves empty fields out of a message: a missing field is null (no notes: an empty list).
export function rowOf(item) {
  return {
    id: item.id,
    revision: item.revision,
    given: item.given,
    audio_url: item.audio_url ?? null,
    state: item.state,
    progress: item.progress ?? null,
    uploaded: item.uploaded ? { audio_id: item.uploaded.audio_id } : null,
    error: item.error ?? null,
    notes: item.notes?.length ? item.notes : NO_NOTES,
    check: item.check ?? null,
    file: item.file ? fileOf(item.file) : null,
    can_retry: Boolean(item.can_retry),
    can_stop: Boolean(item.can_stop),
    can_host_again: Boolean(item.can_host_again),
  };
}

// What a file's row shows of the file: its name and size, where its bytes are, and the hosted
// link once known.
function fileOf(file) {
  return {
    name: file.name,
    size: file.size,
    size_text: file.size_text,
    stage: file.stage,
    received: file.received ?? 0,
    sent: file.sent ?? 0,
    reused: Boolean(file.reused),
    file_url: file.file_url ?? null,
  };
}

function takeItem(list, item, changed) {
  if (list.gone.has(item.id)) return;
  const have = list.items.get(item.id);
  if (have ? item.revision <= have.revision : item.revision <= list.floor) return;
  if (!have) list.order = null;
  list.items.set(item.id, rowOf(item));
  changed.add(item.id);
}

function takeSummary(list, sequence, summary) {
  if (sequence <= list.sequence) return false;
  list.sequence = sequence;
  list.summary = summary;
  return true;
}

// Applies one message from the queue ({sequence, items, removed, summary}). Returns what it
// changed: item ids taken, ids removed, and whether the summary is new.
export function applyUpdate(list, update) {
  const changed = new Set();
  const removed = [];
  for (const item of update.items || []) takeItem(list, item, changed);
  for (const id of update.removed || []) {
    list.gone.add(id);
    changed.delete(id);
    if (list.items.delete(id)) {
      removed.push(id);
      list.order = null;
    }
  }
  const summary = takeSummary(list, update.sequence, update.summary);
  return { changed: [...changed], removed, summary };
}

// Applies the whole list as the queue holds it (`queue_subscribe`'s answer, e.g. after a reload):
// items it does not hold, and not changed since, are gone.
export function applySnapshot(list, snapshot) {
  if (!snapshot) return { changed: [], removed: [], summary: false };
  const held = new Set(snapshot.items.map((item) => item.id));
  const removed = [];
  for (const [id, item] of list.items) {
    if (!held.has(id) && item.revision <= snapshot.sequence) {
      list.items.delete(id);
      list.gone.add(id);
      removed.push(id);
      list.order = null;
    }
  }
  const changed = new Set();
  for (const item of snapshot.items) takeItem(list, item, changed);
  list.floor = Math.max(list.floor, snapshot.sequence);
  const summary = takeSummary(list, snapshot.sequence, snapshot.summary);
  return { changed: [...changed], removed, summary };
}

// Item ids, newest first (the order the list is drawn in).
export function idsNewestFirst(list) {
  if (!list.order) list.order = [...list.items.keys()].sort((a, b) => b - a);
  return list.order;
}

// States in which nothing more happens unless the musician asks (a held link waits for its OK).
export const FINISHED = new Set(['done', 'failed', 'interrupted', 'rejected', 'held']);

// Whole percent done, never 100 before the end.
export function percentOf(part, whole) {
  if (!whole) return 0;
  return Math.min(100, Math.floor((100 * part) / whole));
}

// Whether the app still needs this file's bytes from the window: the row is being received
// and has not finished (stopped, refused, removed).
export function wantsBytes(item) {
  return Boolean(item && item.file && item.file.stage === 'receiving' && !FINISHED.has(item.state));
}

// Where a row stands for the musician: a queue item's state refined by its progress.
//   queued, uploading (attempt), waiting (seconds, rateLimited), done, failed, interrupted,
//   rejected, held; and for a file not hosted yet: receiving (percent), queued (its bytes are in,
//   waiting for its turn), checking, hosting (percent, sent, sizeText).
export function rowStatus(item) {
  const file = item.file;
  if (file && file.stage !== 'hosted' && !FINISHED.has(item.state) && item.progress?.state !== 'waiting') {
    if (file.stage === 'receiving') return { kind: 'receiving', percent: percentOf(file.received, file.size) };
    if (file.stage === 'checking') return { kind: 'checking' };
    if (file.stage === 'hosting') {
      return { kind: 'hosting', percent: percentOf(file.sent, file.size), sent: file.sent, sizeText: file.size_text };
    }
    return { kind: 'queued' };
  }
  if (item.state === 'uploading') {
    const progress = item.progress || { state: 'queued' };
    if (progress.state === 'uploading') return { kind: 'uploading', attempt: progress.attempt };
    if (progress.state === 'waiting') {
      return { kind: 'waiting', seconds: progress.seconds, rateLimited: Boolean(progress.rate_limited) };
    }
    return { kind: 'queued' };
  }
  if (item.state === 'waiting') return { kind: 'queued' };
  return { kind: item.state };
}

// What a row offers: its buttons, and the follow-up its error calls for (Rust's next step).
//   followUp: token, platform_token, top_up, settings or null.
export function rowActions(item) {
  const error = ['failed', 'rejected', 'held'].includes(item.state) ? item.error : null;
  const step = error ? behaviourOf(error).nextStep : null;
  const followUp = FOLLOW_UPS.includes(step) ? step : null;
  return {
    // A link held because it leads to this computer or the local network is not fetched from
    // here either, not even for a preview.
    play: Boolean(item.audio_url) && !(item.state === 'held' && item.error?.code === 'local_link'),
    copyId: item.state === 'done' && Boolean(item.uploaded),
    // The queue knows what can be sent again (a file whose bytes never all came cannot) and
    // what can still be stopped (a file not yet sent to the Producer API).
    retry: Boolean(item.can_retry),
    // A held link is sent only by its own button, which says so.
    retryLabel: item.state === 'held' ? t('row-upload-anyway') : t('row-retry'),
    cancel: Boolean(item.can_stop),
    // A done file whose earlier link was reused can be put on the file host again.
    hostAgain: Boolean(item.can_host_again),
    followUp,
    copyTrace: Boolean(error && error.trace_id),
    // A finished row can leave the list; the history keeps it.
    remove: FINISHED.has(item.state),
  };
}

// The batch bar and list buttons, from the queue's counts.
export function listActions(list) {
  const s = list.summary;
  const idle = s.waiting === 0 && s.uploading === 0;
  // Held links are not failures: Retry all failed leaves them to their own Upload anyway.
  const unfinished = s.failed + s.stopped;
  return {
    showBatch: s.total - s.refused > 0,
    idle,
    pause: !s.paused && !idle,
    resume: s.paused,
    cancel: !idle,
    cancelEnabled: s.waiting > 0,
    retryAll: unfinished > 0,
    copyAll: s.done > 0,
    clear: s.total > s.waiting + s.uploading,
  };
}

// The audio IDs of the done rows on screen, oldest first (for "Copy all IDs").
export function doneAudioIds(list) {
  return [...list.items.values()]
    .filter((item) => item.state === 'done' && item.uploaded)
    .sort((a, b) => a.id - b.id)
    .map((item) => item.uploaded.audio_id);
}

// The file name a link ends in, as a musician named the file ("Verse (final).wav").
export function fileNameOf(link) {
  try {
    const segments = new URL(link).pathname.split('/').filter(Boolean);
    return segments.length ? decodeURIComponent(segments[segments.length - 1]) : link;
  } catch {
    return link;
  }
}

// The done rows as a table with a header, oldest first: tab-separated (pastes into a spreadsheet
// as columns) or CSV (quoted as RFC 4180 says).
export function doneTable(list, format) {
  const rows = [...list.items.values()]
    .filter((item) => item.state === 'done' && item.uploaded)
    .sort((a, b) => a.id - b.id)
    .map((item) => (item.file
      ? [item.file.name, item.uploaded.audio_id, item.file.file_url || item.audio_url || '']
      : [fileNameOf(item.audio_url || item.given), item.uploaded.audio_id, item.given]));
  const table = [[t('list-table-name'), t('list-table-audio-id'), t('list-table-link')], ...rows];
  const cell = format === 'csv'
    ? (text) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text)
    : (text) => text.replace(/[\t\r\n]+/g, ' ');
  return table.map((row) => row.map(cell).join(format === 'csv' ? ',' : '\t')).join(format === 'csv' ? '\r\n' : '\n');
}

// Failed rows whose reason was the token: retried once a new token is saved.
export function tokenFailures(list) {
  return [...list.items.values()]
    .filter((item) => item.state === 'failed' && item.error && opensTokenScreen(item.error))
    .map((item) => item.id);
}

// Failed rows whose reason was the platform token: retried once one is saved.
export function platformTokenFailures(list) {
  return [...list.items.values()]
    .filter((item) => item.state === 'failed' && item.error && opensPlatformTokenScreen(item.error))
    .map((item) => item.id);
}

// A file row's remark when the host was not needed: the same content was hosted before.
export function fileNote(item) {
  if (!item.file || !item.file.reused) return null;
  return t('row-reused');
}

// The batch bar's progress: the batch's settled items (done or not uploaded) out of all of it
// (every item but the refused ones), as Rust counts them.
export function batchProgress(summary) {
  const total = summary.total - summary.refused;
  return { finished: total - summary.waiting - summary.uploading, total };
}
