"""评价规则 (rule sets) as data: resources/rules/*.json and the user's own files.

A rule set holds everything that differs between the 财政部 default and a
province: how the 预算执行率 line scores (linear with a weight and a cap, or
steps), the formula parameters of each method (正向, 反向, 等于, 定性 tiers with
their bands, per-point deduction), the over-achievement thresholds, the grade
bands, the rounding and the checks of the 一体化 systems with their thresholds.
Every part names the circular or published form it comes from (``source``).
The schema is documented in resources/rules/README.md.

A file may ``extends`` another rule set: it then only states what differs, and
everything else (with its source) is inherited.

Which rule set scores an evaluation: its ``rule_set`` (set for the whole
document by ``set_rule_set``), else the one its template names, else 财政部
(``DEFAULT_RULE_SET``). A rule set id that cannot be found (a user's own rule
set on another computer) scores by the default and is reported by the checks.

Pure Python, no Qt. Loading is cached; ``clear_cache()`` after changing the
folders (tests redirect resources with PERFDESK_RESOURCES).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from perfdesk.model.document import Document, Evaluation, Tier

DEFAULT_RULE_SET = "mof"
SCHEMA_VERSION = 1
SEVERITIES = ("error", "warning")
EXECUTION_MODES = ("linear", "steps")
EQUAL_NONZERO = ("higher", "exact")
DEDUCTION_COUNTS = ("linear", "started", "whole")


class RuleSetError(Exception):
    """A rule set file is malformed or an id is unknown (Chinese message naming file and field)."""


# --- the parts of a rule set ------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """A rule's description for people (the 为什么 view) and its source."""

    key: str      # "methods.lower", "checks.over_achievement" …
    title: str    # 反向指标
    text: str     # what the rule says, in Chinese
    source: str   # the circular or published form

    def explain(self) -> str:
        return f"{self.title}：{self.text}\n依据：{self.source}"


@dataclass(frozen=True)
class Band:
    """A 定性 tier's band as fractions of the weight, with open or closed ends.

    Band edges are compared after rounding weight × fraction to two decimals, as
    the 一体化 systems do: 达成 ``round(w*0.8,2) <= s <= w``.
    """

    tier: Tier
    label: str
    low: Decimal
    high: Decimal
    low_closed: bool = True
    high_closed: bool = True

    def edges(self, weight: Decimal) -> tuple[Decimal, Decimal]:
        return _edges(self.low, self.high, weight)

    def contains(self, score: Decimal, weight: Decimal) -> bool:
        low, high = self.edges(weight)
        above = score >= low if self.low_closed else score > low
        below = score <= high if self.high_closed else score < high
        return above and below

    def default_score(self, weight: Decimal) -> Decimal:
        """The top of the band: w × high, or just under it for an open top (0.79 × w)."""
        top = self.high if self.high_closed else self.high - Decimal("0.01")
        return quantize(weight * top, "0.01")

    def describe(self) -> str:
        lo = f"{self.low * 100:.0f}%"
        hi = f"{self.high * 100:.0f}%"
        return f"{self.label} {'[' if self.low_closed else '('}{lo}, {hi}{']' if self.high_closed else ')'}"


@dataclass(frozen=True)
class ExecutionRule:
    """How the 预算执行率 line (and 预算执行率 / 资金到位率 indicators) score."""

    mode: str                        # "linear" | "steps"
    weight: Decimal | None           # the weight the rule set gives the line (None: as the form says)
    cap: Decimal                     # linear: weight × min(rate, cap)
    steps: tuple[tuple[Decimal, Decimal], ...]  # steps: (rate from, fraction of the weight), high to low
    zero_budget_rate: Decimal | None  # the rate of a line with 0 budget and 0 spent (浙江: 1), else None
    rule: Rule

    def fraction(self, rate: Decimal) -> Decimal:
        """The share of the weight a rate earns."""
        if self.mode == "steps":
            for start, fraction in self.steps:
                if rate >= start:
                    return fraction
            return Decimal(0)
        return max(Decimal(0), min(rate, self.cap))


