#!/usr/bin/env bash
# The steps of installer/linux/build-old-glibc.sh that run INSIDE the Debian 11 root (chroot).
# Not meant to be called by hand; build-old-glibc.sh copies the source tree to /src in the root and
# runs, as root with a clean environment:
#
#   bash /src/installer/linux/old-glibc-root.sh packages   # apt: build tools, Qt's system libraries, test tools
#   bash /src/installer/linux/old-glibc-root.sh python     # CPython 3.11 from Debian's source package -> /opt/python3.11
#   bash /src/installer/linux/old-glibc-root.sh venv       # /opt/build-venv: PySide6 6.9.x, SQLAlchemy, ReportLab, openpyxl, PyInstaller
#   bash /src/installer/linux/old-glibc-root.sh deb        # PyInstaller bundle + build-deb.sh -> /out/perfdesk_<v>_<arch>_glibc<floor>.deb
#   bash /src/installer/linux/old-glibc-root.sh strip-build  # remove the build Python and venv before the install test
#
# Why CPython 3.11 built here (and not Debian 11's own Python 3.9): see build-old-glibc.sh.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 LC_ALL=C.UTF-8
PREFIX=/opt/python3.11
VENV=/opt/build-venv
PYSIDE_SPEC="${PYSIDE_SPEC:->=6.9,<6.10}"
# Debian 12's python3.11 source package (fetched by apt-get source from the deb-src line that
# build-old-glibc.sh writes); only its source is used, nothing from Debian 12 is installed.
PY_SOURCE_PACKAGE=python3.11

say() { echo "== old-glibc [root]: $*"; }
fail() { echo "old-glibc [root]: FAILED: $*" >&2; exit 1; }
apt_quiet() {   # apt-get with its output kept unless it fails
  local log; log="$(mktemp)"
  apt-get "$@" >"$log" 2>&1 || { tail -40 "$log" >&2; rm -f "$log"; fail "apt-get $*"; }
  rm -f "$log"
}

step_packages() {
  apt_quiet update
  # Build tools and the headers CPython's modules need (sqlite3, ctypes, zlib, bz2, lzma, ssl for pip,
  # uuid, pyexpat with the system's patched libexpat), dpkg-dev for apt-get source and dpkg-deb.
  local build=(build-essential pkg-config dpkg-dev binutils ca-certificates xz-utils
               libffi-dev zlib1g-dev libsqlite3-dev libssl-dev libbz2-dev liblzma-dev libexpat1-dev uuid-dev)
  # The system libraries Qt's xcb/offscreen plugins link to (installer/dev/_env.sh QT_LIBS) and
  # libatomic (QtPdf): PyInstaller copies them into the bundle from here.
  local qt=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
            libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
            libxcb-render-util0 libxcb-image0 libatomic1)
  # For the install test: strace (no-socket check), pdftotext, python3 (reads check --json),
  # MIME and desktop-entry tools (postinst registration, desktop-file-validate).
  local test=(strace poppler-utils python3 shared-mime-info desktop-file-utils)
  apt_quiet install -y -q --no-install-recommends "${build[@]}" "${qt[@]}" "${test[@]}"
  # The build machine's own extra CA certificates (e.g. a proxy's) were copied in by build-old-glibc.sh.
  update-ca-certificates >/dev/null 2>&1 || true
  say "packages: $(dpkg-query -W -f='.\n' | wc -l) installed; $(ldd --version | head -n 1)"
}

step_python() {
  rm -rf /build/python "$PREFIX"
  mkdir -p /build/python && cd /build/python
  # Debian's source package: the upstream tarball plus Debian's patches (security fixes), verified
  # against the signed Sources index; dpkg-source applies the patches.
  apt_quiet source -q "$PY_SOURCE_PACKAGE"
  local dir; dir="$(find . -maxdepth 1 -type d -name 'python3.11-*' | head -n 1)"
  [ -n "$dir" ] && [ -f "$dir/configure" ] || fail "apt-get source $PY_SOURCE_PACKAGE gave no source tree"
  local dsc; dsc="$(ls ./*.dsc)"
  say "source: ${dsc#./} ($(grep -c . "$dir/debian/patches/series") Debian patches)"
  cd "$dir"
  # Debian builds pyexpat into the interpreter; a module build needs the define that upstream adds
  # to pyexpat.c in 3.12 (a Debian security patch makes pyexpat.c include an internal header).
  if grep -q '#include "pycore_' Modules/pyexpat.c && ! grep -q 'Py_BUILD_CORE_MODULE' Modules/pyexpat.c; then
    sed -i '1i #ifndef Py_BUILD_CORE_BUILTIN\n#  define Py_BUILD_CORE_MODULE 1\n#endif' Modules/pyexpat.c
  fi
  local t0; t0=$(date +%s)
  # --enable-shared: PyInstaller bundles libpython3.11.so; no PGO/LTO (minutes more for ~10 % speed).
  ./configure -q --prefix="$PREFIX" --enable-shared --with-system-expat --with-ensurepip=no \
      LDFLAGS="-Wl,-rpath,$PREFIX/lib" >/build/python/configure.log 2>&1 \
    || { tail -30 /build/python/configure.log >&2; fail "configure"; }
  make -j"$(nproc)" -s >/build/python/make.log 2>&1 || { tail -40 /build/python/make.log >&2; fail "make"; }
  if grep -A3 -E "Failed to build these modules|could not be imported" /build/python/make.log | grep -q '[a-z_]'; then
    grep -A3 -E "Failed to build these modules|could not be imported" /build/python/make.log >&2
    fail "some standard modules were not built"
  fi
  make -s install >/build/python/install.log 2>&1 || { tail -30 /build/python/install.log >&2; fail "make install"; }
  "$PREFIX/bin/python3.11" - <<'PYEOF' || fail "the built Python lacks a module the program needs"
import sys, sqlite3, pyexpat, ssl, ctypes, zlib, bz2, lzma, uuid, decimal, xml.etree.ElementTree
print(f"== old-glibc [root]: built Python {sys.version.split()[0]}; sqlite {sqlite3.sqlite_version}; "
      f"{ssl.OPENSSL_VERSION}; expat {pyexpat.EXPAT_VERSION}")
PYEOF
  say "python: configure + make -j$(nproc) + install $(( $(date +%s) - t0 )) s"
  rm -rf /build/python
}

