from __future__ import annotations

from datetime import date

from wendao.engine.catalog import default_catalog
from wendao.engine.catalog.policy_check import policy_problems, policy_warnings

POLICIES = default_catalog().policies


def _one(**changes: object):  # type: ignore[no-untyped-def]
    return POLICIES[0].model_copy(update=changes)


def test_every_shipped_policy_passes_the_policy_rules() -> None:
    assert policy_problems(POLICIES) == []


def test_a_policy_without_issuer_date_or_link_reason_fails_each_rule_by_name() -> None:
    problems = policy_problems([_one(issuer_zh=" ", issued=None, official_url=None, official_url_missing=None)])
    assert any("issuing body" in p for p in problems)
    assert any("issue date" in p for p in problems)
    assert any("official link" in p for p in problems)


def test_an_official_link_without_a_reason_is_enough() -> None:
    assert policy_problems([_one(official_url="https://www.gov.cn/x", official_url_missing=None)]) == []


def test_an_active_policy_past_its_window_is_a_warning_not_a_failure() -> None:
    stale = _one(status="active", valid_to=date(2025, 12, 31))
    assert policy_problems([stale]) == []
    assert any("valid only to 2025-12-31" in w for w in policy_warnings([stale], date(2026, 12, 6)))


def test_a_passed_application_deadline_is_a_warning() -> None:
    late = _one(apply=POLICIES[0].apply.model_copy(update={"deadline": date(2026, 3, 31)}))
    assert any("deadline 2026-03-31" in w for w in policy_warnings([late], date(2026, 12, 6)))


def test_a_policy_without_beneficiaries_or_conditions_fails() -> None:
    bare = _one(apply=POLICIES[0].apply.model_copy(update={"beneficiaries_zh": "", "conditions_zh": " "}))
    problems = policy_problems([bare])
    assert any("no beneficiaries" in p for p in problems)
    assert any("no conditions" in p for p in problems)


def test_a_policy_in_use_without_a_document_number_or_office_is_a_warning() -> None:
    loose = _one(status="unverified", document_no=None, apply=POLICIES[0].apply.model_copy(update={"where_zh": ""}))
    assert policy_problems([loose]) == []
    warnings = policy_warnings([loose], date(2026, 12, 6))
    assert any("no document number" in w for w in warnings)
    assert any("no office to apply to" in w for w in warnings)
    assert not any(
        "no document number" in w
        for w in policy_warnings([_one(status="expired", document_no=None)], date(2026, 12, 6))
    )