@dataclass(frozen=True)
class Check:
    """A check of the 一体化 systems: switched on or off, its severity and thresholds."""

    key: str
    enabled: bool
    severity: str
    params: dict
    rule: Rule

    def param(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)


@dataclass(frozen=True)
class RuleSet:
    id: str
    name: str
    description: str
    source: str
    file: str                      # the file it was read from (messages)
    builtin: bool                  # shipped in resources/rules (else the user's own)
    quantum: str                   # rounding of computed scores: "0.01"
    higher_cap: Decimal            # 正向: actual ÷ target counts up to this (1 = no bonus)
    lower_zero_at: Decimal         # 反向: the score reaches 0 at this multiple of the target (2)
    equal_nonzero: str             # 等于 a non-zero target: "higher" (as 正向) or "exact"
    tiers: tuple[Band, ...]        # 达成 / 部分达成 / 未达成
    deduction_per: Decimal         # 扣分法: the step is per this many points (1 percentage point)
    deduction_floor: Decimal       # 扣分法: the lowest score (0: 扣完为止)
    deduction_count: str           # "linear" (pro rata), "started" (each started point), "whole"
    execution: ExecutionRule
    over_notice: Decimal | None    # actual ≥ this × target: 提示
    over_reason: Decimal | None    # actual ≥ this × target: 偏差原因 required
    over_zero_target_reason: Decimal | None  # target 0: actual ≥ this needs a reason (广西 30)
    grades: tuple[tuple[Decimal, str], ...]       # (floor, grade), high to low; below the last: ``lowest``
    unit_grades: tuple[tuple[Decimal, str], ...] | None  # 部门整体 variant, None: as ``grades``
    lowest_grade: str
    checks: dict[str, Check] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)  # every rule by key (为什么)

    # --- lookups ---------------------------------------------------------------
    def tier_band(self, tier: Tier) -> Band:
        for band in self.tiers:
            if band.tier is tier:
                return band
        raise KeyError(tier)  # pragma: no cover - validated on load

    def tier_for_ratio(self, score: Decimal, weight: Decimal) -> Tier:
        for band in self.tiers:
            if band.contains(score, weight):
                return band.tier
        return self.tiers[-1].tier

    def grade_for(self, total: Decimal, unit: bool = False) -> str:
        bands = self.unit_grades if unit and self.unit_grades else self.grades
        for floor, grade in bands:
            if total >= floor:
                return grade
        return self.lowest_grade

    def check(self, key: str) -> Check | None:
        """The check when it is switched on, else None."""
        c = self.checks.get(key)
        return c if c is not None and c.enabled else None

    def rule(self, key: str) -> Rule | None:
        return self.rules.get(key)

    def round(self, value: Decimal) -> Decimal:
        return quantize(value, self.quantum)

    @property
    def label(self) -> str:
        """“财政部（财预〔2020〕10号）” — for the footer and the 单位信息 list."""
        return self.name


_QUANTA = {q: Decimal(q) for q in ("1", "0.1", "0.01", "0.001")}


def quantize(value: Decimal, quantum: str) -> Decimal:
    return value.quantize(_QUANTA.get(quantum) or Decimal(quantum), rounding=ROUND_HALF_UP)


@lru_cache(maxsize=4096)
def _edges(low: Decimal, high: Decimal, weight: Decimal) -> tuple[Decimal, Decimal]:
    """A band's ends for a weight, rounded to two decimals as the systems compare them."""
    return quantize(weight * low, "0.01"), quantize(weight * high, "0.01")


# --- parsing and validation -----------------------------------------------------------------

_TOP_KEYS = {"schema", "id", "name", "description", "source", "extends", "rounding", "execution",
             "methods", "over_achievement", "grades", "checks", "note"}
_TIER_KEYS = {"achieved": Tier.ACHIEVED, "partial": Tier.PARTIAL, "not_achieved": Tier.NOT_ACHIEVED}

