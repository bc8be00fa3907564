import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { useCatalogue } from './words.js';
import assert from 'node:assert/strict';
import {
  applySnapshot, applyUpdate, batchProgress, createList, doneAudioIds, doneTable, fileNameOf, fileNote, idsNewestFirst,
  listActions, percentOf, platformTokenFailures, rowActions, rowOf, rowStatus, tokenFailures, wantsBytes,
} from './store.js';

const catalogue = (tag) => readFileSync(new URL(`../locales/${tag}.ftl`, import.meta.url), 'utf8');
useCatalogue('en', catalogue('en'));

// A small model of the Rust queue (src/queue.rs): one counter numbers every change; each message
// carries the items it changed, stamped with that number, the ids it removed, and the counts.
function queueModel() {
  const items = new Map();
  let sequence = 0;
  let nextId = 0;
  const summary = () => {
    const s = { total: items.size, refused: 0, held: 0, waiting: 0, uploading: 0, done: 0, failed: 0, stopped: 0, paused: false, eta_seconds: null };
    const counted = { interrupted: 'stopped', rejected: 'refused' };
    for (const item of items.values()) s[counted[item.state] || item.state] += 1;
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
// A failed row's report as Rust sends it, with what the window is offered for its code
// (src/error/offer.json, kept equal to Rust's by a Rust test).
const offers = JSON.parse(readFileSync(new URL('../src/error/offer.json', import.meta.url), 'utf8'));
const failed = (code) => ({
  error: { code, message: `${code} happened`, trace_id: 'trace-1', retryable: false, status: 400, ...(offers.codes[code] || offers.unknown) },
  progress: null,
});

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
    assert.deepEqual(batchProgress(list.summary), { finished: 0, total: 1 });
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
  const spent = { ...base, state: 'failed', ...failed('used_up'), can_retry: true };
  assert.deepEqual(rowActions(spent), { play: true, copyId: false, retry: true, retryLabel: 'Retry', cancel: false, hostAgain: false, followUp: 'top_up', copyTrace: true, remove: true });
  const expired = { ...base, state: 'failed', ...failed('token_expired') };
  assert.equal(rowActions(expired).followUp, 'token');
  const unknown = { ...base, state: 'failed', ...failed('brand_new_code'), can_retry: true };
  assert.equal(rowActions(unknown).retry, true);
  assert.equal(rowActions(unknown).followUp, null);
  // The follow-up is the report's next step, whatever its code.
  const told = { ...unknown, error: { ...unknown.error, next_step: 'settings', icon: 'gear' } };
  assert.equal(rowActions(told).followUp, 'settings');
  // A locked keychain offers the token screen too.
  assert.equal(rowActions({ ...base, state: 'failed', ...failed('keychain_unavailable') }).followUp, 'token');
  const file = { ...base, audio_url: null, state: 'rejected', ...failed('local_file') };
  assert.deepEqual(rowActions(file), { play: false, copyId: false, retry: false, retryLabel: 'Retry', cancel: false, hostAgain: false, followUp: null, copyTrace: true, remove: true });
  const ok = { ...base, state: 'done', ...done(1) };
  assert.equal(rowActions(ok).copyId, true);
  // A link held for leading to the local network (printer.lan, say) offers no preview.
  const local = { ...base, audio_url: 'https://printer.lan/a.wav', state: 'held', ...failed('local_link'), can_retry: true };
  assert.equal(rowActions(local).play, false);
  assert.equal(rowActions({ ...local, ...failed('not_audio_file') }).play, true);
  // Whether a reused file can be put on the file host again is the queue's word too.
  assert.equal(rowActions(ok).hostAgain, false);
  assert.equal(rowActions({ ...ok, can_host_again: true }).hostAgain, true);
  // Whether it can be sent again, or stopped, is the queue's word.
  assert.equal(rowActions({ ...base, state: 'interrupted', can_retry: true }).retry, true);
  assert.equal(rowActions({ ...base, state: 'interrupted', can_retry: false }).retry, false);
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

test('a held link is not a failure: only its own Upload anyway sends it', () => {
  const model = queueModel();
  const list = createList();
  applyUpdate(list, model.add(3));
  applyUpdate(list, model.set(0, 'held', { ...failed('not_audio_file'), can_retry: true }));
  applyUpdate(list, model.set(1, 'done', done(1)));
  applyUpdate(list, model.set(2, 'rejected', failed('invalid_url')));
  const actions = listActions(list);
  assert.equal(actions.idle, true);
  assert.equal(actions.retryAll, false, 'Retry all failed is not offered for a held link');
  assert.equal(actions.clear, true);
  assert.deepEqual(batchProgress(list.summary), { finished: 2, total: 2 });
  const held = rowActions(list.items.get(0));
  assert.equal(held.retry, true);
  assert.equal(held.retryLabel, 'Upload anyway');
  assert.equal(held.remove, true);
  assert.equal(rowStatus(list.items.get(0)).kind, 'held');
  applyUpdate(list, model.set(1, 'failed', { ...failed('api_error'), can_retry: true }));
  assert.equal(listActions(list).retryAll, true);
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
    summary: { total: 3, refused: 0, held: 0, waiting: 0, uploading: 0, done: 2, failed: 1, stopped: 0, paused: false, eta_seconds: null },
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
    summary: { total: 1, refused: 0, held: 0, waiting: 0, uploading: 0, done: 1, failed: 0, stopped: 0, paused: false, eta_seconds: null },
  });
  assert.deepEqual(list.items.get(1).uploaded, { audio_id: 'audio-1' });
  assert.deepEqual(doneAudioIds(list), ['audio-1']);
});

