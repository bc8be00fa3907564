// Songs: the Extend / Cover dialog and the Songs view. Rust records, sends and follows each
// generation and says where it stands (its words, its error's message); this module draws it.

import { $, announce, el, icon } from './dom.js';
import { behaviourOf } from './errors.js';
import { formatWhen } from './format.js';
import { clockTime, playerControls } from './player.js';
import {
  checkSongAgain, copyText, downloadSong, generateSong, previewSource, sendSongAgain, subscribeSongs,
} from './ipc.js';
import { settingsText, songName } from './songtext.js';
import { onLanguageChange, setWords, t } from './words.js';

const songs = {
  options: null, // models and limits, from Rust
  problem: null, // why running songs are not followed now, if they are not
  generations: new Map(), // id -> generation (the newest of each)
  playing: null, // song id in the player
  saving: new Set(), // song ids being saved (their save dialog open, or arriving)
  downloading: new Map(), // song id -> percent arrived (null while the size is not known)
  onShow: null, // shows the Songs view (app.js's showView)
  followUp: null, // what an error's button does (app.js: token screen, top-up page, settings)
};

// Subscribes to songs updates and draws the view; `onShow` opens it, `followUp(action, report)`
// does what an error's button offers.
export async function initSongs(onShow, followUp) {
  songs.onShow = onShow;
  songs.followUp = followUp;
  $('songs-button').addEventListener('click', () => onShow());
  // Rust's words (states, reasons, what each model is for) are asked for again in the new
  // language; the window's own are drawn again with them.
  onLanguageChange(() => refreshSongs());
  await refreshSongs();
}

// True while a song is being saved (its save dialog open, or its bytes arriving).
export function songsBusy() {
  return songs.saving.size > 0;
}

// Subscribes again (after a token was saved, say) and draws every generation.
export async function refreshSongs() {
  try {
    const view = await subscribeSongs(onSongsMessage);
    songs.options = view;
    songs.problem = view.problem;
    for (const generation of view.generations) keep(generation);
  } catch (report) {
    songs.problem = report;
  }
  draw();
  drawModels();
}

function onSongsMessage(message) {
  if (message.kind === 'generation') {
    keep(message.generation);
    songs.problem = null;
    draw();
  } else if (message.kind === 'poll_failed') {
    songs.problem = message.error;
    drawProblem();
  }
}

// Keeps a generation unless the one held changed later (an update and the list may cross).
function keep(generation) {
  const held = songs.generations.get(generation.id);
  if (held && Date.parse(held.updated_at) > Date.parse(generation.updated_at)) return;
  songs.generations.set(generation.id, generation);
}

// ---------------------------------------------------------------------------------------------
// The dialog

// The Extend and Cover buttons of a done upload (`name` prefills the dialog; `link`, its audio,
// lets Extend play it to find the moment to continue from).
export function songButtons(audioId, name, describedBy, link = null) {
  return [
    button('songs-extend', describedBy, () => openGenerate('extend', audioId, name, null, link)),
    button('songs-cover', describedBy, () => openGenerate('cover', audioId, name)),
  ];
}

// Under Extend's "Continue from": the audio to build on, played through the app, its length
// once known, and "Use this moment" to take the player's position.
function momentFinder(link) {
  const audio = el('audio', { id: 'gen-audio', preload: 'metadata', src: previewSource(link) });
  const length = el('p', { class: 'hint', id: 'gen-at-length', hidden: true });
  audio.addEventListener('loadedmetadata', () => {
    if (!Number.isFinite(audio.duration) || audio.duration <= 0) return;
    $('gen-at').max = String(Math.floor(audio.duration * 10) / 10);
    setWords(length, 'songs-at-length', { length: clockTime(audio.duration) });
    length.hidden = false;
  });
  const use = el('button', {
    type: 'button', class: 'small', l10n: 'songs-at-use',
    onclick: () => {
      $('gen-at').value = String(Math.round(audio.currentTime * 10) / 10);
      announce(t('songs-at-used', { at: clockTime(audio.currentTime) }));
    },
  });
  // Closing the dialog stops it.
  $('generate-dialog').addEventListener('close', () => audio.pause(), { once: true });
  return el('div', { class: 'moment-finder' }, audio, el('div', { class: 'player-bar' }, ...playerControls(audio, 'gen-player'), use), length);
}

// The models in the open dialog's list, each with what it is for in Rust's words (drawn again
// when the language changes); the choice made stays.
function drawModels() {
  const select = $('gen-model');
  if (!select || !songs.options) return;
  const chosen = select.value || songs.options.default_model;
  select.replaceChildren(...songs.options.models.map((model) => el('option', {
    value: model.name,
    selected: model.name === chosen,
    l10n: 'songs-model-option',
    args: { name: model.name, purpose: model.purpose },
  })));
}

