"""Every URL route and every API operation, walked with every role (security re-audit 2026-12).

``tests/web/test_authorisation_matrix.py`` reaches each MODEL through some of its pages; this file makes sure no
ROUTE is left out: each route of ``web/*/urls.py`` and each operation of the API must be probed, either there or
in ``ROUTES`` below (or be listed in ``OPEN`` with the reason anyone may use it). A new route without a probe
fails the first test.

It also adds the role the matrix lacks: ``inviting_organiser``, ivy, whose programme invited alice's account and
which alice has not accepted. An invitation entitles nobody (programmes.access): ivy must get 404 from every
probe that is not every signed-in user's own page.
"""

from __future__ import annotations

import functools
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.web.api.conftest import ApiClient, token_for
from tests.web.conftest import make_user
from tests.web.marketplace.conftest import challenge_data, proposal_data
from tests.web.test_authorisation_matrix import (
    MEMBER,
    MEMBER_AND_PROVIDER,
    ORGANISER,
    PROBES,
    PROVIDER,
    ROLES,
    SIGNED_IN,
    Probe,
    World,
    build_world,
    expected_denial,
    outcome,
)
from wendao.web.accounts.models import Role
from wendao.web.catalog import proposals as catalog_proposals
from wendao.web.catalog.models import PolicyEntry
from wendao.web.catalog.services import seed_catalog
from wendao.web.insights.models import CohortReport, Target
from wendao.web.jobs.models import BatchJob
from wendao.web.marketplace import services as marketplace
from wendao.web.programmes import services as programme_services
from wendao.web.programmes import timetable
from wendao.web.programmes.importing import ImportRow
from wendao.web.programmes.models import Programme, Session

pytestmark = pytest.mark.django_db

ALL_ROLES = (*ROLES, "inviting_organiser")
EVERYONE_SIGNED_IN = SIGNED_IN | {"inviting_organiser"}

# routes anyone may open, signed in or not, and why
OPEN: dict[str, str] = {
    "accounts:login": "the sign-in form",
    "accounts:logout": "signing out",
    "set_language": "the language switch (Django's, returns only to a URL of this site)",
    "healthz": "the load balancer's health check: says ok, nothing else",
    "programmes:invitation": "a contact's set-password link: its token is the secret (test_consent.py)",
    "programmes:signin": "a participant's sign-in link: its token is the secret (test_signin_links.py)",
    "programmes:invite": "a contact's invitation link: its token is the secret (test_no_account_enumeration.py)",
    "programmes:shared_summary": "a one-page summary the participant shared: its token is the secret",
    "api:openapi-json": "the API's description",
    "api:openapi-view": "the API's documentation page",
    "api:api-root": "ninja's root, 404 for everyone",
}


def web_routes() -> list[str]:
    def walk(patterns: list[Any], ns: str | None = None) -> list[str]:
        names = []
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace != "admin":
                    names += walk(p.url_patterns, p.namespace or ns)
            elif isinstance(p, URLPattern) and p.name:
                names.append(f"{ns}:{p.name}" if ns else p.name)
        return names

    return sorted(set(walk(get_resolver().url_patterns)))


@functools.cache
def api_operations() -> list[tuple[str, str]]:
    paths = Client().get("/api/openapi.json").json()["paths"]
    return sorted((method, path) for path, ops in paths.items() for method in ops)


def _api_operation(probe: Probe, world: World) -> tuple[str, str] | None:
    path = urlsplit(probe.url(world)).path
    for method, template in api_operations():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if method == probe.method and re.match(pattern, path):
            return method, template
    return None


def _route(probe: Probe, world: World) -> str:
    return resolve(urlsplit(probe.url(world)).path).view_name


def add_inviting_organiser(world: World) -> None:
    """ivy's programme invites alice's account (alice's username stands for her mobile number); alice has not
    answered, so nothing of alice's enterprise is ivy's to see."""
    ivy = make_user("ivy", Role.ORGANISER)
    yantai = Programme.objects.create(name="2026 烟台班")
    yantai.organisers.add(ivy)
    alice = world.users["member"]
    assert alice is not None
    row = ImportRow(2, "烟台某某机械有限公司", "", "yantai", "C34", 80, 6000.0, "王丽", alice.username, "")
    world.extra["ivy_invitation"] = programme_services.import_participants(ivy, yantai, [row]).asked[0]
    world.users["inviting_organiser"] = ivy
    world.tokens["inviting_organiser"] = token_for(ivy)


