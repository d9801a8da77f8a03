"""Errors of the document file layer; ``str()`` of each is a Chinese message for the officer.

Messages do not repeat the file name: callers say “无法打开“…”：<message>”.
"""

from __future__ import annotations

import errno
import os


class DocumentFileError(Exception):
    """A ``.pdesk`` file could not be opened or saved."""

    def __init__(self, message: str, path: str | os.PathLike | None = None):
        super().__init__(message)
        self.message = message
        self.path = None if path is None else os.fspath(path)

    def __str__(self) -> str:
        return self.message


class DocumentUnreadableError(DocumentFileError):
    """The file cannot be read at all (permissions, a folder, an I/O error)."""


class DocumentNotFoundError(DocumentUnreadableError):
    """There is no file at that path."""


class NotAPerfdeskFileError(DocumentFileError):
    """Not a perfdesk document: another program's SQLite database, or not SQLite at all."""


class DocumentTooNewError(DocumentFileError):
    """Written by a newer perfdesk with a schema this version does not know."""

    def __init__(self, message: str, path=None, file_version: int = 0, supported_version: int = 0):
        super().__init__(message, path)
        self.file_version = file_version
        self.supported_version = supported_version


class DocumentCorruptError(DocumentFileError):
    """A perfdesk document that is damaged or incomplete (cut short, bad pages, bad contents)."""


class DocumentLimitError(DocumentFileError):
    """Beyond the bounds of a perfdesk document (size, rows, reading time); nothing was read."""


class DocumentSaveError(DocumentFileError):
    """Saving failed; the previous file on disk is unchanged."""


class DocumentLockedError(DocumentFileError):
    """The document is open elsewhere (a live ``.lock`` file beside it)."""

    def __init__(self, message: str, path=None, holder: dict | None = None):
        super().__init__(message, path)
        self.holder = dict(holder or {})


_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘为只读",
    errno.EIO: "读写错误（U 盘或网络盘是否已断开？）",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EBUSY: "文件正被其他程序占用",
    errno.EFBIG: "文件过大或磁盘空间不足",
    errno.EEXIST: "文件已存在",
    errno.EINVAL: "文件名无效",
    errno.EXDEV: "不能跨磁盘移动文件",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "磁盘配额已用完"


def os_reason(exc: OSError) -> str:
    """A short Chinese reason for an ``OSError``."""
    reason = _REASONS.get(exc.errno or 0)
    if reason is None and getattr(exc, "winerror", None) in (32, 33):  # sharing / lock violation
        reason = "文件正被其他程序占用"
    if reason is None and getattr(exc, "winerror", None) in (112, 39):  # disk full
        reason = "磁盘空间不足"
    if reason is None:
        reason = f"系统错误（错误号 {exc.errno}）" if exc.errno else "系统错误"
    return reason
