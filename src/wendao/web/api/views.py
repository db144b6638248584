"""The open API (django-ninja): parse input, fetch through the web's access helpers, call the same use cases as
the web views (wendao.web.enterprises.services), serialise. No rules live here.

Every operation needs ``Authorization: Bearer <token>`` (personal tokens, see ``manage.py api_token``). Objects
the caller may not see are 404, never 403, exactly as in the web views.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import NinjaAPI, Query, Status
from ninja.errors import HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import ValidationError as PydanticValidationError

from wendao.engine.plan import ChoiceError, PlanError
from wendao.engine.profile import ProfileError, ProfileProblem
from wendao.report import CONTENT_TYPES
from wendao.web.accounts.models import User
from wendao.web.accounts.types import Visitor
from wendao.web.api import schemas as s
from wendao.web.api.parser import BodyError, BoundedParser, loads_body
from wendao.web.api.tokens import user_for_token
from wendao.web.catalog.services import active_catalog, scenario_matcher
from wendao.web.enterprises import prepared, services
from wendao.web.enterprises.access import (
    enterprises_for_user,
    get_enterprise_for_user,
    get_plan_for_user,
    get_round_for_user,
)
from wendao.web.enterprises.downloads import download_plan
from wendao.web.enterprises.models import AssessmentRound
from wendao.web.enterprises.profile_errors import problem_entry

DOCUMENT_FORMATS = ("pdf", "docx", "md", "json")


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return user_for_token(token)


api = NinjaAPI(
    title="问道 wendao API",
    version="1",
    description="Enterprises, assessments, plans and the knowledge base of wendao. "
    "Authenticate with a personal token: `Authorization: Bearer <token>`.",
    urls_namespace="api",
    auth=TokenAuth(),
    parser=BoundedParser(),
)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """As ninja's, except that a body ninja could not parse says why (nested too deep, NaN, not JSON)."""
    detail = str(exc)
    if isinstance(exc.__cause__, BodyError) and str(exc.__cause__) not in detail:
        detail = f"{detail}: {exc.__cause__}"
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


PREPARE_POLL = 1  # seconds an API client waits before asking for a document being prepared again
UNAUTHORIZED = {401: s.ErrorOut}  # no, unknown or revoked token
NOT_FOUND = {404: s.ErrorOut}
INVALID = {422: s.ValidationErrorOut}


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]  # set by TokenAuth: the token's user


def _field_errors(details: list[ProfileProblem]) -> ValidationError:
    """The engine's problems (values: field, kind, limit, value given) as the API's 422 body, one entry each, the
    message in the request's language (enterprises/profile_errors.py renders it for the form too)."""
    return ValidationError([problem_entry(p) for p in details])


def _pydantic_errors(exc: PydanticValidationError) -> ValidationError:
    return ValidationError(
        [{"loc": ["body", *exc_loc["loc"]], "msg": exc_loc["msg"], "type": exc_loc["type"]} for exc_loc in exc.errors()]
    )


def _json_object(request: HttpRequest) -> dict[str, Any]:
    try:
        data = loads_body(request.body or b"null")
    except BodyError as exc:
        raise ValidationError([{"loc": ["body"], "msg": str(exc), "type": "json_invalid"}]) from None
    if not isinstance(data, dict):
        raise ValidationError([{"loc": ["body"], "msg": "expected a JSON object", "type": "dict_type"}])
    return data


def _round_for_user(user: Visitor, pk: int) -> AssessmentRound:
    """A round by its id, through the access helper (which decides, and answers 404 for non-members)."""
    ref = AssessmentRound.objects.filter(pk=pk).values_list("enterprise_id", "number").first()
    if ref is None:
        raise Http404("no such assessment")
    return get_round_for_user(user, ref[0], ref[1])


# --- the caller and their enterprises -----------------------------------------------------------------


