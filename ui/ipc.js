// The window's only way to Rust: Tauri's IPC. Every failure comes back as an ErrorReport
// ({code, message, trace_id, retryable, status}).

import { t } from './words.js';

const tauri = window.__TAURI__;

export async function call(command, args = {}) {
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
