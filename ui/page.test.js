// What the page's markup may hold, for the window to paint as soon as a minimal Tauri app's:
// measured in README.md ("Start time against a minimal Tauri app").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const page = readFileSync(new URL('./index.html', import.meta.url), 'utf8');

test('the page holds no media element: the preview player makes its own on first use', () => {
  // WebKit sets up its media engine for an <audio> or <video> in the page, even a hidden one,
  // and paints the window about 150 ms later.
  assert.doesNotMatch(page, /<(audio|video)\b/i);
  assert.match(page, /id="player-bar"/);
  assert.match(page, /id="player-title"/);
});

test('the page starts its script after its markup, without holding back the first paint', () => {
  const scripts = [...page.matchAll(/<script\b[^>]*>/gi)].map((match) => match[0]);
  assert.deepEqual(scripts, ['<script src="start.js">']);
  assert.ok(page.indexOf('<script') > page.lastIndexOf('</dialog>'), 'the script comes after the markup');
});
