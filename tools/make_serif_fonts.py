"""Build the bundled serif CJK faces (resources/fonts/PerfdeskSerifSC-*.ttf).

Source: Noto Serif CJK SC (SIL Open Font License 1.1) from the Debian package
``fonts-noto-cjk`` 1:20220127+repack1-1 (Debian 12 “bookworm”), files
``/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc`` and
``NotoSerifCJK-Bold.ttc`` (subfont 2, “Noto Serif CJK SC”, version 2.001), with
the SHA-256 sums below. The collection holds CFF (PostScript) outlines, which
ReportLab cannot embed; this script

1. takes the SC face out of the collection,
2. keeps the characters of GB 2312 (6763 汉字 and 682 symbols) plus ASCII and
   the symbols officers' forms use (①…⑳, ≥ ≤ ± ‰ ※ — … and the full-width forms),
3. converts the cubic CFF outlines to quadratic TrueType (glyf) outlines with
   fontTools' cu2qu (maximum error 1 unit of 1000),
4. renames the family to “Perfdesk Serif SC” (a Modified Version under the OFL
   keeps no trademark name: “Noto” is Google's trademark) and records the
   source in the name table's description.

Reproduce (needs fontTools, and apt-get for the source package):

    python tools/make_serif_fonts.py                # downloads the .deb with apt-get
    python tools/make_serif_fonts.py --source DIR   # DIR holding the two .ttc files

The output is deterministic for the same source files and fontTools version.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "fonts"

DEBIAN_PACKAGE = "fonts-noto-cjk"
DEBIAN_VERSION = "1:20220127+repack1-1"
SOURCES = {
    # output name: (source file, subfont index, SHA-256 of the source file, style)
    "PerfdeskSerifSC-Regular.ttf": (
        "NotoSerifCJK-Regular.ttc", 2,
        "a04178ec485dffdff7cc0c0c20e1fce9202d7e2160d805e8e44a4c8841c58481", "Regular"),
    "PerfdeskSerifSC-Bold.ttf": (
        "NotoSerifCJK-Bold.ttc", 2,
        "a5d4b046c127da3d7c72f98b46c41489cd29bf52abfdf18aba920903e920d4ac", "Bold"),
}
FAMILY = "Perfdesk Serif SC"
MAX_ERR = 1.0  # font units (of 1000 per em)

# Beyond GB 2312: symbols seen in forms and reports, and what officers type.
EXTRA = (
    "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
    "≥≤≠≈±×÷‰℃°※№§¥€£©®™·•–—―‖…‥‧〇〔〕〖〗【】〈〉《》「」『』"
    "“”‘’′″﹙﹚﹛﹜﹝﹞﹟﹠﹡﹢﹣﹤﹥﹦＝＜＞％＋－．／：；，。、！？（）［］｛｝"
    "²³¹½¼¾µΩαβγδ√∑∞∈∩∪⊙▲△▼▽◆◇■□●○★☆→←↑↓✓✔✕✖✗✘"
    "\u3000\u00a0"
)


def charset() -> set[int]:
    chars = set(range(0x20, 0x7F))
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.update(ord(c) for c in bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    chars.update(ord(c) for c in EXTRA)
    return chars


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch_sources(folder: Path) -> Path:
    """apt-get download the Debian package and unpack its fonts into ``folder``."""
    subprocess.run(["apt-get", "download", f"{DEBIAN_PACKAGE}={DEBIAN_VERSION}"], cwd=folder, check=True)
    deb = next(folder.glob(f"{DEBIAN_PACKAGE}_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(deb), str(folder / "x")], check=True)
    return folder / "x" / "usr" / "share" / "fonts" / "opentype" / "noto"


def to_truetype(font) -> None:
    """Replace the CFF table by glyf/loca (cubic → quadratic outlines)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphset = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyphset[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    head = font["head"]
    head.glyphDataFormat = 0
    head.indexToLocFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font, style: str, source_name: str) -> None:
    name = font["name"]
    ps = f"PerfdeskSerifSC-{style}"
    description = (f"Subset (GB 2312 and common symbols) of {source_name} 2.001 from Debian "
                   f"{DEBIAN_PACKAGE} {DEBIAN_VERSION}, converted to TrueType outlines for perfdesk. "
                   "Licensed under the SIL Open Font License 1.1.")
    for record in list(name.names):
        if record.nameID in (1, 3, 4, 6, 16, 17, 7, 10, 11, 12):
            name.removeNames(nameID=record.nameID)
    values = {1: FAMILY, 2: style, 3: f"{ps};perfdesk", 4: f"{FAMILY} {style}", 6: ps, 10: description}
    for name_id, text in values.items():
        name.setName(text, name_id, 3, 1, 0x409)
        name.setName(text, name_id, 1, 0, 0)
    font["OS/2"].fsType = 0  # installable embedding, as the source


def build(source_dir: Path) -> list[Path]:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    written = []
    chars = charset()
    for out_name, (src_name, index, digest, style) in SOURCES.items():
        src = source_dir / src_name
        actual = sha256(src)
        if actual != digest:
            raise SystemExit(f"{src}: SHA-256 {actual} is not the recorded {digest}")
        font = TTFont(str(src), fontNumber=index, lazy=False)
        source_name = font["name"].getDebugName(4)
        options = subset.Options()
        options.layout_features = []
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.glyph_names = False
        options.hinting = False
        options.drop_tables += ["VORG", "vhea", "vmtx", "BASE", "GSUB", "GPOS", "GDEF", "DSIG", "meta"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=chars)
        subsetter.subset(font)
        to_truetype(font)
        rename(font, style, source_name)
        target = OUT / out_name
        font.save(str(target), reorderTables=True)
        written.append(target)
        print(f"{target.relative_to(ROOT)}: {target.stat().st_size / 1e6:.2f} MB, "
              f"{len(font.getGlyphOrder())} glyphs, from {src_name} #{index} ({source_name})")
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="folder holding NotoSerifCJK-Regular.ttc and -Bold.ttc")
    args = parser.parse_args()
    if args.source:
        build(args.source)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        build(fetch_sources(Path(tmp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
