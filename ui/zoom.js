// Text size: Ctrl+= (or Ctrl++) larger, Ctrl+- smaller, Ctrl+0 the usual size. Rust keeps the
// size for the next start and owns its steps; this only turns the keys into requests.

const STEPS = { '=': 'in', '+': 'in', '-': 'out', _: 'out', 0: 'reset' };

document.addEventListener('keydown', (event) => {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
  const step = STEPS[event.key];
  if (!step) return;
  event.preventDefault();
  window.__TAURI__.core.invoke('zoom', { step }).then((percent) => {
    const live = document.getElementById('live');
    live.textContent = '';
    setTimeout(() => { live.textContent = `Text size ${percent}%`; }, 30);
  }, () => {});
});