step_venv() {
  rm -rf "$VENV"
  "$PREFIX/bin/python3.11" -m venv "$VENV" >/dev/null 2>&1 || {
    # Debian's patch disables ensurepip for a system Python; bootstrap pip from the venv instead.
    "$PREFIX/bin/python3.11" -m venv --without-pip "$VENV"
    "$VENV/bin/python" -m ensurepip --upgrade >/dev/null
  }
  local log; log="$(mktemp)"
  "$VENV/bin/python" -m pip install -q --upgrade pip >"$log" 2>&1 || { cat "$log" >&2; fail "pip install --upgrade pip"; }
  # pyproject's dependencies, with PySide6 held to the 6.9 series: 6.10 and later ship only
  # manylinux_2_34 wheels (glibc 2.34); in 6.9, QtPdf is part of PySide6-Addons (no PySide6-Pdf).
  mapfile -t deps < <("$VENV/bin/python" - <<'PYEOF'
import tomllib
with open("/src/pyproject.toml", "rb") as fh:
    deps = tomllib.load(fh)["project"]["dependencies"]
for dep in deps:
    if not dep.lower().startswith("pyside6"):
        print(dep)
PYEOF
)
  "$VENV/bin/python" -m pip install -q "PySide6-Essentials$PYSIDE_SPEC" "PySide6-Addons$PYSIDE_SPEC" \
      "${deps[@]}" pyinstaller >"$log" 2>&1 || { cat "$log" >&2; fail "pip install"; }
  rm -f "$log"
  say "venv: $("$VENV/bin/python" -m pip list 2>/dev/null \
        | awk '{ n = tolower($1); gsub(/_/, "-", n) }
               n ~ /^(pyside6-essentials|pyside6-addons|sqlalchemy|reportlab|openpyxl|python-docx|pdfplumber|pypdfium2|pyinstaller)$/ { printf "%s %s  ", $1, $2 }')"
}

step_deb() {
  cd /src
  rm -rf /build/dist /build/pyinstaller /out && mkdir -p /out
  local t0; t0=$(date +%s)
  "$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
      --distpath /build/dist --workpath /build/pyinstaller installer/perfdesk.spec >/build/pyinstaller.log 2>&1 \
    || { tail -40 /build/pyinstaller.log >&2; fail "PyInstaller"; }
  [ -x /build/dist/perfdesk/perfdesk ] || fail "the bundle was not built"
  local mb; mb="$(du -sm /build/dist/perfdesk | cut -f1)"
  say "bundle: ${mb} MB unpacked, $(find /build/dist/perfdesk -type f | wc -l) files, built in $(( $(date +%s) - t0 )) s"
  [ "$mb" -lt 150 ] || echo "old-glibc [root]: WARNING: bundle is ${mb} MB (aim: < 150 MB)" >&2
  PYTHON="$VENV/bin/python" bash installer/linux/build-deb.sh /build/dist/perfdesk /out
  rm -rf /build/dist /build/pyinstaller
}

step_strip_build() {
  # The install test must not lean on the build tools: no Python 3.11, no PySide6 left in the root.
  rm -rf "$VENV" "$PREFIX" /build
  say "build Python and venv removed from the root"
}

case "${1:-}" in
  packages) step_packages ;;
  python) step_python ;;
  venv) step_venv ;;
  deb) step_deb ;;
  strip-build) step_strip_build ;;
  *) echo "usage: $0 packages|python|venv|deb|strip-build" >&2; exit 2 ;;
esac
