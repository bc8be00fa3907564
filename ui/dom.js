// Small DOM helpers and the app's icons (simple line drawings, 24×24, stroked, so no icon
// depends on the fonts installed).

import { setWords } from './words.js';

export const ICONS = {
  upload: ['M12 16V4', 'M6 10l6-6 6 6', 'M4 20h16'],
  gear: ['M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
    'M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  warning: ['M12 3L22 20H2z', 'M12 10v4', 'M12 17h.01'],
  key: ['M8 19a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9z', 'M11.2 11.3L20 2.5', 'M16.5 6l2.5 2.5', 'M14 8.5l2 2'],
  card: ['M3 6h18v12H3z', 'M3 10h18', 'M7 15h3'],
  ban: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M5.6 5.6l12.8 12.8'],
  clock: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M12 7v5l3 2'],
  signal: ['M2 8.5a15 15 0 0 1 20 0', 'M5.5 12a10 10 0 0 1 13 0', 'M9 15.5a5 5 0 0 1 6 0', 'M12 19h.01'],
  computer: ['M3 4h18v12H3z', 'M8 20h8', 'M12 16v4'],
  link: ['M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1', 'M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1'],
  lock: ['M5 11h14v10H5z', 'M8 11V7a4 4 0 0 1 8 0v4'],
  play: ['M7 4.5v15l12.5-7.5z'],
  pause: ['M7 4.5h3.5v15H7z', 'M13.5 4.5H17v15h-3.5z'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  spinner: ['M12 3a9 9 0 1 0 9 9'],
  hourglass: ['M6 3h12', 'M6 21h12', 'M7 3c0 5 10 6 10 9s-10 4-10 9', 'M17 3c0 5-10 6-10 9s10 4 10 9'],
  copy: ['M9 9h11v11H9z', 'M5 15H4V4h11v1'],
  download: ['M12 4v11', 'M7 10l5 5 5-5', 'M4 20h16'],
  info: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M12 11v6', 'M12 7.5h.01'],
  music: ['M9 18V5l11-2v13', 'M6 21a3 3 0 1 0 0-6 3 3 0 0 0 0 6z', 'M17 19a3 3 0 1 0 0-6 3 3 0 0 0 0 6z'],
};

const SVG = 'http://www.w3.org/2000/svg';

export function drawIcon(element, name) {
  element.replaceChildren();
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of ICONS[name] || ICONS.info) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    if (name === 'play' || name === 'pause') path.setAttribute('fill', 'currentColor');
    svg.append(path);
  }
  element.append(svg);
  element.dataset.icon = name;
}

export function icon(name, extraClass = '') {
  const span = document.createElement('span');
  span.className = `icon ${extraClass}`.trim();
  span.setAttribute('aria-hidden', 'true');
  drawIcon(span, name);
  return span;
}

export function el(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'text') element.textContent = value;
    // A message of the catalogue (its text and attributes), drawn again when the language changes.
    else if (key === 'l10n') continue;
    else if (key === 'args') continue;
    else if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? '' : value);
  }
  element.append(...children.filter((child) => child !== null && child !== undefined));
  if (props.l10n) setWords(element, props.l10n, props.args);
  return element;
}

export const $ = (id) => document.getElementById(id);

export function announce(message) {
  const live = $('live');
  live.textContent = '';
  // A fresh text node after a tick, so screen readers announce repeated messages too.
  setTimeout(() => { live.textContent = message; }, 30);
}