// Opens the Extend or Cover dialog for `audioId`, prefilled with `name`.
export async function openGenerate(action, audioId, name, seconds = null, link = null) {
  if (!songs.options) await refreshSongs();
  const options = songs.options;
  if (!options) {
    announce(t('songs-not-ready'));
    return;
  }
  const dialog = $('generate-dialog');
  // The name without its file extension: the dialog's heading and the new song's title.
  const title = name.replace(/\.[a-z0-9]{2,4}$/i, '');
  const field = (id, label, input, hint, args) => el('div', { class: 'field' },
    el('label', { for: id, class: 'field-label', ...label }), input,
    hint ? el('p', { class: 'hint', id: `${id}-hint`, l10n: hint, args }) : null);
  const number = (id, min, max, step, value = '') => el('input', {
    id, type: 'number', min, max, step, value, 'aria-describedby': `${id}-hint`,
  });
  const text = (id, max, value = '') => el('input', { id, type: 'text', maxlength: max, value, autocomplete: 'off' });
  const models = el('select', { id: 'gen-model', 'aria-describedby': 'gen-model-hint' });
  const advanced = el('details', { class: 'advanced' }, el('summary', { l10n: 'songs-advanced' }));
  for (const value of options.advanced) {
    advanced.append(field(`gen-${value.field}`, { l10n: 'song-advanced-label', args: { name: value.name } },
      number(`gen-${value.field}`, value.min, value.max, 0.05), 'songs-advanced-hint', { min: value.min, max: value.max }));
  }
  advanced.append(field('gen-seed', { l10n: 'songs-seed' }, text('gen-seed', options.max_short_text_chars), 'songs-seed-hint'));
  const error = el('p', { id: 'gen-error', class: 'error-text', role: 'alert', hidden: true });
  const generate = el('button', { type: 'submit', class: 'primary', l10n: 'songs-generate' });
  const form = el('form', { method: 'dialog', class: 'generate-form', novalidate: true },
    el('h2', { id: 'generate-title', l10n: 'songs-dialog-title', args: { action, name: title } }),
    el('p', { class: 'hint', l10n: action === 'extend' ? 'songs-extend-about' : 'songs-cover-about' }),
    action === 'extend'
      ? field('gen-at', { l10n: 'songs-at' }, number('gen-at', 0, '', 0.1, seconds ?? ''), 'songs-at-hint')
      : null,
    action === 'extend' && link ? momentFinder(link) : null,
    field('gen-lyric', { l10n: 'songs-lyrics' }, el('textarea', { id: 'gen-lyric', rows: 4, maxlength: options.max_lyric_chars, 'aria-describedby': 'gen-lyric-hint' }),
      'songs-lyrics-hint'),
    field('gen-prompt', { l10n: 'songs-prompt' }, text('gen-prompt', options.max_prompt_chars),
      'songs-prompt-hint', { max: options.max_prompt_chars }),
    field('gen-style', { l10n: 'songs-style' }, text('gen-style', options.max_short_text_chars), 'songs-style-hint'),
    field('gen-title', { l10n: 'songs-song-title' }, text('gen-title', options.max_short_text_chars, title)),
    el('label', { class: 'check' }, el('input', { id: 'gen-instrumental', type: 'checkbox' }), ' ',
      el('span', { l10n: 'songs-instrumental-label' })),
    field('gen-model', { l10n: 'songs-model' }, models, 'songs-model-hint', { model: options.default_model }),
    advanced,
    error,
    el('p', { class: 'hint', id: 'gen-credits', l10n: 'songs-credits' }),
    el('div', { class: 'actions' }, generate,
      el('button', { type: 'button', class: 'ghost', l10n: 'songs-cancel', onclick: () => dialog.close() })));
  generate.setAttribute('aria-describedby', 'gen-credits');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send(action, audioId, generate, error, dialog);
  });
  dialog.replaceChildren(form);
  drawModels();
  dialog.showModal();
  (action === 'extend' ? $('gen-at') : $('gen-lyric')).focus();
}

function valueOf(id) {
  return $(id).value.trim();
}

function numberOf(id) {
  const text = valueOf(id);
  return text === '' ? null : Number(text);
}

