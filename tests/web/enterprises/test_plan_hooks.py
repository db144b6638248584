"""Other apps shape every plan through a registered wrapper; enterprises imports none of them."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from wendao.engine.plan import PlanOptions
from wendao.web.enterprises import plan_hooks
from wendao.web.programmes.pins import plan_with_commitments

SERVICES = Path(plan_hooks.__file__).with_name("services.py")


def test_the_programmes_app_registers_its_commitments_once() -> None:
    assert plan_hooks._wrappers.count(plan_with_commitments) == 1
    plan_hooks.register_plan_wrapper(plan_with_commitments)  # ready() again, as in some test runners
    assert plan_hooks._wrappers.count(plan_with_commitments) == 1


def test_the_enterprise_use_cases_import_nothing_from_programmes() -> None:
    tree = ast.parse(SERVICES.read_text(encoding="utf-8"))
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert imported
    assert not [m for m in imported if m.startswith("wendao.web.programmes")]


def _pinning(scenario: str) -> plan_hooks.PlanWrapper:
    def wrapper(enterprise: Any, options: PlanOptions, build: plan_hooks.Build) -> Any:
        used = options.model_copy(update={"pin": [*options.pin, scenario]})
        return build(used), used, {"by": [*options.pin, scenario]}

    return wrapper


def test_wrappers_apply_in_registration_order_each_around_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_hooks, "_wrappers", [])
    built: list[list[str]] = []
    plan_hooks.register_plan_wrapper(_pinning("a"))
    plan_hooks.register_plan_wrapper(_pinning("b"))

    def build(options: PlanOptions) -> Any:
        built.append(options.pin)
        return "plan"

    plan, used, stored = plan_hooks.build_wrapped(None, PlanOptions(), build)
    assert (plan, built) == ("plan", [["a", "b"]])
    assert used.pin == ["a"]  # the outermost wrapper's options
    assert stored == {"by": ["a"]}  # the outer wrapper's entry wins over the inner one's of the same name


def test_without_wrappers_the_plan_is_built_as_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_hooks, "_wrappers", [])
    options = PlanOptions(pin=["x"])
    assert plan_hooks.build_wrapped(None, options, lambda o: o.pin) == (["x"], options, {})
