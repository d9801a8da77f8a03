"""Convert a .docx to PDF with LibreOffice (headless), for the .docx tests and the
docs/print/docx-*.png renderings.

LibreOffice gets its own profile (HOME) and a fontconfig file that adds the fonts
shipped in resources/fonts to the system's, so a machine without Chinese system
fonts still renders the text (in the shipped face; the names the .docx asks for —
仿宋_GB2312, 方正小标宋简体, 黑体, 宋体 — are what WPS/Word use on an office PC).

    python tests/docx_pdf.py FILE.docx OUTDIR     # writes OUTDIR/FILE.pdf
    python tests/docx_pdf.py --docs               # regenerates docs/print/docx-*.png (seeds 001, 003, demo)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# The faces the .docx names, as a PC without them would substitute: the shipped serif face
# (when resources/fonts has it) for 宋/仿宋/楷/小标宋, the shipped sans face for 黑体.
SERIF, SANS = "Perfdesk Serif SC", "WenQuanYi Micro Hei"
ALIASES = {"宋体": (SERIF, SANS), "仿宋_GB2312": (SERIF, SANS), "楷体_GB2312": (SERIF, SANS),
           "方正小标宋简体": (SERIF, SANS), "黑体": (SANS,)}


def _alias(name: str, prefer: tuple[str, ...]) -> str:
    families = "".join(f"<family>{f}</family>" for f in prefer)
    return f'<alias binding="same"><family>{name}</family><prefer>{families}</prefer></alias>'


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(docx: Path, outdir: Path, timeout: float = 240) -> Path:
    return convert_many([docx], outdir, timeout)[0]


def convert_many(docxs: list[Path], outdir: Path, timeout: float = 240) -> list[Path]:
    """Several files in one LibreOffice run (one start-up: 34 short forms in about 7 s)."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="perfdesk-lo-") as home:
        conf = Path(home) / "fonts.conf"
        conf.write_text(
            '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
            '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
            f'<dir>{ROOT / "resources" / "fonts"}</dir><cachedir>{home}/fc-cache</cachedir>'
            + "".join(_alias(name, prefer) for name, prefer in ALIASES.items()) + '</fontconfig>',
            encoding="utf-8")
        env = {**os.environ, "HOME": home, "FONTCONFIG_FILE": str(conf)}
        env.pop("QT_QPA_PLATFORM", None)
        subprocess.run([exe, "--headless", "--norestore", f"-env:UserInstallation=file://{home}/profile",
                        "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docxs)],
                       check=True, capture_output=True, timeout=timeout, env=env)
    pdfs = [outdir / (docx.stem + ".pdf") for docx in docxs]
    for docx, pdf in zip(docxs, pdfs):
        if not pdf.exists():
            raise RuntimeError(f"LibreOffice wrote no PDF for {docx}")
    return pdfs


def render_docs(dpi: int = 70) -> list[Path]:
    """Every page of the seeds with prose (001, 003) and the demo, exported to .docx, converted by
    LibreOffice and rendered by pdftoppm, as docs/print/docx-<name>-p<n>.png (16 grey levels)."""
    sys.path.insert(0, str(ROOT))
    from PIL import Image

    from perfdesk.demo import demo_document
    from perfdesk.exchange.docx_export import export_docx
    from perfdesk.exchange.text_import import import_text_file

    seeds = ROOT / "tests" / "fixtures" / "seeds"
    docs = {"seed001": lambda: import_text_file(next(seeds.glob("001_*.txt"))).document,
            "seed003": lambda: import_text_file(next(seeds.glob("003_*.txt"))).document,
            "demo": demo_document}
    out_dir = ROOT / "docs" / "print"
    for old in out_dir.glob("docx-*.png"):
        old.unlink()
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in docs.items():
            docx = Path(tmp) / f"{name}.docx"
            export_docx(make(), docx)
            pdf = convert(docx, Path(tmp))
            subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(Path(tmp) / name)], check=True)
            pages = sorted(Path(tmp).glob(f"{name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
            for n, png in enumerate(pages, start=1):
                target = out_dir / f"docx-{name}-p{n}.png"
                Image.open(png).convert("L").quantize(16).save(target, optimize=True)
                written.append(target)
    return written


if __name__ == "__main__":
    if sys.argv[1:] == ["--docs"]:
        for path in render_docs():
            print(path.relative_to(ROOT))
    else:
        print(convert(Path(sys.argv[1]), Path(sys.argv[2])))
