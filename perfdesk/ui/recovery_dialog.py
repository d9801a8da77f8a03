"""Questions about a document's copies: recovery after a crash, an interrupted save, newer work on disk.

Each question is asked through ``ask_choice`` (a message box with named buttons);
tests replace ``ask_choice`` the way they replace the functions of ``dialogs``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from perfdesk.ui import dialogs

# Choices of offer_recovery.
RECOVER, SEPARATE, OPEN_FILE, DISCARD = "recover", "separate", "open_file", "discard"
# Choices of confirm_save_over_change.
OVERWRITE, SAVE_AS, CANCEL = "overwrite", "save_as", "cancel"


def tr(text: str) -> str:
    return QCoreApplication.translate("recovery_dialog", text)


def ask_choice(parent, title: str, message: str, choices: list[tuple[str, str]], default: str,
               escape: str) -> str:
    """Show ``message`` with one button per (key, label); the key of the button pressed (``escape`` on Esc)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Warning, title, message, parent=parent)
    buttons = {}
    for key, label in choices:
        role = QMessageBox.RejectRole if key == escape else QMessageBox.AcceptRole
        buttons[key] = box.addButton(label, role)
    box.setDefaultButton(buttons[default])
    box.setEscapeButton(buttons[escape])
    box.exec()
    clicked = box.clickedButton()
    return next((key for key, button in buttons.items() if button is clicked), escape)


def offer_recovery(parent, info) -> str:
    """After a crash: what to do with a recovery copy (``RecoveryInfo``).

    When the original file on disk is not the one the copy started from (saved again
    elsewhere since), both times are shown and the copy is never put over it:
    OPEN_FILE (the newer file; the copy is kept for later), SEPARATE (the copy as an
    unsaved document of its own) or DISCARD. Otherwise RECOVER or DISCARD.
    """
    original = str(info.original_path) if info.original_path else ""
    name = info.unit_name or tr("未命名单位")
    copy_time = info.saved_at.strftime("%Y-%m-%d %H:%M:%S")
    if info.original_changed():
        disk_state = info.original_state()
        message = "\n".join([
            tr("上次程序意外退出，留下了未保存的工作副本，但磁盘上的文件此后已被再次保存"
               "（例如在另一台电脑上编辑后用 U 盘带回）。"),
            "",
            tr("单位：%1").replace("%1", name),
            tr("文件：%1").replace("%1", original),
            tr("磁盘上的文件：保存于 %1").replace("%1", disk_state.when() if disk_state else tr("未知")),
            tr("工作副本：自动备份于 %1").replace("%1", copy_time),
            tr("工作副本所依据的版本：保存于 %1").replace("%1", info.base_time),
            "",
            tr("如果把工作副本恢复到原文件，磁盘上较新的内容会被覆盖。请选择："),
        ])
        return ask_choice(parent, tr("磁盘上的文件更新"), message, [
            (OPEN_FILE, tr("打开磁盘上的文件（保留备份）")),
            (SEPARATE, tr("把备份恢复为单独的副本")),
            (DISCARD, tr("删除备份")),
        ], default=OPEN_FILE, escape=OPEN_FILE)
    message = (tr("上次程序意外退出，发现未保存的工作副本：\n\n单位：%1\n文件：%2\n自动备份时间：%3\n\n"
                  "是否恢复？（选择“否”将删除这份备份）")
               .replace("%1", name).replace("%2", original or tr("（尚未保存过的新文档）"))
               .replace("%3", copy_time))
    return RECOVER if dialogs.ask_yes_no(parent, message, tr("恢复未保存的工作")) else DISCARD


def confirm_save_over_change(parent, change) -> str:
    """Saving over a file that was changed on disk since it was opened (``DiskChange``)."""
    message = "\n".join([
        tr("“%1”").replace("%1", Path(change.path).name),
        "",
        change.message(),
        "",
        tr("请选择：覆盖磁盘上的文件，另存为一个新文件（保留两份），或取消保存。"),
    ])
    return ask_choice(parent, tr("文件已在磁盘上被改动"), message, [
        (SAVE_AS, tr("另存为…")),
        (OVERWRITE, tr("覆盖")),
        (CANCEL, tr("取消")),
    ], default=SAVE_AS, escape=CANCEL)


def offer_leftover(parent, target: str, leftover) -> bool:
    """An interrupted save left a complete, newer copy: complete that save (True) or delete the copy."""
    from perfdesk.store.disk import DiskState, format_time, read_state

    current: DiskState | None = read_state(target)
    lines = [
        tr("上次保存“%1”时被中断（例如断电或程序被强行关闭），留下了一份完整的、比文档更新的内容。")
        .replace("%1", Path(target).name),
        "",
        tr("未完成保存的内容：写于 %1").replace("%1", format_time(leftover.mtime)),
        tr("文档：%1").replace("%1", tr("保存于 %1").replace("%1", current.when()) if current
                                  else tr("已不在磁盘上（只剩这份内容）")),
        "",
        tr("完成那次保存，就用这份内容替换文档；删除它，则保留文档现在的内容。"),
    ]
    answer = ask_choice(parent, tr("发现未完成的保存"), "\n".join(lines), [
        ("use", tr("完成那次保存")),
        ("discard", tr("删除它")),
    ], default="use", escape="use" if current is None else "discard")
    return answer == "use"


def settle_leftovers_of(target: str, parent=None) -> None:
    """Before opening a locked document: offer a newer interrupted save, delete the other temporary files."""
    from perfdesk.store import DocumentFileError, settle_leftovers

    try:
        settle_leftovers(target, use=lambda leftover: offer_leftover(parent, target, leftover))
    except (DocumentFileError, OSError) as exc:
        from perfdesk.store import os_reason

        reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        dialogs.warning(parent, tr("无法处理未完成保存留下的临时文件：%1").replace("%1", reason))


def has_leftovers(target: str) -> bool:
    from perfdesk.store.atomic import has_leftovers as _has

    return _has(target)
