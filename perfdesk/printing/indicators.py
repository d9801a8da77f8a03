"""The indicator table rows shared by the forms: level-1 and level-2 cells
merged down the rows of their level-3 indicators."""

from __future__ import annotations

from dataclasses import dataclass

from perfdesk.model.document import Evaluation, Indicator
from perfdesk.printing.figures import Notes, group_label, initial_target_text, leaf_score_text, target_text
from perfdesk.scoring import EvaluationScore, format_score


@dataclass
class Row:
    l1: Indicator | None
    l2: Indicator | None
    leaf: Indicator | None


def indicator_rows(ev: Evaluation) -> list[Row]:
    rows: list[Row] = []
    for l1 in ev.indicators:
        if not l1.children:
            rows.append(Row(l1, None, None) if l1.weight is None and not l1.target
                        else Row(None, None, l1))
            continue
        for child in l1.children:
            if not child.children:
                empty_group = child.weight is None and not child.target and not child.actual
                rows.append(Row(l1, child, None) if empty_group else Row(l1, None, child))
                continue
            leaves = [n for n in child.walk() if not n.children and n is not child]
            for leaf in leaves:
                rows.append(Row(l1, child, leaf))
    return rows


def runs(values: list, start: int = 0) -> list[tuple[int, int]]:
    """(first, last) index runs of equal, non-None consecutive values (offset by start)."""
    out, i = [], 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] is values[i]:
            j += 1
        if values[i] is not None and j > i:
            out.append((start + i, start + j))
        i = j + 1
    return out


def group_labels(irows: list[Row], sc: EvaluationScore, notes: Notes, fmt1: str, fmt2: str) -> dict[int, str]:
    """uid → printed label of every group, each marked (once) where needed."""
    out: dict[int, str] = {}
    for row in irows:
        for node, fmt in ((row.l1, fmt1), (row.l2, fmt2)):
            if node is not None and node.uid not in out:
                out[node.uid] = group_label(node, sc, notes, fmt)
    return out


def leaf_cells(leaf: Indicator | None, sc: EvaluationScore, notes: Notes,
               mark_adjusted: bool = True) -> dict[str, str]:
    """The printed cells of a level-3 row. ``target`` is composed with 指标性质 and 计量单位 and, with
    ``mark_adjusted`` (a form without a 年初指标值 column), marked with a note when it was adjusted;
    ``initial`` is the 年初指标值 for a form with that column. Marks are numbered in call order."""
    if leaf is None:
        return dict(name="", target="", initial="", actual="", weight="", score="", rule="", note="")
    return dict(
        name=leaf.name, target=target_text(leaf, notes if mark_adjusted else None),
        initial=initial_target_text(leaf), actual=leaf.actual,
        weight=format_score(leaf.weight) if leaf.weight is not None else "",
        score=leaf_score_text(leaf, sc, notes), rule=leaf.rule_text, note=leaf.deviation_note,
    )
