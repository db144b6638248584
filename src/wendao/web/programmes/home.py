"""What programmes puts on the site's home page (``enterprises.home_hooks``, registered in ``apps.ready``): an
organiser's overview of their programmes, and a contact's open invitations before their enterprises."""

from __future__ import annotations

from django.db.models import Avg, Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises.models import AssessmentRound, Enterprise
from wendao.web.insights.queries import MIN_CELL
from wendao.web.programmes.access import programmes_for_user
from wendao.web.programmes.models import Participant
from wendao.web.programmes.services import open_invitations


def organiser_overview(request: HttpRequest) -> HttpResponse | None:
    """Organisers see their programmes' joined enterprises in aggregate (SQL), never one enterprise's answers:
    a firm that joined no programme of theirs is not counted, and a mean over fewer than MIN_CELL firms is
    hidden (a city with one assessed firm would otherwise show that firm's score)."""
    if not getattr(request.user, "is_organiser", False):
        return None
    loaded = active_catalog()
    names = {c.id: c for c in loaded.catalog.cities}
    mine = Enterprise.objects.filter(
        pk__in=Participant.objects.joined().filter(programme__in=programmes_for_user(request.user)).values("enterprise")
    )
    by_city = mine.values("city").annotate(enterprises=Count("id", distinct=True)).order_by("-enterprises", "city")
    assessed = {
        r["enterprise__city"]: r
        for r in AssessmentRound.objects.filter(current=True, enterprise__in=mine)
        .values("enterprise__city")
        .annotate(n=Count("id"), mean=Avg("overall"))
    }
    rows = []
    for r in by_city:
        cell = assessed.get(r["city"])
        n = cell["n"] if cell else 0
        rows.append(
            {
                "city": names.get(r["city"]),
                "code": r["city"],
                "enterprises": r["enterprises"],
                "completed": n,
                "mean": round(cell["mean"], 1) if cell and n >= MIN_CELL else None,
            }
        )
    return render(
        request,
        "programmes/overview.html",
        {
            "rows": rows,
            "total": sum(r["enterprises"] for r in rows),
            "synthetic": mine.filter(synthetic=True).count(),
            "min_cell": MIN_CELL,
        },
    )


def invitations_first(request: HttpRequest) -> HttpResponse | None:
    """A contact with an invitation still to answer sees it before their enterprises (``?later=1``: not now)."""
    if request.GET.get("later") or not open_invitations(request.user).exists():  # type: ignore[arg-type]
        return None
    return redirect("programmes:my_invitations")
