#!/usr/bin/env bash
# Builds the Linux installers, offline: a .deb (Debian, Ubuntu) and an .rpm (Fedora, openSUSE),
# each holding the app, the `producer-upload` command, the desktop entry and the icons.
#
#   scripts/package.sh    writes target/release/bundle/deb/producer-uploader_<version>_amd64.deb
#                         and target/release/bundle/rpm/producer-uploader-<version>-1.x86_64.rpm
#
# One optimised cargo build makes both programs; the Tauri command-line tool (pinned in
# scripts/tauri-cli/, installed from npm in seconds) only bundles them (`tauri bundle`).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
npm ci --prefix scripts/tauri-cli --no-audit --no-fund --loglevel=error

# One invocation for both programs, so that they share one build of their dependencies.
# `custom-protocol` makes the app serve ui/ from inside its binary.
started=$SECONDS
cargo build --locked --release \
  -p producer-uploader --bin producer-uploader \
  -p producer-upload --bin producer-upload \
  --features producer-uploader/custom-protocol
echo "Release build: $((SECONDS - started)) s"

rm -rf target/release/bundle/deb target/release/bundle/rpm
scripts/tauri-cli/node_modules/.bin/tauri bundle --bundles deb,rpm

# The bundler names packages after the product ("Producer Uploader_…"); give them the usual
# lower-case, space-free names of Linux packages.
for package in target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm; do
  renamed="$(dirname "$package")/$(basename "$package" | tr 'A-Z ' 'a-z-')"
  [ "$package" = "$renamed" ] || mv "$package" "$renamed"
done

echo
echo "Sizes:"
for file in target/release/producer-uploader target/release/producer-upload \
            target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm; do
  awk -v bytes="$(stat -c %s "$file")" -v name="$file" 'BEGIN { printf "  %6.1f MB  %s\n", bytes / 1e6, name }'
done
