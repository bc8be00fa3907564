import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { useCatalogue } from './words.js';
import assert from 'node:assert/strict';
import { failureGroups, firstSentence, groupText } from './groups.js';
import { applyUpdate, createList } from './store.js';

const catalogue = (tag) => readFileSync(new URL(`../locales/${tag}.ftl`, import.meta.url), 'utf8');
useCatalogue('en', catalogue('en'));

const summary = { total: 0, done: 0, failed: 0, interrupted: 0, rejected: 0, waiting: 0, uploading: 0, paused: false, eta_seconds: null };
// Reports as Rust sends them, with what the window is offered for their code.
const offers = JSON.parse(readFileSync(new URL('../src/error/offer.json', import.meta.url), 'utf8'));
const usedUp = { code: 'used_up', message: 'Your balance is used up. Top up at Ace Data Cloud, then press Retry.', trace_id: null, retryable: false, ...offers.codes.used_up };
const server = { code: 'api_error', message: 'Ace Data Cloud had a problem on its side. Wait a minute.', trace_id: 't', retryable: true, ...offers.codes.api_error };

function listOf(items) {
  const list = createList();
  applyUpdate(list, {
    sequence: 1,
    items: items.map((item, id) => ({ id, revision: 1, given: `https://a.example/${id}.wav`, ...item })),
    summary,
  });
  return list;
}

test('identical failures are told once, with the button that fixes them', () => {
  const list = listOf([
    ...Array(12).fill({ state: 'failed', error: usedUp, can_retry: true }),
    { state: 'failed', error: server, can_retry: true },
    { state: 'done', uploaded: { audio_id: 'x' } },
  ]);
  const groups = failureGroups(list);
  assert.equal(groups.length, 1, 'a reason one row has is not a group');
  assert.equal(groupText(groups[0]), '12 links: Your balance is used up.');
  assert.equal(groups[0].followUp, 'top_up');
  // Drawn with the icon its report names.
  assert.equal(groups[0].icon, 'card');
  assert.equal(groups[0].retryIds.length, 12);
});

test('the largest group comes first, and a first sentence is found in any message', () => {
  const list = listOf([
    ...Array(2).fill({ state: 'failed', error: server }),
    ...Array(3).fill({ state: 'failed', error: usedUp }),
  ]);
  assert.deepEqual(failureGroups(list).map((group) => group.ids.length), [3, 2]);
  assert.equal(firstSentence('No full stop'), 'No full stop');
  assert.equal(firstSentence('One. Two.'), 'One.');
});

test('a Chinese reason is cut at its first full stop, and its count is Chinese', () => {
  const message = '你的 Ace Data Cloud 余额已用完。请充值后按“重试”。';
  assert.equal(firstSentence(message), '你的 Ace Data Cloud 余额已用完。');
  const list = listOf(Array(3).fill({ state: 'failed', error: { ...usedUp, message }, can_retry: true }));
  useCatalogue('zh-CN', catalogue('zh-CN'));
  try {
    assert.equal(groupText(failureGroups(list)[0]), '3 个链接：你的 Ace Data Cloud 余额已用完。');
  } finally {
    useCatalogue('en', catalogue('en'));
  }
});