# The checks a rule set may switch and tune: key → (title, allowed parameters).
CHECK_KEYS: dict[str, tuple[str, set[str]]] = {
    "execution_over_budget": ("执行率超过 100%", set()),
    "execution_rate_low": ("执行率偏低须说明原因", {"threshold", "field", "max_chars"}),
    "execution_weight": ("预算执行率分值", set()),
    "early_warning": ("自评预警（得分率高于执行率）", {"margin"}),
    "execution_gap": ("自评预警（预算未执行）", {"threshold"}),
    "over_achievement": ("超额完成", set()),
    "text_limits": ("文字长度", {"limits"}),
    "placeholders": ("未替换的占位内容", {"words"}),
    "target_not_number": ("定量指标的指标值不是数值", set()),
    "weight_not_positive": ("分值应大于 0", set()),
    "categories": ("产出、效益、满意度指标齐全", {"required"}),
    "cost_indicator": ("成本指标", {"cap"}),
    "deduction_step": ("扣分法的扣分标准", set()),
}
_METHOD_TITLES = {"higher": "正向指标", "lower": "反向指标", "equal": "等于", "tiers": "定性三档",
                  "deduction": "扣分法"}


class _Reader:
    """Validates one (merged) rule set dictionary; every error names the file and the field."""

    def __init__(self, data: dict, file_name: str):
        self.data = data
        self.file = file_name

    def fail(self, path: str, problem: str):
        raise RuleSetError(f"评价规则文件 {self.file}：字段“{path}”{problem}")

    def section(self, path: str, required: bool = True) -> dict:
        node: Any = self.data
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                if required:
                    self.fail(path, "缺失")
                return {}
            node = node[part]
        if not isinstance(node, dict):
            self.fail(path, "应为一个对象 { … }")
        return node

    def text(self, obj: dict, key: str, path: str, required: bool = True) -> str:
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}" if path else key, "缺失")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(f"{path}.{key}" if path else key, "应为非空文字")
        return value.strip()

    def number(self, obj: dict, key: str, path: str, *, required: bool = True, default=None,
               low: Decimal | None = None, high: Decimal | None = None, allow_null: bool = False
               ) -> Decimal | None:
        full = f"{path}.{key}" if path else key
        if key not in obj:
            if required:
                self.fail(full, "缺失")
            return None if default is None else Decimal(str(default))
        value = obj[key]
        if value is None:
            if allow_null:
                return None
            self.fail(full, "不能为空")
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(full, f"应为数字，而不是“{value}”")
        try:
            d = Decimal(str(value))
        except InvalidOperation:
            self.fail(full, f"应为数字，而不是“{value}”")
        if not d.is_finite():
            self.fail(full, f"应为数字，而不是“{value}”")
        if low is not None and d < low:
            self.fail(full, f"不能小于 {low}")
        if high is not None and d > high:
            self.fail(full, f"不能大于 {high}")
        return d

    def choice(self, obj: dict, key: str, path: str, options, default: str) -> str:
        value = obj.get(key, default)
        if value not in options:
            self.fail(f"{path}.{key}", f"应为 {' / '.join(options)} 之一，而不是“{value}”")
        return value

    def flag(self, obj: dict, key: str, path: str, default: bool) -> bool:
        value = obj.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", "应为 true 或 false")
        return value

    def only(self, obj: dict, path: str, allowed: set[str]) -> None:
        for key in obj:
            if key not in allowed:
                where = f"{path}.{key}" if path else key
                self.fail(where, f"不认识（可用的字段：{'、'.join(sorted(allowed))}）")

    def rule(self, obj: dict, path: str, key: str, title: str) -> Rule:
        source = self.text(obj, "source", path)
        text = self.text(obj, "text", path, required=False)
        return Rule(key, title, text, source)


