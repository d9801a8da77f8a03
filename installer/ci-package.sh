#!/usr/bin/env bash
# CI packaging check (called by .ci/run after the test suite):
#   1. PyInstaller one-folder bundle from installer/perfdesk.spec      -> dist/perfdesk/
#   2. .deb with dpkg-deb (installer/linux/build-deb.sh)             -> dist/perfdesk_<version>_<arch>.deb
#   3. dpkg -i, run the INSTALLED program headless (demo, check, export-pdf, --screenshot),
#      verify the outputs (and, with strace, that no network socket was opened), dpkg -r / --purge
#   4. makensis installer/windows/perfdesk.nsi against a stand-in payload
# Prints the bundle size and the build times; exits non-zero on any failure.
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
need_apt dpkg-dev nsis desktop-file-utils shared-mime-info "${QT_LIBS[@]}" >"$WORK/apt.log" 2>&1 \
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
PYTHON="$PY" bash installer/linux/build-deb.sh dist/perfdesk dist
T_DEB=$(( $(date +%s) - T0 ))
DEB="dist/perfdesk_${VERSION}_$(dpkg --print-architecture).deb"
nonempty "$DEB" ".deb"
DEB_MB="$(du -m "$DEB" | cut -f1)"
dpkg-deb --info "$DEB" >"$WORK/info.txt"
dpkg-deb --contents "$DEB" >"$WORK/contents.txt"
for path in ./opt/perfdesk/perfdesk ./usr/bin/perfdesk ./usr/share/applications/perfdesk.desktop \
            ./usr/share/mime/packages/perfdesk.xml ./usr/share/icons/hicolor/256x256/apps/perfdesk.png \
            ./opt/perfdesk/_internal/resources/fonts/wqy-microhei.ttc; do
  grep -q " $path\$" "$WORK/contents.txt" || fail ".deb lacks $path"
done
GLIBC_REQ="$(sed -n 's/^ *Depends: libc6 (>= \(.*\))$/\1/p' "$WORK/info.txt")"
[ -n "$GLIBC_REQ" ] || fail "control has no libc6 requirement"
desktop-file-validate installer/linux/perfdesk.desktop || fail "desktop entry is invalid"

# the install-time glibc check refuses an old system with a Chinese message, accepts this one
dpkg-deb --control "$DEB" "$WORK/control"
if PERFDESK_TEST_GLIBC=2.17 sh "$WORK/control/preinst" install 2>"$WORK/preinst.err"; then
  fail "preinst accepted glibc 2.17 (needs $GLIBC_REQ)"
fi
grep -q "无法安装" "$WORK/preinst.err" && grep -q "$GLIBC_REQ" "$WORK/preinst.err" \
  || { cat "$WORK/preinst.err" >&2; fail "preinst message"; }
sh "$WORK/control/preinst" install || fail "preinst refused this system's glibc"

# --- 3. install, run headless, remove ------------------------------------------------------------------
dpkg -s perfdesk >/dev/null 2>&1 && dpkg --purge perfdesk >/dev/null
say "dpkg -i $DEB"
INSTALLED=1
dpkg -i "$DEB" >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log" >&2; fail "dpkg -i"; }
[ -x /opt/perfdesk/perfdesk ] && [ -x /usr/bin/perfdesk ] || fail "installed files missing"
if command -v update-mime-database >/dev/null; then
  [ -f /usr/share/mime/application/x-perfdesk.xml ] || fail "MIME type application/x-perfdesk not registered"
fi

RUN="$WORK/run"; mkdir -p "$RUN/home"
STRACE=()
if command -v strace >/dev/null && strace -f -qq -o /dev/null true 2>/dev/null; then
  STRACE=(strace -f -qq -e trace=socket -o "$RUN/strace.log")
