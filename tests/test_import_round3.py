"""Rules added for the third round of real forms (issue 13): each a small synthetic text of the shape."""

from __future__ import annotations

from perfdesk.exchange.readers.text import text_items


def _rows(text: str) -> list[list[str]]:
    return [it.cells for it in text_items(text) if it.is_row]


def test_a_colon_after_a_label_in_a_stream_is_no_part_of_its_value():
    rows = _rows("关于项目支出绩效自评情况报告\n项目名称:示范管理专项\n项目单位:某省农机局\n主管部门:某省农业厅\n")
    assert ["项目名称:", "示范管理专项"] in rows
    assert all(not c.startswith((":", "：")) for r in rows for c in r)