@api.get("/me", response={200: s.MeOut, **UNAUTHORIZED}, tags=["enterprises"])
def me(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    ids = list(enterprises_for_user(user).order_by("id").values_list("id", flat=True))
    return {"id": user.pk, "username": user.username, "role": user.role, "enterprises": ids}


@api.get("/enterprises", response={200: list[s.EnterpriseOut], **UNAUTHORIZED}, tags=["enterprises"])
def enterprise_list(request: HttpRequest) -> Any:
    return enterprises_for_user(_user(request)).order_by("id")


@api.get("/enterprises/{id}/profile", response={200: s.Profile, **UNAUTHORIZED, **NOT_FOUND}, tags=["enterprises"])
def profile_get(request: HttpRequest, id: int) -> Any:
    return get_enterprise_for_user(_user(request), id).profile


@api.put(
    "/enterprises/{id}/profile",
    response={200: s.Profile, **UNAUTHORIZED, **NOT_FOUND, **INVALID},
    tags=["enterprises"],
    # The body is validated by the engine (parse_profile) alone, so one answer names every problem;
    # the schema is documented here for clients.
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": s.request_body_schema(s.ProfileIn)}},
        }
    },
)
def profile_put(request: HttpRequest, id: int) -> Any:
    user = _user(request)
    enterprise = get_enterprise_for_user(user, id)
    data = _json_object(request)
    try:
        enterprise = services.save_profile(user, data, enterprise)
    except ProfileError as exc:
        raise _field_errors(exc.details) from None
    return enterprise.profile


# --- assessments ---------------------------------------------------------------------------------------


@api.get(
    "/enterprises/{id}/assessments", response={200: list[s.RoundOut], **UNAUTHORIZED, **NOT_FOUND}, tags=["assessments"]
)
def assessment_list(request: HttpRequest, id: int) -> Any:
    enterprise = get_enterprise_for_user(_user(request), id)
    return enterprise.rounds.order_by("number")


@api.get("/assessments/{id}", response={200: s.AssessmentOut, **UNAUTHORIZED, **NOT_FOUND}, tags=["assessments"])
def assessment_get(request: HttpRequest, id: int) -> Any:
    return _round_for_user(_user(request), id)


@api.put(
    "/assessments/{id}/answers/{question_id}",
    response={200: s.AnswerOut, 409: s.ErrorOut, **UNAUTHORIZED, **NOT_FOUND, **INVALID},
    tags=["assessments"],
)
def answer_put(request: HttpRequest, id: int, question_id: str, payload: s.AnswerIn) -> Any:
    """Autosave one answer, as the wizard does (audited). 409 when the round is already completed."""
    user = _user(request)
    rnd = _round_for_user(user, id)
    loaded = active_catalog()
    if not any(q.id == question_id for q in loaded.questionnaire.questions):
        raise Http404("no such question")
    try:
        problems = services.save_answer(user, rnd.pk, question_id, payload.value, payload.evidence, loaded)
    except services.RoundClosedError:
        return Status(409, {"detail": f"assessment {rnd.code} is completed; its answers can no longer change"})
    if problems:
        raise ValidationError([{"loc": ["body", "value"], "msg": p, "type": "value_error"} for p in problems])
    rnd.refresh_from_db()
    answered, total = services.progress(rnd, loaded)
    return {
        "question_id": question_id,
        "value": rnd.answers.get(question_id),
        "evidence": rnd.evidence.get(question_id),
        "answered": answered,
        "total": total,
    }


# --- plans ---------------------------------------------------------------------------------------------


@api.post(
    "/enterprises/{id}/plans",
    response={201: s.PlanOut, 409: s.ErrorOut, **UNAUTHORIZED, **NOT_FOUND, **INVALID},
    tags=["plans"],
)
def plan_create(request: HttpRequest, id: int, payload: s.PlanOptionsIn) -> Any:
    """A new plan from the latest completed assessment (409 without one) and the active knowledge base."""
    user = _user(request)
    enterprise = get_enterprise_for_user(user, id)
    try:
        options = services.plan_options(payload.model_dump(exclude_none=True))
    except PydanticValidationError as exc:
        raise _pydantic_errors(exc) from None
    try:
        return Status(201, services.create_plan(user, enterprise, options))
    except services.NoAssessmentError as exc:
        return Status(409, {"detail": str(exc)})
    except PlanError as exc:
        raise _field_errors(exc.details) from None
    except ChoiceError as exc:  # a pin or drop: in the request's language, located at the option
        problems = exc.problems if (get_language() or "").startswith("en") else exc.problems_zh
        raise ValidationError(
            [
                {"loc": ["body", field], "msg": msg, "type": "value_error"}
                for field, msg in zip(exc.fields, problems, strict=True)
            ]
        ) from None


