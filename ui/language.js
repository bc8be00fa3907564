// The language: the words Rust hands over put into the page, and Settings' Language choice
// (the system's, or one of the catalogues), applied the moment it is picked.

import { $, el } from './dom.js';
import { setLanguage, words } from './ipc.js';
import { t, translate, useCatalogue } from './words.js';

// Puts `view` (what ipc.words() returns) into the page: the words, the page's language for
// screen readers, and the choices in Settings.
export function applyWords(view) {
  useCatalogue(view.language, view.source);
  document.documentElement.lang = view.language;
  translate(document);
  drawChoices(view);
}

// Loads the words of the language in use (at start).
export async function loadWords() {
  applyWords(await words());
}

function drawChoices(view) {
  const options = $('language-options');
  const choices = [{ tag: 'system', name: t('settings-language-system') }, ...view.languages];
  options.replaceChildren(...choices.map(({ tag, name }) => {
    const input = el('input', {
      type: 'radio', name: 'language', value: tag, id: `language-${tag}`,
      onchange: () => choose(tag),
    });
    input.checked = tag === view.preference;
    // Each language's name is in that language, so a reader can find their own.
    const label = el('label', { class: 'check', for: `language-${tag}` }, input, ' ', el('span', { text: name }));
    if (tag !== 'system') label.lang = tag;
    return label;
  }));
}

async function choose(tag) {
  const problem = $('language-error');
  try {
    applyWords(await setLanguage(tag));
    problem.hidden = true;
    $(`language-${tag}`)?.focus();
  } catch (report) {
    problem.textContent = report.message;
    problem.hidden = false;
  }
}
