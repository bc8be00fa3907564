import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { FOLLOW_UPS, UNKNOWN_BEHAVIOUR, behaviourOf, opensPlatformTokenScreen, opensTokenScreen } from './errors.js';
import { ICONS } from './dom.js';

// Every step and icon Rust may send in a report, and each code's offer (src/error/offer.json,
// which a Rust test keeps equal to what Rust sends).
const offers = JSON.parse(readFileSync(new URL('../src/error/offer.json', import.meta.url), 'utf8'));
const reportOf = (code) => ({ code, message: 'm', trace_id: null, retryable: false, status: null, ...(offers.codes[code] || offers.unknown) });

test('the window draws every icon Rust may send', () => {
  assert.ok(offers.icons.length > 0);
  for (const name of offers.icons) assert.ok(Object.hasOwn(ICONS, name), `no drawing for ${name}`);
  for (const offer of [...Object.values(offers.codes), offers.unknown]) assert.ok(offers.icons.includes(offer.icon));
});

test('the window has a button for every next step Rust may send', () => {
  assert.deepEqual(new Set(offers.next_steps), new Set(['retry', 'none', ...FOLLOW_UPS]));
});

test('what the window does for an error is what the report says', () => {
  assert.deepEqual(behaviourOf(reportOf('used_up')), { icon: 'card', nextStep: 'top_up', opensByItself: false });
  // Not a table of codes: a code the window never heard of does what its report says.
  const newer = { code: 'brand_new_code', message: 'm', next_step: 'settings', opens_by_itself: false, icon: 'gear' };
  assert.deepEqual(behaviourOf(newer), { icon: 'gear', nextStep: 'settings', opensByItself: false });
  // A code from a newer service, as Rust sends it, and a report Rust did not make (the
  // framework's own refusal, wrapped by ipc.js) both offer Retry.
  assert.deepEqual(behaviourOf(reportOf('quota_melted')), UNKNOWN_BEHAVIOUR);
  assert.deepEqual(behaviourOf({ code: 'app_error', message: 'm', retryable: true }), UNKNOWN_BEHAVIOUR);
  assert.deepEqual(behaviourOf(null), UNKNOWN_BEHAVIOUR);
});

test('a refused or missing token opens its screen by itself; a locked keychain does not', () => {
  const codes = Object.keys(offers.codes);
  assert.deepEqual(codes.filter((code) => opensTokenScreen(reportOf(code))).sort(),
    ['invalid_token', 'no_token', 'token_expired', 'token_mismatched', 'token_missing']);
  assert.deepEqual(codes.filter((code) => opensPlatformTokenScreen(reportOf(code))).sort(),
    ['platform_token_invalid', 'platform_token_missing']);
  assert.equal(behaviourOf(reportOf('keychain_unavailable')).nextStep, 'token');
  assert.equal(opensTokenScreen(reportOf('keychain_unavailable')), false);
});
