// Songs: the Extend / Cover dialog and the Songs view. Rust records, sends and follows each
// generation and says where it stands (its words, its error's message); this module draws it.

import { $, announce, el, icon } from './dom.js';
import { behaviourOf } from './errors.js';
import {
  checkSongAgain, copyText, downloadSong, generateSong, previewSource, sendSongAgain, subscribeSongs,
} from './ipc.js';

const songs = {
  options: null, // models and limits, from Rust
  problem: null, // why running songs are not followed now, if they are not
  generations: new Map(), // id -> generation (the newest of each)
  playing: null, // song id in the player
  onShow: null, // shows the Songs view (app.js's showView)
  followUp: null, // what an error's button does (app.js: token screen, top-up page, settings)
};

// Subscribes to songs updates and draws the view; `onShow` opens it, `followUp(action, report)`
// does what an error's button offers.
export async function initSongs(onShow, followUp) {
  songs.onShow = onShow;
  songs.followUp = followUp;
  $('songs-button').addEventListener('click', () => onShow());
  await refreshSongs();
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

// The Extend and Cover buttons of a done upload (`name` prefills the dialog).
export function songButtons(audioId, name, describedBy) {
  return [
    button('Extend', describedBy, () => openGenerate('extend', audioId, name)),
    button('Cover', describedBy, () => openGenerate('cover', audioId, name)),
  ];
}

// Opens the Extend or Cover dialog for `audioId`, prefilled with `name`.
export async function openGenerate(action, audioId, name, seconds = null) {
  if (!songs.options) await refreshSongs();
  const options = songs.options;
  if (!options) {
    announce('Songs are not available yet. Try again in a moment.');
    return;
  }
  const dialog = $('generate-dialog');
  const title = name.replace(/\.[a-z0-9]{2,4}$/i, '');
  const verb = action === 'extend' ? 'Extend' : 'Cover';
  const field = (id, label, input, hint) => el('div', { class: 'field' },
    el('label', { for: id, class: 'field-label', text: label }), input,
    hint ? el('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null);
  const number = (id, min, max, step, value = '') => el('input', {
    id, type: 'number', min, max, step, value, 'aria-describedby': `${id}-hint`,
  });
  const text = (id, max, value = '') => el('input', { id, type: 'text', maxlength: max, value, autocomplete: 'off' });
  const models = el('select', { id: 'gen-model', 'aria-describedby': 'gen-model-hint' });
  for (const model of options.models) {
    models.append(el('option', {
      value: model.name, selected: model.name === options.default_model, text: `${model.name}: ${model.purpose}`,
    }));
  }
  const advanced = el('details', { class: 'advanced' }, el('summary', { text: 'Advanced' }));
  for (const value of options.advanced) {
    advanced.append(field(`gen-${value.field}`, value.label, number(`gen-${value.field}`, value.min, value.max, 0.05),
      `From ${value.min} to ${value.max}. Leave empty for the service's choice.`));
  }
  advanced.append(field('gen-seed', 'Seed', text('gen-seed', options.max_short_text_chars),
    'The same seed and settings make a similar song again.'));
  const error = el('p', { id: 'gen-error', class: 'error-text', role: 'alert', hidden: true });
  const generate = el('button', { type: 'submit', class: 'primary', text: 'Generate' });
  const form = el('form', { method: 'dialog', class: 'generate-form', novalidate: true },
    el('h2', { id: 'generate-title', text: `${verb} “${name}”` }),
    el('p', { class: 'hint', text: action === 'extend'
      ? 'A new song that continues yours from a moment you choose.'
      : 'Your song again, in another style.' }),
    action === 'extend'
      ? field('gen-at', 'Continue from (seconds)', number('gen-at', 0, '', 0.1, seconds ?? ''),
        'How far into your audio the new part starts, in seconds.')
      : null,
    field('gen-lyric', 'Lyrics', el('textarea', { id: 'gen-lyric', rows: 4, maxlength: options.max_lyric_chars, 'aria-describedby': 'gen-lyric-hint' }),
      'The words to sing. Or leave them empty and describe the song below.'),
    field('gen-prompt', 'Short description (instead of lyrics)', text('gen-prompt', options.max_prompt_chars),
      `At most ${options.max_prompt_chars} characters.`),
    field('gen-style', 'Style', text('gen-style', options.max_short_text_chars), 'For example: dream pop, female voice.'),
    field('gen-title', 'Title', text('gen-title', options.max_short_text_chars, title)),
    el('label', { class: 'check' }, el('input', { id: 'gen-instrumental', type: 'checkbox' }), ' Instrumental (no singing)'),
    field('gen-model', 'Model', models, 'FUZZ-2.0 suits most songs.'),
    advanced,
    error,
    el('p', { class: 'hint', id: 'gen-credits', text: 'Generate uses credits from your Ace Data Cloud balance.' }),
    el('div', { class: 'actions' }, generate,
      el('button', { type: 'button', class: 'ghost', text: 'Cancel', onclick: () => dialog.close() })));
  generate.setAttribute('aria-describedby', 'gen-credits');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send(action, audioId, generate, error, dialog);
  });
  dialog.replaceChildren(form);
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
  button.textContent = 'Sending…';
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
    button.textContent = 'Generate';
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
    text: focused.textContent,
  } : null;
  list.replaceChildren(...all.map(generationRow));
  if (!keep) return;
  const row = list.querySelector(`.song-row[data-id="${keep.id}"]`);
  const scope = keep.song ? row?.querySelector(`.song[data-song="${CSS.escape(keep.song)}"]`) : row;
  const buttons = [...(scope?.querySelectorAll('button') || [])];
  (buttons.find((button) => button.textContent === keep.text) || buttons[0] || $('songs-title')).focus();
}