// A dropped file's item as the queue sends it, at `stage`.
function fileItem(state, stage, extra = {}) {
  const finished = ['done', 'failed', 'interrupted', 'rejected'].includes(state);
  return {
    id: 7, revision: 1, given: 'Verse final.wav', audio_url: null, state, progress: null, uploaded: null, error: null, notes: [],
    // As the queue sets them: retried when stopped or failed with its bytes all in; stopped
    // until it is sent to the Producer API.
    can_retry: (state === 'failed' || state === 'interrupted') && stage !== 'receiving',
    can_stop: !finished && stage !== 'hosted',
    file: {
      name: 'Verse final.wav', size: 29_100_000, size_text: '29.1 MB', stage, received: 0, sent: 0, reused: false, file_url: null,
      ...extra,
    },
  };
}

test('a file row says how far its bytes are, then goes on as a link', () => {
  assert.deepEqual(rowStatus(fileItem('waiting', 'receiving', { received: 12_222_000 })), { kind: 'receiving', percent: 42 });
  assert.deepEqual(rowStatus(fileItem('uploading', 'checking', { received: 29_100_000 })), { kind: 'checking' });
  assert.deepEqual(rowStatus(fileItem('waiting', 'ready', { received: 29_100_000 })), { kind: 'queued' });
  assert.deepEqual(rowStatus(fileItem('uploading', 'hosting', { sent: 12_300_000 })),
    { kind: 'hosting', percent: 42, sent: 12_300_000, sizeText: '29.1 MB' });
  // A host attempt waiting to be tried again counts down like any upload.
  assert.deepEqual(rowStatus({ ...fileItem('uploading', 'hosting'), progress: { state: 'waiting', seconds: 3, rate_limited: false } }),
    { kind: 'waiting', seconds: 3, rateLimited: false });
  // Hosted: the normal upload.
  const hosted = { ...fileItem('uploading', 'hosted', { file_url: 'https://cdn/v.wav' }), audio_url: 'https://cdn/v.wav' };
  assert.deepEqual(rowStatus({ ...hosted, progress: { state: 'uploading', attempt: 1 } }), { kind: 'uploading', attempt: 1 });
  assert.deepEqual(rowStatus({ ...hosted, state: 'done', ...done(7) }), { kind: 'done' });
  // Finished rows say their state whatever stage the file was at.
  assert.deepEqual(rowStatus(fileItem('interrupted', 'receiving')), { kind: 'interrupted' });
  assert.deepEqual(rowStatus(fileItem('rejected', 'checking')), { kind: 'rejected' });
  assert.equal(percentOf(999, 1000), 99, 'never 100 before the end');
  assert.equal(percentOf(1000, 1000), 100);
  assert.equal(percentOf(0, 0), 0);
});

test('a file row offers Cancel on its way to the host, Retry after, and the platform token when that is the cause', () => {
  for (const [state, stage] of [['waiting', 'receiving'], ['waiting', 'ready'], ['uploading', 'checking'], ['uploading', 'hosting']]) {
    const offers = rowActions(fileItem(state, stage));
    assert.equal(offers.cancel, true, `${state} ${stage}`);
    assert.equal(offers.retry, false);
    assert.equal(offers.play, false, 'nothing to play before it is hosted');
    assert.equal(offers.remove, false);
  }
  // Once hosted, the upload to the API cannot be stopped.
  assert.equal(rowActions({ ...fileItem('uploading', 'hosted'), audio_url: 'https://cdn/v.wav' }).cancel, false);
  const stopped = rowActions(fileItem('interrupted', 'hosting'));
  assert.deepEqual([stopped.cancel, stopped.retry, stopped.remove], [false, true, true]);
  // Stopped before all its bytes came: nothing to send again.
  assert.equal(rowActions(fileItem('interrupted', 'receiving')).retry, false);
  const noToken = rowActions({ ...fileItem('failed', 'checking'), ...failed('platform_token_missing') });
  assert.equal(noToken.followUp, 'platform_token');
  assert.equal(noToken.retry, true);
  assert.equal(rowActions({ ...fileItem('failed', 'hosting'), ...failed('platform_token_invalid') }).followUp, 'platform_token');
  // Refused before anything was sent: nothing to retry.
  for (const code of ['file_too_big', 'file_is_folder', 'not_audio', 'file_unreadable']) {
    const refused = rowActions({ ...fileItem('rejected', 'receiving'), ...failed(code) });
    assert.deepEqual([refused.retry, refused.cancel, refused.followUp, refused.remove], [false, false, null, true], code);
  }
});

