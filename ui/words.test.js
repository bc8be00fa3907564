import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { language, onLanguageChange, t, useCatalogue } from './words.js';

const catalogue = (tag) => readFileSync(new URL(`../locales/${tag}.ftl`, import.meta.url), 'utf8');

test('the window formats the same catalogues as Rust, with each language\'s plural rules', () => {
  assert.deepEqual(useCatalogue('en', catalogue('en')), []);
  assert.equal(t('links-count', { count: 1 }), '1 link');
  assert.equal(t('links-count', { count: 12 }), '12 links');
  assert.equal(t('app-name'), 'Producer Uploader');
  assert.deepEqual(useCatalogue('zh-CN', catalogue('zh-CN')), []);
  assert.equal(language(), 'zh-CN');
  assert.equal(t('links-count', { count: 12 }), '12 个链接');
  assert.equal(t('language-name'), '简体中文');
});

test('a message no catalogue has shows its id, and listeners hear of each change', () => {
  useCatalogue('en', catalogue('en'));
  assert.equal(t('no-such-message'), 'no-such-message');
  const heard = [];
  const stop = onLanguageChange((tag) => heard.push(tag));
  useCatalogue('zh-CN', catalogue('zh-CN'));
  stop();
  useCatalogue('en', catalogue('en'));
  assert.deepEqual(heard, ['zh-CN']);
});

test('the copy of Fluent the window carries is the published one', () => {
  const vendored = new URL('./vendor/fluent-bundle/', import.meta.url);
  const published = new URL('../node_modules/@fluent/bundle/esm/', import.meta.url);
  const files = readdirSync(vendored).filter((name) => name.endsWith('.js'));
  assert.ok(files.includes('index.js'));
  for (const name of files) {
    assert.equal(readFileSync(new URL(name, vendored), 'utf8'), readFileSync(new URL(name, published), 'utf8'), name);
  }
});
