"""What other apps add to every plan, without enterprises importing them (issue 21 item 4: no wrong-way imports).

``services.create_plan`` builds every plan (the first one, a what-if, the API, a programme's regeneration job).
An app that shapes plans registers a *plan wrapper* here from its ``AppConfig.ready``: programmes registers
``pins.plan_with_commitments`` (steps committed in a group workspace pin the next plan). A wrapper is called with
the enterprise, the options and ``build`` (options → plan) and returns the plan, the options it was built with,
and what the plan record should store beside the enterprise's own choices. Wrappers are applied in registration
(app) order, each around the next; the record keeps the outermost wrapper's options and, of each inner wrapper,
what it stored for the build the outer one kept (its last).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wendao.engine.plan import Plan, PlanOptions

Build = Callable[[PlanOptions], Plan]
PlanWrapper = Callable[[Any, PlanOptions, Build], tuple[Plan, PlanOptions, dict[str, Any]]]

_wrappers: list[PlanWrapper] = []


def register_plan_wrapper(wrapper: PlanWrapper) -> None:
    """Add ``wrapper`` to every plan built from now on (once: ``ready`` may run again in tests)."""
    if wrapper not in _wrappers:
        _wrappers.append(wrapper)


def build_wrapped(enterprise: Any, options: PlanOptions, build: Build) -> tuple[Plan, PlanOptions, dict[str, Any]]:
    """``build(options)`` through every registered wrapper: (plan, the options used, what to store with it)."""
    return _wrap(list(_wrappers), enterprise, options, build)


def _wrap(
    wrappers: list[PlanWrapper], enterprise: Any, options: PlanOptions, build: Build
) -> tuple[Plan, PlanOptions, dict[str, Any]]:
    if not wrappers:
        return build(options), options, {}
    first, rest = wrappers[0], wrappers[1:]
    stored: dict[str, Any] = {}

    def inner(opts: PlanOptions) -> Plan:
        plan, _used, extra = _wrap(rest, enterprise, opts, build)
        stored.clear()  # a wrapper may build more than once (a refused pin): keep the last build's
        stored.update(extra)
        return plan

    plan, used, extra = first(enterprise, options, inner)
    return plan, used, stored | extra
