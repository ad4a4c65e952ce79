#!/usr/bin/env bash
# Playwright cannot download its own browser on these machines; the e2e tests use Debian's Chromium.
# Installs it when missing (needs root, as on the project's machines). CHROMIUM_PATH points elsewhere.
set -euo pipefail
bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$bin" ]; then exit 0; fi
echo "e2e: $bin not found; installing Debian's chromium"
if [ "$(id -u)" != 0 ]; then echo "e2e: run 'sudo apt-get install chromium' or set CHROMIUM_PATH" >&2; exit 1; fi
apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
