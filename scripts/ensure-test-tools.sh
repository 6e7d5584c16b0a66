#!/usr/bin/env bash
# Runs before `npm test`: the tests read printed PDFs back with pdftotext (poppler-utils) and drive
# Debian's Chromium (/usr/bin/chromium) for the web app. Installs what is missing with apt-get when
# it can (root on Debian); otherwise says what to install and stops. Never downloads a browser.
set -uo pipefail
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "== apt-get install ${need[*]} (needed by the tests)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null && exit 0
fi
echo "The tests need: ${need[*]} (Debian packages). Install them, e.g. sudo apt-get install ${need[*]}" >&2
exit 1
