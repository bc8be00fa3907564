// Words and short forms the window shows, in the language in use. Pure: tested with `node --test`.

import { language, t } from './words.js';

// A link shortened for the list: the site and the file name. The full link is in the tooltip
// and the accessible description.
export function shortLink(text) {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not web');
    const host = url.hostname.replace(/^www\./, '');
    const parts = url.pathname.split('/').filter(Boolean);
    let last = parts.length ? parts[parts.length - 1] : '';
    try { last = decodeURIComponent(last); } catch { /* keep as is */ }
    if (!last) return host;
    if (last.length > 48) last = `${last.slice(0, 22)}…${last.slice(-22)}`;
    return parts.length > 1 ? `${host} › … › ${last}` : `${host} › ${last}`;
  } catch {
    const clean = text.replace(/^file:\/\//, '');
    const name = clean.split(/[\\/]/).filter(Boolean).pop() || clean;
    return name.length > 60 ? `${name.slice(0, 28)}…${name.slice(-28)}` : name;
  }
}

// "3.4 MB", as people say sizes: the same units as the sizes Rust sends (human_size in
// src/filehost.rs), for the bytes sent so far, with the number written for the language.
export function humanSize(bytes) {
  const units = ['size-bytes', 'size-kb', 'size-mb', 'size-gb'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  if (unit === 0) return t('size-bytes', { count: bytes });
  const size = new Intl.NumberFormat(language(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
  return t(units[unit], { size });
}

// A row's icon and words for its status (see store.rowStatus); `secondsLeft` for a wait.
export function statusText(status, secondsLeft = 0) {
  switch (status.kind) {
    case 'receiving': return ['spinner', t('row-reading', { percent: status.percent })];
    case 'checking': return ['spinner', t('row-checking')];
    case 'hosting': return ['spinner', status.percent === 100
      ? t('row-hosted', { size: status.sizeText })
      : t('row-hosting', { percent: status.percent, sent: humanSize(status.sent), size: status.sizeText })];
    case 'queued': return ['hourglass', t('row-queued')];
    case 'uploading': return ['spinner', status.attempt > 1 ? t('row-uploading-try', { attempt: status.attempt }) : t('row-uploading')];
    case 'waiting': return ['clock', status.rateLimited
      ? t('row-rate-limited', { seconds: secondsLeft })
      : t('row-retry-in', { seconds: secondsLeft })];
    case 'done': return ['check', t('row-done')];
    case 'failed': return ['warning', t('row-failed')];
    case 'rejected': return ['warning', t('row-rejected')];
    case 'interrupted': return ['ban', t('row-interrupted')];
    case 'held': return ['warning', t('row-held')];
    default: return ['info', status.kind];
  }
}

// Date formatters for the language in use, made once for each language: making one per row
// would cost more than drawing the row.
let dates = null;
function datesOf(tag) {
  if (dates?.tag !== tag) {
    dates = {
      tag,
      when: new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' }),
      day: new Intl.DateTimeFormat(tag, { month: 'short', day: 'numeric' }),
      months: Array.from({ length: 12 }, (_, month) =>
        new Intl.DateTimeFormat(tag, { month: 'long' }).format(new Date(2026, month, 1))),
    };
  }
  return dates;
}

// A record's date and time as the list shows it ("Dec 5, 2026, 8:15 AM", "2026年12月5日 08:15");
// the text as it came when it is not a date.
export function formatWhen(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : datesOf(language()).when.format(date);
}

// A day as History's search takes it ("Dec 5", "12月5日").
export function shortDay(date) {
  return datesOf(language()).day.format(date);
}

// This language's month names, January first, for searching dates as the list shows them.
export function monthNames() {
  return datesOf(language()).months;
}
