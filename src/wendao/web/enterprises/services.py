"""Use cases of the enterprise journey. Views call these; the rules themselves live in wendao.engine."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wendao import report
from wendao.engine.assessment import Assessment, assess, validate_answers
from wendao.engine.catalog import LoadedCatalog
from wendao.engine.catalog.cache import engine_identity
from wendao.engine.catalog.schema import Dimension, Question
from wendao.engine.plan import Plan, PlanError, PlanOptions, build_plan
from wendao.engine.profile import MAX_EVIDENCE_LENGTH, EnterpriseProfile, ProfileError, parse_profile
from wendao.engine.text import control_character
from wendao.report import peers as report_peers
from wendao.web.accounts.audit import record
from wendao.web.accounts.types import Actor
from wendao.web.catalog.services import active_catalog, scenario_matcher
from wendao.web.enterprises.access import known_to_its_readers
from wendao.web.enterprises.models import AssessmentRound, DimensionResult, Enterprise, Membership, PlanRecord
from wendao.web.enterprises.plan_hooks import build_wrapped

# --- profile ----------------------------------------------------------------------------------------

ROUND_FIELDS = ("answers", "evidence")


def profile_of(
    enterprise: Enterprise, rnd: AssessmentRound | None = None, loaded: LoadedCatalog | None = None
) -> EnterpriseProfile:
    """The one seam from the database to the engine: stored profile + the answers of a round."""
    data = dict(enterprise.profile)
    if rnd is not None:
        data["answers"] = rnd.answers
        data["evidence"] = rnd.evidence
    return parse_profile(data, loaded or active_catalog())


def _columns(profile: EnterpriseProfile, loaded: LoadedCatalog) -> dict[str, Any]:
    group = next(i.group for i in loaded.catalog.industries if i.code == profile.division)
    stored = profile.model_dump(mode="json", exclude=set(ROUND_FIELDS))
    return {
        "name": profile.name,
        "city": profile.city,
        "industry": profile.industry,
        "industry_group": group,
        "chain": profile.chain or "",
        "employees": profile.employees,
        "revenue": profile.revenue,
        "size_class": profile.size_class,
        "above_designated_size": profile.above_designated_size,
        "profile": stored,
    }


@transaction.atomic
def save_profile(
    user: Actor,
    data: dict[str, Any],
    enterprise: Enterprise | None = None,
    synthetic: bool = False,
    member: bool = True,
) -> Enterprise:
    """Validate with the engine (raises ProfileError) and store; a new enterprise makes the user its member,
    unless ``member`` is false (an organiser recording an invited firm from an import row)."""
    loaded = active_catalog()
    profile = parse_profile({k: v for k, v in data.items() if k not in ROUND_FIELDS}, loaded)
    columns = _columns(profile, loaded)
    if enterprise is None:
        enterprise = Enterprise.objects.create(synthetic=synthetic, **columns)
        if member and getattr(user, "is_authenticated", False):
            Membership.objects.create(user=user, enterprise=enterprise)
        record(user, "profile.create", enterprise, {"name": profile.name})
        return enterprise
    before = enterprise.profile
    for field, value in columns.items():
        setattr(enterprise, field, value)
    enterprise.save()
    changed = {k: {"from": before.get(k), "to": v} for k, v in columns["profile"].items() if before.get(k) != v}
    record(user, "profile.update", enterprise, changed)
    return enterprise


# --- assessment -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    number: int  # 1-based
    dimension: Dimension
    questions: list[Question]


def wizard_steps(loaded: LoadedCatalog) -> list[Step]:
    """One step per dimension, in questionnaire order."""
    q = loaded.questionnaire
    return [Step(i, d, [x for x in q.questions if x.dimension == d.id]) for i, d in enumerate(q.dimensions, start=1)]


def resume_step(round: AssessmentRound, loaded: LoadedCatalog) -> int:
    """Where the user left off: the first step with an unanswered question (the last step if all are answered)."""
    steps = wizard_steps(loaded)
    for step in steps:
        if any(x.id not in round.answers for x in step.questions):
            return step.number
    return steps[-1].number


def open_round(enterprise: Enterprise, loaded: LoadedCatalog) -> AssessmentRound:
    """The round in progress, or T0 for an enterprise never assessed."""
    latest = enterprise.rounds.order_by("-number").first()
    if latest is not None and latest.completed_at is None:
        return latest
    if latest is not None:
        return latest  # completed: a new round only starts on request (start_reassessment)
    return AssessmentRound.objects.create(
        enterprise=enterprise, number=0, questionnaire_version=loaded.questionnaire.version
    )


def start_reassessment(user: Actor, enterprise: Enterprise, loaded: LoadedCatalog) -> AssessmentRound:
    """A new round that starts from the previous answers, so the user changes only what moved."""
    with transaction.atomic():
        latest = enterprise.rounds.select_for_update().order_by("-number").first()
        if latest is not None and latest.completed_at is None:
            return latest
        known = {x.id for x in loaded.questionnaire.questions}
        answers = {k: v for k, v in (latest.answers if latest else {}).items() if k in known}
        evidence = {k: v for k, v in (latest.evidence if latest else {}).items() if k in known}
        rnd = AssessmentRound.objects.create(
            enterprise=enterprise,
            number=(latest.number + 1) if latest else 0,
            questionnaire_version=loaded.questionnaire.version,
            answers=answers,
            evidence=evidence,
        )
        record(user, "round.create", rnd, {"number": rnd.number})
    return rnd


class RoundClosedError(Exception):
    """Answers of a completed round are history; a change needs a new round."""


def save_answer(
    user: Actor,
    round_pk: int,
    question_id: str,
    value: str | list[str] | None,
    evidence: str | None,
    loaded: LoadedCatalog,
) -> list[str]:
    """Autosave of one answer. Returns the problems (empty when saved). ``value`` None clears the answer.

    The row is locked while its JSON is updated: two quick changes from one browser never lose an answer.
    """
    problems: list[str] = []
    if value is not None:
        problems = [
            str(p) for p in validate_answers({question_id: value}, loaded.questionnaire) if p.question == question_id
        ]
        if problems:
            return problems
    text = (evidence or "").strip()
    if (code := control_character(text, multiline=True)) is not None:
        return [_("依据不能含有控制字符（发现 %(code)s），请删除后再保存。") % {"code": code}]
    if len(text) > MAX_EVIDENCE_LENGTH:
        return [
            _("依据最多 %(most)s 个字（现有 %(length)s 个字）。") % {"most": MAX_EVIDENCE_LENGTH, "length": len(text)}
        ]
    with transaction.atomic():
        rnd = AssessmentRound.objects.select_for_update().get(pk=round_pk)
        if rnd.completed_at is not None:
            raise RoundClosedError(rnd.code)
        before = rnd.answers.get(question_id)
        if value is None:
            rnd.answers.pop(question_id, None)
        else:
            rnd.answers[question_id] = value
        changes: dict[str, Any] = {"question": question_id, "from": before, "to": value}
        if evidence is not None:
            if text:
                rnd.evidence[question_id] = text
            else:
                rnd.evidence.pop(question_id, None)
            changes["evidence"] = text
        rnd.save(update_fields=["answers", "evidence", "updated_at"])
        record(user, "answer.save", rnd, changes)
    return []


def progress(rnd: AssessmentRound, loaded: LoadedCatalog) -> tuple[int, int]:
    """(answered, total) questions of the active questionnaire in this round."""
    questions = loaded.questionnaire.questions
    return sum(1 for q in questions if q.id in rnd.answers), len(questions)


def complete_round(user: Actor, rnd: AssessmentRound, loaded: LoadedCatalog) -> Assessment:
    """Score the round with the engine (raises AnswersError listing what is missing) and publish it."""
    result = assess(rnd.answers, loaded.questionnaire)
    with transaction.atomic():
        AssessmentRound.objects.filter(enterprise=rnd.enterprise, current=True).update(current=False)
        rnd.result = result.model_dump(mode="json")
        rnd.overall = result.overall
        rnd.completed_at = timezone.now()
        rnd.current = True
        rnd.questionnaire_version = result.questionnaire_version
        rnd.save()
        DimensionResult.objects.filter(round=rnd).delete()
        DimensionResult.objects.bulk_create(
            DimensionResult(round=rnd, dimension=d.id, score=d.score) for d in result.dimensions
        )
        record(user, "round.complete", rnd, {"overall": result.overall})
    return result


def assessment_of(rnd: AssessmentRound) -> Assessment | None:
    return Assessment.model_validate(rnd.result) if rnd.result else None


@dataclass(frozen=True)
class PeerCell:
    industry_group: str
    size_class: str
    enterprises: int
    averages: dict[str, float]  # empty when the cell is too small to show

    @property
    def shown(self) -> bool:
        return bool(self.averages)


def peer_scores(enterprise: Enterprise) -> PeerCell:
    """Mean score per dimension over the latest completed round of every enterprise in the same industry group
    and size class, read from the cell's stored release (``insights.releases``: noisy, replaced only when two
    firms changed and a month passed, so a mean cannot be differenced to one newcomer's scores). Cells under the
    minimum size are hidden, not just flagged.

    The minimum counts only firms its readers do not already know (``access.known_to_its_readers``): one account
    with four firms of a five-firm cell must not read the fifth."""
    from wendao.web.insights import releases

    minimum = settings.WENDAO_PEER_MIN_ENTERPRISES
    known = known_to_its_readers(enterprise).values("pk")
    release = releases.peer_release(enterprise.industry_group, enterprise.size_class, minimum)
    if release is not None:
        view = releases.peer_view(release, known, minimum)
        if view.averages:
            return PeerCell(enterprise.industry_group, enterprise.size_class, view.enterprises, view.averages)
    counts = (
        AssessmentRound.objects.filter(
            current=True,
            enterprise__industry_group=enterprise.industry_group,
            enterprise__size_class=enterprise.size_class,
        )
        .exclude(enterprise__in=known)
        .count()
    )
    return PeerCell(enterprise.industry_group, enterprise.size_class, counts, {})


@dataclass(frozen=True)
class RoundDelta:
    round: AssessmentRound
    assessment: Assessment
    deltas: dict[str, float | None]  # dimension -> change vs the previous completed round
    overall_delta: float | None


def history(enterprise: Enterprise) -> list[RoundDelta]:
    """Completed rounds oldest first, each with its change per dimension against the round before it."""
    out: list[RoundDelta] = []
    previous: Assessment | None = None
    for rnd in enterprise.rounds.filter(completed_at__isnull=False).order_by("number"):
        a = assessment_of(rnd)
        if a is None:
            continue
        deltas: dict[str, float | None] = {}
        for d in a.dimensions:
            before = next((p.score for p in previous.dimensions if p.id == d.id), None) if previous else None
            deltas[d.id] = round(d.score - before, 1) if d.score is not None and before is not None else None
        out.append(RoundDelta(rnd, a, deltas, round(a.overall - previous.overall, 1) if previous else None))
        previous = a
    return out


# --- plans ------------------------------------------------------------------------------------------


def plan_options(raw: dict[str, Any]) -> PlanOptions:
    """PlanOptions from what-if input (the engine's PlanOptions bounds each figure; ValidationError goes back to
    the form)."""
    clean = {k: v for k, v in raw.items() if v not in (None, "")}
    return PlanOptions(**clean)


class NoAssessmentError(ValueError):
    """A plan rests on a completed assessment; the enterprise has none yet."""


class ProfilePlanError(PlanError):
    """No plan: the stored profile breaks the engine's bounds. ``details`` are the profile's problems as values,
    located under ``profile`` (the API's 422 names ``["body", "profile", "revenue"]``); ``profile_error`` keeps
    the profile's own error for the web to tell in the reader's language (enterprises/profile_errors.py)."""

    def __init__(self, exc: ProfileError) -> None:
        details = [replace(p, loc=("profile", *p.loc)) for p in exc.details]
        super().__init__([f"profile.{p}" for p in exc.problems], details)
        self.profile_error = exc


def create_plan(user: Actor, enterprise: Enterprise, options: PlanOptions) -> PlanRecord:
    """Plan from the latest completed round with the database knowledge base; stores the catalog version used."""
    rec = _create_plan(user, enterprise, options, None)
    assert rec is not None  # no previous plan: never unchanged
    return rec


def replan_if_changed(
    user: Actor, enterprise: Enterprise, options: PlanOptions, previous: PlanRecord | None
) -> PlanRecord | None:
    """A new plan, or None when it would be built from exactly the inputs of ``previous`` (same profile,
    assessment round, catalog version, engine code and options, the date among them): the programme's
    regenerate job then stores no duplicate."""
    return _create_plan(user, enterprise, options, previous)


def plan_inputs(profile: EnterpriseProfile, rnd: AssessmentRound, catalog_version: str, options: PlanOptions) -> str:
    """What a plan is built from, as one digest: two builds with the same digest give the same plan."""
    described = {
        "profile": profile.model_dump(mode="json"),
        "round": rnd.pk,
        "catalog": catalog_version,
        "engine": engine_identity(),
        "options": options.model_dump(mode="json"),
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _create_plan(
    user: Actor, enterprise: Enterprise, options: PlanOptions, previous: PlanRecord | None
) -> PlanRecord | None:
    loaded = active_catalog()
    rnd = enterprise.rounds.filter(current=True).first()
    if rnd is None:
        raise NoAssessmentError("the enterprise has no completed assessment yet")
    try:
        profile = profile_of(enterprise, rnd, loaded)
    except ProfileError as exc:  # stored before the profile's bounds: the profile must be corrected first
        raise ProfilePlanError(exc) from None
    built = {"inputs": "", "reused": False}

    def build(opts: PlanOptions) -> Plan:
        # a wrapper may build more than once (a refused pin): what counts is the build it keeps, its last
        built["inputs"] = plan_inputs(profile, rnd, loaded.version, opts)
        built["reused"] = previous is not None and previous.inputs == built["inputs"]
        if previous is not None and built["reused"]:
            return plan_of(previous)
        return build_plan(profile, loaded, opts, scenario_matcher(loaded))

    # what other apps add to every plan (programmes: steps committed in a group workspace), registered by them
    plan, options, committed = build_wrapped(enterprise, options, build)
    if built["reused"]:
        return None
    stored_options = options.model_dump(mode="json", include={"budget", "horizon_quarters", "objective"})
    stored_options |= {k: v for k in ("pin", "drop") if (v := getattr(options, k))}  # the enterprise's choices
    stored_options |= committed
    rec = PlanRecord.objects.create(
        enterprise=enterprise,
        round=rnd,
        plan=plan.model_dump(mode="json"),
        catalog_version=plan.catalog_version,
        options=stored_options,
        inputs=str(built["inputs"]),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    record(user, "plan.create", rec, {"options": stored_options, "catalog_version": plan.catalog_version})
    return rec


def plan_of(rec: PlanRecord) -> Plan:
    return Plan.model_validate(rec.plan)


def plan_document(rec: PlanRecord, fmt: report.DocumentFormat, lang: str) -> bytes:
    """The stored plan as a document, compared with the same peers (the same averages) as its web page."""
    peers = peer_scores(rec.enterprise)
    cell = report_peers.PeerCell(peers.industry_group, peers.size_class, peers.enterprises, synthetic=False)
    comparison = report_peers.PeerComparison(peers.averages or None, cell if peers.shown else None)
    return report.render(plan_of(rec), fmt, lang, comparison)