def prepare(world: World) -> None:
    """What the routes below need beyond the matrix's world: a policy, an organiser's proposed change, finished
    reports and an export archive, and alice's consent to show her plan to her group and on the projector."""
    if not PolicyEntry.objects.exists():
        seed_catalog()
    policy = PolicyEntry.objects.order_by("key").first()
    assert policy is not None
    olivia = world.users["organiser"]
    assert olivia is not None
    world.extra["policy"] = policy
    world.extra["change"] = catalog_proposals.propose(
        olivia,
        "policies",
        policy,
        policy.data | {"name_zh": f"{policy.data['name_zh']}（修订）"},
        "https://example.gov.cn/notice",
        world.plan.created_at.date(),
    )
    world.extra["report"] = CohortReport.objects.create(
        programme=world.programme, lang="zh", status=CohortReport.Status.DONE, pdf=b"%PDF-1.4\n%%EOF\n"
    )
    world.extra["city_report"] = CohortReport.objects.create(
        programme=None, city=world.enterprise.city, lang="zh", status=CohortReport.Status.DONE, pdf=b"%PDF-1.4\n"
    )
    BatchJob.objects.filter(pk=world.extra["job"].pk).update(
        status=BatchJob.Status.COMPLETED, archive=b"PK\x05\x06" + b"\0" * 18, archive_name="export.zip"
    )
    world.participant.share_plan = world.participant.share_projector = True
    world.participant.save()
    add_inviting_organiser(world)


def _fresh_target(w: World) -> int:
    olivia = w.users["organiser"]
    return Target.objects.create(
        programme=w.programme,
        metric="enterprises_with_plan",
        value=10,
        start_date=w.extra["target"].start_date,
        due_date=w.extra["target"].due_date,
        created_by=olivia,
    ).pk


def _fresh_session(w: World) -> int:
    return Session.objects.create(
        programme=w.programme, kind=Session.Kind.LECTURE, title=f"开班 {Session.objects.count()}"
    ).pk


def _fresh_participation(w: World) -> int:
    """A programme alice's firm joined, for her to leave (leaving the world's own would end every later probe)."""
    from django.utils import timezone

    from wendao.web.programmes.models import Participant

    programme = Programme.objects.create(name=f"2026 临时班 {Programme.objects.count()}")
    return Participant.objects.create(programme=programme, enterprise=w.enterprise, joined_at=timezone.now()).pk


def _fresh_draft(w: World) -> int:
    alice = w.users["member"]
    return marketplace.create_challenge(alice, w.enterprise, challenge_data(title="新草稿")).pk


def _question(w: World) -> str:
    return next(iter(w.enterprise.rounds.get(number=0).answers))


def _item(w: World) -> str:
    return str(w.plan.plan["items"][0]["scenario"])


def _timetable_file(w: World) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = timetable.timetable_workbook(w.programme)
    return {"file": SimpleUploadedFile("timetable.xlsx", body)}


ORGANISERS = frozenset({"organiser", "other_organiser", "inviting_organiser"})
PUBLISHERS = frozenset({"member", "other_enterprise"}) | ORGANISERS  # an enterprise's member or an organiser
NOBODY: frozenset[str] = frozenset()

