import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applySnapshot, applyUpdate, countRows, createList, doneAudioIds, doneTable, fileNameOf, idsNewestFirst, listActions,
  rowActions, rowOf, rowStatus, tokenFailures,
} from './store.js';

// A small model of the Rust queue (src/queue.rs): one counter numbers every change; each message
// carries the items it changed, stamped with that number, the ids it removed, and the counts.
function queueModel() {
  const items = new Map();
  let sequence = 0;
  let nextId = 0;
  const summary = () => {
    const s = { total: items.size, done: 0, failed: 0, interrupted: 0, rejected: 0, waiting: 0, uploading: 0, paused: false, eta_seconds: null };
    for (const item of items.values()) s[item.state] += 1;
    return s;
  };
  const message = (changed, removed = []) => {
    sequence += 1;
    const out = [];
    for (const id of changed) {
      const item = { ...items.get(id), revision: sequence };
      items.set(id, item);
      out.push(structuredClone(item));
    }
    return { sequence, items: out, removed, summary: summary() };
  };
  return {
    add(count) {
      const ids = [];
      for (let i = 0; i < count; i += 1) {
        const id = nextId++;
        items.set(id, {
          id, revision: 0, given: `https://x.example/${id}.wav`, audio_url: `https://x.example/${id}.wav`,
          state: 'waiting', progress: null, uploaded: null, error: null, notes: [],
        });
        ids.push(id);
      }
      return message(ids);
    },
    set(id, state, extra = {}) {
      items.set(id, { ...items.get(id), state, ...extra });
      return message([id]);
    },
    clear() {
      const removed = [...items.values()].filter((item) => !['waiting', 'uploading'].includes(item.state)).map((item) => item.id);
      for (const id of removed) items.delete(id);
      return message([], removed);
    },
    pause() { return message([]); },
    snapshot() {
      return { sequence, items: [...items.values()].map((item) => structuredClone(item)), removed: [], summary: summary() };
    },
    ids: () => [...items.keys()],
    states: () => new Map([...items.values()].map((item) => [item.id, item.state])),
  };
}

const done = (id) => ({ uploaded: { audio_id: `audio-${id}`, task_id: null, hosted_audio_url: null }, progress: null });
const failed = (code) => ({ error: { code, message: `${code} happened`, trace_id: 'trace-1', retryable: false, status: 400 }, progress: null });

// What the display holds, in a form easy to compare.
function shown(list) {
  return {
    items: idsNewestFirst(list).map((id) => list.items.get(id)),
    summary: list.summary,
    sequence: list.sequence,
  };
}

function expected(model) {
  const snapshot = model.snapshot();
  return {
    items: [...snapshot.items].sort((a, b) => b.id - a.id).map(rowOf),
    summary: snapshot.summary,
    sequence: snapshot.sequence,
  };
}

function* permutations(values) {
  if (values.length <= 1) {
    yield values;
    return;
  }
  for (let i = 0; i < values.length; i += 1) {
    const rest = [...values.slice(0, i), ...values.slice(i + 1)];
    for (const tail of permutations(rest)) yield [values[i], ...tail];
  }
}

function deliver(list, message) {
  if (message.snapshot) applySnapshot(list, message.snapshot);
  else applyUpdate(list, message);
}

test('an older item update arriving after a newer one changes nothing', () => {
  const model = queueModel();
  const added = model.add(1);
  const started = model.set(0, 'uploading', { progress: { state: 'uploading', attempt: 1 } });
  const finished = model.set(0, 'done', done(0));
  const list = createList();
  for (const message of [added, finished, started]) applyUpdate(list, message);
  assert.deepEqual(shown(list), expected(model));
  assert.equal(list.items.get(0).state, 'done');
  assert.deepEqual(doneAudioIds(list), ['audio-0']);
});

test('an older summary arriving after a newer one changes nothing', () => {
  const model = queueModel();
  const added = model.add(2);
  const first = model.set(0, 'done', done(0));
  const second = model.set(1, 'done', done(1));
  const list = createList();
  for (const message of [added, second, first]) applyUpdate(list, message);
  assert.equal(list.summary.done, 2);
  assert.equal(list.summary.waiting, 0);
  assert.equal(listActions(list).idle, true);
});

