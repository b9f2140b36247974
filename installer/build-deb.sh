#!/usr/bin/env bash
# Builds the Debian/Ubuntu package of MotCua Desk: dist/motcua-desk_<version>_<arch>.deb (docs/install-debian.md).
#   bash installer/build-deb.sh [--out DIR] [--fast]
#     --out DIR   where the .deb goes (default: dist/)
#     --fast      for tests: the venv seeded from this checkout's .venv, the wheel built with the system's
#                 setuptools, zstd -1 (gzip -1 where dpkg-deb lacks zstd) instead of xz
# Run it from a checkout after `bash installer/install.sh` (it uses .venv's pip), on the Debian/Ubuntu release
# the package is for: the venv inside is built for this machine's python3 (X.Y) and architecture.
#
# The package is self-contained: /opt/motcua/venv is a virtual environment built here at its final path under the
# staging root (then its scripts' #! lines are rewritten), with the app's wheel and every dependency, compiled
# to bytecode; dpkg knows every file, so removing the package leaves nothing behind and installing needs no network.
set -euo pipefail
cd "$(dirname "$0")/.."
project=$(pwd)
umask 022

out=dist
fast=0
while [ "$#" -gt 0 ]; do
  case "$1" in
    --out) [ "$#" -ge 2 ] || { echo "build-deb.sh: --out needs a folder" >&2; exit 2; }; out=$2; shift ;;
    --out=*) out=${1#--out=} ;;
    --fast) fast=1 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-deb.sh: unknown option $1 (use --out DIR, --fast)" >&2; exit 2 ;;
  esac
  shift
done

say() { echo "build-deb.sh: $*" >&2; }
for tool in dpkg-deb dpkg; do
  command -v "$tool" >/dev/null || { say "$tool is missing (apt-get install dpkg)"; exit 1; }
