import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { t, useCatalogue } from './words.js';
import assert from 'node:assert/strict';
import {
  LONG_LIST, clearedText, clearedToHistory, startAfreshAfterClear, stoppedWords,
} from './cleared.js';
import { applyUpdate, createList } from './store.js';

const stoppedText = (count) => t(...stoppedWords(count));
const catalogue = (tag) => readFileSync(new URL(`../locales/${tag}.ftl`, import.meta.url), 'utf8');
useCatalogue('en', catalogue('en'));

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

test('in Chinese, the counts read as Chinese, with one form for every number', () => {
  useCatalogue('zh-CN', catalogue('zh-CN'));
  try {
    assert.equal(clearedText(58), '你的 58 次上传都在历史记录中。');
    assert.equal(clearedText(1), '你的上传在历史记录中。');
    assert.equal(clearedText(0), '列表已清空。');
    assert.equal(stoppedText(1), '有 1 次上传在完成前被停止。');
    assert.equal(stoppedText(1200), '有 1,200 次上传在完成前被停止。');
  } finally {
    useCatalogue('en', catalogue('en'));
  }
});

test('only a long list cleared with nothing running starts the page afresh', () => {
  assert.equal(startAfreshAfterClear(LONG_LIST, false), true);
  assert.equal(startAfreshAfterClear(1000, false), true);
  assert.equal(startAfreshAfterClear(LONG_LIST - 1, false), false);
  assert.equal(startAfreshAfterClear(1000, true), false);
  assert.equal(startAfreshAfterClear(0, false), false);
});
