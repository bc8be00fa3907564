import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearedText, clearedToHistory, stoppedText } from './cleared.js';
import { applyUpdate, createList } from './store.js';

const summary = { total: 0, done: 0, failed: 0, interrupted: 0, rejected: 0, waiting: 0, uploading: 0, paused: false, eta_seconds: null };

function listOf(states) {
  const list = createList();
  applyUpdate(list, {
    sequence: 1,
    items: states.map((state, id) => ({ id, revision: 1, given: `https://a.example/${id}.wav`, state })),
    summary,
  });
  return list;
}

test('after Clear list, the uploads said to be in History are the ones History holds', () => {
  // 55 done, 2 failed, 1 stopped, 3 refused (never recorded), 1 still uploading (stays).
  const states = [
    ...Array(55).fill('done'), 'failed', 'failed', 'interrupted',
    'rejected', 'rejected', 'rejected', 'uploading',
  ];
  const count = clearedToHistory(listOf(states));
  assert.equal(count, 58);
  assert.equal(clearedText(count), 'Your 58 uploads are in History.');
  assert.equal(clearedText(1), 'Your upload is in History.');
  assert.equal(clearedText(1200), 'Your 1,200 uploads are in History.');
  // Only refused rows cleared: nothing went to History, and nothing says it did.
  assert.equal(clearedText(clearedToHistory(listOf(['rejected']))), 'List cleared.');
});

test('stopped uploads waiting for Retry are named with their number', () => {
  assert.equal(stoppedText(3), '3 uploads were stopped before they finished.');
  assert.equal(stoppedText(1), '1 upload was stopped before it finished.');
});