// Sends the dialog's request once: the button stays disabled once Rust has taken it.
async function send(action, audioId, button, error, dialog) {
  if (button.disabled) return;
  button.disabled = true;
  setWords(button, 'songs-sending');
  error.hidden = true;
  const request = {
    action,
    audio_id: audioId,
    lyric: valueOf('gen-lyric'),
    prompt: valueOf('gen-prompt'),
    style: valueOf('gen-style'),
    title: valueOf('gen-title'),
    instrumental: $('gen-instrumental').checked,
    model: $('gen-model').value,
  };
  if (action === 'extend') request.continue_at = numberOf('gen-at');
  for (const value of songs.options.advanced) {
    const number = numberOf(`gen-${value.field}`);
    if (number !== null) request[value.field] = number;
  }
  if (valueOf('gen-seed')) request.seed = valueOf('gen-seed');
  try {
    keep(await generateSong(request));
  } catch (report) {
    // Refused before anything was sent (a value out of range, no token): fix and press again.
    error.textContent = report.message;
    error.hidden = false;
    button.disabled = false;
    setWords(button, 'songs-generate');
    return;
  }
  dialog.close();
  draw();
  songs.onShow();
}

// ---------------------------------------------------------------------------------------------
// The Songs view

function drawProblem() {
  const problem = $('songs-problem');
  problem.hidden = !songs.problem;
  problem.textContent = songs.problem ? songs.problem.message : '';
}

// Draws every generation again; a button that had the keyboard focus keeps it (the same
// button of the same generation and song), so updates never throw a keyboard user out.
function draw() {
  drawProblem();
  const all = [...songs.generations.values()].sort((a, b) => b.id - a.id);
  $('songs-empty').hidden = all.length > 0;
  const focused = document.activeElement;
  const list = $('songs-list');
  const keep = list.contains(focused) && focused.tagName === 'BUTTON' ? {
    id: focused.closest('.song-row')?.dataset.id,
    song: focused.closest('.song')?.dataset.song,
    words: wordsOf(focused),
  } : null;
  list.replaceChildren(...all.map(generationRow));
  if (!keep) return;
  const row = list.querySelector(`.song-row[data-id="${keep.id}"]`);
  const scope = keep.song ? row?.querySelector(`.song[data-song="${CSS.escape(keep.song)}"]`) : row;
  const buttons = [...(scope?.querySelectorAll('button') || [])];
  (buttons.find((button) => wordsOf(button) === keep.words) || buttons[0] || $('songs-title')).focus();
}

// The message a button shows (the same in every language).
function wordsOf(button) {
  return button.dataset.l10nId || button.querySelector('[data-l10n-id]')?.dataset.l10nId || button.textContent;
}

// A small button showing the message `words`, with an icon before it when `iconName` is given.
function button(words, describedBy, onclick, { iconName = null, primary = false } = {}) {
  return el('button', {
    type: 'button', class: primary ? 'small primary' : 'small', 'aria-describedby': describedBy, onclick,
  }, iconName ? icon(iconName) : null, el('span', { l10n: words }));
}

// The next step an error's code offers, beside Send again.
const FIXES = {
  token: { action: 'token', words: 'row-change-token', icon: 'key' },
  top_up: { action: 'top_up', words: 'row-top-up', icon: 'card' },
  settings: { action: 'settings', words: 'row-open-settings', icon: 'gear' },
};

function generationRow(generation) {
  const { request } = generation;
  const titleId = `gen-${generation.id}-title`;
  const li = el('li', { class: 'song-row', 'data-state': generation.state, 'data-id': generation.id },
    el('h3', { id: titleId, text: request.title || t('songs-untitled') }),
    el('p', {
      class: 'meta',
      'data-l10n-markup': true,
      l10n: 'songs-made-from',
      args: { action: request.action, audio_id: request.audio_id, when: formatWhen(generation.created_at) },
    }),
    el('p', { class: 'meta', text: settingsText(request, songs.options?.default_model) }));
  const stateId = `gen-${generation.id}-state`;
  const running = ['sending', 'pending', 'running'].includes(generation.state);
  li.append(el('p', { class: `row-state${running ? ' spin' : ''}` },
    icon(running ? 'spinner' : { succeeded: 'check', failed: 'warning', unknown: 'warning' }[generation.state]),
    el('span', { id: stateId, class: 'state-text', text: generation.words })));
  if (generation.state === 'running' && generation.progress != null) {
    li.append(el('progress', { max: 100, value: generation.progress, 'aria-labelledby': stateId }));
  }
  if (generation.error) {
    li.append(el('p', { class: 'reason', text: generation.error.message }));
    const actions = el('div', { class: 'row-actions' });
    // The button that fixes the cause comes first, as on an upload's row.
    const fix = FIXES[behaviourOf(generation.error).nextStep];
    if (fix) {
      actions.append(button(fix.words, titleId, () => songs.followUp(fix.action, generation.error), { iconName: fix.icon }));
    }
    if (generation.state === 'unknown') {
      actions.append(button('songs-check-again', titleId, () => act(checkSongAgain(generation.id))));
    }
    actions.append(button('songs-send-again', titleId, () => act(sendSongAgain(generation.id)), { primary: true }));
    if (generation.error.trace_id) {
      actions.append(button('row-copy-trace', titleId, () => copy(generation.error.trace_id, 'copy-trace-said')));
    }
    li.append(actions);
  }
  if (generation.state === 'succeeded') {
    li.append(el('ul', { class: 'songs' }, ...generation.songs.map((song) => songItem(generation, song))));
  }
  return li;
}

