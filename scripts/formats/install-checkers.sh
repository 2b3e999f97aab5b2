#!/usr/bin/env bash
# Installs the real readers the format tests check exports with: Python's openpyxl (in .tools/python, a
# git-ignored virtual environment) and Debian's chromium (headless rendering of the SVG Gantt). Idempotent and
# quick once installed; runs before `npm run test:unit`. Never fails the run: a reader that cannot be installed
# here is reported, and the test that needs it says it was skipped.
set -uo pipefail
cd "$(dirname "$0")/../.."

OPENPYXL_VERSION=3.1.5
if [ ! -x .tools/python/bin/python ]; then
  python3 -m venv .tools/python || echo "install-checkers: could not create .tools/python (python3 -m venv)" >&2
fi
if [ -x .tools/python/bin/python ] && ! .tools/python/bin/python -c "import openpyxl" 2>/dev/null; then
  .tools/python/bin/pip install --quiet --disable-pip-version-check "openpyxl==${OPENPYXL_VERSION}" ||
    echo "install-checkers: pip could not install openpyxl==${OPENPYXL_VERSION}" >&2
fi

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "install-checkers: installing Debian's chromium (once)…"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } ||
      echo "install-checkers: apt-get could not install chromium" >&2
  else
    echo "install-checkers: chromium is missing; install Debian's package: sudo apt-get install -y chromium" >&2
  fi
fi

openpyxl=$(.tools/python/bin/python -c 'import openpyxl; print(openpyxl.__version__)' 2>/dev/null || echo missing)
chromium=$(command -v chromium >/dev/null 2>&1 && echo present || echo missing)
echo "install-checkers: openpyxl ${openpyxl}, chromium ${chromium}"
exit 0
