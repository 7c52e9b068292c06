#!/usr/bin/env sh
# Run before the test suite (npm test, .ci/run): the status page is tested in Debian's Chromium, driven by
# playwright-core (Playwright's own browser download cannot work on these machines). Installs it where it
# can (root with apt-get, as on CI); otherwise stops at once with one line saying what to install.
set -eu
CHROMIUM=/usr/bin/chromium
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "npm test: installing Debian's chromium for the status page tests (apt-get install chromium)…" >&2
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
    && [ -x "$CHROMIUM" ]; then
    exit 0
  fi
fi
echo "npm test: the status page tests need Chromium at $CHROMIUM: install Debian's package first (sudo apt-get install chromium), then run npm test again." >&2
exit 1
