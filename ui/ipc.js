// The window's only way to Rust: Tauri's IPC. Every failure comes back as an ErrorReport
// ({code, message, trace_id, retryable, status}).

import { t } from './words.js';

const tauri = window.__TAURI__;

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
    message: t('main-app-error', { reason: String(error) }),
    trace_id: null,
    retryable: true,
    status: null,
  };
}

// Subscribes to the app's messages (queue updates, the question on closing) and returns the
// whole upload list as it stands (or null before the first batch).
export async function subscribe(onMessage) {
  const channel = new tauri.core.Channel();
  channel.onmessage = onMessage;
  return call('queue_subscribe', { onUpdate: channel });
}

// Hands `bytes` (a Uint8Array) of the dropped file of queue item `id`, from `offset`, to the app
// as the raw body of the call (no JSON). True to go on, false to stop sending this file.
export async function sendFileChunk(id, offset, bytes) {
  try {
    return await tauri.core.invoke('queue_file_chunk', bytes, {
      headers: { 'item-id': String(id), offset: String(offset) },
    });
  } catch (error) {
    throw asReport(error);
  }
}

// Puts the done files `ids`, whose earlier hosted link was reused, on the file host again, each
// as a new row; resolves to the new rows' ids.
export function hostAgain(ids) {
  return call('queue_host_again', { ids });
}

// The catalogue of the language in use and the languages Settings offers:
// {language, source, languages: [{tag, name}], preference}.
export function words() {
  return call('words');
}

// Saves `preference` ("system" or a language tag) and switches to it; resolves to words().
export function setLanguage(preference) {
  return call('set_language', { preference });
}

// Where the preview player fetches `link` from: the app's own server on this computer
// (src-tauri/src/preview.rs), which fetches it with the link check's rules, never the page
// itself. previewBase() is called once, at start.
let previewAddress = null;

export async function previewBase() {
  previewAddress ??= await call('preview_base');
  return previewAddress;
}

export function previewSource(link) {
  return previewAddress + encodeURIComponent(link);
}

export async function copyText(text) {
  await call('plugin:clipboard-manager|write_text', { text });
}

export function openUrl(url) {
  return call('plugin:opener|open_url', { url });
}

// Songs (extend and cover). Subscribes to songs updates (each carries a whole generation) and
// returns the Songs view as it stands: generations, models and limits.
export async function subscribeSongs(onUpdate) {
  const channel = new tauri.core.Channel();
  channel.onmessage = onUpdate;
  return call('songs_subscribe', { onUpdate: channel });
}

export function generateSong(request) {
  return call('songs_generate', { request });
}

export function sendSongAgain(id) {
  return call('songs_send_again', { id });
}

export function checkSongAgain(id) {
  return call('songs_check_again', { id });
}

// Opens the system's save dialog (from Rust) and saves the song there; null when cancelled.
export function downloadSong(id, song, onProgress) {
  const channel = new tauri.core.Channel();
  channel.onmessage = onProgress;
  return call('songs_download', { id, song, onProgress: channel });
}

// ---------------------------------------------------------------------------------------------
// One function for each of the app's commands (src-tauri/src/commands/), by area.

// Facts the window needs once: version, Ace Data Cloud's pages, limits.
export const appInfo = () => call('app_info');
// The saved settings, where uploads go, and the allowed ranges.
export const getSettings = () => call('get_settings');
// Checks and saves `settings`; resolves to getSettings()'s answer.
export const saveSettings = (settings) => call('save_settings', { settings });
// The hosting notice was read: it is not shown again.
export const acknowledgeHostingNotice = () => call('acknowledge_hosting_notice');
// Moves the text size one step ('in', 'out', 'reset'); resolves to the size in percent.
export const zoom = (step) => call('zoom', { step });
// Opens a link the window shows in the web browser.
export const openLink = (url) => call('open_link', { url });

// Whether the token of `kind` ('api' unless given) is saved, or why the keychain cannot say.
export const tokenStatus = (kind) => call('token_status', kind ? { kind } : {});
// Saves `token` (in the keychain, or for this session only).
export const saveToken = (token, sessionOnly, kind) => call('save_token', kind ? { token, sessionOnly, kind } : { token, sessionOnly });
// Forgets the token of `kind` ('api' unless given).
export const removeToken = (kind) => call('remove_token', kind ? { kind } : {});

// Lists the rows pasted or dropped `text` makes and queues its links (Rust parses it once: links
// to send, held, or refused with why), leaving out file:// links naming the `dropped` file
// names; resolves to {ids, links, refused}.
export const queueAddText = (text, dropped) => call('queue_add_text', { text, dropped });
// Queues dropped `files` ({name, size, folder}); resolves to their rows' ids.
export const queueAddFiles = (files) => call('queue_add_files', { files });
// Opens the system's file chooser (from Rust) and queues what is chosen.
export const queueChooseFiles = () => call('queue_choose_files');
// The dropped file of row `id` could not be read by the page.
export const queueFileUnreadable = (id) => call('queue_file_unreadable', { id });
// Stops the rows `ids` (files not yet sent); resolves to how many.
export const queueStop = (ids) => call('queue_stop', { ids });
// Sends the rows `ids` again (every failed one when none are named).
export const queueRetry = (ids) => call('queue_retry', ids ? { ids } : {});
// No new upload starts; running ones finish. Resolves to the batch's summary.
export const queuePause = () => call('queue_pause');
// Uploads start again.
export const queueResume = () => call('queue_resume');
// The waiting uploads are stopped; running ones finish. Resolves to how many stopped.
export const queueCancel = () => call('queue_cancel');
// Takes the finished rows out of the list; resolves to how many.
export const queueClear = () => call('queue_clear');
// Puts back what the last Clear list took; resolves to how many.
export const queueUndoClear = () => call('queue_undo_clear');
// Starts the page afresh in a new page process, keeping `note` ({cleared, typed}) for it;
// resolves to false if it does not.
export const pageStartAfresh = (note) => call('page_start_afresh', { note });
// The note kept for this page by pageStartAfresh, once; null if none.
export const pageTakeNote = () => call('page_take_note');
// Takes the finished rows `ids` out of the list; resolves to how many.
export const queueRemove = (ids) => call('queue_remove', { ids });
// What to do with the batch when the window closes ('background' or 'stop').
export const closeDuringBatch = (choice) => call('close_during_batch', { choice });

// One page of History (`filter`: text, failedOnly, hostedOnly, utcOffsetMinutes, monthNames).
export const historyPage = (filter, offset, limit) => call('history_page', { filter, offset, limit });
// Deletes the records `ids`; resolves to how many.
export const historyDelete = (ids) => call('history_delete', { ids });
// Puts back the last deleted records; resolves to how many.
export const historyUndo = () => call('history_undo');
// Sends record `id` again.
export const historyRetry = (id) => call('history_retry', { id });
// How many uploads were stopped before they finished.
export const historyStopped = () => call('history_stopped');
// Sends the stopped uploads again: {ids, not_sent}.
export const historyRetryStopped = () => call('history_retry_stopped');
// Exports what History shows (`filter`) as `format` through the save dialog.
export const historyExport = (format, filter) => call('history_export', { format, filter });
