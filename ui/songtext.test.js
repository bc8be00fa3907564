import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { useCatalogue } from './words.js';
import { settingsText, songLength, songName } from './songtext.js';

const catalogue = (tag) => readFileSync(new URL(`../locales/${tag}.ftl`, import.meta.url), 'utf8');

test('a generation\'s settings in short, in English and in Chinese', () => {
  const request = { action: 'extend', audio_id: 'a-1', continue_at: 3.5, style: 'dream pop', instrumental: true, lyric: 'la la' };
  useCatalogue('en', catalogue('en'));
  assert.equal(settingsText(request, 'FUZZ-2.0'), 'from 3.5 s · style: dream pop · model: FUZZ-2.0 · instrumental · with lyrics');
  assert.equal(settingsText({ action: 'cover', audio_id: 'a-1', model: 'FUZZ-1.0', prompt: 'slow and sad' }),
    'model: FUZZ-1.0 · “slow and sad”');
  useCatalogue('zh-CN', catalogue('zh-CN'));
  assert.equal(settingsText(request, 'FUZZ-2.0'), '从第 3.5 秒开始 · 风格：dream pop · 模型：FUZZ-2.0 · 纯音乐 · 有歌词');
  useCatalogue('en', catalogue('en'));
});

test('a song is named with its length in minutes and seconds', () => {
  useCatalogue('en', catalogue('en'));
  assert.equal(songLength(42.4), '0:42');
  assert.equal(songLength(125), '2:05');
  assert.equal(songLength(3600), '60:00');
  assert.equal(songName({ title: 'Night drive', duration: 125.2 }), 'Night drive (2:05)');
  assert.equal(songName({ title: 'Night drive' }), 'Night drive');
  assert.equal(songName({ title: '' }), 'Untitled');
  useCatalogue('zh-CN', catalogue('zh-CN'));
  assert.equal(songName({ title: '夜行', duration: 8 }), '夜行（0:08）');
  assert.equal(songName({ title: '' }), '未命名');
  useCatalogue('en', catalogue('en'));
});
