"""Command line: the same engine as the window, for batch use and tests.

    perfdesk                              start the window (last file, or the demo)
    perfdesk FILE.pdesk                   start the window on FILE
    perfdesk --screenshot OUT.png [FILE]  render the main window to a PNG and exit
    perfdesk demo -o FILE.pdesk           write the built-in demo document
    perfdesk import FILE -o OUT.pdesk [--json]   (.docx .pdf .xlsx .csv .txt .html; .doc/.wps/.et/.xls via LibreOffice)
    perfdesk import-text IN.txt -o OUT.pdesk
    perfdesk check FILE.pdesk [--json]
    perfdesk export-pdf FILE.pdesk -o OUT.pdf [--form all|unit|projects|report|explanation|project-reports|other-texts] [--draft]

Exit codes: 0 when the command ran (whatever the checks found), 2 with a
Chinese message on standard error when an input cannot be read or an output
cannot be written, 1 on an unexpected internal error (never a bare traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

SUBCOMMANDS = ("demo", "import", "import-text", "check", "export-pdf", "export-xlsx", "import-xlsx")


class CliError(Exception):
    """A failure to report to the user in Chinese (exit code 2)."""


def _number(value: Decimal | None):
    if value is None:
        return None
    q = value.quantize(Decimal("0.01"))
    return int(q) if q == q.to_integral_value() else float(q)


def _load(path: str):
    from perfdesk.store import DocumentFileError, open_document

    if not Path(path).exists():
        raise CliError(f"找不到文件：{path}")
    try:
        return open_document(path)
    except DocumentFileError as exc:
        raise CliError(f"无法打开“{path}”：{exc}") from exc


def _save(doc, path: str) -> None:
    from perfdesk.store import DocumentFileError, save_document

    try:
        save_document(doc, path)
    except (DocumentFileError, OSError) as exc:
        raise CliError(f"无法保存“{path}”：{exc}") from exc


def check_report(doc) -> dict:
    """The `check --json` object (see the module docstring of the issue)."""
    from perfdesk.checks import check_evaluation
    from perfdesk.scoring import score_evaluation

    evaluations = []
    for ev in doc.evaluations():
        if not ev.is_checked():
            continue
        score = score_evaluation(ev)
        evaluations.append({
            "kind": ev.kind.value,
            "name": doc.evaluation_name(ev),
            "total": _number(score.total),
            "stated_total": _number(ev.stated_total),
            "grade": score.grade,
            "weight_total": _number(score.weight_total),
            "findings": [f.as_json() for f in check_evaluation(ev, score)],
        })
    return {"unit": doc.unit.name, "year": doc.year, "evaluations": evaluations}


def _print_check_text(report: dict) -> None:
    print(f"单位：{report['unit']}　年度：{report['year']}")
    for ev in report["evaluations"]:
        kind = "部门整体" if ev["kind"] == "unit" else "项目"
        stated = "" if ev["stated_total"] is None else f"（填报 {ev['stated_total']}）"
        errors = sum(1 for f in ev["findings"] if f["severity"] == "error")
        warnings = len(ev["findings"]) - errors
        print(f"\n【{kind}】{ev['name']}")
        print(f"  总分 {ev['total']}{stated}　等级 {ev['grade']}　分值合计 {ev['weight_total']}"
              f"　错误 {errors} 项，提示 {warnings} 项")
        for f in ev["findings"]:
            mark = "错误" if f["severity"] == "error" else "提示"
            print(f"  [{mark}] {f['where']}：{f['message']}（{f['code']}）")


def cmd_demo(args) -> int:
    from perfdesk.demo import demo_document

    _save(demo_document(), args.output)
    print(f"已写入演示文档：{args.output}")
    return 0


def cmd_import_text(args) -> int:
    from perfdesk.exchange.text_import import TextImportError, import_text_file

    try:
        result = import_text_file(args.input)
    except TextImportError as exc:
        raise CliError(f"无法导入“{args.input}”：{exc}") from exc
    _save(imported_document(result.document), args.output)
    for line in result.report:
        print(line)
    print(f"已写入：{args.output}")
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

    if Path(args.output).exists() and Path(args.output).resolve() == Path(args.input).resolve():
        raise CliError(f"输出文件不能与输入文件相同：{args.output}")
    try:
        result = import_file(args.input)
    except ImportFailed as exc:
        raise CliError(f"无法导入“{args.input}”：{exc}") from exc
    _save(imported_document(result.document), args.output)
    if args.json:
        data = result.summary.as_json() if result.summary is not None else {"lines": result.report}
        data["output"] = args.output
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for line in result.report:
            print(line)
        print(f"已写入：{args.output}")
    return 0


def cmd_check(args) -> int:
    report = check_report(_load(args.file))
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        _print_check_text(report)
    return 0


def cmd_export_pdf(args) -> int:
    doc = _load(args.file)
    from perfdesk.printing import PrintError, export_pdf, preflight

    try:
        checked = preflight(doc, args.form)
        if checked:
            print(checked.summary(), file=sys.stderr)
            print("以上错误会按填报值打印并加注；请核对。" if not args.draft else "按草稿打印。", file=sys.stderr)
        pages = export_pdf(doc, args.output, form=args.form, draft=args.draft)
    except PrintError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"无法写入“{args.output}”：{exc.strerror or exc}") from exc
    print(f"已导出 {pages} 页：{args.output}")
    return 0


def cmd_export_xlsx(args) -> int:
    doc = _load(args.file)
    from perfdesk.exchange.xlsx_export import export_xlsx

    try:
        export_xlsx(doc, args.output)
    except OSError as exc:
        raise CliError(f"无法写入“{args.output}”：{exc.strerror or exc}") from exc
    print(f"已导出：{args.output}")
    return 0


def cmd_import_xlsx(args) -> int:
    from perfdesk.exchange.xlsx_import import XlsxImportError, import_xlsx

    try:
        result = import_xlsx(args.input)
    except XlsxImportError as exc:
        raise CliError(f"无法导入“{args.input}”：{exc}") from exc
    _save(imported_document(result.document), args.output)
    for line in result.report:
        print(line)
    print(f"已写入：{args.output}")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese errors and exit code 2."""

    def error(self, message):  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        self.exit(2, f"参数错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="perfdesk", description="预算绩效自评（perfdesk）命令行")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("demo", help="写出内置演示文档")
    p.add_argument("-o", "--output", required=True, help="输出的 .pdesk 文件")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("import", help="导入任意文件中的自评表（Word、PDF、Excel、网页、CSV、文本；按内容识别）")
    p.add_argument("input")
    p.add_argument("-o", "--output", required=True, help="输出的 .pdesk 文件")
    p.add_argument("--json", action="store_true", help="以 JSON 输出导入报告")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("import-text", help="从表格文本（复制自 Word/Excel/WPS）导入全部表格")
    p.add_argument("input")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_import_text)

    p = sub.add_parser("check", help="审核：计算得分并列出发现的问题")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("export-pdf", help="导出打印用 PDF")
    p.add_argument("file")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--form", default="all",
                   choices=["all", "unit", "projects", "report", "explanation", "project-reports", "other-texts"],
                   help="打印哪些表格或文档（默认 all：文档中有的全部表格和文档）")
    p.add_argument("--draft", action="store_true", help="作为草稿打印（带“草稿”水印，定稿文档也可打印）")
    p.set_defaults(func=cmd_export_pdf)

    p = sub.add_parser("export-xlsx", help="导出 Excel 工作簿")
    p.add_argument("file")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_export_xlsx)

    p = sub.add_parser("import-xlsx", help="从 Excel 工作簿导入")
    p.add_argument("input")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_import_xlsx)
    return parser


def build_gui_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="perfdesk", description="预算绩效自评（perfdesk）")
    parser.add_argument("file", nargs="?", help="要打开的 .pdesk 文档")
    parser.add_argument("--screenshot", metavar="OUT.png", help="在后台渲染主窗口并保存截图后退出")
    parser.add_argument("--demo", action="store_true", help="打开内置演示文档")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in SUBCOMMANDS or argv[:1] in (["-h"], ["--help"]):
            args = build_parser().parse_args(argv)
            return args.func(args)
        args = build_gui_parser().parse_args(argv)
        from perfdesk.ui.app import run_gui

        return run_gui(args.file, screenshot=args.screenshot, demo=args.demo)
    except CliError as exc:
        print(f"perfdesk：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last resort: no traceback in the user's face
        import traceback

        log = Path.home() / ".perfdesk-error.log"
        try:
            log.write_text(traceback.format_exc(), encoding="utf-8")
            where = f"，详情已写入 {log}"
        except OSError:
            where = ""
        print(f"perfdesk：内部错误：{exc}{where}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
