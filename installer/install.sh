#!/usr/bin/env bash
# Installs MotCua Desk into ./.venv on Debian/Ubuntu: system libraries (when missing), then the Python packages.
#   bash installer/install.sh          the app
#   bash installer/install.sh --dev    the app and what the tests need
# Safe to run again; needs no input (CI runs it with no standard input).
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
for arg in "$@"; do
  case "$arg" in
    --dev) dev=1 ;;
    *) echo "install.sh: unknown option $arg (use --dev)" >&2; exit 2 ;;
  esac
done

# ZBar reads barcodes; the Qt platform plugins need the X/EGL/font libraries; QtMultimedia speaks the display
# board's announcements through libpulse0 (PulseAudio or PipeWire's Pulse server), aplay (alsa-utils) where no
# sound server runs; poppler and qpdf check PDFs in tests. postgresql (dev only) provides the server
# binaries (/usr/lib/postgresql/<version>/bin) for the province server's tests.
packages=(python3 python3-venv python3-pip libzbar0 libgl1 libegl1 libglib2.0-0 libfontconfig1 libdbus-1-3
          libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
          fonts-dejavu-core alsa-utils libpulse0)
if [ "$dev" = 1 ]; then
  # Installing it may also create and start Debian's own cluster on port 5432; the tests neither use nor touch
  # it: each starts a throwaway cluster of its own (motcua.bench.postgres.TempPostgres) on a free loopback port,
  # running as the unprivileged postgres user when the tests run as root.
  # softhsm2: a PKCS#11 token emulator, for the tests of signing with a USB token. pulseaudio: a sound server of
  # the test's own with a null sound card, on which the board's voice is recorded (parec, pulseaudio-utils).
  # adduser: a dependency of the .deb that tests/installer/test_deb.py installs with dpkg -i (no apt to fetch it).
  packages+=(poppler-utils qpdf postgresql softhsm2 pulseaudio pulseaudio-utils nsis adduser)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
    echo "Installing system packages: ${missing[*]}"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Please install these system packages: ${missing[*]}" >&2
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "$dev" = 1 ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
else
  .venv/bin/python -m pip install -q -e .
fi
echo "MotCua Desk installed in $(pwd)/.venv"