@api.get("/plans/{id}", response={200: s.PlanOut, **UNAUTHORIZED, **NOT_FOUND}, tags=["plans"])
def plan_get(request: HttpRequest, id: int) -> Any:
    return get_plan_for_user(_user(request), id)


@api.get(
    "/plans/{id}/document",
    response={202: s.DocumentStateOut, 503: s.ErrorOut, **UNAUTHORIZED, **NOT_FOUND, **INVALID},
    tags=["plans"],
    openapi_extra={
        "responses": {
            "200": {
                "description": "the plan as a document",
                "content": {
                    CONTENT_TYPES[f].split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                    for f in DOCUMENT_FORMATS
                },
            }
        }
    },
)
def plan_document(request: HttpRequest, id: int, params: Query[s.DocumentQuery]) -> Any:
    rec = get_plan_for_user(_user(request), id)
    if params.prepare and params.format in prepared.PREPARED_FORMATS:
        # on the task queue like the plan page's download (enterprises/prepared.py): 202 until it is ready
        state = prepared.request_document(rec, params.format, params.lang)
        if state.state != "ready":
            failed = state.state == "failed"
            if failed:  # said once; the next request queues a new attempt
                prepared.retry_document(rec, params.format, params.lang)
            body = {"detail": f"the document could not be made: {state.error}"} if failed else None
            response = api.create_response(
                request, body or {"state": "preparing", "retry_after": PREPARE_POLL}, status=503 if failed else 202
            )
            response["Retry-After"] = str(PREPARE_POLL)
            return response
    return download_plan(_user(request), rec, params.format, params.lang, "api").response()


# --- knowledge base (read-only, any authenticated user) -------------------------------------------------


@api.get("/catalog", response={200: s.CatalogOut, **UNAUTHORIZED}, tags=["catalog"])
def catalog(request: HttpRequest) -> dict[str, Any]:
    loaded = active_catalog()
    scenarios = loaded.catalog.scenarios
    return {
        "version": loaded.version,
        "as_of": loaded.catalog.as_of.isoformat(),
        "counts": {
            "scenarios": len(scenarios),
            "miit_scenarios": sum(1 for x in scenarios if x.kind == "miit"),
            "ai_scenarios": sum(1 for x in scenarios if x.kind == "ai"),
            "policies": len(loaded.policies),
            "questions": len(loaded.questionnaire.questions),
            "industries": len(loaded.catalog.industries),
            "cities": len(loaded.catalog.cities),
        },
    }


@api.get("/catalog/scenarios", response={200: list[s.ScenarioSummary], **UNAUTHORIZED}, tags=["catalog"])
def scenario_list(request: HttpRequest) -> Any:
    return active_catalog().catalog.scenarios


@api.get("/catalog/scenarios/{id}", response={200: s.Scenario, **UNAUTHORIZED, **NOT_FOUND}, tags=["catalog"])
def scenario_get(request: HttpRequest, id: str) -> Any:
    for scenario in active_catalog().catalog.scenarios:
        if scenario.id == id:
            return scenario
    raise Http404("no such scenario")


@api.get("/catalog/policies", response={200: list[s.Policy], **UNAUTHORIZED}, tags=["catalog"])
def policy_list(request: HttpRequest) -> Any:
    return list(active_catalog().policies)


@api.post(
    "/scenarios/match", response={200: list[s.Match], 503: s.ErrorOut, **UNAUTHORIZED, **INVALID}, tags=["catalog"]
)
def scenario_match(request: HttpRequest, payload: s.MatchIn) -> Any:
    """A need in free text -> ranked scenarios, with the web's cached matcher (503 where it is switched off)."""
    matcher = scenario_matcher(active_catalog())
    if matcher is None:
        return Status(503, {"detail": "scenario matching is switched off on this server (WENDAO_PLAN_MATCHER)"})
    return matcher.match(payload.text, top=payload.top, taxonomy=payload.taxonomy)


api.add_router("/programmes", "wendao.web.api.programmes.router")  # organisers: programmes, participants, groups
api.add_router("/marketplace", "wendao.web.api.marketplace.router")  # challenges, proposals, providers, matching
api.add_router("/ask", "wendao.web.api.ask.router")  # a participant's question -> an answer from the engine
