"""Request and response bodies of the open API. Engine models are reused as they are wherever the engine
already defines the shape (Assessment, Plan, Scenario, Policy, Match): one definition, no drift."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from wendao.engine.assessment import Assessment
from wendao.engine.catalog.schema import Policy, Scenario
from wendao.engine.plan import Plan, PlanOptions
from wendao.engine.profile import MAX_ITEMS, Baseline, Constraints, EnterpriseProfile, Evidence
from wendao.engine.roadmap import Objective
from wendao.engine.search import Match
from wendao.engine.text import Line, Text

Answer = str | list[str]


class ErrorOut(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int] = Field(description='where the problem is, e.g. ["body", "city"]')
    msg: str = Field(description="what is wrong, in the request's language (Accept-Language; Chinese by default)")
    type: str = Field(description="the kind of problem, e.g. less_than_equal, missing, unknown_city")
    ctx: dict[str, Any] | None = Field(default=None, description="the figures it was judged on: limit, given")


class ValidationErrorOut(Schema):
    detail: list[FieldError]


class MeOut(Schema):
    id: int
    username: str
    role: str
    enterprises: list[int]


class EnterpriseOut(Schema):
    id: int
    name: str
    city: str
    industry: str
    industry_group: str
    chain: str
    employees: int
    revenue: float = Field(description="万元 per year")
    size_class: str = Field(description="NBS 2017 industrial size class, computed from employees and revenue")
    above_designated_size: bool = Field(description="规上, computed from revenue")
    synthetic: bool
    updated_at: datetime


class Profile(Schema):
    """The enterprise profile (the engine's EnterpriseProfile without answers and evidence, which live in the
    assessment rounds). PUT replaces it whole; the engine validates it against the active knowledge base."""

    name: str
    city: str = Field(description="city id (e.g. jinan) or Chinese name (济南)")
    industry: str = Field(description="GB/T 4754-2017 division C13–C43, optionally a 4-digit class (C3670)")
    chain: str | None = None
    employees: int
    revenue: float = Field(description="万元 per year")
    qualifications: list[str] = []
    systems: list[str] = []
    pain_points: list[str] = []
    goals: list[str] = []
    budget: float | None = Field(default=None, description="AI/digital budget per year, 万元")
    baseline: Baseline = Baseline()
    data_assets: list[str] = []
    constraints: Constraints = Constraints()


_ENGINE = EnterpriseProfile.model_fields


class ProfileIn(Profile):
    """The body of PUT /enterprises/{id}/profile: the profile with the engine's bounds. The engine validates
    the body (parse_profile); this schema documents the same ranges and lengths for clients. Stored profiles
    are served as ``Profile``."""

    name: str = _ENGINE["name"]
    employees: int = _ENGINE["employees"]
    revenue: float = _ENGINE["revenue"]
    qualifications: list[str] = Field(default=[], max_length=MAX_ITEMS)
    systems: list[str] = Field(default=[], max_length=MAX_ITEMS)
    pain_points: list[Line] = _ENGINE["pain_points"]
    goals: list[Line] = _ENGINE["goals"]
    budget: float | None = _ENGINE["budget"]
    data_assets: list[Line] = _ENGINE["data_assets"]


def request_body_schema(model: type[Schema]) -> dict[str, Any]:
    """A model's JSON schema for an operation's requestBody, its nested models referred to in components (where
    the response models have put them)."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    return schema


class RoundOut(Schema):
    id: int
    enterprise_id: int
    number: int = Field(description="0 for T0, 1 for T1, …")
    label: str = Field(description="the round's short name, T0, T1, … (stable: the pages name it 首次评估, 第2次评估 …)")
    questionnaire_version: str
    started_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    current: bool = Field(description="the enterprise's latest completed round")
    overall: float | None

    @staticmethod
    def resolve_label(obj: object) -> str:
        return str(getattr(obj, "code", getattr(obj, "label", "")))


class AssessmentOut(RoundOut):
    answers: dict[str, Answer]
    evidence: dict[str, str]
    result: Assessment | None = Field(
        description="scores by dimension, overall, official levels and gaps, once completed"
    )


class AnswerIn(Schema):
    value: Answer | None = Field(description="option id, list of option ids (multi) or 'na'; null clears the answer")
    evidence: Evidence | None = Field(default=None, description="figures or document name; omitted: left as it is")


class AnswerOut(Schema):
    question_id: str
    value: Answer | None
    evidence: str | None
    answered: int
    total: int


class PlanOptionsIn(Schema):
    # the ranges are the engine's (PlanOptions), not restated here
    budget: float | None = PlanOptions.model_fields["budget"]
    horizon_quarters: int | None = PlanOptions.model_fields["horizon_quarters"]
    objective: Objective = PlanOptions.model_fields["objective"]
    pin: list[str] = PlanOptions.model_fields["pin"]
    drop: list[str] = PlanOptions.model_fields["drop"]


class PlanOut(Schema):
    id: int
    enterprise_id: int
    round_id: int | None
    catalog_version: str
    options: dict[str, Any]
    created_at: datetime
    plan: Plan


class CatalogOut(Schema):
    version: str
    as_of: str
    counts: dict[str, int]


class ScenarioSummary(Schema):
    id: str
    kind: str
    name_zh: str
    name_en: str
    parent: str | None
    stage: str


class MatchIn(Schema):
    text: Text = Field(min_length=1, max_length=2000, description="a need in the plant manager's words (zh or en)")
    top: int = Field(default=5, ge=1, le=50)
    taxonomy: Literal["all", "miit", "ai"] = "all"


class DocumentQuery(Schema):
    format: Literal["pdf", "docx", "md", "json"] = "pdf"
    lang: Literal["zh", "en"] = "zh"
    prepare: bool = Field(
        False,
        description="PDF and Word: prepare the document on the task queue instead of in this request; until it is "
        "ready the answer is 202 with Retry-After (seconds), then the same request returns the document",
    )


class DocumentStateOut(Schema):
    state: Literal["preparing"]
    retry_after: int = Field(description="seconds to wait before asking again (also the Retry-After header)")


__all__ = ["Match", "Policy", "Scenario"]  # engine models served as they are
