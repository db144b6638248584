"""The authorisation matrix: every model of the platform × every role.

Eight roles look at one small world built through the real use cases:

- ``member``: alice, member of the enterprise (which joined olivia's programme and has a plan);
- ``other_enterprise``: bob, member of another enterprise;
- ``organiser``: olivia, organiser of the programme alice's enterprise joined;
- ``other_organiser``: oscar, organiser of another programme;
- ``provider``: pete, a solution provider;
- ``city_official``: carol, of the city of alice's enterprise (which agreed to share with its city);
- ``other_city_official``: cyril, of another city (bob's);
- ``anonymous``: nobody signed in (or no API token).

Each model is reached through the pages and API operations that show or change it (``PROBES``); each probe
names the roles that may use it. Everyone else must get a 404 (never 403, which would confirm the object
exists), the sign-in page when anonymous on the web, and 401 from the API. Models no role may reach outside
the Django admin are listed in ``ADMIN_ONLY`` with the reason, and the admin itself is checked for every role.
A model missing from both fails the first test: adding a model means deciding who may see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from tests.web.api.conftest import ApiClient, token_for
from tests.web.catalog.conftest import entry_form
from tests.web.conftest import join, make_enterprise, make_user
from tests.web.marketplace.conftest import VISION, challenge_data, proposal_data
from wendao.web.accounts.models import AuditEvent, Role, User
from wendao.web.catalog.services import seed_catalog
from wendao.web.enterprises import services
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.insights.models import CityShare, Target
from wendao.web.jobs.services import start_job
from wendao.web.marketplace import joint
from wendao.web.marketplace import services as marketplace
from wendao.web.programmes import services as programme_services
from wendao.web.programmes.importing import ImportRow
from wendao.web.programmes.models import (
    DiscussionGroup,
    GroupMembership,
    Participant,
    Programme,
    Session,
    VisitAssignment,
    VisitPreference,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "member",
    "other_enterprise",
    "organiser",
    "other_organiser",
    "provider",
    "city_official",
    "other_city_official",
    "anonymous",
)
ORGANISER = frozenset({"organiser"})
MEMBER = frozenset({"member"})
MEMBER_AND_PROVIDER = frozenset({"member", "provider"})
PROVIDER = frozenset({"provider"})
# a city's pages show that city's shared enterprises: every city official reaches their own (cyril's is empty);
# test_a_city_official_counts_an_enterprise_only_in_its_city_and_with_its_consent checks which firms each sees
CITY_OFFICIALS = frozenset({"city_official", "other_city_official"})
SIGNED_IN = frozenset(ROLES) - {"anonymous"}


@dataclass
class World:
    users: dict[str, User | None]
    enterprise: Enterprise
    other_enterprise: Enterprise
    plan: PlanRecord
    programme: Programme
    participant: Participant
    group: DiscussionGroup
    visit: Session
    tokens: dict[str, str | None] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def build_world() -> World:
    alice, bob = make_user("alice"), make_user("bob")
    olivia, oscar = make_user("olivia", Role.ORGANISER), make_user("oscar", Role.ORGANISER)
    pete = make_user("pete", Role.PROVIDER)
    enterprise = make_enterprise(alice)
    other = make_enterprise(bob, "zibo_chemical")
    carol, cyril = make_user("carol", Role.CITY_OFFICIAL), make_user("cyril", Role.CITY_OFFICIAL)
    carol.city, cyril.city = enterprise.city, other.city
    carol.save()
    cyril.save()
    CityShare.objects.create(enterprise=enterprise, given_by=alice)
    plan = services.create_plan(alice, enterprise, services.plan_options({}))
    programme = Programme.objects.create(name="2026 济南班")
    programme.organisers.add(olivia)
    qingdao = Programme.objects.create(name="2026 青岛班")
    qingdao.organisers.add(oscar)
    participant = join(programme, enterprise, contact_name="王丽")
    group = DiscussionGroup.objects.create(programme=programme, number=1)
    GroupMembership.objects.create(group=group, participant=participant)
    visit = Session.objects.create(programme=programme, kind=Session.Kind.SITE_VISIT, title="海尔工厂", capacity=30)
    VisitPreference.objects.create(participant=participant, session=visit, rank=1)
    VisitAssignment.objects.create(participant=participant, session=visit, rank=1)
    users: dict[str, User | None] = {
        "member": alice,
        "other_enterprise": bob,
        "organiser": olivia,
        "other_organiser": oscar,
        "provider": pete,
        "city_official": carol,
        "other_city_official": cyril,
        "anonymous": None,
    }
    world = World(users, enterprise, other, plan, programme, participant, group, visit)
    world.extra["target"] = Target.objects.create(
        programme=programme,
        metric="enterprises_with_plan",
        value=300,
        start_date=date(2026, 5, 1),
        due_date=date(2028, 12, 31),
        created_by=olivia,
    )
    # the marketplace: pete's provider with a reference case; alice's draft, public and invited-only
    # challenges, pete's proposal to the public one, a programme challenge; alice shares one plan item
    provider = marketplace.save_provider(
        pete, VISION, [marketplace.CaseData("某汽车零部件厂外观检测", "民营企业", "C36", "漏检率下降八成")]
    )
    draft = marketplace.create_challenge(alice, enterprise, challenge_data(title="草稿"))
    public = marketplace.transition_challenge(
        alice, marketplace.create_challenge(alice, enterprise, challenge_data()), "publish"
    )
    invited_only = marketplace.transition_challenge(
        alice,
        marketplace.create_challenge(alice, enterprise, challenge_data(title="定向", visibility="invited")),
        "publish",
    )
    for_programme = marketplace.create_challenge(olivia, programme, challenge_data(title="项目榜单"))
    proposal = marketplace.submit_proposal(pete, public, provider, proposal_data())
    share = marketplace.share_plan_item(alice, plan, plan.plan["items"][0]["scenario"], None)
    attachment = marketplace.attach_to_proposal(pete, proposal, "方案.pdf", b"%PDF-1.4\n%%EOF\n")
    question = marketplace.ask_question(pete, public, provider, "是否接受分期验收？")
    # olivia pools her programme's demand into a joint challenge (one firm is enough in this small world)
    pooled = joint.draft_joint_challenge(
        olivia, programme, plan.plan["items"][0]["scenario"], enterprise.city, challenge_data(title="联合"), min_firms=1
    )
    world.extra |= {
        "provider": provider,
        "draft": draft,
        "public": public,
        "invited_only": invited_only,
        "for_programme": for_programme,
        "proposal": proposal,
        "share": share,
        "attachment": attachment,
        "question": question,
        "joint": pooled,
        "joint_member": pooled.joint_members.get(),
    }
    world.extra["job"], _created = start_job(olivia, programme, "export")
    # oscar's import invites bob's account (its username stands for the contact's mobile number): only bob
    # may answer, and nothing of bob's enterprise reaches oscar before he does
    row = ImportRow(2, "青岛某某电子有限公司", "", "qingdao", "C39", 90, 7000.0, "赵六", bob.username, "")
    world.extra["invitation"] = programme_services.import_participants(oscar, qingdao, [row]).asked[0]
    world.tokens = {role: token_for(u) if u is not None else None for role, u in users.items()}
    return world


@dataclass(frozen=True)
class Probe:
    """One way to reach a model's object: a page or an API operation, and who may use it."""

    what: str
    url: Callable[[World], str]
    allowed: frozenset[str]
    method: str = "get"
    data: Callable[[World], dict[str, Any]] | None = None
    api: bool = False


