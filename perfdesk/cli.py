"""Command line: the same engine as the window, for batch use and tests.

    perfdesk                              start the window (last file, or the demo)
    perfdesk FILE.pdesk                   start the window on FILE
    perfdesk --screenshot OUT.png [FILE]  render the main window to a PNG and exit
    perfdesk demo -o FILE.pdesk           write the built-in demo document
    perfdesk import FILE -o OUT.pdesk [--json]   (.docx .pdf .xlsx .csv .txt .html; .doc/.wps/.et/.xls via LibreOffice)
    perfdesk import-text IN.txt -o OUT.pdesk
    perfdesk check FILE.pdesk [--json]
    perfdesk export-pdf FILE.pdesk -o OUT.pdf [--form all|unit|projects|report|explanation|self-reports|project-reports|other-texts] [--draft]
    perfdesk export-docx FILE.pdesk -o OUT.docx [--form all|unit|projects|report|explanation|self-reports|...]
    perfdesk export-xlsx FILE.pdesk -o OUT.xlsx [--like TARGETS.xlsx]
    perfdesk import-xlsx IN.xlsx -o OUT.pdesk
    perfdesk import-budget FILE.pdesk TABLE.xlsx|.csv|.txt -o OUT.pdesk [--json]   (预算执行数 from a 决算 table)

Exit codes: 0 when the command ran (whatever the checks found); 2 with a Chinese
message on standard error when an input cannot be read, an output cannot or must
not be written, or the arguments are wrong; 141 when the reader of our output
went away (``perfdesk check x | head``), silently, like other command-line tools;
1 on an unexpected internal error (never a bare traceback: details go to a log).

Writing is careful: an output is never the command's own input, never a file of
another kind (told by content: a document is not replaced by a workbook), never a
document open in a perfdesk window (its lock is respected); every output is
written beside the target and then put in place, so a full disk leaves the
previous file as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from decimal import Decimal
from pathlib import Path

SUBCOMMANDS = ("demo", "import", "import-text", "check", "export-pdf", "export-xlsx", "import-xlsx", "export-docx",
               "import-budget")


class CliError(Exception):
    """A failure to report to the user in Chinese (exit code 2)."""


def _number(value: Decimal | None):
    if value is None:
        return None
    q = value.quantize(Decimal("0.01"))
    return int(q) if q == q.to_integral_value() else float(q)


def _load(path: str):
    from perfdesk.store import DocumentFileError, open_document

    if not os.path.lexists(path):
        raise CliError(f"找不到文件：{path}")
    try:
        return open_document(path, remember=False)
    except DocumentFileError as exc:
        raise CliError(f"无法打开“{path}”：{exc}") from exc


# --- writing outputs -------------------------------------------------------------------------------

def _same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def _check_output(path: str, kind: str, inputs: tuple[str, ...] = ()) -> Path:
    """Refuse an output that is an input, a folder, a missing folder or an existing file of another kind."""
    from perfdesk.store.file_kinds import LABELS, kind_of

    out = Path(path)
    for source in inputs:
        if _same_file(source, out):
            raise CliError(f"输出文件“{path}”就是输入文件本身，不能覆盖它。请换一个输出文件名。")
    found = kind_of(out)
    if found == "folder":
        raise CliError(f"无法写入“{path}”：这是一个文件夹。")
    if found not in ("missing", "empty", kind):
        raise CliError(f"“{path}”已存在，它是{LABELS[found]}，不是{LABELS[kind]}；为免覆盖其他文件，"
                       "没有写入。请换一个输出文件名，或先删除它。")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise CliError(f"无法写入“{path}”：文件夹不存在。")
    return out


def _save(doc, path: str, inputs: tuple[str, ...] = ()) -> None:
    """Write a document, respecting a window that has it open (its lock)."""
    from perfdesk.store import DocumentFileError, DocumentLock, DocumentLockedError, save_document

    out = _check_output(path, "pdesk", inputs)
    try:
        lock = DocumentLock.acquire(out)
    except DocumentLockedError as exc:
        raise CliError(f"无法写入“{path}”：{exc}命令行不会改动正被打开的文档。") from exc
    try:
        save_document(doc, out)
    except DocumentFileError as exc:
        raise CliError(f"无法保存“{path}”：{exc}") from exc
    finally:
        lock.release()


def _write_export(path: str, kind: str, data: bytes, inputs: tuple[str, ...]) -> None:
    from perfdesk.store import os_reason, write_bytes_atomically

    out = _check_output(path, kind, inputs)
    existed = out.exists()
    try:
        write_bytes_atomically(out, data)
    except OSError as exc:
        kept = "原文件未被改动。" if existed else "没有写入任何文件。"
        raise CliError(f"无法写入“{path}”：{os_reason(exc)}。{kept}") from exc


# --- text output ---------------------------------------------------------------------------------------

# Control characters (C0 but tab and newline, DEL, C1) and bidirectional overrides: a name in a
# document must not move the cursor, recolour or retitle the officer's terminal.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def safe_text(text: str) -> str:
    """``text`` with terminal control characters replaced by “?”."""
    return _UNSAFE.sub("?", str(text))


def safe_json(obj) -> str:
    """JSON whose strings cannot carry terminal escapes (escaped as \\uXXXX; the values stay exact)."""
    text = json.dumps(obj, ensure_ascii=False, indent=1)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _say(line: str = "") -> None:
    print(safe_text(line))


def check_report(doc) -> dict:
    """The `check --json` object (see the module docstring of the issue)."""
    from perfdesk.checks import check_evaluation
    from perfdesk.checks.draft import draft_state
    from perfdesk.scoring import score_evaluation

    evaluations = []
    for ev in doc.evaluations():
        if not ev.is_checked():
            continue
        score = score_evaluation(ev)
        draft = draft_state(ev)
        findings = check_evaluation(ev, score)
        if ev is doc.unit_evaluation:
            from perfdesk.checks.document import check_project_lines

            findings += check_project_lines(doc)
        evaluations.append({
            "kind": ev.kind.value,
            "name": doc.evaluation_name(ev),
            "total": _number(score.total),
            "stated_total": _number(ev.stated_total),
            "grade": score.grade,
            "weight_total": _number(score.weight_total),
            "findings": [f.as_json() for f in findings],
            **({"draft": draft.summary()} if draft is not None else {}),   # 草稿: “待填写 …” (issue 17)
        })
    return {"unit": doc.unit.name, "year": doc.year, "evaluations": evaluations}


def _print_check_text(report: dict) -> None:
    from perfdesk.scoring import no_grade_reason

    _say(f"单位：{report['unit']}　年度：{report['year']}")
    for ev in report["evaluations"]:
        kind = "部门整体" if ev["kind"] == "unit" else "项目"
        stated = "" if ev["stated_total"] is None else f"（填报 {ev['stated_total']}）"
        errors = sum(1 for f in ev["findings"] if f["severity"] == "error")
        warnings = len(ev["findings"]) - errors
        _say(f"\n【{kind}】{ev['name']}")
        why = no_grade_reason(Decimal(str(ev["weight_total"])), Decimal(str(ev["total"])))
        if ev.get("draft"):
            grade = f"草稿（{ev['draft']}）"
        elif why:   # as the window shows it
            grade = f"等级 —（{why}）"
        else:
            grade = f"等级 {ev['grade']}"
        _say(f"  总分 {ev['total']}{stated}　{grade}　分值合计 {ev['weight_total']}"
             f"　错误 {errors} 项，提示 {warnings} 项")
        for f in ev["findings"]:
            mark = "错误" if f["severity"] == "error" else "提示"
            _say(f"  [{mark}] {f['where']}：{f['message']}（{f['code']}）")


# --- commands -----------------------------------------------------------------------------------------

def cmd_demo(args) -> int:
    from perfdesk.demo import demo_document

    _save(demo_document(), args.output)
    _say(f"已写入演示文档：{args.output}")
    return 0


def cmd_import_text(args) -> int:
    from perfdesk.exchange.text_import import TextImportError, import_text_file

    _check_output(args.output, "pdesk", (args.input,))
    try:
        result = import_text_file(args.input)
    except TextImportError as exc:
        raise CliError(f"无法导入“{args.input}”：{exc}") from exc
    _save(imported_document(result.document), args.output, (args.input,))
    for line in result.report:
        _say(line)
    _say(f"已写入：{args.output}")
    return 0


def imported_document(imported):
    """A new document holding what an import read: the same operation as 导入 in the window."""
    from perfdesk import ops
    from perfdesk.model.document import Document, Evaluation, EvaluationKind

    doc = Document(unit_evaluation=Evaluation(kind=EvaluationKind.UNIT, template=imported.unit_evaluation.template,
                                              layout=imported.unit_evaluation.layout))
    ops.apply(doc, ops.batch([ops.import_document(doc, imported), ops.SetProfileField("final", imported.final)]))
    return doc


def cmd_import(args) -> int:
    """``perfdesk import FILE -o OUT.pdesk [--json]``: any file, the reader chosen by its content."""
    from perfdesk.exchange.importing import ImportFailed, import_file

    _check_output(args.output, "pdesk", (args.input,))
    try:
        result = import_file(args.input)
    except ImportFailed as exc:
        raise CliError(f"无法导入“{args.input}”：{exc}") from exc
    _save(imported_document(result.document), args.output, (args.input,))
    if args.json:
        data = result.summary.as_json() if result.summary is not None else {"lines": result.report}
        data["output"] = args.output
        sys.stdout.write(safe_json(data) + "\n")
    else:
        for line in result.report:
            _say(line)
        _say(f"已写入：{args.output}")
    return 0


def cmd_import_budget(args) -> int:
    """``perfdesk import-budget DOC TABLE -o OUT``: every project's 预算数 and 执行数 from a 决算 table (issue 17)."""
    from perfdesk import ops
    from perfdesk.exchange.budget_figures import BudgetTableError, read_file
    from perfdesk.ops.budget_figures import plan_budget_figures

    _check_output(args.output, "pdesk", (args.file, args.table))
    doc = _load(args.file)
    try:
        table = read_file(args.table)
    except BudgetTableError as exc:
        raise CliError(f"无法读取“{args.table}”：{exc}") from exc
    plan = plan_budget_figures(doc, table)
    ops.apply(doc, plan.operation())
    _save(doc, args.output, (args.file, args.table))
    lines = [*table.lines(), *plan.report()]
    if args.json:
        sys.stdout.write(safe_json({
            "filled": [{"table": a, "project": b} for a, b in plan.filled], "unchanged": plan.unchanged,
            "near": [{"table": a, "project": b} for a, b in plan.near], "lines": plan.lines,
            "not_found": plan.not_found, "not_in_table": plan.not_in_table, "report": lines,
            "output": args.output}) + "\n")
    else:
        for line in lines:
            _say(line)
        _say(f"已写入：{args.output}")
    return 0


