"""The pilot score: pure, decomposed, monotone in each input, weights respected."""

from __future__ import annotations

from dataclasses import replace

import pytest

from wendao.web.insights.pilots import PilotInput, Weights, score

BASE = PilotInput(overall=50, systems=3, budget=50, revenue=10000, steps=2, size_class="small")


@pytest.mark.parametrize(
    ("change", "component"),
    [
        ({"overall": 80}, "foundation"),
        ({"systems": 6}, "foundation"),
        ({"budget": 90}, "willingness"),
        ({"steps": 3}, "willingness"),
        ({"in_chain": True}, "demonstration"),
        ({"size_class": "large"}, "demonstration"),
        ({"qualifications": ("single_champion",)}, "demonstration"),
    ],
)
def test_monotone_in_each_input(change: dict[str, object], component: str) -> None:
    before, after = score(BASE), score(replace(BASE, **change))  # type: ignore[arg-type]
    assert getattr(after, component) > getattr(before, component)
    assert after.score > before.score


def test_weights_respected() -> None:
    strong_foundation = PilotInput(overall=95, systems=8, budget=0, revenue=10000, steps=1)
    strong_demo = PilotInput(
        overall=10,
        systems=0,
        budget=0,
        revenue=10000,
        steps=1,
        in_chain=True,
        size_class="large",
        qualifications=("single_champion",),
    )
    f_only = Weights(1, 0, 0)
    d_only = Weights(0, 0, 1)
    assert score(strong_foundation, f_only).score > score(strong_demo, f_only).score
    assert score(strong_demo, d_only).score > score(strong_foundation, d_only).score
    # only ratios matter; the score is the weighted mean of the components × 100
    assert score(BASE, Weights(2, 2, 2)).score == score(BASE, Weights(1, 1, 1)).score
    r = score(BASE, Weights(1, 0, 0))
    assert r.score == pytest.approx(100 * r.foundation, abs=0.01)


def test_bounds_and_defaults() -> None:
    top = PilotInput(
        overall=100,
        systems=20,
        budget=1000,
        revenue=1000,
        steps=3,
        in_chain=True,
        size_class="large",
        qualifications=("single_champion", "high_tech"),
    )
    assert score(top).score == pytest.approx(100)
    assert score(PilotInput(overall=None, steps=0, size_class="")).score == 0
    assert score(BASE, Weights(0, 0, 0)) == score(BASE)  # all-zero weights fall back to the defaults