function settingsText(request) {
  const parts = [];
  if (request.action === 'extend' && request.continue_at !== undefined) parts.push(`from ${request.continue_at} s`);
  if (request.style) parts.push(`style: ${request.style}`);
  parts.push(`model: ${request.model || songs.options?.default_model || ''}`);
  if (request.instrumental) parts.push('instrumental');
  if (request.lyric) parts.push('with lyrics');
  else if (request.prompt) parts.push(`“${request.prompt}”`);
  return parts.join(' · ');
}

function button(label, describedBy, onclick, { iconName = null, primary = false } = {}) {
  return el('button', {
    type: 'button', class: primary ? 'small primary' : 'small', 'aria-describedby': describedBy, onclick,
  }, iconName ? icon(iconName) : null, el('span', { text: label }));
}

// The next step an error's code offers, beside Send again.
const FIXES = {
  token: { action: 'token', label: 'Change token', icon: 'key' },
  top_up: { action: 'top_up', label: 'Top up balance', icon: 'card' },
  settings: { action: 'settings', label: 'Open settings', icon: 'gear' },
};

function generationRow(generation) {
  const { request } = generation;
  const titleId = `gen-${generation.id}-title`;
  const name = request.title || 'Untitled';
  const verb = request.action === 'extend' ? 'Extend' : 'Cover';
  const li = el('li', { class: 'song-row', 'data-state': generation.state, 'data-id': generation.id },
    el('h3', { id: titleId, text: name }),
    el('p', { class: 'meta' }, el('span', { text: `${verb} of ` }), el('code', { text: request.audio_id }),
      el('span', { text: ` · ${new Date(generation.created_at).toLocaleString()}` })),
    el('p', { class: 'meta', text: settingsText(request) }));
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
    const fix = FIXES[behaviourOf(generation.error.code).action];
    if (fix) {
      actions.append(button(fix.label, titleId, () => songs.followUp(fix.action, generation.error), { iconName: fix.icon }));
    }
    if (generation.state === 'unknown') {
      actions.append(button('Check again', titleId, () => act(checkSongAgain(generation.id))));
    }
    actions.append(button('Send again', titleId, () => act(sendSongAgain(generation.id)), { primary: true }));
    if (generation.error.trace_id) {
      actions.append(button('Copy trace ID', titleId, () => copy(generation.error.trace_id, 'Trace ID copied.')));
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
    song.image_url ? el('img', { class: 'cover', src: previewSource(song.image_url), alt: `Cover of ${song.title}`, width: 64, height: 64 }) : null,
    el('p', { class: 'name', id: nameId, text: song.duration ? `${song.title} (${Math.round(song.duration)} s)` : song.title }),
    el('code', { class: 'audio-id', text: song.id }));
  item.append(el('div', { class: 'buttons' },
    el('button', {
      type: 'button', class: 'small play', 'aria-label': playing ? 'Pause' : 'Play', 'aria-describedby': nameId,
      onclick: () => play(song),
    }, icon(playing ? 'pause' : 'play'), el('span', { text: playing ? 'Pause' : 'Play' })),
    button('Download', nameId, () => download(generation.id, song), { iconName: 'download' }),
    button('Copy song ID', nameId, () => copy(song.id, 'Song ID copied.'), { iconName: 'copy' }),
    button('Copy link', nameId, () => copy(song.audio_url, 'Link copied.'), { iconName: 'link' }),
    button('Extend', nameId, () => openGenerate('extend', song.id, song.title, song.duration ? Math.floor(song.duration) : null)),
    button('Cover', nameId, () => openGenerate('cover', song.id, song.title))));
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

async function copy(text, done) {
  try {
    await copyText(text);
    announce(done);
  } catch (report) {
    announce(`Could not copy: ${report.message}`);
  }
}

async function download(id, song) {
  try {
    const saved = await downloadSong(id, song.id);
    if (saved) announce(`Saved ${saved.path}`);
  } catch (report) {
    announce(report.message);
    songs.problem = report;
    drawProblem();
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
  player.play().catch(() => announce('This song could not be played here. Download it instead.'));
}