def cmd_check(args) -> int:
    report = check_report(_load(args.file))
    if args.json:
        sys.stdout.write(safe_json(report) + "\n")
    else:
        _print_check_text(report)
    return 0


def cmd_export_pdf(args) -> int:
    _check_output(args.output, "pdf", (args.file,))
    doc = _load(args.file)
    from perfdesk.printing import PrintError, build_pdf, preflight

    try:
        checked = preflight(doc, args.form)
        if checked:
            _error(checked.summary())
            _error("以上错误会按填报值打印并加注；请核对。" if not args.draft else "按草稿打印。")
        data, pages = build_pdf(doc, form=args.form, draft=args.draft)
    except PrintError as exc:
        raise CliError(f"无法导出 PDF：{exc}") from exc
    _write_export(args.output, "pdf", data, (args.file,))
    _say(f"已导出 {pages} 页：{args.output}")
    return 0


def cmd_export_xlsx(args) -> int:
    _check_output(args.output, "xlsx", (args.file,) + ((args.like,) if getattr(args, "like", None) else ()))
    doc = _load(args.file)
    if getattr(args, "like", None):
        return _export_xlsx_like(doc, args)
    from perfdesk.exchange.xlsx_export import build

    from perfdesk.store import os_reason

    existed = Path(args.output).exists()
    try:
        data = build(doc).to_bytes()  # openpyxl spools sheets through temporary files
    except OSError as exc:
        kept = "原文件未被改动。" if existed else "没有写入任何文件。"
        raise CliError(f"无法写入“{args.output}”：{os_reason(exc)}。{kept}") from exc
    _write_export(args.output, "xlsx", data, (args.file,))
    _say(f"已导出：{args.output}")
    return 0


