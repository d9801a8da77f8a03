"""What every form family reader shares: its result, its reading context, small cell helpers.

A family reader is a function ``read(rows, reader) -> FormResult`` named by the layout
registry (resources/layouts/*.json). ``rows`` are the table rows of one form (lists of
cell texts; a cell merged across rows or columns appears once, the rest empty — the way
Excel copies merged cells); ``reader`` is the ``FormReader`` below: it knows the layout
being read (its template, its id) and collects what the import report says about the
form — notes, skipped rows, guessed columns and uncertain readings that become
``import_uncertain`` findings pointing at the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from perfdesk.exchange.text_indicators import is_total_row, read_number
from perfdesk.exchange.text_rows import compact
from perfdesk.model.amounts import parse_wan
from perfdesk.model.document import Evaluation, EvaluationKind
from perfdesk.model.values import parse_decimal, parse_rate
from perfdesk.templates import load_template


@dataclass
class Uncertain:
    """A reading the importer is not sure of, pointing at a cell (see ``model.places``)."""

    message: str
    indicator: object | None = None   # the Indicator, when the cell is one of the tree
    field: str = ""                   # an indicator field or an evaluation path


@dataclass
class FormResult:
    evaluation: Evaluation
    family: str = ""                 # the family's label in the report (财政部格式, 四川格式 …)
    unit_name: str = ""
    functions: str = ""
    organisation: str = ""
    supervisor: str = ""
    contacts: dict = field(default_factory=dict)
    year: int | None = None          # a year read inside the form (“2019年度)”, 填报日期)
    unscored: bool = False           # no 得分 and no 完成值 anywhere: a form published at target time


class FormReader:
    """The context of one family reader: the layout it fills and what it reports."""

    def __init__(self, report: list[str], layout=None, family: str = ""):
        self.report = report               # lines for the import report (Chinese)
        self.layout = layout               # the registry's Layout being read (or None in tests)
        self.family = family or (layout.label if layout is not None else "")
        self.skipped: list[str] = []       # rows skipped, each with its reason
        self.guessed: list[str] = []       # columns whose meaning was guessed
        self.uncertain: list[Uncertain] = []
        self.yuan = False                  # the form states its amounts in 元 (converted to 万元)
        self.exact = True                  # cells stand in their columns (else: a web copy lost some)

    # --- the evaluation the layout starts from -------------------------------------------------
    def new_evaluation(self, kind: EvaluationKind | None = None) -> Evaluation:
        layout = self.layout
        if layout is None:
            raise ValueError("no layout")
        template = load_template(layout.template)
        return Evaluation(kind=kind or EvaluationKind(layout.kind), template=layout.template,
                          layout=layout.id, execution_rounding=template.execution_rounding)

    # --- reporting ------------------------------------------------------------------------------
    def note(self, text: str) -> None:
        self.report.append(text)

    def skip(self, what: str, why: str) -> None:
        self.skipped.append(f"{what}：{why}")

    def guess(self, text: str) -> None:
        self.guessed.append(text)

    def unsure(self, message: str, indicator=None, field: str = "") -> None:
        self.uncertain.append(Uncertain(message, indicator, field))

    # --- cell values ----------------------------------------------------------------------------
    def amount(self, text: str, where: str, yuan: bool = False) -> int | None:
        """An amount in 万元 (or in 元 when the column says so: converted); None when empty."""
        raw = (text or "").strip()
        if raw in ("/", "—", "-", "－", "——", "无"):
            return None
        try:
            if "e" in raw.lower():
                raise ValueError(raw)  # no exponent notation in money
            compact_raw = compact(raw)
            if yuan or (compact_raw.endswith("元") and not compact_raw.endswith("万元")):
                value = parse_decimal(compact_raw.removesuffix("元"))
                return None if value is None else int((value * 100).to_integral_value())
            return parse_wan(raw)
        except (ValueError, ArithmeticError):
            self.report.append(f"{where}：无法读取金额“{raw}”，已留空")
            return None

    def rate(self, text: str, where: str) -> Decimal | None:
        raw = (text or "").strip()
        if raw in ("/", "—", "-", "－", "——"):
            return None
        try:
            return parse_rate(raw)
        except ValueError:
            self.report.append(f"{where}：无法读取执行率“{raw}”，已留空")
            return None

    def number(self, text: str, what: str) -> Decimal | None:
        raw = (text or "").strip()
        if raw in ("/", "—", "-", "－", "——"):
            return None
        return read_number(raw, what, self.report)


# --- small helpers on rows ---------------------------------------------------------------------

def first(cells: list[str]) -> str:
    return next((c for c in cells if c.strip()), "")


def after(cells: list[str], label_test) -> str:
    """The first non-empty cell after the cell that passes ``label_test``."""
    for index, cell in enumerate(cells):
        if cell and label_test(compact(cell)):
            return next((c for c in cells[index + 1:] if c.strip()), "")
    return ""


def is_number(text: str) -> bool:
    try:
        return parse_decimal(text) is not None
    except ValueError:
        return False


def stated_total(cells: list[str], what: str, reader: FormReader) -> Decimal | None:
    """The stated total of a 合计/总分 row: the second filled cell after the label
    (the first is the weight total, 100); a lone figure is taken as the total."""
    filled = [c for c in cells if c.strip()]
    label = next((n for n, c in enumerate(filled) if is_total_row([c])), None)
    values = filled[label + 1:] if label is not None else filled
    if not values:
        return None
    return reader.number(values[1] if len(values) >= 2 else values[0], what)


_TAG_RE = re.compile(r"</?\s*p\s*>", re.IGNORECASE)


def strip_tags(text: str) -> str:
    parts = [p.strip() for p in _TAG_RE.split(text or "")]
    return "\n".join(p for p in parts if p)


def cells_and_firsts(rows: list[list[str]]) -> tuple[list[str], set[str]]:
    return [compact(first(r)) for r in rows], {compact(c) for r in rows for c in r if c}


__all__ = [
    "FormReader", "FormResult", "Uncertain", "after", "cells_and_firsts", "first", "is_number",
    "stated_total", "strip_tags",
]
