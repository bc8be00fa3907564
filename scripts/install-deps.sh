#!/usr/bin/env bash
# Installs what building and testing Producer Uploader needs on Debian or Ubuntu, skipping what is there.
set -euo pipefail

packages=(libwebkit2gtk-4.1-dev pkg-config build-essential xvfb xauth webkit2gtk-driver
          gnome-keyring dbus-daemon libglib2.0-bin xclip desktop-file-utils
          libayatana-appindicator3-1 libayatana-appindicator3-dev dbus-bin x11-utils
          # A Chinese font, so the window's Chinese is drawn (not boxes) in the end-to-end tests.
          fonts-wqy-microhei)
# Node.js runs the window's own tests (`node --test` in ui/); Debian's package is enough.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
# npm installs axe-core for the accessibility audit and the pinned Tauri command-line tool that
# bundles the installers (scripts/package.sh); Debian's nodejs comes without it.
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "Installing system packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust is not installed. Install it from https://rustup.rs, then run this again." >&2
  exit 1
fi