def _parse(data: dict, file_name: str, builtin: bool) -> RuleSet:
    r = _Reader(data, file_name)
    r.only(data, "", _TOP_KEYS)
    schema = data.get("schema", SCHEMA_VERSION)
    if schema != SCHEMA_VERSION:
        r.fail("schema", f"为 {schema}，本程序只认识第 {SCHEMA_VERSION} 版（请升级程序）")
    rule_id = r.text(data, "id", "")
    if not all(ch.isalnum() or ch in "-_" for ch in rule_id):
        r.fail("id", "只能由字母、数字、“-”和“_”组成")
    name = r.text(data, "name", "")
    source = r.text(data, "source", "")
    rules: dict[str, Rule] = {}

    rounding = r.section("rounding")
    r.only(rounding, "rounding", {"quantum", "text", "source"})
    quantum = r.choice(rounding, "quantum", "rounding", ("1", "0.1", "0.01", "0.001"), "0.01")
    rules["rounding"] = r.rule(rounding, "rounding", "rounding", "得分的小数位")

    # execution line
    ex = r.section("execution")
    r.only(ex, "execution", {"mode", "weight", "cap", "steps", "zero_budget_rate", "text", "source"})
    mode = r.choice(ex, "mode", "execution", EXECUTION_MODES, "linear")
    weight = r.number(ex, "weight", "execution", required=False, low=Decimal(0), high=Decimal(100),
                      allow_null=True)
    cap = r.number(ex, "cap", "execution", required=False, default=1, low=Decimal(0), high=Decimal(2))
    steps: list[tuple[Decimal, Decimal]] = []
    if mode == "steps":
        raw_steps = ex.get("steps")
        if not isinstance(raw_steps, list) or not raw_steps:
            r.fail("execution.steps", "应为至少一档的列表 [{\"from\": 1, \"score\": 1}, …]")
        for i, step in enumerate(raw_steps):
            where = f"execution.steps[{i}]"
            if not isinstance(step, dict):
                r.fail(where, "应为 {\"from\": …, \"score\": …}")
            r.only(step, where, {"from", "score"})
            start = r.number(step, "from", where, low=Decimal(0), high=Decimal(2))
            fraction = r.number(step, "score", where, low=Decimal(0), high=Decimal(1))
            if steps and start >= steps[-1][0]:
                r.fail(f"{where}.from", "应从高到低排列")
            if steps and fraction > steps[-1][1]:
                r.fail(f"{where}.score", "执行率越低，得分比例不能越高")
            steps.append((start, fraction))
    elif "steps" in ex:
        r.fail("execution.steps", "只在 mode 为 steps 时使用")
    zero_rate = r.number(ex, "zero_budget_rate", "execution", required=False, low=Decimal(0),
                         high=Decimal(1), allow_null=True)
    ex_rule = r.rule(ex, "execution", "execution", "预算执行率")
    rules["execution"] = ex_rule
    execution = ExecutionRule(mode, weight, cap, tuple(steps), zero_rate, ex_rule)

    # methods
    methods = r.section("methods")
    r.only(methods, "methods", set(_METHOD_TITLES))
    higher = r.section("methods.higher")
    r.only(higher, "methods.higher", {"cap", "text", "source"})
    higher_cap = r.number(higher, "cap", "methods.higher", required=False, default=1, low=Decimal(1),
                          high=Decimal(2))
    lower = r.section("methods.lower")
    r.only(lower, "methods.lower", {"zero_at", "text", "source"})
    lower_zero_at = r.number(lower, "zero_at", "methods.lower", required=False, default=2,
                             low=Decimal("1.01"), high=Decimal(100))
    equal = r.section("methods.equal")
    r.only(equal, "methods.equal", {"nonzero", "text", "source"})
    equal_nonzero = r.choice(equal, "nonzero", "methods.equal", EQUAL_NONZERO, "higher")
    tiers_obj = r.section("methods.tiers")
    r.only(tiers_obj, "methods.tiers", {"bands", "text", "source"})
    bands = _parse_bands(r, tiers_obj.get("bands"))
    deduction = r.section("methods.deduction")
    r.only(deduction, "methods.deduction", {"per", "floor", "count", "text", "source"})
    per = r.number(deduction, "per", "methods.deduction", required=False, default=1, low=Decimal("0.0001"))
    floor = r.number(deduction, "floor", "methods.deduction", required=False, default=0, low=Decimal(0))
    count = r.choice(deduction, "count", "methods.deduction", DEDUCTION_COUNTS, "linear")
    for key, obj in (("higher", higher), ("lower", lower), ("equal", equal), ("tiers", tiers_obj),
                     ("deduction", deduction)):
        rules[f"methods.{key}"] = r.rule(obj, f"methods.{key}", f"methods.{key}", _METHOD_TITLES[key])

    # over-achievement
    over = r.section("over_achievement")
    r.only(over, "over_achievement", {"notice", "reason_required", "zero_target_reason_at", "text", "source"})
    over_notice = r.number(over, "notice", "over_achievement", required=False, low=Decimal(1),
                           allow_null=True)
    over_reason = r.number(over, "reason_required", "over_achievement", required=False, low=Decimal(1),
                           allow_null=True)
    over_zero = r.number(over, "zero_target_reason_at", "over_achievement", required=False,
                         low=Decimal(0), allow_null=True)
    rules["over_achievement"] = r.rule(over, "over_achievement", "over_achievement", "超额完成")

    # grades
    grades_obj = r.section("grades")
    r.only(grades_obj, "grades", {"bands", "unit_bands", "lowest", "text", "source"})
    grades = _parse_grades(r, grades_obj.get("bands"), "grades.bands")
    unit_grades = None
    if grades_obj.get("unit_bands") is not None:
        unit_grades = _parse_grades(r, grades_obj.get("unit_bands"), "grades.unit_bands")
    lowest = r.text(grades_obj, "lowest", "grades", required=False) or "差"
    rules["grades"] = r.rule(grades_obj, "grades", "grades", "绩效等级")

    # checks
    checks_obj = r.section("checks")
    r.only(checks_obj, "checks", set(CHECK_KEYS))
    checks: dict[str, Check] = {}
    for key, (title, allowed) in CHECK_KEYS.items():
        path = f"checks.{key}"
        obj = checks_obj.get(key)
        if obj is None:
            r.fail(path, "缺失（每项检查都要写明 enabled 与 source）")
        if not isinstance(obj, dict):
            r.fail(path, "应为一个对象 { … }")
        r.only(obj, path, {"enabled", "severity", "text", "source", *allowed})
        enabled = r.flag(obj, "enabled", path, True)
        severity = r.choice(obj, "severity", path, SEVERITIES, "warning")
        params = {k: obj[k] for k in allowed if k in obj}
        _validate_check_params(r, key, path, params)
        rule = r.rule(obj, path, path, title)
        checks[key] = Check(key, enabled, severity, params, rule)
        rules[path] = rule

    return RuleSet(
        id=rule_id, name=name, description=str(data.get("description", "")).strip(), source=source,
        file=file_name, builtin=builtin, quantum=quantum, higher_cap=higher_cap,
        lower_zero_at=lower_zero_at, equal_nonzero=equal_nonzero, tiers=bands, deduction_per=per,
        deduction_floor=floor, deduction_count=count, execution=execution, over_notice=over_notice,
        over_reason=over_reason, over_zero_target_reason=over_zero, grades=grades,
        unit_grades=unit_grades, lowest_grade=lowest, checks=checks, rules=rules,
    )