def _export_xlsx_like(doc, args) -> int:
    """export-xlsx --like TARGETS.xlsx: the indicators in the column order of a 绩效目标表."""
    from perfdesk.exchange.xlsx_like import LikeError, export_like

    try:
        report = export_like(doc, args.like, args.output)
    except LikeError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        from perfdesk.store import os_reason

        raise CliError(f"无法写入“{args.output}”：{os_reason(exc)}。") from exc
    for line in report:
        _say(line)
    _say(f"已导出：{args.output}")
    return 0


def cmd_import_xlsx(args) -> int:
    from perfdesk.exchange.xlsx_import import XlsxImportError, import_xlsx

    _check_output(args.output, "pdesk", (args.input,))
    try:
        result = import_xlsx(args.input)
    except XlsxImportError as exc:
        raise CliError(f"无法导入“{args.input}”：{exc}") from exc
    _save(imported_document(result.document), args.output, (args.input,))
    for line in result.report:
        _say(line)
    _say(f"已写入：{args.output}")
    return 0


# --- arguments (argparse, in Chinese) ---------------------------------------------------------------

_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "命令",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：参数错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "取值 %(value)r 无效（可选：%(choices)s）",
    "invalid choice: %(value)r, choose from %(choices)s": "取值 %(value)r 无效（可选：%(choices)s）",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的 %(type)s 值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "参数不接受值 %r",
    "one of the arguments %s is required": "需要参数 %s 之一",
    "unexpected option string: %s": "意外的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}


