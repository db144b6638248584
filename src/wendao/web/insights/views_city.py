"""A city official's pages: the dashboard, demand views, tables and report of their own city's enterprises that
joined a programme and agreed to share with their city; and the enterprise member's switch for that consent.

Every page takes the city from ``enterprises.access.get_city_for_user`` and the enterprises from
``city_enterprises_for_user``: anyone who is not a city official gets 404, and an official never sees another
city, a programme's pages or an enterprise's own pages (the authorisation matrix checks each). The pages are
the organiser's (``views.dashboard_context`` / ``demand_context`` / ``table_rows``) over the city's
enterprises, grouped by division, chain and size instead of city, with the plan figures (money, heat map,
demand) read from the city's stored release (``releases.city_figures``, docs/security.md "City officials'
views"): a live sum would give away a firm's plan as the difference of two reads when it starts sharing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Substr
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wendao.web.accounts.audit import record
from wendao.web.enterprises.access import city_enterprises_for_user, get_city_for_user, get_enterprise_for_user
from wendao.web.enterprises.models import AssessmentRound, Enterprise
from wendao.web.htmx import htmx_partial
from wendao.web.insights import views
from wendao.web.insights.labels import labels
from wendao.web.insights.models import CityShare, CohortReport, PlanSummary
from wendao.web.insights.releases import city_figures
from wendao.web.insights.report import clear_reports_holding, start_report

DIMENSIONS = ("division", "chain", "size")
TABLES = ("division", "chain", "size", "heatmap", "totals", "demand_division", "demand_chain", "demand_size")
TABLES += ("demand_scenarios",)
FIRMS_PER_PAGE = 25


def _links(city: str) -> dict[str, Any]:
    return {
        "scope_name": labels().of("city", city),
        "nav": "insights/_city_nav.html",
        "csv": {t: reverse("insights:city_csv", kwargs={"table": t}) for t in TABLES},
        "demand_url": reverse("insights:city_demand"),
    }


def _firms(enterprises: QuerySet[Enterprise], query: str, division: str) -> QuerySet[Enterprise]:
    """The city's shared enterprises with their current maturity and latest plan's item count (two correlated
    subqueries, read only for the page shown), filtered by name and industry division, by name."""
    overall = AssessmentRound.objects.filter(enterprise=OuterRef("pk"), current=True).values("overall")[:1]
    items = PlanSummary.objects.filter(enterprise=OuterRef("pk"), latest=True).values("items")[:1]
    firms = enterprises.annotate(maturity=Subquery(overall), items=Subquery(items))
    if query:
        firms = firms.filter(name__icontains=query)
    if division:
        firms = firms.filter(industry__startswith=division)
    return firms.order_by("name", "pk")


@login_required
@require_GET
def city_dashboard(request: HttpRequest) -> HttpResponse:
    city = get_city_for_user(request.user)
    enterprises = city_enterprises_for_user(request.user)
    query = request.GET.get("q", "").strip()[:100]
    division = request.GET.get("division", "").strip()[:3]
    page = Paginator(_firms(enterprises, query, division), FIRMS_PER_PAGE).get_page(request.GET.get("page"))
    names = labels()
    divisions = (
        enterprises.annotate(code=Substr("industry", 1, 3)).values("code").annotate(n=Count("pk")).order_by("code")
    )
    rows = [
        (e, names.of("division", e.industry[:3]), names.of("size", e.size_class), names.of("chain", e.chain))
        for e in page.object_list
    ]
    keep = {k: v for k, v in (("q", query), ("division", division)) if v}
    return render(
        request,
        "insights/city.html",
        {
            **_links(city),
            **views.dashboard_context(enterprises, DIMENSIONS, city_figures(city)),
            "enterprise_count": enterprises.count(),
            "page": page,
            "rows": rows,
            "query": query,
            "division": division,
            "divisions": [(d["code"], names.of("division", d["code"]), d["n"]) for d in divisions],
            "keep": urlencode(keep),
        },
    )


@login_required
@require_GET
def city_demand(request: HttpRequest) -> HttpResponse:
    city = get_city_for_user(request.user)
    dimension = request.GET.get("by", DIMENSIONS[0])
    if dimension not in DIMENSIONS:
        dimension = DIMENSIONS[0]
    enterprises = city_enterprises_for_user(request.user)
    return render(
        request,
        "insights/demand.html",
        {**_links(city), **views.demand_context(enterprises, dimension, DIMENSIONS, city_figures(city))},
    )


@login_required
@require_GET
def city_csv(request: HttpRequest, table: str) -> HttpResponse:
    city = get_city_for_user(request.user)
    if table not in TABLES:
        raise Http404("no such table")
    rows = views.table_rows(city_enterprises_for_user(request.user), table, city_figures(city))
    return views.csv_response(rows, f"city-{city}-{table}.csv")


def _report_context(city: str) -> dict[str, Any]:
    reports = []
    for lang in ("zh", "en"):
        r = CohortReport.objects.filter(programme=None, city=city, lang=lang).defer("pdf", "docx").first()
        if r is not None:
            reports.append(
                (lang, r, *(reverse("insights:city_report_download", args=[r.pk, f]) for f in ("docx", "pdf")))
            )
    return {**_links(city), "reports": reports, "status_url": reverse("insights:city_report")}


@login_required
@require_http_methods(["GET", "POST"])
def city_report(request: HttpRequest) -> HttpResponse:
    city = get_city_for_user(request.user)
    if request.method == "POST":
        lang = "en" if request.POST.get("lang") == "en" else "zh"
        start_report(request.user, None, lang, city=city)
        return redirect("insights:city_report")
    return htmx_partial(request, "insights/report.html", "insights/_report_status.html", _report_context(city))


@login_required
@require_GET
def city_report_download(request: HttpRequest, report_pk: int, fmt: str) -> HttpResponse:
    city = get_city_for_user(request.user)
    try:
        report = CohortReport.objects.get(programme=None, city=city, pk=report_pk, status=CohortReport.Status.DONE)
    except CohortReport.DoesNotExist:
        raise Http404("no such report") from None
    return views.report_file(request, report, f"city-{city}", fmt)


# --- the enterprise's consent ---------------------------------------------------------------------------------


@login_required
@require_POST
def city_share(request: HttpRequest, pk: int) -> HttpResponse:
    """A member gives (share=1) or withdraws the enterprise's consent to be counted in its city's views."""
    enterprise = get_enterprise_for_user(request.user, pk)
    share = request.POST.get("share") == "1"
    if share:
        _row, made = CityShare.objects.get_or_create(enterprise=enterprise, defaults={"given_by": request.user})
        changed = made
    else:
        given = CityShare.objects.filter(enterprise=enterprise).first()
        changed = CityShare.objects.filter(enterprise=enterprise).delete()[0] > 0
        if given is not None:  # the city's reports made since it agreed name and count it: they go
            clear_reports_holding(enterprise, given.given_at)
    if changed:
        record(
            request.user, "city_share.give" if share else "city_share.withdraw", enterprise, {"city": enterprise.city}
        )
    city = labels().of("city", enterprise.city)
    if share:
        messages.success(request, _("已同意向%(city)s主管部门共享本企业的数据。") % {"city": city})
    else:
        messages.success(request, _("已撤回向%(city)s主管部门共享数据的同意。") % {"city": city})
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return redirect(back if safe else reverse("enterprises:detail", kwargs={"pk": enterprise.pk}))
