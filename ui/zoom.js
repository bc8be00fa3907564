// Text size: Ctrl+= (or Ctrl++) larger, Ctrl+- smaller, Ctrl+0 the usual size. Rust keeps the
// size for the next start and owns its steps; this only turns the keys into requests.

import { announce } from './dom.js';
import { zoom } from './ipc.js';
import { t } from './words.js';

const STEPS = { '=': 'in', '+': 'in', '-': 'out', _: 'out', 0: 'reset' };

document.addEventListener('keydown', (event) => {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
  const step = STEPS[event.key];
  if (!step) return;
  event.preventDefault();
  zoom(step).then((percent) => announce(t('settings-text-size', { percent })), (report) => announce(report.message));
});
