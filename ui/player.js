// The preview player's controls, drawn like the rest of the window instead of WebKit's own:
// play and pause, the position as a slider, and the time. The <audio> element itself has no
// controls and is not shown.

import { drawIcon, el, icon } from './dom.js';
import { setWords, t } from './words.js';

// "1:05" for 65 seconds, "1:02:05" past an hour; "0:00" for a time not known yet.
export function clockTime(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '0:00';
  const whole = Math.floor(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = String(whole % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}

// "0:12 of 1:30", or just the position while the length is unknown (a stream).
export function positionText(current, duration) {
  return Number.isFinite(duration) && duration > 0
    ? t('player-of', { position: clockTime(current), length: clockTime(duration) })
    : clockTime(current);
}

// "0:12 / 1:30", as the player's clock shows it.
function clockText(current, duration) {
  return Number.isFinite(duration) && duration > 0 ? `${clockTime(current)} / ${clockTime(duration)}` : clockTime(current);
}

// Makes the controls for `audio` and returns them (a play/pause button, the slider, the time),
// kept in step with the element's own events. Their ids start with `prefix` (one player each).
export function playerControls(audio, prefix = 'player') {
  const toggle = el('button', {
    type: 'button', id: `${prefix}-toggle`, class: 'play ghost', l10n: 'player-play',
    onclick: () => (audio.paused ? audio.play().catch(() => {}) : audio.pause()),
  }, icon('play'));
  const slider = el('input', {
    type: 'range', id: `${prefix}-position`, class: 'player-position', min: '0', max: '0', step: '0.1', value: '0',
    l10n: 'player-position',
  });
  const time = el('span', { id: `${prefix}-time`, class: 'player-time', 'aria-hidden': 'true', text: '0:00' });
  let dragging = false;
  const draw = () => {
    const paused = audio.paused;
    const label = paused ? 'player-play' : 'player-pause';
    if (toggle.dataset.l10nId !== label) {
      setWords(toggle, label);
      drawIcon(toggle.querySelector('.icon'), paused ? 'play' : 'pause');
    }
    const duration = Number.isFinite(audio.duration) ? audio.duration : 0;
    slider.max = String(duration);
    if (!dragging) slider.value = String(audio.currentTime || 0);
    const words = positionText(audio.currentTime, audio.duration);
    slider.setAttribute('aria-valuetext', words);
    time.textContent = clockText(audio.currentTime, audio.duration);
  };
  for (const name of ['play', 'pause', 'ended', 'timeupdate', 'durationchange', 'loadedmetadata', 'emptied']) {
    audio.addEventListener(name, draw);
  }
  slider.addEventListener('input', () => {
    dragging = true;
    time.textContent = clockText(Number(slider.value), audio.duration);
  });
  slider.addEventListener('change', () => {
    dragging = false;
    audio.currentTime = Number(slider.value);
    draw();
  });
  return [toggle, slider, time];
}
