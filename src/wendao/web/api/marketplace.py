"""The marketplace part of the open API: 揭榜挂帅 challenges, proposals, the provider directory and matching.

Fetches go through ``wendao.web.marketplace.access`` (the web's helpers: 404, never 403) and changes through
``wendao.web.marketplace.services`` (the web's use cases, validated and audited). A rule the caller runs into is
409 (a transition the challenge's state does not allow) or 422 naming the field; never a 5xx.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import field_validator

from wendao.web.api.schemas import ErrorOut, ValidationErrorOut
from wendao.web.enterprises.access import get_plan_for_user
from wendao.web.marketplace import access, services
from wendao.web.marketplace.models import Challenge, Provider

router = Router(tags=["marketplace"])

UNAUTHORIZED = {401: ErrorOut}
NOT_FOUND = {404: ErrorOut}
INVALID = {422: ValidationErrorOut}
CONFLICT = {409: ErrorOut}
MONEY = 1e7  # 万元: far above any project, keeps infinities and typos out


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]  # set by the API's TokenAuth: the token's user


def _no_nul(value: Any) -> Any:
    # PostgreSQL text cannot hold NUL; refuse it at the edge like any other bad character
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _field_error(exc: services.MarketplaceError) -> ValidationError:
    loc: list[str | int] = ["body", exc.field] if exc.field else ["body"]
    return ValidationError([{"loc": loc, "msg": exc.message, "type": "value_error"}])


# --- schemas ----------------------------------------------------------------------------------------------


class ChallengeOut(Schema):
    id: int
    title: str
    scenario: str = Field(description="catalog scenario id")
    description: str
    requirements: str
    budget: float | None = Field(description="万元")
    deadline: date | None
    visibility: Literal["public", "invited"]
    state: Literal["draft", "published", "shortlisting", "awarded", "closed", "cancelled"]
    enterprise_id: int | None = Field(description="the publishing enterprise, or null when a programme publishes")
    programme_id: int | None
    publisher: str = Field(description="the publishing enterprise's or programme's name")
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_publisher(obj: Challenge) -> str:
        return obj.publisher_name


class ChallengeIn(Schema):
    enterprise_id: int | None = Field(default=None, description="publish for this enterprise (you are a member)")
    programme_id: int | None = Field(default=None, description="or for this programme (you organise it)")
    title: str = Field(min_length=1, max_length=200)
    scenario: str = Field(min_length=1, max_length=64, description="catalog scenario id, see /catalog/scenarios")
    description: str = Field(min_length=1, max_length=10000)
    requirements: str = Field(default="", max_length=10000)
    budget: float | None = Field(default=None, ge=0, le=MONEY, description="万元")
    deadline: date | None = Field(default=None, description="must be after today to publish")
    visibility: Literal["public", "invited"] = "public"

    _clean = field_validator("title", "scenario", "description", "requirements")(_no_nul)


class TransitionIn(Schema):
    action: Literal["publish", "shortlist", "close", "cancel"] = Field(
        description="publish (draft → published), shortlist (stop taking proposals, review), "
        "close (no award), cancel (any state not final)"
    )


class ProposalIn(Schema):
    approach: str = Field(min_length=1, max_length=10000)
    price: float = Field(ge=0, le=MONEY, description="万元")
    duration_months: int = Field(ge=1, le=120)
    team: str = Field(default="", max_length=5000)
    provider_id: int | None = Field(default=None, description="which of your providers; default: your first")

    _clean = field_validator("approach", "team")(_no_nul)


class ProposalOut(Schema):
    id: int
    challenge_id: int
    provider_id: int
    provider_name: str
    approach: str
    price: float
    duration_months: int
    team: str
    state: Literal["submitted", "shortlisted", "awarded", "not_selected", "withdrawn"]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_provider_name(obj: Any) -> str:
        return str(obj.provider.name)


class ProviderOut(Schema):
    id: int
    name: str
    kind: Literal["ai_firm", "university", "capability_centre", "other"]
    description: str
    scenario_ids: list[str]
    industries: list[str] = Field(description="GB/T 4754 divisions; empty = any")
    regions: list[str] = Field(description="catalog city ids; empty = anywhere")
    price_low: float | None = Field(description="万元")
    price_high: float | None = Field(description="万元")
    contact_name: str
    contact_phone: str
    contact_email: str
    website: str
    synthetic: bool


class ProviderMatchOut(Schema):
    provider: ProviderOut
    score: float = Field(description="0–1")
    parts: dict[str, float]
    reasons_zh: list[str]
    reasons_en: list[str]
    matched_terms: list[str]


class MatchQuery(Schema):
    top: int = Field(default=10, ge=1, le=50)


def _matches(rows: list[services.MatchedProvider]) -> list[dict[str, Any]]:
    return [{"provider": r.provider} | r.match.model_dump(exclude={"provider_id"}) for r in rows]


# --- challenges -------------------------------------------------------------------------------------------


@router.get("/challenges", response={200: list[ChallengeOut], **UNAUTHORIZED})
def challenge_list(request: HttpRequest) -> Any:
    """Challenges you may see: your enterprises' or programmes' (drafts too); as a provider, the public ones,
    those you were invited to and those you proposed to."""
    return access.challenges_for_user(_user(request)).select_related("enterprise", "programme")[:500]


@router.post("/challenges", response={201: ChallengeOut, **UNAUTHORIZED, **NOT_FOUND, **INVALID})
def challenge_create(request: HttpRequest, payload: ChallengeIn) -> Any:
    """A draft challenge for one of your enterprises or programmes (exactly one of the two ids)."""
    user = _user(request)
    ids = {"enterprise": payload.enterprise_id, "programme": payload.programme_id}
    given = [(kind, pk) for kind, pk in ids.items() if pk is not None]
    if len(given) != 1:
        raise ValidationError(
            [{"loc": ["body", "enterprise_id"], "msg": "give enterprise_id or programme_id", "type": "value_error"}]
        )
    found = access.get_publisher_for_user(user, *given[0])
    data = payload.model_dump(exclude={"enterprise_id", "programme_id"})
    try:
        return Status(201, services.create_challenge(user, found, data))
    except services.MarketplaceError as exc:
        raise _field_error(exc) from None


@router.get("/challenges/{id}", response={200: ChallengeOut, **UNAUTHORIZED, **NOT_FOUND})
def challenge_get(request: HttpRequest, id: int) -> Any:
    return access.get_challenge_for_user(_user(request), id)


@router.post(
    "/challenges/{id}/transitions", response={200: ChallengeOut, **UNAUTHORIZED, **NOT_FOUND, **CONFLICT, **INVALID}
)
def challenge_transition(request: HttpRequest, id: int, payload: TransitionIn) -> Any:
    """Move your challenge on (audited). 409 when its state does not allow the action; 422 when publishing
    lacks something (the field is named)."""
    user = _user(request)
    challenge = access.get_challenge_for_publisher(user, id)
    try:
        return services.transition_challenge(user, challenge, payload.action)
    except services.TransitionError as exc:
        return Status(409, {"detail": exc.message})
    except services.MarketplaceError as exc:
        raise _field_error(exc) from None


@router.get("/challenges/{id}/proposals", response={200: list[ProposalOut], **UNAUTHORIZED, **NOT_FOUND})
def proposal_list(request: HttpRequest, id: int) -> Any:
    """Every proposal, for the publisher; your own, for a provider."""
    user = _user(request)
    challenge = access.get_challenge_for_user(user, id)
    return access.proposals_for_user(user).filter(challenge=challenge).order_by("id")


@router.post(
    "/challenges/{id}/proposals",
    response={201: ProposalOut, **UNAUTHORIZED, **NOT_FOUND, **CONFLICT, **INVALID},
)
def proposal_submit(request: HttpRequest, id: int, payload: ProposalIn) -> Any:
    """Submit (or revise) your provider's proposal while the challenge takes proposals (409 otherwise)."""
    user = _user(request)
    challenge = access.get_challenge_for_user(user, id)
    own = access.providers_of_member(user)
    provider = (own.filter(pk=payload.provider_id) if payload.provider_id is not None else own.order_by("id")).first()
    if provider is None:
        raise Http404("no such provider")
    try:
        proposal = services.submit_proposal(user, challenge, provider, payload.model_dump(exclude={"provider_id"}))
    except services.TransitionError as exc:
        return Status(409, {"detail": exc.message})
    except services.MarketplaceError as exc:
        raise _field_error(exc) from None
    return Status(201, proposal)


