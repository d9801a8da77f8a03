"""Settings kept in QSettings: recent files, default signatories, window geometry."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = "perfdesk"
APPLICATION = "perfdesk"
MAX_RECENT = 8

SIGNATORY_FIELDS = {
    "leader": "单位负责人",
    "finance_leader": "财务负责人",
    "preparer": "填表人",
    "phone": "联系电话",
}


def settings() -> QSettings:
    return QSettings()


def recent_files() -> list[str]:
    value = settings().value("recentFiles", [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in (value or []) if v]


def last_unit_template() -> str:
    """The 部门整体 template chosen in the last 新建 (the officer's province's form)."""
    return str(settings().value("newDocument/unitTemplate", "") or "")


def set_last_unit_template(template_id: str) -> None:
    settings().setValue("newDocument/unitTemplate", template_id)


def last_folder() -> str:
    return str(settings().value("lastFolder", "") or "")


def set_last_folder(folder: str) -> None:
    settings().setValue("lastFolder", folder)


def add_recent_file(path: str) -> None:
    path = str(Path(path).resolve())
    set_last_folder(str(Path(path).parent))
    files = [p for p in recent_files() if p != path]
    files.insert(0, path)
    settings().setValue("recentFiles", files[:MAX_RECENT])


def remove_recent_file(path: str) -> None:
    settings().setValue("recentFiles", [p for p in recent_files() if p != str(path)])


def last_file() -> str | None:
    files = recent_files()
    return files[0] if files else None


def signatories() -> dict[str, str]:
    """Default 单位负责人 / 财务负责人 / 填表人 / 联系电话 (used by printing)."""
    s = settings()
    return {key: str(s.value(f"signatories/{key}", "") or "") for key in SIGNATORY_FIELDS}


def set_signatories(values: dict[str, str]) -> None:
    s = settings()
    for key in SIGNATORY_FIELDS:
        s.setValue(f"signatories/{key}", values.get(key, ""))


def rule_sets_folder() -> Path:
    """Where the officer puts rule sets of their own (one JSON file each, docs/评价规则.md):
    ``评价规则`` in perfdesk's data folder — %LOCALAPPDATA%\\perfdesk on Windows,
    ~/.local/share/perfdesk on Linux (PERFDESK_DATA_DIR overrides it)."""
    from perfdesk.scoring.rules import default_user_folder

    return default_user_folder()


def use_user_rule_sets() -> Path:
    """At start-up: make the officer's own rule sets known (the folder is created, so it can be found)."""
    from perfdesk.scoring import rules

    folder = rule_sets_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # a read-only profile: the shipped rule sets still work
    rules.use_user_folder(folder)
    return folder
