"""Maturity assessment: questionnaire answers -> dimension scores, overall score, indicative official levels, gaps.

Scoring (wendao's own design, documented in data/questionnaire.yaml):
- a single-choice question scores its option's points (0–100); a multi-choice question adds its options'
  points, capped at 100; "na" (only where allowed) drops the question from its dimension;
- a dimension is the weighted mean of its answered questions; overall is the weighted mean of dimensions;
- an official level is awarded only if the overall score reaches it AND every gate of it and of every
  lower level holds (no leap-frogging past a missing foundation).
Every step is monotone: a better answer never lowers any score or level.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, Field

from wendao.engine.catalog.schema import LevelScale, Question, Questionnaire

NOT_APPLICABLE = "na"


class AnswerProblem(BaseModel):
    question: str
    given: str | list[str] | None
    allowed: str

    def __str__(self) -> str:
        given = "(missing)" if self.given is None else repr(self.given)
        return f"{self.question}: given {given}; allowed: {self.allowed}"


class AnswersError(Exception):
    def __init__(self, problems: list[AnswerProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class DimensionScore(BaseModel):
    id: str
    name_zh: str
    name_en: str
    score: float | None = Field(description="0–100; None when every question was 'not applicable'")
    answered: int


class GateShortfall(BaseModel):
    question: str
    text_zh: str
    text_en: str
    score: float
    needed: float


class LevelResult(BaseModel):
    scale: str
    name_zh: str
    name_en: str
    level: int = Field(description="0 = below the first level")
    label_zh: str
    label_en: str
    indicative: bool = True
    next_level: int | None
    next_needs_overall: float | None = None
    next_missing: list[GateShortfall] = Field(default_factory=list)


class GapQuestion(BaseModel):
    question: str
    text_zh: str
    text_en: str
    score: float
    next_option_zh: str | None
    next_option_en: str | None


class Gap(BaseModel):
    dimension: str
    name_zh: str
    name_en: str
    score: float
    held_back_by: list[GapQuestion]


class Assessment(BaseModel):
    questionnaire: str
    questionnaire_version: str
    dimensions: list[DimensionScore]
    overall: float
    levels: list[LevelResult]
    gaps: list[Gap]

    def dimension_score(self, dimension_id: str) -> float:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d.score or 0.0
        raise KeyError(dimension_id)


def _allowed(q: Question) -> str:
    ids = ", ".join(o.id for o in q.options)
    kind = "one of" if q.type == "single" else "a list of"
    return f"{kind} [{ids}]" + (f" or '{NOT_APPLICABLE}'" if q.allows_na else "")


def _shown(raw: object) -> str | list[str]:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, list | tuple):
        return [str(x) for x in raw]
    return repr(raw)


def validate_answers(answers: Mapping[str, str | Sequence[str]], questionnaire: Questionnaire) -> list[AnswerProblem]:
    """Every problem with the answers at once: missing, unknown question, unknown option, bad combination."""
    problems: list[AnswerProblem] = []
    known = {q.id: q for q in questionnaire.questions}
    for qid in answers:
        if qid not in known:
            given = answers[qid]
            problems.append(
                AnswerProblem(
                    question=qid,
                    given=_shown(given),
                    allowed=f"no such question in questionnaire {questionnaire.id} {questionnaire.version}",
                )
            )
    for q in questionnaire.questions:
        raw = answers.get(q.id)
        if raw is None:
            problems.append(AnswerProblem(question=q.id, given=None, allowed=_allowed(q)))
            continue
        if raw == NOT_APPLICABLE:
            if not q.allows_na:
                problems.append(AnswerProblem(question=q.id, given=raw, allowed=_allowed(q)))
            continue
        option_ids = {o.id for o in q.options}
        if q.type == "single":
            if not isinstance(raw, str) or raw not in option_ids:
                problems.append(AnswerProblem(question=q.id, given=_shown(raw), allowed=_allowed(q)))
            continue
        if not isinstance(raw, str | list | tuple):
            problems.append(AnswerProblem(question=q.id, given=_shown(raw), allowed=_allowed(q)))
            continue
        chosen = [raw] if isinstance(raw, str) else [str(c) for c in raw]
        bad = [c for c in chosen if c not in option_ids]
        exclusive = [o.id for o in q.options if o.exclusive and o.id in chosen]
        if bad or not chosen:
            problems.append(AnswerProblem(question=q.id, given=chosen, allowed=_allowed(q)))
        elif exclusive and len(set(chosen)) > 1:
            problems.append(
                AnswerProblem(
                    question=q.id, given=chosen, allowed=f"'{exclusive[0]}' cannot be combined with other options"
                )
            )
    return problems


def question_score(q: Question, answer: str | Sequence[str]) -> float | None:
    """Points for one answer (None = not applicable)."""
    if answer == NOT_APPLICABLE:
        return None
    points = {o.id: o.score for o in q.options}
    if q.type == "single":
        assert isinstance(answer, str)
        return points[answer]
    chosen = {answer} if isinstance(answer, str) else set(answer)
    return min(100.0, sum(points[c] for c in chosen))


def assess(answers: Mapping[str, str | Sequence[str]], questionnaire: Questionnaire, gaps: int = 3) -> Assessment:
    """Score a complete set of answers; raise AnswersError listing every problem."""
    problems = validate_answers(answers, questionnaire)
    if problems:
        raise AnswersError(problems)
    scores: dict[str, float | None] = {q.id: question_score(q, answers[q.id]) for q in questionnaire.questions}
    dims: list[DimensionScore] = []
    for d in questionnaire.dimensions:
        qs = [q for q in questionnaire.questions if q.dimension == d.id and scores[q.id] is not None]
        weight = sum(q.weight for q in qs)
        value = sum(q.weight * (scores[q.id] or 0.0) for q in qs) / weight if weight else None
        dims.append(
            DimensionScore(
                id=d.id,
                name_zh=d.name_zh,
                name_en=d.name_en,
                score=None if value is None else round(value, 1),
                answered=len(qs),
            )
        )
    weights = {d.id: d.weight for d in questionnaire.dimensions}
    scored = [d for d in dims if d.score is not None]
    total_weight = sum(weights[d.id] for d in scored)
    overall = sum(weights[d.id] * (d.score or 0.0) for d in scored) / total_weight if total_weight else 0.0
    overall = round(overall, 1)
    levels = [_level(scale, overall, scores, questionnaire) for scale in questionnaire.scales]
    return Assessment(
        questionnaire=questionnaire.id,
        questionnaire_version=questionnaire.version,
        dimensions=dims,
        overall=overall,
        levels=levels,
        gaps=_gaps(dims, scores, questionnaire, gaps),
    )


def _level(
    scale: LevelScale, overall: float, scores: Mapping[str, float | None], questionnaire: Questionnaire
) -> LevelResult:
    achieved = 0
    shortfalls: list[GateShortfall] = []
    needs_overall: float | None = None
    ordered = sorted(scale.levels, key=lambda lv: lv.level)
    for lvl in ordered:
        missing = []
        for gate in lvl.gates:
            got = scores.get(gate.question)
            # a gate on a question answered "not applicable" does not hold a level back
            if got is not None and got < gate.min_score:
                q = questionnaire.question(gate.question)
                missing.append(
                    GateShortfall(question=q.id, text_zh=q.text_zh, text_en=q.text_en, score=got, needed=gate.min_score)
                )
        if overall >= lvl.min_overall and not missing:
            achieved = lvl.level
            continue
        shortfalls = missing
        needs_overall = lvl.min_overall if overall < lvl.min_overall else None
        break
    current = next((lv for lv in ordered if lv.level == achieved), None)
    following = next((lv.level for lv in ordered if lv.level > achieved), None)
    return LevelResult(
        scale=scale.id,
        name_zh=scale.name_zh,
        name_en=scale.name_en,
        level=achieved,
        label_zh=current.label_zh if current else scale.below_zh,
        label_en=current.label_en if current else scale.below_en,
        next_level=following,
        next_needs_overall=needs_overall if following else None,
        next_missing=shortfalls if following else [],
    )


def _gaps(
    dims: list[DimensionScore], scores: Mapping[str, float | None], questionnaire: Questionnaire, count: int
) -> list[Gap]:
    ranked = sorted((d for d in dims if d.score is not None), key=lambda d: (d.score, d.id))
    out = []
    for d in ranked[:count]:
        qs = [q for q in questionnaire.questions if q.dimension == d.id and scores[q.id] is not None and not q.outcome]
        qs.sort(key=lambda q: (scores[q.id] or 0.0, q.id))
        held = []
        for q in qs[:3]:
            got = scores[q.id] or 0.0
            better = sorted((o for o in q.options if o.score > got and not o.exclusive), key=lambda o: o.score)
            nxt = better[0] if better else None
            if nxt is None:
                continue
            held.append(
                GapQuestion(
                    question=q.id,
                    text_zh=q.text_zh,
                    text_en=q.text_en,
                    score=got,
                    next_option_zh=nxt.text_zh,
                    next_option_en=nxt.text_en,
                )
            )
        out.append(Gap(dimension=d.id, name_zh=d.name_zh, name_en=d.name_en, score=d.score or 0.0, held_back_by=held))
    return out