test('the race in every order: two links at once, one failing, a pause, a clear', () => {
  const model = queueModel();
  const messages = [
    model.add(2),
    model.set(0, 'uploading', { progress: { state: 'queued' } }),
    model.set(1, 'uploading', { progress: { state: 'uploading', attempt: 1 } }),
    model.set(1, 'failed', failed('token_expired')),
    model.pause(),
    model.set(0, 'done', done(0)),
  ];
  const settled = expected(model);
  let orders = 0;
  for (const order of permutations(messages)) {
    const list = createList();
    for (const message of order) applyUpdate(list, message);
    assert.deepEqual(shown(list), settled);
    orders += 1;
  }
  assert.equal(orders, 720);

  // Then "Clear list" and a new batch: counts speak only of the new batch, whatever the order.
  const more = [model.clear(), model.add(1), model.set(2, 'uploading', { progress: { state: 'queued' } })];
  const after = expected(model);
  for (const order of permutations([...messages, ...more].slice(3))) {
    const list = createList();
    for (const message of [...messages.slice(0, 3), ...order]) applyUpdate(list, message);
    assert.deepEqual(shown(list), after);
    assert.equal(list.summary.total, 1);
    assert.deepEqual(countRows(list), { active: 1, done: 0, notUploaded: 0 });
  }
});

test('the whole list after a reload, in every order with the messages around it', () => {
  const model = queueModel();
  const before = [model.add(3), model.set(0, 'done', done(0)), model.set(1, 'failed', failed('api_error'))];
  const cleared = model.clear();
  const snapshot = { snapshot: model.snapshot() };
  const after = [model.set(2, 'uploading', { progress: { state: 'uploading', attempt: 2 } }), model.add(1), model.set(2, 'done', done(2))];
  const settled = expected(model);
  // A reloaded page gets the snapshot and the messages sent since subscribing, in any order;
  // messages from before may still be in flight too.
  for (const order of permutations([snapshot, cleared, ...after, before[1]])) {
    const list = createList();
    for (const message of order) deliver(list, message);
    assert.deepEqual(shown(list), settled);
  }
});

test('a snapshot drops rows the queue no longer holds but keeps newer ones', () => {
  const model = queueModel();
  const added = model.add(2);
  const finished = model.set(0, 'done', done(0));
  const cleared = model.clear();
  const snapshot = model.snapshot();
  const more = model.add(1);
  const list = createList();
  applyUpdate(list, added);
  applyUpdate(list, finished);
  applyUpdate(list, more); // newer than the snapshot
  applySnapshot(list, snapshot);
  assert.deepEqual([...list.items.keys()].sort(), [1, 2]);
  applyUpdate(list, cleared);
  assert.deepEqual(shown(list), expected(model));
});

test('applying the same message twice is the same as once', () => {
  const model = queueModel();
  const messages = [model.add(2), model.set(0, 'done', done(0)), model.clear()];
  const list = createList();
  for (const message of [...messages, ...messages]) applyUpdate(list, message);
  assert.deepEqual(shown(list), expected(model));
});