def _parse_bands(r: _Reader, raw) -> tuple[Band, ...]:
    path = "methods.tiers.bands"
    if not isinstance(raw, list) or len(raw) != 3:
        r.fail(path, "应列出三档：达成、部分达成、未达成")
    bands: list[Band] = []
    for i, obj in enumerate(raw):
        where = f"{path}[{i}]"
        if not isinstance(obj, dict):
            r.fail(where, "应为一个对象 { … }")
        r.only(obj, where, {"tier", "label", "low", "high", "low_closed", "high_closed"})
        tier_key = r.choice(obj, "tier", where, tuple(_TIER_KEYS), "")
        label = r.text(obj, "label", where)
        low = r.number(obj, "low", where, low=Decimal(0), high=Decimal(1))
        high = r.number(obj, "high", where, low=Decimal(0), high=Decimal(1))
        if low >= high:
            r.fail(f"{where}.low", "应小于 high")
        band = Band(_TIER_KEYS[tier_key], label, low, high, r.flag(obj, "low_closed", where, True),
                    r.flag(obj, "high_closed", where, True))
        bands.append(band)
    if [b.tier for b in bands] != [Tier.ACHIEVED, Tier.PARTIAL, Tier.NOT_ACHIEVED]:
        r.fail(path, "应按 achieved、partial、not_achieved 的顺序列出")
    if bands[0].high != 1 or bands[-1].low != 0:
        r.fail(path, "三档应覆盖分值的 0%–100%")
    for upper, lower in zip(bands, bands[1:]):
        if upper.low != lower.high:
            r.fail(path, f"“{upper.label}”与“{lower.label}”之间不连续")
        if upper.low_closed == lower.high_closed:
            r.fail(path, f"“{upper.label}”与“{lower.label}”的分界点 {upper.low} 应恰好属于其中一档"
                         "（一档含、一档不含）")
    return tuple(bands)


