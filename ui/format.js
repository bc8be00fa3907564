// Words and short forms the window shows. Pure: tested with `node --test`.

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

// "3.4 MB", as people say sizes: the same words as the sizes Rust sends (human_size in
// src/filehost.rs), for the bytes sent so far.
export function humanSize(bytes) {
  const units = ['bytes', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

// A row's icon and words for its status (see store.rowStatus); `secondsLeft` for a wait.
export function statusText(status, secondsLeft = 0) {
  switch (status.kind) {
    case 'receiving': return ['spinner', `Reading the file… ${status.percent}%`];
    case 'checking': return ['spinner', 'Checking the file…'];
    case 'hosting': return ['spinner', status.percent === 100
      ? `Uploaded to Ace Data Cloud (${status.sizeText}), waiting for its link…`
      : `Uploading to Ace Data Cloud… ${status.percent}% · ${humanSize(status.sent)} of ${status.sizeText}`];
    case 'queued': return ['hourglass', 'Waiting to upload'];
    case 'uploading': return ['spinner', status.attempt > 1 ? `Uploading (try ${status.attempt})…` : 'Uploading…'];
    case 'waiting': return ['clock', status.rateLimited
      ? `Waiting ${secondsLeft} s for the rate limit`
      : `Trying again in ${secondsLeft} s`];
    case 'done': return ['check', 'Done'];
    case 'failed': return ['warning', 'Failed'];
    case 'rejected': return ['warning', 'Refused: it cannot be uploaded'];
    case 'interrupted': return ['ban', 'Stopped before it was sent'];
    case 'held': return ['warning', 'Not sent: needs your OK'];
    default: return ['info', status.kind];
  }
}