def _web(p: Probe, world: World, role: str) -> int:
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = p.url(world)
    response = client.post(url, p.data(world) if p.data else {}) if p.method == "post" else client.get(url)
    if role == "anonymous" and response.status_code == 302:
        return 401 if "/accounts/login/" in response["Location"] else 302
    return response.status_code


def _api(p: Probe, world: World, role: str) -> int:
    client = ApiClient(world.tokens[role])
    url = p.url(world)
    response = client.post(url, p.data(world) if p.data else {}) if p.method == "post" else client.get(url)
    return int(response.status_code)


def outcome(p: Probe, world: World, role: str) -> int:
    return _api(p, world, role) if p.api else _web(p, world, role)


def expected_denial(role: str) -> int:
    # anonymous: the web sends to the sign-in page (reported as 401 by _web), the API answers 401
    return 401 if role == "anonymous" else 404


PROBES: dict[str, list[Probe]] = {
    "enterprises.enterprise": [
        Probe("enterprise page", lambda w: f"/e/{w.enterprise.pk}/", MEMBER),
        Probe("profile form", lambda w: f"/e/{w.enterprise.pk}/profile/", MEMBER),
        Probe("API profile", lambda w: f"/api/enterprises/{w.enterprise.pk}/profile", MEMBER, api=True),
        Probe(
            "organiser's participant page",
            lambda w: f"/programmes/{w.programme.pk}/participants/{w.participant.pk}/",
            ORGANISER,
        ),
    ],
    "enterprises.membership": [
        # a membership is what makes someone a member: it shows as the enterprise on the member's home page
        Probe("enterprise page", lambda w: f"/e/{w.enterprise.pk}/", MEMBER),
    ],
    "enterprises.assessmentround": [
        Probe("results", lambda w: f"/e/{w.enterprise.pk}/rounds/0/", MEMBER),
        Probe("wizard step", lambda w: f"/e/{w.enterprise.pk}/rounds/0/step/1/", MEMBER),
        Probe("API rounds", lambda w: f"/api/enterprises/{w.enterprise.pk}/assessments", MEMBER, api=True),
        Probe("API round", lambda w: f"/api/assessments/{w.enterprise.rounds.get().pk}", MEMBER, api=True),
    ],
    "enterprises.dimensionresult": [
        Probe("results (dimension scores)", lambda w: f"/e/{w.enterprise.pk}/rounds/0/", MEMBER),
    ],
    "enterprises.planrecord": [
        Probe("plan page", lambda w: f"/plans/{w.plan.pk}/", MEMBER),
        Probe("plan JSON download", lambda w: f"/plans/{w.plan.pk}/download/json/", MEMBER),
        Probe("API plan", lambda w: f"/api/plans/{w.plan.pk}", MEMBER, api=True),
        Probe(
            "organiser's copy of the participant's plan",
            lambda w: f"/programmes/{w.programme.pk}/participants/{w.participant.pk}/plans/{w.plan.pk}/pdf/",
            ORGANISER,
        ),
        Probe(
            "organiser's copy prepared with progress",
            lambda w: f"/programmes/{w.programme.pk}/participants/{w.participant.pk}/plans/{w.plan.pk}/pdf/prepare/",
            ORGANISER,
        ),
    ],
    "programmes.programme": [
        Probe("programme page", lambda w: f"/programmes/{w.programme.pk}/", ORGANISER),
        Probe("reminders", lambda w: f"/programmes/{w.programme.pk}/reminders/", ORGANISER),
        Probe("invitations", lambda w: f"/programmes/{w.programme.pk}/invitations/", ORGANISER),
        Probe("dashboard", lambda w: f"/insights/programmes/{w.programme.pk}/", ORGANISER),
        Probe("pilot ranking", lambda w: f"/insights/programmes/{w.programme.pk}/pilots/", ORGANISER),
        Probe("API programme", lambda w: f"/api/programmes/{w.programme.pk}", ORGANISER, api=True),
    ],
    "programmes.participant": [
        Probe(
            "participant page", lambda w: f"/programmes/{w.programme.pk}/participants/{w.participant.pk}/", ORGANISER
        ),
        Probe("import page", lambda w: f"/programmes/{w.programme.pk}/import/", ORGANISER),
        Probe("import template", lambda w: f"/programmes/{w.programme.pk}/import/template.xlsx", ORGANISER),
        Probe("invitations workbook", lambda w: f"/programmes/{w.programme.pk}/invitations.xlsx", ORGANISER),
        Probe(
            "invited firm's participant page",
            lambda w: f"/programmes/{w.extra['invitation'].programme_id}/participants/{w.extra['invitation'].pk}/",
            frozenset({"other_organiser"}),
        ),
        # every signed-in user has an inbox of their own (empty for most)
        Probe("my invitations", lambda w: "/programmes/invitations/", SIGNED_IN),
        Probe(
            "answer an invitation",
            lambda w: f"/programmes/invitations/{w.extra['invitation'].pk}/answer/",
            frozenset({"other_enterprise"}),
            method="post",
            data=lambda w: {"answer": "decline"},
        ),
        Probe("API participants", lambda w: f"/api/programmes/{w.programme.pk}/participants", ORGANISER, api=True),
        # the participant's own side: only the members of the firm that joined
        Probe("my week", lambda w: f"/programmes/me/{w.participant.pk}/", MEMBER),
        Probe(
            "my visit preferences",
            lambda w: f"/programmes/me/{w.participant.pk}/preferences/",
            MEMBER,
            method="post",
            data=lambda w: {"choice_1": str(w.visit.pk)},
        ),
        Probe(
            "what I share with my group", lambda w: f"/programmes/me/{w.participant.pk}/sharing/", MEMBER, method="post"
        ),
        Probe("my one-page summary", lambda w: f"/programmes/me/{w.participant.pk}/one-page/", MEMBER),
        Probe("who has a final plan", lambda w: f"/programmes/{w.programme.pk}/finals/", ORGANISER),
        Probe(
            "mark my plan final",
            lambda w: f"/programmes/me/{w.participant.pk}/final/",
            MEMBER,
            method="post",
            data=lambda w: {"plan": str(w.plan.pk)},
        ),
    ],
    "programmes.session": [
        Probe("site visits", lambda w: f"/programmes/{w.programme.pk}/visits/", ORGANISER),
        Probe("timetable", lambda w: f"/programmes/{w.programme.pk}/timetable/", ORGANISER),
        Probe("timetable workbook", lambda w: f"/programmes/{w.programme.pk}/timetable.xlsx", ORGANISER),
        Probe("edit a session", lambda w: f"/programmes/{w.programme.pk}/timetable/{w.visit.pk}/", ORGANISER),
    ],
    "programmes.visitpreference": [
        Probe(
            "preferences form",
            lambda w: f"/programmes/{w.programme.pk}/participants/{w.participant.pk}/preferences/",
            ORGANISER,
            method="post",
            data=lambda w: {"visit_1": str(w.visit.pk)},
        ),
    ],
    "programmes.visitassignment": [
        Probe("visits workbook", lambda w: f"/programmes/{w.programme.pk}/visits.xlsx", ORGANISER),
    ],
    "programmes.discussiongroup": [
        Probe("groups", lambda w: f"/programmes/{w.programme.pk}/groups/", ORGANISER),
        Probe("API groups", lambda w: f"/api/programmes/{w.programme.pk}/groups", ORGANISER, api=True),
    ],
    # the evening workspace: the group's members and the programme's organisers (the facilitator is tested in
    # tests/web/programmes/test_workspace.py)
    "programmes.statedproblem": [
        Probe("group workspace", lambda w: f"/programmes/workspace/{w.group.pk}/", MEMBER | ORGANISER),
        Probe("its board", lambda w: f"/programmes/workspace/{w.group.pk}/board/", MEMBER | ORGANISER),
        Probe(
            "state my problem",
            lambda w: f"/programmes/workspace/{w.group.pk}/problem/",
            MEMBER,
            method="post",
            data=lambda w: {"text": "设备停机"},
        ),
        Probe("the group's summary", lambda w: f"/programmes/workspace/{w.group.pk}/summary.docx", ORGANISER),
        Probe("the group's summary as PDF", lambda w: f"/programmes/workspace/{w.group.pk}/summary.pdf", ORGANISER),
        Probe("every group's evening", lambda w: f"/programmes/{w.programme.pk}/evening/", ORGANISER),
    ],
    "programmes.groupcomment": [
        Probe(
            "comment on a member's problem",
            lambda w: f"/programmes/workspace/{w.group.pk}/comment/{w.participant.pk}/",
            MEMBER | ORGANISER,
            method="post",
            data=lambda w: {"text": "先做设备联网"},
        ),
    ],
    "programmes.commitment": [
        Probe(
            "commit my first steps",
            lambda w: f"/programmes/workspace/{w.group.pk}/steps/",
            MEMBER,
            method="post",
            data=lambda w: {"step_1": "盘点设备"},
        ),
        Probe(
            "move the rounds",
            lambda w: f"/programmes/workspace/{w.group.pk}/round/",
            ORGANISER,
            method="post",
            data=lambda w: {"round": "3"},
        ),
    ],
    # sign-in links: handed out by the programme's organisers; the link itself signs in whoever holds it (its
    # token is the secret, tested in tests/web/programmes/test_signin.py)
    "programmes.signinlink": [
        Probe("sign-in links", lambda w: f"/programmes/{w.programme.pk}/signin/", ORGANISER),
        Probe("table cards PDF", lambda w: f"/programmes/{w.programme.pk}/signin/cards.pdf", ORGANISER),
        Probe(
            "revoke a link",
            lambda w: f"/programmes/{w.programme.pk}/signin/revoke/",
            ORGANISER,
            method="post",
            data=lambda w: {"participant": w.participant.pk},
        ),
    ],
    "programmes.summaryshare": [
        # made by the participant's own members; the link itself is read by whoever holds it (test_signin.py)
        Probe(
            "share my one-page summary",
            lambda w: f"/programmes/me/{w.participant.pk}/share/",
            MEMBER,
            method="post",
            data=lambda w: {"action": "make"},
        ),
    ],
    "programmes.groupmembership": [
        Probe(
            "move a participant",
            lambda w: f"/programmes/{w.programme.pk}/groups/move/",
            ORGANISER,
            method="post",
            data=lambda w: {"participant": w.participant.pk, "group": w.group.pk},
        ),
        Probe("groups workbook", lambda w: f"/programmes/{w.programme.pk}/groups.xlsx", ORGANISER),
    ],
    "insights.target": [
        Probe("targets", lambda w: f"/insights/programmes/{w.programme.pk}/targets/", ORGANISER),
        Probe("targets CSV", lambda w: f"/insights/programmes/{w.programme.pk}/targets.csv", ORGANISER),
        Probe(
            "edit a target",
            lambda w: f"/insights/programmes/{w.programme.pk}/targets/{w.extra['target'].pk}/",
            ORGANISER,
        ),
    ],
    "insights.scenarioprogress": [
        Probe(
            "set a roadmap item's progress",
            lambda w: f"/insights/plans/{w.plan.pk}/progress/",
            MEMBER,
            method="post",
            data=lambda w: {"scenario": w.plan.plan["items"][0]["scenario"], "status": "started"},
        ),
    ],
    # summaries kept in step with plans and rounds by signals, read only by the organiser's dashboards
    "insights.plansummary": [
        Probe("dashboard", lambda w: f"/insights/programmes/{w.programme.pk}/", ORGANISER),
        Probe("money table CSV", lambda w: f"/insights/programmes/{w.programme.pk}/tables/totals.csv", ORGANISER),
    ],
    "insights.planitemsummary": [
        Probe("demand heat map CSV", lambda w: f"/insights/programmes/{w.programme.pk}/tables/heatmap.csv", ORGANISER),
        Probe("demand by city", lambda w: f"/insights/programmes/{w.programme.pk}/demand/?by=city", ORGANISER),
        Probe(
            "demand by city CSV", lambda w: f"/insights/programmes/{w.programme.pk}/tables/demand_city.csv", ORGANISER
        ),
    ],
    "insights.cohortreport": [
        Probe("report for superiors", lambda w: f"/insights/programmes/{w.programme.pk}/report/", ORGANISER),
        Probe(
            "make the report",
            lambda w: f"/insights/programmes/{w.programme.pk}/report/",
            ORGANISER,
            method="post",
            data=lambda w: {"lang": "zh"},
        ),
    ],
    "insights.planneedsummary": [
        Probe("demand page", lambda w: f"/insights/programmes/{w.programme.pk}/demand/", ORGANISER),
        Probe(
            "stated needs per scenario CSV",
            lambda w: f"/insights/programmes/{w.programme.pk}/tables/demand_scenarios.csv",
            ORGANISER,
        ),
    ],
    # an enterprise's consent to its city: given by its members, read by its city's officials' pages
    "insights.cityshare": [
        Probe(
            "give the consent",
            lambda w: f"/insights/enterprises/{w.enterprise.pk}/city-share/",
            MEMBER,
            method="post",
            data=lambda w: {"share": "1"},
        ),
        Probe("city dashboard", lambda w: "/insights/city/", CITY_OFFICIALS),
        Probe("city demand by division", lambda w: "/insights/city/demand/?by=division", CITY_OFFICIALS),
        Probe("city demand CSV", lambda w: "/insights/city/tables/demand_size.csv", CITY_OFFICIALS),
        Probe("city money CSV", lambda w: "/insights/city/tables/totals.csv", CITY_OFFICIALS),
        Probe("city report", lambda w: "/insights/city/report/", CITY_OFFICIALS),
        Probe(
            "make the city report",
            lambda w: "/insights/city/report/",
            CITY_OFFICIALS,
            method="post",
            data=lambda w: {"lang": "zh"},
        ),
    ],
    "insights.pilotcomponents": [
        Probe("pilot ranking", lambda w: f"/insights/programmes/{w.programme.pk}/pilots/", ORGANISER),
        Probe("pilot ranking CSV", lambda w: f"/insights/programmes/{w.programme.pk}/pilots.csv", ORGANISER),
    ],
    "marketplace.provider": [
        # listed providers are the public directory of every signed-in user; only their members edit them
        Probe("provider page", lambda w: f"/marketplace/providers/{w.extra['provider'].pk}/", SIGNED_IN),
        Probe("provider form", lambda w: f"/marketplace/providers/{w.extra['provider'].pk}/edit/", PROVIDER),
        Probe("matched demand", lambda w: f"/marketplace/providers/{w.extra['provider'].pk}/demand/", PROVIDER),
    ],
    "marketplace.referencecase": [
        Probe("provider page (cases)", lambda w: f"/marketplace/providers/{w.extra['provider'].pk}/", SIGNED_IN),
        Probe("provider form (cases)", lambda w: f"/marketplace/providers/{w.extra['provider'].pk}/edit/", PROVIDER),
    ],
    "marketplace.challenge": [
        Probe("a draft", lambda w: f"/marketplace/challenges/{w.extra['draft'].pk}/", MEMBER),
        Probe("a draft's form", lambda w: f"/marketplace/challenges/{w.extra['draft'].pk}/edit/", MEMBER),
        Probe("a public challenge", lambda w: f"/marketplace/challenges/{w.extra['public'].pk}/", MEMBER_AND_PROVIDER),
        # published to invited providers only, and pete was not invited
        Probe("an invited-only challenge", lambda w: f"/marketplace/challenges/{w.extra['invited_only'].pk}/", MEMBER),
        Probe("a programme's draft", lambda w: f"/marketplace/challenges/{w.extra['for_programme'].pk}/", ORGANISER),
        Probe(
            "API public challenge",
            lambda w: f"/api/marketplace/challenges/{w.extra['public'].pk}",
            MEMBER_AND_PROVIDER,
            api=True,
        ),
        Probe("API draft", lambda w: f"/api/marketplace/challenges/{w.extra['draft'].pk}", MEMBER, api=True),
    ],
    "marketplace.proposal": [
        Probe(
            "shortlist (the publisher)",
            lambda w: f"/marketplace/proposals/{w.extra['proposal'].pk}/shortlist/",
            MEMBER,
            method="post",
        ),
        Probe(
            "withdraw (the provider)",
            lambda w: f"/marketplace/proposals/{w.extra['proposal'].pk}/withdraw/",
            PROVIDER,
            method="post",
        ),
    ],
    "marketplace.attachment": [
        # a proposal's PDF: its provider and the challenge's publisher, nobody else
        Probe("download", lambda w: f"/marketplace/attachments/{w.extra['attachment'].pk}/", MEMBER_AND_PROVIDER),
        Probe(
            "attach to the proposal (the provider)",
            lambda w: f"/marketplace/proposals/{w.extra['proposal'].pk}/attach/",
            PROVIDER,
            method="post",
        ),
    ],
    "marketplace.question": [
        # a provider's question reaches the publisher only; the public challenge page shows each side its own
        Probe(
            "answer (the publisher)",
            lambda w: f"/marketplace/questions/{w.extra['question'].pk}/answer/",
            MEMBER,
            method="post",
            data=lambda w: {"answer": "可以，分两期。"},
        ),
        Probe(
            "ask on a challenge the user can see",
            lambda w: f"/marketplace/challenges/{w.extra['invited_only'].pk}/ask/",
            frozenset(),
            method="post",
            data=lambda w: {"text": "能否延期？"},
        ),
    ],
    "marketplace.jointmember": [
        # the invited firm decides; the organiser drafts from its own programme's demand and sees the firms
        Probe(
            "opt in (the invited firm)",
            lambda w: f"/marketplace/joint/members/{w.extra['joint_member'].pk}/join/",
            MEMBER,
            method="post",
        ),
        Probe(
            "the joint challenge, a draft",
            lambda w: f"/marketplace/challenges/{w.extra['joint'].pk}/",
            MEMBER | ORGANISER,
        ),
        Probe(
            "draft from the city × scenario demand",
            lambda w: (
                f"/marketplace/joint/new/?programme={w.programme.pk}&scenario={w.extra['joint'].scenario}"
                f"&city={w.extra['joint'].city}"
            ),
            ORGANISER,
        ),
    ],
    # an organiser of the firm's programme confirms its stated chain leadership (test_chain_leader.py: the rules)
    "marketplace.chainleaderconfirmation": [
        Probe(
            "confirm a participant's chain leadership",
            lambda w: f"/marketplace/chain/confirm/{w.programme.pk}/{w.participant.pk}/",
            ORGANISER,
            method="post",
            data=lambda w: {"action": "confirm"},
        ),
    ],
    "marketplace.shareditem": [
        # shared with the whole marketplace: the enterprise and providers see the item, never the plan
        Probe("shared item", lambda w: f"/marketplace/shares/{w.extra['share'].pk}/", MEMBER_AND_PROVIDER),
        Probe(
            "the plan item behind it",
            lambda w: f"/marketplace/plans/{w.plan.pk}/items/{w.extra['share'].scenario}/",
            MEMBER,
        ),
        Probe("withdraw", lambda w: f"/marketplace/shares/{w.extra['share'].pk}/withdraw/", MEMBER, method="post"),
    ],
    "jobs.batchjob": [
        Probe("the programme's batch jobs", lambda w: f"/jobs/programmes/{w.programme.pk}/", ORGANISER),
        Probe("a job", lambda w: f"/jobs/{w.extra['job'].pk}/", ORGANISER),
        Probe("its progress", lambda w: f"/jobs/{w.extra['job'].pk}/progress/", ORGANISER),
        Probe(
            "start one",
            lambda w: f"/jobs/programmes/{w.programme.pk}/start/",
            ORGANISER,
            method="post",
            data=lambda w: {"kind": "regenerate", "lang": "zh"},
        ),
    ],
    "jobs.batchitem": [
        # one per participant: listed with their status and errors on the job's page and in its summary
        Probe("a job's items", lambda w: f"/jobs/{w.extra['job'].pk}/", ORGANISER),
        Probe("summary workbook", lambda w: f"/jobs/{w.extra['job'].pk}/summary.xlsx", ORGANISER),
    ],
    "api.apitoken": [
        Probe(
            "revoke",
            lambda w: f"/settings/api-tokens/{w.users['member'].api_tokens.get().pk}/revoke/",  # type: ignore[union-attr]
            MEMBER,
            method="post",
        ),
    ],
}

