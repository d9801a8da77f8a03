#!/usr/bin/env bash
# Build perfdesk's .deb for older Linux PCs (银河麒麟 V10 SP1 and other glibc 2.31 systems) inside
# a Debian 11 root made with debootstrap — as root, without Docker.
#
#   sudo bash installer/linux/build-old-glibc.sh [--test] [OUT_DIR]
#     OUT_DIR  where the .deb goes (default: dist) -> OUT_DIR/perfdesk_<version>_<arch>_glibc<floor>.deb
#     --test   then install that .deb inside the same root and run the installed program headless
#              there (installer/linux/test-deb.sh: demo, check, export-pdf, export-xlsx, import-xlsx,
#              --screenshot, no network socket under strace), and remove it.  CI runs this.
#
# Steps (each prints its time):
#   1. debootstrap --variant=minbase bullseye into a fresh folder (Debian 11: glibc 2.31), from the
#      same Debian mirror apt uses on this machine; /proc, /sys, /dev mounted, unmounted on any exit.
#   2. in the root: build tools, Qt's system libraries, the test tools (apt, Debian 11 packages).
#   3. in the root: CPython 3.11 from Debian's source package python3.11 (apt-get source, Debian 12's
#      3.11.2 with Debian's patches), configure --enable-shared, make, install to /opt/python3.11.
#   4. in the root: a venv with PySide6 6.9.x (the last series with manylinux_2_28 wheels; 6.10+
#      needs glibc 2.34), SQLAlchemy, ReportLab, openpyxl and PyInstaller, from PyPI.
#   5. in the root: PyInstaller bundle (installer/perfdesk.spec) and installer/linux/build-deb.sh,
#      which measures the glibc floor from every bundled ELF file and names the .deb by it.
#
# Why build Python 3.11 rather than use Debian 11's Python 3.9 (measured, see docs/安装说明.md §8):
#   with 3.9 the program itself breaks (SQLAlchemy evaluates the `Mapped[X | None]` annotations of
#   perfdesk/store/schema.py at run time: every open/save fails), ReportLab 5 declares Python >= 3.9
#   but refuses to import below 3.10, and the bundle would run a Python the test suite never runs on.
#   Building 3.11 costs 2–5 minutes of CI on 2 cores and changes nothing in the program.
#
# Nothing is cached between runs: the root is made anew each time and deleted at the end.
# Settings (environment):
#   SUITE=bullseye       Debian release of the root (buster = glibc 2.28 needs an archive mirror
#                        such as http://archive.debian.org/debian; not tested in CI)
#   MIRROR=<url>         Debian mirror (default: the one in this machine's apt sources, else deb.debian.org)
#   SECURITY_MIRROR=<url>  its security archive (default: derived from apt sources; "none" to leave out)
#   PY_SOURCE_SUITE=bookworm  Debian release whose python3.11 source package is built
#   PYSIDE_SPEC='>=6.9,<6.10' PySide6 version range
#   WORKDIR=<dir>        where the root is made (default: build/old-glibc); KEEP_ROOT=1 keeps it
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TEST=0
OUT_ARG=""
for arg in "$@"; do
  case "$arg" in
    --test) TEST=1 ;;
    -h|--help) sed -n '2,40p' "$0"; exit 0 ;;
    -*) echo "build-old-glibc: unknown option $arg" >&2; exit 2 ;;
    *) OUT_ARG="$arg" ;;
  esac
done
OUT_DIR="${OUT_ARG:-$ROOT/dist}"
mkdir -p "$OUT_DIR"; OUT_DIR="$(cd "$OUT_DIR" && pwd)"
SUITE="${SUITE:-bullseye}"
PY_SOURCE_SUITE="${PY_SOURCE_SUITE:-bookworm}"
PYSIDE_SPEC="${PYSIDE_SPEC:->=6.9,<6.10}"
WORKDIR="${WORKDIR:-$ROOT/build/old-glibc}"
RFS="$WORKDIR/root"

say()  { echo "== old-glibc: $*"; }
fail() { echo "build-old-glibc: FAILED: $*" >&2; exit 1; }
T_START=$(date +%s)
declare -A T=()
lap() { T[$1]=$(( $(date +%s) - T0 )); say "$1: ${T[$1]} s"; }

