"""Small-cell suppression and released aggregates: the one home of what a peer figure may show.

1. ``MIN_CELL``: a mean or count over fewer than ``MIN_CELL`` enterprises is never shown, only the number of
   groups hidden: a group of two or three firms would let a reader work out one firm's figures. The organiser's
   dashboards (web/insights/queries.py), the peer comparison on the plan page and the CLI documents' synthetic
   peer averages (report/peers.py) all use it, so a reader who sees both sees the same rule.

2. Releases (docs/security.md, "Peer figures over time"). A mean recomputed on every read can be differenced: when
   a cell grows from k to k + 1 firms, (k + 1) x new mean - k x old mean is the newcomer's score. A reader may hold
   several accounts and may add firms of its own, so no rule about *who* joined can stop this. Peer figures are
   therefore read from a stored release of the cell, made over every firm of the cell, with noise drawn once when
   the release is made (every reader, every read, sees the same figure: the noise cannot be averaged away by
   asking again or from another account). A release is replaced only when at least ``RELEASE_MIN_CHANGES`` firms
   have come, gone or been re-assessed since it was made AND it is at least ``RELEASE_MIN_DAYS`` old, so a reader
   gets at most one new noisy sample of a cell a month; or when the cell has grown to ``RELEASE_GROWTH`` times the
   firms of its release (a training week's cohort fills a cell within days: its first five firms must not stand
   for it for a month). Growth releases are at most log2(final size / 5) in a cell's whole life (5, 10, 20, 40 …),
   and an attacker who forces one must bring as many firms as the release had.

   The noise is Gaussian on each dimension's SUM with standard deviation ``NOISE_SUM_SD`` score points (the mean
   shown carries NOISE_SUM_SD / n): the difference of two releases gives the changed firms' summed scores with
   error of standard deviation sqrt(2) x NOISE_SUM_SD = 14.1 points (0-100 scale), whoever supplied the other
   changed firms. ``recovery_error_sd`` states the bound after any number of releases.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# a wendao design choice (no statistic behind it): small enough for one cohort, large enough to hide a firm
MIN_CELL = 5

# --- releases (a wendao design choice, argued in docs/security.md) ---------------------------------------------
NOISE_SUM_SD = 10.0  # score points (0-100) on a dimension's sum over the cell; the mean carries 10 / n
RELEASE_MIN_CHANGES = 2  # firms that came, went or were re-assessed since the last release
RELEASE_MIN_DAYS = 30  # the youngest a release may be when it is replaced
RELEASE_GROWTH = 2  # a cell this many times its release's size is released again whatever the release's age
AMOUNT_NOISE_FLOOR = 1.0  # 万元: the least noise on a released sum of money (release_amounts)


@dataclass(frozen=True, slots=True)
class Released:
    """One dimension's released figure: the noisy sum over ``n`` firms (the mean shown is ``total / n``)."""

    total: float
    n: int

    @property
    def mean(self) -> float:
        return self.total / self.n


def release(scores: Mapping[str, Iterable[float]], rng: random.Random) -> dict[str, Released]:
    """Each dimension's sum over the cell with Gaussian noise of ``NOISE_SUM_SD`` on the sum, drawn once.
    ``scores``: dimension -> every firm's score (firms with no score for a dimension are left out of it)."""
    out: dict[str, Released] = {}
    for dimension in sorted(scores):
        values = list(scores[dimension])
        if values:
            out[dimension] = Released(math.fsum(values) + rng.gauss(0.0, NOISE_SUM_SD), len(values))
    return out


def release_amounts(amounts: Mapping[str, Iterable[float]], rng: random.Random) -> dict[str, Released]:
    """Each figure's sum of money (万元) with Gaussian noise drawn once, of standard deviation one firm's share of
    it (the cell's mean amount, at least ``AMOUNT_NOISE_FLOOR``): a sum of money has no natural range like a
    score's 0-100, so the noise hides a firm at the scale of the firms around it. The count stays exact (it
    says how many firms need the scenario, which the invitation needs)."""
    out: dict[str, Released] = {}
    for key in sorted(amounts):
        values = list(amounts[key])
        if values:
            total = math.fsum(values)
            sd = max(AMOUNT_NOISE_FLOOR, total / len(values))
            out[key] = Released(total + rng.gauss(0.0, sd), len(values))
    return out


def release_due(released_members: Iterable[int], members: Iterable[int], age_days: float) -> bool:
    """Whether a cell's release may be replaced: ``RELEASE_MIN_CHANGES`` members changed (a member is one firm's
    current assessment round, so a re-assessment counts as a change) and the release is old enough, or the cell
    has grown to ``RELEASE_GROWTH`` times the release's firms."""
    released, now = set(released_members), set(members)
    if len(now) >= RELEASE_GROWTH * len(released):
        return True
    return len(released ^ now) >= RELEASE_MIN_CHANGES and age_days >= RELEASE_MIN_DAYS


def recovery_error_sd(releases_before: int = 1, releases_after: int = 1) -> float:
    """The standard deviation of the best estimate of one firm's score from the releases made before and after
    it joined, when the attacker knows every other firm of the cell exactly (it supplied or knows them all):
    NOISE_SUM_SD x sqrt(1/before + 1/after). One release each side: 14.1 points; a year of monthly releases
    forced each side (12 and 12): 4.1 points."""
    return NOISE_SUM_SD * math.sqrt(1.0 / releases_before + 1.0 / releases_after)