ADMIN_ONLY: dict[str, str] = {
    "accounts.user": "accounts are created by invitation, import or the admin; nobody browses users",
    "accounts.loginfailure": "throttling records, read by the sign-in form only",
    "accounts.auditevent": "the audit log, read in the admin by staff",
    "catalog.catalogstate": "the knowledge base's revision counter",
    "insights.cellrelease": "stored peer, chain and city releases, read only through peer_scores, chain_cells and "
    "city_figures, which apply each reader's minimum (docs/security.md); no page or API lists them",
}
# the knowledge base is edited by catalog editors and admins in the admin (and read by any signed-in user through
# the API)
ADMIN_ONLY_APPS = {
    "catalog": "the knowledge base is edited by catalog editors and admins in the admin (see the catalog section "
    "below); read-only elsewhere"
}
FRAMEWORK_APPS = {"admin", "auth", "contenttypes", "sessions", "django_tasks_database"}


def platform_models() -> list[str]:
    return sorted(m._meta.label_lower for m in apps.get_models() if m._meta.app_label not in FRAMEWORK_APPS)


def test_every_model_is_in_the_matrix() -> None:
    missing = [
        label
        for label in platform_models()
        if label not in PROBES and label not in ADMIN_ONLY and label.split(".")[0] not in ADMIN_ONLY_APPS
    ]
    assert not missing, f"decide who may reach these models and add them to PROBES or ADMIN_ONLY: {missing}"