def _parse_grades(r: _Reader, raw, path: str) -> tuple[tuple[Decimal, str], ...]:
    if not isinstance(raw, list) or not raw:
        r.fail(path, "应为列表 [{\"grade\": \"优\", \"min\": 90}, …]")
    out: list[tuple[Decimal, str]] = []
    for i, obj in enumerate(raw):
        where = f"{path}[{i}]"
        if not isinstance(obj, dict):
            r.fail(where, "应为一个对象 { … }")
        r.only(obj, where, {"grade", "min"})
        grade = r.text(obj, "grade", where)
        floor = r.number(obj, "min", where, low=Decimal(0), high=Decimal(100))
        if out and floor >= out[-1][0]:
            r.fail(f"{where}.min", "等级应从高到低排列")
        out.append((floor, grade))
    return tuple(out)


def _validate_check_params(r: _Reader, key: str, path: str, params: dict) -> None:
    if "threshold" in params:
        r.number(params, "threshold", path, low=Decimal(0), high=Decimal(1))
    if "margin" in params:
        r.number(params, "margin", path, low=Decimal(0), high=Decimal(1))
    if "cap" in params and params["cap"] is not None:
        r.number(params, "cap", path, low=Decimal(0), high=Decimal(100))
    if "max_chars" in params:
        r.number(params, "max_chars", path, low=Decimal(1))
    if "field" in params and not isinstance(params["field"], str):
        r.fail(f"{path}.field", "应为文字（如 narrative.execution_reason）")
    if "limits" in params:
        limits = params["limits"]
        if not isinstance(limits, dict):
            r.fail(f"{path}.limits", "应为 {\"narrative.conclusion\": 200, …}")
        for field_path, n in limits.items():
            if not isinstance(field_path, str) or not (
                    field_path.startswith("narrative.") or field_path.startswith("indicator.")
                    or field_path.startswith("goals.")):
                r.fail(f"{path}.limits", f"“{field_path}”应以 narrative.、goals. 或 indicator. 开头")
            r.number(limits, field_path, f"{path}.limits", low=Decimal(1))
    for list_key in ("words", "required"):
        if list_key in params:
            value = params[list_key]
            if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
                r.fail(f"{path}.{list_key}", "应为文字列表")