ROUTES: dict[str, list[Probe]] = {
    "enterprises": [
        Probe("home", lambda w: "/", EVERYONE_SIGNED_IN),
        Probe("a new enterprise", lambda w: "/e/new/", EVERYONE_SIGNED_IN),
        Probe("assessment", lambda w: f"/e/{w.enterprise.pk}/assessment/", MEMBER),
        Probe(
            "an answer",
            lambda w: f"/e/{w.enterprise.pk}/rounds/0/answer/{_question(w)}/",
            MEMBER,
            method="post",
            data=lambda w: {"value": "1"},
        ),
        Probe("complete a round", lambda w: f"/e/{w.enterprise.pk}/rounds/0/complete/", MEMBER, method="post"),
        Probe("make a plan", lambda w: f"/e/{w.enterprise.pk}/plans/new/", MEMBER, method="post"),
        Probe("what if", lambda w: f"/plans/{w.plan.pk}/what-if/", MEMBER, method="post", data=lambda w: {"x": "1"}),
        Probe("prepare the PDF", lambda w: f"/plans/{w.plan.pk}/prepare/docx/", MEMBER),
        Probe("ask about one's firm", lambda w: f"/ask/?enterprise={w.enterprise.pk}&question=预算", MEMBER),
        Probe("ask about one's plan", lambda w: f"/ask/?plan={w.plan.pk}&question=补贴", MEMBER),
        Probe("start a new round", lambda w: f"/e/{w.enterprise.pk}/assessment/new/", MEMBER, method="post"),
    ],
    "api tokens": [Probe("my API tokens", lambda w: "/settings/api-tokens/", EVERYONE_SIGNED_IN)],
    "password": [Probe("change my password", lambda w: "/accounts/password/", EVERYONE_SIGNED_IN)],
    "catalog": [
        Probe("knowledge base", lambda w: "/catalog/", ORGANISERS),
        Probe("its scenarios", lambda w: "/catalog/scenarios/", ORGANISERS),
        Probe("a policy", lambda w: f"/catalog/policies/{w.extra['policy'].pk}/", ORGANISERS),
        Probe("propose a policy", lambda w: "/catalog/policies/new/", ORGANISERS),
        Probe("the policy workbook", lambda w: "/catalog/policies/sheet.xlsx", ORGANISERS),
        Probe("upload policies (editors only)", lambda w: "/catalog/policies/upload/", NOBODY),
        Probe("proposed changes", lambda w: "/catalog/proposals/", ORGANISERS),
        Probe("olivia's proposed change", lambda w: f"/catalog/proposals/{w.extra['change'].pk}/", ORGANISER),
    ],
    "insights": [
        Probe(
            "the report's file",
            lambda w: f"/insights/programmes/{w.programme.pk}/report/{w.extra['report'].pk}.pdf",
            ORGANISER,
        ),
        Probe(
            "the city report's file",
            lambda w: f"/insights/city/report/{w.extra['city_report'].pk}.pdf",
            frozenset({"city_official"}),
        ),
        Probe("who pays", lambda w: f"/insights/programmes/{w.programme.pk}/support/", ORGANISER),
        Probe("who pays CSV", lambda w: f"/insights/programmes/{w.programme.pk}/support.csv", ORGANISER),
        Probe("a new target", lambda w: f"/insights/programmes/{w.programme.pk}/targets/new/", ORGANISER),
        Probe(
            "delete a target",
            lambda w: f"/insights/programmes/{w.programme.pk}/targets/{_fresh_target(w)}/delete/",
            ORGANISER,
            method="post",
        ),
    ],
    "jobs": [Probe("an export's archive", lambda w: f"/jobs/{w.extra['job'].pk}/download/", ORGANISER)],
    "marketplace": [
        Probe("marketplace home", lambda w: "/marketplace/", EVERYONE_SIGNED_IN),
        Probe("provider directory", lambda w: "/marketplace/providers/", EVERYONE_SIGNED_IN),
        Probe("a new provider profile", lambda w: "/marketplace/providers/new/", PROVIDER),
        Probe("challenges", lambda w: "/marketplace/challenges/", EVERYONE_SIGNED_IN),
        Probe("a new challenge", lambda w: "/marketplace/challenges/new/", PUBLISHERS),
        Probe(
            "invite a provider",
            lambda w: f"/marketplace/challenges/{w.extra['invited_only'].pk}/invite/",
            MEMBER,
            method="post",
            data=lambda w: {"provider": str(w.extra["provider"].pk)},
        ),
        Probe(
            "publish a draft",
            lambda w: f"/marketplace/challenges/{_fresh_draft(w)}/publish/",
            MEMBER,
            method="post",
        ),
        Probe(
            "propose",
            lambda w: f"/marketplace/challenges/{w.extra['public'].pk}/propose/",
            PROVIDER,
            method="post",
            data=lambda w: proposal_data(),
        ),
        Probe("award", lambda w: f"/marketplace/proposals/{w.extra['proposal'].pk}/award/", MEMBER, method="post"),
        Probe("pooled demand (organisers)", lambda w: "/marketplace/joint/", ORGANISERS),
        # chain demand is a confirmed chain leader's (test_chain_leader.py); nobody here is one
        Probe("chain demand", lambda w: "/marketplace/chain/", NOBODY),
        Probe(
            "a chain-wide challenge",
            lambda w: f"/marketplace/chain/new/?enterprise={w.enterprise.pk}&scenario={_item(w)}",
            NOBODY,
        ),
        Probe(
            "share a plan item",
            lambda w: f"/marketplace/plans/{w.plan.pk}/items/{_item(w)}/share/",
            MEMBER,
            method="post",
            data=lambda w: {"note": "欢迎联系"},
        ),
    ],
    "programmes": [
        Probe("my programmes (organisers)", lambda w: "/programmes/", ORGANISERS),
        Probe("my participations", lambda w: "/programmes/me/", EVERYONE_SIGNED_IN),
        Probe(
            "leave a programme",
            lambda w: f"/programmes/me/{_fresh_participation(w)}/leave/",
            MEMBER,
            method="post",
            data=lambda w: {"confirm": "on"},
        ),
        Probe(
            "the projector (with consent)",
            lambda w: f"/programmes/{w.programme.pk}/finals/{w.participant.pk}/",
            ORGANISER,
        ),
        Probe(
            "delete a session",
            lambda w: f"/programmes/{w.programme.pk}/timetable/{_fresh_session(w)}/delete/",
            ORGANISER,
            method="post",
        ),
        Probe("issue sign-in links", lambda w: f"/programmes/{w.programme.pk}/signin/issue/", ORGANISER, method="post"),
        Probe(
            "import a timetable",
            lambda w: f"/programmes/{w.programme.pk}/timetable/import/",
            ORGANISER,
            method="post",
            data=_timetable_file,
        ),
        Probe("allocate visits", lambda w: f"/programmes/{w.programme.pk}/visits/allocate/", ORGANISER, method="post"),
        Probe(
            "the facilitator's notes",
            lambda w: f"/programmes/workspace/{w.group.pk}/notes/",
            ORGANISER,
            method="post",
            data=lambda w: {"notes": "先谈数据", "questions": ""},
        ),
        Probe(
            "a member's shared plan",
            lambda w: f"/programmes/workspace/{w.group.pk}/plans/{w.participant.pk}/",
            MEMBER | ORGANISER,
        ),
    ],
    "api": [
        Probe("me", lambda w: "/api/me", EVERYONE_SIGNED_IN, api=True),
        Probe("my enterprises", lambda w: "/api/enterprises", EVERYONE_SIGNED_IN, api=True),
        Probe("catalog", lambda w: "/api/catalog", EVERYONE_SIGNED_IN, api=True),
        Probe("scenarios", lambda w: "/api/catalog/scenarios", EVERYONE_SIGNED_IN, api=True),
        Probe("a scenario", lambda w: f"/api/catalog/scenarios/{_item(w)}", EVERYONE_SIGNED_IN, api=True),
        Probe("policies", lambda w: "/api/catalog/policies", EVERYONE_SIGNED_IN, api=True),
        Probe(
            "match a need",
            lambda w: "/api/scenarios/match",
            EVERYONE_SIGNED_IN,
            method="post",
            data=lambda w: {"text": "设备停机多"},
            api=True,
        ),
        Probe("my programmes", lambda w: "/api/programmes", EVERYONE_SIGNED_IN, api=True),
        Probe("challenges", lambda w: "/api/marketplace/challenges", EVERYONE_SIGNED_IN, api=True),
        Probe("providers", lambda w: "/api/marketplace/providers", EVERYONE_SIGNED_IN, api=True),
        Probe(
            "a provider", lambda w: f"/api/marketplace/providers/{w.extra['provider'].pk}", EVERYONE_SIGNED_IN, api=True
        ),
        Probe(
            "profile, replaced", lambda w: f"/api/enterprises/{w.enterprise.pk}/profile", MEMBER, method="put", api=True
        ),
        Probe(
            "an answer",
            lambda w: f"/api/assessments/{w.enterprise.rounds.get(number=0).pk}/answers/{_question(w)}",
            MEMBER,
            method="put",
            data=lambda w: {"value": "na"},
            api=True,
        ),
        Probe(
            "make a plan",
            lambda w: f"/api/enterprises/{w.enterprise.pk}/plans",
            MEMBER,
            method="post",
            data=lambda w: {},
            api=True,
        ),
        Probe("a plan's document", lambda w: f"/api/plans/{w.plan.pk}/document?format=json", MEMBER, api=True),
        Probe(
            "ask about one's firm",
            lambda w: "/api/ask",
            MEMBER,
            method="post",
            data=lambda w: {"question": "预算多少合适", "enterprise": w.enterprise.pk},
            api=True,
        ),
        Probe(
            "a new challenge",
            lambda w: "/api/marketplace/challenges",
            MEMBER,
            method="post",
            data=lambda w: {"enterprise_id": w.enterprise.pk} | challenge_data(title="API"),
            api=True,
        ),
        Probe(
            "move a challenge on",
            lambda w: f"/api/marketplace/challenges/{_fresh_draft(w)}/transitions",
            MEMBER,
            method="post",
            data=lambda w: {"action": "cancel"},
            api=True,
        ),
        Probe(
            "proposals to a public challenge",
            lambda w: f"/api/marketplace/challenges/{w.extra['public'].pk}/proposals",
            MEMBER_AND_PROVIDER,
            api=True,
        ),
        Probe(
            "propose",
            lambda w: f"/api/marketplace/challenges/{w.extra['public'].pk}/proposals",
            PROVIDER,
            method="post",
            data=lambda w: proposal_data(),
            api=True,
        ),
        Probe(
            "providers for one's challenge",
            lambda w: f"/api/marketplace/challenges/{w.extra['public'].pk}/matches",
            MEMBER,
            api=True,
        ),
        Probe(
            "providers for one's plan item",
            lambda w: f"/api/marketplace/plans/{w.plan.pk}/items/{_item(w)}/matches",
            MEMBER,
            api=True,
        ),
    ],
}


