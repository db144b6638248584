"""A tiny, safe rule language for policy eligibility (JSON-logic style; never ``eval``).

A rule is data:
    {"all": [rule, …]}            every sub-rule holds
    {"any": [rule, …]}            at least one holds
    {"not": rule}                 the sub-rule does not hold
    {"field": "enterprise.size_class", "in": ["small", "micro"]}
    {"field": "enterprise.revenue", "gte": 2000}
    {"field": "item.buys", "contains": "compute"}
Operators: eq, ne, in, not_in, gt, gte, lt, lte, contains, contains_any, is_true, is_false.
Evaluation returns whether the rule holds and, when it does not, the leaf conditions that failed — so a
user is told *which* condition keeps a policy out of reach. ``check`` is the one walk of a rule: it keeps the
rule's shape, so the ask box's text (``ask.describe_failed_rule``) and the facts a funding verdict waits on
(``funding._waiting_on``) are both read from the same checked tree rather than each walking the rule again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

OPERATORS = ("eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "contains", "contains_any", "is_true", "is_false")


class RuleError(ValueError):
    """A rule is malformed (caught when the catalog is loaded, not when a user is evaluated)."""


@dataclass(frozen=True)
class Failure:
    field: str
    op: str
    expected: Any
    actual: Any

    def describe(self) -> str:
        return f"{self.field} {self.op} {self.expected!r} (actual: {self.actual!r})"


def check_rule(rule: Any, fields: frozenset[str] | None = None, path: str = "rule") -> list[str]:
    """Structural problems of a rule (unknown operator, unknown field, wrong shapes)."""
    if not isinstance(rule, Mapping):
        return [f"{path}: expected a mapping, got {type(rule).__name__}"]
    if "all" in rule or "any" in rule:
        key = "all" if "all" in rule else "any"
        subs = rule[key]
        if len(rule) != 1 or not isinstance(subs, list) or not subs:
            return [f"{path}: '{key}' takes a non-empty list and nothing else"]
        return [p for i, sub in enumerate(subs) for p in check_rule(sub, fields, f"{path}.{key}[{i}]")]
    if "not" in rule:
        if len(rule) != 1:
            return [f"{path}: 'not' stands alone"]
        return check_rule(rule["not"], fields, f"{path}.not")
    ops = [k for k in rule if k != "field"]
    if "field" not in rule or len(ops) != 1 or ops[0] not in OPERATORS:
        return [f"{path}: expected {{field: …, <op>: …}} with one op of {', '.join(OPERATORS)}; got {dict(rule)!r}"]
    problems = []
    if fields is not None and rule["field"] not in fields:
        problems.append(f"{path}: unknown field {rule['field']!r}; known: {', '.join(sorted(fields))}")
    op, value = ops[0], rule[ops[0]]
    if op in ("in", "not_in", "contains_any") and not isinstance(value, list):
        problems.append(f"{path}: '{op}' takes a list")
    if op in ("gt", "gte", "lt", "lte") and (isinstance(value, bool) or not isinstance(value, int | float)):
        problems.append(f"{path}: '{op}' takes a number")
    return problems


@dataclass(frozen=True)
class Checked:
    """A rule checked against facts, with the rule's shape kept: whether it holds, the same for each part of an
    ``all`` or ``any``, and for a condition that does not hold, its fact, threshold and value (``failure``)."""

    kind: Literal["all", "any", "not", "leaf"]
    holds: bool
    parts: tuple[Checked, ...] = ()
    failure: Failure | None = None

    @property
    def status(self) -> Literal["met", "failed", "unknown"]:
        """Met; failed on what is known; or unknown: a condition on a fact that is not given (an unanswered
        question), which may yet hold. An ``all`` or ``any`` is unknown when it does not hold and no part of it
        has failed on a known fact that settles it (an ``all`` with a failed part fails; an ``any`` fails only
        when every route fails)."""
        if self.holds:
            return "met"
        if self.kind == "leaf":
            return "unknown" if self.failure is not None and self.failure.actual is None else "failed"
        if self.kind == "not":
            return "failed"
        statuses = [p.status for p in self.parts]
        if self.kind == "all":
            return "failed" if "failed" in statuses else "unknown"
        return "unknown" if "unknown" in statuses else "failed"

    def failures(self) -> list[Failure]:
        """The conditions that do not hold, in the rule's order (none when the rule holds)."""
        if self.holds:
            return []
        if self.failure is not None:
            return [self.failure]
        return [f for part in self.parts for f in part.failures()]


def check(rule: Mapping[str, Any], facts: Mapping[str, Any]) -> Checked:
    """The rule checked against the facts, part by part (every route of an ``any``, even after one holds)."""
    if "all" in rule or "any" in rule:
        kind: Literal["all", "any"] = "all" if "all" in rule else "any"
        parts = tuple(check(sub, facts) for sub in rule[kind])
        holds = all(p.holds for p in parts) if kind == "all" else any(p.holds for p in parts)
        return Checked(kind, holds, parts)
    if "not" in rule:
        if not check(rule["not"], facts).holds:
            return Checked("not", True)
        return Checked("not", False, failure=Failure(field="(not)", op="not", expected=dict(rule["not"]), actual="holds"))
    field = str(rule["field"])
    op = next(k for k in rule if k != "field")
    expected = rule[op]
    actual = facts.get(field)
    if _leaf(op, actual, expected):
        return Checked("leaf", True)
    return Checked("leaf", False, failure=Failure(field, op, expected, actual))


def evaluate(rule: Mapping[str, Any], facts: Mapping[str, Any]) -> tuple[bool, list[Failure]]:
    """Whether the rule holds for the facts, and the failed leaf conditions when it does not."""
    checked = check(rule, facts)
    return checked.holds, checked.failures()


def _leaf(op: str, actual: Any, expected: Any) -> bool:
    if op == "is_true":
        return actual is True
    if op == "is_false":
        return actual is False
    if actual is None:
        return op in ("ne", "not_in")
    if op == "eq":
        return bool(actual == expected)
    if op == "ne":
        return bool(actual != expected)
    if op == "in":
        return bool(actual in expected)
    if op == "not_in":
        return bool(actual not in expected)
    if op in ("gt", "gte", "lt", "lte"):
        if not isinstance(actual, int | float) or isinstance(actual, bool):
            return False
        number, bound = float(actual), float(expected)
        return {"gt": number > bound, "gte": number >= bound, "lt": number < bound, "lte": number <= bound}[op]
    values = actual if isinstance(actual, list | tuple | set | frozenset) else [actual]
    if op == "contains":
        return expected in values
    if op == "contains_any":
        return any(e in values for e in expected)
    raise RuleError(f"unknown operator {op!r}")
