"""The import report: what an import read, skipped and guessed, as data.

Every import (text, clipboard, .docx, .pdf, .xlsx …) returns one ``ImportReport``
beside the document: the file and the reader used, one ``FormReport`` per form read
(its family, kind, name, indicators, budget lines, rows skipped and why, columns that
were guessed, readings left uncertain), and what the import skipped as a whole. The
window shows its lines for confirmation, ``perfdesk import`` prints them, and
``--json`` gives ``as_json()``. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FormReport:
    kind: str                       # "unit" | "project"
    name: str
    family: str                     # 财政部格式, 四川格式 … (the family that read it)
    layout: str                     # the layout id it was read into
    where: str = ""                 # 第 12 行起, 表 2 …
    groups: int = 0                 # level-1 groups
    indicators: int = 0             # level-3 indicators
    budget_lines: int = 0           # budget lines with at least one figure
    methods: str = ""               # the scoring methods inferred, in words
    stated_total: str | None = None
    unscored: bool = False          # published at target time: no scores, no actual values
    details: list[str] = field(default_factory=list)    # what was read besides the indicators
    notes: list[str] = field(default_factory=list)      # what the reader said while reading
    skipped: list[str] = field(default_factory=list)    # rows skipped, each with its reason
    guessed: list[str] = field(default_factory=list)    # columns whose meaning was guessed
    uncertain: list[str] = field(default_factory=list)  # readings left to the officer (导入提示)

    KIND_LABELS = {"unit": "部门整体支出绩效自评表", "project": "项目支出绩效自评表"}

    def headline(self) -> str:
        return (f"读取：{self.KIND_LABELS[self.kind]}（{self.family}）“{self.name or '（未命名）'}”："
                f"一级指标 {self.groups} 个，三级指标 {self.indicators} 项；评分方法推断：{self.methods or '无'}")

    def lines(self) -> list[str]:
        out = [self.headline()]
        out += [f"  {line}" for line in self.details]
        out += [f"  {line}" for line in self.notes]
        out += [f"  跳过 {line}" for line in self.skipped]
        out += [f"  推断列：{line}" for line in self.guessed]
        out += [f"  导入提示：{line}" for line in self.uncertain]
        if self.unscored:
            out.append("  表中没有得分和实际完成值（目标阶段公开的表）：作为草稿导入，不计填报总分")
        return out

    def as_json(self) -> dict:
        return {
            "kind": self.kind, "name": self.name, "family": self.family, "layout": self.layout,
            "where": self.where, "groups": self.groups, "indicators": self.indicators,
            "budget_lines": self.budget_lines, "methods": self.methods,
            "stated_total": self.stated_total, "unscored": self.unscored, "details": self.details,
            "notes": self.notes, "skipped": self.skipped, "guessed": self.guessed,
            "uncertain": self.uncertain,
        }


@dataclass
class ImportReport:
    source: str = ""                # the file name, or 剪贴板
    reader: str = ""                # how the file was read: Word 文档, PDF, 文本 …
    forms: list[FormReport] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)    # reports and explanations read
    skipped: list[str] = field(default_factory=list)  # tables and paragraphs skipped, with why
    notes: list[str] = field(default_factory=list)    # the document as a whole (year, unit name …)
    _order: list[tuple[str, object]] = field(default_factory=list, repr=False)

    # Lines are kept in the order things happened, so the report reads like the file.
    def add_form(self, form: FormReport, listed: bool = True) -> None:
        """A form read; ``listed=False`` when the report's lines already tell of it."""
        self.forms.append(form)
        if listed:
            self._order.append(("form", form))

    def add_prose(self, line: str, sub: list[str] | None = None) -> None:
        self.prose.append(line)
        self._order.append(("line", line))
        for s in sub or ():
            self._order.append(("line", f"  {s}"))

    def add_sub(self, line: str) -> None:
        self._order.append(("line", f"  {line}"))

    def skip(self, line: str, sub: list[str] | None = None) -> None:
        self.skipped.append(line)
        self._order.append(("line", f"跳过：{line}"))
        for s in sub or ():
            self._order.append(("line", f"  {s}"))

    def note(self, line: str) -> None:
        self.notes.append(line)
        self._order.append(("line", line))

    def lines(self) -> list[str]:
        head = []
        if self.source or self.reader:
            head.append(f"文件：{self.source or '（未命名）'}（{self.reader or '文本'}）")
        out: list[str] = head
        for kind, value in self._order:
            out.extend(value.lines() if kind == "form" else [value])
        return out

    def as_json(self) -> dict:
        return {
            "source": self.source, "reader": self.reader,
            "forms": [f.as_json() for f in self.forms],
            "prose": self.prose, "skipped": self.skipped, "notes": self.notes,
        }


__all__ = ["FormReport", "ImportReport"]
