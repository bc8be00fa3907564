// What the window does for an error: Rust says it in every report (src/error/offer.rs):
// `next_step` names the button offered next to the message (retry, token, platform_token,
// top_up, settings, none), `opens_by_itself` whether that screen opens at once with the message
// as its reason, and `icon` a drawing in ICONS (dom.js). Pure: tested with `node --test`.

// The next steps that have a button of their own beside the message (Retry is the row's own
// button; `none` has none).
export const FOLLOW_UPS = ['token', 'platform_token', 'top_up', 'settings'];

// A report Rust did not make (the framework's own refusals, wrapped by ipc.js) still gets a way
// forward, as a code from a newer service does.
export const UNKNOWN_BEHAVIOUR = { icon: 'warning', nextStep: 'retry', opensByItself: false };

export function behaviourOf(report) {
  if (!report || typeof report.next_step !== 'string' || typeof report.icon !== 'string') return UNKNOWN_BEHAVIOUR;
  return { icon: report.icon, nextStep: report.next_step, opensByItself: report.opens_by_itself === true };
}

// The token screen opens by itself for this report (a refused or missing token).
export function opensTokenScreen(report) {
  const behaviour = behaviourOf(report);
  return behaviour.opensByItself && behaviour.nextStep === 'token';
}

// The platform token screen opens by itself for this report (files from this computer).
export function opensPlatformTokenScreen(report) {
  const behaviour = behaviourOf(report);
  return behaviour.opensByItself && behaviour.nextStep === 'platform_token';
}
