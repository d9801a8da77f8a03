"""The registry of form layouts: one data file per printed form (resources/layouts/*.json).

A layout entry says everything the program needs to know about one paper form:
its id and printed title, the evaluation kind it serves, which columns the paper
has (a 预算执行率 line, a 偏差原因 column, a 评分规则 column, 晋中's target rows and
evaluators), the function that prints it, the function that recognises it in an
imported table, the template a new evaluation of it starts from and, for a unit
form, the project form that goes with it. Every entry names the circular or the
published form it follows (``source``).

A layout may also read forms of other families that print as it does (``also_reads``:
a list of ``{"label", "source", "recogniser", "reader"}``): the 四川 project form, for
instance, is read into the 财政部 project layout until it has a printed form of its own.
``import_families()`` lists every family the import can recognise.

Nothing else in the program names layout ids: printing, import, the editors and
the checks ask this registry. Functions are given as ``"module:function"`` and
imported only when used, so the model stays free of printing, import and Qt.
Adding a layout is one data file plus its builder.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from perfdesk.model.document import DEFAULT_FUNDING_ROWS, SOURCE_LABELS

KINDS = ("unit", "project")
_COLUMN_FLAGS = ("execution_line", "deviation", "rule", "target_rows", "evaluators", "comparison",
                 "initial_target")


class LayoutError(Exception):
    """A layout file is malformed, or a layout id is unknown (Chinese message)."""


@dataclass(frozen=True)
class ImportFamily:
    """A family of published forms the import recognises, read into one layout."""

    layout: str                 # the layout id its forms are read into
    label: str                  # the family's name in the import report: 四川格式 …
    source: str                 # the published forms it follows
    recogniser: str             # "module:function": rows -> confidence 0…1
    reader: str                 # "module:function": (rows, FormReader) -> FormResult

    def recognise(self) -> Callable[..., Any]:
        return _resolve(self.recogniser, self.layout)

    def read(self) -> Callable[..., Any]:
        return _resolve(self.reader, self.layout)


@dataclass(frozen=True)
class Layout:
    id: str
    title: str                  # the form's printed title
    label: str                  # the family's short name in messages: 财政部格式, 江苏格式 …
    kind: str                   # "unit" or "project"
    source: str                 # the circular or published form the layout follows
    has_execution_line: bool    # a 预算执行率 line with 分值 10 above the indicators
    has_deviation_column: bool  # a 偏差原因分析及改进措施 column
    has_rule_column: bool       # a 评价要点及评分规则 column
    has_target_rows: bool       # 绩效目标实现情况 rows (晋中)
    has_evaluators: bool        # 评价人员 (晋中)
    printed_form: str           # "module:function" building the printed form
    recogniser: str | None      # "module:function": rows -> confidence 0…1 that a table is this layout
    reader: str | None          # "module:function" reading the rows of a recognised table
    template: str               # the template a new evaluation of this layout starts from
    pairs_with: str | None      # unit layouts: the project layout that goes with them
    narrative: tuple[str, ...] = ()  # narrative sections the form prints (keys of the evaluation's narrative)
    docx_form: str | None = None     # "module:function" writing the form as Word tables
    # How the paper prints it (the ``print`` block): title with {year}, subtitle,
    # 附件 marker, whether a 绩效等级 is on the form … as (key, value) pairs.
    print_options: tuple = ()
    families: tuple[ImportFamily, ...] = ()  # its own (recogniser/reader) first, then also_reads
    # the funding rows (keys of document.SOURCES) the paper form has, in its order
    funding_rows: tuple[str, ...] = DEFAULT_FUNDING_ROWS
    has_comparison_columns: bool = False  # 指标性质 and 计量单位 (度量单位) columns beside 指标值 (四川)
    has_initial_target_column: bool = False  # 年初指标值 beside the 调整后指标值 (山西, 重庆 一体化 forms)

    def indicator_columns(self) -> tuple[str, ...]:
        """The paper form's indicator columns left to right, as indicator fields (perfdesk.ops.fields):
        what a block copied from such a form holds, cell by cell."""
        columns = ["name"]
        if self.has_comparison_columns:
            columns.append("comparison")
        if self.has_initial_target_column:
            columns.append("initial_target")
        if self.has_rule_column and not self.has_deviation_column:  # 江苏 and the 投入/过程/产出/效果 framework
            return tuple(columns + ["weight", "rule_text", "score"])
        columns.append("target")
        if self.has_comparison_columns:
            columns.append("unit")
        columns += ["actual", "weight", "score"]
        if self.has_deviation_column:
            columns.append("deviation_note")
        return tuple(columns)

    def docx_builder(self) -> Callable[..., Any]:
        if self.docx_form is None:
            raise LayoutError(f"表样“{self.id}”暂不能导出为Word文件")
        return _resolve(self.docx_form, self.id)

    def print_builder(self) -> Callable[..., Any]:
        return _resolve(self.printed_form, self.id)

    def recognise(self) -> Callable[..., Any] | None:
        return None if self.recogniser is None else _resolve(self.recogniser, self.id)

    def read(self) -> Callable[..., Any] | None:
        return None if self.reader is None else _resolve(self.reader, self.id)


def _resolve(dotted: str, layout_id: str) -> Callable[..., Any]:
    module_name, _, name = dotted.partition(":")
    try:
        return getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as exc:
        raise LayoutError(f"表样“{layout_id}”引用的函数“{dotted}”不存在") from exc


def _parse(data: dict, file_name: str) -> Layout:
    def need(key: str, kind=str) -> Any:
        if key not in data:
            raise LayoutError(f"表样文件 {file_name} 缺少字段“{key}”")
        value = data[key]
        if not isinstance(value, kind):
            raise LayoutError(f"表样文件 {file_name} 的字段“{key}”格式错误")
        return value

    def optional(key: str) -> str | None:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise LayoutError(f"表样文件 {file_name} 的字段“{key}”格式错误")
        return value or None

    kind = need("kind")
    if kind not in KINDS:
        raise LayoutError(f"表样文件 {file_name} 的字段“kind”应为 unit 或 project")
    if not need("source").strip():
        raise LayoutError(f"表样文件 {file_name} 没有写明依据的文件或表样（source）")
    columns = need("columns", dict)
    flags = {}
    for flag in _COLUMN_FLAGS:
        value = columns.get(flag, False)
        if not isinstance(value, bool):
            raise LayoutError(f"表样文件 {file_name} 的字段“columns.{flag}”应为 true 或 false")
        flags[flag] = value
    for key in ("printed_form", "recogniser", "reader", "docx_form"):
        value = data.get(key)
        if value is not None and (not isinstance(value, str) or ":" not in value):
            raise LayoutError(f"表样文件 {file_name} 的字段“{key}”应写成“模块:函数”")
    need("printed_form")
    narrative = data.get("narrative", [])
    if not isinstance(narrative, list) or not all(isinstance(k, str) for k in narrative):
        raise LayoutError(f"表样文件 {file_name} 的字段“narrative”应为文字说明栏目的列表")
    options = data.get("print", {})
    if not isinstance(options, dict) or not all(
            isinstance(v, (str, bool, int, float)) for v in options.values()):
        raise LayoutError(f"表样文件 {file_name} 的字段“print”格式错误")
    funding_rows = data.get("funding_rows", DEFAULT_FUNDING_ROWS)
    if (not isinstance(funding_rows, (list, tuple)) or not funding_rows
            or any(key not in SOURCE_LABELS for key in funding_rows)):
        raise LayoutError(f"表样文件 {file_name} 的字段“funding_rows”应列出资金来源（{'、'.join(SOURCE_LABELS)}）")
    if (data.get("recogniser") is None) != (data.get("reader") is None):
        raise LayoutError(f"表样文件 {file_name} 的 recogniser 与 reader 应同时给出或同时省略")
    layout_id = need("id")
    families = []
    if data.get("recogniser"):
        families.append(ImportFamily(layout_id, need("label"), need("source"), data["recogniser"], data["reader"]))
    also = data.get("also_reads", [])
    if not isinstance(also, list):
        raise LayoutError(f"表样文件 {file_name} 的字段“also_reads”应为列表")
    for n, entry in enumerate(also):
        where = f"also_reads[{n}]"
        if not isinstance(entry, dict):
            raise LayoutError(f"表样文件 {file_name} 的字段“{where}”格式错误")
        values = {}
        for key in ("label", "source", "recogniser", "reader"):
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                raise LayoutError(f"表样文件 {file_name} 缺少字段“{where}.{key}”")
            if key in ("recogniser", "reader") and ":" not in value:
                raise LayoutError(f"表样文件 {file_name} 的字段“{where}.{key}”应写成“模块:函数”")
            values[key] = value
        families.append(ImportFamily(layout_id, **values))
    return Layout(
        id=need("id"), title=need("title"), label=need("label"), kind=kind, source=need("source"),
        has_execution_line=flags["execution_line"], has_deviation_column=flags["deviation"],
        has_rule_column=flags["rule"], has_target_rows=flags["target_rows"],
        has_evaluators=flags["evaluators"], printed_form=data["printed_form"],
        recogniser=optional("recogniser"), reader=optional("reader"), template=need("template"),
        pairs_with=optional("pairs_with"), narrative=tuple(narrative), docx_form=optional("docx_form"),
        print_options=tuple(sorted(options.items())), families=tuple(families),
        funding_rows=tuple(funding_rows),
        has_comparison_columns=flags["comparison"], has_initial_target_column=flags["initial_target"],
    )


@lru_cache(maxsize=None)
def _registry() -> dict[str, Layout]:
    from perfdesk.resources import resource

    layouts: dict[str, Layout] = {}
    for path in sorted(resource("layouts").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise LayoutError(f"表样文件 {path.name} 无法读取：{exc}") from exc
        if not isinstance(data, dict):
            raise LayoutError(f"表样文件 {path.name} 格式错误")
        layout = _parse(data, path.name)
        if layout.id in layouts:
            raise LayoutError(f"表样“{layout.id}”重复定义（{path.name}）")
        layouts[layout.id] = layout
    for layout in layouts.values():
        if layout.pairs_with is not None:
            partner = layouts.get(layout.pairs_with)
            if partner is None or partner.kind != "project" or layout.kind != "unit":
                raise LayoutError(f"表样“{layout.id}”的配套项目表样“{layout.pairs_with}”无效")
    for kind in KINDS:
        if DEFAULTS[kind] not in layouts:
            raise LayoutError(f"缺少默认表样“{DEFAULTS[kind]}”")
    return layouts


# The layout of an evaluation made without one (an empty id): the 财政部 forms.
DEFAULTS = {"unit": "unit-mof", "project": "project-mof"}


def layouts(kind: str | None = None) -> list[Layout]:
    return [layout for layout in _registry().values() if kind is None or layout.kind == kind]


def import_families() -> list[ImportFamily]:
    """Every family of forms the import recognises, layout by layout."""
    return [family for layout in _registry().values() for family in layout.families]


def get_layout(layout_id: str) -> Layout:
    """The named layout; an unknown id is an error with a Chinese message."""
    try:
        return _registry()[layout_id]
    except KeyError:
        raise LayoutError(f"未知的表样“{layout_id}”（本程序没有这种表格的格式）") from None


def is_known(layout_id: str) -> bool:
    return layout_id in _registry()


def layout_of(layout_id: str, kind: str) -> Layout:
    """The layout of an evaluation: its own, or for an empty id the default of its kind.

    A non-empty id that is not in the registry raises ``LayoutError``: a form must
    never be printed or checked silently as another one.
    """
    kind = getattr(kind, "value", kind)
    if not layout_id:
        return _registry()[DEFAULTS[kind]]
    layout = get_layout(layout_id)
    if layout.kind != kind:
        raise LayoutError(f"表样“{layout_id}”不能用于{'部门整体' if kind == 'unit' else '项目支出'}自评表")
    return layout


def project_layout_for(unit_layout_id: str) -> Layout:
    """The project form that goes with a unit form (its ``pairs_with``), else the default."""
    unit = _registry().get(unit_layout_id)
    partner = unit.pairs_with if unit is not None and unit.pairs_with else DEFAULTS["project"]
    return _registry()[partner]


def __getattr__(name: str):
    # ``LAYOUTS`` (id -> Layout) for readers of the old module attribute.
    if name == "LAYOUTS":
        return dict(_registry())
    raise AttributeError(name)
