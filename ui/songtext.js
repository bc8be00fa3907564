// A generation's words the window writes itself, in the language in use: the settings line, a
// song's name with its length. Rust says where a generation stands; these only describe what
// was asked and what came. Pure: tested with `node --test`.

import { language, t } from './words.js';

// What was asked, in short: "from 3 s · style: dream pop · model: FUZZ-2.0 · with lyrics".
export function settingsText(request, defaultModel = '') {
  const parts = [];
  if (request.action === 'extend' && request.continue_at !== undefined && request.continue_at !== null) {
    parts.push(t('songs-from-seconds', { seconds: request.continue_at }));
  }
  if (request.style) parts.push(t('songs-with-style', { style: request.style }));
  parts.push(t('songs-with-model', { model: request.model || defaultModel }));
  if (request.instrumental) parts.push(t('songs-instrumental'));
  if (request.lyric) parts.push(t('songs-with-lyrics'));
  else if (request.prompt) parts.push(t('songs-quoted', { prompt: request.prompt }));
  return parts.join(' · ');
}

// A length as players write it, minutes and seconds ("2:05", "0:42"), the digits the
// language's.
export function songLength(seconds) {
  const whole = Math.max(0, Math.round(seconds));
  const digits = (value, width) => new Intl.NumberFormat(language(), { minimumIntegerDigits: width, useGrouping: false }).format(value);
  return `${digits(Math.floor(whole / 60), 1)}:${digits(whole % 60, 2)}`;
}

// A song as its row names it: its title, with its length when the service said it.
export function songName(song) {
  const title = song.title || t('songs-untitled');
  return song.duration ? t('songs-song-name', { title, length: songLength(song.duration) }) : title;
}
