#!/usr/bin/env bash
# Set up a fresh machine and run the observatory or its tests.
#   bash scripts/dev.sh run    install, then build the observatory on the embedded default (offline with a mirror)
#   bash scripts/dev.sh test   install with test extras, then run the whole test suite
#   bash scripts/dev.sh setup  install only
# Installs Debian packages (fonts, pango, chromium for browser tests) when apt is available, and the Python
# package into ./.venv. Re-running is cheap: installed pieces are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
cmd="${1:-run}"
shift || true

PY="${PYTHON:-python3}"
VENV=".venv"

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "warning: apt-get not found; please install: ${missing[*]}" >&2; return 0
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
  echo ">> apt-get install ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Fonts and shaping for the PDF reports and manuals (CJK, Thai, Lao, Khmer, Myanmar), pango for WeasyPrint.
SYSTEM_PKGS=(fonts-noto-core fonts-noto-cjk fonts-noto-extra libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
# Browser tests drive Debian's chromium; poppler-utils turns PDFs into PNGs for looking at them.
TEST_PKGS=(chromium poppler-utils)

setup() {
  local extras="$1"
  apt_install "${SYSTEM_PKGS[@]}"
  [ "$extras" = "test" ] && apt_install "${TEST_PKGS[@]}"
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
  if [ "$extras" = "test" ]; then
    "$VENV/bin/python" -m pip install -q -e ".[test]"
  else
    "$VENV/bin/python" -m pip install -q -e .
  fi
}

case "$cmd" in
  setup) setup "${1:-}";;
  run)
    setup ""
    "$VENV/bin/lmc" build "$@"
    ;;
  test)
    setup test
    "$VENV/bin/python" -m pytest -n 2 "$@"
    ;;
  *) echo "usage: bash scripts/dev.sh run|test|setup" >&2; exit 2;;
esac
