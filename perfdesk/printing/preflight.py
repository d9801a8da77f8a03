"""Before printing: the 审核 errors of what is about to be printed.

``preflight`` lists the errors of every evaluation whose form is printed, and
among them the figures that can never be valid (a score over its weight, a
total over 100). The window offers “仍然打印（草稿）” / “转到第一个错误”; the CLI
lists them on standard error; a document marked 定稿 with an impossible figure
is refused unless printed as 草稿.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from perfdesk.checks import ERROR, Finding, check_evaluation, evaluation_label
from perfdesk.model.document import Document, Evaluation
from perfdesk.model.places import Place
from perfdesk.printing.figures import total_is_valid
from perfdesk.scoring import format_score, score_evaluation

IMPOSSIBLE_CODES = ("score_over_weight", "score_negative", "total_invalid")


@dataclass
class Preflight:
    errors: list[Finding] = field(default_factory=list)

    @property
    def impossible(self) -> list[Finding]:
        return [f for f in self.errors if f.code in IMPOSSIBLE_CODES]

    @property
    def first_error(self) -> Finding | None:
        return self.errors[0] if self.errors else None

    def __bool__(self) -> bool:
        return bool(self.errors)

    @property
    def audit_count(self) -> int:
        """The errors 审核 (and ``perfdesk check``) lists; a total that is no valid score is the
        printer's own finding on top of them."""
        return sum(1 for f in self.errors if f.code != "total_invalid")

    def headline(self) -> str:
        """“审核发现 2 项错误” — the same count as 审核 and ``check`` — plus the totals that cannot be printed as scores."""
        text = f"审核发现 {self.audit_count} 项错误"
        extra = len(self.errors) - self.audit_count
        return text + (f"，另有 {extra} 个总分不是有效得分" if extra else "")

    def summary(self, limit: int = 5) -> str:
        """“审核发现 3 项错误：…” in a few lines."""
        if not self.errors:
            return ""
        lines = [self.headline() + "："]
        for f in self.errors[:limit]:
            lines.append(f"  {f.where}：{f.message}")
        if len(self.errors) > limit:
            lines.append(f"  ……另有 {len(self.errors) - limit} 项")
        return "\n".join(lines)


def evaluation_errors(ev: Evaluation) -> list[Finding]:
    sc = score_evaluation(ev)
    errors = [f for f in check_evaluation(ev, sc) if f.severity == ERROR]
    if not total_is_valid(sc):
        errors.append(Finding(
            ERROR, "total_invalid",
            f"各项得分合计 {format_score(sc.total)} 超出满分（分值合计 {format_score(sc.weight_total)}），不是有效得分",
            f"{evaluation_label(ev)} / 总分", Place(ev.uid, None, "stated_total")))
    return errors


def preflight(doc: Document, form: str = "all", evaluation: Evaluation | None = None) -> Preflight:
    """The errors of the evaluations whose forms ``form`` (or ``evaluation``) prints."""
    from perfdesk.printing.export import plan

    result = Preflight()
    try:
        items = plan(doc, form, evaluation)
    except Exception:  # an impossible request: build_pdf will say why
        return result
    for item in items:
        if item.kind == "evaluation":
            result.errors += evaluation_errors(item.evaluation)
    return result


__all__ = ["IMPOSSIBLE_CODES", "Preflight", "evaluation_errors", "preflight"]
