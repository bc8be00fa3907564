#!/usr/bin/env bash
# Sets up and runs every test: unit, integration (against the local API simulator), keychain
# (a real GNOME Keyring in a private D-Bus session) and end-to-end (the real app under Xvfb);
# then builds the installers and tests the installed app (scripts/package.sh,
# scripts/test-installed.sh). `scripts/test.sh --no-package` stops before the installers.
set -euo pipefail
cd "$(dirname "$0")/.."

package=true
if [ "${1:-}" = --no-package ]; then package=false; shift; fi

scripts/install-deps.sh
# The tests read the product's words in English, whatever this computer's language, unless a
# test chooses another language itself (LANG=zh_CN.UTF-8 for a program it starts, or a
# catalogue by name).
export LANG=C.UTF-8
unset LANGUAGE LC_ALL LC_MESSAGES PRODUCER_UPLOAD_LANGUAGE
# axe-core for the accessibility audit in the end-to-end tests, and the published copy of
# @fluent/bundle the window's own copy is checked against; pinned in package-lock.json.
npm ci --no-audit --no-fund --silent
# The window's pure modules (the upload list's state, words): Node's built-in test runner.
(cd ui && node --test)
# Build everything first (the app included: the end-to-end tests drive its binary), so that time
# limits below measure tests, not compilation. Only `cargo test`: a separate `cargo build` would
# rebuild many crates with other features.
cargo test --locked --workspace --no-run

# The end-to-end tests fail, rather than skip, if the display or WebKitWebDriver is missing.
export PRODUCER_UPLOAD_E2E=required
# Set PRODUCER_UPLOAD_UPDATE_DOCS=1 to refresh docs/main-window.png from the end-to-end run.

# A private D-Bus session with an unlocked keyring kept in a throwaway folder, and a virtual
# display, so the run never touches the developer's own keychain or screen.
XDG_DATA_HOME="$(mktemp -d)"
export XDG_DATA_HOME
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
dbus-run-session -- sh -c '
  echo -n test-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec xvfb-run -a -s "-screen 0 1280x800x24" cargo test --locked --workspace "$@"' sh "$@"

if $package; then
  scripts/package.sh
  scripts/test-installed.sh
fi
