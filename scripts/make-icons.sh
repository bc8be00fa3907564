#!/usr/bin/env bash
# Redraws the app icon (scripts/make-icon.py) and writes every size the installers use into
# src-tauri/icons/: PNGs for Linux (32 to 512 px), icon.ico for Windows, icon.icns for macOS.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --prefix scripts/tauri-cli --no-audit --no-fund --loglevel=error
tauri=scripts/tauri-cli/node_modules/.bin/tauri
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 scripts/make-icon.py "$work/icon-1024.png"
"$tauri" icon "$work/icon-1024.png" --output "$work/all" >/dev/null 2>&1
"$tauri" icon "$work/icon-1024.png" --output "$work/all" --png 48 --png 256 >/dev/null 2>&1
rm -f src-tauri/icons/*.png src-tauri/icons/*.ico src-tauri/icons/*.icns
for name in 32x32 48x48 64x64 128x128 256x256 icon; do cp "$work/all/$name.png" src-tauri/icons/; done
cp "$work/all/icon.ico" "$work/all/icon.icns" src-tauri/icons/
ls -l src-tauri/icons/
