"""Convert a .docx to PDF with LibreOffice (headless), for the .docx tests and the
docs/print/docx-*.png renderings.

LibreOffice gets its own profile (HOME) and a fontconfig file that adds the fonts
shipped in resources/fonts to the system's, so a machine without Chinese system
fonts still renders the text (in the shipped face; the names the .docx asks for —
仿宋_GB2312, 方正小标宋简体, 黑体, 宋体 — are what WPS/Word use on an office PC).

    python tests/docx_pdf.py FILE.docx OUTDIR     # writes OUTDIR/FILE.pdf
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(docx: Path, outdir: Path, timeout: float = 240) -> Path:
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="perfdesk-lo-") as home:
        conf = Path(home) / "fonts.conf"
        conf.write_text(
            '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
            '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
            f'<dir>{ROOT / "resources" / "fonts"}</dir><cachedir>{home}/fc-cache</cachedir></fontconfig>',
            encoding="utf-8")
        env = {**os.environ, "HOME": home, "FONTCONFIG_FILE": str(conf)}
        env.pop("QT_QPA_PLATFORM", None)
        subprocess.run([exe, "--headless", "--norestore", f"-env:UserInstallation=file://{home}/profile",
                        "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
                       check=True, capture_output=True, timeout=timeout, env=env)
    pdf = outdir / (docx.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice wrote no PDF for {docx}")
    return pdf


if __name__ == "__main__":
    print(convert(Path(sys.argv[1]), Path(sys.argv[2])))
