"""Every CSV and XLSX export of the site, through its real view, on a programme whose every typed text is a
formula (enterprise and contact names, a visit title, a target's source): no cell comes back as a formula or
as text a spreadsheet would evaluate, and numbers are still numbers.

``EXPORTS`` lists the exports; ``test_every_export_url_is_listed`` finds every URL that serves a .csv or .xlsx
(or is named ``*_export`` / ``*_csv``), so a new export that is not listed here fails."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from tests.web.conftest import client_for, example_data, join
from tests.web.programmes.conftest import good_row
from wendao.web.accounts.models import User
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises import services as enterprise_services
from wendao.web.enterprises.models import Enterprise
from wendao.web.insights.models import CityShare, Target
from wendao.web.insights.views import TABLES
from wendao.web.insights.views_city import TABLES as CITY_TABLES
from wendao.web.jobs import services as job_services
from wendao.web.programmes import services
from wendao.web.programmes.importing import COLUMNS
from wendao.web.programmes.models import Participant, Programme, Session

pytestmark = pytest.mark.django_db
PAYLOADS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)"]
SOURCE = "=cmd|' /C calc'!A0"  # a target's source
QUOTED = {"'" + p for p in [*PAYLOADS, SOURCE]}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


@dataclass(frozen=True)
class Export:
    kind: str  # "csv" or "xlsx"
    kwargs: Callable[[dict[str, Any]], dict[str, Any]]
    payload: bool  # the export shows typed text (names...), so the quoted payload must appear
    numbers: bool  # the export has figures, which must still be numbers
    reader: str = "client"  # who downloads it: the organiser ("client") or the city's official ("city_client")


def _programme(w: dict[str, Any]) -> dict[str, Any]:
    return {"pk": w["programme"].pk}


EXPORTS: dict[str, list[Export]] = {
    "programmes:import_template": [Export("xlsx", _programme, payload=False, numbers=True)],
    "programmes:invitations_export": [Export("xlsx", _programme, payload=True, numbers=False)],
    "programmes:groups_export": [Export("xlsx", _programme, payload=True, numbers=True)],
    "programmes:visits_export": [Export("xlsx", _programme, payload=True, numbers=True)],
    "programmes:timetable_export": [Export("xlsx", _programme, payload=True, numbers=True)],
    "insights:dashboard_csv": [
        Export("csv", lambda w, t=t: {**_programme(w), "table": t}, payload=False, numbers=t == "totals")
        for t in TABLES
    ],
    "insights:pilots_csv": [Export("csv", _programme, payload=True, numbers=True)],
    "insights:targets_csv": [Export("csv", _programme, payload=True, numbers=True)],
    "insights:support_csv": [Export("csv", _programme, payload=True, numbers=True)],
    "insights:city_csv": [
        Export("csv", lambda w, t=t: {"table": t}, payload=False, numbers=t == "totals", reader="city_client")
        for t in CITY_TABLES
    ],
    "jobs:summary": [Export("xlsx", lambda w: {"pk": w["job"].pk}, payload=True, numbers=True)],
    # the knowledge base's policies (organisers read them; tests/web/catalog covers a hostile policy name)
    "catalog:policy_sheet": [Export("xlsx", lambda w: {}, payload=False, numbers=False)],
}
CASES = [(name, i) for name, exports in EXPORTS.items() for i in range(len(exports))]


def _assessed(name: str) -> Enterprise:
    data = example_data() | {"name": name}
    enterprise = enterprise_services.save_profile(None, data)
    loaded = active_catalog()
    rnd = enterprise_services.open_round(enterprise, loaded)
    rnd.answers = data["answers"]
    rnd.save()
    enterprise_services.complete_round(None, rnd, loaded)
    return enterprise


@pytest.fixture
def hostile(olivia: User, programme: Programme) -> dict[str, Any]:
    """Imported participants (pending invitations) named and with contacts by the payloads; a second list
    with the payloads as contacts, accepted, in groups and
    site visits; joined, assessed enterprises named by the payloads, one with a plan; a target whose source
    is a formula; an export job over the joined ones."""
    client = client_for(olivia)
    rows = [good_row(i) for i in range(1, 9)]
    for row, payload in zip(rows, PAYLOADS, strict=False):
        row[0], row[6] = payload, payload
    upload = io.StringIO()
    csv.writer(upload).writerows([[h for _, h, _, _ in COLUMNS], *rows])  # a .csv: the names stay text
    url = reverse("programmes:import", kwargs={"pk": programme.pk})
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", upload.getvalue().encode())})
    assert response.status_code == 302, response.context and response.context.get("problems")
    # a second list whose contacts are the payloads accepts: only firms that joined are grouped and allocated
    pending = set(Participant.objects.filter(programme=programme).values_list("pk", flat=True))
    second = [good_row(i) for i in range(9, 9 + len(PAYLOADS))]
    for row, payload in zip(second, PAYLOADS, strict=True):
        row[6] = payload
    upload = io.StringIO()
    csv.writer(upload).writerows([[h for _, h, _, _ in COLUMNS], *second])
    response = client.post(url, {"file": SimpleUploadedFile("b.csv", upload.getvalue().encode())})
    assert response.status_code == 302, response.context and response.context.get("problems")
    for p in Participant.objects.filter(programme=programme).exclude(pk__in=pending):
        assert p.account is not None
        services.accept_invitation(p.account, p, None)
    assert client.post(reverse("programmes:groups", kwargs={"pk": programme.pk}), {"size": "4"}).status_code == 302
    visits_url = reverse("programmes:visits", kwargs={"pk": programme.pk})
    for title in (PAYLOADS[0], "@参观点 A/B"):  # a / is not allowed in a sheet name
        assert client.post(visits_url, {"title": title, "capacity": "12"}).status_code == 302
    sessions = list(Session.objects.filter(programme=programme))
    for p in Participant.objects.filter(programme=programme):
        services.save_preferences(olivia, p, sessions)
    assert client.post(reverse("programmes:visits_allocate", kwargs={"pk": programme.pk})).status_code == 302

    joined = [_assessed(payload) for payload in PAYLOADS[1:]]
    for i, e in enumerate(joined):
        join(programme, e, contact_name=PAYLOADS[0], phone=f"1390000{i:04d}")
    enterprise_services.create_plan(None, joined[0], enterprise_services.plan_options({}))
    Target.objects.create(
        programme=programme, metric="enterprises_with_plan", value=4, source=SOURCE,
        start_date="2026-06-01", due_date="2027-06-01",
    )  # fmt: skip
    job, _ = job_services.start_job(olivia, programme, "export", "zh")
    # the city's official reads the same firms' figures once they agreed to share with their city
    official = User.objects.create_user(username="city-official", role="city_official", city=joined[0].city)
    CityShare.objects.bulk_create([CityShare(enterprise=e) for e in joined])
    return {"programme": programme, "job": job, "client": client, "city_client": client_for(official)}


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _cells(export: Export, response: Any) -> tuple[list[str], list[Any]]:
    """(text cells, number cells) of the response; fails on any formula or formula-like text."""
    assert response.status_code == 200
    texts: list[str] = []
    numbers: list[Any] = []
    if export.kind == "csv":
        assert response["Content-Type"].startswith("text/csv")
        for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))):
            for cell in row:
                if _is_number(cell):
                    numbers.append(cell)
                else:
                    assert not cell.lstrip(" ").startswith(FORMULA_STARTS), cell
                    texts.append(cell)
        return texts, numbers
    wb = load_workbook(io.BytesIO(response.content))
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    assert not c.value.lstrip(" ").startswith(FORMULA_STARTS), (sheet.title, c.coordinate, c.value)
                    texts.append(c.value)
                elif isinstance(c.value, int | float):
                    numbers.append(c.value)
    return texts, numbers


@pytest.mark.parametrize(("name", "index"), CASES, ids=[f"{n}-{i}" for n, i in CASES])
def test_no_export_writes_a_formula(hostile: dict[str, Any], name: str, index: int) -> None:
    export = EXPORTS[name][index]
    response = hostile[export.reader].get(reverse(name, kwargs=export.kwargs(hostile)))
    texts, numbers = _cells(export, response)
    if export.payload:
        assert QUOTED & set(texts), texts
    if export.numbers:
        assert numbers, texts


def test_the_formula_payloads_come_back_quoted_where_they_were_typed(hostile: dict[str, Any]) -> None:
    client, pk = hostile["client"], hostile["programme"].pk
    invitations = load_workbook(
        io.BytesIO(client.get(reverse("programmes:invitations_export", kwargs={"pk": pk})).content)
    )
    rows = list(invitations.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert {(r[0], r[1]) for r in rows} >= {("'" + p, "'" + p) for p in PAYLOADS}
    visits = load_workbook(io.BytesIO(client.get(reverse("programmes:visits_export", kwargs={"pk": pk})).content))
    assert "'" + PAYLOADS[0] in {r[3] for r in visits.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert {r[4] for r in visits.worksheets[0].iter_rows(min_row=2, values_only=True)} <= {1, 2}  # ranks: numbers
    assert "@参观点 A B" in visits.sheetnames
    targets = list(
        csv.reader(
            io.StringIO(client.get(reverse("insights:targets_csv", kwargs={"pk": pk})).content.decode("utf-8-sig"))
        )
    )
    assert targets[1][3] == "4"
    assert targets[1][-1] == "'" + SOURCE
    summary = load_workbook(io.BytesIO(client.get(reverse("jobs:summary", kwargs={"pk": hostile["job"].pk})).content))
    body = list(summary.worksheets[0].iter_rows(min_row=2, values_only=True))
    # every joined firm: the three assessed ones and the second list's rows that accepted (to be grouped)
    assert {"'" + p for p in PAYLOADS[1:]} <= {r[1] for r in body}
    assert sorted(r[0] for r in body) == list(range(1, 4 + len(PAYLOADS)))


def _export_urls(patterns: list[Any], namespace: str = "") -> set[str]:
    out: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            out |= _export_urls(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            route = str(p.pattern)
            if route.endswith((".csv", ".xlsx")) or p.name.endswith(("_export", "_csv", "_xlsx")):
                out.add(namespace + p.name)
    return out


def test_every_export_url_is_listed() -> None:
    assert _export_urls(get_resolver().url_patterns) == set(EXPORTS)


def _columns(export: Export, response: Any) -> list[tuple[str, str]]:
    """(column header, text cell) of every text cell below the header row of each sheet or CSV."""
    if export.kind == "csv":
        tables = [list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))]
    else:
        wb = load_workbook(io.BytesIO(response.content))
        tables = [[list(r) for r in s.iter_rows(values_only=True)] for s in wb.worksheets]
    out = []
    for rows in tables:
        header = [str(c or "") for c in (rows[0] if rows else [])]
        for row in rows[1:]:
            for k, cell in enumerate(row):
                if isinstance(cell, str):
                    out.append((header[k] if k < len(header) else "", cell))
    return out


@pytest.mark.parametrize(("name", "index"), CASES, ids=[f"{n}-{i}" for n, i in CASES])
def test_no_export_shows_a_stored_key_where_a_person_reads_a_name(
    hostile: dict[str, Any], name: str, index: int
) -> None:
    """City, chain and size keys (jinan, modern_food, small) never stand in for their names; a column headed
    as a key or code for machines may keep them."""
    catalog = active_catalog().catalog
    keys = {c.id for c in catalog.cities} | {c.id for c in catalog.chains} | {"micro", "small", "medium", "large"}
    export = EXPORTS[name][index]
    response = hostile[export.reader].get(reverse(name, kwargs=export.kwargs(hostile)))
    machine = ("id", "key", "代码", "编号", "code")
    leaks = [
        (header, cell)
        for header, cell in _columns(export, response)
        if cell.strip() in keys and not any(m in header.lower() for m in machine)
    ]
    assert not leaks, leaks
