#!/usr/bin/env bash
# Builds and opens Producer Uploader.
#
#   scripts/run.sh            the app, talking to Ace Data Cloud with your own API token
#   scripts/run.sh --demo     the app talking to a local stand-in of the service (token: sim-token),
#                             to try it without an account
#   scripts/run.sh --xvfb     on a machine without a screen: runs the app on a virtual display
#                             (you will not see it; useful to check that it starts)
#   scripts/run.sh --release  an optimised build (slower to build, faster to start)
set -euo pipefail
cd "$(dirname "$0")/.."

demo=false
xvfb=false
profile=debug
for arg in "$@"; do
  case "$arg" in
    --demo) demo=true ;;
    --xvfb) xvfb=true ;;
    --release) profile=release ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

if ! $xvfb && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  cat >&2 <<'EOF'
There is no screen to show the app on: neither DISPLAY nor WAYLAND_DISPLAY is set.

- On a desktop, run this from a terminal inside your desktop session.
- Over SSH, connect with "ssh -X" (X forwarding) so the window opens on your own screen.
- To only check that the app starts on a machine without a screen, run: scripts/run.sh --xvfb
  (add --demo to try it against the local stand-in of the service).
EOF
  exit 1
fi

scripts/install-deps.sh

target_dir="${CARGO_TARGET_DIR:-target}"
if [ "$profile" = release ]; then
  # The optimised programs, exactly as the installers ship them (scripts/package.sh builds
  # them the same way, so either reuses the other's build).
  sim_bin=(); if $demo; then sim_bin=(--bin producer-upload -p producer-sim --bin producer-sim); fi
  cargo build --locked --release -p producer-uploader --bin producer-uploader \
    -p producer-upload "${sim_bin[@]}" --features producer-uploader/custom-protocol
else
  # The app and the simulator as the tests build them: one invocation, with the features the
  # tests use (`scripts/test.sh` runs `cargo test --workspace`), so that after the tests this
  # compiles nothing. Cargo puts the programs integration tests need in target/debug/.
  cargo test --locked --workspace --no-run --test e2e --test sim
fi
app="$target_dir/$profile/producer-uploader"

sim_pid=""
cleanup() { if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

if $demo; then
  sim_log="$(mktemp)"
  "$target_dir/$profile/producer-sim" --port 0 >"$sim_log" 2>&1 &
  sim_pid=$!
  base_url=""
  for _ in $(seq 1 100); do
    base_url="$(grep -Eo 'http://127\.0\.0\.1:[0-9]+' "$sim_log" | head -n1 || true)"
    [ -n "$base_url" ] && break
    sleep 0.1
  done
  if [ -z "$base_url" ]; then
    echo "The demo service did not start:" >&2; cat "$sim_log" >&2; exit 1
  fi
  export ACEDATACLOUD_API_BASE_URL="$base_url"
  export ACEDATACLOUD_PLATFORM_BASE_URL="$base_url"
  # Keep the demo apart from your real token and settings.
  export PRODUCER_UPLOAD_KEYCHAIN_SERVICE="cloud.acedata.producer-uploader.demo"
  export PRODUCER_UPLOAD_DATA_DIR="${PRODUCER_UPLOAD_DATA_DIR:-${XDG_CONFIG_HOME:-$HOME/.config}/producer-uploader-demo}"
  cat <<EOF
Demo: the app talks to a local stand-in of Ace Data Cloud at $base_url.
Paste the token:  sim-token
Try these links:  $base_url/files/demo-song.wav
                  $base_url/files/stem-1.wav?sim_fault=rate429&sim_times=1&sim_retry_after=3   (rate limited once)
Other tokens show errors: sim-error-token_expired, sim-error-used_up
Files from your computer: the platform token is  platform-sim-token
Songs from an audio ID it gave (about 8 s each), with the command:
  ACEDATACLOUD_API_BASE_URL=$base_url ACEDATACLOUD_API_TOKEN=sim-token \\
    $target_dir/$profile/producer-upload extend <audio_id> --at 5 --title "My song"
EOF
fi

if $xvfb; then
  echo "Starting the app on a virtual display (close it with Ctrl+C)."
  xvfb-run -a -s "-screen 0 1280x800x24" "$app"
else
  "$app"
fi
