from __future__ import annotations

from wendao.engine.rules import Failure, check, check_rule, evaluate

FACTS = {
    "enterprise.city": "jinan",
    "enterprise.revenue": 5000,
    "item.buys": ["compute", "software"],
    "enterprise.in_shandong": True,
}


def test_all_holds_only_when_every_condition_holds_and_names_the_failures() -> None:
    rule = {
        "all": [
            {"field": "enterprise.city", "in": ["jinan", "qingdao"]},
            {"field": "enterprise.revenue", "gte": 20000},
            {"field": "item.buys", "contains": "equipment"},
        ]
    }
    ok, failures = evaluate(rule, FACTS)
    assert not ok
    assert [f.field for f in failures] == ["enterprise.revenue", "item.buys"]
    assert "gte 20000" in failures[0].describe()


def test_any_and_not_combine() -> None:
    rule = {
        "any": [
            {"field": "item.buys", "contains": "equipment"},
            {"not": {"field": "enterprise.in_shandong", "is_true": True}},
            {"field": "item.buys", "contains_any": ["compute", "data"]},
        ]
    }
    assert evaluate(rule, FACTS) == (True, [])


def test_a_missing_fact_fails_a_comparison_rather_than_crashing() -> None:
    ok, failures = evaluate({"field": "enterprise.chain", "eq": "automotive"}, FACTS)
    assert not ok
    assert failures[0].actual is None


def test_rule_values_are_data_never_code() -> None:
    rule = {"field": "enterprise.city", "eq": "__import__('os').system('echo pwned')"}
    ok, _ = evaluate(rule, FACTS)
    assert not ok


def test_malformed_rules_are_reported_with_their_place() -> None:
    problems = check_rule(
        {
            "all": [
                {"field": "enterprise.city", "like": "ji%"},
                {"field": "nope", "eq": 1},
                {"field": "enterprise.revenue", "gte": "big"},
            ]
        },
        frozenset({"enterprise.city", "enterprise.revenue"}),
    )
    assert any("rule.all[0]" in p and "like" in p for p in problems)
    assert any("rule.all[1]" in p and "unknown field" in p for p in problems)
    assert any("rule.all[2]" in p and "takes a number" in p for p in problems)


def test_a_checked_rule_keeps_its_shape_with_each_conditions_fact_threshold_and_value() -> None:
    rule = {
        "all": [
            {"field": "enterprise.city", "in": ["jinan", "qingdao"]},
            {
                "any": [
                    {"field": "enterprise.revenue", "gte": 20000},
                    {"field": "enterprise.zjtx_listed", "is_true": True},
                ]
            },
        ]
    }
    checked = check(rule, FACTS)
    assert (checked.kind, checked.holds) == ("all", False)
    city, routes = checked.parts
    assert (city.kind, city.status) == ("leaf", "met")
    assert routes.kind == "any"
    revenue, listed = routes.parts
    assert revenue.status == "failed"
    assert revenue.failure == Failure("enterprise.revenue", "gte", 20000, 5000)
    assert listed.status == "unknown"  # not given: an answer may yet meet it
    assert listed.failure == Failure("enterprise.zjtx_listed", "is_true", True, None)
    assert routes.status == checked.status == "unknown"
    assert checked.failures() == evaluate(rule, FACTS)[1] == [revenue.failure, listed.failure]


def test_an_all_with_a_failed_part_fails_and_an_any_fails_only_when_every_route_fails() -> None:
    failed, unknown = {"field": "enterprise.revenue", "gte": 20000}, {"field": "enterprise.chain", "eq": "auto"}
    assert check({"all": [failed, unknown]}, FACTS).status == "failed"
    assert check({"any": [failed, unknown]}, FACTS).status == "unknown"
    assert check({"any": [failed, {"not": {"field": "enterprise.in_shandong", "is_true": True}}]}, FACTS).status == (
        "failed"
    )
    assert check({"any": [failed, {"field": "item.buys", "contains": "compute"}]}, FACTS).status == "met"
