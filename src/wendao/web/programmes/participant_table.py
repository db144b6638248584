"""The organiser's participant table at the size of a province's class (300 and more): search, filters (city,
industry division, discussion group, status) and paging, with the status counts over the whole programme.

The counts are SQL counts over ``services.participants_with_status`` (the same EXISTS subqueries), and
only the rows of the page shown are loaded and rendered; before this, every participant's row was built and
rendered on each visit (an 11 476 px page for 300 firms). Cities and divisions are shown by name
(``insights.labels``), their keys stay in the query string.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wendao.web.catalog.services import active_catalog
from wendao.web.ids import is_id
from wendao.web.insights.labels import labels
from wendao.web.programmes.models import Participant, Programme
from wendao.web.programmes.services import (
    ParticipantStatus,
    organiser_reads_enterprise,
    participants_with_status,
    status_of,
)

PER_PAGE = 50
JOINED = Q(joined_at__isnull=False)
# the organisers may read the enterprise record beyond its name (services.organiser_reads_enterprise)
READABLE = JOINED | Q(has_members=False)
# a participant's status as the organiser filters by it: each a condition on ``participants_with_status``
STATUS_FILTERS: dict[str, Q] = {
    "pending": Q(joined_at__isnull=True, declined_at__isnull=True),
    "declined": Q(declined_at__isnull=False),
    "no_profile": JOINED & Q(budget__isnull=True),
    "no_assessment": JOINED & Q(assessment_done=False),
    "no_plan": JOINED & Q(plan_made=False),
    "plan_made": JOINED & Q(plan_made=True),
    "downloaded": JOINED & Q(document_downloaded=True),
}


def status_choices() -> list[tuple[str, str]]:
    return [
        ("pending", _("待接受邀请")),
        ("declined", _("已谢绝")),
        ("no_profile", _("未填档案")),
        ("no_assessment", _("未完成评估")),
        ("no_plan", _("未生成规划")),
        ("plan_made", _("已生成规划")),
        ("downloaded", _("已下载文档")),
    ]


@dataclass(frozen=True)
class Filters:
    q: str = ""
    city: str = ""
    division: str = ""
    group: str = ""  # a group number, "none" (in no group) or "" (any)
    status: str = ""

    @classmethod
    def from_query(cls, params: Any) -> Filters:
        group = params.get("group", "").strip()
        status = params.get("status", "").strip()
        return cls(
            q=params.get("q", "").strip()[:100],
            city=params.get("city", "").strip()[:32],
            division=params.get("division", "").strip()[:3],
            group=group if group == "none" or is_id(group) else "",
            status=status if status in STATUS_FILTERS else "",
        )

    def apply(self, rows: QuerySet[Participant]) -> QuerySet[Participant]:
        if self.q:
            rows = rows.filter(
                Q(enterprise__name__icontains=self.q) | Q(contact_name__icontains=self.q) | Q(phone__contains=self.q)
            )
        # a firm that left is found by neither its current city nor its industry, nor by a group
        # (services.organiser_reads_enterprise, services.groupable)
        if self.city:
            rows = rows.filter(READABLE, enterprise__city=self.city)
        if self.division:
            rows = rows.filter(READABLE, enterprise__industry__startswith=self.division)
        if self.group == "none":
            rows = rows.filter(Q(group_membership__isnull=True) | ~JOINED)
        elif self.group:
            rows = rows.filter(JOINED, group_membership__group__number=int(self.group))
        if self.status:
            rows = rows.filter(STATUS_FILTERS[self.status])
        return rows

    def query(self, **change: str) -> str:
        """The query string of these filters (without the page), for the pager's links."""
        values = {"q": self.q, "city": self.city, "division": self.division, "group": self.group}
        values |= {"status": self.status, **change}
        return urlencode({k: v for k, v in values.items() if v})

    @property
    def active(self) -> bool:
        return any((self.q, self.city, self.division, self.group, self.status))


@dataclass(frozen=True)
class Row:
    status: ParticipantStatus
    city: str
    division: str
    group: int | None


@dataclass(frozen=True)
class Table:
    counts: dict[str, int]  # over the whole programme, as before
    matching: int  # participants the filters leave
    page: Page[Participant]
    rows: list[Row]
    filters: Filters
    cities: list[tuple[str, str]]  # (key, name) of the programme's cities, for the filter
    divisions: list[tuple[str, str]]
    groups: list[int]
    statuses: list[tuple[str, str]]


def status_counts(programme: Programme) -> dict[str, int]:
    """``services.status_counts`` in SQL: one COUNT per status over ``participants_with_status`` filtered as the
    status filter does (progress counts only once the enterprise joined), no row loaded."""
    rows = participants_with_status(programme).order_by()
    done = {
        "profile_done": JOINED & Q(budget__isnull=False),
        "assessment_done": JOINED & Q(assessment_done=True),
        "plan_made": STATUS_FILTERS["plan_made"],
        "document_downloaded": STATUS_FILTERS["downloaded"],
    }
    return {"total": rows.count()} | {status: rows.filter(q).count() for status, q in done.items()}


def participant_table(programme: Programme, params: Any) -> Table:
    filters = Filters.from_query(params)
    matching = filters.apply(participants_with_status(programme)).select_related("group_membership__group")
    page = Paginator(matching, PER_PAGE).get_page(params.get("page"))
    names = labels()
    rows = []
    for p in page.object_list:
        membership = getattr(p, "group_membership", None)
        readable = organiser_reads_enterprise(p)  # a firm that left: its name and the imported contact only
        rows.append(
            Row(
                status_of(p),
                names.of("city", p.enterprise.city) if readable else "",
                names.of("division", p.enterprise.industry[:3]) if readable else "",
                # only a joined firm is grouped (services.groupable)
                membership.group.number if membership is not None and p.joined_at is not None else None,
            )
        )
    everyone = participants_with_status(programme).filter(READABLE).order_by()
    cities = everyone.values_list("enterprise__city", flat=True).distinct().order_by("enterprise__city")
    divisions = (
        everyone.annotate(code=Substr("enterprise__industry", 1, 3)).values_list("code", flat=True).distinct()
    ).order_by("code")
    return Table(
        counts=status_counts(programme),
        matching=page.paginator.count,
        page=page,
        rows=rows,
        filters=filters,
        cities=[(c, names.of("city", c)) for c in cities],
        divisions=[(d, names.of("division", d)) for d in divisions],
        groups=list(programme.groups.values_list("number", flat=True)),
        statuses=status_choices(),
    )


# --- one participant's page: names where the organiser reads -------------------------------------------------


def place(enterprise: Any) -> tuple[str, str]:
    """The enterprise's city and industry division by name (the participant page's header)."""
    names = labels()
    return names.of("city", enterprise.city), names.of("division", enterprise.industry[:3])


def named_scores(current: Any) -> list[tuple[str, float | None]]:
    """A round's dimension scores as (the dimension's name in the reader's language, score), in questionnaire
    order; a dimension the questionnaire no longer has keeps its stored key."""
    if current is None:
        return []
    en = (get_language() or "").startswith("en")
    order = {d.id: (i, d.name_en if en else d.name_zh) for i, d in enumerate(active_catalog().questionnaire.dimensions)}
    rows = sorted(current.dimension_results.all(), key=lambda r: order.get(r.dimension, (len(order), ""))[0])
    return [(order.get(r.dimension, (0, r.dimension))[1], r.score) for r in rows]
