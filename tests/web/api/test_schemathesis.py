"""Property-based fuzzing of the live OpenAPI schema (schemathesis, in-process over WSGI, no network) with two
users' tokens: no operation answers 5xx, and no response ever carries the other enterprise's data.

Path ids are drawn from the real ids of both enterprises (their rounds, plans) as well as from schemathesis'
own values, so the generated requests reach real objects, one's own and the other's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from tests.web.api.conftest import token_for
from tests.web.conftest import make_enterprise
from wendao.engine.search import ScenarioSearch
from wendao.web.api import views
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises import services
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.marketplace import services as marketplace
from wendao.web.marketplace.models import Challenge

pytestmark = pytest.mark.django_db

# 25+ operations x 2 users x 2 generation modes x this many examples: about two and a half minutes on two cores
EXAMPLES = 15


@dataclass
class Persona:
    name: str
    token: str
    enterprise: Enterprise
    ids: list[int] = field(default_factory=list)  # its enterprise, rounds and plans


@dataclass
class Figures:
    operations: int = 0
    calls: int = 0
    failures: list[str] = field(default_factory=list)


@pytest.fixture
def in_process_wsgi() -> Iterator[WSGIHandler]:
    """Django's test client keeps the test transaction's connection open across requests; do the same for the
    schemathesis WSGI client (otherwise Django closes the connection at each request's start)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _persona(name: str, user: Any, example: str) -> Persona:
    enterprise = make_enterprise(user, example)
    plan = services.create_plan(user, enterprise, services.plan_options({}))
    reopened = services.start_reassessment(user, enterprise, active_catalog())
    rounds = list(enterprise.rounds.values_list("pk", flat=True))
    challenges = [c.pk for c in marketplace_challenges(user, enterprise)]
    return Persona(name, token_for(user), enterprise, [enterprise.pk, plan.pk, reopened.pk, *rounds, *challenges])


def marketplace_challenges(user: Any, enterprise: Enterprise) -> list[Challenge]:
    """A draft and a published challenge of the persona's enterprise, so the marketplace operations reach them."""
    deadline = date.today() + timedelta(days=30)
    data = {"title": f"{enterprise.name} 的榜单", "scenario": "online_inspection", "description": "外观缺陷检测"}
    draft = marketplace.create_challenge(user, enterprise, data | {"deadline": deadline})
    published = marketplace.create_challenge(user, enterprise, data | {"deadline": deadline})
    return [draft, marketplace.transition_challenge(user, published, "publish")]


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif node is not None:
        yield str(node)


def no_other_enterprise_data(caller: Persona, other: Persona) -> Any:
    def check(ctx: Any, response: Any, case: Any) -> None:
        other.enterprise.refresh_from_db()  # a fuzzed PUT may have renamed it
        name = other.enterprise.name
        content_type = response.headers.get("content-type", [""])
        if "json" in (content_type[0] if isinstance(content_type, list) else content_type):
            body = json.loads(response.content) if response.content else None
            leaked = [s for s in _strings(body) if name in s]
            assert not leaked, f"{caller.name} saw {other.name}'s enterprise name"
            if isinstance(body, dict | list):
                items = body if isinstance(body, list) else [body]
                foreign = [
                    x
                    for x in items
                    if isinstance(x, dict) and other.enterprise.pk in (x.get("enterprise_id"), x.get("enterprise"))
                ]
                assert not foreign, f"{caller.name} saw an object of {other.name}'s enterprise"
                if case.path == "/api/enterprises" or case.path == "/api/me":
                    ids = body.get("enterprises", []) if isinstance(body, dict) else [x.get("id") for x in items]
                    assert other.enterprise.pk not in ids
        else:
            assert name.encode() not in response.content

    return check


def test_no_operation_fails_or_leaks_for_either_user(alice: Any, bob: Any, in_process_wsgi: WSGIHandler) -> None:
    personas = [_persona("alice", alice, "weifang_machinery"), _persona("bob", bob, "zibo_chemical")]
    known_ids = sorted({i for p in personas for i in p.ids})
    question_ids = [q.id for q in active_catalog().questionnaire.questions][:5]
    # plan-item path segments (/marketplace/plans/{id}/items/{scenario}/…) are drawn from the same list
    question_ids += sorted({i["scenario"] for rec in PlanRecord.objects.all() for i in rec.plan["items"][:3]})
    matcher = ScenarioSearch(active_catalog(), embeddings=False)
    views.scenario_matcher = lambda loaded: matcher  # type: ignore[assignment]  # undone below
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", in_process_wsgi)
    figures = Figures()
    try:
        for result in schema.get_all_operations():
            operation = result.ok()
            figures.operations += 1
            for caller, other in (personas, personas[::-1]):
                _fuzz(operation, caller, other, known_ids, question_ids, figures)
    finally:
        from wendao.web.catalog.services import scenario_matcher

        views.scenario_matcher = scenario_matcher
    print(f"\nschemathesis: {figures.operations} operations, {figures.calls} calls, {len(figures.failures)} failures")
    # every operation of the spec was fuzzed (15 core, 10 marketplace, plus those of the other routers)
    documented = sum(len(methods) for methods in views.api.get_openapi_schema()["paths"].values())
    assert figures.operations == documented >= 25
    assert not figures.failures, "\n\n".join(figures.failures)


def _fuzz(
    operation: Any, caller: Persona, other: Persona, ids: list[int], questions: list[str], figures: Figures
) -> None:
    headers = {"Authorization": f"Bearer {caller.token}"}
    checks = [not_a_server_error, no_other_enterprise_data(caller, other)]
    for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
        strategy = st.tuples(
            operation.as_strategy(generation_mode=mode),
            st.one_of(st.none(), st.sampled_from(ids)),
            st.one_of(st.none(), st.sampled_from(questions)),
        )

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def run(drawn: tuple[Any, int | None, str | None]) -> None:
            case, real_id, question = drawn
            if case.path_parameters is not None:
                if real_id is not None and "id" in case.path_parameters:
                    case.path_parameters["id"] = real_id
                if question is not None and "question_id" in case.path_parameters:
                    case.path_parameters["question_id"] = question
                if question is not None and "scenario" in case.path_parameters:
                    case.path_parameters["scenario"] = question
            figures.calls += 1
            response = case.call(headers=headers)
            case.validate_response(response, checks=checks, headers=headers)

        try:
            run()
        except Exception as exc:
            figures.failures.append(f"{caller.name} {operation.label} ({mode.value}): {exc}")


def test_the_leak_check_catches_the_other_enterprises_name(alice: Any, bob: Any) -> None:
    mine, theirs = _persona("alice", alice, "weifang_machinery"), _persona("bob", bob, "zibo_chemical")

    @dataclass
    class FakeResponse:
        content: bytes
        headers: dict[str, list[str]]

    @dataclass
    class FakeCase:
        path: str

    check = no_other_enterprise_data(mine, theirs)
    leaking = json.dumps([{"id": 1, "name": theirs.enterprise.name}]).encode()
    with pytest.raises(AssertionError):
        check(None, FakeResponse(leaking, {"content-type": ["application/json"]}), FakeCase("/api/enterprises"))
    clean = json.dumps([{"id": mine.enterprise.pk, "name": mine.enterprise.name}]).encode()
    check(None, FakeResponse(clean, {"content-type": ["application/json"]}), FakeCase("/api/enterprises"))
