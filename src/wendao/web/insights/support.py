"""Support across a programme's cohort (issue 14): per policy, the counted and likely-if-confirmed support in
the participants' newest plans, and which participants it concerns, with each one's verdict — a list an
organiser can hand to the policy office.

Read from each joined enterprise's newest plan (``PlanSummary.latest``), only the ``who_pays`` part of the plan
JSON (a key transform, not the whole ~400 KB plan). Plans stored before issue 14 have no who-pays view and are
counted as such (``without_view``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.insights.models import PlanSummary

VERDICT_ORDER = ("counted", "to_confirm", "possible", "announced", "listed")


@dataclass
class PolicySupport:
    policy: str
    name_zh: str
    name_en: str
    document_no: str
    counted: float = 0.0
    likely: float = 0.0
    # enterprise name -> its best verdict for the policy
    enterprises: dict[str, str] = field(default_factory=dict)

    def note(self, enterprise: str, verdict: str) -> None:
        known = self.enterprises.get(enterprise)
        if known is None or VERDICT_ORDER.index(verdict) < VERDICT_ORDER.index(known):
            self.enterprises[enterprise] = verdict


@dataclass
class CohortSupport:
    policies: list[PolicySupport]
    plans: int
    without_view: int


def cohort_support(enterprises: QuerySet[Enterprise]) -> CohortSupport:
    plan_ids = PlanSummary.objects.filter(enterprise__in=enterprises, latest=True).values("plan")
    rows = PlanRecord.objects.filter(pk__in=plan_ids).values_list("enterprise__name", "plan__who_pays")
    by_policy: dict[str, PolicySupport] = {}
    plans = without = 0
    for name, wp in rows:
        plans += 1
        if not isinstance(wp, dict):
            without += 1
            continue
        for item in wp.get("items") or []:
            for ln in item.get("lines") or []:
                ps = _policy(by_policy, ln)
                amount = float(ln.get("amount") or 0.0)
                if ln.get("verdict") == "counted":
                    ps.counted += amount
                elif not ln.get("selective"):
                    ps.likely += amount
                ps.note(name, str(ln.get("verdict") or "possible"))
        for key, verdict in (("announced", "announced"), ("other", "listed")):
            for note in wp.get(key) or []:
                _policy(by_policy, note).note(name, verdict)
    ordered = sorted(by_policy.values(), key=lambda p: (-p.counted, -p.likely, -len(p.enterprises), p.policy))
    return CohortSupport(policies=ordered, plans=plans, without_view=without)


def _policy(by_policy: dict[str, PolicySupport], row: dict[str, Any]) -> PolicySupport:
    pid = str(row.get("policy"))
    if pid not in by_policy:
        by_policy[pid] = PolicySupport(
            policy=pid,
            name_zh=str(row.get("name_zh") or pid),
            name_en=str(row.get("name_en") or pid),
            document_no=str(row.get("document_no") or ""),
        )
    return by_policy[pid]
