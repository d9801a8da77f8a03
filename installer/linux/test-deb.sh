#!/usr/bin/env bash
# Install a perfdesk .deb on THIS system, run the installed program headless, remove it.
#
#   bash installer/linux/test-deb.sh dist/perfdesk_<version>_<arch>_glibc<floor>.deb
#
# Used by CI twice: on the build machine (installer/ci-package.sh, the Debian 12 .deb) and inside
# the Debian 11 root of installer/linux/build-old-glibc.sh (the glibc 2.3x .deb).  It needs only
# dpkg and a shell; strace, pdftotext, python3, desktop-file-validate and update-mime-database
# make the checks stricter when present.  Must run as root (dpkg -i).
#   1. the .deb: files, Depends: libc6 (>= floor), file name = floor, preinst refuses glibc 2.17
#      with the Chinese message and accepts this system
#   2. dpkg -i; run the INSTALLED program from / with an empty home and a clean environment:
#      demo, check --json, export-pdf, export-xlsx, import-xlsx, --screenshot (offscreen, twice);
#      with strace: no AF_INET/AF_INET6/AF_PACKET socket in any run
#   3. dpkg -r, dpkg --purge: nothing left behind
# KEEP_OUTPUT=<dir> copies the program's outputs (PDF, PNG, xlsx) there for a look.
set -euo pipefail
DEB="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
WORK="$(mktemp -d)"
INSTALLED=0
cleanup() {
  # never leave a half-tested package installed
  if [ "$INSTALLED" = 1 ] && dpkg -s perfdesk >/dev/null 2>&1; then dpkg --purge perfdesk >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

say()  { echo "== test-deb: $*"; }
fail() { echo "test-deb: FAILED: $*" >&2; exit 1; }
nonempty() { [ -s "$1" ] || fail "$2: $1 is missing or empty"; }

[ "$(id -u)" = 0 ] || fail "run as root (dpkg -i)"
[ -f "$DEB" ] || fail "no such file: $DEB"
SYSTEM="$( . /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}" )"
GLIBC_HERE="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
say "$(basename "$DEB") on $SYSTEM (glibc $GLIBC_HERE)"

# --- 1. the package ------------------------------------------------------------------------------------
dpkg-deb --info "$DEB" >"$WORK/info.txt"
dpkg-deb --contents "$DEB" >"$WORK/contents.txt"
for path in ./opt/perfdesk/perfdesk ./usr/bin/perfdesk ./usr/share/applications/perfdesk.desktop \
            ./usr/share/mime/packages/perfdesk.xml ./usr/share/icons/hicolor/256x256/apps/perfdesk.png \
            ./opt/perfdesk/_internal/resources/fonts/wqy-microhei.ttc; do
  grep -q " $path\$" "$WORK/contents.txt" || fail ".deb lacks $path"
done
GLIBC_REQ="$(sed -n 's/^ *Depends: libc6 (>= \(.*\))$/\1/p' "$WORK/info.txt")"
[ -n "$GLIBC_REQ" ] || fail "control has no libc6 requirement"
case "$(basename "$DEB")" in
  *_glibc"$GLIBC_REQ".deb) ;;
  *) fail "file name does not carry the glibc floor $GLIBC_REQ: $(basename "$DEB")" ;;
esac
say "needs glibc >= $GLIBC_REQ (this system: $GLIBC_HERE)"
if command -v desktop-file-validate >/dev/null; then
  dpkg-deb --fsys-tarfile "$DEB" | tar -xO ./usr/share/applications/perfdesk.desktop >"$WORK/perfdesk.desktop"
  desktop-file-validate "$WORK/perfdesk.desktop" || fail "desktop entry is invalid"
fi

# the install-time glibc check refuses an old system with a Chinese message, accepts this one
dpkg-deb --control "$DEB" "$WORK/control"
if PERFDESK_TEST_GLIBC=2.17 sh "$WORK/control/preinst" install 2>"$WORK/preinst.err"; then
  fail "preinst accepted glibc 2.17 (needs $GLIBC_REQ)"
fi
grep -q "无法安装" "$WORK/preinst.err" && grep -q "$GLIBC_REQ" "$WORK/preinst.err" \
  || { cat "$WORK/preinst.err" >&2; fail "preinst message"; }
sh "$WORK/control/preinst" install || fail "preinst refused this system's glibc ($GLIBC_HERE)"

# --- 2. install, run headless --------------------------------------------------------------------------
dpkg -s perfdesk >/dev/null 2>&1 && dpkg --purge perfdesk >/dev/null
say "dpkg -i $(basename "$DEB")"
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
else
  echo "test-deb: NOTE: strace is not usable here; the no-network check is skipped" >&2
