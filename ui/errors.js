// What the window does for every error code Rust can send (a test in src-tauri checks that none
// is missing): `icon` names a drawing in ICONS (dom.js), `action` the button offered next to the
// message.
//   retry: the Retry button; token: open the token screen; top_up: open Ace Data Cloud to top up;
//   settings: open Settings; none: nothing to press (the message says what to do).
// error-codes:start
export const ERROR_BEHAVIOUR = {
  bad_request: { icon: 'warning', action: 'retry' },
  no_token: { icon: 'key', action: 'token' },
  disabled: { icon: 'ban', action: 'retry' },
  api_not_implemented: { icon: 'ban', action: 'retry' },
  token_mismatched: { icon: 'key', action: 'token' },
  invalid_token: { icon: 'key', action: 'token' },
  token_expired: { icon: 'key', action: 'token' },
  used_up: { icon: 'card', action: 'top_up' },
  no_api: { icon: 'gear', action: 'settings' },
  too_many_requests: { icon: 'clock', action: 'retry' },
  api_error: { icon: 'warning', action: 'retry' },
  bad_response: { icon: 'warning', action: 'retry' },
  network: { icon: 'signal', action: 'retry' },
  timeout: { icon: 'clock', action: 'retry' },
  // Sent, but no answer came back: the message says to look in History before retrying.
  outcome_unknown: { icon: 'warning', action: 'retry' },
  local_file: { icon: 'computer', action: 'none' },
  invalid_url: { icon: 'link', action: 'none' },
  token_missing: { icon: 'key', action: 'token' },
  keychain_unavailable: { icon: 'lock', action: 'token' },
  invalid_base_url: { icon: 'gear', action: 'settings' },
  invalid_setting: { icon: 'gear', action: 'settings' },
  history_unavailable: { icon: 'warning', action: 'none' },
  // Why a link is held, not sent (its row's state is `held`): its button reads "Upload anyway".
  not_audio_file: { icon: 'warning', action: 'retry' },
  local_link: { icon: 'link', action: 'retry' },
  // Files from this computer. A platform token problem opens the platform token screen.
  platform_token_missing: { icon: 'key', action: 'token' },
  platform_token_invalid: { icon: 'key', action: 'token' },
  file_too_big: { icon: 'computer', action: 'none' },
  not_audio: { icon: 'computer', action: 'none' },
  file_unreadable: { icon: 'computer', action: 'none' },
  file_is_folder: { icon: 'computer', action: 'none' },
  // Songs (extend, cover): the task ended without songs; the message says what to change.
  generation_failed: { icon: 'warning', action: 'retry' },
  bad_file_link: { icon: 'warning', action: 'retry' },
  file_empty: { icon: 'computer', action: 'none' },
  // Room on this computer for dropped files while they wait to be sent.
  disk_full: { icon: 'computer', action: 'none' },
  waiting_files_full: { icon: 'clock', action: 'none' },
};
// error-codes:end
// A code this version does not know (sent by a newer service) still gets a way forward.
export const UNKNOWN_BEHAVIOUR = { icon: 'warning', action: 'retry' };
// Codes after which the token screen opens by itself, with the reason.
export const TOKEN_PROBLEMS = new Set(['no_token', 'invalid_token', 'token_expired', 'token_mismatched', 'token_missing']);

// Codes about the platform token (files from this computer): they open the platform token
// screen, and rows that failed with them are retried once one is saved.
export const PLATFORM_TOKEN_PROBLEMS = new Set(['platform_token_missing', 'platform_token_invalid']);

export function behaviourOf(code) {
  return Object.hasOwn(ERROR_BEHAVIOUR, code) ? ERROR_BEHAVIOUR[code] : UNKNOWN_BEHAVIOUR;
}
