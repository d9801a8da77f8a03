#!/usr/bin/env bash
# Build dist/perfdesk_<version>_<arch>_glibc<floor>.deb from the PyInstaller one-folder bundle.
#
#   bash installer/linux/build-deb.sh [BUNDLE_DIR] [OUT_DIR]
#     BUNDLE_DIR  the PyInstaller output (default: dist/perfdesk)
#     OUT_DIR     where the .deb goes   (default: dist)
#
# The package installs the bundle to /opt/perfdesk, a `perfdesk` launcher to /usr/bin, a desktop
# entry (Office menu) with icons, and the MIME type application/x-perfdesk for *.pdesk documents.
# It depends on nothing but glibc: the bundle carries Python, Qt and every library it needs, so an
# office PC without network can install it with `dpkg -i` alone.  The glibc the bundle needs is
# measured here from the bundled ELF files, written into the file name (…_glibc2.31.deb) and the
# control file (Depends: libc6 (>= 2.31)), and checked at install time (preinst, Chinese message).
# The last line printed names the .deb:  build-deb: <path> (<size>, …, needs glibc >= <floor>)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUNDLE="$(cd "${1:-$ROOT/dist/perfdesk}" && pwd)"
OUT="${2:-$ROOT/dist}"
PY="${PYTHON:-python3}"

[ -x "$BUNDLE/perfdesk" ] || { echo "build-deb: $BUNDLE/perfdesk is missing (run PyInstaller first)" >&2; exit 1; }
command -v dpkg-deb >/dev/null || { echo "build-deb: dpkg-deb is missing (apt-get install dpkg-dev)" >&2; exit 1; }

VERSION="$(sed -n 's/^__version__ *= *"\(.*\)"/\1/p' "$ROOT/perfdesk/__init__.py")"
[ -n "$VERSION" ] || { echo "build-deb: no __version__ in perfdesk/__init__.py" >&2; exit 1; }
ARCH="${DEB_ARCH:-$(dpkg --print-architecture)}"

# The newest glibc symbol version any bundled ELF file asks for = what the target system needs.
GLIBC_REQUIRED="$("$PY" - "$BUNDLE" <<'PYEOF'
import os, re, sys
best, needed_by = (2, 17), []
pattern = re.compile(rb"GLIBC_(2\.[0-9]+)(?:\.[0-9]+)?\x00")
for folder, _dirs, files in os.walk(sys.argv[1]):
    for name in files:
        path = os.path.join(folder, name)
        if os.path.islink(path):
            continue
        try:
            with open(path, "rb") as fh:
                if fh.read(4) != b"\x7fELF":
                    continue
                data = fh.read()
        except OSError:
            continue
        newest = max((tuple(int(p) for p in m.group(1).decode().split("."))
                      for m in pattern.finditer(data)), default=None)
        if newest is None:
            continue
        if newest > best:
            best, needed_by = newest, []
        if newest == best:
            needed_by.append(os.path.relpath(path, sys.argv[1]))
# first line: the floor; second: which bundled files need it (for the build log)
print("%d.%d" % best)
print(" ".join(sorted(needed_by)[:8]) + (" …" if len(needed_by) > 8 else ""))
PYEOF
)"
GLIBC_NEEDED_BY="$(printf '%s\n' "$GLIBC_REQUIRED" | sed -n 2p)"
GLIBC_REQUIRED="$(printf '%s\n' "$GLIBC_REQUIRED" | sed -n 1p)"

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
PKG="$STAGE/pkg"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
         "$PKG/usr/share/mime/packages" "$PKG/usr/share/doc/perfdesk" "$PKG/usr/share/icons/hicolor/scalable/apps"

cp -a "$BUNDLE" "$PKG/opt/perfdesk"
chmod -R u+rwX,go+rX,go-w "$PKG/opt/perfdesk"

install -m 0755 "$HERE/perfdesk.sh" "$PKG/usr/bin/perfdesk"
install -m 0644 "$HERE/perfdesk.desktop" "$PKG/usr/share/applications/perfdesk.desktop"
install -m 0644 "$HERE/perfdesk-mime.xml" "$PKG/usr/share/mime/packages/perfdesk.xml"
install -m 0644 "$ROOT/installer/icons/perfdesk.svg" "$PKG/usr/share/icons/hicolor/scalable/apps/perfdesk.svg"
for size in 48 128 256; do
  d="$PKG/usr/share/icons/hicolor/${size}x${size}"
  mkdir -p "$d/apps" "$d/mimetypes"
  install -m 0644 "$ROOT/installer/icons/perfdesk-$size.png" "$d/apps/perfdesk.png"
  install -m 0644 "$ROOT/installer/icons/perfdesk-$size.png" "$d/mimetypes/application-x-perfdesk.png"
done
[ -f "$ROOT/docs/安装说明.md" ] && install -m 0644 "$ROOT/docs/安装说明.md" "$PKG/usr/share/doc/perfdesk/安装说明.md"
cat > "$PKG/usr/share/doc/perfdesk/copyright" <<COPY
perfdesk — 预算绩效自评 $VERSION
License: MIT (perfdesk).  Bundled: Python (PSF), Qt for Python / Qt 6 (LGPLv3), ReportLab (BSD),
openpyxl (MIT), SQLAlchemy (MIT), WenQuanYi Micro Hei font (Apache-2.0, see
/opt/perfdesk/_internal/resources/fonts/).
COPY

INSTALLED_KB="$(du -sk "$PKG" | cut -f1)"
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$INSTALLED_KB/" \
    -e "s/@GLIBC@/$GLIBC_REQUIRED/" "$HERE/debian/control.in" > "$PKG/DEBIAN/control"
sed -e "s/@GLIBC@/$GLIBC_REQUIRED/" "$HERE/debian/preinst" > "$PKG/DEBIAN/preinst"
install -m 0755 "$HERE/debian/postinst" "$PKG/DEBIAN/postinst"
install -m 0755 "$HERE/debian/postrm" "$PKG/DEBIAN/postrm"
chmod 0755 "$PKG/DEBIAN/preinst"
(cd "$PKG" && find . -path ./DEBIAN -prune -o -type f -print0 | sed -z 's|^\./||' | xargs -0 md5sum) > "$PKG/DEBIAN/md5sums"

mkdir -p "$OUT"
DEB="$OUT/perfdesk_${VERSION}_${ARCH}_glibc${GLIBC_REQUIRED}.deb"
# xz: understood by every dpkg of UOS / Kylin (zstd needs dpkg >= 1.21.18)
dpkg-deb --root-owner-group -Zxz -z6 --build "$PKG" "$DEB" >/dev/null
echo "build-deb: glibc $GLIBC_REQUIRED is the newest version asked for, by: ${GLIBC_NEEDED_BY:-(no bundled file)}"
echo "build-deb: $DEB ($(du -h "$DEB" | cut -f1), installed ${INSTALLED_KB} KiB, needs glibc >= $GLIBC_REQUIRED)"