@router.get("/challenges/{id}/matches", response={200: list[ProviderMatchOut], **UNAUTHORIZED, **NOT_FOUND, **INVALID})
def challenge_matches(request: HttpRequest, id: int, params: Query[MatchQuery]) -> Any:
    """Listed providers ranked for your challenge, with reasons (zh and en)."""
    challenge = access.get_challenge_for_publisher(_user(request), id)
    return _matches(services.match_providers(services.need_for_challenge(challenge), top=params.top))


# --- providers and plan items -----------------------------------------------------------------------------


@router.get("/providers", response={200: list[ProviderOut], **UNAUTHORIZED})
def provider_list(request: HttpRequest) -> Any:
    """The public provider directory (listed providers)."""
    return access.providers_visible_to_user(_user(request)).filter(listed=True).order_by("id")[:1000]


@router.get("/providers/{id}", response={200: ProviderOut, **UNAUTHORIZED, **NOT_FOUND})
def provider_get(request: HttpRequest, id: int) -> Provider:
    return access.get_provider_for_user(_user(request), id)


@router.get(
    "/plans/{id}/items/{scenario}/matches",
    response={200: list[ProviderMatchOut], **UNAUTHORIZED, **NOT_FOUND, **INVALID},
)
def plan_item_matches(request: HttpRequest, id: int, scenario: str, params: Query[MatchQuery]) -> Any:
    """Listed providers ranked for one roadmap item of your enterprise's plan."""
    rec = get_plan_for_user(_user(request), id)
    try:
        need = services.need_for_plan_item(rec, scenario)
    except services.MarketplaceError:
        raise Http404("no such plan item") from None
    return _matches(services.match_providers(need, top=params.top))