def _zh(message: str) -> str:
    return _ARGPARSE_ZH.get(message, message)


def _zh_n(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":
        return "需要 %s 个值"
    return singular if n == 1 else plural


@contextlib.contextmanager
def _chinese_argparse():
    """argparse's own texts (usage, errors, help headings) in Chinese while we build and parse."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _zh, _zh_n
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


# --- export-docx (Word) ------------------------------------------------------------------

def cmd_export_docx(args) -> int:
    """Forms and narrative documents as one Word file; only what the document holds."""
    _check_output(args.output, "docx", (args.file,))
    doc = _load(args.file)
    from perfdesk.exchange.docx_export import DocxError, export_docx

    try:
        count = export_docx(doc, args.output, form=args.form)
    except DocxError as exc:
        raise CliError(str(exc)) from exc
    _say(f"已导出 {count} 份表格和文字材料：{args.output}")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese errors and exit code 2."""

    def error(self, message):  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        self.exit(2, f"perfdesk：参数错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    with _chinese_argparse():
        parser = _Parser(prog="perfdesk", description="预算绩效自评（perfdesk）命令行")
        sub = parser.add_subparsers(dest="command", parser_class=_Parser, title="命令", metavar="命令")

        p = sub.add_parser("demo", help="写出内置演示文档")
        p.add_argument("-o", "--output", required=True, help="输出的 .pdesk 文件")
        p.set_defaults(func=cmd_demo)

        p = sub.add_parser("import", help="导入任意文件中的自评表（Word、PDF、Excel、网页、CSV、文本；按内容识别）")
        p.add_argument("input", help="要导入的文件")
        p.add_argument("-o", "--output", required=True, help="输出的 .pdesk 文件")
        p.add_argument("--json", action="store_true", help="以 JSON 输出导入报告")
        p.set_defaults(func=cmd_import)

        p = sub.add_parser("import-text", help="从表格文本（复制自 Word/Excel/WPS）导入全部表格")
        p.add_argument("input", help="表格文本文件（UTF-8、GB18030 或 UTF-16）")
        p.add_argument("-o", "--output", required=True, help="输出的 .pdesk 文件")
        p.set_defaults(func=cmd_import_text)

        p = sub.add_parser("check", help="审核：计算得分并列出发现的问题")
        p.add_argument("file", help=".pdesk 文档")
        p.add_argument("--json", action="store_true", help="以 JSON 输出")
        p.set_defaults(func=cmd_check)

        p = sub.add_parser("export-pdf", help="导出打印用 PDF")
        p.add_argument("file", help=".pdesk 文档")
        p.add_argument("-o", "--output", required=True, help="输出的 PDF 文件")
        p.add_argument("--form", default="all",
                       choices=["all", "unit", "projects", "report", "explanation", "self-reports", "project-reports",
                                "other-texts"],
                       help="打印哪些表格或文档（默认 all：文档中有的全部表格和文档）")
        p.add_argument("--draft", action="store_true", help="作为草稿打印（带“草稿”水印，定稿文档也可打印）")
        p.set_defaults(func=cmd_export_pdf)

        from perfdesk.exchange.docx_export import FORMS as DOCX_FORMS

        p = sub.add_parser("export-docx", help="导出 Word 文件（表格和报告、情况说明等文字材料）")
        p.add_argument("file", help=".pdesk 文档")
        p.add_argument("-o", "--output", required=True, help="输出的 .docx 文件")
        p.add_argument("--form", default="all", choices=list(DOCX_FORMS),
                       help="导出哪些表格或文档（默认 all：文档中有的全部）")
        p.set_defaults(func=cmd_export_docx)

        p = sub.add_parser("export-xlsx", help="导出 Excel 工作簿")
        p.add_argument("file", help=".pdesk 文档")
        p.add_argument("-o", "--output", required=True, help="输出的 .xlsx 文件")
        p.add_argument("--like", metavar="目标表.xlsx",
                       help="按该绩效目标表工作簿的指标表列序导出（便于粘贴回预算系统的模板）")
        p.set_defaults(func=cmd_export_xlsx)

        p = sub.add_parser("import-budget", help="从决算表或财务软件导出的项目支出表填写各项目的预算数与执行数")
        p.add_argument("file", help=".pdesk 文档")
        p.add_argument("table", help="预算执行表（.xlsx、.csv 或制表符分隔的文本）")
        p.add_argument("-o", "--output", required=True, help="输出的 .pdesk 文件（不能是输入文档本身）")
        p.add_argument("--json", action="store_true", help="以 JSON 输出填写结果")
        p.set_defaults(func=cmd_import_budget)

        p = sub.add_parser("import-xlsx", help="从 Excel 工作簿导入")
        p.add_argument("input", help=".xlsx 工作簿")
        p.add_argument("-o", "--output", required=True, help="输出的 .pdesk 文件")
        p.set_defaults(func=cmd_import_xlsx)
    return parser


def build_gui_parser() -> argparse.ArgumentParser:
    with _chinese_argparse():
        parser = _Parser(prog="perfdesk", description="预算绩效自评（perfdesk）")
        parser.add_argument("file", nargs="?", help="要打开的 .pdesk 文档")
        parser.add_argument("--screenshot", metavar="OUT.png", help="在后台渲染主窗口并保存截图后退出")
        parser.add_argument("--demo", action="store_true", help="打开内置演示文档")
    return parser


def _parse(parser: argparse.ArgumentParser, argv: list[str]):
    with _chinese_argparse():
        return parser.parse_args(argv)


# --- main -------------------------------------------------------------------------------------------

def _tolerant_streams() -> None:
    """A console that cannot show a character gets “?” instead of a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):
            pass


def _error(message: str) -> None:
    try:
        print(safe_text(message), file=sys.stderr)
    except (OSError, ValueError):
        pass


def _stdout_gone() -> None:
    """The reader of our output went away: send what is left nowhere, without complaint at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _quiet_unraisable(unraisable) -> None:
    """An exception Python can only report (a generator finalised after a failed write, e.g. openpyxl's
    sheet writer when the disk filled): into the error log, never as a traceback on the terminal."""
    import traceback

    try:
        with open(Path.home() / ".perfdesk-error.log", "a", encoding="utf-8") as log:
            log.write("".join(traceback.format_exception(unraisable.exc_type, unraisable.exc_value,
                                                         unraisable.exc_traceback)))
    except OSError:
        pass


def _use_user_rule_sets() -> None:
    """The officer's own 评价规则 (data folder → 评价规则) score and print as in the window."""
    from perfdesk.scoring import rules

    rules.use_user_folder(rules.default_user_folder())


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _tolerant_streams()
    sys.unraisablehook = _quiet_unraisable
    try:
        if argv and argv[0] in SUBCOMMANDS or argv[:1] in (["-h"], ["--help"]):
            args = _parse(build_parser(), argv)
            _use_user_rule_sets()
            code = args.func(args)
        else:
            args = _parse(build_gui_parser(), argv)
            from perfdesk.ui.app import run_gui

            code = run_gui(args.file, screenshot=args.screenshot, demo=args.demo)
        sys.stdout.flush()
        return code
    except CliError as exc:
        _error(f"perfdesk：{exc}")
        return 2
    except BrokenPipeError:
        _stdout_gone()
        return 141
    except KeyboardInterrupt:
        return 130
    except MemoryError:
        _error("perfdesk：内存不足，操作没有完成。")
        return 2
    except Exception as exc:  # last resort: no traceback in the user's face
        import traceback

        log = Path.home() / ".perfdesk-error.log"
        try:
            log.write_text(traceback.format_exc(), encoding="utf-8")
            where = f"，详情已写入 {log}"
        except OSError:
            where = ""
        _error(f"perfdesk：内部错误（{type(exc).__name__}）{where}")
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
