import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { useCatalogue } from './words.js';
import assert from 'node:assert/strict';
import { formatWhen, humanSize, monthNames, shortDay, shortLink, statusText } from './format.js';

const catalogue = (tag) => readFileSync(new URL(`../locales/${tag}.ftl`, import.meta.url), 'utf8');
useCatalogue('en', catalogue('en'));

test('links are shortened to the site and the file name', () => {
  assert.equal(shortLink('https://www.dropbox.com/s/abc/My%20Song.wav?dl=0'), 'dropbox.com › … › My Song.wav');
  assert.equal(shortLink('https://x.example/a.wav'), 'x.example › a.wav');
  assert.equal(shortLink('https://x.example/'), 'x.example');
  assert.equal(shortLink('/home/me/take.wav'), 'take.wav');
});

test('each row state has its words, a held link asking for an OK', () => {
  assert.deepEqual(statusText({ kind: 'waiting', seconds: 5, rateLimited: true }, 4), ['clock', 'Waiting 4 s for the rate limit']);
  assert.equal(statusText({ kind: 'held' })[1], 'Not sent: needs your OK');
  assert.equal(statusText({ kind: 'interrupted' })[1], 'Stopped before it was sent');
  assert.equal(statusText({ kind: 'rejected' })[1], 'Refused: it cannot be uploaded');
});

test('a file on its way says how far, in plain words and sizes', () => {
  assert.deepEqual(statusText({ kind: 'receiving', percent: 42 }), ['spinner', 'Reading the file… 42%']);
  assert.deepEqual(statusText({ kind: 'hosting', percent: 42, sent: 12_345_678, sizeText: '29.1 MB' }),
    ['spinner', 'Uploading to Ace Data Cloud… 42% · 12.3 MB of 29.1 MB']);
  assert.equal(statusText({ kind: 'hosting', percent: 100, sent: 29_100_000, sizeText: '29.1 MB' })[1],
    'Uploaded to Ace Data Cloud (29.1 MB), waiting for its link…');
  assert.equal(statusText({ kind: 'checking' })[1], 'Checking the file…');
  // As Rust's human_size says them.
  assert.equal(humanSize(512), '512 bytes');
  assert.equal(humanSize(3_400_000), '3.4 MB');
  assert.equal(humanSize(1_500), '1.5 KB');
  assert.equal(humanSize(2_000_000_000), '2.0 GB');
});

test('in Chinese, row states, sizes and dates are written for Chinese readers', () => {
  useCatalogue('zh-CN', catalogue('zh-CN'));
  try {
    assert.equal(statusText({ kind: 'held' })[1], '已暂缓：需要你确认');
    assert.equal(statusText({ kind: 'done' })[1], '完成');
    assert.equal(statusText({ kind: 'waiting', seconds: 5, rateLimited: true }, 4)[1], '受频率限制，等待 4 秒');
    assert.equal(statusText({ kind: 'hosting', percent: 42, sent: 12_345_678, sizeText: '29.1 MB' })[1],
      '正在上传到 Ace Data Cloud… 42% · 12.3 MB / 29.1 MB');
    assert.equal(humanSize(512), '512 字节');
    assert.equal(humanSize(12_345_678), '12.3 MB');
    const when = new Date(2026, 11, 5, 8, 15);
    assert.match(formatWhen(when.toISOString()), /^2026年12月5日 08:15$/);
    assert.equal(shortDay(when), '12月5日');
    assert.equal(monthNames()[11], '十二月');
  } finally {
    useCatalogue('en', catalogue('en'));
  }
  const when = new Date(2026, 11, 5, 8, 15);
  assert.equal(formatWhen(when.toISOString()), 'Dec 5, 2026, 8:15 AM');
  assert.equal(shortDay(when), 'Dec 5');
  assert.equal(monthNames()[0], 'January');
  assert.equal(formatWhen('not a date'), 'not a date');
});