@pytest.mark.parametrize("label", sorted(PROBES))
def test_each_role_reaches_a_model_only_where_it_is_entitled(label: str) -> None:
    world = build_world()
    wrong = []
    for probe in PROBES[label]:
        for role in ROLES:
            status = outcome(probe, world, role)
            ok = status < 400 if role in probe.allowed else status == expected_denial(role)
            if not ok:
                wrong.append(f"{probe.what} as {role}: {status}")
    assert not wrong, f"{label}: " + "; ".join(wrong)


@pytest.mark.parametrize("label", [m for m in platform_models() if m not in PROBES])
def test_admin_only_models_stay_behind_the_admin(label: str) -> None:
    app_label, model = label.split(".")
    for role in ROLES:
        user = make_user(f"u-{role}", Role.PROVIDER if role == "provider" else Role.ENTERPRISE)
        client = Client()
        if role != "anonymous":
            client.force_login(user)
        response = client.get(f"/admin/{app_label}/{model}/")
        assert response.status_code == 302, f"{label} as {role}: {response.status_code}"
        assert "/admin/login/" in response["Location"]


# --- the knowledge base: who may change it ------------------------------------------------------------------
#
# The catalog is platform-wide: every programme's plans are built from it, and a name in it reaches every plan
# page. So only catalog editors and admins change it (here in the admin; the site's editor and the organisers'
# proposals, which an editor reviews, are tested in tests/web/catalog/); a programme organiser may read it. Every signed-in role is given staff status here, the most an
# account of that role can have, so the admin's own staff check is not what keeps them out.

