import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchText, countsText, formatEta, shortLink, statusText } from './format.js';

test('links are shortened to the site and the file name', () => {
  assert.equal(shortLink('https://www.dropbox.com/s/abc/My%20Song.wav?dl=0'), 'dropbox.com › … › My Song.wav');
  assert.equal(shortLink('https://x.example/a.wav'), 'x.example › a.wav');
  assert.equal(shortLink('https://x.example/'), 'x.example');
  assert.equal(shortLink('/home/me/take.wav'), 'take.wav');
});

test('the batch bar counts the links and says what is left', () => {
  const summary = { total: 5, done: 2, failed: 1, interrupted: 0, rejected: 1, waiting: 0, uploading: 1, paused: false, eta_seconds: 90 };
  assert.deepEqual(batchText(summary), { counts: '2 of 4 done · 1 failed · 1 uploading', eta: 'about 2 min left', finished: 3, total: 4 });
  assert.equal(batchText({ ...summary, uploading: 0 }).eta, 'Finished. Some links were not uploaded.');
  assert.equal(batchText({ ...summary, paused: true }).eta, 'Paused: the uploads already running are finishing.');
  assert.equal(formatEta(3700), 'about 1 h 2 min left');
  assert.equal(countsText({ active: 1, done: 2, notUploaded: 0 }, true), '1 waiting · 2 done');
  assert.deepEqual(statusText({ kind: 'waiting', seconds: 5, rateLimited: true }, 4), ['clock', 'Waiting 4 s for the rate limit']);
});
