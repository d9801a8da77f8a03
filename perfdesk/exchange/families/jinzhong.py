"""The 山西晋中 财政支出项目绩效自评表 (seed 004): 项目名称, 主管部门及代码, 实施单位, 项目属性,
项目期, 项目资金情况, 项目概况 / 资金使用情况 / 组织实施情况, 绩效目标实现情况, 项目绩效情况,
评分表 (投入 / 过程 / 产出 / 效果), 综合得分, 评价结果等次, 评价人员, 负责人 / 经办人."""

from __future__ import annotations


from perfdesk.exchange.families.base import (
    FormReader,
    FormResult,
    after,
    cells_and_firsts,
    first,
    is_number,
    stated_total,
    strip_tags,
)
from perfdesk.exchange.text_indicators import apply_method, header_roles, leaf_name
from perfdesk.exchange.text_rows import compact, tidy_name
from perfdesk.model.document import Evaluation, Evaluator, Indicator, TargetRow


def split_code(text: str) -> tuple[str, str]:
    """“晋中市人社局（077）” → (“晋中市人社局”, “077”); without a trailing number, (text, "").

    Read from the end without a regular expression, so that a cell of thousands of spaces
    costs linear time (the former pattern, a lazy name, optional spaces, an optional bracket,
    optional spaces and digits, was cubic).
    """
    rest = text.rstrip()
    if rest.endswith((")", "）")):
        rest = rest[:-1].rstrip()
    end = len(rest)
    start = end
    while start > 0 and rest[start - 1].isdigit() and rest[start - 1].isascii():
        start -= 1
    if start == end:
        return text.strip(), ""
    code = rest[start:end]
    name = rest[:start].rstrip()
    if name.endswith(("(", "（")):
        name = name[:-1]
    return name.strip(), code


def labelled_value(cells: list[str], word: str) -> str:
    """The value written after “word:” in a row — in the same cell or in the next filled cell."""
    for index, cell in enumerate(cells):
        at = cell.find(word)
        if at < 0:
            continue
        tail = cell[at + len(word):].lstrip()
        if not tail.startswith((":", "：")):
            continue
        tail = tail[1:].strip()
        if tail:
            return tail
        return next((c.strip() for c in cells[index + 1:] if c.strip()), "")
    return ""


def recognise(rows: list[list[str]]) -> float:
    firsts, every = cells_and_firsts(rows)
    if any("主管部门及代码" in c for c in every) or "评分表" in firsts:
        return 0.8
    return 0.0


_JZ_SECTIONS = {"预算资金": "initial_budget", "预算下达资金": "annual_budget", "实际支出资金": "spent"}
_JZ_SOURCES = (("市级", "appropriation"), ("本级", "appropriation"), ("上年结转", "carried_over"),
               ("上级", "superior_funds"), ("其他", "other_funds"))
_JZ_NARRATIVE = (("项目概况", "overview"), ("项目资金使用情况", "fund_usage"),
                 ("资金使用情况", "fund_usage"), ("项目组织实施情况", "organisation"),
                 ("组织实施情况", "organisation"))
_LEVEL1_OF_LEVEL2 = (("数量", "产出指标"), ("质量", "产出指标"), ("时效", "产出指标"), ("成本", "产出指标"),
                     ("经济效益", "效益指标"), ("社会效益", "效益指标"), ("生态效益", "效益指标"),
                     ("可持续", "效益指标"), ("满意度", "满意度指标"))


