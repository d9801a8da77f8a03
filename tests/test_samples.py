"""The synthetic large document used by benchmarks and tests."""

from __future__ import annotations

import dataclasses
from collections import Counter
from decimal import Decimal
from enum import Enum

from perfdesk.checks import ERROR, check_document
from perfdesk.model.document import EvaluationKind, Method
from perfdesk.samples import synthetic_document
from perfdesk.scoring import grade_for, score_evaluation


def dump(obj):
    if dataclasses.is_dataclass(obj):
        return {f.name: dump(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name not in ("uid", "parent")}
    if isinstance(obj, (list, tuple)):
        return [dump(x) for x in obj]
    if isinstance(obj, dict):
        return [(k, dump(v)) for k, v in obj.items()]
    if isinstance(obj, (Decimal, Enum)):
        return (type(obj).__name__, str(obj))
    return obj


def test_default_size_and_methods():
    doc = synthetic_document()
    assert len(doc.projects) == 50
    assert doc.unit_evaluation.kind is EvaluationKind.UNIT
    assert len(list(doc.unit_evaluation.leaves())) == 60
    assert all(len(list(p.leaves())) == 20 for p in doc.projects)
    methods = Counter(leaf.method for ev in doc.evaluations() for leaf in ev.leaves())
    assert {Method.HIGHER, Method.LOWER, Method.TIERS, Method.EXECUTION_RATE, Method.MANUAL} <= set(methods)
    assert any(ev.execution is not None for ev in doc.projects)
    assert any(ev.execution is None and ev.target_rows for ev in doc.projects)
    assert all("\u4e00" <= leaf.name[0] <= "\u9fff" for ev in doc.evaluations() for leaf in ev.leaves())


def test_valid_weights_budgets_and_totals():
    doc = synthetic_document(projects=20)
    for ev in doc.evaluations():
        score = score_evaluation(ev)
        assert score.weight_total == Decimal(100), ev.name
        assert abs(ev.stated_total - score.total) < Decimal("0.005")
        assert ev.stated_grade == grade_for(score.total)
        assert ev.budget.total.annual_budget > 0 and ev.budget.total.spent <= ev.budget.total.annual_budget
        for root in ev.indicators:  # stated level-1 weights are the sums of their leaves
            assert root.weight == sum(leaf.weight for leaf in root.walk() if not leaf.children)
    unit = doc.unit_evaluation.budget
    assert unit.project.annual_budget == sum(line.amounts.annual_budget for line in unit.project_lines)
    assert [f for f in check_document(doc) if f.severity == ERROR] == []
    assert len({score_evaluation(ev).grade for ev in doc.evaluations()}) >= 2  # not all 优


def test_deterministic_and_sizes():
    a, b = synthetic_document(projects=3, unit_indicators=12, project_indicators=9), \
        synthetic_document(projects=3, unit_indicators=12, project_indicators=9)
    assert dump(a) == dump(b)
    assert len(list(a.unit_evaluation.leaves())) == 12
    assert [len(list(p.leaves())) for p in a.projects] == [9, 9, 9]
    assert dump(synthetic_document(projects=3, seed=1)) != dump(synthetic_document(projects=3, seed=2))
