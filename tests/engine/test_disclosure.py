"""The release rule of engine.disclosure: noise that hides one firm, and when a release may be replaced."""

from __future__ import annotations

import random
import statistics

import pytest

from wendao.engine import disclosure


def test_one_firm_differenced_out_of_two_releases_is_off_by_the_stated_error() -> None:
    """The attacker knows every firm of the cell but the victim (it supplied them), reads the release before the
    victim came and the one after, and subtracts: the error is the two noise draws' difference."""
    rng = random.Random(20261207)
    others, victim = [55.0, 62.5, 70.0, 48.0, 81.0], 66.0
    errors = []
    for _ in range(4000):
        before = disclosure.release({"data": others}, rng)["data"]
        after = disclosure.release({"data": [*others, victim]}, rng)["data"]
        errors.append(after.total - before.total - victim)

    sd = statistics.pstdev(errors)
    assert sd == pytest.approx(disclosure.recovery_error_sd(), rel=0.05)
    assert disclosure.recovery_error_sd() == pytest.approx(14.14, abs=0.01)
    # before the releases the difference of two exact means gave the victim to within 0.55 points every time
    assert sum(abs(e) <= 0.55 for e in errors) / len(errors) < 0.04


def test_the_mean_shown_carries_the_sums_noise_divided_by_the_cell() -> None:
    rng = random.Random(7)
    means = [disclosure.release({"d": [60.0] * 20}, rng)["d"].mean for _ in range(4000)]
    assert statistics.fmean(means) == pytest.approx(60.0, abs=0.05)
    assert statistics.pstdev(means) == pytest.approx(disclosure.NOISE_SUM_SD / 20, rel=0.05)


def test_a_year_of_forced_monthly_releases_still_leaves_four_points_of_error() -> None:
    assert disclosure.recovery_error_sd(12, 12) == pytest.approx(4.08, abs=0.01)


@pytest.mark.parametrize(
    ("before", "after", "age", "due"),
    [
        ([1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], 400.0, False),  # one newcomer never replaces a release
        ([1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6, 7], 29.9, False),  # two, but the release is under a month old
        ([1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6, 7], 30.0, True),
        ([1, 2, 3, 4, 5], [1, 2, 3, 4, 6], 30.0, True),  # a re-assessment: a round left and one came
        ([1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5], 90.0, False),  # one firm left
        ([1, 2, 3, 4, 5], list(range(1, 10)), 0.5, False),  # a cohort filling: 9 firms are not yet twice 5
        ([1, 2, 3, 4, 5], list(range(1, 11)), 0.5, True),  # twice the release's firms: released again at once
        (list(range(1, 11)), list(range(1, 20)), 2.0, False),
        (list(range(1, 11)), list(range(1, 21)), 2.0, True),
    ],
)
def test_a_release_is_replaced_after_two_changes_and_a_month_or_when_the_cell_doubled(
    before: list[int], after: list[int], age: float, due: bool
) -> None:
    assert disclosure.release_due(before, after, age) is due
