"""The insights queue task: build one cohort report (``insights.report.build_report``)."""

from __future__ import annotations

from django_tasks import task

from wendao.web.insights import report


@task()
def build_cohort_report(report_id: int) -> None:
    report.build_report(report_id)