done
dev_python=$project/.venv/bin/python
[ -x "$dev_python" ] || { say "no .venv here: run bash installer/install.sh first"; exit 1; }
# The interpreter the package runs on: the distribution's own (a dependency of the package), never a pyenv one.
pyver=$(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
python=/usr/bin/python$pyver
[ -x "$python" ] || { say "$python is missing"; exit 1; }
"$python" -c 'import venv, ensurepip' 2>/dev/null || { say "python$pyver-venv is missing (apt-get install python3-venv)"; exit 1; }
arch=$(dpkg --print-architecture)

work=$(mktemp -d "${TMPDIR:-/tmp}/motcua-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
venv=/opt/motcua/venv
share=/opt/motcua/share
mkdir -p "$root"
t0=$(date +%s)
times=""
lap() { local now; now=$(date +%s); times="$times, $1 $((now - t0)) s"; t0=$now; }

# 1. The app's wheel, built from a copy of the sources (the checkout stays as it is: no egg-info, no build/).
mkdir -p "$work/src" "$work/wheel"
cp -a pyproject.toml README.md app "$work/src/"
find "$work/src" \( -name __pycache__ -o -name '*.egg-info' \) -prune -exec rm -rf {} +
# The build backend in isolation as pyproject.toml asks (from the index or pip's cache); with --fast, or when no
# index is reachable, the distribution's own setuptools and wheel (python3-pip's dependencies): seconds, not ten.
system_backend() { "$python" -m pip wheel -q --no-deps --no-build-isolation -w "$work/wheel" "$work/src"; }
if [ "$fast" = 1 ] && "$python" -c 'import setuptools, wheel' 2>/dev/null; then
  system_backend
elif ! "$dev_python" -m pip wheel -q --no-deps -w "$work/wheel" "$work/src" >"$work/wheel.log" 2>&1; then
  say "building the wheel in isolation failed ($(tail -1 "$work/wheel.log")); using $python's setuptools"
  system_backend
fi
wheel=$(ls "$work"/wheel/motcua_desk-*.whl)
version=$(basename "$wheel" | cut -d- -f2)
debversion=${version}-1
say "motcua-desk $debversion for $arch, Python $pyver"
lap wheel

# 2. The venv at its final path inside the staging root, then the app and its dependencies.
"$python" -m venv --without-pip "$root$venv"
site=$root$venv/lib/python$pyver/site-packages
if [ "$fast" = 1 ]; then
  "$dev_python" installer/debian/seed_venv.py "$site" "$pyver" "$wheel"
fi
# pip keeps what the seed put there when it satisfies the requirements and fetches the rest (its cache, the index).
"$dev_python" -m pip --python "$root$venv/bin/python" install -q --no-compile --no-warn-script-location "$wheel"
"$dev_python" -m pip --python "$root$venv/bin/python" check >/dev/null || {
  "$dev_python" -m pip --python "$root$venv/bin/python" check >&2; say "the venv's requirements do not hold"; exit 1; }
lap venv
# The staging path out of the venv: scripts' #! lines, activate, pyvenv.cfg.
{ grep -rlI --null -F "$root" "$root$venv/bin" "$root$venv/pyvenv.cfg" || true; } | xargs -0 -r sed -i "s|$root||g"
# Bytecode now, recorded with its installed path: users cannot write /opt, and dpkg then owns every .pyc
# (errors are templates in PySide6's deploy tool that are not Python).
"$root$venv/bin/python" -m compileall -q -j 0 -s "$root" -p / "$site" >"$work/compileall.log" 2>&1 || true
lap bytecode

# 3. Resources, default configuration, launcher, helpers, menus, autostart, the service.
mkdir -p "$root$share"
cp -a resources "$root$share/resources"
cp -a kiosk_config "$root$share/kiosk_config"
# The build stamp motcua --version and the About box show (motcua/version.py).
commit=$(git -C "$project" rev-parse HEAD 2>/dev/null || true)
"$python" -c 'import json, sys; print(json.dumps(dict(zip(("build", "built_at", "commit", "version"), sys.argv[1:]))))' \
  deb "$(date -u +%Y-%m-%d)" "$commit" "$version" >"$root$share/resources/build.json"
install -d "$root/etc/motcua" "$root/usr/bin" "$root/usr/share/applications" "$root/etc/xdg/autostart" \
  "$root/usr/lib/systemd/system" "$root/usr/share/doc/motcua-desk" "$root/usr/share/icons/hicolor/scalable/apps"
install -m 0644 kiosk_config/centre.toml kiosk_config/queue.toml "$root/etc/motcua/"
install -m 0755 installer/debian/motcua installer/debian/motcua-autostart "$root/usr/bin/"
install -m 0644 installer/debian/applications/*.desktop "$root/usr/share/applications/"
install -m 0644 installer/debian/motcua-desk.svg "$root/usr/share/icons/hicolor/scalable/apps/"
for mode in kiosk display; do
  # Shipped off: a technician turns it on per account with motcua-autostart (docs/install-debian.md).
  { grep -v '^Hidden=\|^X-GNOME-Autostart-enabled=' "installer/debian/applications/motcua-$mode.desktop"
    echo "Hidden=true"
    echo "X-GNOME-Autostart-enabled=false"
  } >"$root/etc/xdg/autostart/motcua-$mode.desktop"
  chmod 0644 "$root/etc/xdg/autostart/motcua-$mode.desktop"
done
install -m 0644 installer/debian/motcua-centre.service "$root/usr/lib/systemd/system/"
install -m 0644 docs/install-debian.md "$root/usr/share/doc/motcua-desk/"
install -m 0644 installer/debian/copyright "$root/usr/share/doc/motcua-desk/"
{ printf 'motcua-desk (%s) unstable; urgency=medium\n\n  * Built from %s.\n\n -- %s  %s\n' "$debversion" \
    "$(git -C "$project" describe --always --dirty 2>/dev/null || echo 'a source tree')" \
    "MotCua Desk <motcua-desk@localhost>" "$(date -R)"; } | gzip -9n >"$root/usr/share/doc/motcua-desk/changelog.Debian.gz"

# 4. Control files. Runtime libraries: install.sh's list, less what only building needs.
install -d "$root/DEBIAN"
install -m 0755 installer/debian/postinst installer/debian/prerm installer/debian/postrm "$root/DEBIAN/"
find "$root/etc" -type f | sed "s|^$root||" | sort >"$root/DEBIAN/conffiles"
libs=$(sed -n '/^packages=(/,/)/p' installer/install.sh | sed 's/packages=(//; s/)//' | tr -s ' \n' '\n' |
  grep -v -x -e '' -e python3 -e python3-venv -e python3-pip | paste -sd, | sed 's/,/, /g')
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<EOF
Package: motcua-desk
Version: $debversion
Architecture: $arch
Maintainer: MotCua Desk <motcua-desk@localhost>
Installed-Size: $size
Depends: python$pyver, adduser, $libs
Section: misc
Priority: optional
Description: one-stop reception counter of Vietnamese public administration centres
 MotCua Desk receives citizens' dossiers at the counter (Bộ phận Một cửa), prints the receipt with its
 appointment date, runs the queue (kiosk, display board, supervisor) and syncs with the centre and the province.
 .
 This package holds the app in /opt/motcua (its own Python environment), the motcua command, menu entries for
 the counter, kiosk, display and supervisor, autostart entries for the kiosk and the display (off until enabled
 with motcua-autostart), and the centre server as the motcua-centre service (data in /var/lib/motcua).
EOF

# 5. The archive: every file root's. xz for a real build; for tests zstd -1 (a third of the time of gzip -1 and
# smaller; half the time of none, which writes 900 MB), gzip -1 where this dpkg-deb has no zstd (before 1.21.18).
mkdir -p "$out"
deb=$out/motcua-desk_${debversion}_${arch}.deb
if [ "$fast" = 1 ] && dpkg-deb --help 2>/dev/null | grep zstd >/dev/null; then
  compress=(-Zzstd -z1)
elif [ "$fast" = 1 ]; then
  compress=(-Zgzip -z1)
else
  compress=(-Zxz -z6)
fi
dpkg-deb --root-owner-group "${compress[@]}" --build "$root" "$deb" >/dev/null
lap archive
say "$deb ($(du -h "$deb" | cut -f1): ${times#, })"
echo "$deb"
