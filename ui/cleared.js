// What the upload list says after "Clear list" and when the app starts with stopped uploads.
// Pure: tested with `node --test`.

// The rows "Clear list" takes out that are in History: every finished row but the ones that
// could not be uploaded (refused before anything was recorded).
export function clearedToHistory(list) {
  let count = 0;
  for (const item of list.items.values()) {
    if (['done', 'failed', 'interrupted'].includes(item.state)) count += 1;
  }
  return count;
}

// The line after "Clear list" (beside its Undo): where the cleared uploads are.
export function clearedText(count) {
  if (count === 0) return 'List cleared.';
  if (count === 1) return 'Your upload is in History.';
  return `Your ${count.toLocaleString('en')} uploads are in History.`;
}

// The line on start (beside Retry them) for uploads stopped before they finished, which wait
// for Retry in History.
export function stoppedText(count) {
  return count === 1
    ? '1 upload was stopped before it finished.'
    : `${count.toLocaleString('en')} uploads were stopped before they finished.`;
}
