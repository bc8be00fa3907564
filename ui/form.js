// Which settings fields are out of the range Rust gives (`limits` from get_settings), each with
// what to write there. No DOM: tested with `node --test`. Rust checks them again on save.

import { t } from './words.js';

export function settingsProblems(values, limits) {
  const problems = {};
  const outside = (value, min, max) => !Number.isInteger(value) || value < min || value > max;
  if (outside(values.concurrency, limits.min_concurrency, limits.max_concurrency)) {
    problems.concurrency = t('settings-concurrency-range', { min: limits.min_concurrency, max: limits.max_concurrency });
  }
  if (outside(values.timeout_secs, limits.min_timeout_secs, limits.max_timeout_secs)) {
    problems.timeout = t('settings-timeout-range', { min: limits.min_timeout_secs, max: limits.max_timeout_secs });
  }
  return problems;
}
