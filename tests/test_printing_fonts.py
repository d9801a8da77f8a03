"""Official type: the bundled serif face on a PC without Chinese fonts, the PC's own
宋体/仿宋/楷体/黑体/小标宋 when present, each font file read once per process."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from perfdesk.printing import fonts
from perfdesk.resources import resource

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils missing")


def test_bundled_serif_is_truetype_and_covers_gb2312():
    from reportlab.pdfbase.ttfonts import TTFont

    for name in (fonts.BUNDLED_SERIF, fonts.BUNDLED_SERIF_BOLD):
        path = resource("fonts", name)
        assert path.stat().st_size < 4_000_000
        font = TTFont("probe-" + name, str(path))  # ReportLab refuses CFF outlines
        cmap = font.face.charToGlyph
        gb2312 = [bytes((hi, lo)).decode("gb2312") for hi in range(0xB0, 0xF8) for lo in range(0xA1, 0xFF)
                  if not (hi == 0xD7 and lo > 0xF9)]
        assert len(gb2312) == 6763
        assert all(ord(ch) in cmap for ch in gb2312)
        assert all(ord(ch) in cmap for ch in "（）《》“”、，。；：①⑳≥≤%‰—…0123456789ABCabc")
    assert (resource("fonts", "PerfdeskSerifSC-OFL.txt")).read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE")


def test_without_chinese_system_fonts_the_pdf_uses_the_serif_face(tmp_path):
    """A fresh process that may not use the PC's fonts (as on a PC without any)."""
    script = (
        "import sys\n"
        "from perfdesk.exchange.text_import import import_text\n"
        "from perfdesk.printing import export_pdf\n"
        "doc = import_text(open(sys.argv[1], encoding='utf-8').read()).document\n"
        "export_pdf(doc, sys.argv[2])\n"
    )
    seed = next(SEEDS.glob("003_*.txt"))
    out = tmp_path / "003.pdf"
    env = dict(os.environ, PERFDESK_SHIPPED_FONTS_ONLY="1")
    subprocess.run([sys.executable, "-c", script, str(seed), str(out)], check=True, cwd=ROOT, env=env, timeout=120)
    listing = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    names = re.findall(r"^[A-Z]{6}\+(\S+)", listing, re.M)
    assert "PerfdeskSerifSC-Regular" in names  # 宋体 cells and 仿宋 body
    assert "PerfdeskSerifSC-Bold" in names     # 小标宋 titles
    for row in listing.splitlines()[2:]:
        assert "TrueType" in row and row.split()[-5] == "yes", row
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "Perfdesk Serif SC" in info and "随程序附带" in info


def test_the_pcs_own_faces_are_used_where_present(tmp_path, monkeypatch):
    # a PC with 仿宋, 楷体, 黑体 and 小标宋 (copies of TrueType files under their Windows names)
    # and a broken 宋体 file, which is skipped
    winfonts = tmp_path / "Windows" / "Fonts"
    winfonts.mkdir(parents=True)
    serif = resource("fonts", fonts.BUNDLED_SERIF)
    for name in ("simfang.ttf", "simkai.ttf", "FZXBSJW.TTF"):
        (winfonts / name).symlink_to(serif)
    (winfonts / "simhei.ttf").symlink_to(resource("fonts", fonts.BUNDLED_SERIF_BOLD))
    (winfonts / "simsun.ttc").write_bytes(b"not a font")
    monkeypatch.delenv("PERFDESK_SHIPPED_FONTS_ONLY", raising=False)
    monkeypatch.setattr(fonts, "font_dirs", lambda: [tmp_path / "Windows" / "Fonts"])
    fonts.reset()
    try:
        faces = fonts.faces()
        assert faces["song"].bundled and faces["song"].path == serif  # broken simsun.ttc skipped
        assert not faces["fang"].bundled and faces["fang"].path.name == "simfang.ttf"
        assert faces["fang"].family == "仿宋" and faces["kai"].family == "楷体"
        assert faces["hei"].path.name == "simhei.ttf" and faces["xbs"].family == "方正小标宋简体"
        assert "仿宋：仿宋（本机字体）" in fonts.summary() and "宋体：Perfdesk Serif SC" in fonts.summary()
    finally:
        monkeypatch.setattr(fonts, "font_dirs", lambda: [])
        fonts.reset()
        fonts.register_fonts()


def test_choice_without_system_fonts_and_for_word():
    chosen = fonts.choose_faces(dirs=[])
    assert chosen["song"].bundled and chosen["song"].path.name == fonts.BUNDLED_SERIF
    assert chosen["fang"].path == chosen["song"].path and chosen["kai"].path == chosen["song"].path
    assert chosen["xbs"].path.name == fonts.BUNDLED_SERIF_BOLD and chosen["hei"].path.name == fonts.BUNDLED_SANS
    assert fonts.OFFICIAL_FAMILIES["fang"] == "仿宋_GB2312"  # what a .docx names for Word/WPS


def test_each_font_file_is_read_once_per_process(tmp_path):
    from perfdesk.demo import demo_document
    from perfdesk.printing import export_pdf

    fonts.register_fonts()
    files = {(str(f.path), f.index) for f in fonts.faces().values()}
    before = dict(fonts._loaded)
    export_pdf(demo_document(), tmp_path / "a.pdf")
    export_pdf(demo_document(), tmp_path / "b.pdf")
    assert set(fonts._loaded) == set(before) and all(fonts._loaded[k] is before[k] for k in before)
    assert files <= set(fonts._loaded)
    from reportlab.pdfbase import pdfmetrics

    # roles sharing a file share one loaded font (one embedded subset)
    assert pdfmetrics.getFont(fonts.FANG) is pdfmetrics.getFont(fonts.SONG) or \
        fonts.faces()["fang"].path != fonts.faces()["song"].path


def test_the_settings_dialog_shows_the_fonts(qtbot, monkeypatch):
    pytest.importorskip("PySide6")
    from PySide6.QtWidgets import QLabel

    from perfdesk.ui import dialogs

    seen = []

    def run_form(dialog, form):
        seen.append(dialog.findChild(QLabel, "printFonts").text())
        return False

    monkeypatch.setattr(dialogs, "_run_form", run_form)
    assert dialogs.edit_signatories(None, {}) is None
    assert seen and "宋体：" in seen[0] and "仿宋：" in seen[0] and "小标宋：" in seen[0]
