// The window's words. Rust hands over the catalogue of the language in use (the same
// locales/*.ftl it formats its own messages from); this module formats it with Fluent.
//
// In the page, an element whose data-l10n-id names a message gets it as its text and the message's
// attributes (aria-label, placeholder, title, alt) as its own; data-l10n-args holds the values
// of its placeholders as JSON. The text goes into the element's child marked data-l10n-text when
// it has one (a button's label beside its icon). An element marked data-l10n-markup may take
// <strong>, <em> and <code> from the message, and its own children named data-l10n-name (a link)
// where the message places them. Code that draws text calls t(id, values) or setWords().

import { FluentBundle, FluentResource } from './vendor/fluent-bundle/index.js';

const ATTRIBUTES = new Set(['aria-label', 'placeholder', 'title', 'alt', 'aria-description', 'aria-valuetext']);

let bundle = null;
let tag = 'en';
const listeners = new Set();

// Uses the catalogue `source` (Fluent text) of `language` (a tag such as "zh-CN") from now on,
// then tells every listener. Returns the catalogue's syntax errors (none for a good one).
export function useCatalogue(language, source) {
  const next = new FluentBundle(language, { useIsolating: false });
  const errors = next.addResource(new FluentResource(source));
  bundle = next;
  tag = language;
  for (const listener of listeners) listener(language);
  return errors;
}

// The tag of the language in use.
export function language() {
  return tag;
}

// Calls `listener(tag)` each time the language changes; returns a function that stops it.
export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// The message `id` (or `id.attribute`) with `values` for its placeholders; the id itself when
// the catalogue has no such message, so a missing word shows rather than hides.
export function t(id, values = {}) {
  const [name, attribute] = id.split('.');
  const message = bundle?.getMessage(name);
  const pattern = attribute ? message?.attributes[attribute] : message?.value;
  if (!pattern) return id;
  return bundle.formatPattern(pattern, values);
}

// Gives `element` the message `id` (its text and attributes), now and after each change of
// language through translate().
export function setWords(element, id, values) {
  element.dataset.l10nId = id;
  if (values) element.dataset.l10nArgs = JSON.stringify(values);
  else delete element.dataset.l10nArgs;
  translateElement(element);
  return element;
}

// Puts the words into every element under `root` (and `root` itself) that names a message.
export function translate(root) {
  if (root.dataset?.l10nId) translateElement(root);
  for (const element of root.querySelectorAll('[data-l10n-id]')) translateElement(element);
}

// Shows `text` in `element` as it is (words from Rust, a file name): the element names no message
// any more, so a change of language leaves it alone.
export function setText(element, text) {
  delete element.dataset.l10nId;
  delete element.dataset.l10nArgs;
  element.textContent = text;
  return element;
}

function translateElement(element) {
  const name = element.dataset.l10nId;
  const values = element.dataset.l10nArgs ? JSON.parse(element.dataset.l10nArgs) : {};
  const message = bundle?.getMessage(name);
  const target = element.querySelector(':scope > [data-l10n-text]') || element;
  if (!message) {
    target.textContent = name;
    return;
  }
  if (message.value) {
    const text = bundle.formatPattern(message.value, values);
    if (element.hasAttribute('data-l10n-markup')) putMarkup(target, text);
    else target.textContent = text;
  }
  for (const [attribute, pattern] of Object.entries(message.attributes)) {
    if (ATTRIBUTES.has(attribute)) element.setAttribute(attribute, bundle.formatPattern(pattern, values));
  }
}

const MARKUP = new Set(['STRONG', 'EM', 'CODE']);

// Puts `text` (a message with a little markup) into `element`: text stays text, <strong>, <em>
// and <code> are made anew with their text only, an element with data-l10n-name takes the
// element's own child of that name (its link, its handlers) with the message's text; anything
// else becomes its text.
function putMarkup(element, text) {
  const named = new Map([...element.querySelectorAll('[data-l10n-name]')].map((child) => [child.dataset.l10nName, child]));
  const template = document.createElement('template');
  template.innerHTML = text;
  const nodes = [...template.content.childNodes].map((node) => {
    if (node.nodeType !== Node.ELEMENT_NODE) return document.createTextNode(node.textContent);
    const own = node.dataset?.l10nName && named.get(node.dataset.l10nName);
    if (own) {
      own.textContent = node.textContent;
      return own;
    }
    if (MARKUP.has(node.tagName)) {
      const made = document.createElement(node.tagName.toLowerCase());
      made.textContent = node.textContent;
      return made;
    }
    return document.createTextNode(node.textContent);
  });
  element.replaceChildren(...nodes);
}
