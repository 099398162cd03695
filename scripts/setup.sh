#!/usr/bin/env bash
# Installs what Regroup needs on a fresh Debian machine that has the Swift toolchain:
# GLPK (libglpk-dev, and glpsol from glpk-utils for the cross-checks), zlib1g-dev (for
# ZIPFoundation, which reads OneRoster zips) and, for the
# independent test scripts, HiGHS and pytest from PyPI; for the export tests (--tests),
# headless Chromium and poppler-utils (pdfinfo) from Debian, icalendar and Pillow from PyPI;
# for the web app's browser test (--tests), chromium-driver from Debian and selenium from PyPI.
# Does nothing that is already there.
set -euo pipefail
missing=()
packages=(libglpk-dev glpk-utils libsqlite3-dev zlib1g-dev)
[ "${1:-}" = "--tests" ] && packages+=(chromium chromium-driver poppler-utils)
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ "${1:-}" = "--tests" ]; then
  python3 -c "import highspy, pytest" 2>/dev/null ||
    python3 -m pip install --quiet --disable-pip-version-check highspy pytest
  python3 -c "import icalendar, PIL" 2>/dev/null ||
    python3 -m pip install --quiet --disable-pip-version-check icalendar pillow
  python3 -c "import selenium" 2>/dev/null ||
    python3 -m pip install --quiet --disable-pip-version-check selenium
fi
