"""``Median``: the 50th percentile as a Django aggregate, the same number on PostgreSQL and SQLite.

PostgreSQL computes it with ``percentile_cont(0.5) WITHIN GROUP (ORDER BY x)``. SQLite has no percentile
aggregate, so every SQLite connection gets one registered (``register_sqlite_median``, connected to
``connection_created`` by the app config), the way Django itself adds STDDEV/VARIANCE to SQLite. It follows
PostgreSQL's definition to the last bit: NULLs are skipped, an empty group gives NULL, and between the two
middle values it interpolates as PostgreSQL's ``float8_lerp`` does (``lo + (hi - lo) * 0.5``, not
``(lo + hi) / 2``, which can differ in the last binary digit).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Aggregate, FloatField

SQLITE_FUNCTION = "wendao_median"


class Median(Aggregate):
    function = "PERCENTILE_CONT"
    name = "Median"
    output_field = FloatField()
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler, connection, function=SQLITE_FUNCTION, template="%(function)s(%(expressions)s)", **extra_context
        )


def median_of(values: list[float]) -> float | None:
    """PostgreSQL's percentile_cont(0.5) in Python (also what the SQLite aggregate returns)."""
    xs = sorted(float(v) for v in values if v is not None)
    if not xs:
        return None
    position = 0.5 * (len(xs) - 1)
    lower = int(position)
    lo = xs[lower]
    if position == lower:
        return lo
    hi = xs[lower + 1]
    return lo + (hi - lo) * (position - lower)


class _SQLiteMedian:
    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: Any) -> None:
        if value is not None:
            self.values.append(float(value))

    def finalize(self) -> float | None:
        return median_of(self.values)


def register_sqlite_median(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate(SQLITE_FUNCTION, 1, _SQLiteMedian)
