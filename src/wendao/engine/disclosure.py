"""Small-cell suppression: the one home of the smallest group whose figures may be shown.

A mean or count over fewer than ``MIN_CELL`` enterprises is never shown, only the number of groups hidden: a
group of two or three firms would let a reader work out one firm's figures. The organiser's dashboards
(web/insights/queries.py), the peer comparison on the plan page and the CLI documents' synthetic peer
averages (report/peers.py) all use it, so a reader who sees both sees the same rule.
"""

from __future__ import annotations

# a wendao design choice (no statistic behind it): small enough for one cohort, large enough to hide a firm
MIN_CELL = 5
