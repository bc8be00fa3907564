import { test } from 'node:test';
import { readFileSync, readdirSync } from 'node:fs';
import assert from 'node:assert/strict';
import { t, useCatalogue } from './words.js';

const read = (name) => readFileSync(new URL(name, import.meta.url), 'utf8');
const catalogue = (tag) => read(`../locales/${tag}.ftl`);
// The window's modules (its tests and the vendored Fluent aside).
const modules = readdirSync(new URL('.', import.meta.url))
  .filter((name) => name.endsWith('.js') && !name.endsWith('.test.js'));

test('the page starts its modules from one classic script', () => {
  // start.js is the page's one script tag (index.html, checked in src-tauri): it starts the two
  // modules the page runs once the markup above it is laid out.
  const started = read('start.js').split('\n').filter((line) => line && !line.startsWith('//'));
  assert.deepEqual(started, ["import('./app.js');", "import('./zoom.js');"]);
});

test('the modules load only each other, and no code at run time', () => {
  assert.ok(modules.includes('app.js') && modules.includes('history.js'));
  for (const name of modules.filter((module) => module !== 'start.js')) {
    const text = read(name);
    for (const line of text.split('\n').filter((line) => line.includes(" from '"))) {
      assert.ok(line.includes(" from './"), `${name} imports from elsewhere: ${line}`);
    }
    assert.ok(!text.includes('import('), `${name} loads code at run time`);
  }
});

test('the buttons drawn by code have the names the end-to-end tests look for', () => {
  useCatalogue('en', catalogue('en'));
  const code = modules.map(read).join('\n');
  for (const [id, name] of [
    ['hist-copy-id', 'Copy ID'],
    ['hist-retry', 'Retry'],
    ['row-copy-trace', 'Copy trace ID'],
    ['hist-delete', 'Delete'],
  ]) {
    assert.ok(code.includes(`l10n: '${id}'`), id);
    assert.equal(t(`${id}.aria-label`), name, id);
  }
});