def _merge(base: dict, over: dict) -> dict:
    """``over`` laid on ``base``: objects merge key by key, anything else replaces."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


# --- the registry ------------------------------------------------------------------------------

_user_folder: Path | None = None


def use_user_folder(folder: str | Path | None) -> None:
    """Make the user's own rule sets in ``folder`` (the settings folder's 评价规则) known.

    The window calls this at start-up with its settings folder; the CLI may too.
    """
    global _user_folder
    _user_folder = None if folder is None else Path(folder)
    clear_cache()


def user_folder() -> Path | None:
    return _user_folder


USER_FOLDER_NAME = "评价规则"


def default_user_folder() -> Path:
    """Where an officer's own rule sets go: ``评价规则`` in perfdesk's data folder —
    %LOCALAPPDATA%\\perfdesk on Windows, ~/.local/share/perfdesk on Linux (docs/评价规则.md)."""
    from perfdesk.store.paths import data_dir

    return data_dir() / USER_FOLDER_NAME


def builtin_folder() -> Path:
    from perfdesk.resources import resource

    return resource("rules")


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))  # Notepad writes a BOM
    except UnicodeDecodeError:
        raise RuleSetError(f"评价规则文件 {path.name} 不是 UTF-8 编码的文本") from None
    except OSError as exc:
        raise RuleSetError(f"评价规则文件 {path.name} 无法读取：{exc.strerror or exc}") from None
    except ValueError as exc:
        raise RuleSetError(f"评价规则文件 {path.name} 不是有效的 JSON：{exc}") from None
    if not isinstance(data, dict):
        raise RuleSetError(f"评价规则文件 {path.name} 格式错误：最外层应为一个对象 {{ … }}")
    return data


def _resolve(raw: dict[str, tuple[dict, str, bool]], rule_id: str, seen: tuple[str, ...] = ()) -> dict:
    data, file_name, _ = raw[rule_id]
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str) or parent not in raw:
        raise RuleSetError(f"评价规则文件 {file_name}：字段“extends”引用的评价规则“{parent}”不存在")
    if parent in seen or parent == rule_id:
        raise RuleSetError(f"评价规则文件 {file_name}：字段“extends”循环引用（{' → '.join((*seen, rule_id, parent))}）")
    merged = _merge(_resolve(raw, parent, (*seen, rule_id)), data)
    merged.pop("extends", None)
    return merged


def _load_folder(folder: Path | None, builtin: bool, raw: dict, problems: list[str] | None) -> None:
    if folder is None or not folder.is_dir():
        return
    for path in sorted(folder.glob("*.json")):
        try:
            data = _read_json(path)
            rule_id = data.get("id")
            if not isinstance(rule_id, str) or not rule_id.strip():
                raise RuleSetError(f"评价规则文件 {path.name}：字段“id”缺失")
            if rule_id in raw:
                raise RuleSetError(f"评价规则文件 {path.name}：评价规则“{rule_id}”已在 {raw[rule_id][1]} 中定义，"
                                   "请换一个 id")
        except RuleSetError as exc:
            if builtin or problems is None:
                raise
            problems.append(str(exc))
            continue
        raw[rule_id] = (data, path.name, builtin)


@lru_cache(maxsize=8)
def _registry(user: Path | None) -> tuple[dict[str, RuleSet], tuple[str, ...]]:
    raw: dict[str, tuple[dict, str, bool]] = {}
    problems: list[str] = []
    _load_folder(builtin_folder(), True, raw, None)
    if DEFAULT_RULE_SET not in raw:
        raise RuleSetError(f"缺少默认评价规则“{DEFAULT_RULE_SET}”（resources/rules/{DEFAULT_RULE_SET}.json）")
    _load_folder(user, False, raw, problems)
    out: dict[str, RuleSet] = {}

    def depth(rule_id: str) -> int:
        n, seen = 0, set()
        while isinstance(raw.get(rule_id, ({},))[0].get("extends"), str) and rule_id not in seen:
            seen.add(rule_id)
            rule_id, n = raw[rule_id][0]["extends"], n + 1
        return n

    # parents first: a mistake is reported in the file that makes it, not in those inheriting it
    for rule_id in sorted(raw, key=lambda i: (not raw[i][2], depth(i), i)):
        _, file_name, builtin = raw[rule_id]
        try:
            out[rule_id] = _parse(_resolve(raw, rule_id), file_name, builtin)
        except RuleSetError as exc:
            if builtin:
                raise
            problems.append(str(exc))
    return out, tuple(problems)


def clear_cache() -> None:
    _registry.cache_clear()
    _by_id.cache_clear()


def list_rule_sets(user_folder: str | Path | None = None, problems: list[str] | None = None) -> list[RuleSet]:
    """The shipped rule sets (财政部 first) and the user's own from ``user_folder``.

    ``user_folder`` defaults to the folder given to ``use_user_folder``. A user's
    file that cannot be read is left out and its Chinese message appended to
    ``problems``; a shipped file that cannot be read raises ``RuleSetError``.
    """
    folder = Path(user_folder) if user_folder is not None else _user_folder
    registry, found = _registry(folder)
    if problems is not None:
        problems.extend(found)
    ordered = sorted(registry.values(), key=lambda rs: (rs.id != DEFAULT_RULE_SET, not rs.builtin, rs.id))
    return ordered


@lru_cache(maxsize=64)
def _by_id(rule_id: str, user: Path | None) -> RuleSet | None:
    return _registry(user)[0].get(rule_id)


def get_rule_set(rule_id: str) -> RuleSet:
    """The named rule set; an unknown id raises ``RuleSetError`` (Chinese)."""
    found = _by_id(rule_id or DEFAULT_RULE_SET, _user_folder)
    if found is None:
        raise RuleSetError(f"找不到评价规则“{rule_id}”")
    return found


def default_rule_set() -> RuleSet:
    return _by_id(DEFAULT_RULE_SET, _user_folder)


def is_known(rule_id: str) -> bool:
    return _by_id(rule_id, _user_folder) is not None


def rule_set_id_of(ev: Evaluation) -> str:
    """The id of the rule set that scores ``ev``: its own, its template's, or 财政部."""
    if ev.rule_set:
        return ev.rule_set
    return _template_rule_set(ev.template) or DEFAULT_RULE_SET