fi
installed() {   # the installed program, from /, with a clean environment and an empty home
  (cd / && env -i PATH=/usr/bin:/bin HOME="$RUN/home" LANG=C.UTF-8 "$@" \
     "${STRACE[@]}" perfdesk "${PERFDESK_ARGS[@]}")
}
timed() {
  local label="$1"; shift
  PERFDESK_ARGS=("$@")
  local t0; t0=$(date +%s%N)
  installed >"$RUN/$label.out" 2>"$RUN/$label.err" || { cat "$RUN/$label.err" >&2; fail "perfdesk $label"; }
  if [ ${#STRACE[@]} -gt 0 ] && grep -E "AF_INET|AF_INET6|AF_PACKET" "$RUN/strace.log"; then
    fail "perfdesk $label opened a network socket"
  fi
  say "perfdesk $label: ok ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
}
timed demo demo -o "$RUN/x.pdesk";                      nonempty "$RUN/x.pdesk" demo
timed check check "$RUN/x.pdesk" --json
cp "$RUN/check.out" "$RUN/check.json";                  nonempty "$RUN/check.json" "check --json"
python3 - "$RUN/check.json" <<'PYEOF' || fail "check --json output"
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
assert report["evaluations"], "no evaluations"
assert all("total" in ev and "findings" in ev for ev in report["evaluations"])
PYEOF
if grep -rqs "def export_pdf" perfdesk/printing/; then
  timed export-pdf export-pdf "$RUN/x.pdesk" -o "$RUN/x.pdf"; nonempty "$RUN/x.pdf" export-pdf
  [ "$(head -c 4 "$RUN/x.pdf")" = "%PDF" ] || fail "export-pdf did not write a PDF"
  if command -v pdftotext >/dev/null; then
    [ -n "$(pdftotext "$RUN/x.pdf" - | tr -d '[:space:]')" ] || fail "the PDF has no text"
  fi
  RAN_PDF="export-pdf, "
else
  echo "ci-package: SKIPPED export-pdf: perfdesk.printing has no export_pdf yet" >&2
  RAN_PDF=""
fi
if [ -f perfdesk/exchange/xlsx_export.py ] && [ -f perfdesk/exchange/xlsx_import.py ]; then
  timed export-xlsx export-xlsx "$RUN/x.pdesk" -o "$RUN/x.xlsx"; nonempty "$RUN/x.xlsx" export-xlsx
  timed import-xlsx import-xlsx "$RUN/x.xlsx" -o "$RUN/y.pdesk"; nonempty "$RUN/y.pdesk" import-xlsx
  RAN_PDF="${RAN_PDF}export-xlsx, import-xlsx, "
fi
installed_gui() { PERFDESK_ARGS=("$@"); installed QT_QPA_PLATFORM=offscreen "${PERFDESK_ENV[@]}"; }
for shot in demo file; do
  PERFDESK_ENV=(LANG=C.UTF-8)
  # the launcher's fcitx branch must not break start-up
  [ "$shot" = file ] && PERFDESK_ENV=(QT_IM_MODULE=fcitx)
  args=(--screenshot "$RUN/$shot.png"); [ "$shot" = file ] && args+=("$RUN/x.pdesk")
  t0=$(date +%s%N)
  installed_gui "${args[@]}" >"$RUN/shot.out" 2>"$RUN/shot.err" || { cat "$RUN/shot.err" >&2; fail "--screenshot ($shot)"; }
  if [ ${#STRACE[@]} -gt 0 ] && grep -E "AF_INET|AF_INET6|AF_PACKET" "$RUN/strace.log"; then
    fail "perfdesk --screenshot opened a network socket"
  fi
  nonempty "$RUN/$shot.png" "--screenshot"
  [ "$(head -c 4 "$RUN/$shot.png" | tail -c 3)" = "PNG" ] || fail "--screenshot did not write a PNG"
  say "perfdesk --screenshot ($shot): ok, $(du -k "$RUN/$shot.png" | cut -f1) KiB ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
done
[ ${#STRACE[@]} -gt 0 ] && say "strace: no AF_INET/AF_INET6 socket in any run"

say "dpkg -r perfdesk; dpkg --purge perfdesk"
dpkg -r perfdesk >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log" >&2; fail "dpkg -r"; }
[ ! -e /opt/perfdesk ] || fail "/opt/perfdesk is still there after dpkg -r"
[ ! -e /usr/bin/perfdesk ] || fail "/usr/bin/perfdesk is still there after dpkg -r"
[ ! -e /usr/share/applications/perfdesk.desktop ] || fail "desktop entry left behind"
if command -v update-mime-database >/dev/null; then
  [ ! -e /usr/share/mime/application/x-perfdesk.xml ] || fail "MIME type left registered"
fi
dpkg --purge perfdesk >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log" >&2; fail "dpkg --purge"; }
if dpkg -s perfdesk >/dev/null 2>&1; then fail "perfdesk still known to dpkg after purge"; fi

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
echo "  installed, ran headless (demo, check, ${RAN_PDF}--screenshot), removed: ok"
echo "  NSIS        perfdesk.nsi compiles (SimpChinese)"
echo "  total       ${T_TOTAL} s"
