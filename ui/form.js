// Which settings fields are out of the range Rust gives (`limits` from get_settings), each with
// what to write there. No DOM: tested with `node --test`. Rust checks them again on save.

export function settingsProblems(values, limits) {
  const problems = {};
  const outside = (value, min, max) => !Number.isInteger(value) || value < min || value > max;
  if (outside(values.concurrency, limits.min_concurrency, limits.max_concurrency)) {
    problems.concurrency = `Out of range: enter a whole number from ${limits.min_concurrency} to ${limits.max_concurrency}.`;
  }
  if (outside(values.timeout_secs, limits.min_timeout_secs, limits.max_timeout_secs)) {
    problems.timeout = `Out of range: enter a whole number of seconds from ${limits.min_timeout_secs} to ${limits.max_timeout_secs}.`;
  }
  return problems;
}
