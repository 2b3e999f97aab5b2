#!/usr/bin/env bash
# Installs the real readers the format tests check exports with: Python's openpyxl (in .tools/python, a
# git-ignored virtual environment) and Debian's chromium (headless rendering of the SVG Gantt). Idempotent;
# safe to run again. Tests that need a reader skip with a message naming this script when it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

OPENPYXL_VERSION=3.1.5
if [ ! -x .tools/python/bin/python ]; then
  python3 -m venv .tools/python
fi
if ! .tools/python/bin/python -c "import openpyxl" 2>/dev/null; then
  .tools/python/bin/pip install --quiet --disable-pip-version-check "openpyxl==${OPENPYXL_VERSION}"
fi
echo "openpyxl: $(.tools/python/bin/python -c 'import openpyxl; print(openpyxl.__version__)')"

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: run 'sudo apt-get install -y chromium' (Debian's package)" >&2
    exit 1
  fi
fi
echo "chromium: $(chromium --version 2>/dev/null || echo installed)"