def read(rows: list[list[str]], reader: FormReader) -> FormResult:
    ev = reader.new_evaluation()
    out = FormResult(ev, reader.family)
    section: str | None = None
    i = 0
    while i < len(rows):
        cells = rows[i]
        label = compact(cells[0]) if cells else ""
        if label == "项目名称":
            ev.name = tidy_name(after(cells, lambda t: t == "项目名称"))
        elif label.startswith("主管部门"):
            sup = after(cells, lambda t: t.startswith("主管部门")).strip()
            name, code = split_code(sup)
            ev.project.supervisor, ev.project.supervisor_code = tidy_name(name), code
            ev.project.implementer = tidy_name(after(cells, lambda t: t == "实施单位"))
        elif label == "项目属性":
            ev.project.attribute = after(cells, lambda t: t == "项目属性").strip()
            ev.project.period = after(cells, lambda t: t == "项目期").strip()
        elif label.startswith("<p>") or label.startswith("项目概况"):
            text = strip_tags(cells[0])
            for heading, key in _JZ_NARRATIVE:
                if text.startswith(heading):
                    ev.narrative[key] = text[len(heading):].strip()
                    break
            else:
                reader.report.append(f"跳过：无法归类的说明“{text[:20]}…”")
        elif label == "项目绩效情况":
            ev.narrative["performance"] = strip_tags("\n".join(c for c in cells[1:] if c))
        elif label.startswith("其他需说明"):
            ev.narrative["other_issues"] = strip_tags("\n".join(c for c in cells[1:] if c))
        elif label == "绩效目标实现情况":
            roles = header_roles(cells)
            i += 1
            level1 = level2 = ""
            skipped = 0
            while i < len(rows) and compact(first(rows[i])) not in ("项目绩效情况", "评分表"):
                row = rows[i]
                cell = lambda role, default=None: (row[roles[role]].strip() if role in roles
                                                   and roles[role] < len(row) else "")
                if row and row[0].strip():
                    level1 = tidy_name(row[0])
                if cell("level2"):
                    level2 = tidy_name(cell("level2"))
                    level1 = next((l1 for w, l1 in _LEVEL1_OF_LEVEL2 if w in level2), level1)
                name, target, actual = leaf_name(cell("name")), cell("target"), cell("actual")
                if not (name or target or actual):
                    skipped += 1
                    i += 1
                    continue
                ev.target_rows.append(TargetRow(
                    level1=level1, level2=level2, name=name, target=target, actual=actual,
                    stated_progress=reader.rate(cell("progress"), f"绩效目标“{name or level2}”完成进度"),
                ))
                i += 1
            if skipped:
                reader.report.append(f"绩效目标实现情况：跳过 {skipped} 行空白指标（如“指标2:”）")
            continue
        elif label == "评分表":
            i = _jinzhong_scores(ev, rows, i + 1, reader)
            continue
        elif label.startswith("评价结果等次"):
            ev.stated_grade = after(cells, lambda t: t.startswith("评价结果等次")).strip() or None
        elif label == "评价人员":
            cols = {}
            for index, cell_text in enumerate(cells):
                t = compact(cell_text)
                for key, word in (("name", "姓名"), ("title", "职"), ("department", "科室"),
                                  ("phone", "电话")):
                    if key not in cols and t and word in t:
                        cols[key] = index
            i += 1
            while i < len(rows) and not rows[i][0].strip():
                row = rows[i]
                values = {k: (row[c].strip() if c < len(row) else "") for k, c in cols.items()}
                if values.get("name"):
                    ev.evaluators.append(Evaluator(**values))
                i += 1
            continue
        elif label.startswith("负责人"):
            for key, word in (("leader", "负责人"), ("preparer", "经办人"), ("phone", "联系电话"),
                              ("date", "填报日期")):
                value = labelled_value(cells, word)
                if value:
                    out.contacts[key] = value
        elif label.startswith("项目资金情况") or (section and label in (
                "", "上级财政资金", "其他", "上年结转资金")):
            section = _jinzhong_budget_row(ev, cells, section, reader)
        i += 1
    return out


def _jinzhong_budget_row(ev: Evaluation, cells: list[str], section: str | None, reader: FormReader):
    texts = [compact(c) for c in cells if c and not is_number(c)]
    texts = [t for t in texts if not t.startswith("项目资金情况")]
    numbers = [c for c in cells if c and is_number(c)]
    for t in texts:
        if t in _JZ_SECTIONS:
            section = t
    sub = next((t for t in reversed(texts) if t not in _JZ_SECTIONS), None)
    if section is None or not numbers:
        return section
    column = _JZ_SECTIONS[section]
    fen = reader.amount(numbers[-1], f"项目资金“{sub or section}”")
    if fen is None:
        return section
    if sub is None:
        setattr(ev.budget.total, column, fen)
        return section
    key = next((k for word, k in _JZ_SOURCES if word in sub), "other_funds")
    amounts = ev.budget.source(key)
    setattr(amounts, column, (getattr(amounts, column) or 0) + fen)
    setattr(ev.budget.total, column, (getattr(ev.budget.total, column) or 0) + fen)
    return section


def _jinzhong_scores(ev: Evaluation, rows: list[list[str]], i: int, reader: FormReader) -> int:
    level1: Indicator | None = None
    level2: Indicator | None = None
    orphans: list[Indicator] = []

    def flush_orphans(parent: Indicator) -> None:
        for leaf in orphans:
            parent.add(leaf)
        orphans.clear()

    while i < len(rows):
        cells = rows[i][1:]
        texts = [(n, c) for n, c in enumerate(cells) if c.strip() and not is_number(c)]
        numbers = [c for c in cells if c.strip() and is_number(c)]
        i += 1
        if not texts:
            continue
        first = compact(texts[0][1])
        if first.rstrip(":：") == "综合得分":
            ev.stated_total = stated_total(cells, "综合得分", reader)
            break
        weight = reader.number(numbers[0], f"“{first}”的分值") if numbers else None
        score = reader.number(numbers[1], f"“{first}”的得分") if len(numbers) > 1 else None
        if first.endswith((":", "：")):
            if level1 is not None and orphans:
                flush_orphans(level2 or level1)
            level1 = ev.add(Indicator(name=first.rstrip(":："), weight=weight, score_override=score))
            level2 = None
            continue
        if len(texts) >= 2:
            level2 = Indicator(name=tidy_name(texts[0][1]))
            if level1 is not None:
                level1.add(level2)
            else:
                ev.add(level2)
            flush_orphans(level2)
            name = texts[1][1]
        else:
            name = texts[0][1]
        leaf = Indicator(name=leaf_name(name), weight=weight, score_override=score)
        apply_method(leaf, has_budget=True)
        if len(texts) == 1 and texts[0][0] == 0 and level2 is None:
            orphans.append(leaf)  # shifted one column left before its group label (效果 block)
            continue
        parent = level2 or level1
        if parent is not None:
            parent.add(leaf)
        else:
            ev.add(leaf)
    if orphans:
        if level2 or level1:
            flush_orphans(level2 or level1)
        else:
            for leaf in orphans:
                ev.add(leaf)
    return i