function songItem(generation, song) {
  const nameId = `song-${song.id}-name`;
  const playing = songs.playing === song.id && !($('song-player')?.paused ?? true);
  const item = el('li', { class: 'song', 'data-song': song.id },
    song.image_url ? el('img', {
      class: 'cover', src: previewSource(song.image_url), alt: t('songs-cover-image', { title: song.title }), width: 64, height: 64,
    }) : null,
    el('p', { class: 'name', id: nameId, text: songName(song) }),
    el('code', { class: 'audio-id', text: song.id }));
  item.append(el('div', { class: 'buttons' },
    el('button', {
      type: 'button', class: 'small play', 'aria-describedby': nameId, onclick: () => play(song),
    }, icon(playing ? 'pause' : 'play'), el('span', { l10n: playing ? 'songs-pause' : 'songs-play' })),
    downloadButton(generation.id, song, nameId),
    button('songs-copy-id', nameId, () => copy(song.id, 'songs-id-copied'), { iconName: 'copy' }),
    button('songs-copy-link', nameId, () => copy(song.audio_url, 'songs-link-copied'), { iconName: 'link' }),
    button('songs-extend', nameId, () => openGenerate('extend', song.id, song.title, song.duration ? Math.floor(song.duration) : null, song.audio_url)),
    button('songs-cover', nameId, () => openGenerate('cover', song.id, song.title))));
  return item;
}

async function act(call) {
  try {
    keep(await call);
    draw();
  } catch (report) {
    announce(report.message);
    songs.problem = report;
    drawProblem();
  }
}

// Copies `text`, then says the message `said`.
async function copy(text, said) {
  try {
    await copyText(text);
    announce(t(said));
  } catch (report) {
    announce(t('copy-failed', { reason: report.message }));
  }
}

// A song's Download button: "Downloading… 42%" while it comes (pressing it again then does
// nothing), Download again once saved.
function downloadButton(id, song, nameId) {
  const made = button('songs-download', nameId, () => download(id, song), { iconName: 'download' });
  made.id = `download-${song.id}`;
  if (songs.downloading.has(song.id)) drawDownload(made, songs.downloading.get(song.id));
  return made;
}

function drawDownload(button, percent) {
  button.setAttribute('aria-disabled', 'true');
  setWords(button.querySelector('[data-l10n-id]'), percent === null ? 'songs-downloading' : 'songs-downloading-percent', { percent });
}

async function download(id, song) {
  if (songs.saving.has(song.id)) return;
  songs.saving.add(song.id);
  const progress = ({ bytes, total }) => {
    const percent = total ? Math.floor((bytes / total) * 100) : null;
    songs.downloading.set(song.id, percent);
    const shown = $(`download-${song.id}`);
    if (shown) drawDownload(shown, percent);
  };
  try {
    const saved = await downloadSong(id, song.id, progress);
    if (saved) announce(t('songs-saved', { path: saved.path }));
  } catch (report) {
    announce(report.message);
    songs.problem = report;
    drawProblem();
  } finally {
    songs.saving.delete(song.id);
    songs.downloading.delete(song.id);
    const shown = $(`download-${song.id}`);
    if (shown) {
      shown.removeAttribute('aria-disabled');
      setWords(shown.querySelector('[data-l10n-id]'), 'songs-download');
    }
  }
}

// One player for songs, made on first use under the Songs view's heading.
function play(song) {
  let player = $('song-player');
  if (!player) {
    player = el('audio', { id: 'song-player', controls: true, preload: 'none', onplay: draw, onpause: draw, onended: draw });
    $('songs-player').append(player);
  }
  if (songs.playing === song.id) {
    if (player.paused) player.play().catch(() => {});
    else player.pause();
    return;
  }
  songs.playing = song.id;
  player.src = previewSource(song.audio_url);
  $('songs-player-title').textContent = song.title;
  $('songs-player').hidden = false;
  player.play().catch(() => announce(t('songs-cannot-play')));
}
