from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wendao.engine.assessment import NOT_APPLICABLE, AnswersError, assess, validate_answers
from wendao.engine.catalog import default_catalog
from wendao.engine.catalog.schema import Question

QUESTIONNAIRE = default_catalog().questionnaire


def _lowest(q: Question) -> str | list[str]:
    best = min(q.options, key=lambda o: o.score)
    return best.id if q.type == "single" else [best.id]


def _highest(q: Question) -> str | list[str]:
    if q.type == "single":
        return q.options[-1].id
    return [o.id for o in q.options if not o.exclusive]


def _answers(pick) -> dict[str, str | list[str]]:  # type: ignore[no-untyped-def]
    return {q.id: pick(q) for q in QUESTIONNAIRE.questions}


def test_the_best_answers_everywhere_score_100_and_reach_every_top_level() -> None:
    result = assess(_answers(_highest), QUESTIONNAIRE)
    assert result.overall == 100
    assert all(d.score == 100 for d in result.dimensions)
    for scale, level in zip(QUESTIONNAIRE.scales, result.levels, strict=True):
        assert level.level == max(lv.level for lv in scale.levels)
        assert level.next_level is None


def test_the_lowest_answers_everywhere_stay_below_the_first_official_level() -> None:
    result = assess(_answers(_lowest), QUESTIONNAIRE)
    assert result.overall == 0
    assert all(level.level == 0 for level in result.levels)
    assert all(level.label_zh for level in result.levels)


def test_gaps_name_the_weakest_dimensions_and_the_next_step() -> None:
    answers = _answers(_highest)
    weakest = QUESTIONNAIRE.dimensions[2].id
    for q in QUESTIONNAIRE.questions:
        if q.dimension == weakest:
            answers[q.id] = _lowest(q)
    result = assess(answers, QUESTIONNAIRE)
    assert result.gaps[0].dimension == weakest
    assert result.gaps[0].held_back_by
    assert all(g.next_option_zh for g in result.gaps[0].held_back_by)


def test_missing_and_invalid_answers_are_all_reported_with_what_is_allowed() -> None:
    answers = _answers(_highest)
    first, second, third = QUESTIONNAIRE.questions[:3]
    del answers[first.id]
    answers[second.id] = "zzz"
    answers["NOPE1"] = "a"
    if not third.allows_na:
        answers[third.id] = NOT_APPLICABLE
    with pytest.raises(AnswersError) as caught:
        assess(answers, QUESTIONNAIRE)
    by_question = {p.question: p for p in caught.value.problems}
    assert by_question[first.id].given is None
    assert by_question[second.id].given == "zzz"
    assert second.options[0].id in by_question[second.id].allowed
    assert "NOPE1" in by_question
    if not third.allows_na:
        assert third.id in by_question


def test_an_exclusive_none_option_cannot_be_combined() -> None:
    multi = [q for q in QUESTIONNAIRE.questions if q.type == "multi" and any(o.exclusive for o in q.options)]
    assert multi, "the questionnaire has multi-choice questions with a 'none' option"
    q = multi[0]
    answers = _answers(_highest)
    answers[q.id] = [o.id for o in q.options]
    problems = validate_answers(answers, QUESTIONNAIRE)
    assert [p.question for p in problems] == [q.id]


def test_no_level_is_awarded_past_a_failed_gate_however_high_the_score() -> None:
    scale = QUESTIONNAIRE.scales[0]
    gated = next(lv for lv in sorted(scale.levels, key=lambda lv: lv.level) if lv.gates)
    gate = gated.gates[0]
    q = QUESTIONNAIRE.question(gate.question)
    answers = _answers(_highest)
    answers[q.id] = _lowest(q)
    result = assess(answers, QUESTIONNAIRE)
    level = next(lv for lv in result.levels if lv.scale == scale.id)
    assert result.overall > gated.min_overall
    assert level.level < gated.level
    assert gate.question in [m.question for m in level.next_missing]


def _answer_strategy() -> st.SearchStrategy[dict[str, str | list[str]]]:
    per_question = {}
    for q in QUESTIONNAIRE.questions:
        if q.type == "single":
            per_question[q.id] = st.sampled_from([o.id for o in q.options])
        else:
            plain = [o.id for o in q.options if not o.exclusive]
            per_question[q.id] = st.lists(st.sampled_from(plain), min_size=1, unique=True)
    return st.fixed_dictionaries(per_question)


@settings(max_examples=60, deadline=None)
@given(_answer_strategy(), st.data())
def test_a_better_answer_never_lowers_any_score_or_level(answers, data) -> None:  # type: ignore[no-untyped-def]
    before = assess(answers, QUESTIONNAIRE)
    q = data.draw(st.sampled_from(QUESTIONNAIRE.questions))
    improved = dict(answers)
    if q.type == "single":
        current = next(o for o in q.options if o.id == answers[q.id])
        better = [o.id for o in q.options if o.score >= current.score]
        improved[q.id] = data.draw(st.sampled_from(better))
    else:
        extra = [o.id for o in q.options if not o.exclusive]
        improved[q.id] = sorted(set(answers[q.id]) | {data.draw(st.sampled_from(extra))})
    after = assess(improved, QUESTIONNAIRE)
    assert after.overall >= before.overall
    for b, a in zip(before.dimensions, after.dimensions, strict=True):
        assert (a.score or 0) >= (b.score or 0)
    for b_level, a_level in zip(before.levels, after.levels, strict=True):
        assert a_level.level >= b_level.level
