"""The report for superiors: built on a small cohort through the real use cases, its Word and PDF texts name
cities, chains and scenarios (no keys), every section is there, and only the programme's organisers get it."""

from __future__ import annotations

import io
import subprocess
from typing import Any

import pytest
from django.urls import reverse
from docx import Document

from tests.web.conftest import client_for, join, make_enterprise, make_user
from wendao.web.accounts.models import Role
from wendao.web.enterprises import services
from wendao.web.enterprises.models import PlanRecord
from wendao.web.insights.demo import PROGRAMME_START
from wendao.web.insights.models import CohortReport, Target
from wendao.web.insights.report import build_report, start_report
from wendao.web.insights.targets import PRESETS
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(programme: Programme) -> list[PlanRecord]:
    firms = [make_enterprise(None) for _ in range(5)] + [make_enterprise(None, "zibo_chemical")]
    plans = []
    for e in firms:
        join(programme, e)
        plans.append(services.create_plan(None, e, services.plan_options({})))
    preset = PRESETS[0]
    Target.objects.create(
        programme=programme,
        metric=preset.metric,
        parameter=preset.parameter,
        value=preset.value,
        start_date=PROGRAMME_START,
        due_date=preset.due_date,
        source=str(preset.source),
    )
    return plans


def _word_text(data: bytes) -> str:
    word = Document(io.BytesIO(data))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


def _pdf_text(data: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode()


def test_the_report_names_what_an_official_reads_in_word_and_pdf(
    programme: Programme, cohort: list[PlanRecord]
) -> None:
    olivia = programme.organisers.get()
    report = start_report(olivia, programme, "zh")
    assert start_report(olivia, programme, "zh").pk == report.pk  # asked twice while queued: the same one
    build_report(report.pk)
    report.refresh_from_db()
    assert report.status == CohortReport.Status.DONE, report.error
    assert report.percent == 100
    assert report.seconds is not None
    assert report.seconds < 60
    word = _word_text(bytes(report.docx))
    pdf = _pdf_text(bytes(report.pdf))
    for text in (word, pdf):
        for heading in (
            "一、总体情况",
            "二、成熟度",
            "三、需求",
            "四、投资、补贴与收益",
            "五、试点候选",
            "六、目标进度",
            "七、方法与数据说明",
        ):
            assert heading in text
        assert "潍坊" in text
        assert "weifang" not in text
        assert "industrial_machine_tools" not in text
    scenario_ids = {i["scenario"] for rec in cohort for i in rec.plan["items"]}
    assert not [sid for sid in scenario_ids if sid in word]
    assert cohort[0].enterprise.name in word  # a pilot candidate, with its reasons
    assert "可能获得的补贴" in word
    assert "高价值场景" in word  # the province's target


def test_the_english_report_is_english(programme: Programme, cohort: list[PlanRecord]) -> None:
    report = start_report(programme.organisers.get(), programme, "en")
    build_report(report.pk)
    report.refresh_from_db()
    word = _word_text(bytes(report.docx))
    assert "Weifang" in word
    assert "7. Method and data" in word
    assert "七、方法与数据说明" not in word
    assert "潍坊" not in word.replace(cohort[0].enterprise.name, "")  # only in the firms' own (Chinese) names


def test_only_the_programmes_organisers_start_and_download_it(
    programme: Programme, cohort: list[PlanRecord], settings: Any
) -> None:
    olivia = programme.organisers.get()
    url = reverse("insights:report", kwargs={"pk": programme.pk})
    client = client_for(olivia)
    assert client.post(url, {"lang": "zh"}).status_code == 302
    report = CohortReport.objects.get(programme=programme)
    page = client.get(url).content.decode()
    assert 'id="report-status"' in page
    assert "hx-trigger" in page  # polls while queued
    build_report(report.pk)
    page = client.get(url).content.decode()
    assert "hx-trigger" not in page
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK")):
        download = reverse("insights:report_download", kwargs={"pk": programme.pk, "report_pk": report.pk, "fmt": fmt})
        response = client.get(download)
        assert response.status_code == 200
        assert response.content.startswith(magic)
        oscar = make_user("oscar2", Role.ORGANISER)
        Programme.objects.create(name="other").organisers.add(oscar)
        assert client_for(oscar).get(download).status_code == 404
        assert client_for(oscar).post(url).status_code == 404
        oscar.delete()
    bad = reverse("insights:report_download", kwargs={"pk": programme.pk, "report_pk": report.pk, "fmt": "exe"})
    assert client.get(bad).status_code == 404