def rule_set_of(ev: Evaluation) -> RuleSet:
    """The rule set that scores ``ev`` (财政部 when its id is unknown here — the checks say so)."""
    found = _by_id(rule_set_id_of(ev), _user_folder)
    return found if found is not None else default_rule_set()


def _template_rule_set(template_id: str) -> str:
    if not template_id:
        return ""
    from perfdesk.templates import template_rule_set

    return template_rule_set(template_id)


# --- the document's choice ------------------------------------------------------------------------

def set_rule_set(doc: Document, rule_set_id: str) -> dict:
    """单位信息 → 评价规则: score every form of ``doc`` by ``rule_set_id`` ('' → by template).

    Validates the id first (``RuleSetError`` when unknown, nothing changed) and
    returns the previous state for ``restore_rule_set`` (undo).
    """
    rule_set_id = (rule_set_id or "").strip()
    if rule_set_id and not is_known(rule_set_id):
        raise RuleSetError(f"找不到评价规则“{rule_set_id}”")
    old = {"document": doc.rule_set, "evaluations": {ev.uid: ev.rule_set for ev in doc.evaluations()}}
    doc.rule_set = rule_set_id
    for ev in doc.evaluations():
        ev.rule_set = rule_set_id
    return old


def restore_rule_set(doc: Document, state: dict) -> None:
    """Put back what ``set_rule_set`` returned."""
    doc.rule_set = state["document"]
    for ev in doc.evaluations():
        ev.rule_set = state["evaluations"].get(ev.uid, doc.rule_set)


def adopt_rule_set(doc: Document, ev: Evaluation | None = None) -> None:
    """Give a form added to ``doc`` (or, after opening a file, every form) the document's choice."""
    if not doc.rule_set:
        return
    for each in ([ev] if ev is not None else doc.evaluations()):
        each.rule_set = doc.rule_set


def rule_set_footer(ev: Evaluation) -> str:
    """The footer line of a printed form: “评价规则：财政部（财预〔2020〕10号）”."""
    rs = rule_set_of(ev)
    return f"评价规则：{rs.name}"


__all__ = [
    "Band", "CHECK_KEYS", "Check", "DEFAULT_RULE_SET", "ExecutionRule", "Rule", "RuleSet",
    "RuleSetError", "adopt_rule_set", "builtin_folder", "clear_cache", "default_rule_set", "default_user_folder",
    "get_rule_set", "is_known", "list_rule_sets", "restore_rule_set", "rule_set_footer",
    "rule_set_id_of", "rule_set_of", "set_rule_set", "use_user_folder", "user_folder",
]