CATALOG_ROLES: dict[str, str | None] = {
    "anonymous": None,
    "enterprise": Role.ENTERPRISE,
    "organiser": Role.ORGANISER,
    "provider": Role.PROVIDER,
    "catalog_editor": Role.CATALOG_EDITOR,
    "admin": Role.ADMIN,
}
CATALOG_WRITERS = frozenset({"catalog_editor", "admin"})
CATALOG_READERS = CATALOG_WRITERS | {"organiser"}
CATALOG_MODELS = ("scenarioentry", "policyentry", "priceentry", "questionnaireversion")


def _catalog_user(role: str) -> User | None:
    kind = CATALOG_ROLES[role]
    if kind is None:
        return None
    user = make_user(f"catalog-{role}", kind)
    user.is_staff = True
    user.is_superuser = kind == Role.ADMIN  # as `wendao demo` makes its admin
    user.save()
    return user


def _denied(role: str, response: Any) -> bool:
    if role == "anonymous":
        return response.status_code == 302 and "/admin/login/" in response["Location"]
    return response.status_code == 403


@pytest.mark.parametrize("model", CATALOG_MODELS)
def test_only_catalog_editors_and_admins_change_the_knowledge_base(model: str) -> None:
    seed_catalog()
    model_class = apps.get_model("catalog", model)
    entry = model_class.objects.order_by("key").first()
    assert entry is not None
    base = f"/admin/catalog/{model}/"
    wrong = []
    for role in CATALOG_ROLES:
        user = _catalog_user(role)
        client = Client()
        if user is not None:
            client.force_login(user)
        entry.refresh_from_db()
        revision = entry.revision
        reads = [client.get(base), client.get(f"{base}{entry.pk}/change/")]
        for response in reads:
            ok = response.status_code == 200 if role in CATALOG_READERS else _denied(role, response)
            if not ok:
                wrong.append(f"read {response.request['PATH_INFO']} as {role}: {response.status_code}")
        change = client.post(f"{base}{entry.pk}/change/", entry_form(entry, source=f"changed by {role}"))
        add = client.post(f"{base}add/", entry_form(entry, key=f"{entry.key}-{role}", active=""))
        added = model_class.objects.filter(key=f"{entry.key}-{role}").first()
        delete = client.post(f"{base}{(added or entry).pk}/delete/", {"post": "yes"})
        entry.refresh_from_db()
        if role in CATALOG_WRITERS:
            outcomes = {
                "change": change.status_code == 302 and entry.source == f"changed by {role}",
                "add": add.status_code == 302 and added is not None,
                "delete": delete.status_code == 302
                and not model_class.objects.filter(key=f"{entry.key}-{role}").exists(),
                "audit": AuditEvent.objects.filter(actor=user, action__startswith="catalog.").count() == 3,
            }
        else:
            outcomes = {
                "change": _denied(role, change) and entry.revision == revision,
                "add": _denied(role, add) and added is None,
                "delete": _denied(role, delete) and model_class.objects.filter(pk=entry.pk).exists(),
                "no audit": not AuditEvent.objects.filter(actor=user).exists() if user else True,
            }
        wrong += [f"{what} as {role}" for what, ok in outcomes.items() if not ok]
    assert not wrong, f"catalog.{model}: " + "; ".join(wrong)


def test_the_api_only_reads_the_knowledge_base() -> None:
    """No operation of the open API writes the catalog: the admin above is its only write path."""
    response = Client().get("/api/openapi.json")
    writes = [
        f"{method.upper()} {path}"
        for path, operations in response.json()["paths"].items()
        if path.startswith("/api/catalog")  # (POST /api/scenarios/match searches, it writes nothing)
        for method in operations
        if method in ("post", "put", "patch", "delete")
    ]
    assert response.status_code == 200
    assert not writes, writes


def test_a_city_official_counts_an_enterprise_only_in_its_city_and_with_its_consent() -> None:
    world = build_world()
    name = world.enterprise.name

    def listed(role: str) -> bool:
        client = Client()
        client.force_login(world.users[role])  # type: ignore[arg-type]
        return name in client.get("/insights/city/").content.decode()

    assert listed("city_official")
    assert not listed("other_city_official")
    CityShare.objects.filter(enterprise=world.enterprise).delete()  # the member withdrew
    assert not listed("city_official")
