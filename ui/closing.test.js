import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { t, useCatalogue } from './words.js';
import { closeWords } from './closing.js';

const catalogue = (tag) => readFileSync(new URL(`../locales/${tag}.ftl`, import.meta.url), 'utf8');
const said = (words, part) => (words[part] ? t(...words[part]) : null);

test('closing during uploads asks about the uploads, as before', () => {
  useCatalogue('en', catalogue('en'));
  const words = closeWords({ waiting: 2, uploading: 1, songs: 0 });
  assert.equal(said(words, 'title'), 'Uploads are still running');
  assert.equal(said(words, 'text'), '3 links are still being uploaded or waiting.');
  assert.equal(words.also, null);
  assert.equal(said(words, 'stop'), 'Stop uploads');
});

test('closing while only songs are being made asks about the songs, and offers to quit', () => {
  useCatalogue('en', catalogue('en'));
  const words = closeWords({ waiting: 0, uploading: 0, songs: 2 });
  assert.equal(said(words, 'title'), 'Songs are still being made');
  assert.equal(said(words, 'text'), '2 songs are still being made.');
  assert.equal(words.also, null);
  assert.match(said(words, 'backgroundHelp'), /keeps checking on your songs/);
  assert.match(said(words, 'stopHelp'), /appear in Songs the next time/);
  assert.equal(said(words, 'stop'), 'Quit now');
  assert.equal(said(closeWords({ songs: 1 }), 'text'), '1 song is still being made.');
});

test('closing during uploads with songs being made names both', () => {
  useCatalogue('en', catalogue('en'));
  const words = closeWords({ waiting: 1, uploading: 0, songs: 1 });
  assert.equal(said(words, 'title'), 'Uploads are still running');
  assert.equal(said(words, 'text'), '1 link is still being uploaded or waiting.');
  assert.match(said(words, 'also'), /^1 song is also being made: Finish in background waits for it too\./);
  assert.equal(said(words, 'stop'), 'Stop uploads');
});

test('the songs question in Simplified Chinese', () => {
  useCatalogue('zh-CN', catalogue('zh-CN'));
  const words = closeWords({ waiting: 0, uploading: 0, songs: 2 });
  assert.equal(said(words, 'title'), '歌曲仍在生成');
  assert.equal(said(words, 'text'), '还有 2 首歌曲正在生成。');
  assert.equal(said(words, 'stop'), '立即退出');
  assert.match(said(closeWords({ waiting: 3, songs: 2 }), 'also'), /^另有 2 首歌曲正在生成/);
  useCatalogue('en', catalogue('en'));
});
