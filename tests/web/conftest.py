"""Personas (healthchecks style): alice and bob run two different enterprises, olivia organises the
programme, pete is a provider. Enterprises are built through the real use cases from the example files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone, translation

from wendao.engine.profile import read_profile_file
from wendao.web.accounts.models import Role, User
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises import services
from wendao.web.enterprises.models import AssessmentRound, Enterprise, PlanRecord
from wendao.web.programmes.models import Participant, Programme

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "correct horse battery staple"


def pytest_configure(config: Any) -> None:
    # whitenoise warns that ./var/static does not exist before the first `wendao demo` (collectstatic);
    # in tests the files are served through the finders.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request through the test client leaves its language active in the thread (LocaleMiddleware activates it
    # and nothing resets it), so a test after an English request would read English from code it calls directly.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_plans(settings: Any) -> None:
    # The need matcher (embeddings) takes seconds to build; the engine's own tests cover it.
    settings.WENDAO_PLAN_MATCHER = False


def example_data(name: str = "weifang_machinery") -> dict[str, Any]:
    return read_profile_file(EXAMPLES / f"{name}.yaml")


def make_user(username: str, role: str = Role.ENTERPRISE) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, role=role)


def make_enterprise(
    user: User | None, name: str = "weifang_machinery", complete: bool = True, **changes: Any
) -> Enterprise:
    data = example_data(name) | changes
    enterprise = services.save_profile(user, data)
    loaded = active_catalog()
    rnd = services.open_round(enterprise, loaded)
    if complete:
        rnd.answers = data["answers"]
        rnd.save()
        services.complete_round(user, rnd, loaded)
    return enterprise


@pytest.fixture
def alice(db: Any) -> User:
    return make_user("alice")


@pytest.fixture
def bob(db: Any) -> User:
    return make_user("bob")


@pytest.fixture
def olivia(db: Any) -> User:
    return make_user("olivia", Role.ORGANISER)


@pytest.fixture
def oscar(db: Any) -> User:
    """Organiser of another programme."""
    return make_user("oscar", Role.ORGANISER)


@pytest.fixture
def pete(db: Any) -> User:
    """A provider."""
    return make_user("pete", Role.PROVIDER)


@pytest.fixture
def programme(olivia: User) -> Programme:
    p = Programme.objects.create(name="2026 济南班")
    p.organisers.add(olivia)
    return p


@pytest.fixture
def other_programme(oscar: User) -> Programme:
    p = Programme.objects.create(name="2026 青岛班")
    p.organisers.add(oscar)
    return p


def join(programme: Programme, enterprise: Enterprise, **fields: Any) -> Participant:
    """A participant whose enterprise accepted the invitation: what an import followed by the member's
    ``accept_invitation`` leaves behind (tests/web/programmes/test_consent.py drives that path itself)."""
    return Participant.objects.create(programme=programme, enterprise=enterprise, joined_at=timezone.now(), **fields)


@pytest.fixture
def alice_participant(programme: Programme, alice_co: Enterprise) -> Participant:
    return join(programme, alice_co, contact_name="王丽", phone="13900000001")


@pytest.fixture
def link_contact(programme: Programme, alice: User, alice_participant: Participant) -> Participant:
    """Alice as a contact a sign-in link may sign in: the programme runs three more days, the import made her
    account (only such accounts get links) and she has not set a password of her own (she would sign in with it)."""
    programme.ends_on = timezone.localdate() + dt.timedelta(days=3)
    programme.save()
    alice_participant.account = alice
    alice_participant.account_created = True
    alice_participant.save()
    alice.set_unusable_password()
    alice.save()
    return alice_participant


@pytest.fixture
def alice_co(alice: User) -> Enterprise:
    return make_enterprise(alice)


@pytest.fixture
def bob_co(bob: User) -> Enterprise:
    return make_enterprise(bob, "zibo_chemical")


@pytest.fixture
def alice_open_round(alice: User) -> AssessmentRound:
    enterprise = make_enterprise(alice, complete=False)
    return enterprise.rounds.get()


@pytest.fixture
def alice_plan(alice: User, alice_co: Enterprise) -> PlanRecord:
    return services.create_plan(alice, alice_co, services.plan_options({}))


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
