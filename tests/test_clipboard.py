"""Indicators pasted from Excel/WPS (tab-separated text) or Word (HTML table)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfdesk.exchange.clipboard import (
    ClipboardImportError,
    clipboard_rows,
    html_table_rows,
    indicators_from_clipboard,
)
from perfdesk.model.document import Method, Tier

EXCEL_TEXT = (
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\r\n"
    "产出指标(50分)\t数量指标\t参保人数\t31万人\t31.48万人\t10\t10\t\r\n"
    "\t\t\"待遇\n发放人数\"\t≥2万人\t1.9万人\t10\t9.5\t部分人员未认证\r\n"
    "\t质量指标\t发放准确率\t100%\t100%\t10\t10\t\r\n"
    "满意度指标(10分)\t服务对象满意度指标\t群众满意度\t≥90%\t达成预期指标\t10\t10\t\r\n"
)

WORD_HTML = """Version:0.9
StartHTML:0000000105
<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style><!-- td {mso-x: 1} --></style></head>
<body><!--StartFragment--><table class=MsoTableGrid border=1>
<tr><td><p>一级指标</p></td><td><p>二级指标</p></td><td><p>三级指标</p></td><td><p>指标值</p></td>
<td><p>实际完成值</p></td><td><p>分值</p></td><td><p>得分</p></td></tr>
<tr><td rowspan=3><p><span lang=EN-US>产出指标</span></p><p>(50分)</p></td><td rowspan=2><p>数量指标</p></td>
<td><p>城乡居民
参保人数</p></td><td><p>≥31万人</p></td><td><p>31.48万人</p></td><td><p>10</p></td><td><p>10</p></td></tr>
<tr><td>补贴&nbsp;发放人数</td><td>2万人</td><td>1.5万人</td><td>10</td><td>7.5</td></tr>
<tr><td>时效指标</td><td>发放及时率</td><td>及时</td><td>部分达成</td><td>10</td><td>7</td></tr>
<tr><td colspan=2>满意度指标</td><td>群众满意度</td><td>≥90%</td><td>95%</td><td>10</td><td>10</td></tr>
</table><!--EndFragment--></body></html>"""


def _tree(indicators):
    return [(node.level, node.name, node.weight) for root in indicators for node in root.walk()]


def test_text_from_excel_or_wps():
    indicators = indicators_from_clipboard(EXCEL_TEXT, None)
    assert _tree(indicators) == [
        (1, "产出指标", Decimal(50)), (2, "数量指标", None), (3, "参保人数", 10), (3, "待遇发放人数", 10),
        (2, "质量指标", None), (3, "发放准确率", 10),
        (1, "满意度指标", Decimal(10)), (2, "服务对象满意度指标", None), (3, "群众满意度", 10),
    ]
    leaves = [node for root in indicators for node in root.walk() if not node.children]
    assert leaves[1].score_override == Decimal("9.5") and leaves[1].deviation_note == "部分人员未认证"
    assert leaves[0].method is Method.HIGHER
    assert leaves[3].method is Method.TIERS and leaves[3].tier is Tier.ACHIEVED


def test_html_from_word_with_rowspan_and_colspan():
    rows = html_table_rows(WORD_HTML)
    assert rows[1][0] == "产出指标\n(50分)" and rows[2][:2] == ["", ""] and rows[3][0] == ""
    assert rows[2][2] == "补贴 发放人数"
    assert rows[4][:3] == ["满意度指标", "", "群众满意度"]
    indicators = indicators_from_clipboard("ignored when there is a table", WORD_HTML)
    assert _tree(indicators) == [
        (1, "产出指标", Decimal(50)), (2, "数量指标", None), (3, "城乡居民参保人数", 10),
        (3, "补贴发放人数", 10), (2, "时效指标", None), (3, "发放及时率", 10),
        (1, "满意度指标", None), (2, "群众满意度", 10),
    ]
    leaves = [node for root in indicators for node in root.walk() if not node.children]
    assert leaves[2].tier is Tier.PARTIAL and leaves[2].score_override == 7


def test_table_without_header_uses_the_mof_column_order():
    text = "产出指标\t数量指标\t培训人数\t≥500人\t520人\t30\t30\n\t\t培训场次\t≥10场\t9场\t10\t9\n"
    indicators = indicators_from_clipboard(text, "")
    leaves = list(indicators[0].children[0].children)
    assert [(leaf.name, leaf.target, leaf.actual, leaf.weight, leaf.score_override) for leaf in leaves] == [
        ("培训人数", "≥500人", "520人", 30, 30), ("培训场次", "≥10场", "9场", 10, 9)]


def test_html_without_table_falls_back_to_text():
    assert clipboard_rows("a\tb\tc", "<p>no table here</p>") == [["a", "b", "c"]]


@pytest.mark.parametrize("text, html", [(None, None), ("", ""), ("   \n\t\n", None),
                                        (None, "<table><tr><td></td></tr></table>")])
def test_nothing_usable(text, html):
    with pytest.raises(ClipboardImportError) as info:
        indicators_from_clipboard(text, html)
    assert "剪贴板" in str(info.value)


def test_huge_clipboard_is_refused():
    with pytest.raises(ClipboardImportError, match="过大"):
        indicators_from_clipboard("x" * 5_000_001, None)


def test_hostile_spans_are_capped():
    html = "<table><tr><td rowspan=999999999 colspan=99999>产出指标</td><td>x</td></tr></table>"
    rows = html_table_rows(html)
    assert len(rows) == 1 and len(rows[0]) <= 101


def test_qt_clipboard_mime_data(qtbot):
    """What the GUI paste action hands over: the clipboard mime data's text and HTML.

    The QMimeData objects stay owned by Python: handing them to QClipboard.setMimeData
    transfers ownership to Qt, and the wrapper then deletes them a second time at exit.
    """
    from PySide6.QtCore import QMimeData

    mime = QMimeData()
    mime.setText(EXCEL_TEXT)
    mime.setHtml(WORD_HTML)
    html = mime.html() if mime.hasHtml() else None
    indicators = indicators_from_clipboard(mime.text(), html)
    assert indicators[0].name == "产出指标" and len(indicators) == 2  # the HTML table won

    text_only = QMimeData()
    text_only.setText(EXCEL_TEXT)
    indicators = indicators_from_clipboard(text_only.text(), text_only.html() if text_only.hasHtml() else None)
    assert [node.name for node in indicators[0].walk()][:3] == ["产出指标", "数量指标", "参保人数"]