// A small seeded generator, so a failure can be replayed.
function random(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

test('random streams, shuffled and duplicated, end on the newest state', () => {
  for (let seed = 1; seed <= 200; seed += 1) {
    const rand = random(seed);
    const pick = (values) => values[Math.floor(rand() * values.length)];
    const model = queueModel();
    const messages = [];
    let snapshotAt = Math.floor(rand() * 60);
    for (let step = 0; step < 60; step += 1) {
      if (step === snapshotAt) messages.push({ snapshot: model.snapshot() });
      const ids = model.ids();
      const roll = rand();
      if (roll < 0.15 || ids.length === 0) messages.push(model.add(1 + Math.floor(rand() * 4)));
      else if (roll < 0.22) messages.push(model.clear());
      else if (roll < 0.25) messages.push(model.pause());
      else {
        const id = pick(ids);
        const next = pick(['uploading', 'uploading', 'done', 'failed', 'interrupted', 'waiting']);
        const extra = next === 'done' ? done(id) : next === 'failed' ? failed(pick(['api_error', 'used_up', 'token_expired'])) : {
          progress: next === 'uploading' ? { state: pick(['queued', 'uploading', 'waiting']), attempt: 1, seconds: 3, rate_limited: true } : null,
        };
        messages.push(model.set(id, next, extra));
      }
    }
    const stream = [...messages];
    for (let i = 0; i < 20; i += 1) stream.push(pick(messages));
    for (let i = stream.length - 1; i > 0; i -= 1) {
      const j = Math.floor(rand() * (i + 1));
      [stream[i], stream[j]] = [stream[j], stream[i]];
    }
    const list = createList();
    for (const message of stream) deliver(list, message);
    assert.deepEqual(shown(list), expected(model), `seed ${seed}`);
    const states = model.states();
    assert.equal(list.summary.total, states.size, `seed ${seed}`);
    assert.equal(list.items.size, list.summary.total, `seed ${seed}: the bar counts the rows on screen`);
    snapshotAt = 0;
  }
});

test('a row says where it stands and what it offers', () => {
  const base = { id: 1, revision: 1, given: 'g', audio_url: 'https://x/a.wav', notes: [], uploaded: null, error: null, progress: null };
  assert.deepEqual(rowStatus({ ...base, state: 'waiting' }), { kind: 'queued' });
  assert.deepEqual(rowStatus({ ...base, state: 'uploading', progress: { state: 'queued' } }), { kind: 'queued' });
  assert.deepEqual(rowStatus({ ...base, state: 'uploading', progress: { state: 'uploading', attempt: 2 } }), { kind: 'uploading', attempt: 2 });
  assert.deepEqual(rowStatus({ ...base, state: 'uploading', progress: { state: 'waiting', seconds: 4, rate_limited: true, code: 'too_many_requests' } }),
    { kind: 'waiting', seconds: 4, rateLimited: true });
  const spent = { ...base, state: 'failed', ...failed('used_up') };
  assert.deepEqual(rowActions(spent), { play: true, copyId: false, retry: true, followUp: 'top_up', copyTrace: true, remove: true });
  const expired = { ...base, state: 'failed', ...failed('token_expired') };
  assert.equal(rowActions(expired).followUp, 'token');
  const unknown = { ...base, state: 'failed', ...failed('brand_new_code') };
  assert.equal(rowActions(unknown).retry, true);
  assert.equal(rowActions(unknown).followUp, null);
  const file = { ...base, audio_url: null, state: 'rejected', ...failed('local_file') };
  assert.deepEqual(rowActions(file), { play: false, copyId: false, retry: false, followUp: null, copyTrace: true, remove: true });
  const ok = { ...base, state: 'done', ...done(1) };
  assert.equal(rowActions(ok).copyId, true);
  assert.equal(rowActions({ ...base, state: 'interrupted' }).retry, true);
  assert.equal(rowActions({ ...base, state: 'uploading' }).remove, false);
});

test('the list buttons follow the counts', () => {
  const model = queueModel();
  const list = createList();
  assert.equal(listActions(list).showBatch, false);
  assert.equal(listActions(list).clear, false);
  applyUpdate(list, model.add(3));
  let actions = listActions(list);
  assert.equal(actions.pause, true);
  assert.equal(actions.clear, false, 'nothing finished to clear');
  applyUpdate(list, model.set(0, 'failed', failed('token_expired')));
  applyUpdate(list, model.set(1, 'done', done(1)));
  actions = listActions(list);
  assert.equal(actions.clear, true);
  assert.equal(actions.copyAll, true);
  assert.equal(actions.retryAll, true);
  assert.deepEqual(tokenFailures(list), [0]);
  applyUpdate(list, model.set(2, 'done', done(2)));
  actions = listActions(list);
  assert.equal(actions.idle, true);
  assert.equal(actions.pause, false);
  assert.equal(actions.cancel, false);
  applyUpdate(list, model.clear());
  assert.deepEqual(listActions(list).showBatch, false);
  assert.deepEqual(doneAudioIds(list), []);
});

test('after a reload, a message older than the whole list cannot bring back a cleared row', () => {
  const model = queueModel();
  const added = model.add(2);
  const finished = model.set(0, 'done', done(0));
  model.clear();
  const snapshot = model.snapshot();
  const list = createList();
  applySnapshot(list, snapshot);
  // The removal went to the page before the reload; an older message still arrives.
  applyUpdate(list, finished);
  applyUpdate(list, added);
  assert.deepEqual(shown(list), expected(model));
  assert.deepEqual([...list.items.keys()], [1]);
});

test('done rows copy as a table with names, tab-separated or CSV', () => {
  const list = createList();
  applySnapshot(list, {
    revision: 3,
    items: [
      { id: 1, revision: 1, given: 'https://x.example/a/Verse%20(final).wav', audio_url: 'https://x.example/a/Verse%20(final).wav', state: 'done', uploaded: { audio_id: 'id-1' }, notes: [] },
      { id: 2, revision: 2, given: 'https://x.example/b/lost.wav', audio_url: 'https://x.example/b/lost.wav', state: 'failed', error: { code: 'used_up', message: 'm' }, notes: [] },
      { id: 3, revision: 3, given: 'https://x.example/c/Hook,%20"take%202".mp3', audio_url: 'https://x.example/c/Hook,%20"take%202".mp3', state: 'done', uploaded: { audio_id: 'id-3' }, notes: [] },
    ],
    summary: { total: 3, done: 2, failed: 1, interrupted: 0, rejected: 0, waiting: 0, uploading: 0, paused: false, eta_seconds: null },
  });
  assert.equal(fileNameOf('https://x.example/a/Verse%20(final).wav'), 'Verse (final).wav');
  assert.equal(doneTable(list, 'tsv'), [
    'Name\tAudio ID\tLink',
    'Verse (final).wav\tid-1\thttps://x.example/a/Verse%20(final).wav',
    'Hook, "take 2".mp3\tid-3\thttps://x.example/c/Hook,%20"take%202".mp3',
  ].join('\n'));
  assert.equal(doneTable(list, 'csv'), [
    'Name,Audio ID,Link',
    'Verse (final).wav,id-1,https://x.example/a/Verse%20(final).wav',
    '"Hook, ""take 2"".mp3",id-3,"https://x.example/c/Hook,%20""take%202"".mp3"',
  ].join('\r\n'));
});

test('the list keeps of an item only what the window shows', () => {
  const list = createList();
  applyUpdate(list, {
    sequence: 1,
    items: [{
      id: 1, revision: 1, given: 'g', audio_url: 'https://x/a.wav', state: 'done', progress: null, error: null, notes: [],
      uploaded: { audio_id: 'audio-1', task_id: 'task', hosted_audio_url: 'https://cdn/a.mp3', lyric: 'la la' },
    }],
    removed: [],
    summary: { total: 1, done: 1, failed: 0, interrupted: 0, rejected: 0, waiting: 0, uploading: 0, paused: false, eta_seconds: null },
  });
  assert.deepEqual(list.items.get(1).uploaded, { audio_id: 'audio-1' });
  assert.deepEqual(doneAudioIds(list), ['audio-1']);
});

test('a field Rust leaves out means what null (or no notes) meant', () => {
  const withNulls = {
    id: 1, revision: 1, given: 'not a link', audio_url: null, state: 'rejected', progress: null, uploaded: null,
    error: { code: 'not_a_link', message: 'm', trace_id: null, retryable: false, status: null }, notes: [],
  };
  const { audio_url: _url, progress: _progress, uploaded: _uploaded, notes: _notes, ...leftOut } = withNulls;
  assert.deepEqual(rowOf(leftOut), rowOf(withNulls));
  assert.deepEqual(rowActions(rowOf(leftOut)), rowActions(rowOf(withNulls)));
  const running = { id: 2, revision: 2, given: 'g', audio_url: 'https://x/a.wav', state: 'uploading' };
  assert.deepEqual(rowStatus(rowOf(running)), { kind: 'queued' });
  assert.deepEqual(rowOf(running).notes, []);
  assert.equal(rowOf(running).error, null);
});