test('the window sends a file\'s bytes only while the app wants them', () => {
  assert.equal(wantsBytes(fileItem('waiting', 'receiving')), true);
  assert.equal(wantsBytes(fileItem('uploading', 'receiving')), true);
  assert.equal(wantsBytes(fileItem('rejected', 'receiving')), false);
  assert.equal(wantsBytes(fileItem('interrupted', 'receiving')), false);
  assert.equal(wantsBytes(fileItem('uploading', 'checking')), false);
  assert.equal(wantsBytes(undefined), false);
  assert.equal(wantsBytes({ ...fileItem('waiting', 'receiving'), file: null }), false);
});

test('a reused file says so; rows that lacked the platform token are found for a retry', () => {
  assert.equal(fileNote(fileItem('done', 'hosted')), null);
  assert.match(fileNote(fileItem('done', 'hosted', { reused: true })), /Reused your earlier upload/);
  assert.equal(fileNote({ ...fileItem('done', 'hosted'), file: null }), null);
  const list = createList();
  const items = [
    { ...fileItem('failed', 'checking'), id: 1, ...failed('platform_token_missing') },
    { ...fileItem('failed', 'hosting'), id: 2, ...failed('platform_token_invalid') },
    { ...fileItem('failed', 'hosting'), id: 3, ...failed('network') },
    { ...fileItem('failed', 'hosted'), id: 4, ...failed('token_expired') },
  ];
  applyUpdate(list, { sequence: 1, items, removed: [], summary: null });
  assert.deepEqual(platformTokenFailures(list).sort(), [1, 2]);
  assert.deepEqual(tokenFailures(list), [4]);
});

test('the list keeps a file\'s name, size, stage and hosted link, and what its row may do', () => {
  const item = fileItem('done', 'hosted', { received: 29_100_000, sent: 29_100_000, reused: true, file_url: 'https://cdn/v.wav', sha256: 'abc' });
  assert.deepEqual([rowOf(item).can_retry, rowOf(item).can_stop], [false, false]);
  assert.deepEqual([rowOf(fileItem('uploading', 'hosting')).can_stop, rowOf(fileItem('failed', 'ready')).can_retry], [true, true]);
  assert.deepEqual(rowOf(item).file, {
    name: 'Verse final.wav', size: 29_100_000, size_text: '29.1 MB', stage: 'hosted', received: 29_100_000, sent: 29_100_000,
    reused: true, file_url: 'https://cdn/v.wav',
  });
  assert.equal(rowOf({ ...item, file: null }).file, null);
});

test('done files copy under their own name with the hosted link', () => {
  const list = createList();
  const hosted = { ...fileItem('done', 'hosted', { file_url: 'https://cdn.example/abc/Verse%20final.wav' }), ...done(7) };
  hosted.audio_url = hosted.file.file_url;
  applyUpdate(list, { sequence: 1, items: [hosted], removed: [], summary: null });
  assert.equal(doneTable(list, 'tsv'), 'Name\tAudio ID\tLink\nVerse final.wav\taudio-7\thttps://cdn.example/abc/Verse%20final.wav');
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

test('the link check\'s warning is kept as the queue sends it, and goes when the queue drops it', () => {
  const list = createList();
  const warned = { id: 1, revision: 2, given: 'g', audio_url: 'https://x/page', state: 'uploading', check: 'Not the file.' };
  applyUpdate(list, { sequence: 2, items: [warned], removed: [], summary: null });
  assert.equal(list.items.get(1).check, 'Not the file.');
  // Done: Rust leaves the field out.
  const { check: _check, ...done } = { ...warned, revision: 3, state: 'done', uploaded: { audio_id: 'a' } };
  applyUpdate(list, { sequence: 3, items: [done], removed: [], summary: null });
  assert.equal(list.items.get(1).check, null);
  // An older message with the warning does not bring it back.
  applyUpdate(list, { sequence: 2, items: [warned], removed: [], summary: null });
  assert.equal(list.items.get(1).check, null);
});
