#!/usr/bin/env bash
# Installs the .deb that scripts/package.sh built on this machine (apt resolves its dependencies),
# checks what it installed, drives the installed app through the fast end-to-end tests (start,
# token, paste a link, copy its ID), then removes the package and checks that nothing is left.
# scripts/test.sh runs it last; it needs root (or sudo) for apt.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
apt_get() { DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 -y -qq "$@"; }
fail() { echo "test-installed: FAILED: $*" >&2; exit 1; }
check() { echo "test-installed: ok: $*"; }

deb="$(ls target/release/bundle/deb/producer-uploader_*_amd64.deb 2>/dev/null | head -n1 || true)"
[ -n "$deb" ] || fail "no package in target/release/bundle/deb/: run scripts/package.sh first"
if dpkg-query -W -f='${Status}' producer-uploader 2>/dev/null | grep -q "install ok installed"; then
  fail "Producer Uploader is already installed here; this test would replace and then remove it.
Uninstall it first (sudo apt remove producer-uploader), then run the tests again."
fi

removed=false
remove() {
  if ! $removed; then apt_get remove --purge producer-uploader >/dev/null 2>&1 || true; fi
}
trap remove EXIT

apt_get install --no-install-recommends "./$deb" >/dev/null
check "installed $deb"

# What the package holds.
version="$(dpkg-query -W -f='${Version}' producer-uploader)"
expected_version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)"
[ "$version" = "$expected_version" ] || fail "package version $version, Cargo.toml says $expected_version"
[ "$(command -v producer-uploader)" = /usr/bin/producer-uploader ] || fail "the app is not on the PATH"
[ "$(command -v producer-upload)" = /usr/bin/producer-upload ] || fail "producer-upload is not on the PATH"
[ "$(producer-upload --version)" = "producer-upload $version" ] \
  || fail "producer-upload --version says '$(producer-upload --version)', not $version"
check "producer-uploader and producer-upload $version on the PATH"

app_size="$(stat -c %s /usr/bin/producer-uploader)"
echo "test-installed: installed app binary: $app_size bytes"
[ "$app_size" -le 15000000 ] || fail "the installed app binary is $app_size bytes, over 15 MB"

control="$(dpkg-query -W -f='${Depends}|${Recommends}|${Homepage}|${Description}' producer-uploader)"
for field in libwebkit2gtk-4.1-0 libgtk-3-0 gnome-keyring https://platform.acedata.cloud "audio IDs"; do
  [[ "$control" == *"$field"* ]] || fail "the package's control fields lack '$field': $control"
done
check "dependencies, recommendation, homepage and description"

entry="$(dpkg -L producer-uploader | grep '^/usr/share/applications/.*\.desktop$')"
[ -n "$entry" ] || fail "no desktop entry installed"
desktop-file-validate "$entry" || fail "$entry does not pass desktop-file-validate"
for line in "Name=Producer Uploader" "Exec=producer-uploader" "Icon=producer-uploader" \
            "Categories=AudioVideo;Audio;" "StartupWMClass=producer-uploader"; do
  grep -qxF "$line" "$entry" || fail "$entry lacks $line"
done
check "desktop entry $entry is valid"

for size in 32x32 48x48 64x64 128x128 256x256 512x512; do
  [ -f "/usr/share/icons/hicolor/$size/apps/producer-uploader.png" ] || fail "no $size icon"
done
check "icons from 32x32 to 512x512"

# The installed app, driven like a person would (the e2e harness runs the binary named here).
export PRODUCER_UPLOAD_E2E=required PRODUCER_UPLOAD_E2E_APP=/usr/bin/producer-uploader
XDG_DATA_HOME="$(mktemp -d)"
export XDG_DATA_HOME
dbus-run-session -- sh -c '
  echo -n test-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec xvfb-run -a -s "-screen 0 1280x800x24" cargo test --locked --workspace --test e2e -- \
    first_run_asks_for_the_token pasting_a_link_anywhere_shows_its_audio_id copy_id_puts_it_on_the_system_clipboard'
rm -rf "$XDG_DATA_HOME"

apt_get remove --purge producer-uploader >/dev/null
removed=true
for path in /usr/bin/producer-uploader /usr/bin/producer-upload "$entry" \
            /usr/share/icons/hicolor/128x128/apps/producer-uploader.png; do
  [ ! -e "$path" ] || fail "$path is still there after removing the package"
done
check "removed cleanly"