[ "$(id -u)" = 0 ] || fail "run as root (debootstrap, chroot, mount)"
[ "$(uname -m)" = x86_64 ] || echo "build-old-glibc: NOTE: building for $(uname -m); only x86_64 is tested in CI" >&2

# --- mounts: always undone on exit --------------------------------------------------------------------
mounted_under() { awk -v r="$RFS/" '{ gsub(/\\040/, " ", $2); if (index($2 "/", r) == 1) print $2 }' /proc/mounts; }
unmount_all() {
  local m
  # deepest first; a lazy unmount only if a normal one fails
  for m in $(mounted_under | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "build-old-glibc: could not unmount $m" >&2
  done
}
cleanup() {
  local rc=$?
  [ -d "$RFS" ] && unmount_all
  if [ -d "$RFS" ] && [ "${KEEP_ROOT:-0}" != 1 ]; then
    if [ -z "$(mounted_under)" ]; then
      rm -rf --one-file-system "$RFS"
    else
      echo "build-old-glibc: mounts left under $RFS; not deleting it" >&2
    fi
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mount_all() {
  mount -t proc proc "$RFS/proc"
  mount -t sysfs sysfs "$RFS/sys"
  mount --bind /dev "$RFS/dev"
  mount --bind /dev/pts "$RFS/dev/pts"
}
# Run a command inside the root with a clean environment (nothing of this machine's Python/pip setup).
in_root() {
  local envs=(HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
              PIP_CERT=/etc/ssl/certs/ca-certificates.crt PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
              PYSIDE_SPEC="$PYSIDE_SPEC")
  local v
  for v in PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_TRUSTED_HOST http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
    [ -n "${!v:-}" ] && envs+=("$v=${!v}")
  done
  chroot "$RFS" /usr/bin/env -i "${envs[@]}" "$@"
}

# --- the Debian mirror: the one apt uses here ---------------------------------------------------------
apt_uris() {
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | grep -E '^[[:space:]]*(deb|URIs:)' | grep -oE 'https?://[^[:space:]]+' | sed 's|/*$||'
}
if [ -z "${MIRROR:-}" ]; then
  MIRROR="$(apt_uris | grep -v -- '-security' | grep -E '/debian$' | head -n 1 || true)"
  MIRROR="${MIRROR:-http://deb.debian.org/debian}"
fi
if [ -z "${SECURITY_MIRROR:-}" ]; then
  SECURITY_MIRROR="$(apt_uris | grep -E '/debian-security$' | head -n 1 || true)"
  SECURITY_MIRROR="${SECURITY_MIRROR:-${MIRROR%/debian}/debian-security}"
fi

# --- 1. the root ----------------------------------------------------------------------------------------
source "$ROOT/installer/dev/_env.sh"   # need_apt (cds to ROOT)
mkdir -p "$WORKDIR"
need_apt debootstrap debian-archive-keyring >"$WORKDIR/apt.log" 2>&1 || { cat "$WORKDIR/apt.log" >&2; fail "apt-get install debootstrap"; }
command -v debootstrap >/dev/null || fail "debootstrap is missing"
if [ -e "$RFS" ]; then
  # a root left by an interrupted run: unmount and start again (nothing is reused)
  unmount_all
  [ -z "$(mounted_under)" ] || fail "mounts left under $RFS"
  rm -rf --one-file-system "$RFS"
fi
mkdir -p "$RFS"

say "debootstrap --variant=minbase $SUITE from $MIRROR"
T0=$(date +%s)
debootstrap --variant=minbase "$SUITE" "$RFS" "$MIRROR" >"$WORKDIR/debootstrap.log" 2>&1 \
  || { tail -30 "$WORKDIR/debootstrap.log" >&2; fail "debootstrap"; }
lap debootstrap
{
  echo "deb $MIRROR $SUITE main"
  [ "$SUITE" = buster ] || echo "deb $MIRROR $SUITE-updates main"
  [ "$SECURITY_MIRROR" = none ] || echo "deb $SECURITY_MIRROR $SUITE-security main"
  # source only: Debian's python3.11 package is built, nothing of $PY_SOURCE_SUITE is installed
  echo "deb-src $MIRROR $PY_SOURCE_SUITE main"
} >"$RFS/etc/apt/sources.list"
# An archived release (archive.debian.org) has expired Release files: let apt in the root accept them.
case "$MIRROR" in
  *archive.debian.org*) echo 'Acquire::Check-Valid-Until "false";' >"$RFS/etc/apt/apt.conf.d/99archived-release" ;;
esac
cp /etc/resolv.conf "$RFS/etc/resolv.conf" 2>/dev/null || true
# CA certificates this machine trusts beyond Debian's set (a company or CI proxy), for pip in the root.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$RFS/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$RFS/usr/local/share/ca-certificates/"
fi
mount_all
say "root: $(in_root ldd --version | head -n 1)"

# --- 2.–5. inside the root ------------------------------------------------------------------------------
mkdir -p "$RFS/src"
tar -C "$ROOT" --exclude=./.git --exclude=./.venv --exclude=./build --exclude=./dist --exclude='__pycache__' \
    -cf - . | tar -C "$RFS/src" -xf -

T0=$(date +%s); in_root bash /src/installer/linux/old-glibc-root.sh packages; lap "apt in the root"
T0=$(date +%s); in_root bash /src/installer/linux/old-glibc-root.sh python;   lap "CPython 3.11 from source"
T0=$(date +%s); in_root bash /src/installer/linux/old-glibc-root.sh venv;     lap "pip (PySide6 6.9)"
T0=$(date +%s); in_root bash /src/installer/linux/old-glibc-root.sh deb | tee "$WORKDIR/deb.log"; lap "bundle + .deb"

DEB_IN_ROOT="$(sed -n 's/^build-deb: \(\/out\/[^ ]*\.deb\) .*/\1/p' "$WORKDIR/deb.log" | tail -n 1)"
[ -n "$DEB_IN_ROOT" ] && [ -s "$RFS$DEB_IN_ROOT" ] || fail "no .deb was built"
FLOOR="$(sed -n 's/.*needs glibc >= \([0-9.]*\).*/\1/p' "$WORKDIR/deb.log" | tail -n 1)"
ROOT_GLIBC="$(in_root getconf GNU_LIBC_VERSION | awk '{print $2}')"
in_root dpkg --compare-versions "$FLOOR" le "$ROOT_GLIBC" \
  || fail "the bundle needs glibc $FLOOR, more than the root's $ROOT_GLIBC (a wheel built for a newer glibc?)"
DEB="$OUT_DIR/$(basename "$DEB_IN_ROOT")"
cp "$RFS$DEB_IN_ROOT" "$DEB"
say "$DEB ($(du -h "$DEB" | cut -f1)) needs glibc >= $FLOOR (built on glibc $ROOT_GLIBC)"

# --- --test: install it in the same root, run it there, remove it --------------------------------------
if [ "$TEST" = 1 ]; then
  T0=$(date +%s)
  in_root bash /src/installer/linux/old-glibc-root.sh strip-build
  KEEP=()
  [ -n "${KEEP_OUTPUT:-}" ] && KEEP=(KEEP_OUTPUT=/out/kept)
  in_root "${KEEP[@]}" bash /src/installer/linux/test-deb.sh "$DEB_IN_ROOT" | tee "$WORKDIR/test.log"
  if [ -n "${KEEP_OUTPUT:-}" ]; then mkdir -p "$KEEP_OUTPUT" && cp "$RFS"/out/kept/* "$KEEP_OUTPUT/"; fi
  lap "install test in the root"
fi

T_TOTAL=$(( $(date +%s) - T_START ))
echo
echo "build-old-glibc summary ($SUITE root, glibc $ROOT_GLIBC)"
for k in debootstrap "apt in the root" "CPython 3.11 from source" "pip (PySide6 6.9)" "bundle + .deb" "install test in the root"; do
  [ -n "${T[$k]:-}" ] && printf '  %-26s %4d s\n' "$k" "${T[$k]}"
done
echo "  .deb        $DEB  needs glibc >= $FLOOR"
if [ "$TEST" = 1 ]; then
  echo "  $(grep '^test-deb: ' "$WORKDIR/test.log" | tail -n 1 | sed 's/^test-deb: //')"
fi
echo "  total       ${T_TOTAL} s"
