"""The corpus forms whose text shows its cells (``|`` rows) read right in the other plain-text
shapes a copy of the same table takes (issue 13, item 2): one cell per line (a web page copied
from the browser), cells between blank lines, cells separated by single spaces, and every cell run
together without any separator as document-sharing sites show an uploaded .docx (pages of about 900
characters, each line numbered “1、” “2、”, behind the site's banner).

The shapes are made from the ``|`` text the way those copies lose information: empty cells
vanish, the line breaks inside a cell stay. Each conversion must read exactly as the form's
expectations say (``test_import_real.problems_of``); the few a shape cannot carry are strict xfails
with the reason.
"""

from __future__ import annotations

import json

import pytest

from generated_forms import render
from test_import_real import KNOWN_FAILURES, REAL, _slugs, problems_of

SHAPES = ("cell-per-line", "blank-lines", "single-spaces", "run-together")

# (slug, shape) -> why the form cannot be read right from that shape
SHAPE_FAILURES: dict[tuple[str, str], str] = {
    ("sichuan-daying-project-nd-a", "cell-per-line"):
        "a form's tail without its header, one cell per line: nothing tells where a row ends (the rows are "
        "read by their shape only when the copy keeps them, readers.headerless)",
    ("sichuan-daying-project-nd-a", "blank-lines"):
        "a form's tail without its header, one cell per paragraph: nothing tells where a row ends",
    ("sichuan-daying-project-nd-a", "single-spaces"):
        "a form's tail without its header in single spaces: the 一级/二级 labels, the names and 定性 "
        "targets ('优良中低差') cannot be told apart without the header's columns (3 of 7 rows read)",
    ("sichuan-dazhou-unit-nd-a", "single-spaces"):
        "a 评分表 whose level-2 and level-3 labels each carry their points ('目标任务(15分) 相关性(5分)'): "
        "in single spaces they read as one name, and its 评价标准 cells hold the same pattern "
        "('符合法律法规(1分) 符合经济社会发展规划(1分)'), so splitting at the space is no rule",
    ("sichuan-daying-project-nd-a", "run-together"):
        "a form's tail without its header run together: '…发放及时率=100%5成本指标…≤101400元5' — with "
        "neither a header nor a space, the 权重 cannot be told from the target's last digits",
    ("anhui-huoshan-project-2024-a", "run-together"):
        "the page store cut the form inside its second indicator ('医疗救助合规率100'): run together, the cut "
        "row reads as a target and an actual ('10' | '0') and is kept; in the text with cells it is only a target",
    ("hubei-huangshi-project-2022-a", "run-together"):
        "no 分值 column, text values ('资源采购期以当年为主' twice) and scores shared by merged cells: run together, "
        "the rows cannot be cut (7 of 12 read)",
    ("hunan-datonghu-project-2021-a", "run-together"):
        "a 计分表 whose 评价标准 cells hold sub-items with their own points ('符合法律法规(1分) …'): run "
        "together, the criteria cannot be told from the next row's labels",
    ("sichuan-dazhou-unit-nd-a", "run-together"):
        "a 部门整体 评分表 of labels with points and no figures ('部门决策(25分)目标任务(15分)相关性(5分)…'): run "
        "together it is not recognised as a table (the points would nest, but the same pattern is criteria "
        "text in other 评分表s)",
    ("yunnan-shidian-project-2019-a", "single-spaces"):
        "names wrapped inside their cell ('扶持发展新型农业经营主体 (个)' / '15 6 8.0' on the next line): in single "
        "spaces the unit in brackets and the figures of the next line read as separate records",
}


def _cells(line: str) -> list[str] | None:
    if "|" not in line:
        return None
    return [c.strip() for c in line.strip().strip("|").split("|")]


def reshape(text: str, shape: str) -> str:
    """The text in ``shape`` (``generated_forms.render``): each ``|`` row's filled cells, each other
    line as a one-cell row."""
    rows = []
    for line in text.splitlines():
        cells = _cells(line)
        rows.append([line.strip()] if cells is None else [c for c in cells if c])
    return render([row for row in rows if any(row)], shape)


def _cases():
    for slug in _slugs():
        exp = json.loads((REAL / f"{slug}.expect.json").read_text(encoding="utf-8"))
        if slug in KNOWN_FAILURES or exp["shape"] not in ("pipe-rows", "pipe-cell-per-line"):
            continue
        for shape in SHAPES:
            reason = SHAPE_FAILURES.get((slug, shape))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            yield pytest.param(slug, shape, marks=marks, id=f"{slug}-{shape}")


@pytest.mark.parametrize("slug,shape", list(_cases()))
def test_a_real_form_reads_the_same_in_another_text_shape(slug, shape):
    text = (REAL / f"{slug}.txt").read_text(encoding="utf-8")
    assert problems_of(slug, reshape(text, shape)) == []


def test_every_shape_failure_is_a_corpus_form_read_right_from_its_own_text():
    assert {slug for slug, _ in SHAPE_FAILURES} <= set(_slugs()) - set(KNOWN_FAILURES)
    assert {shape for _, shape in SHAPE_FAILURES} <= set(SHAPES)
