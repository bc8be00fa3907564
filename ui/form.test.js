import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { useCatalogue } from './words.js';
import assert from 'node:assert/strict';
import { settingsProblems } from './form.js';

const catalogue = (tag) => readFileSync(new URL(`../locales/${tag}.ftl`, import.meta.url), 'utf8');
useCatalogue('en', catalogue('en'));

const limits = { min_concurrency: 1, max_concurrency: 16, min_timeout_secs: 5, max_timeout_secs: 600 };

test('settings within the limits have no problems', () => {
  assert.deepEqual(settingsProblems({ concurrency: 1, timeout_secs: 600 }, limits), {});
  assert.deepEqual(settingsProblems({ concurrency: 16, timeout_secs: 5 }, limits), {});
});

test('each field out of range, empty or not whole is named with its range', () => {
  const problems = settingsProblems({ concurrency: 17, timeout_secs: 4 }, limits);
  assert.match(problems.concurrency, /from 1 to 16/);
  assert.match(problems.timeout, /from 5 to 600/);
  assert.deepEqual(Object.keys(settingsProblems({ concurrency: 0, timeout_secs: 30 }, limits)), ['concurrency']);
  assert.deepEqual(Object.keys(settingsProblems({ concurrency: 2.5, timeout_secs: Number.NaN }, limits)),
    ['concurrency', 'timeout']);
});
