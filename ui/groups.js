// Failures that share one reason, told once: "12 links: Your balance is used up." with the
// button that fixes it, instead of the same box on every row. Pure: tested with `node --test`.

import { behaviourOf } from './errors.js';
import { rowActions } from './store.js';
import { t } from './words.js';

// The first sentence of a message ("Your balance is used up." of a longer one; "余额已用完。"
// of a Chinese one, whose full stops need no space after them).
export function firstSentence(message) {
  const match = /^.*?(?:[.!?](?=\s|$)|[。！？])/s.exec(message || '');
  return match ? match[0] : message || '';
}

// The failed rows grouped by their reason (code and message), the largest group first; only
// groups of two or more. Each: { key, code, message, icon, ids, followUp, report, retryIds }.
export function failureGroups(list) {
  const groups = new Map();
  for (const item of list.items.values()) {
    if (item.state !== 'failed' || !item.error) continue;
    const key = `${item.error.code}\n${item.error.message}`;
    let group = groups.get(key);
    if (!group) {
      const offers = rowActions(item);
      group = {
        key, code: item.error.code, message: item.error.message, icon: behaviourOf(item.error).icon, ids: [], retryIds: [],
        followUp: offers.followUp, report: item.error,
      };
      groups.set(key, group);
    }
    group.ids.push(item.id);
    if (item.can_retry) group.retryIds.push(item.id);
  }
  return [...groups.values()].filter((group) => group.ids.length > 1)
    .sort((a, b) => b.ids.length - a.ids.length || a.key.localeCompare(b.key));
}

// The group's line: "12 links: Your balance is used up."
export function groupText(group) {
  return t('list-group', { count: group.ids.length, reason: firstSentence(group.message) });
}
