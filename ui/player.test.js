import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { useCatalogue } from './words.js';
import assert from 'node:assert/strict';
import { clockTime, positionText } from './player.js';

const catalogue = (tag) => readFileSync(new URL(`../locales/${tag}.ftl`, import.meta.url), 'utf8');
useCatalogue('en', catalogue('en'));

test('the player tells the time as a clock does', () => {
  assert.equal(clockTime(0), '0:00');
  assert.equal(clockTime(65.9), '1:05');
  assert.equal(clockTime(3725), '1:02:05');
  assert.equal(clockTime(Number.NaN), '0:00', 'not known yet');
  assert.equal(positionText(12, 90), '0:12 of 1:30');
  assert.equal(positionText(12, Infinity), '0:12', 'a stream has no length');
});