fi
installed() {   # the installed program, from /, with a clean environment and an empty home
  (cd / && env -i PATH=/usr/bin:/bin HOME="$RUN/home" LANG=C.UTF-8 "$@" \
     "${STRACE[@]}" perfdesk "${PERFDESK_ARGS[@]}")
}
no_socket() {
  if [ ${#STRACE[@]} -gt 0 ] && grep -E "AF_INET|AF_INET6|AF_PACKET" "$RUN/strace.log"; then
    fail "perfdesk $1 opened a network socket"
  fi
}
RAN=()
timed() {
  local label="$1"; shift
  PERFDESK_ARGS=("$@")
  local t0; t0=$(date +%s%N)
  installed >"$RUN/$label.out" 2>"$RUN/$label.err" || { cat "$RUN/$label.err" >&2; fail "perfdesk $label"; }
  no_socket "$label"
  RAN+=("$label")
  say "perfdesk $label: ok ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
}
timed demo demo -o "$RUN/x.pdesk";                      nonempty "$RUN/x.pdesk" demo
timed check check "$RUN/x.pdesk" --json
cp "$RUN/check.out" "$RUN/check.json";                  nonempty "$RUN/check.json" "check --json"
if command -v python3 >/dev/null; then
  python3 - "$RUN/check.json" <<'PYEOF' || fail "check --json output"
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
assert report["evaluations"], "no evaluations"
assert all("total" in ev and "findings" in ev for ev in report["evaluations"])
PYEOF
else
  grep -q '"evaluations"' "$RUN/check.json" && grep -q '"total"' "$RUN/check.json" || fail "check --json output"
fi
timed export-pdf export-pdf "$RUN/x.pdesk" -o "$RUN/x.pdf"; nonempty "$RUN/x.pdf" export-pdf
[ "$(head -c 4 "$RUN/x.pdf")" = "%PDF" ] || fail "export-pdf did not write a PDF"
if command -v pdftotext >/dev/null; then
  pdftotext "$RUN/x.pdf" "$RUN/x.txt"
  grep -q "绩效" "$RUN/x.txt" || fail "the PDF has no Chinese text (绩效)"
fi
timed export-xlsx export-xlsx "$RUN/x.pdesk" -o "$RUN/x.xlsx"; nonempty "$RUN/x.xlsx" export-xlsx
[ "$(head -c 2 "$RUN/x.xlsx")" = "PK" ] || fail "export-xlsx did not write an xlsx (zip) file"
timed import-xlsx import-xlsx "$RUN/x.xlsx" -o "$RUN/y.pdesk"; nonempty "$RUN/y.pdesk" import-xlsx
# Word out, and the readers of Word and PDF files (python-docx, pdfplumber/PDFium) in the bundle
timed export-docx export-docx "$RUN/x.pdesk" -o "$RUN/x.docx"; nonempty "$RUN/x.docx" export-docx
[ "$(head -c 2 "$RUN/x.docx")" = "PK" ] || fail "export-docx did not write a .docx (zip) file"
timed "import (docx)" import "$RUN/x.docx" -o "$RUN/from-docx.pdesk"; nonempty "$RUN/from-docx.pdesk" "import docx"
timed "import (pdf)" import "$RUN/x.pdf" -o "$RUN/from-pdf.pdesk"; nonempty "$RUN/from-pdf.pdesk" "import pdf"
installed_gui() { PERFDESK_ARGS=("$@"); installed QT_QPA_PLATFORM=offscreen "${PERFDESK_ENV[@]}"; }
for shot in demo file; do
  PERFDESK_ENV=(LANG=C.UTF-8)
  # the launcher's fcitx branch must not break start-up
  [ "$shot" = file ] && PERFDESK_ENV=(QT_IM_MODULE=fcitx)
  args=(--screenshot "$RUN/$shot.png"); [ "$shot" = file ] && args+=("$RUN/x.pdesk")
  t0=$(date +%s%N)
  installed_gui "${args[@]}" >"$RUN/shot.out" 2>"$RUN/shot.err" || { cat "$RUN/shot.err" >&2; fail "--screenshot ($shot)"; }
  no_socket "--screenshot"
  nonempty "$RUN/$shot.png" "--screenshot"
  [ "$(head -c 4 "$RUN/$shot.png" | tail -c 3)" = "PNG" ] || fail "--screenshot did not write a PNG"
  RAN+=("--screenshot ($shot)")
  say "perfdesk --screenshot ($shot): ok, $(du -k "$RUN/$shot.png" | cut -f1) KiB ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
done
[ ${#STRACE[@]} -gt 0 ] && say "strace: no AF_INET/AF_INET6/AF_PACKET socket in any run"
if [ -n "${KEEP_OUTPUT:-}" ]; then
  mkdir -p "$KEEP_OUTPUT" && cp "$RUN"/*.png "$RUN/x.pdf" "$RUN/x.xlsx" "$RUN/check.json" "$KEEP_OUTPUT/"
fi

# --- 3. remove -----------------------------------------------------------------------------------------
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
INSTALLED=0

IFS=','; ran="${RAN[*]}"; unset IFS
echo "test-deb: $(basename "$DEB") on $SYSTEM (glibc $GLIBC_HERE): needs glibc >= $GLIBC_REQ;" \
     "installed, ran ${ran//,/, }: ok; removed"
