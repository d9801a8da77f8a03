"""Errors of the printing package, with Chinese messages."""

from __future__ import annotations


class PrintError(Exception):
    """A PDF could not be produced (bad request, unwritable file, missing font)."""

    def __str__(self) -> str:
        return self.args[0] if self.args else "打印失败"


class ExportCancelled(PrintError):
    """The officer cancelled a running export; no file was written."""

    def __init__(self, message: str = "已取消导出PDF，未写入文件。") -> None:
        super().__init__(message)


class FinalRefused(PrintError):
    """A 定稿 document with an impossible figure: it can only be printed as 草稿."""
