// What the upload list says after "Clear list" and when the app starts with stopped uploads.
// Pure: tested with `node --test`.

import { t } from './words.js';

// The rows "Clear list" takes out that are in History: every finished row but the ones that
// could not be uploaded (refused before anything was recorded).
export function clearedToHistory(list) {
  let count = 0;
  for (const item of list.items.values()) {
    if (['done', 'failed', 'interrupted'].includes(item.state)) count += 1;
  }
  return count;
}

// The line after "Clear list" (beside its Undo): where the cleared uploads are, as a message and
// its values.
export function clearedWords(count) {
  return ['list-cleared', { count }];
}

export function clearedText(count) {
  return t(...clearedWords(count));
}

// The line on start (beside Retry them) for uploads stopped before they finished, which wait
// for Retry in History.
export function stoppedWords(count) {
  return ['list-stopped', { count }];
}

// A list this long leaves megabytes behind in the page's engine once cleared (about 15 KiB a
// row, held until the page process ends: README, "Memory of a long list"). Clearing at least
// this many rows with nothing running starts the page afresh, which gives it back.
export const LONG_LIST = 200;

// Whether clearing `removed` rows should give their memory back by starting the page afresh:
// only a long list, and only when nothing in the window would be cut short (uploads running, a
// file's bytes being handed over, a song being saved, the player in use).
export function startAfreshAfterClear(removed, busy) {
  return removed >= LONG_LIST && !busy;
}
