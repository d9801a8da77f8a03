#!/usr/bin/env bash
# CI packaging check (called by .ci/run before the test suite):
#   1. PyInstaller one-folder bundle from installer/perfdesk.spec      -> dist/perfdesk/
#   2. .deb with dpkg-deb (installer/linux/build-deb.sh)  -> dist/perfdesk_<version>_<arch>_glibc<floor>.deb
#   3. installer/linux/test-deb.sh: dpkg -i, run the INSTALLED program headless (demo, check, export-pdf,
#      export-xlsx, import-xlsx, --screenshot), verify the outputs (and, with strace, that no network
#      socket was opened), dpkg -r / --purge
#   4. makensis installer/windows/perfdesk.nsi against a stand-in payload
# Prints the bundle size and the build times; exits non-zero on any failure.
# The .deb for older systems (built in a Debian 11 root) comes from installer/linux/build-old-glibc.sh,
# which .ci/run calls after this script.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
T_START=$(date +%s)
WORK="$(mktemp -d)"
INSTALLED=0
cleanup() {
  # never leave a half-tested package installed on the CI machine
  if [ "$INSTALLED" = 1 ] && dpkg -s perfdesk >/dev/null 2>&1; then dpkg --purge perfdesk >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

say()  { echo "== ci-package: $*"; }
fail() { echo "ci-package: FAILED: $*" >&2; exit 1; }
nonempty() { [ -s "$1" ] || fail "$2: $1 is missing or empty"; }

# --- tools ---------------------------------------------------------------------------------------------
source installer/dev/_env.sh   # need_apt, QT_LIBS, make_venv (cds to ROOT)
say "system packages"
need_apt dpkg-dev nsis desktop-file-utils shared-mime-info strace poppler-utils "${QT_LIBS[@]}" >"$WORK/apt.log" 2>&1 \
  || { cat "$WORK/apt.log" >&2; fail "apt-get install"; }
command -v makensis >/dev/null || fail "makensis not found"
[ -x .venv/bin/python ] || make_venv "." >"$WORK/venv.log" 2>&1 || { cat "$WORK/venv.log" >&2; fail "venv"; }
PY=.venv/bin/python
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  say "pip install pyinstaller"
  "$PY" -m pip install -q pyinstaller >"$WORK/pip.log" 2>&1 || { cat "$WORK/pip.log" >&2; fail "pip install pyinstaller"; }
fi
VERSION="$(sed -n 's/^__version__ *= *"\(.*\)"/\1/p' perfdesk/__init__.py)"

# --- 1. bundle -----------------------------------------------------------------------------------------
say "PyInstaller $("$PY" -m PyInstaller --version) (one folder)"
T0=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller installer/perfdesk.spec >"$WORK/pyinstaller.log" 2>&1 \
  || { tail -40 "$WORK/pyinstaller.log" >&2; fail "PyInstaller"; }
T_BUNDLE=$(( $(date +%s) - T0 ))
[ -x dist/perfdesk/perfdesk ] || fail "dist/perfdesk/perfdesk was not built"
BUNDLE_MB="$(du -sm dist/perfdesk | cut -f1)"
say "bundle dist/perfdesk: ${BUNDLE_MB} MB unpacked, $(find dist/perfdesk -type f | wc -l) files, built in ${T_BUNDLE} s"
[ "$BUNDLE_MB" -lt 150 ] || echo "ci-package: WARNING: bundle is ${BUNDLE_MB} MB (aim: < 150 MB)" >&2

# --- 2. .deb -------------------------------------------------------------------------------------------
T0=$(date +%s)
PYTHON="$PY" bash installer/linux/build-deb.sh dist/perfdesk dist | tee "$WORK/build-deb.log"
T_DEB=$(( $(date +%s) - T0 ))
# build-deb.sh names the package by its measured glibc floor: perfdesk_<version>_<arch>_glibc<floor>.deb
DEB="$(sed -n 's/^build-deb: \([^ ]*\.deb\) .*/\1/p' "$WORK/build-deb.log" | tail -n 1)"
case "$DEB" in
  dist/perfdesk_${VERSION}_$(dpkg --print-architecture)_glibc[0-9]*.deb) ;;
  *) fail "unexpected .deb name from build-deb.sh: '$DEB'" ;;
esac
nonempty "$DEB" ".deb"
DEB_MB="$(du -m "$DEB" | cut -f1)"
GLIBC_REQ="$(dpkg-deb --field "$DEB" Depends | sed -n 's/^libc6 (>= \(.*\))$/\1/p')"
[ -n "$GLIBC_REQ" ] || fail "control has no libc6 requirement"
desktop-file-validate installer/linux/perfdesk.desktop || fail "desktop entry is invalid"

# --- 3. install, run headless, remove (installer/linux/test-deb.sh) ------------------------------------
# the file, its glibc floor and preinst; dpkg -i; demo, check, export-pdf, export-xlsx, import-xlsx,
# --screenshot from the installed program under strace (no network socket); dpkg -r / --purge
INSTALLED=1
bash installer/linux/test-deb.sh "$DEB" | tee "$WORK/test-deb.log"
INSTALLED=0
RAN="$(sed -n 's/.*installed, ran \(.*\): ok; removed$/\1/p' "$WORK/test-deb.log")"

# --- 4. Windows installer script -----------------------------------------------------------------------
say "makensis installer/windows/perfdesk.nsi (stand-in payload)"
PAYLOAD="$WORK/payload"; mkdir -p "$PAYLOAD/_internal/resources"
printf 'MZ stand-in\n' > "$PAYLOAD/perfdesk.exe"
printf 'MZ stand-in\n' > "$PAYLOAD/perfdesk-cli.exe"
printf 'stand-in\n' > "$PAYLOAD/_internal/base_library.zip"
cp resources/fonts/LICENSE_Apache2.txt "$PAYLOAD/_internal/resources/" 2>/dev/null || true
SETUP="$WORK/perfdesk-${VERSION}-setup.exe"
(cd installer/windows && makensis -V4 -WX -DVERSION="$VERSION" -DPAYLOAD_DIR="$PAYLOAD" -DOUTFILE="$SETUP" \
   perfdesk.nsi) >"$WORK/makensis.log" 2>&1 || { cat "$WORK/makensis.log" >&2; fail "makensis"; }
nonempty "$SETUP" "makensis"
[ "$(head -c 2 "$SETUP")" = "MZ" ] || fail "makensis output is not a Windows executable"
grep -q "installer language: SimpChinese (2052)" "$WORK/makensis.log" || fail "installer UI is not Simplified Chinese"
say "makensis: ok ($(du -k "$SETUP" | cut -f1) KiB stand-in setup)"

T_TOTAL=$(( $(date +%s) - T_START ))
echo
echo "ci-package summary"
echo "  bundle      dist/perfdesk  ${BUNDLE_MB} MB unpacked   PyInstaller build ${T_BUNDLE} s"
echo "  .deb        $DEB  ${DEB_MB} MB   build ${T_DEB} s   needs glibc >= ${GLIBC_REQ}"
echo "  installed, ran headless (${RAN}), removed: ok"
echo "  NSIS        perfdesk.nsi compiles (SimpChinese)"
echo "  total       ${T_TOTAL} s"