def every_probe() -> list[Probe]:
    return [p for probes in PROBES.values() for p in probes] + [p for probes in ROUTES.values() for p in probes]


def test_every_route_and_api_operation_is_probed() -> None:
    world = build_world()
    prepare(world)
    probes = every_probe()
    reached = {_route(p, world) for p in probes if not p.api}
    operations = {_api_operation(p, world) for p in probes if p.api}
    missing = [
        name for name in web_routes() if name not in reached and name not in OPEN and not name.startswith("api:")
    ]
    missing += [f"{m.upper()} {path}" for m, path in api_operations() if (m, path) not in operations]
    assert not missing, f"probe these routes in ROUTES (or say in OPEN why anyone may use them): {missing}"


def _status(p: Probe, world: World, role: str) -> int:
    if p.method != "put":
        return outcome(p, world, role)
    client = ApiClient(world.tokens[role])
    body = p.data(world) if p.data else client.get(p.url(world)).json()
    return int(client.put(p.url(world), body).status_code)


def _reached(status: int) -> bool:
    """The view ran past its access check: a success, a redirect, or its own answer to the input (a 409 or 422);
    never the denial (404, the sign-in page, 401) and never a crash."""
    # 503: the scenario matcher is switched off in the tests (WENDAO_PLAN_MATCHER), and the operation says so
    return (status < 500 or status == 503) and status not in (401, 403, 404)


def test_each_role_reaches_each_route_only_where_it_is_entitled() -> None:
    world = build_world()
    prepare(world)
    wrong = []
    for group, probes in ROUTES.items():
        for probe in probes:
            for role in ALL_ROLES:
                status = _status(probe, world, role)
                ok = _reached(status) if role in probe.allowed else status == expected_denial(role)
                if not ok:
                    wrong.append(f"{group}: {probe.what} as {role}: {status}")
    assert not wrong, "; ".join(wrong)


def test_an_organiser_whose_invitation_was_not_accepted_reaches_nothing_of_the_firm() -> None:
    """ivy invited alice's account and alice has not answered: every page and operation of the matrix answers ivy
    as it answers a stranger (404), except the pages every signed-in user has of their own."""
    world = build_world()
    prepare(world)
    wrong = [
        f"{label}: {probe.what}: {status}"
        for label, probes in PROBES.items()
        for probe in probes
        if (status := outcome(probe, world, "inviting_organiser"))
        != (200 if probe.allowed == SIGNED_IN else expected_denial("inviting_organiser"))
    ]
    assert not wrong, "; ".join(wrong)
